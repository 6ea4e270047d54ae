//! Creating tiles: `arange`, `zeros`, `zeros_like`, `full`.

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::Lowerer;
use crate::front::ty::{Dim, TileTy};
use crate::front::value::{Konst, Provenance, Val};
use crate::ir::{Attr, Attrs, Dtype, Opcode};
use syn::spanned::Spanned;

/// `arange(lo, hi)`: `lo, lo+1, .., hi-1` as `i32`; bounds are compile-time.
pub fn arange(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let lo = cx.compile_time_int(site.args[0], "an `arange` bound")?;
    let hi = cx.compile_time_int(site.args[1], "an `arange` bound")?;
    for (bound, e) in [(lo, site.args[0]), (hi, site.args[1])] {
        if let Some(b) = bound.filter(|&b| !crate::front::numeric::fits(b, Dtype::I32)) {
            return Err(Diagnostic::new(
                e.span(),
                format!("`arange` bound {b} does not fit in `i32`"),
            ));
        }
    }
    let dim = match (lo, hi) {
        (Some(lo), Some(hi)) if hi <= lo => {
            return Err(Diagnostic::new(
                site.span,
                format!("`arange` needs `lo < hi`, found {lo}..{hi}"),
            ))
        }
        (Some(lo), Some(hi)) => Dim::Known((hi - lo) as u32),
        _ => Dim::Unknown,
    };
    let attrs = Attrs::new()
        .with("lo", Attr::Int(lo.unwrap_or(0) as i64))
        .with("hi", Attr::Int(hi.unwrap_or(0) as i64));
    let ty = TileTy::new(crate::ir::Elem::Val(Dtype::I32), &[dim]);
    cx.emit(
        site.span,
        Opcode::Arange,
        &[],
        attrs,
        ty,
        Provenance::none(),
    )
    .map(Some)
}

/// `zeros::<T>([..])`, `T` defaulting to `f32`.
pub fn zeros(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let dims = cx.shape_arg(site.args[0])?;
    let dtype = site.dtype.unwrap_or(Dtype::F32);
    let zero = zero_of(dtype, site);
    cx.broadcast_to(zero, &dims, site.span, "zero").map(Some)
}

/// `zeros_like(x)`: zeros of `x`'s type.
pub fn zeros_like(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    let Some(dtype) = x.dtype() else {
        return Err(Diagnostic::new(
            x.span,
            "`zeros_like` needs data, found pointers",
        ));
    };
    let zero = zero_of(dtype, site);
    cx.broadcast_to(zero, &x.ty.dims, site.span, "zero")
        .map(Some)
}

/// `full([..], value)`: a tile filled with a scalar (a literal takes its
/// default type, `i32` or `f32`).
pub fn full(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let dims = cx.shape_arg(site.args[0])?;
    let value = cx.arg(site, 1)?;
    if !value.ty.is_scalar() {
        return Err(Diagnostic::new(
            value.span,
            format!(
                "`full` fills a tile with a scalar, found `{}`; use `broadcast_to`",
                value.ty
            ),
        ));
    }
    let value = cx.strengthen(value);
    cx.broadcast_to(value, &dims, site.span, "the fill value")
        .map(Some)
}

fn zero_of(dtype: Dtype, site: &CallSite) -> Val {
    let k = match dtype {
        Dtype::I1 => Konst::Bool(false),
        d if d.is_float() => Konst::Float(0.0),
        _ => Konst::Int(0),
    };
    Val::constant(dtype, k, false, site.span)
}
