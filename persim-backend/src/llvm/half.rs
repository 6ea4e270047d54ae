//! `f16` and `bf16`: held in `float` registers, converted with integer ops.
//!
//! The conversions work on `float`/`i32` scalars and `<L x float>`/
//! `<L x i32>` vectors alike, so vectors convert without leaving the vector
//! unit and the same code serves every target (no dependence on F16C or
//! AVX512-BF16, nor on compiler-rt's half libcalls in AOT objects). The
//! results equal the `half` crate's `from_f32`/`to_f32` bit for bit, NaN
//! payloads included: round to nearest, ties to even; overflow to
//! infinity; `f16` subnormals kept. The algorithms are those of the
//! Cranelift backend (`cranelift/half.rs`), so the two backends agree.
//!
//! Arithmetic on `f16`/`bf16` computes in `f32` and rounds the result back
//! ([`Translator::round_to`]), which is correctly rounded for `+ - * /
//! sqrt` since `f32` has more than `2p + 2` bits for both formats.

use super::error::LlvmError;
use super::translate::Translator;
use inkwell::types::BasicTypeEnum;
use inkwell::values::{BasicValueEnum, InstructionOpcode as I};
use inkwell::{FloatPredicate, IntPredicate};
use persim_lang::ir::Dtype;

type R<'ctx> = Result<BasicValueEnum<'ctx>, LlvmError>;

impl<'a, 'ctx> Translator<'a, 'ctx> {
    fn op_k(&self, opcode: I, x: BasicValueEnum<'ctx>, k: i64) -> R<'ctx> {
        let k = self.int_const(x.get_type(), k);
        Ok(self.b.build_binop(opcode, x, k, "")?)
    }

    fn op2(&self, opcode: I, x: BasicValueEnum<'ctx>, y: BasicValueEnum<'ctx>) -> R<'ctx> {
        Ok(self.b.build_binop(opcode, x, y, "")?)
    }

