//! Shape manipulation: `expand_dims`, `broadcast_to`, `reshape`, `trans`,
//! `permute`, `cat`, `join`, `split`.

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::{dims_attr, Lowerer};
use crate::front::promote::{promote, Side};
use crate::front::ty::{dims_to_string, Dim, Dims};
use crate::front::value::Val;
use crate::ir::{Attr, Attrs, Opcode};
use syn::spanned::Spanned;

pub fn expand_dims(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    expand(cx, x, site.args[1], site).map(Some)
}

/// `x.expand_dims(axis)`, persim's `x[:, None]`.
pub fn expand_dims_method(cx: &mut Lowerer, x: Val, site: &CallSite) -> Result<Val, Diagnostic> {
    expand(cx, x, site.args[0], site)
}

fn expand(cx: &mut Lowerer, x: Val, axis: &syn::Expr, site: &CallSite) -> Result<Val, Diagnostic> {
    let rank = x.ty.rank();
    let axis = cx.axis_arg(axis, rank, 1)?;
    let dims: Dims = match axis {
        Some(a) => {
            let mut d = x.ty.dims.clone();
            d.insert(a, Dim::Known(1));
            d
        }
        None => std::iter::repeat_n(Dim::Unknown, rank + 1).collect(),
    };
    let attrs = Attrs::new().with("axis", Attr::Int(axis.unwrap_or(0) as i64));
    let ty = x.ty.with_dims(&dims);
    let prov = x.prov.clone();
    cx.emit(site.span, Opcode::ExpandDims, &[&x], attrs, ty, prov)
}

pub fn broadcast_to(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    let dims = cx.shape_arg(site.args[1])?;
    cx.broadcast_to(x, &dims, site.span, "the tile").map(Some)
}

pub fn reshape(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    let dims = cx.shape_arg(site.args[1])?;
    let numel = |d: &[Dim]| {
        d.iter()
            .map(|d| d.known().map(u64::from))
            .product::<Option<u64>>()
    };
    if let (Some(from), Some(to)) = (numel(&x.ty.dims), numel(&dims)) {
        if from != to {
            return Err(Diagnostic::new(
                site.span,
                format!(
                    "cannot reshape `{}` ({from} elements) to {} ({to} elements)",
                    x.ty,
                    dims_to_string(&dims)
                ),
            ));
        }
    }
    if x.ty.dims == dims {
        return Ok(Some(x));
    }
    let attrs = Attrs::new().with("shape", dims_attr(&dims));
    let ty = x.ty.with_dims(&dims);
    let prov = x.prov.clone();
    cx.emit(site.span, Opcode::Reshape, &[&x], attrs, ty, prov)
        .map(Some)
}

/// `trans(x)` swaps the two dimensions of a 2-D tile; `trans(x, [perm])`
/// permutes any rank: result dimension `i` is source dimension `perm[i]`.
pub fn trans(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    transpose(cx, site, site.args.get(1).copied())
}

/// `permute(x, [dims])`: Triton's `permute`, result dimension `i` is source
/// dimension `dims[i]` (the IR's `trans`).
pub fn permute(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    transpose(cx, site, Some(site.args[1]))
}

fn transpose(
    cx: &mut Lowerer,
    site: &CallSite,
    perm: Option<&syn::Expr>,
) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    let rank = x.ty.rank();
    let perm: Vec<Option<usize>> = match perm {
        None if rank == 2 => vec![Some(1), Some(0)],
        None => {
            return Err(Diagnostic::new(
                site.span,
                format!(
                    "`trans(x)` needs a 2-D tile, found `{}`; give a permutation: `trans(x, [..])`",
                    x.ty
                ),
            ))
        }
        Some(e) => permutation(cx, e, rank)?,
    };
    let dims: Dims = perm
        .iter()
        .map(|p| p.map_or(Dim::Unknown, |p| x.ty.dims[p]))
        .collect();
    let ints = perm.iter().map(|p| p.map_or(-1, |p| p as i64)).collect();
    let attrs = Attrs::new().with("perm", Attr::Ints(ints));
    let ty = x.ty.with_dims(&dims);
    let prov = x.prov.clone();
    cx.emit(site.span, Opcode::Trans, &[&x], attrs, ty, prov)
        .map(Some)
}

pub(super) fn permutation(
    cx: &mut Lowerer,
    e: &syn::Expr,
    rank: usize,
) -> Result<Vec<Option<usize>>, Diagnostic> {
    let syn::Expr::Array(array) = e else {
        return Err(Diagnostic::new(
            e.span(),
            "expected a permutation like `[1, 0]`",
        ));
    };
    if array.elems.len() != rank {
        return Err(Diagnostic::new(
            e.span(),
            format!(
                "a permutation of a rank-{rank} tile lists {rank} axes, found {}",
                array.elems.len()
            ),
        ));
    }
    let mut perm = Vec::new();
    for elem in &array.elems {
        let axis = cx.axis_arg(elem, rank, 0)?;
        if axis.is_some() && perm.contains(&axis) {
            return Err(Diagnostic::new(
                elem.span(),
                "a permutation lists each axis once",
            ));
        }
        perm.push(axis);
    }
    Ok(perm)
}

