//! Elementwise math and conversions: `exp log sqrt abs`, `exp2 log2 rsqrt
//! erf sin cos floor ceil`, `maximum minimum`, `where_`, `cdiv`,
//! `cast::<T>(x)` / `x.to::<T>()`. The compositions and the functions of
//! several operands (`sigmoid clamp fma umulhi`) are in `math_more`.

use super::CallSite;
use crate::front::broadcast::broadcast_dims;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::Lowerer;
use crate::front::numeric::wrap_int;
use crate::front::operators::BinKind;
use crate::front::promote::{promote, Side};
use crate::front::ty::dims_to_string;
use crate::front::value::{Konst, Provenance, Repr, Val};
use crate::ir::{Attrs, Dtype, Opcode};

pub fn exp(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    float_unary(cx, site, Opcode::Exp)
}

pub fn log(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    float_unary(cx, site, Opcode::Log)
}

pub fn sqrt(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    float_unary(cx, site, Opcode::Sqrt)
}

pub fn exp2(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    float_unary(cx, site, Opcode::Exp2)
}

pub fn log2(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    float_unary(cx, site, Opcode::Log2)
}

pub fn rsqrt(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    float_unary(cx, site, Opcode::Rsqrt)
}

pub fn erf(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    float_unary(cx, site, Opcode::Erf)
}

pub fn sin(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    float_unary(cx, site, Opcode::Sin)
}

pub fn cos(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    float_unary(cx, site, Opcode::Cos)
}

pub fn floor(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    float_unary(cx, site, Opcode::Floor)
}

pub fn ceil(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    float_unary(cx, site, Opcode::Ceil)
}

/// Argument `i` of a float-only function: an integer literal becomes
/// `f32`, an integer tile must be converted explicitly.
pub(super) fn float_arg(cx: &mut Lowerer, site: &CallSite, i: usize) -> Result<Val, Diagnostic> {
    let x = cx.arg(site, i)?;
    let x = if x.is_weak() {
        cx.settle_weak(&x, Dtype::F32)?
    } else {
        x
    };
    match x.dtype() {
        Some(d) if d.is_float() => Ok(x),
        Some(d) => Err(Diagnostic::new(
            x.span,
            format!(
                "`{}` needs a float argument, found `{}`; convert it with `.to::<f32>()`",
                site.name,
                x.ty.with_dtype(d)
            ),
        )),
        None => Err(Diagnostic::new(
            x.span,
            format!("`{}` needs a float argument, found `{}`", site.name, x.ty),
        )),
    }
}

/// Transcendental functions take floats only (see [`float_arg`]).
pub(super) fn float_unary(
    cx: &mut Lowerer,
    site: &CallSite,
    opcode: Opcode,
) -> Result<Option<Val>, Diagnostic> {
    let x = float_arg(cx, site, 0)?;
    let ty = x.ty.clone();
    cx.emit(
        site.span,
        opcode,
        &[&x],
        Attrs::new(),
        ty,
        Provenance::none(),
    )
    .map(Some)
}

pub fn abs(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    let d = match x.dtype() {
        Some(d) if !d.is_bool() => d,
        _ => {
            return Err(Diagnostic::new(
                x.span,
                format!("`abs` needs a number, found `{}`", x.ty),
            ))
        }
    };
    if let Repr::Const { value, weak } = x.repr {
        let folded = match value {
            Konst::Int(i) if weak => Konst::Int(i.abs()),
            Konst::Int(i) => Konst::Int(wrap_int(i.abs(), d)),
            Konst::Float(f) => Konst::Float(f.abs()),
            k => k,
        };
        return Ok(Some(Val::constant(d, folded, weak, x.span)));
    }
    let ty = x.ty.clone();
    cx.emit(
        site.span,
        Opcode::Abs,
        &[&x],
        Attrs::new(),
        ty,
        Provenance::none(),
    )
    .map(Some)
}

pub fn maximum(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let a = cx.arg(site, 0)?;
    let b = cx.arg(site, 1)?;
    cx.binary(BinKind::Arith(Opcode::Maximum), "maximum", a, b, site.span)
        .map(Some)
}

