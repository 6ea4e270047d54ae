//! Scans along one axis: `cumsum(x, axis)` and `cumprod(x, axis)`, with an
//! optional third argument `reverse` (a compile-time `bool`, default
//! `false`) for Triton's `reverse=True`: `cumsum(x, 0, true)[i]` is the
//! sum of `x[i..]`.
//!
//! As in Triton (and as for `sum`), `bool` and integers narrower than 32
//! bits are scanned in 32 bits (`i32`, or `u32` for unsigned).

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::Lowerer;
use crate::front::value::{Provenance, Val};
use crate::ir::{Attr, Attrs, Dtype, Opcode, ReduceKind};

pub fn cumsum(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    scan(cx, site, ReduceKind::Sum)
}

pub fn cumprod(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    scan(cx, site, ReduceKind::Prod)
}

fn scan(cx: &mut Lowerer, site: &CallSite, kind: ReduceKind) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    let name = &site.name;
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
                "`{name}` scans a tile along an axis, found the scalar type `{}`",
                x.ty
            ),
        ));
    }
    let widened = match d {
        Dtype::I1 | Dtype::I8 | Dtype::I16 => Some(Dtype::I32),
        Dtype::U8 | Dtype::U16 => Some(Dtype::U32),
        _ => None,
    };
    let x = match widened {
        Some(w) => cx.cast(x, w, site.span)?,
        None => x,
    };
    let axis = cx.axis_arg(site.args[1], x.ty.rank(), 0)?;
    let reverse = match site.args.get(2) {
        Some(e) => cx.compile_time_bool(e, "the `reverse` flag")?,
        None => Some(false),
    };
    let attrs = Attrs::new()
        .with("kind", Attr::Reduce(kind))
        .with("axis", Attr::Int(axis.unwrap_or(0) as i64))
        .with("reverse", Attr::Bool(reverse.unwrap_or(false)));
    let ty = x.ty.clone();
    cx.emit(
        site.span,
        Opcode::Scan,
        &[&x],
        attrs,
        ty,
        Provenance::none(),
    )
    .map(Some)
}
