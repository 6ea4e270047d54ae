//! Shape manipulation: `expand_dims`, `broadcast_to`, `reshape`, `trans`.

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::{dims_attr, Lowerer};
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
    let x = cx.arg(site, 0)?;
    let rank = x.ty.rank();
    let perm: Vec<Option<usize>> = match site.args.get(1) {
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

fn permutation(
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
