//! Element semantics: the exact meaning of every arithmetic, comparison and
//! conversion op on one element, as the op table documents it.
//!
//! Integers are computed on `i128` and wrapped to the element type, so
//! wrapping arithmetic, C-style division and shifts read as plain math.
//! Floats are computed in `f64` and rounded once to the element type. That is
//! exactly IEEE arithmetic in the narrow type for `+ - * /`, `sqrt` and `%`:
//! `f64` has more than twice the precision of `f32` plus two bits, so the
//! intermediate rounding is innocuous. Transcendentals (`exp`, `log`) are as
//! accurate as the host's `f64` versions, rounded once; backends may differ
//! from them by an ulp.
//!
//! `f16` and `bf16` round through the `half` crate from an `f32` obtained by
//! *round-to-odd*, because `half`'s own `f64` conversions ignore low mantissa
//! bits and can round wrongly; round-to-odd to 24 bits followed by
//! round-to-nearest to 11 (or 8) bits equals one correct rounding.

use super::value::Scalar;
use crate::ir::{CmpPred, Dtype, Opcode, ReduceKind};
use half::{bf16, f16};

/// Smallest and largest value of an integer type (`i1` is `0..=1`).
pub(crate) fn int_range(d: Dtype) -> (i128, i128) {
    let bits = d.bits();
    if d.is_signed_int() {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    }
}

/// Reduce `v` modulo 2^bits into the range of `d` (two's complement wrap).
pub(crate) fn wrap_int(d: Dtype, v: i128) -> i128 {
    let bits = d.bits();
    let low = v & ((1i128 << bits) - 1);
    if d.is_signed_int() && low >= 1i128 << (bits - 1) {
        low - (1i128 << bits)
    } else {
        low
    }
}

/// Round an `f64` to the nearest `f32` with ties-to-odd: truncate toward zero
/// and set the last bit if anything was lost. See the module doc for why.
fn f32_round_to_odd(x: f64) -> f32 {
    let y = x as f32;
    if x.is_nan() || f64::from(y) == x {
        return y;
    }
    let mut bits = y.to_bits();
    if f64::from(y).abs() > x.abs() {
        // Rounded away from zero: step one ulp back toward zero (inf → MAX).
        bits -= 1;
    }
    f32::from_bits(bits | 1)
}

/// Round an `f64` to the value set of float type `d`.
pub(crate) fn round_float(d: Dtype, x: f64) -> f64 {
    match d {
        Dtype::F64 => x,
        Dtype::F32 => f64::from(x as f32),
        Dtype::F16 => f16::from_f32(f32_round_to_odd(x)).to_f64(),
        Dtype::BF16 => bf16::from_f32(f32_round_to_odd(x)).to_f64(),
        _ => x,
    }
}

/// Convert an integer to float type `d`, rounding once to nearest-even.
fn int_to_float(d: Dtype, v: i128) -> f64 {
    match d {
        Dtype::F64 => v as f64,
        Dtype::F32 => f64::from(v as f32),
        // Round to odd at 53 bits, then `round_float` rounds to odd at 24 bits
        // and to nearest at the target width: one correct rounding overall.
        _ => {
            let t = v as f64;
            let back = t as i128;
            let odd = if back == v || t.is_infinite() {
                t
            } else {
                let mut bits = t.to_bits();
                if back.unsigned_abs() > v.unsigned_abs() {
                    bits -= 1;
                }
                f64::from_bits(bits | 1)
            };
            round_float(d, odd)
        }
    }
}

/// Float to integer: truncate toward zero, saturate, NaN becomes 0.
fn float_to_int(d: Dtype, x: f64) -> i128 {
    if x.is_nan() {
        return 0;
    }
    let (lo, hi) = int_range(d);
    let t = x.trunc();
    if t <= lo as f64 {
        lo
    } else if t >= hi as f64 {
        hi
    } else {
        t as i128
    }
}