    fn cmp_k(&self, pred: IntPredicate, x: BasicValueEnum<'ctx>, k: i64) -> R<'ctx> {
        let k = self.int_const(x.get_type(), k);
        self.icmp(pred, x, k)
    }

    /// The `i32` type with the lanes of `ty` (a float or float vector).
    fn int_like(&self, ty: BasicTypeEnum<'ctx>) -> BasicTypeEnum<'ctx> {
        self.like(ty, self.cx.i32_type().into())
    }

    fn float_like(&self, ty: BasicTypeEnum<'ctx>) -> BasicTypeEnum<'ctx> {
        self.like(ty, self.cx.f32_type().into())
    }

    /// `f32` → `f16` bits in the low 16 bits of `i32` lanes.
    pub fn f32_to_f16_bits(&self, x: BasicValueEnum<'ctx>) -> R<'ctx> {
        let fty = x.get_type();
        let ity = self.int_like(fty);
        let u = self.bitcast(x, ity)?;
        let sign = self.op_k(I::LShr, u, 16)?;
        let sign = self.op_k(I::And, sign, 0x8000)?;
        let a = self.op_k(I::And, u, 0x7FFF_FFFF)?;
        // Normal results: round the mantissa to 10 bits (ties to even) by
        // adding 0xFFF plus the kept LSB; then rebias the exponent.
        let kept = self.op_k(I::LShr, a, 13)?;
        let lsb = self.op_k(I::And, kept, 1)?;
        let r = self.op_k(I::Add, a, 0xFFF)?;
        let r = self.op2(I::Add, r, lsb)?;
        let r = self.op_k(I::LShr, r, 13)?;
        let normal = self.op_k(I::Add, r, -(112 << 10))?;
        // Subnormal results are multiples of 2^-24: adding 0.5 rounds |x|
        // to one in the f32 adder, ties to even.
        let abs = self.bitcast(a, fty)?;
        let half = self.float_const(fty, 0.5);
        let y = self.op2(I::FAdd, abs, half)?;
        let y = self.bitcast(y, ity)?;
        let subnormal = self.op_k(I::Add, y, -0x3F00_0000)?;
        // NaN: quiet, keeping the top mantissa bits.
        let nan = self.op_k(I::And, kept, 0x3FF)?;
        let nan = self.op_k(I::Or, nan, 0x7E00)?;
        let inf = self.int_const(ity, 0x7C00);
        let is_sub = self.cmp_k(IntPredicate::SLT, a, 0x3880_0000)?;
        let res = self.select_value(is_sub, subnormal, normal)?;
        let is_big = self.cmp_k(IntPredicate::SGE, a, 0x477F_F000)?;
        let res = self.select_value(is_big, inf, res)?;
        let is_nan = self.cmp_k(IntPredicate::SGT, a, 0x7F80_0000)?;
        let res = self.select_value(is_nan, nan, res)?;
        self.op2(I::Or, res, sign)
    }

    /// `f16` bits (low 16 bits of `i32` lanes) → `f32`.
    pub fn f16_bits_to_f32(&self, h: BasicValueEnum<'ctx>) -> R<'ctx> {
        let ity = h.get_type();
        let fty = self.float_like(ity);
        let sign = self.op_k(I::And, h, 0x8000)?;
        let sign = self.op_k(I::Shl, sign, 16)?;
        let exp = self.op_k(I::And, h, 0x7C00)?;
        let man = self.op_k(I::And, h, 0x3FF)?;
        let mag = self.op_k(I::And, h, 0x7FFF)?;
        let mag = self.op_k(I::Shl, mag, 13)?;
        let normal = self.op_k(I::Add, mag, 0x3800_0000)?;
        // Subnormal: m × 2^-24 = (0.5 + m × 2^-24) − 0.5, both steps exact.
        let biased = self.op_k(I::Add, man, 0x3F00_0000)?;
        let biased = self.bitcast(biased, fty)?;
        let half = self.float_const(fty, 0.5);
        let sub = self.op2(I::FSub, biased, half)?;
        let subnormal = self.bitcast(sub, ity)?;
        // Infinity, or NaN with the quiet bit set and the payload kept.
        let payload = self.op_k(I::Shl, man, 13)?;
        let quiet = self.cmp_k(IntPredicate::NE, man, 0)?;
        let quiet_bit = self.int_const(ity, 0x0040_0000);
        let zero = self.int_const(ity, 0);
        let quiet_bit = self.select_value(quiet, quiet_bit, zero)?;
        let special = self.op_k(I::Or, payload, 0x7F80_0000)?;
        let special = self.op2(I::Or, special, quiet_bit)?;
        let is_sub = self.cmp_k(IntPredicate::EQ, exp, 0)?;
        let res = self.select_value(is_sub, subnormal, normal)?;
        let is_special = self.cmp_k(IntPredicate::EQ, exp, 0x7C00)?;
        let res = self.select_value(is_special, special, res)?;
        let res = self.op2(I::Or, res, sign)?;
        self.bitcast(res, fty)
    }

    /// `f32` → `bf16` bits in the low 16 bits of `i32` lanes.
    pub fn f32_to_bf16_bits(&self, x: BasicValueEnum<'ctx>) -> R<'ctx> {
        let ity = self.int_like(x.get_type());
        let u = self.bitcast(x, ity)?;
        let a = self.op_k(I::And, u, 0x7FFF_FFFF)?;
        let hi = self.op_k(I::LShr, u, 16)?;
        let lsb = self.op_k(I::And, hi, 1)?;
        let r = self.op_k(I::Add, u, 0x7FFF)?;
        let r = self.op2(I::Add, r, lsb)?;
        let rounded = self.op_k(I::LShr, r, 16)?;
        let rounded = self.op_k(I::And, rounded, 0xFFFF)?;
        let nan = self.op_k(I::Or, hi, 0x40)?;
        let is_nan = self.cmp_k(IntPredicate::UGT, a, 0x7F80_0000)?;
        self.select_value(is_nan, nan, rounded)
    }

    /// `bf16` bits (low 16 bits of `i32` lanes) → `f32`.
    pub fn bf16_bits_to_f32(&self, h: BasicValueEnum<'ctx>) -> R<'ctx> {
        let ity = h.get_type();
        let fty = self.float_like(ity);
        let h = self.op_k(I::And, h, 0xFFFF)?;
        let quieted = self.op_k(I::Or, h, 0x40)?;
        let mag = self.op_k(I::And, h, 0x7FFF)?;
        let is_nan = self.cmp_k(IntPredicate::UGT, mag, 0x7F80)?;
        let h = self.select_value(is_nan, quieted, h)?;
        let bits = self.op_k(I::Shl, h, 16)?;
        self.bitcast(bits, fty)
    }

    /// Round an `f32` value to the nearest `d` value (`f16` or `bf16`),
    /// keeping it in `f32`. Other dtypes pass through.
    pub fn round_to(&self, d: Dtype, x: BasicValueEnum<'ctx>) -> R<'ctx> {
        match d {
            Dtype::F16 => {
                let bits = self.f32_to_f16_bits(x)?;
                self.f16_bits_to_f32(bits)
            }
            Dtype::BF16 => {
                let bits = self.f32_to_bf16_bits(x)?;
                self.bf16_bits_to_f32(bits)
            }
            _ => Ok(x),
        }
    }

    /// `f16`/`bf16` bits (`i16` lanes from memory) → register form.
    pub fn half_from_memory(&self, d: Dtype, bits: BasicValueEnum<'ctx>) -> R<'ctx> {
        let ity = self.like(bits.get_type(), self.cx.i32_type().into());
        let wide = self.cast_op(I::ZExt, bits, ity)?;
        if d == Dtype::F16 {
            self.f16_bits_to_f32(wide)
        } else {
            self.bf16_bits_to_f32(wide)
        }
    }

    /// Register form → `f16`/`bf16` bits as `i16` lanes for memory.
    pub fn half_to_memory(&self, d: Dtype, x: BasicValueEnum<'ctx>) -> R<'ctx> {
        let bits = if d == Dtype::F16 {
            self.f32_to_f16_bits(x)?
        } else {
            self.f32_to_bf16_bits(x)?
        };
        let ty = self.like(bits.get_type(), self.cx.i16_type().into());
        self.cast_op(I::Trunc, bits, ty)
    }

    /// Narrow `f64` (scalar or vector) to `f32` rounding *to odd*: rounding
    /// that result to `f16`/`bf16` is then the correctly rounded `f64` →
    /// `f16`/`bf16` conversion, free of double rounding.
    pub fn f64_to_f32_round_odd(&self, x: BasicValueEnum<'ctx>) -> R<'ctx> {
        let fty = self.float_like(x.get_type());
        let ity = self.int_like(x.get_type());
        let t = self.cast_op(I::FPTrunc, x, fty)?;
        let back = self.cast_op(I::FPExt, t, x.get_type())?;
        let inexact = self.fcmp(FloatPredicate::ONE, back, x)?;
        let abs_back = self.intrinsic("llvm.fabs", &[back.get_type()], &[back])?;
        let abs_x = self.intrinsic("llvm.fabs", &[x.get_type()], &[x])?;
        let away = self.fcmp(FloatPredicate::OGT, abs_back, abs_x)?;
        let bits = self.bitcast(t, ity)?;
        let toward_zero = self.op_k(I::Sub, bits, 1)?;
        let truncated = self.select_value(away, toward_zero, bits)?;
        let odd = self.op_k(I::Or, truncated, 1)?;
        let res = self.select_value(inexact, odd, bits)?;
        self.bitcast(res, fty)
    }
}

/// Host-side twin of [`Translator::f64_to_f32_round_odd`], for constants
/// (so a constant and a run-time cast of it agree).
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