/// The common element type of two operands combined into one tile (`cat`,
/// `join`): data promoted as for an arithmetic operator, pointers only with
/// pointers to the same type.
fn common_elem(
    cx: &mut Lowerer,
    a: Val,
    b: Val,
    site: &CallSite,
) -> Result<(Val, Val), Diagnostic> {
    match (a.ty.elem.pointee(), b.ty.elem.pointee()) {
        (None, None) => {
            let side = |v: &Val| Side {
                dtype: v.dtype().expect("data"),
                weak: v.is_weak(),
            };
            let d = promote(side(&a), side(&b)).dtype;
            let a = cx.promote_to(a, d, site.span)?;
            let b = cx.promote_to(b, d, site.span)?;
            Ok((cx.strengthen(a), cx.strengthen(b)))
        }
        (Some(x), Some(y)) if x == y => Ok((a, b)),
        _ => Err(Diagnostic::new(
            site.span,
            format!(
                "`{}` needs operands of one element type, found `{}` and `{}`",
                site.name, a.ty, b.ty
            ),
        )),
    }
}

/// `cat(a, b)` or `cat(a, b, axis)`: `a` then `b` along `axis` (default 0,
/// Triton's only axis); every other dimension must agree. Unlike Triton's
/// `cat` (1-D, `can_reorder`), any rank and the element order is kept.
pub fn cat(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let a = cx.arg(site, 0)?;
    let b = cx.arg(site, 1)?;
    for v in [&a, &b] {
        if v.ty.is_scalar() {
            return Err(Diagnostic::new(
                v.span,
                format!(
                    "`cat` concatenates tiles, found the scalar type `{}`; make it a tile with `full([1], x)`",
                    v.ty
                ),
            ));
        }
    }
    let (a, b) = common_elem(cx, a, b, site)?;
    let rank = a.ty.rank();
    if b.ty.rank() != rank {
        return Err(Diagnostic::new(
            site.span,
            format!(
                "`cat` needs tiles of one rank, found `{}` and `{}`",
                a.ty, b.ty
            ),
        ));
    }
    let axis = match site.args.get(2) {
        Some(e) => cx.axis_arg(e, rank, 0)?,
        None => Some(0),
    };
    let mut dims = Dims::new();
    for (k, (&x, &y)) in a.ty.dims.iter().zip(&b.ty.dims).enumerate() {
        let dim = match (axis, x, y) {
            (None, _, _) => Dim::Unknown,
            (Some(ax), Dim::Known(x), Dim::Known(y)) if ax == k => {
                let sum = x.checked_add(y).ok_or_else(|| {
                    Diagnostic::new(
                        site.span,
                        "`cat` result has more than 2^32-1 elements along its axis",
                    )
                })?;
                Dim::Known(sum)
            }
            (Some(ax), _, _) if ax == k => Dim::Unknown,
            (Some(ax), x, y) if !x.agrees(y) => {
                return Err(Diagnostic::new(
                    site.span,
                    format!(
                        "`cat` along axis {ax} needs equal sizes in every other dimension, but \
                         dimension {k} is {x} in `{}` and {y} in `{}`",
                        a.ty, b.ty
                    ),
                ))
            }
            (_, Dim::Known(n), _) | (_, _, Dim::Known(n)) => Dim::Known(n),
            _ => Dim::Unknown,
        };
        dims.push(dim);
    }
    let attrs = Attrs::new().with("axis", Attr::Int(axis.unwrap_or(0) as i64));
    let ty = a.ty.with_dims(&dims);
    let prov = a.prov.union(&b.prov);
    cx.emit(site.span, Opcode::Cat, &[&a, &b], attrs, ty, prov)
        .map(Some)
}

/// `join(a, b)`: broadcast to one shape, stacked along a new innermost
/// dimension of size 2.
pub fn join(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let a = cx.arg(site, 0)?;
    let b = cx.arg(site, 1)?;
    let (a, b) = common_elem(cx, a, b, site)?;
    let (a, b) = cx.broadcast_pair(a, b, site.span, "join")?;
    let mut dims = a.ty.dims.clone();
    dims.push(Dim::Known(2));
    let ty = a.ty.with_dims(&dims);
    let prov = a.prov.union(&b.prov);
    cx.emit(site.span, Opcode::Join, &[&a, &b], Attrs::new(), ty, prov)
        .map(Some)
}

/// `split(x)`: the two halves of a tile whose last dimension is 2, as a
/// tuple to take apart: `let (a, b) = split(x);`.
pub fn split(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    if !matches!(x.ty.dims.last(), Some(Dim::Known(2) | Dim::Unknown)) {
        return Err(Diagnostic::new(
            x.span,
            format!(
                "`split` needs a tile whose last dimension is 2, found `{}`",
                x.ty
            ),
        ));
    }
    let dims = &x.ty.dims[..x.ty.rank() - 1];
    let ty = x.ty.with_dims(dims);
    let operand = cx.materialize(&x)?;
    let op = cx.emit_op(
        site.span,
        Opcode::Split,
        &operand.into_iter().collect::<Vec<_>>(),
        Attrs::new(),
        &[],
        None,
    )?;
    let results = cx.op_results(op);
    let half = |i: usize| {
        let value = results.get(i).copied().flatten();
        Val::dynamic(ty.clone(), value, x.prov.clone(), site.span)
    };
    Ok(Some(Val::tuple(vec![half(0), half(1)], site.span)))
}