/// The `cast` op on one element, from `from` to `to`.
pub(crate) fn cast(from: Dtype, to: Dtype, x: Scalar) -> Result<Scalar, String> {
    Ok(match x {
        Scalar::Undef => Scalar::Undef,
        Scalar::Int(v) if !from.is_float() => match to {
            Dtype::I1 => Scalar::Int((v != 0) as i128),
            t if t.is_float() => Scalar::Float(int_to_float(t, v)),
            t => Scalar::Int(wrap_int(t, v)),
        },
        Scalar::Float(f) if from.is_float() => match to {
            Dtype::I1 => Scalar::Int((f != 0.0) as i128),
            t if t.is_float() => Scalar::Float(round_float(t, f)),
            t => Scalar::Int(float_to_int(t, f)),
        },
        other => return Err(format!("cast of {other:?} as {from}")),
    })
}

/// The value of a `const` op's attribute in type `d`.
pub(crate) fn constant(d: Dtype, value: &crate::ir::Attr) -> Result<Scalar, String> {
    use crate::ir::Attr;
    Ok(match (value, d) {
        (Attr::Bool(b), Dtype::I1) => Scalar::Int(*b as i128),
        (Attr::Int(v), Dtype::I1) => Scalar::Int((*v != 0) as i128),
        (Attr::Int(v), d) if d.is_int() => Scalar::Int(wrap_int(d, i128::from(*v))),
        (Attr::Float(x), d) if d.is_float() => Scalar::Float(round_float(d, *x)),
        (v, d) => return Err(format!("constant {v} does not fit type {d}")),
    })
}

/// NaN-propagating maximum with `-0.0 < +0.0`, as IEEE 754-2019 `maximum`.
fn float_maximum(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        if a.is_sign_positive() {
            a
        } else {
            b
        }
    } else {
        a.max(b)
    }
}

/// NaN-propagating minimum with `-0.0 < +0.0`, as IEEE 754-2019 `minimum`.
fn float_minimum(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        if a.is_sign_negative() {
            a
        } else {
            b
        }
    } else {
        a.min(b)
    }
}

fn int_binary(op: Opcode, d: Dtype, x: i128, y: i128) -> Result<i128, String> {
    let shift = || (y & (d.bits() as i128 - 1)) as u32;
    let v = match op {
        Opcode::Add => x.wrapping_add(y),
        Opcode::Sub => x.wrapping_sub(y),
        Opcode::Mul => x.wrapping_mul(y),
        // Division and remainder by zero are unspecified by the op table; the
        // interpreter picks 0 so that runs are deterministic.
        Opcode::Div if y == 0 => 0,
        Opcode::Div => x / y,
        Opcode::Rem if y == 0 => 0,
        Opcode::Rem => x % y,
        Opcode::Maximum => x.max(y),
        Opcode::Minimum => x.min(y),
        Opcode::And => x & y,
        Opcode::Or => x | y,
        Opcode::Xor => x ^ y,
        Opcode::Shl => x.wrapping_shl(shift()),
        // Values are kept sign- or zero-extended, so an arithmetic shift of
        // the i128 is arithmetic for signed and logical for unsigned types.
        Opcode::Shr => x >> shift(),
        Opcode::Umulhi if d.bits() >= 32 => {
            let mask = u128::MAX >> (128 - d.bits());
            let (a, b) = (x as u128 & mask, y as u128 & mask);
            (a.wrapping_mul(b) >> d.bits()) as i128
        }
        _ => return Err(format!("`{}` is not an integer operation", op.name())),
    };
    Ok(wrap_int(d, v))
}

fn float_binary(op: Opcode, d: Dtype, x: f64, y: f64) -> Result<f64, String> {
    let v = match op {
        Opcode::Add => x + y,
        Opcode::Sub => x - y,
        Opcode::Mul => x * y,
        Opcode::Div => x / y,
        Opcode::Rem => x % y,
        Opcode::Maximum => float_maximum(x, y),
        Opcode::Minimum => float_minimum(x, y),
        _ => return Err(format!("`{}` is not a float operation", op.name())),
    };
    Ok(round_float(d, v))
}

