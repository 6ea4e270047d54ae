//! `dot(a, b, acc)`: `a @ b + acc` on 2-D tiles.

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::Lowerer;
use crate::front::ty::{Dim, TileTy};
use crate::front::value::{Konst, Provenance, Val};
use crate::ir::{Attrs, Dtype, Elem, Opcode};

pub fn dot(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let a = cx.arg(site, 0)?;
    let b = cx.arg(site, 1)?;
    for (v, which) in [(&a, "left"), (&b, "right")] {
        let numeric = v.dtype().is_some_and(|d| !d.is_bool());
        if v.ty.rank() != 2 || !numeric {
            return Err(Diagnostic::new(
                v.span,
                format!(
                    "the {which} operand of `dot` must be a 2-D tile of numbers, found `{}`",
                    v.ty
                ),
            ));
        }
    }
    if a.ty.elem != b.ty.elem {
        return Err(Diagnostic::new(
            b.span,
            format!(
                "`dot` operands must share an element type, found `{}` and `{}`",
                a.ty, b.ty
            ),
        ));
    }
    let (m, k) = (a.ty.dims[0], a.ty.dims[1]);
    let (k2, n) = (b.ty.dims[0], b.ty.dims[1]);
    if !k.agrees(k2) {
        return Err(Diagnostic::new(
            site.span,
            format!(
                "`dot` inner dimensions differ: `{}` @ `{}` ({k} vs {k2})",
                a.ty, b.ty
            ),
        ));
    }
    let acc = match cx.opt_arg(site, 2)? {
        Some(acc) => accumulator(cx, acc, [m, n], site)?,
        None => {
            // Floats accumulate in f32, integers in i32.
            let d = if a.dtype().is_some_and(Dtype::is_float) {
                Dtype::F32
            } else {
                Dtype::I32
            };
            let zero = if d.is_float() {
                Konst::Float(0.0)
            } else {
                Konst::Int(0)
            };
            let zero = Val::constant(d, zero, false, site.span);
            cx.broadcast_to(zero, &[m, n], site.span, "the accumulator")?
        }
    };
    let ty = acc.ty.clone();
    cx.emit(
        site.span,
        Opcode::Dot,
        &[&a, &b, &acc],
        Attrs::new(),
        ty,
        Provenance::none(),
    )
    .map(Some)
}

fn accumulator(
    cx: &mut Lowerer,
    acc: Val,
    dims: [Dim; 2],
    site: &CallSite,
) -> Result<Val, Diagnostic> {
    if acc.is_weak() {
        let settled = cx.strengthen(acc);
        return cx.broadcast_to(settled, &dims, site.span, "the accumulator");
    }
    let want = TileTy::new(acc.ty.elem, &dims);
    let numeric = matches!(acc.ty.elem, Elem::Val(d) if !d.is_bool());
    if !numeric || !acc.ty.agrees(&want) {
        return Err(Diagnostic::new(
            acc.span,
            format!(
                "the accumulator of `dot` must be a {}x{} tile of numbers, found `{}`",
                dims[0], dims[1], acc.ty
            ),
        ));
    }
    Ok(acc)
}
