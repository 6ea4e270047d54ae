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
//! cdiv expand_dims broadcast_to reshape trans sum max min dot`, and the
//! methods `.to::<T>()` and `.expand_dims(axis)`.
//!
//! Shapes, memory and unrolling, as Triton's (deviations in each family's
//! module doc): `cat(a, b)` (axis 0, or `cat(a, b, axis)`; order kept),
//! `join(a, b)`, `split(x)` taken apart with `let (a, b) = split(x);` (the
//! one place tuples exist, see `destructure`), `permute(x, [dims])`;
//! `for i in static_range(lo, hi, step)` unrolled with `i` a compile-time
//! constant (`unroll`); `atomic_add atomic_max atomic_min atomic_xchg`
//! `(ptrs, val, mask?)` and `atomic_cas(ptrs, cmp, val)`, returning the old
//! values; block pointers `make_block_ptr(base, shape, strides, offsets,
//! block_shape, order)`, `advance(bp, offsets)`, `load(bp, [0, 1],
//! Padding::Zero)` and `store(bp, value, [0, 1])`, frontend values that
//! expand to pointer tiles and boundary masks (`aggregate`,
//! `primitives::block_ptr`).

mod aggregate;
mod assigned;
mod broadcast;
mod consts;
mod control;
mod convert;
mod destructure;
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
mod unroll;
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