/// A binary elementwise op on elements of type `d`.
pub(crate) fn binary(op: Opcode, d: Dtype, a: Scalar, b: Scalar) -> Result<Scalar, String> {
    match (a, b) {
        (Scalar::Undef, _) | (_, Scalar::Undef) => Ok(undef_binary(op, d, a, b)),
        (Scalar::Int(x), Scalar::Int(y)) if !d.is_float() => {
            int_binary(op, d, x, y).map(Scalar::Int)
        }
        (Scalar::Float(x), Scalar::Float(y)) if d.is_float() => {
            float_binary(op, d, x, y).map(Scalar::Float)
        }
        _ => Err(format!("`{}` on {a:?} and {b:?} as {d}", op.name())),
    }
}

/// A binary op with an unspecified operand is unspecified, except where the
/// other operand decides the result alone: `false and x`, `true or x` on
/// `i1`. That exception is what lets the lowering combine a user mask whose
/// padded lanes are unspecified with a lane-valid mask by a plain `and`.
fn undef_binary(op: Opcode, d: Dtype, a: Scalar, b: Scalar) -> Scalar {
    let decides = |x: Scalar| match (op, x) {
        (Opcode::And, Scalar::Int(0)) => Some(Scalar::Int(0)),
        (Opcode::Or, Scalar::Int(1)) => Some(Scalar::Int(1)),
        _ => None,
    };
    if d != Dtype::I1 {
        return Scalar::Undef;
    }
    decides(a).or_else(|| decides(b)).unwrap_or(Scalar::Undef)
}

/// A unary elementwise op on elements of type `d`.
pub(crate) fn unary(op: Opcode, d: Dtype, a: Scalar) -> Result<Scalar, String> {
    match a {
        Scalar::Undef => Ok(Scalar::Undef),
        Scalar::Int(x) if !d.is_float() => Ok(Scalar::Int(wrap_int(
            d,
            match op {
                Opcode::Neg => x.wrapping_neg(),
                Opcode::Not => !x,
                Opcode::Abs => x.abs(),
                _ => return Err(format!("`{}` on integer type {d}", op.name())),
            },
        ))),
        Scalar::Float(x) if d.is_float() => Ok(Scalar::Float(match op {
            Opcode::Neg => -x,
            Opcode::Abs => x.abs(),
            Opcode::Exp => round_float(d, x.exp()),
            Opcode::Log => round_float(d, x.ln()),
            Opcode::Sqrt => round_float(d, x.sqrt()),
            Opcode::Exp2 => round_float(d, x.exp2()),
            Opcode::Log2 => round_float(d, x.log2()),
            Opcode::Rsqrt => round_float(d, 1.0 / x.sqrt()),
            Opcode::Erf => round_float(d, libm::erf(x)),
            Opcode::Sin => round_float(d, x.sin()),
            Opcode::Cos => round_float(d, x.cos()),
            Opcode::Floor => x.floor(),
            Opcode::Ceil => x.ceil(),
            _ => return Err(format!("`{}` on float type {d}", op.name())),
        })),
        _ => Err(format!("`{}` on {a:?} as {d}", op.name())),
    }
}

/// `cmp` with predicate `pred`. Float comparisons are ordered except `ne`,
/// which is exactly what Rust's operators do with NaN. Pointers compare by
/// offset within one argument; only equality is defined across arguments.
pub(crate) fn compare(pred: CmpPred, a: Scalar, b: Scalar) -> Result<Scalar, String> {
    fn by<T: PartialOrd>(pred: CmpPred, x: T, y: T) -> bool {
        match pred {
            CmpPred::Eq => x == y,
            CmpPred::Ne => x != y,
            CmpPred::Lt => x < y,
            CmpPred::Le => x <= y,
            CmpPred::Gt => x > y,
            CmpPred::Ge => x >= y,
        }
    }
    let r = match (a, b) {
        (Scalar::Undef, _) | (_, Scalar::Undef) => return Ok(Scalar::Undef),
        (Scalar::Int(x), Scalar::Int(y)) => by(pred, x, y),
        (Scalar::Float(x), Scalar::Float(y)) => by(pred, x, y),
        (Scalar::Ptr(p), Scalar::Ptr(q)) if p.arg == q.arg => by(pred, p.offset, q.offset),
        (Scalar::Ptr(_), Scalar::Ptr(_)) => match pred {
            CmpPred::Eq => false,
            CmpPred::Ne => true,
            _ => return Err("ordered comparison of pointers into different arguments".into()),
        },
        _ => return Err(format!("comparison of {a:?} with {b:?}")),
    };
    Ok(Scalar::Int(r as i128))
}

