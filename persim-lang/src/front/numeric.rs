//! Arithmetic on compile-time constants with the semantics of the IR ops, so
//! folding a constant gives exactly what the op would compute at run time.

use super::value::Konst;
use crate::ir::Dtype;

/// Inclusive value range of an integer (or `bool`) type.
pub fn int_range(d: Dtype) -> (i128, i128) {
    if d.is_bool() {
        return (0, 1);
    }
    let bits = d.bits();
    if d.is_signed_int() {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    }
}

pub fn fits(value: i128, d: Dtype) -> bool {
    let (lo, hi) = int_range(d);
    (lo..=hi).contains(&value)
}

/// Wrap an integer to the width and signedness of `d` (two's complement).
pub fn wrap_int(value: i128, d: Dtype) -> i128 {
    let bits = d.bits();
    let mask = (1i128 << bits) - 1;
    let low = value & mask;
    if d.is_signed_int() && low >> (bits - 1) & 1 == 1 {
        low - (1i128 << bits)
    } else {
        low
    }
}

/// Round an `f64` to the nearest value of float type `d` (ties to even).
pub fn round_float(x: f64, d: Dtype) -> f64 {
    match d {
        Dtype::F16 => half::f16::from_f64(x).to_f64(),
        Dtype::BF16 => half::bf16::from_f64(x).to_f64(),
        Dtype::F32 => x as f32 as f64,
        _ => x,
    }
}

/// Convert a constant of type `from` to type `to` as the IR's `cast` does:
/// float to int truncates toward zero and saturates (NaN gives 0), int to int
/// wraps, anything to `bool` means `!= 0`.
pub fn cast_konst(k: Konst, to: Dtype) -> Konst {
    let as_f64 = |k: Konst| match k {
        Konst::Int(i) => i as f64,
        Konst::Float(x) => x,
        Konst::Bool(b) => b as u8 as f64,
        Konst::Unknown => 0.0,
    };
    match k {
        Konst::Unknown => Konst::Unknown,
        _ if to.is_bool() => Konst::Bool(as_f64(k) != 0.0),
        _ if to.is_float() => Konst::Float(round_float(as_f64(k), to)),
        Konst::Int(i) => Konst::Int(wrap_int(i, to)),
        Konst::Bool(b) => Konst::Int(b as i128),
        Konst::Float(x) => {
            let (lo, hi) = int_range(to);
            let v = if x.is_nan() {
                0
            } else {
                // `as i128` truncates toward zero and saturates.
                (x as i128).clamp(lo, hi)
            };
            Konst::Int(v)
        }
    }
}

/// Integer binary operators that fold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
    Xor,
    Shl,
    Shr,
    Max,
    Min,
}

/// Fold an integer (or `bool`, for the bitwise ops) operation in type `d`;
/// `None` for a division by zero.
pub fn fold_int(op: IntOp, a: i128, b: i128, d: Dtype) -> Option<i128> {
    let shift = || (b.rem_euclid(d.bits() as i128)) as u32;
    let r = match op {
        IntOp::Add => a + b,
        IntOp::Sub => a - b,
        IntOp::Mul => a.wrapping_mul(b),
        // C semantics: truncate toward zero, remainder has the dividend's sign.
        IntOp::Div => a.checked_div(b)?,
        IntOp::Rem => a.checked_rem(b)?,
        IntOp::And => a & b,
        IntOp::Or => a | b,
        IntOp::Xor => a ^ b,
        IntOp::Shl => a << shift(),
        IntOp::Shr => a >> shift(),
        IntOp::Max => a.max(b),
        IntOp::Min => a.min(b),
    };
    Some(if d.is_bool() { r & 1 } else { wrap_int(r, d) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_and_ranges() {
        assert_eq!(wrap_int(128, Dtype::I8), -128);
        assert_eq!(wrap_int(-1, Dtype::U16), 65535);
        assert_eq!(wrap_int(1 << 40, Dtype::I32), 0);
        assert_eq!(int_range(Dtype::U64), (0, u64::MAX as i128));
        assert!(fits(i64::MIN as i128, Dtype::I64));
        assert!(!fits(256, Dtype::U8));
    }

    #[test]
    fn folding_follows_c() {
        assert_eq!(fold_int(IntOp::Div, -7, 2, Dtype::I32), Some(-3));
        assert_eq!(fold_int(IntOp::Rem, -7, 2, Dtype::I32), Some(-1));
        assert_eq!(fold_int(IntOp::Div, 1, 0, Dtype::I32), None);
        assert_eq!(
            fold_int(IntOp::Div, i32::MIN as i128, -1, Dtype::I32),
            Some(i32::MIN as i128)
        );
        assert_eq!(fold_int(IntOp::Shl, 1, 33, Dtype::I32), Some(2));
        assert_eq!(fold_int(IntOp::Shr, -8, 1, Dtype::I32), Some(-4));
        assert_eq!(fold_int(IntOp::Add, 255, 1, Dtype::U8), Some(0));
    }

    #[test]
    fn casts_saturate_and_round() {
        assert_eq!(
            cast_konst(Konst::Float(1e10), Dtype::I32),
            Konst::Int(i32::MAX as i128)
        );
        assert_eq!(cast_konst(Konst::Float(-2.7), Dtype::I32), Konst::Int(-2));
        assert_eq!(cast_konst(Konst::Float(f64::NAN), Dtype::U8), Konst::Int(0));
        assert_eq!(cast_konst(Konst::Int(300), Dtype::U8), Konst::Int(44));
        assert_eq!(cast_konst(Konst::Int(2), Dtype::I1), Konst::Bool(true));
        assert_eq!(
            cast_konst(Konst::Float(0.1), Dtype::F32),
            Konst::Float(0.1f32 as f64)
        );
        assert_eq!(
            cast_konst(Konst::Float(65519.0), Dtype::F16),
            Konst::Float(65504.0)
        );
    }
}
