//! The frontend: a kernel's Rust syntax (syn AST) → kernel IR, with type and
//! shape inference. The same code runs in the proc macro (to check kernels at
//! `cargo build`), in build scripts and tests, and at launch (to specialize
//! on constexpr values):
//!
//! - [`check`] / [`check_kernel`]: constexprs unknown. Element types and
//!   ranks are always known and fully checked; a dimension that depends on
//!   a constexpr is unknown, and shape checks involving it are deferred to
//!   launch. An `if` on a constexpr checks both branches. Values only known
//!   at launch (results of device functions and custom ops) are deferred:
//!   statements using them are typed at launch.
//! - [`check_func`] / [`check_custom_op`]: the same for `#[persim::func]`
//!   device functions and `#[persim::custom_op]` ops.
//! - [`build`]: constexprs known; builds the IR of a kernel without calls,
//!   every op with its `Loc`.
//! - [`specialize`]: from a macro-recorded [`KernelSource`], the kernel and
//!   one specialization of each device function it calls per argument
//!   types, as a [`Module`], mapping every span back to the user's file
//!   (`specialize_inlined`: the same, inlined).
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
//! cumprod reduce associative_scan dot`, the hints `multiple_of max_contiguous assume`, the checks
//! `static_assert device_assert` and `device_print`, and the methods
//! `.to::<T>()` and `.expand_dims(axis)`.
//!
//! Where Rust needs a spelling of its own: `cumsum(x, axis, true)` is
//! Triton's `cumsum(x, axis, reverse=True)` (the flag is a compile-time
//! `bool`); `argmax`/`argmin` always break ties to the first index
//! (Triton's `tie_break_left=True`); `static_assert`/`device_assert` take
//! an optional string-literal message and `device_print` a string-literal
//! prefix. `reduce(x, axis, combine)` and `associative_scan(x, axis,
//! combine, reverse?)` take the path of a `#[persim::func]` of scalars as
//! the combine function, and `x` a tile or a tuple of tiles `(v, i)`
//! (`primitives::combine_fn`). The module docs of each family
//! (`primitives::math_more`, `primitives::hints`, `primitives::debug`,
//! `primitives::scan`, `primitives::combine_fn`) state the semantics and
//! every difference from Triton.
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
//!
//! Any other call names a device function or custom op by its Rust path
//! (`silu(x)`, `act::gelu(x)`); see `ARCHITECTURE.md`, "Device functions
//! and custom ops". Device functions take and return `Tile<E>` (any rank),
//! `Tile<E, RANK>`, scalars and pointers (see [`func_sig`]), `#[constexpr]`
//! values, may be generic over element types, and return several values as
//! a tuple, bound with `let (a, b) = f(..);`. Custom ops are scalar Rust
//! functions applied elementwise (see [`custom_sig`]).

mod aggregate;
mod assigned;
mod broadcast;
mod calls;
mod consts;
mod control;
mod convert;
pub mod custom_sig;
mod destructure;
mod device;
pub mod diag;
mod dtype_syntax;
mod expr;
pub mod func_sig;
mod kernel;
mod literal;
mod lowerer;
mod module;
mod numeric;
mod operators;
mod primitives;
pub mod promote;
mod scope;
pub mod shadow;
pub mod signature;
pub mod source;
pub mod srcmap;
mod stmt;
mod suggest;
mod syntax;
pub mod ty;
mod unroll;
mod value;

pub use custom_sig::{parse_custom_sig, CustomSig};
pub use diag::Diagnostic;
pub use func_sig::{parse_func_sig, FuncSig};
pub use shadow::{CallShadow, ShadowArg};
pub use signature::{parse_signature, ParamInfo};
pub use source::{
    path_key, Callee, CalleeSource, CustomOpSource, Dep, FuncSource, HostFn, KernelSource,
    ParamKind, ParamSig,
};
pub use srcmap::{SourceMap, TokenPositions};

use crate::ir::{Function, Module};
use module::{Calls, ModuleState};
use proc_macro2::Span;
use std::cell::RefCell;
use syn::spanned::Spanned;

/// What the build-time check of a kernel found.
#[derive(Debug)]
pub struct CheckedKernel {
    pub params: Vec<ParamInfo>,
    /// The calls of device functions and custom ops, for rustc to check
    /// against their signatures (see [`shadow`]).
    pub calls: Vec<CallShadow>,
}

/// Check a kernel with its constexprs unknown (what the macro does at
/// `cargo build`). Returns the parameters, or every error found: all
/// signature errors, else the first error of the body.
pub fn check(item: &syn::ItemFn) -> Result<Vec<ParamInfo>, Vec<Diagnostic>> {
    check_kernel(item).map(|c| c.params)
}

/// [`check`], also returning the calls of device functions and custom ops.
pub fn check_kernel(item: &syn::ItemFn) -> Result<CheckedKernel, Vec<Diagnostic>> {
    let (params, errors) = parse_signature(item);
    if !errors.is_empty() {
        return Err(errors);
    }
    let lowered = kernel::lower_kernel(item, &params, None, None, None).map_err(|d| vec![d])?;
    Ok(CheckedKernel {
        params,
        calls: lowered.shadows,
    })
}

/// What the build-time check of a device function found.
#[derive(Debug)]
pub struct CheckedFunc {
    pub sig: FuncSig,
    pub calls: Vec<CallShadow>,
}

