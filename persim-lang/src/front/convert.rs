//! Element-type conversions: weak literals taking a type, the implicit
//! conversions promotion asks for, and explicit casts.

use super::diag::Diagnostic;
use super::dtype_syntax::source_name;
use super::lowerer::Lowerer;
use super::numeric::{cast_konst, fits, round_float};
use super::value::{Konst, Repr, Val};
use crate::ir::{Attr, Attrs, Dtype, Opcode};
use proc_macro2::Span;

impl Lowerer<'_> {
    /// Give a weak literal the type `d` (strong from now on). An integer
    /// literal must fit in an integer `d`; a float literal cannot become an
    /// integer.
    pub fn settle_weak(&self, v: &Val, d: Dtype) -> Result<Val, Diagnostic> {
        let Repr::Const { value, .. } = v.repr else {
            return Ok(v.clone());
        };
        let value = match value {
            Konst::Int(i) if d.is_float() => Konst::Float(round_float(i as f64, d)),
            Konst::Int(i) if d.is_bool() => {
                return Err(Diagnostic::new(
                    v.span,
                    format!("expected `bool`, found the integer literal `{i}`"),
                ))
            }
            Konst::Int(i) if !fits(i, d) => {
                return Err(Diagnostic::new(
                    v.span,
                    format!("literal `{i}` is out of range for `{}`", source_name(d)),
                ))
            }
            Konst::Float(x) if !d.is_float() => {
                return Err(Diagnostic::new(
                    v.span,
                    format!(
                        "expected `{}`, found the float literal `{x}`",
                        source_name(d)
                    ),
                ))
            }
            Konst::Float(x) => Konst::Float(round_float(x, d)),
            k => k,
        };
        Ok(Val::constant(d, value, false, v.span))
    }

    /// The value with its weakness dropped at its current (default) type.
    pub fn strengthen(&self, v: Val) -> Val {
        match v.repr {
            Repr::Const { value, weak: true } => {
                let d = v.dtype().expect("literals are data values");
                let value = match value {
                    Konst::Float(x) => Konst::Float(round_float(x, d)),
                    k => k,
                };
                Val::constant(d, value, false, v.span)
            }
            _ => v,
        }
    }

    /// Convert `v` to element type `d` because promotion asked for it.
    pub fn promote_to(&mut self, v: Val, d: Dtype, span: Span) -> Result<Val, Diagnostic> {
        if v.is_weak() {
            return self.settle_weak(&v, d);
        }
        if v.dtype() == Some(d) {
            return Ok(v);
        }
        self.convert(v, d, span)
    }

    /// An explicit cast (`x as T`, `x.to::<T>()`, `cast::<T>(x)`).
    pub fn cast(&mut self, v: Val, d: Dtype, span: Span) -> Result<Val, Diagnostic> {
        if v.ty.is_ptr() {
            return Err(Diagnostic::new(
                v.span,
                format!("cannot cast pointers (`{}`) to `{}`", v.ty, source_name(d)),
            ));
        }
        if v.dtype() == Some(d) {
            return Ok(self.strengthen(v));
        }
        self.convert(v, d, span)
    }

    fn convert(&mut self, v: Val, d: Dtype, span: Span) -> Result<Val, Diagnostic> {
        if let Repr::Const { value, .. } = v.repr {
            return Ok(Val::constant(d, cast_konst(value, d), false, v.span));
        }
        let ty = v.ty.with_dtype(d);
        let attrs = Attrs::new().with("to", Attr::Dtype(d));
        let prov = v.prov.clone();
        self.emit(span, Opcode::Cast, &[&v], attrs, ty, prov)
            .map(|r| r.with_span(v.span))
    }
}
