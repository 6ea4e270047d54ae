//! persim backends: the Cranelift JIT and the runtime that launches kernels.
//!
//! - [`cranelift`]: lowered IR → native host code (128-bit SIMD where
//!   Cranelift has it, scalar lanes elsewhere), with the kernel ABI of
//!   [`abi`].
//! - [`runtime`]: [`Engine`] (launch API, argument validation, the
//!   compiled-kernel cache, grid launch on a rayon pool, checked mode).
//!
//! ```ignore
//! let engine = Engine::jit().checked(true);
//! engine.launch(&add::SOURCE, Grid::from(n.div_ceil(1024)), &[("BLOCK", 1024)],
//!               &mut [Arg::from(&x), Arg::from(&y), Arg::from(&mut out), Arg::from(n as i32)])?;
//! ```
//!
//! Memory safety: in checked mode every global access is validated before it
//! happens, so a kernel cannot touch memory outside its arguments' slices;
//! unchecked, an out-of-bounds access is undefined behaviour, as in Triton.
//!
//! Architecture invariant: each backend depends only on the IR and the mid-end
//! (`persim-lang`), never on another backend.

pub mod abi;
pub mod cranelift;
pub mod llvm;
pub mod runtime;
pub mod spatial;

pub use runtime::autotune::{self, Autotuner};
pub use runtime::{Arg, ArgValue, Backend, CompiledKernel, Element, Engine, Grid, LaunchError};