/// `fma(a, b, c)`: `a * b + c` rounded once to `d`. The product of two
/// values of at most 24 significant bits is exact in `f64`; the sum is
/// rounded to odd there (see [`add_round_to_odd`]), and rounding that to the
/// narrow type is the single correct rounding. `f64` uses the host's fused
/// multiply-add.
pub(crate) fn fma(d: Dtype, a: Scalar, b: Scalar, c: Scalar) -> Result<Scalar, String> {
    match (a, b, c) {
        (Scalar::Undef, _, _) | (_, Scalar::Undef, _) | (_, _, Scalar::Undef) => Ok(Scalar::Undef),
        (Scalar::Float(x), Scalar::Float(y), Scalar::Float(z)) if d.is_float() => {
            Ok(Scalar::Float(match d {
                Dtype::F64 => x.mul_add(y, z),
                _ => round_float(d, add_round_to_odd(x * y, z)),
            }))
        }
        _ => Err(format!("`fma` on {a:?}, {b:?}, {c:?} as {d}")),
    }
}

/// `p + c` rounded to the nearest `f64` *with ties to odd*: truncated toward
/// zero, the last bit set if anything was lost. Rounding the result again to
/// a format at least two bits narrower gives the correctly rounded sum.
pub(crate) fn add_round_to_odd(p: f64, c: f64) -> f64 {
    let s = p + c;
    if !s.is_finite() {
        return s;
    }
    // TwoSum: `s + e == p + c` exactly.
    let pp = s - c;
    let cc = s - pp;
    let e = (p - pp) + (c - cc);
    if e == 0.0 {
        return s;
    }
    let mut bits = s.to_bits();
    if (e < 0.0) != (s < 0.0) {
        // `s` was rounded away from zero: step one ulp back toward it.
        bits -= 1;
    }
    f64::from_bits(bits | 1)
}

/// The combining op of a value reduction or scan; `None` for the index
/// reductions, which also carry positions (see [`arg_beats`]).
pub(crate) fn reduce_op(kind: ReduceKind) -> Option<Opcode> {
    match kind {
        ReduceKind::Sum => Some(Opcode::Add),
        ReduceKind::Prod => Some(Opcode::Mul),
        ReduceKind::Max => Some(Opcode::Maximum),
        ReduceKind::Min => Some(Opcode::Minimum),
        ReduceKind::Argmax | ReduceKind::Argmin => None,
    }
}

