//! The kernel library compiled ahead of time: safe wrappers around the C
//! entry points `build.rs` generates with the LLVM backend (one per line
//! of [`crate::aot_list::AOT_KERNELS`]). They need no JIT at run time: the
//! machine code is linked into this crate.
//!
//! Each wrapper takes the kernel's runtime parameters (pointer parameters
//! as slices) and a grid, and runs every program instance, spread over
//! [`default_threads`] scoped threads (`<name>_on` takes a thread count;
//! 1 runs on the calling thread). The same entry points are declared for C in
//! `<target dir>/<profile>/persim-kernels/persim_kernels.h` ([`AOT_DIR`]).

use std::fmt;

/// Where the build put the header, `.ll`, object and static library.
pub const AOT_DIR: &str = env!("PERSIM_KERNELS_AOT_DIR");

/// Why an ahead-of-time launch did not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AotError {
    /// A grid axis is zero.
    EmptyGrid,
    /// A null pointer with a nonzero length (cannot happen from slices).
    NullPointer,
    /// The instance's local memory could not be allocated.
    NoMemory,
    /// A code the entry points never return.
    Unknown(i32),
}

impl AotError {
    /// The C entry points' result codes (see the generated header).
    fn check(code: i32) -> Result<(), AotError> {
        match code {
            0 => Ok(()),
            -1 => Err(AotError::EmptyGrid),
            -2 => Err(AotError::NullPointer),
            -3 => Err(AotError::NoMemory),
            c => Err(AotError::Unknown(c)),
        }
    }
}

impl fmt::Display for AotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AotError::EmptyGrid => f.write_str("the grid has an axis of size zero"),
            AotError::NullPointer => f.write_str("a null pointer with a nonzero length"),
            AotError::NoMemory => f.write_str("local memory could not be allocated"),
            AotError::Unknown(c) => write!(f, "unknown result code {c}"),
        }
    }
}

impl std::error::Error for AotError {}

/// Threads the wrappers use: `PERSIM_AOT_THREADS` if set to a positive
/// number, else the machine's available parallelism.
pub fn default_threads() -> usize {
    std::env::var("PERSIM_AOT_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
}

fn programs(grid: [u32; 3]) -> u64 {
    grid.iter().map(|&g| u64::from(g)).product()
}

/// Split the grid's programs into `threads` contiguous ranges, run
/// `range(first, count)` for each on a scoped thread, and report the first
/// failure (each range validates and allocates on its own).
fn run_ranges(
    threads: usize,
    grid: [u32; 3],
    range: &(dyn Fn(u64, u64) -> i32 + Sync),
) -> Result<(), AotError> {
    let total = programs(grid);
    let parts = (threads as u64).min(total).max(1);
    let codes: Vec<i32> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..parts)
            .map(|i| {
                let (first, end) = (total * i / parts, total * (i + 1) / parts);
                s.spawn(move || range(first, end - first))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or(i32::MIN))
            .collect()
    });
    codes.into_iter().try_for_each(AotError::check)
}

include!(concat!(env!("OUT_DIR"), "/aot_wrappers.rs"));
