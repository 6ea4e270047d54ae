//! Reductions and scans with a user combine function:
//! `reduce(x, axis, combine)` and `associative_scan(x, axis, combine,
//! reverse?)`, as Triton's `tl.reduce` and `tl.associative_scan`.
//!
//! `combine` is the Rust path of a `#[persim::func]` of scalars. `x` is a
//! tile, or a tuple of tiles of one shape, `(v, i)`: for `k` tiles the
//! combine function takes `2k` scalars — the `k` values of the left
//! operand, then the `k` of the right (Triton's convention, e.g.
//! `fn argmax_combine(v0: f32, i0: i32, v1: f32, i1: i32) -> (f32, i32)`)
//! — and returns the `k` combined scalars, of the tiles' element types.
//! The results have the tiles' types (without `axis` for `reduce`); a
//! tuple for `k > 1`, taken apart with `let (v, i) = reduce((v, i), 0, f);`.
//! `reverse` is a compile-time `bool` (default `false`), as for `cumsum`.
//!
//! The op is `reduce_with`/`scan_with`, whose combine region holds a call
//! of the function's specialization for those scalars; the module inliner
//! inlines it like any call (see `ARCHITECTURE.md`).
//!
//! Semantics and differences from Triton:
//! - Order: the interpreter combines sequentially (a scan's running value
//!   is always the left operand, so a scan needs only associativity, as in
//!   Triton; a reverse scan combines from the end). A reduction's order is
//!   unspecified — along the innermost axis the lowering folds lane-strided
//!   partial results — so a reduction's combine function should be
//!   associative and commutative (Triton's tree reduction needs the same),
//!   and float results may differ from a sequential fold by rounding.
//! - The combine function computes on scalars with arithmetic, comparisons,
//!   `where_` and casts; control flow (`if`, loops), memory and other tile
//!   primitives are refused (Triton allows more, but its combine functions
//!   are in practice elementwise too).
//! - No `keep_dims` (use `expand_dims` on the result) and no `axis=None`.
//! - Integers narrower than 32 bits are not widened (unlike `sum`): the
//!   combine function sees the tiles' own element types.
//!
//! Checked at `cargo build` (by rustc, through a shadow call of the
//! function on `2k` scalars of the element types, at the combine path): an
//! unknown function, the wrong number of parameters, parameter types that
//! do not fit, a path that is not a `#[persim::func]`. At launch: the
//! result types, and everything else the specialization checks.

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::{internal, Lowerer};
use crate::front::module::Calls;
use crate::front::shadow::{CallShadow, ShadowArg};
use crate::front::source::{path_key, CalleeSource};
use crate::front::ty::{Dim, Dims, TileTy};
use crate::front::value::{Provenance, Val};
use crate::ir::{Attr, Attrs, Dtype, Elem, Opcode};
use proc_macro2::Span;
use syn::spanned::Spanned;

pub fn reduce(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    combine(cx, site, Opcode::ReduceWith)
}

pub fn associative_scan(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    combine(cx, site, Opcode::ScanWith)
}

