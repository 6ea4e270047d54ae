//! Math that is a composition of other ops (`sigmoid`, `clamp`) or takes
//! several operands (`fma`, `umulhi`).
//!
//! `sigmoid` and `clamp` are built from existing ops in the frontend, as
//! Triton defines them in its standard library: no backend gains from a
//! dedicated op, and every later pass already knows the pieces. `fma` and
//! `umulhi` are IR ops: both are single instructions on most targets and
//! neither can be composed exactly from other ops.

use super::math::float_arg;
use super::CallSite;
use crate::front::broadcast::broadcast_dims;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::Lowerer;
use crate::front::operators::BinKind;
use crate::front::promote::{promote, Side};
use crate::front::ty::dims_to_string;
use crate::front::value::{Konst, Provenance, Val};
use crate::ir::{Attrs, Dtype, Opcode};

/// `sigmoid(x) = 1 / (1 + exp(-x))`, each step rounded in `x`'s float type
/// (Triton's definition).
pub fn sigmoid(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let x = float_arg(cx, site, 0)?;
    let span = site.span;
    let ty = x.ty.clone();
    let neg = cx.emit(
        span,
        Opcode::Neg,
        &[&x],
        Attrs::new(),
        ty.clone(),
        Provenance::none(),
    )?;
    let e = cx.emit(
        span,
        Opcode::Exp,
        &[&neg],
        Attrs::new(),
        ty,
        Provenance::none(),
    )?;
    let one = Val::constant(Dtype::F32, Konst::Float(1.0), true, span);
    let den = cx.binary(BinKind::Arith(Opcode::Add), "+", one.clone(), e, span)?;
    cx.binary(BinKind::Arith(Opcode::Div), "/", one, den, span)
        .map(Some)
}

/// `clamp(x, lo, hi) = minimum(maximum(x, lo), hi)`, with promotion and
/// broadcasting as for `maximum`. A NaN in `x` propagates (Triton's
/// `propagate_nan=ALL`); unlike Triton, integers are accepted too.
pub fn clamp(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    let lo = cx.arg(site, 1)?;
    let hi = cx.arg(site, 2)?;
    let span = site.span;
    let m = cx.binary(BinKind::Arith(Opcode::Maximum), "clamp", x, lo, span)?;
    cx.binary(BinKind::Arith(Opcode::Minimum), "clamp", m, hi, span)
        .map(Some)
}

/// `fma(a, b, c) = a * b + c` rounded once, on floats; the three operands
/// are promoted to one type and broadcast to one shape.
pub fn fma(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let args = (0..3)
        .map(|i| cx.arg(site, i))
        .collect::<Result<Vec<_>, _>>()?;
    let sides = args
        .iter()
        .map(|v| {
            let dtype = v.dtype().ok_or_else(|| {
                Diagnostic::new(v.span, format!("`fma` needs floats, found `{}`", v.ty))
            })?;
            Ok(Side {
                dtype,
                weak: v.is_weak(),
            })
        })
        .collect::<Result<Vec<_>, Diagnostic>>()?;
    let d = promote(promote(sides[0], sides[1]), sides[2]).dtype;
    if !d.is_float() {
        let types: Vec<String> = args.iter().map(|v| format!("`{}`", v.ty)).collect();
        return Err(Diagnostic::new(
            site.span,
            format!(
                "`fma` needs float arguments, found {}; convert them with `.to::<f32>()`",
                types.join(", ")
            ),
        ));
    }
    let mut dims = args[0].ty.dims.clone();
    for v in &args[1..] {
        dims = broadcast_dims(&dims, &v.ty.dims).map_err(|_| {
            let shapes: Vec<String> = args.iter().map(|v| dims_to_string(&v.ty.dims)).collect();
            Diagnostic::new(
                site.span,
                format!("shapes {} of `fma` do not broadcast", shapes.join(", ")),
            )
        })?;
    }
    let mut ready = Vec::with_capacity(3);
    for (v, what) in args
        .into_iter()
        .zip(["the first", "the second", "the third"])
    {
        let v = cx.promote_to(v, d, site.span)?;
        let v = cx.strengthen(v);
        ready.push(cx.broadcast_to(v, &dims, site.span, &format!("{what} operand"))?);
    }
    let ty = ready[0].ty.clone();
    cx.emit(
        site.span,
        Opcode::Fma,
        &[&ready[0], &ready[1], &ready[2]],
        Attrs::new(),
        ty,
        Provenance::none(),
    )
    .map(Some)
}

/// `umulhi(a, b)`: the high half of the double-width unsigned product, on
/// 32- and 64-bit integers (promoted and broadcast as for `*`).
pub fn umulhi(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let a = cx.arg(site, 0)?;
    let b = cx.arg(site, 1)?;
    let side = |v: &Val| {
        v.dtype().map(|dtype| Side {
            dtype,
            weak: v.is_weak(),
        })
    };
    let ok = match (side(&a), side(&b)) {
        (Some(x), Some(y)) => {
            let d = promote(x, y).dtype;
            d.is_int() && d.bits() >= 32
        }
        _ => false,
    };
    if !ok {
        return Err(Diagnostic::new(
            site.span,
            format!(
                "`umulhi` needs 32- or 64-bit integers (`i32`, `u32`, `i64`, `u64`), found `{}` and `{}`",
                a.ty, b.ty
            ),
        ));
    }
    cx.binary(BinKind::Arith(Opcode::Umulhi), "umulhi", a, b, site.span)
        .map(Some)
}
