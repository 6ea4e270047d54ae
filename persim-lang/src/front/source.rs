//! What the `#[persim::kernel]` macro records about a kernel for run time.
//!
//! The macro checks the kernel at `cargo build` time and then emits a static
//! [`KernelSource`]: the kernel's tokens as text plus, for every token, its
//! line and column in the original file. At launch time the frontend parses
//! that text again with the constexpr values known and builds specialized IR;
//! the location table maps every span back to the user's file, so run-time
//! diagnostics point at the same `file:line:col` as build-time ones.

use crate::ir::Dtype;

/// How a kernel parameter is passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamKind {
    /// `*const T` (`mutable == false`) or `*mut T`: a slice at launch.
    Ptr { dtype: Dtype, mutable: bool },
    /// A scalar passed by value.
    Scalar(Dtype),
    /// A `#[constexpr]` integer (or `bool`) that specializes the kernel.
    Constexpr(Dtype),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParamSig {
    pub name: &'static str,
    pub kind: ParamKind,
}

/// Everything the runtime needs to specialize and launch a kernel.
#[derive(Debug)]
pub struct KernelSource {
    pub name: &'static str,
    /// The file the kernel was written in, as `file!()` gives it.
    pub file: &'static str,
    /// The kernel item's tokens, as text.
    pub text: &'static str,
    /// `(line, col)` in `file` of each token of `text` (both 1-based), in the
    /// order [`token_starts`](super::srcmap::token_starts) walks tokens:
    /// depth first, a delimited group as open delimiter, contents, close
    /// delimiter.
    pub locs: &'static [(u32, u32)],
    pub params: &'static [ParamSig],
}

impl KernelSource {
    /// Parameters passed at launch (everything but constexprs), in order.
    pub fn runtime_params(&self) -> impl Iterator<Item = &ParamSig> {
        self.params
            .iter()
            .filter(|p| !matches!(p.kind, ParamKind::Constexpr(_)))
    }

    pub fn constexpr_params(&self) -> impl Iterator<Item = &ParamSig> {
        self.params
            .iter()
            .filter(|p| matches!(p.kind, ParamKind::Constexpr(_)))
    }
}
