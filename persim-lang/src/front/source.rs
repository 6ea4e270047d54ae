//! What the `#[persim::kernel]` macro records about a kernel for run time.
//!
//! The macro checks the kernel at `cargo build` time and then emits a static
//! [`KernelSource`]: the kernel's tokens as text plus, for every token, its
//! line and column in the original file. At launch time the frontend parses
//! that text again with the constexpr values known and builds specialized IR;
//! the location table maps every span back to the user's file, so run-time
//! diagnostics point at the same `file:line:col` as build-time ones.
//!
//! `#[persim::func]` and `#[persim::custom_op]` record their items the same
//! way ([`FuncSource`], [`CustomOpSource`]). Calls are resolved by Rust, not
//! by a registry: for every call path in a body that is not a primitive,
//! the macro emits a reference to the item *through that path*, so rustc
//! resolves it in the caller's scope (imports, `crate::`/`super::` paths,
//! privacy) and reports an unknown name at the call. The reference lands in
//! the caller's [`Dep`] table, keyed by the path's text, where the
//! frontend finds the callee at launch.

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
    /// The device functions and custom ops the kernel calls, one entry per
    /// call path as written (see [`Dep`]).
    pub deps: &'static [Dep],
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

/// A `#[persim::func]` device function: its tokens, their positions and
/// its own callees, re-parsed at launch and specialized for the argument
/// types of each call.
#[derive(Debug)]
pub struct FuncSource {
    pub name: &'static str,
    pub file: &'static str,
    /// The function item's tokens, as text.
    pub text: &'static str,
    /// `(line, col)` of each token of `text`, as in [`KernelSource::locs`].
    pub locs: &'static [(u32, u32)],
    pub deps: &'static [Dep],
}

/// The address of a custom op's host reference, its real signature erased
/// (`extern "C" fn(params...) -> ret` as [`CustomOpSource`] declares it).
pub type HostFn = unsafe extern "C" fn();

/// A `#[persim::custom_op]`: an external elementwise op with a host
/// reference implementation and the symbol a kernel library links.
#[derive(Debug)]
pub struct CustomOpSource {
    /// The Rust name of the op (what kernels call).
    pub name: &'static str,
    /// The symbol of the implementation a kernel library links against.
    pub symbol: &'static str,
    /// Element types of the scalar signature `params -> ret`.
    pub params: &'static [Dtype],
    pub ret: Dtype,
    /// The host reference as an `extern "C"` function of the declared
    /// signature; the JIT calls it.
    pub host: HostFn,
    /// The same reference on bit patterns (each argument and the result
    /// zero-extended to 64 bits; floats as their IEEE bits), for the
    /// interpreter, which cannot call a signature it only knows at run time.
    pub eval: fn(&[u64]) -> u64,
    /// Where the op is declared, for diagnostics.
    pub file: &'static str,
    pub line: u32,
    pub col: u32,
}

/// What a call path names.
#[derive(Debug)]
pub enum CalleeSource {
    Func(FuncSource),
    Custom(CustomOpSource),
}

impl CalleeSource {
    pub fn name(&self) -> &'static str {
        match self {
            CalleeSource::Func(f) => f.name,
            CalleeSource::Custom(c) => c.name,
        }
    }
}

/// One callee of a kernel or device function: the call path as written
/// (its text, from [`path_key`]) and the record rustc resolved it to. A
/// function pointer rather than a reference, so device functions that call
/// each other (which the frontend reports as recursion) still compile.
#[derive(Clone, Copy)]
pub struct Dep {
    pub path: &'static str,
    pub callee: fn() -> &'static CalleeSource,
}

impl std::fmt::Debug for Dep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Dep({} -> {})", self.path, (self.callee)().name())
    }
}

/// Implemented by the marker type `#[persim::func]` and
/// `#[persim::custom_op]` declare next to each item (a type, so that it
/// lives in a namespace of its own beside the custom op's host function).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a persim device function or custom op",
    note = "kernels call primitives, `#[persim::func]` functions and `#[persim::custom_op]` ops"
)]
pub trait Callee {
    fn source() -> &'static CalleeSource;
}

/// The key of a call path in a [`Dep`] table: its segments joined by `::`
/// (a leading `::` kept), without generic arguments or spaces, so the macro
/// and the frontend agree whatever the spacing of the source.
pub fn path_key(path: &syn::Path) -> String {
    let mut key = String::new();
    if path.leading_colon.is_some() {
        key.push_str("::");
    }
    for (i, segment) in path.segments.iter().enumerate() {
        if i > 0 {
            key.push_str("::");
        }
        key.push_str(&segment.ident.to_string());
    }
    key
}