/// Whether `x`, found after `best`, replaces it as the `argmax`
/// (`argmin`) candidate: it is strictly larger (smaller), or NaN where
/// `best` is not. Equal values keep the earlier position, so ties go to the
/// smallest index and `-0.0` ties `+0.0`; the first NaN wins, as with NumPy.
pub(crate) fn arg_beats(kind: ReduceKind, x: Scalar, best: Scalar) -> Result<Option<bool>, String> {
    let better = |o: std::cmp::Ordering| match kind {
        ReduceKind::Argmax => o == std::cmp::Ordering::Greater,
        _ => o == std::cmp::Ordering::Less,
    };
    Ok(Some(match (x, best) {
        (Scalar::Undef, _) | (_, Scalar::Undef) => return Ok(None),
        (Scalar::Int(a), Scalar::Int(b)) => better(a.cmp(&b)),
        (Scalar::Float(a), Scalar::Float(b)) => match (a.is_nan(), b.is_nan()) {
            (_, true) => false,
            (true, false) => true,
            _ => a.partial_cmp(&b).is_some_and(better),
        },
        _ => return Err(format!("`{}` of {x:?} and {best:?}", kind.name())),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_wrap_and_divide_like_c() {
        assert_eq!(wrap_int(Dtype::I8, 128), -128);
        assert_eq!(wrap_int(Dtype::U8, -1), 255);
        let div = |d, x, y| int_binary(Opcode::Div, d, x, y).unwrap();
        let rem = |d, x, y| int_binary(Opcode::Rem, d, x, y).unwrap();
        assert_eq!(div(Dtype::I32, -7, 2), -3);
        assert_eq!(rem(Dtype::I32, -7, 2), -1);
        assert_eq!(div(Dtype::I32, i32::MIN as i128, -1), i32::MIN as i128);
        assert_eq!(div(Dtype::I32, 5, 0), 0);
        assert_eq!(int_binary(Opcode::Shr, Dtype::I8, -128, 9).unwrap(), -64);
        assert_eq!(int_binary(Opcode::Shr, Dtype::U8, 128, 1).unwrap(), 64);
        assert_eq!(int_binary(Opcode::Shl, Dtype::I32, 1, 33).unwrap(), 2);
        let abs = unary(Opcode::Abs, Dtype::I16, Scalar::Int(i16::MIN as i128));
        assert_eq!(abs, Ok(Scalar::Int(i16::MIN as i128)));
    }

    #[test]
    fn float_to_int_saturates_and_maps_nan_to_zero() {
        let c = |x: f64, to| cast(Dtype::F32, to, Scalar::Float(x)).unwrap();
        assert_eq!(c(1e10, Dtype::I32), Scalar::Int(i32::MAX as i128));
        assert_eq!(c(-1e10, Dtype::I32), Scalar::Int(i32::MIN as i128));
        assert_eq!(c(-3.9, Dtype::I32), Scalar::Int(-3));
        assert_eq!(c(f64::NAN, Dtype::U8), Scalar::Int(0));
        assert_eq!(c(-5.0, Dtype::U8), Scalar::Int(0));
        assert_eq!(c(1e30, Dtype::U64), Scalar::Int(u64::MAX as i128));
        assert_eq!(c(0.5, Dtype::I1), Scalar::Int(1));
    }

    #[test]
    fn maximum_and_minimum_propagate_nan_and_order_zeros() {
        assert!(float_maximum(1.0, f64::NAN).is_nan());
        assert!(float_minimum(f64::NAN, 1.0).is_nan());
        assert!(float_maximum(-0.0, 0.0).is_sign_positive());
        assert!(float_minimum(0.0, -0.0).is_sign_negative());
    }

    #[test]
    fn half_precision_rounds_once() {
        // 1 + 2^-11 + 2^-40 is just above the midpoint between two f16
        // neighbours of 1.0; `half`'s direct f64 conversion drops the 2^-40
        // and rounds to even (1.0). The correct answer is 1 + 2^-10.
        let x = 1.0 + 2f64.powi(-11) + 2f64.powi(-40);
        assert_eq!(round_float(Dtype::F16, x), 1.0 + 2f64.powi(-10));
        assert_eq!(round_float(Dtype::F16, 1.0 + 2f64.powi(-11)), 1.0);
        assert_eq!(
            round_float(Dtype::BF16, 1.0 + 2f64.powi(-8) + 2f64.powi(-30)),
            1.0 + 2f64.powi(-7)
        );
        assert_eq!(round_float(Dtype::F16, 1e6), f64::INFINITY);
        // Integer to bf16 rounds the full integer, not a pre-rounded f32.
        let v = (1i128 << 40) + (1 << 32) + 1;
        let got = cast(Dtype::I64, Dtype::BF16, Scalar::Int(v)).unwrap();
        assert_eq!(got, Scalar::Float(((1u64 << 40) + (1 << 33)) as f64));
    }

    #[test]
    fn unspecified_operands_propagate_except_decided_logic() {
        let u = Scalar::Undef;
        assert_eq!(
            binary(Opcode::And, Dtype::I1, u, Scalar::Int(0)),
            Ok(Scalar::Int(0))
        );
        assert_eq!(
            binary(Opcode::Or, Dtype::I1, Scalar::Int(1), u),
            Ok(Scalar::Int(1))
        );
        assert_eq!(binary(Opcode::And, Dtype::I1, u, Scalar::Int(1)), Ok(u));
        assert_eq!(binary(Opcode::Mul, Dtype::I32, u, Scalar::Int(0)), Ok(u));
    }
}
