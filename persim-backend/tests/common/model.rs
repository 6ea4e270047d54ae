//! A plain-Rust model of element semantics (the op table's documented
//! behaviour), computed with Rust's own arithmetic, `half`, and exact
//! integer rounding. Values travel as their storage bits (`u64`).

use half::{bf16, f16};
use persim_lang::ir::{CmpPred, Dtype, Opcode};

pub fn int_val(d: Dtype, bits: u64) -> i128 {
    match d {
        Dtype::I1 => (bits & 1) as i128,
        Dtype::I8 => bits as u8 as i8 as i128,
        Dtype::I16 => bits as u16 as i16 as i128,
        Dtype::I32 => bits as u32 as i32 as i128,
        Dtype::I64 => bits as i64 as i128,
        Dtype::U8 => bits as u8 as i128,
        Dtype::U16 => bits as u16 as i128,
        Dtype::U32 => bits as u32 as i128,
        Dtype::U64 => bits as i128,
        d => panic!("{d} is not an integer"),
    }
}

pub fn int_bits(d: Dtype, v: i128) -> u64 {
    let w = d.size_bytes() * 8;
    if d == Dtype::I1 {
        return (v != 0) as u64;
    }
    (v as u64) & if w == 64 { u64::MAX } else { (1u64 << w) - 1 }
}

/// A float dtype's value as `f64` (exact).
pub fn fval(d: Dtype, bits: u64) -> f64 {
    match d {
        Dtype::F16 => f16::from_bits(bits as u16).to_f64(),
        Dtype::BF16 => bf16::from_bits(bits as u16).to_f64(),
        Dtype::F32 => f32::from_bits(bits as u32) as f64,
        Dtype::F64 => f64::from_bits(bits),
        d => panic!("{d} is not a float"),
    }
}

/// Round an `f64` once, to nearest even, to `d`'s precision and range.
pub fn fbits(d: Dtype, x: f64) -> u64 {
    match d {
        Dtype::F64 => x.to_bits(),
        Dtype::F32 => (x as f32).to_bits() as u64,
        Dtype::F16 => f16::from_f64(round_mantissa(x, 10, -14)).to_bits() as u64,
        Dtype::BF16 => bf16::from_f64(round_mantissa(x, 7, -126)).to_bits() as u64,
        d => panic!("{d} is not a float"),
    }
}

/// Round `x` to `man` explicit mantissa bits (ties to even) in exact integer
/// arithmetic on its `f64` bits, keeping subnormals of minimum exponent
/// `emin` at that exponent's spacing. The result is exactly representable
/// in the narrow type, so `half`'s (truncating) `from_f64` converts it
/// exactly.
fn round_mantissa(x: f64, man: u32, emin: i32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let biased = ((x.to_bits() >> 52) & 0x7FF) as i32;
    let e = (biased - 1023).max(emin);
    // Spacing of the narrow type at x's binade.
    let quantum = 2f64.powi(e - man as i32);
    let q = x / quantum; // exact: a power-of-two scaling
    let r = q.round_ties_even();
    r * quantum
}

fn f32_of(d: Dtype, bits: u64) -> f32 {
    fval(d, bits) as f32
}

/// `maximum`/`minimum`: NaN if either is NaN; -0 < +0.
fn fmax(a: f64, b: f64, max: bool) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == b {
        let neg = |x: f64| x.is_sign_negative();
        return if max == neg(a) { b } else { a };
    }
    if (a > b) == max {
        a
    } else {
        b
    }
}

pub fn binary(op: Opcode, d: Dtype, a: u64, b: u64) -> u64 {
    if d.is_float() {
        let (x, y) = (fval(d, a), fval(d, b));
        let r = match op {
            Opcode::Add | Opcode::Sub | Opcode::Mul | Opcode::Div | Opcode::Rem
                if d == Dtype::F64 =>
            {
                match op {
                    Opcode::Add => x + y,
                    Opcode::Sub => x - y,
                    Opcode::Mul => x * y,
                    Opcode::Div => x / y,
                    _ => x % y,
                }
            }
            Opcode::Add | Opcode::Sub | Opcode::Mul | Opcode::Div | Opcode::Rem => {
                // Computed in f32, as the op table's f16/bf16 rule says.
                let (x, y) = (f32_of(d, a), f32_of(d, b));
                (match op {
                    Opcode::Add => x + y,
                    Opcode::Sub => x - y,
                    Opcode::Mul => x * y,
                    Opcode::Div => x / y,
                    _ => x % y,
                }) as f64
            }
            Opcode::Maximum => fmax(x, y, true),
            Opcode::Minimum => fmax(x, y, false),
            _ => panic!("{op:?} on {d}"),
        };
        return fbits(d, r);
    }
    let signed = d.is_signed_int();
    let (x, y) = (int_val(d, a), int_val(d, b));
    let w = d.bits();
    let r = match op {
        Opcode::Add => x.wrapping_add(y),
        Opcode::Sub => x.wrapping_sub(y),
        Opcode::Mul => x.wrapping_mul(y),
        Opcode::Div => x / y,
        Opcode::Rem => x % y,
        Opcode::Maximum => x.max(y),
        Opcode::Minimum => x.min(y),
        Opcode::And => x & y,
        Opcode::Or => x | y,
        Opcode::Xor => x ^ y,
        Opcode::Shl => x << (b as u32 % w),
        Opcode::Shr if signed => x >> (b as u32 % w),
        Opcode::Shr => x >> (b as u32 % w),
        _ => panic!("{op:?} on {d}"),
    };
    int_bits(d, r)
}

