//! Reductions along one axis: `sum`, `max`, `min`, `argmax`, `argmin`.
//!
//! As in Triton, `sum` of `bool` and of integers narrower than 32 bits
//! accumulates in 32 bits (`i32`, or `u32` for unsigned) so that counting a
//! mask or summing bytes does not wrap.

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::Lowerer;
use crate::front::ty::{Dim, Dims, TileTy};
use crate::front::value::{Provenance, Val};
use crate::ir::{Attr, Attrs, Dtype, Opcode, ReduceKind};

pub fn sum(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    reduce(cx, site, ReduceKind::Sum)
}

pub fn max(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    reduce(cx, site, ReduceKind::Max)
}

pub fn min(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    reduce(cx, site, ReduceKind::Min)
}

/// `argmax(x, axis)`: the `i32` index of the first maximum along `axis`
/// (ties go to the smallest index; NaN counts as the maximum, as `max`
/// propagates it).
pub fn argmax(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    reduce(cx, site, ReduceKind::Argmax)
}

/// `argmin(x, axis)`, as `argmax` for the minimum.
pub fn argmin(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    reduce(cx, site, ReduceKind::Argmin)
}

fn reduce(cx: &mut Lowerer, site: &CallSite, kind: ReduceKind) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    let name = kind.name();
    let Some(d) = x.dtype() else {
        return Err(Diagnostic::new(
            x.span,
            format!("`{name}` needs data, found `{}`", x.ty),
        ));
    };
    if x.ty.is_scalar() {
        return Err(Diagnostic::new(
            x.span,
            format!(
                "`{name}` reduces a tile along an axis, found the scalar type `{}`",
                x.ty
            ),
        ));
    }
    let accumulate = match (kind, d) {
        (ReduceKind::Sum, Dtype::I1 | Dtype::I8 | Dtype::I16) => Some(Dtype::I32),
        (ReduceKind::Sum, Dtype::U8 | Dtype::U16) => Some(Dtype::U32),
        (_, Dtype::I1) => {
            return Err(Diagnostic::new(
                x.span,
                format!("`{name}` of `bool` is not defined; convert with `.to::<i32>()` first"),
            ))
        }
        _ => None,
    };
    let x = match accumulate {
        Some(acc) => cx.cast(x, acc, site.span)?,
        None => x,
    };
    let rank = x.ty.rank();
    let hint = match kind {
        ReduceKind::Max => "; for the elementwise maximum of two tiles use `maximum(a, b)`",
        ReduceKind::Min => "; for the elementwise minimum of two tiles use `minimum(a, b)`",
        _ => "",
    };
    let axis = cx.axis_arg_hinted(site.args[1], rank, 0, hint)?;
    let dims: Dims = match axis {
        Some(a) => {
            x.ty.dims
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != a)
                .map(|(_, d)| *d)
                .collect()
        }
        None => std::iter::repeat_n(Dim::Unknown, rank - 1).collect(),
    };
    let attrs = Attrs::new()
        .with("kind", Attr::Reduce(kind))
        .with("axis", Attr::Int(axis.unwrap_or(0) as i64));
    let ty = if kind.is_index() {
        TileTy::scalar(Dtype::I32).with_dims(&dims)
    } else {
        x.ty.with_dims(&dims)
    };
    cx.emit(
        site.span,
        Opcode::Reduce,
        &[&x],
        attrs,
        ty,
        Provenance::none(),
    )
    .map(Some)
}