fn combine(cx: &mut Lowerer, site: &CallSite, opcode: Opcode) -> Result<Option<Val>, Diagnostic> {
    let name = site.name.as_str();
    let inputs = tiles(cx, site.args[0], name)?;
    let rank = inputs[0].ty.rank();
    let axis = cx.axis_arg(site.args[1], rank, 0)?;
    let path = combine_path(site.args[2], name)?;
    let span = path
        .segments
        .last()
        .map_or_else(|| path.span(), |s| s.ident.span());
    let reverse = match site.args.get(3) {
        Some(e) => cx.compile_time_bool(e, "the `reverse` flag")?,
        None => Some(false),
    };
    let elems: Vec<Dtype> = inputs.iter().filter_map(Val::dtype).collect();
    let region = match cx.calls {
        Some(calls) => Some(combine_region(cx, calls, path, &elems, span)?),
        None if cx.deferring => {
            record_shadow(cx, site.args[2], path, &elems);
            None
        }
        None => {
            return Err(Diagnostic::new(
                span,
                format!(
                    "cannot resolve `{}`: combine functions are resolved through the records `#[persim::kernel]` and `#[persim::func]` make, and this function was built without them",
                    path_key(path)
                ),
            ))
        }
    };
    let result_tys: Vec<TileTy> = inputs
        .iter()
        .map(|v| match (opcode, axis) {
            (Opcode::ScanWith, _) => v.ty.clone(),
            (_, Some(a)) => {
                let dims: Dims =
                    v.ty.dims
                        .iter()
                        .enumerate()
                        .filter(|&(i, _)| i != a)
                        .map(|(_, d)| *d)
                        .collect();
                v.ty.with_dims(&dims)
            }
            (_, None) => {
                let dims: Dims = std::iter::repeat_n(Dim::Unknown, rank - 1).collect();
                v.ty.with_dims(&dims)
            }
        })
        .collect();
    let mut attrs = Attrs::new().with("axis", Attr::Int(axis.unwrap_or(0) as i64));
    if opcode == Opcode::ScanWith {
        attrs = attrs.with("reverse", Attr::Bool(reverse.unwrap_or(false)));
    }
    let mut operands = Vec::with_capacity(inputs.len());
    for v in &inputs {
        operands.extend(cx.materialize(v)?);
    }
    let regions: Vec<_> = region.flatten().into_iter().collect();
    let op = if cx.is_building() {
        cx.emit_op(site.span, opcode, &operands, attrs, &regions, None)?
    } else {
        None
    };
    let built = cx.op_results(op);
    let mut results: Vec<Val> = result_tys
        .into_iter()
        .enumerate()
        .map(|(i, ty)| {
            let value = built.get(i).copied().flatten();
            let ir_ty = cx.func.as_ref().zip(value).map(|(f, v)| f.ty(v).clone());
            if cx.is_building() && ir_ty != ty.to_ir() {
                return Err(internal(site.span, "combine op result types"));
            }
            Ok(Val::dynamic(ty, value, Provenance::none(), site.span))
        })
        .collect::<Result<_, _>>()?;
    Ok(Some(if results.len() == 1 {
        results.remove(0)
    } else {
        Val::tuple(results, site.span)
    }))
}

/// The tiles `x` names: one tile, or a tuple of tiles of one shape.
fn tiles(cx: &mut Lowerer, e: &syn::Expr, name: &str) -> Result<Vec<Val>, Diagnostic> {
    let items = match e {
        syn::Expr::Tuple(t) => t
            .elems
            .iter()
            .map(|e| cx.lower_value(e))
            .collect::<Result<Vec<_>, _>>()?,
        e => {
            let v = cx.lower_value(e)?;
            match v.as_tuple() {
                Some(items) => items.to_vec(),
                None => vec![v],
            }
        }
    };
    let Some(first) = items.first() else {
        return Err(Diagnostic::new(
            e.span(),
            format!("`{name}` needs at least one tile"),
        ));
    };
    let first_ty = first.ty.clone();
    for v in &items {
        if v.is_aggregate() || v.dtype().is_none() {
            return Err(Diagnostic::new(
                v.span,
                format!("`{name}` combines tiles of data, found `{}`", v.ty),
            ));
        }
        if v.ty.is_scalar() {
            return Err(Diagnostic::new(
                v.span,
                format!(
                    "`{name}` combines a tile along an axis, found the scalar type `{}`",
                    v.ty
                ),
            ));
        }
        let same = v.ty.rank() == first_ty.rank()
            && v.ty
                .dims
                .iter()
                .zip(&first_ty.dims)
                .all(|(a, b)| a.known().zip(b.known()).is_none_or(|(a, b)| a == b));
        if !same {
            return Err(Diagnostic::new(
                v.span,
                format!(
                    "mismatched shapes: `{name}` combines tiles of one shape, but the first is `{first_ty}` and this one `{}`",
                    v.ty
                ),
            ));
        }
    }
    Ok(items)
}

/// The combine argument: the path of a device function.
fn combine_path<'e>(e: &'e syn::Expr, name: &str) -> Result<&'e syn::Path, Diagnostic> {
    let syn::Expr::Path(p) = e else {
        return Err(Diagnostic::new(
            e.span(),
            format!("the combine function of `{name}` must be the name (or path) of a `#[persim::func]` device function"),
        ));
    };
    let path = &p.path;
    if p.qself.is_some() || path.segments.iter().any(|s| !s.arguments.is_none()) {
        return Err(Diagnostic::new(
            e.span(),
            "a combine function is named without type arguments: element types come from the tiles",
        ));
    }
    if let [only] = &path.segments.iter().collect::<Vec<_>>()[..] {
        let ident = only.ident.to_string();
        if path.leading_colon.is_none() && super::lookup(&ident).is_some() {
            return Err(Diagnostic::new(
                only.ident.span(),
                format!(
                    "`{ident}` is a primitive, not a device function: write a `#[persim::func]` of two scalars (e.g. `fn combine(a: f32, b: f32) -> f32 {{ {ident}(a, b) }}`) and pass its name"
                ),
            ));
        }
    }
    Ok(path)
}

