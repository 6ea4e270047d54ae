//! persim backends: the Cranelift JIT and the runtime that launches kernels.
//!
//! Architecture invariant: each backend depends only on the IR and the mid-end
//! (`persim-lang`), never on another backend.

pub mod runtime;
pub mod spatial;

pub use runtime::{Arg, Element, Engine, Grid, LaunchError};
