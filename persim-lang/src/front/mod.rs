//! The frontend: a kernel's Rust syntax (syn AST) → kernel IR, with type and
//! shape inference. The same code runs in the proc macro (to check kernels at
//! `cargo build`), in build scripts and at launch (to specialize on constexpr
//! values).

pub mod diag;
pub mod source;

pub use diag::Diagnostic;
pub use source::{KernelSource, ParamKind, ParamSig};