/// Check a `#[persim::func]` device function at `cargo build`: its
/// signature, then its body under that signature (what depends on the
/// callers' types is deferred to launch; see `device.rs`). Direct
/// recursion through the function's own name is reported here, at the
/// call; other recursion at launch.
pub fn check_func(item: &syn::ItemFn) -> Result<CheckedFunc, Vec<Diagnostic>> {
    let (sig, errors) = parse_func_sig(item);
    if !errors.is_empty() {
        return Err(errors);
    }
    let bindings: Vec<_> = sig
        .params
        .iter()
        .map(|p| device::check_binding(&p.kind))
        .collect();
    let lowered =
        device::lower_device(item, &sig, &bindings, &[], None, None).map_err(|d| vec![d])?;
    if let Some(call) = lowered
        .shadows
        .iter()
        .find(|c| c.path.get_ident().is_some_and(|i| *i == sig.name))
    {
        return Err(vec![Diagnostic::new(
            call.path.span(),
            format!(
                "recursive call: `{}` calls itself; device functions are inlined into their callers, so they cannot recurse",
                sig.name
            ),
        )]);
    }
    Ok(CheckedFunc {
        sig,
        calls: lowered.shadows,
    })
}

/// Check a `#[persim::custom_op]`'s host reference signature.
pub fn check_custom_op(item: &syn::ItemFn) -> Result<CustomSig, Vec<Diagnostic>> {
    parse_custom_sig(item)
}

/// Build the IR of a kernel that calls no device function or custom op,
/// with every constexpr known. `locate` gives a span's 1-based
/// `(line, col)` in `file`; ops carry it as their `Loc`, and the error, if
/// any, as `location: "file:line:col"`. Kernels with calls need the records
/// the macros make: [`specialize`].
pub fn build(
    item: &syn::ItemFn,
    consts: &[(&str, i64)],
    locate: &dyn Fn(Span) -> Option<(u32, u32)>,
    file: &str,
) -> Result<Function, Diagnostic> {
    let module = build_module(item, consts, locate, file, None)?;
    let mut funcs = module.funcs;
    Ok(funcs.swap_remove(0))
}

/// The kernel (first) and the device function specializations it calls.
fn build_module(
    item: &syn::ItemFn,
    consts: &[(&str, i64)],
    locate: &dyn Fn(Span) -> Option<(u32, u32)>,
    file: &str,
    deps: Option<&'static [Dep]>,
) -> Result<Module, Diagnostic> {
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
    let state = RefCell::new(ModuleState::default());
    let calls = deps.map(|deps| Calls {
        deps,
        module: &state,
    });
    let lowered = kernel::lower_kernel(item, &params, Some(consts), Some(&map), calls)?;
    let kernel = lowered.func.ok_or_else(|| {
        located(lowerer::internal(
            kernel::name_span(item),
            "no function was built",
        ))
    })?;
    let mut funcs = vec![kernel];
    funcs.extend(state.into_inner().funcs);
    Ok(Module { funcs })
}

/// Re-parse a kernel recorded by `#[persim::kernel]` and build its IR for
/// these constexpr values: a module holding the kernel (first, named as
/// the kernel) and a specialization of each device function it calls,
/// reached through `call` ops (`passes::inline` inlines them). Errors
/// carry the `file:line:col` of the offending token in the user's source
/// (in a device function's file for errors inside one).
pub fn specialize(src: &KernelSource, consts: &[(&str, i64)]) -> Result<Module, Diagnostic> {
    let fail = |message: String| {
        let mut d = Diagnostic::new(Span::call_site(), message);
        d.location = src
            .locs
            .first()
            .map(|(l, c)| format!("{}:{l}:{c}", src.file));
        d
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
    build_module(
        &item,
        consts,
        &|span| positions.locate(span),
        src.file,
        Some(src.deps),
    )
}

/// [`specialize`], then every call inlined: the call-free kernel the
/// per-function mid-end pipeline starts from.
pub fn specialize_inlined(
    src: &KernelSource,
    consts: &[(&str, i64)],
) -> Result<Function, Diagnostic> {
    let mut module = specialize(src, consts)?;
    crate::passes::inline_calls(&mut module, &crate::passes::InlineOptions::ALL).map_err(|e| {
        let mut d = Diagnostic::new(Span::call_site(), e.message);
        d.location = Some(e.location);
        d
    })?;
    module
        .take(src.name)
        .ok_or_else(|| Diagnostic::new(Span::call_site(), "the module lost its kernel"))
}

/// Every custom op a kernel may call, directly or through device
/// functions: what a backend must be able to call.
pub fn custom_ops(src: &KernelSource) -> Vec<&'static CustomOpSource> {
    let mut ops: Vec<&'static CustomOpSource> = Vec::new();
    let mut seen: Vec<*const FuncSource> = Vec::new();
    let mut work: Vec<&'static [Dep]> = vec![src.deps];
    while let Some(deps) = work.pop() {
        for dep in deps {
            match (dep.callee)() {
                CalleeSource::Custom(op) => {
                    if !ops.iter().any(|o| std::ptr::eq(*o, op)) {
                        ops.push(op);
                    }
                }
                CalleeSource::Func(f) => {
                    if !seen.contains(&(f as *const FuncSource)) {
                        seen.push(f);
                        work.push(f.deps);
                    }
                }
            }
        }
    }
    ops
}
