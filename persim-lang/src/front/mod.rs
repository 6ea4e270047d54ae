//! The frontend: a kernel's Rust syntax (syn AST) → kernel IR, with type and
//! shape inference. The same code runs in the proc macro (to check kernels at
//! `cargo build`), in build scripts and tests, and at launch (to specialize
//! on constexpr values):
//!
//! - [`check`]: constexprs unknown. Element types and ranks are always known
//!   and fully checked; a dimension that depends on a constexpr is unknown,
//!   and shape checks involving it are deferred to launch. An `if` on a
//!   constexpr checks both branches.
//! - [`build`]: constexprs known; builds the IR, every op with its `Loc`.
//! - [`specialize`]: [`build`] from a macro-recorded [`KernelSource`],
//!   mapping every span back to the user's file.
//!
//! # The language
//!
//! Parameters are `*const T`, `*mut T`, scalars (`bool i8 i16 i32 i64 u8 u16
//! u32 u64 f16 bf16 f32 f64`) and `#[constexpr] NAME: i32` (or `i64`, `u32`,
//! `bool`). Statements: `let` (optionally `let x: T`, naming the element
//! type), `let mut`, `=` and `op=`, shadowing, blocks, `if`/`else` (also as an
//! expression), `for i in lo..hi` and `for i in (lo..hi).step_by(s)`,
//! `while cond`. A runtime condition or bound becomes IR control flow; an
//! `if` on a compile-time condition keeps only the branch taken.
//!
//! Operators follow NumPy broadcasting and Triton's type promotion (see
//! [`promote`]); unsuffixed literals are weak. Integer `/` and `%` have C
//! semantics. The primitives are listed in one table
//! (`primitives::PRIMITIVES`): `program_id num_programs arange zeros
//! zeros_like full cast load store exp log sqrt abs maximum minimum where_
//! cdiv exp2 log2 rsqrt erf sin cos floor ceil sigmoid clamp fma umulhi
//! expand_dims broadcast_to reshape trans sum max min argmax argmin cumsum
//! cumprod dot`, the hints `multiple_of max_contiguous assume`, the checks
//! `static_assert device_assert` and `device_print`, and the methods
//! `.to::<T>()` and `.expand_dims(axis)`.
//!
//! Where Rust needs a spelling of its own: `cumsum(x, axis, true)` is
//! Triton's `cumsum(x, axis, reverse=True)` (the flag is a compile-time
//! `bool`); `argmax`/`argmin` always break ties to the first index
//! (Triton's `tie_break_left=True`); `static_assert`/`device_assert` take
//! an optional string-literal message and `device_print` a string-literal
//! prefix. The module docs of each family (`primitives::math_more`,
//! `primitives::hints`, `primitives::debug`, `primitives::scan`) state the
//! semantics and every difference from Triton.

mod assigned;
mod broadcast;
mod consts;
mod control;
mod convert;
pub mod diag;
mod dtype_syntax;
mod expr;
mod kernel;
mod literal;
mod lowerer;
mod numeric;
mod operators;
mod primitives;
pub mod promote;
mod scope;
pub mod signature;
pub mod source;
pub mod srcmap;
mod stmt;
mod suggest;
pub mod ty;
mod value;

pub use diag::Diagnostic;
pub use signature::{parse_signature, ParamInfo};
pub use source::{KernelSource, ParamKind, ParamSig};
pub use srcmap::{SourceMap, TokenPositions};

use crate::ir::Function;
use proc_macro2::Span;

/// Check a kernel with its constexprs unknown (what the macro does at
/// `cargo build`). Returns the parameters, or every error found: all
/// signature errors, else the first error of the body.
pub fn check(item: &syn::ItemFn) -> Result<Vec<ParamInfo>, Vec<Diagnostic>> {
    let (params, errors) = parse_signature(item);
    if !errors.is_empty() {
        return Err(errors);
    }
    kernel::lower_kernel(item, &params, None, None).map_err(|d| vec![d])?;
    Ok(params)
}

/// Build the IR of a kernel with every constexpr known. `locate` gives a
/// span's 1-based `(line, col)` in `file`; ops carry it as their `Loc`, and
/// the error, if any, as `location: "file:line:col"`.
pub fn build(
    item: &syn::ItemFn,
    consts: &[(&str, i64)],
    locate: &dyn Fn(Span) -> Option<(u32, u32)>,
    file: &str,
) -> Result<Function, Diagnostic> {
    let map = SourceMap::new(file, locate);
    let located = |d: Diagnostic| {
        let location = d.location.clone().or_else(|| map.describe(d.span));
        Diagnostic { location, ..d }
    };
    let (params, errors) = parse_signature(item);
    if let Some(first) = errors.into_iter().next() {
        return Err(located(first));
    }
    let name = item.sig.ident.to_string();
    let consts = consts::bind_constexprs(&name, &params, consts, kernel::name_span(item))
        .map_err(located)?;
    let func = kernel::lower_kernel(item, &params, Some(consts), Some(&map))?;
    func.ok_or_else(|| {
        located(lowerer::internal(
            kernel::name_span(item),
            "no function was built",
        ))
    })
}

/// Re-parse a kernel recorded by `#[persim::kernel]` and build its IR for
/// these constexpr values. Errors carry the `file:line:col` of the offending
/// token in the user's source.
pub fn specialize(src: &KernelSource, consts: &[(&str, i64)]) -> Result<Function, Diagnostic> {
    let fail = |message: String| Diagnostic {
        message,
        span: Span::call_site(),
        location: src
            .locs
            .first()
            .map(|(l, c)| format!("{}:{l}:{c}", src.file)),
    };
    let tokens: proc_macro2::TokenStream = src.text.parse().map_err(|e| {
        fail(format!(
            "kernel `{}`: cannot tokenize the recorded source: {e}",
            src.name
        ))
    })?;
    let positions = TokenPositions::new(&tokens, src.locs);
    let item: syn::ItemFn = syn::parse2(tokens).map_err(|e| {
        fail(format!(
            "kernel `{}`: cannot parse the recorded source: {e}",
            src.name
        ))
    })?;
    build(&item, consts, &|span| positions.locate(span), src.file)
}