/// Build time: let rustc check `path` against `2k` scalars of the element
/// types and that it is a device function.
fn record_shadow(cx: &mut Lowerer, e: &syn::Expr, path: &syn::Path, elems: &[Dtype]) {
    let span = path.span();
    let scalars = elems.iter().chain(elems).map(|&d| {
        (
            ShadowArg::Scalar {
                elem: Elem::Val(d),
                mutable: false,
            },
            span,
        )
    });
    let shadow = CallShadow {
        path: path.clone(),
        paren: span,
        args: scalars.collect(),
        combine: true,
    };
    let node = e as *const syn::Expr as usize;
    match cx.shadow_nodes.iter().position(|&n| n == node) {
        Some(i) => cx.shadows[i] = shadow,
        None => {
            cx.shadow_nodes.push(node);
            cx.shadows.push(shadow);
        }
    }
}

/// Launch: the combine region — `2k` scalar arguments, a call of the
/// function's specialization, `yield` of its results — checked to return
/// the element types. `None` while not building IR.
fn combine_region(
    cx: &mut Lowerer,
    calls: Calls,
    path: &syn::Path,
    elems: &[Dtype],
    span: Span,
) -> Result<Option<crate::ir::Block>, Diagnostic> {
    let key = path_key(path);
    let Some(dep) = calls.deps.iter().find(|d| d.path == key) else {
        return Err(internal(
            span,
            &format!("no dependency recorded for the combine path `{key}`"),
        ));
    };
    let parsed = match (dep.callee)() {
        CalleeSource::Func(src) => calls.module.borrow_mut().parse(src)?,
        CalleeSource::Custom(op) => {
            return Err(Diagnostic::new(
                span,
                format!(
                    "`{}` is a custom op, not a device function: a combine function must be a `#[persim::func]`",
                    op.name
                ),
            ))
        }
    };
    let sig = &parsed.sig;
    let k = elems.len();
    let types: Vec<&str> = elems
        .iter()
        .map(|&d| crate::front::dtype_syntax::source_name(d))
        .collect();
    let wanted = format!("({})", types.join(", "));
    if sig.params.len() != 2 * k {
        let tiles = if k == 1 {
            "1 tile".to_string()
        } else {
            format!("a tuple of {k} tiles")
        };
        return Err(Diagnostic::new(
            span,
            format!(
                "`{}` takes {} parameters (`{}`), but combining {tiles} of {wanted} needs {}: the left operand's {k} then the right operand's",
                sig.name,
                sig.params.len(),
                sig.describe(),
                2 * k
            ),
        ));
    }
    let block = cx.new_block();
    let mut args = Vec::with_capacity(2 * k);
    for &d in elems.iter().chain(elems) {
        let ty = TileTy::scalar(d);
        let v = cx.add_block_arg(block, &ty, span)?;
        args.push(Some(Val::dynamic(ty, v, Provenance::none(), span)));
    }
    let outer = cx.block;
    cx.block = block;
    let body = (|| {
        let outs = cx.call_specialized(calls, &parsed, args, vec![None; 2 * k], span)?;
        let got: Vec<String> = outs.iter().map(|v| v.ty.to_string()).collect();
        let matches = outs.len() == k
            && outs
                .iter()
                .zip(elems)
                .all(|(v, &d)| v.ty == TileTy::scalar(d));
        if !matches {
            return Err(Diagnostic::new(
                span,
                format!(
                    "`{}` returns ({}), but a combine function must return the combined {wanted}",
                    sig.name,
                    got.join(", ")
                ),
            ));
        }
        let mut values = Vec::with_capacity(k);
        for v in &outs {
            values.extend(cx.materialize(v)?);
        }
        cx.emit_op(span, Opcode::Yield, &values, Attrs::new(), &[], None)?;
        Ok(())
    })();
    cx.block = outer;
    body.map_err(|d| cx.locate(d))?;
    Ok(cx.is_building().then_some(block))
}
