//! persim backends: the Cranelift JIT and the runtime that launches kernels.
//!
//! Architecture invariant: each backend depends only on the IR and the mid-end
//! (`persim-lang`), never on another backend.

pub mod abi;
pub mod cranelift;
pub mod runtime;

pub use runtime::{Arg, CompiledKernel, Element, Engine, Grid, LaunchError};
