//! Launch errors. Every variant names what was wrong: the argument, the
//! constexpr, or the kernel source location.

use persim_lang::front::Diagnostic;
use std::fmt;

#[derive(Debug)]
pub enum LaunchError {
    /// Wrong number of runtime arguments.
    Arity {
        kernel: String,
        expected: usize,
        got: usize,
    },
    /// An argument of the wrong kind or element type.
    ArgType {
        kernel: String,
        arg: String,
        expected: String,
        got: String,
    },
    /// A constexpr missing, unknown or given twice.
    Constexpr { kernel: String, message: String },
    /// A grid axis of size zero or too large.
    Grid { kernel: String, message: String },
    /// The frontend rejected the specialized kernel (for instance a shape
    /// mismatch that depends on a constexpr value).
    Frontend(Diagnostic),
    /// The mid-end or backend failed.
    Compile { kernel: String, message: String },
    /// Checked mode caught an access outside the argument's slice.
    OutOfBounds {
        kernel: String,
        /// `file:line:col` of the load or store.
        location: String,
        /// The argument the pointer derives from (or `?` when unknown).
        arg: String,
        /// Element index into that argument's slice.
        index: i64,
        len: usize,
        store: bool,
    },
    /// Checked mode caught a store through a `*const` parameter's slice.
    ReadOnly {
        kernel: String,
        location: String,
        arg: String,
        index: i64,
    },
    /// The device stopped the run: the spatial simulator's errors
    /// (deadlock with its wait-for cycle, cycle limit, a bad access).
    Device { kernel: String, message: String },
    /// A `device_assert` failed (in the lowest-numbered failing instance).
    Assertion {
        kernel: String,
        /// `file:line:col` of the `device_assert`.
        location: String,
        message: String,
        /// The program id of the failing instance.
        program: [u32; 3],
    },
}

impl fmt::Display for LaunchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LaunchError::Arity {
                kernel,
                expected,
                got,
            } => write!(
                f,
                "kernel `{kernel}` takes {expected} runtime arguments, got {got}"
            ),
            LaunchError::ArgType {
                kernel,
                arg,
                expected,
                got,
            } => write!(
                f,
                "kernel `{kernel}`: argument `{arg}` must be {expected}, got {got}"
            ),
            LaunchError::Constexpr { kernel, message }
            | LaunchError::Grid { kernel, message }
            | LaunchError::Compile { kernel, message }
            | LaunchError::Device { kernel, message } => {
                write!(f, "kernel `{kernel}`: {message}")
            }
            LaunchError::Frontend(d) => write!(f, "{d}"),
            LaunchError::OutOfBounds {
                kernel,
                location,
                arg,
                index,
                len,
                store,
            } => write!(
                f,
                "{location}: kernel `{kernel}`: out-of-bounds {} of `{arg}` at index {index} (length {len})",
                if *store { "store" } else { "load" }
            ),
            LaunchError::ReadOnly {
                kernel,
                location,
                arg,
                index,
            } => write!(
                f,
                "{location}: kernel `{kernel}`: store through read-only argument `{arg}` at index {index}"
            ),
            LaunchError::Assertion {
                kernel,
                location,
                message,
                program: [x, y, z],
            } => write!(
                f,
                "{location}: kernel `{kernel}`: device assertion failed in program ({x}, {y}, {z}): {message}"
            ),
        }
    }
}

impl std::error::Error for LaunchError {}
