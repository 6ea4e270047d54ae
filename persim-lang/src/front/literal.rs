//! Literals: `1`, `2u8`, `0.5`, `1e-5f32`, `true`, and the named constants
//! `f32::NEG_INFINITY`, `i32::MAX`, ...
//!
//! An unsuffixed number is *weak* (see [`super::promote`]): it is typed `i32`
//! (`i64` if it does not fit) or `f32` until an operation gives it the other
//! operand's type. A suffix makes it strong.

use super::diag::Diagnostic;
use super::numeric::{fits, round_float};
use super::value::{Konst, Val};
use crate::ir::Dtype;

/// Number suffixes Rust has that persim does not.
const UNSUPPORTED_SUFFIXES: &[&str] = &["isize", "usize", "i128", "u128"];

fn suffix_dtype(suffix: &str, span: proc_macro2::Span) -> Result<Dtype, Diagnostic> {
    if UNSUPPORTED_SUFFIXES.contains(&suffix) {
        return Err(Diagnostic::new(
            span,
            format!("persim has no `{suffix}` type; use `i64` or `u64`"),
        ));
    }
    match Dtype::from_name(suffix) {
        Some(d) if d != Dtype::I1 => Ok(d),
        _ => Err(Diagnostic::new(
            span,
            format!("unknown literal suffix `{suffix}`"),
        )),
    }
}

pub fn int_literal(lit: &syn::LitInt) -> Result<Val, Diagnostic> {
    let span = lit.span();
    let value: i128 = lit
        .base10_digits()
        .parse()
        .map_err(|_| Diagnostic::new(span, "integer literal is too large"))?;
    let suffix = lit.suffix();
    if suffix.is_empty() {
        let dtype = if fits(value, Dtype::I32) {
            Dtype::I32
        } else if fits(value, Dtype::I64) {
            Dtype::I64
        } else {
            return Err(Diagnostic::new(
                span,
                "integer literal does not fit in `i64`; add a `u64` suffix",
            ));
        };
        return Ok(Val::constant(dtype, Konst::Int(value), true, span));
    }
    let dtype = suffix_dtype(suffix, span)?;
    if dtype.is_float() {
        let x = round_float(value as f64, dtype);
        return Ok(Val::constant(dtype, Konst::Float(x), false, span));
    }
    if !fits(value, dtype) {
        return Err(Diagnostic::new(
            span,
            format!("literal `{value}` is out of range for `{dtype}`"),
        ));
    }
    Ok(Val::constant(dtype, Konst::Int(value), false, span))
}

pub fn float_literal(lit: &syn::LitFloat) -> Result<Val, Diagnostic> {
    let span = lit.span();
    let value: f64 = lit
        .base10_digits()
        .parse()
        .map_err(|_| Diagnostic::new(span, "malformed float literal"))?;
    let suffix = lit.suffix();
    if suffix.is_empty() {
        if value.is_infinite() {
            return Err(Diagnostic::new(
                span,
                "float literal is out of range for `f64`",
            ));
        }
        return Ok(Val::constant(Dtype::F32, Konst::Float(value), true, span));
    }
    let dtype = suffix_dtype(suffix, span)?;
    if !dtype.is_float() {
        return Err(Diagnostic::new(
            span,
            format!("a float literal cannot have the integer suffix `{suffix}`"),
        ));
    }
    let rounded = round_float(value, dtype);
    if rounded.is_infinite() {
        return Err(Diagnostic::new(
            span,
            format!("literal `{value}` is out of range for `{dtype}`"),
        ));
    }
    Ok(Val::constant(dtype, Konst::Float(rounded), false, span))
}

/// `TYPE::NAME` constants, typed strongly as in Rust.
pub fn named_constant(type_name: &str, name: &str) -> Option<(Dtype, Konst)> {
    let dtype = Dtype::from_name(type_name).filter(|&d| d != Dtype::I1)?;
    if dtype.is_float() {
        let x = match (dtype, name) {
            (_, "INFINITY") => f64::INFINITY,
            (_, "NEG_INFINITY") => f64::NEG_INFINITY,
            (_, "NAN") => f64::NAN,
            (Dtype::F16, _) => float_limit(name, 65504.0, 6.103_515_625e-5, 9.765_625e-4)?,
            (Dtype::BF16, _) => float_limit(
                name,
                3.389_531_389_251_535_5e38,
                1.175_494_350_822_287_5e-38,
                7.812_5e-3,
            )?,
            (Dtype::F32, _) => float_limit(
                name,
                f32::MAX as f64,
                f32::MIN_POSITIVE as f64,
                f32::EPSILON as f64,
            )?,
            _ => float_limit(name, f64::MAX, f64::MIN_POSITIVE, f64::EPSILON)?,
        };
        return Some((dtype, Konst::Float(x)));
    }
    let (lo, hi) = super::numeric::int_range(dtype);
    match name {
        "MAX" => Some((dtype, Konst::Int(hi))),
        "MIN" => Some((dtype, Konst::Int(lo))),
        _ => None,
    }
}

fn float_limit(name: &str, max: f64, min_positive: f64, epsilon: f64) -> Option<f64> {
    match name {
        "MAX" => Some(max),
        "MIN" => Some(-max),
        "MIN_POSITIVE" => Some(min_positive),
        "EPSILON" => Some(epsilon),
        _ => None,
    }
}

/// The names [`named_constant`] knows for a type, for "did you mean" help.
pub fn constant_names(dtype: Dtype) -> &'static str {
    if dtype.is_float() {
        "INFINITY, NEG_INFINITY, NAN, MAX, MIN, MIN_POSITIVE, EPSILON"
    } else {
        "MAX, MIN"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_limits_are_exact() {
        let (_, Konst::Float(max)) = named_constant("f16", "MAX").unwrap() else {
            panic!()
        };
        assert_eq!(max, half::f16::MAX.to_f64());
        let (_, Konst::Float(max)) = named_constant("bf16", "MAX").unwrap() else {
            panic!()
        };
        assert_eq!(max, half::bf16::MAX.to_f64());
        let (_, Konst::Float(eps)) = named_constant("bf16", "EPSILON").unwrap() else {
            panic!()
        };
        assert_eq!(eps, half::bf16::EPSILON.to_f64());
        let (_, Konst::Float(tiny)) = named_constant("bf16", "MIN_POSITIVE").unwrap() else {
            panic!()
        };
        assert_eq!(tiny, half::bf16::MIN_POSITIVE.to_f64());
        let (_, Konst::Float(tiny)) = named_constant("f16", "MIN_POSITIVE").unwrap() else {
            panic!()
        };
        assert_eq!(tiny, half::f16::MIN_POSITIVE.to_f64());
    }

    #[test]
    fn int_limits() {
        assert_eq!(
            named_constant("u64", "MAX"),
            Some((Dtype::U64, Konst::Int(u64::MAX as i128)))
        );
        assert_eq!(
            named_constant("i8", "MIN"),
            Some((Dtype::I8, Konst::Int(-128)))
        );
        assert_eq!(named_constant("bool", "MAX"), None);
    }
}
