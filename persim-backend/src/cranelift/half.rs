//! `f16` and `bf16`: held in `f32` registers, converted with integer ops.
//!
//! Every routine here works on `f32` or `f32x4` (with `i32`/`i32x4` bit
//! patterns), so SIMD parts convert without leaving the vector unit. The
//! results equal the `half` crate's `f16::from_f32`/`to_f32` and
//! `bf16::from_f32`/`to_f32` bit for bit, NaN payloads included: round to
//! nearest, ties to even; overflow to infinity; `f16` subnormals kept.
//!
//! Arithmetic on `f16`/`bf16` computes in `f32` and rounds the result back
//! ([`round_to`]). For `+ - * / sqrt` that is the correctly rounded result,
//! since `f32` has more than `2p + 2` bits for `p = 11` (f16) and `p = 8`
//! (bf16), so the double rounding is innocuous.

use super::emit::{bitcast, fconst, icmp_const, iconst, select, shift_amount};
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Type, Value};
use cranelift_frontend::FunctionBuilder;
use persim_lang::ir::Dtype;

/// The integer type with `ty`'s lane count and 32-bit lanes.
fn int_of(ty: Type) -> Type {
    ty.as_int()
}

fn ushr(fb: &mut FunctionBuilder, x: Value, n: i64) -> Value {
    let n = shift_amount(fb, n);
    fb.ins().ushr(x, n)
}

fn ishl(fb: &mut FunctionBuilder, x: Value, n: i64) -> Value {
    let n = shift_amount(fb, n);
    fb.ins().ishl(x, n)
}

fn band(fb: &mut FunctionBuilder, x: Value, k: i64) -> Value {
    let ty = fb.func.dfg.value_type(x);
    let k = iconst(fb, ty, k);
    fb.ins().band(x, k)
}

fn bor(fb: &mut FunctionBuilder, x: Value, k: i64) -> Value {
    let ty = fb.func.dfg.value_type(x);
    let k = iconst(fb, ty, k);
    fb.ins().bor(x, k)
}

fn add(fb: &mut FunctionBuilder, x: Value, k: i64) -> Value {
    let ty = fb.func.dfg.value_type(x);
    let k = iconst(fb, ty, k);
    fb.ins().iadd(x, k)
}

/// `f32` (scalar or `f32x4`) → `f16` bits in the low 16 bits of `i32` lanes.
pub(crate) fn f32_to_f16_bits(fb: &mut FunctionBuilder, x: Value) -> Value {
    let fty = fb.func.dfg.value_type(x);
    let ity = int_of(fty);
    let u = bitcast(fb, ity, x);
    let sign = ushr(fb, u, 16);
    let sign = band(fb, sign, 0x8000);
    let a = band(fb, u, 0x7FFF_FFFF);

    // Normal results: round the mantissa to 10 bits (ties to even) by adding
    // 0xFFF plus the kept LSB; a carry ripples into the exponent. Then rebias
    // the exponent from 127 to 15 (subtract 112 << 10 after the shift).
    let kept = ushr(fb, a, 13);
    let lsb = band(fb, kept, 1);
    let r = add(fb, a, 0xFFF);
    let r = fb.ins().iadd(r, lsb);
    let r = ushr(fb, r, 13);
    let normal = add(fb, r, -(112 << 10));

    // Subnormal results are multiples of 2^-24: adding 0.5 (whose ulp is
    // 2^-24) rounds |x| to one, ties to even, in the f32 adder; the count of
    // 2^-24 steps is then the low mantissa bits.
    let abs = bitcast(fb, fty, a);
    let half = fconst(fb, fty, 0.5);
    let y = fb.ins().fadd(abs, half);
    let y = bitcast(fb, ity, y);
    let subnormal = add(fb, y, -0x3F00_0000);

    // NaN: quiet, keeping the top mantissa bits.
    let nan = band(fb, kept, 0x3FF);
    let nan = bor(fb, nan, 0x7E00);
    let inf = iconst(fb, ity, 0x7C00);

    let is_sub = icmp_const(fb, IntCC::SignedLessThan, a, 0x3880_0000);
    let res = select(fb, is_sub, subnormal, normal);
    let is_big = icmp_const(fb, IntCC::SignedGreaterThanOrEqual, a, 0x477F_F000);
    let res = select(fb, is_big, inf, res);
    let is_nan = icmp_const(fb, IntCC::SignedGreaterThan, a, 0x7F80_0000);
    let res = select(fb, is_nan, nan, res);
    fb.ins().bor(res, sign)
}