pub fn unary(op: Opcode, d: Dtype, a: u64) -> u64 {
    if d.is_float() {
        let x = fval(d, a);
        let r = match (op, d) {
            (Opcode::Neg, _) => -x,
            (Opcode::Abs, _) => x.abs(),
            (Opcode::Sqrt, Dtype::F64) => x.sqrt(),
            (Opcode::Exp, Dtype::F64) => x.exp(),
            (Opcode::Log, Dtype::F64) => x.ln(),
            (Opcode::Sqrt, _) => (x as f32).sqrt() as f64,
            (Opcode::Exp, _) => (x as f32).exp() as f64,
            (Opcode::Log, _) => (x as f32).ln() as f64,
            _ => panic!("{op:?} on {d}"),
        };
        return fbits(d, r);
    }
    let x = int_val(d, a);
    let r = match op {
        Opcode::Neg => x.wrapping_neg(),
        Opcode::Not if d == Dtype::I1 => (x == 0) as i128,
        Opcode::Not => !x,
        Opcode::Abs => x.abs(),
        _ => panic!("{op:?} on {d}"),
    };
    int_bits(d, r)
}

pub fn cmp(pred: CmpPred, d: Dtype, a: u64, b: u64) -> bool {
    if d.is_float() {
        let (x, y) = (fval(d, a), fval(d, b));
        match pred {
            CmpPred::Eq => x == y,
            CmpPred::Ne => x != y,
            CmpPred::Lt => x < y,
            CmpPred::Le => x <= y,
            CmpPred::Gt => x > y,
            CmpPred::Ge => x >= y,
        }
    } else {
        let (x, y) = (int_val(d, a), int_val(d, b));
        match pred {
            CmpPred::Eq => x == y,
            CmpPred::Ne => x != y,
            CmpPred::Lt => x < y,
            CmpPred::Le => x <= y,
            CmpPred::Gt => x > y,
            CmpPred::Ge => x >= y,
        }
    }
}

/// Round an integer to `p` significant bits, ties to even, exactly.
fn round_int(v: i128, p: u32) -> f64 {
    let mag = v.unsigned_abs();
    let len = 128 - mag.leading_zeros();
    let r = if len <= p {
        mag
    } else {
        let shift = len - p;
        let q = mag >> shift;
        let rem = mag & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let q = if rem > half || (rem == half && q & 1 == 1) {
            q + 1
        } else {
            q
        };
        q << shift
    };
    let f = r as f64; // exact: r has at most p + 1 significant bits
    if v < 0 {
        -f
    } else {
        f
    }
}

pub fn cast(from: Dtype, to: Dtype, a: u64) -> u64 {
    if to == Dtype::I1 {
        return if from.is_float() {
            (fval(from, a) != 0.0) as u64
        } else {
            (int_val(from, a) != 0) as u64
        };
    }
    match (from.is_float(), to.is_float()) {
        (false, false) => int_bits(to, int_val(from, a)),
        (false, true) => {
            let v = int_val(from, a);
            match to {
                Dtype::F32 => (v as f32).to_bits() as u64,
                Dtype::F64 => (v as f64).to_bits(),
                Dtype::F16 => f16::from_f64(round_int(v, 11)).to_bits() as u64,
                _ => bf16::from_f64(round_int(v, 8)).to_bits() as u64,
            }
        }
        (true, false) => {
            let x = fval(from, a);
            // Rust's `as` saturates and maps NaN to 0, as the op table says.
            match to {
                Dtype::I8 => x as i8 as u8 as u64,
                Dtype::I16 => x as i16 as u16 as u64,
                Dtype::I32 => x as i32 as u32 as u64,
                Dtype::I64 => x as i64 as u64,
                Dtype::U8 => x as u8 as u64,
                Dtype::U16 => x as u16 as u64,
                Dtype::U32 => x as u32 as u64,
                Dtype::U64 => x as u64,
                _ => unreachable!(),
            }
        }
        (true, true) => fbits(to, fval(from, a)),
    }
}

/// Whether two results agree: equal bits, or both NaN for floats.
pub fn same(d: Dtype, a: u64, b: u64) -> bool {
    if d.is_float() {
        let (x, y) = (fval(d, a), fval(d, b));
        (x.is_nan() && y.is_nan()) || a == b
    } else {
        a == b
    }
}

pub fn describe(d: Dtype, bits: u64) -> String {
    if d.is_float() {
        format!("{} ({bits:#x})", fval(d, bits))
    } else {
        format!("{}", int_val(d, bits))
    }
}

/// Random test data for `d`: full-range integers (small ones half the time),
/// floats in [-8, 8) with a few specials.
pub fn random_bits(rng: &mut super::Rng, d: Dtype) -> u64 {
    if d == Dtype::I1 {
        return rng.below(2);
    }
    if d.is_float() {
        let x = match rng.below(40) {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => f64::NEG_INFINITY,
            3 => 0.0,
            4 => -0.0,
            _ => rng.f64_in(-8.0, 8.0),
        };
        return fbits(d, x);
    }
    let v = if rng.below(2) == 0 {
        rng.next_u64()
    } else {
        (rng.below(64) as i64 - 32) as u64
    };
    int_bits(d, v as i64 as i128)
}
