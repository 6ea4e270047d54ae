//! Interpreter errors: each names the program instance, the op's source
//! location and what went wrong, never just "failed".

use std::fmt;

/// What went wrong.
#[derive(Clone, Debug, PartialEq)]
pub enum InterpErrorKind {
    /// A global load or store outside its argument's memory.
    OutOfBounds {
        /// The parameter's name.
        arg: String,
        /// Element index into the argument (may be negative).
        index: i64,
        /// The argument's length in elements.
        len: usize,
        store: bool,
    },
    /// A store through a pointer parameter not declared mutable.
    ReadOnly { arg: String },
    /// A `load`/`store` whose `arg` attribute names another parameter than
    /// the pointer actually derives from.
    Provenance { declared: String, actual: String },
    /// An unspecified value (local memory never written, such as a padded
    /// lane) decided something observable: `what` says what.
    Unspecified { what: String },
    /// A buffer access outside the buffer.
    BufferOutOfBounds { index: i64, lanes: u32, len: u32 },
    /// The arguments do not match the function's parameters.
    Arguments(String),
    /// The function cannot be interpreted as given (ill-formed IR, a `call`,
    /// a non-positive loop step, ...).
    Invalid(String),
    /// A `device_assert` failed.
    AssertionFailed { message: String },
    /// A hint (`assume`, `multiple_of`) the kernel promised does not hold:
    /// undefined behaviour, which compiled code need not notice.
    HintViolated(String),
}

/// An error from [`super::run_grid`] or [`super::run_program`].
#[derive(Clone, Debug, PartialEq)]
pub struct InterpError {
    pub kind: InterpErrorKind,
    /// `file:line:col` of the op (`Function::describe_loc`).
    pub location: String,
    /// The program instance that failed.
    pub program: [u32; 3],
}

impl fmt::Display for InterpErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InterpErrorKind::OutOfBounds {
                arg,
                index,
                len,
                store,
            } => write!(
                f,
                "{} out of bounds: index {index} of argument `{arg}` (length {len})",
                if *store { "store" } else { "load" }
            ),
            InterpErrorKind::ReadOnly { arg } => {
                write!(f, "store through read-only argument `{arg}`")
            }
            InterpErrorKind::Provenance { declared, actual } => write!(
                f,
                "pointer derives from argument `{actual}` but the op declares `{declared}`"
            ),
            InterpErrorKind::Unspecified { what } => {
                write!(
                    f,
                    "unspecified value (never-written local memory) used as {what}"
                )
            }
            InterpErrorKind::BufferOutOfBounds { index, lanes, len } => write!(
                f,
                "buffer access out of bounds: {} element(s) at index {index} of a buffer of {len}",
                (*lanes).max(1)
            ),
            InterpErrorKind::Arguments(m) => write!(f, "bad arguments: {m}"),
            InterpErrorKind::Invalid(m) => write!(f, "cannot interpret: {m}"),
            InterpErrorKind::AssertionFailed { message } => {
                write!(f, "device assertion failed: {message}")
            }
            InterpErrorKind::HintViolated(m) => write!(f, "hint violated: {m}"),
        }
    }
}

impl fmt::Display for InterpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [x, y, z] = self.program;
        write!(
            f,
            "{}: program ({x}, {y}, {z}): {}",
            self.location, self.kind
        )
    }
}

impl std::error::Error for InterpError {}