/// `f16` bits (low 16 bits of `i32` lanes) → `f32` (scalar or `f32x4`).
pub(crate) fn f16_bits_to_f32(fb: &mut FunctionBuilder, h: Value) -> Value {
    let ity = fb.func.dfg.value_type(h);
    let fty = if ity.is_vector() {
        types::F32X4
    } else {
        types::F32
    };
    let sign = band(fb, h, 0x8000);
    let sign = ishl(fb, sign, 16);
    let exp = band(fb, h, 0x7C00);
    let man = band(fb, h, 0x3FF);

    let mag = band(fb, h, 0x7FFF);
    let mag = ishl(fb, mag, 13);
    let normal = add(fb, mag, 0x3800_0000);

    // Subnormal: m × 2^-24 = (0.5 + m × 2^-24) − 0.5, both steps exact.
    let biased = add(fb, man, 0x3F00_0000);
    let biased = bitcast(fb, fty, biased);
    let half = fconst(fb, fty, 0.5);
    let sub = fb.ins().fsub(biased, half);
    let subnormal = bitcast(fb, ity, sub);

    // Infinity, or NaN with the quiet bit set and the payload kept.
    let payload = ishl(fb, man, 13);
    let quiet = icmp_const(fb, IntCC::NotEqual, man, 0);
    let quiet_bit = iconst(fb, ity, 0x0040_0000);
    let zero = iconst(fb, ity, 0);
    let quiet_bit = select(fb, quiet, quiet_bit, zero);
    let special = bor(fb, payload, 0x7F80_0000);
    let special = fb.ins().bor(special, quiet_bit);

    let is_sub = icmp_const(fb, IntCC::Equal, exp, 0);
    let res = select(fb, is_sub, subnormal, normal);
    let is_special = icmp_const(fb, IntCC::Equal, exp, 0x7C00);
    let res = select(fb, is_special, special, res);
    let res = fb.ins().bor(res, sign);
    bitcast(fb, fty, res)
}

/// `f32` → `bf16` bits in the low 16 bits of `i32` lanes.
pub(crate) fn f32_to_bf16_bits(fb: &mut FunctionBuilder, x: Value) -> Value {
    let ity = int_of(fb.func.dfg.value_type(x));
    let u = bitcast(fb, ity, x);
    let a = band(fb, u, 0x7FFF_FFFF);
    let hi = ushr(fb, u, 16);
    let lsb = band(fb, hi, 1);
    let r = add(fb, u, 0x7FFF);
    let r = fb.ins().iadd(r, lsb);
    let rounded = ushr(fb, r, 16);
    let rounded = band(fb, rounded, 0xFFFF);
    let nan = bor(fb, hi, 0x40);
    let is_nan = icmp_const(fb, IntCC::UnsignedGreaterThan, a, 0x7F80_0000);
    select(fb, is_nan, nan, rounded)
}

/// `bf16` bits (low 16 bits of `i32` lanes) → `f32`.
pub(crate) fn bf16_bits_to_f32(fb: &mut FunctionBuilder, h: Value) -> Value {
    let ity = fb.func.dfg.value_type(h);
    let fty = if ity.is_vector() {
        types::F32X4
    } else {
        types::F32
    };
    let h = band(fb, h, 0xFFFF);
    let quieted = bor(fb, h, 0x40);
    let mag = band(fb, h, 0x7FFF);
    let is_nan = icmp_const(fb, IntCC::UnsignedGreaterThan, mag, 0x7F80);
    let h = select(fb, is_nan, quieted, h);
    let bits = ishl(fb, h, 16);
    bitcast(fb, fty, bits)
}

/// Round an `f32` (scalar or `f32x4`) to the nearest `d` value (`f16` or
/// `bf16`), keeping it in `f32`. Other dtypes pass through.
pub(crate) fn round_to(fb: &mut FunctionBuilder, d: Dtype, x: Value) -> Value {
    match d {
        Dtype::F16 => {
            let bits = f32_to_f16_bits(fb, x);
            f16_bits_to_f32(fb, bits)
        }
        Dtype::BF16 => {
            let bits = f32_to_bf16_bits(fb, x);
            bf16_bits_to_f32(fb, bits)
        }
        _ => x,
    }
}

/// Narrow a scalar `f64` to `f32` rounding *to odd* (truncate, then set the
/// last bit if anything was lost). Rounding that result to `f16`/`bf16`
/// (≤ 22 bits fewer) is then the correctly rounded `f64` → `f16`/`bf16`
/// conversion, free of double-rounding errors.
pub(crate) fn f64_to_f32_round_odd(fb: &mut FunctionBuilder, x: Value) -> Value {
    let t = fb.ins().fdemote(types::F32, x);
    let back = fb.ins().fpromote(types::F64, t);
    let inexact = fb.ins().fcmp(FloatCC::OrderedNotEqual, back, x);
    let abs_back = fb.ins().fabs(back);
    let abs_x = fb.ins().fabs(x);
    let away = fb.ins().fcmp(FloatCC::GreaterThan, abs_back, abs_x);
    let bits = fb.ins().bitcast(types::I32, MemFlagsData::new(), t);
    let one = fb.ins().iconst(types::I32, 1);
    let toward_zero = fb.ins().isub(bits, one);
    let truncated = fb.ins().select(away, toward_zero, bits);
    let odd = fb.ins().bor(truncated, one);
    let res = fb.ins().select(inexact, odd, bits);
    fb.ins().bitcast(types::F32, MemFlagsData::new(), res)
}

/// Host-side twin of [`f64_to_f32_round_odd`], for constants folded at
/// compile time (so a constant and a run-time cast of it agree).
pub(crate) fn round_odd_f32(x: f64) -> f32 {
    let t = x as f32;
    if x.is_nan() || t as f64 == x {
        return t;
    }
    let mut bits = t.to_bits();
    if (t as f64).abs() > x.abs() {
        bits -= 1;
    }
    f32::from_bits(bits | 1)
}
