//! persim: Triton-style tile kernels in Rust. PLACEHOLDER facade (frontend/macro work owns this file).

pub use persim_backend::{Arg, Element, Engine, Grid, LaunchError};
pub use persim_lang::front::{Diagnostic, KernelSource, ParamKind, ParamSig};
pub use persim_lang::{front, ir, passes, target};
pub use persim_macros::*;