pub fn minimum(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let a = cx.arg(site, 0)?;
    let b = cx.arg(site, 1)?;
    cx.binary(BinKind::Arith(Opcode::Minimum), "minimum", a, b, site.span)
        .map(Some)
}

/// `cdiv(a, b)`: `(a + b - 1) / b`, the number of blocks of `b` covering
/// `a` (integers, scalars or tiles), exactly Triton's definition: with `/`
/// truncating toward zero it is the ceiling for `a >= 0, b > 0`, and like
/// Triton's it wraps when `a + b - 1` overflows.
pub fn cdiv(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let a = cx.arg(site, 0)?;
    let b = cx.arg(site, 1)?;
    for v in [&a, &b] {
        if !v.dtype().is_some_and(Dtype::is_int) {
            return Err(Diagnostic::new(
                v.span,
                format!("`cdiv` needs integers, found `{}`", v.ty),
            ));
        }
    }
    let span = site.span;
    let one = Val::constant(Dtype::I32, Konst::Int(1), true, span);
    let sum = cx.binary(BinKind::Arith(Opcode::Add), "+", a, b.clone(), span)?;
    let less = cx.binary(BinKind::Arith(Opcode::Sub), "-", sum, one, span)?;
    cx.binary(BinKind::Arith(Opcode::Div), "/", less, b, span)
        .map(Some)
}

/// `where_(cond, a, b)`: `a` where `cond` holds, else `b`, elementwise.
pub fn where_(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let cond = cx.arg(site, 0)?;
    let a = cx.arg(site, 1)?;
    let b = cx.arg(site, 2)?;
    if cond.dtype() != Some(Dtype::I1) {
        return Err(Diagnostic::new(
            cond.span,
            format!(
                "the condition of `where_` must be `bool`, found `{}`",
                cond.ty
            ),
        ));
    }
    let (a, b) = match (a.ty.elem.pointee(), b.ty.elem.pointee()) {
        (None, None) => {
            let side = |v: &Val| Side {
                dtype: v.dtype().expect("data"),
                weak: v.is_weak(),
            };
            let d = promote(side(&a), side(&b)).dtype;
            let a = cx.promote_to(a, d, site.span)?;
            let b = cx.promote_to(b, d, site.span)?;
            (cx.strengthen(a), cx.strengthen(b))
        }
        (Some(x), Some(y)) if x == y => (a, b),
        _ => {
            return Err(Diagnostic::new(
                site.span,
                format!(
                    "`where_` arms `{}` and `{}` do not share a type",
                    a.ty, b.ty
                ),
            ))
        }
    };
    let dims = broadcast_dims(&a.ty.dims, &b.ty.dims)
        .and_then(|d| broadcast_dims(&cond.ty.dims, &d))
        .map_err(|_| {
            Diagnostic::new(
                site.span,
                format!(
                    "shapes {}, {} and {} of `where_` do not broadcast",
                    dims_to_string(&cond.ty.dims),
                    dims_to_string(&a.ty.dims),
                    dims_to_string(&b.ty.dims)
                ),
            )
        })?;
    let cond = cx.broadcast_to(cond, &dims, site.span, "the condition")?;
    let a = cx.broadcast_to(a, &dims, site.span, "the first arm")?;
    let b = cx.broadcast_to(b, &dims, site.span, "the second arm")?;
    let prov = a.prov.union(&b.prov);
    let ty = a.ty.clone();
    cx.emit(
        site.span,
        Opcode::Select,
        &[&cond, &a, &b],
        Attrs::new(),
        ty,
        prov,
    )
    .map(Some)
}

pub fn cast(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    let d = site.dtype.expect("checked by the table");
    cx.cast(x, d, site.span).map(Some)
}

/// `x.to::<T>()`.
pub fn to(cx: &mut Lowerer, x: Val, site: &CallSite) -> Result<Val, Diagnostic> {
    let d = site.dtype.expect("checked by the table");
    cx.cast(x, d, site.span)
}
