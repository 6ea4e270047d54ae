//! The frontend: a kernel's Rust syntax (syn AST) → kernel IR, with type and
//! shape inference. The same code runs in the proc macro (to check kernels at
//! `cargo build`), in build scripts and at launch (to specialize on constexpr
//! values).

pub mod diag;
pub mod source;

pub use diag::Diagnostic;
pub use source::{KernelSource, ParamKind, ParamSig};

/// PLACEHOLDER (frontend work, issue 2): parse `src.text`, bind constexprs and
/// build the kernel's IR.
pub fn specialize(
    src: &KernelSource,
    consts: &[(&str, i64)],
) -> Result<crate::ir::Function, Diagnostic> {
    let _ = consts;
    Err(Diagnostic::new(
        proc_macro2::Span::call_site(),
        format!("frontend not implemented for `{}`", src.name),
    ))
}
