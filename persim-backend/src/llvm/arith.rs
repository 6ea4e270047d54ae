//! Elementwise arithmetic: binary and unary ops and comparisons, on scalars
//! and whole vectors alike (LLVM legalizes vector types for the target).
//!
//! Semantics are those of the op table, as in the Cranelift backend:
//! integers wrap; integer division and remainder never trap (a zero
//! divisor, or `MIN / -1`, is replaced by 1, giving `a` and 0); shift
//! amounts are taken modulo the bit width (masked, since LLVM's shifts are
//! poison past the width); `maximum`/`minimum` propagate NaN and order
//! `-0.0 < +0.0`; float compares are ordered except `ne`; `f16`/`bf16`
//! results are rounded back after every op that can produce a new value.
//! `log`/`sqrt` and `f64` `exp` are LLVM intrinsics, which call the C
//! library's `logf`/`log`/`exp` (the functions Rust's `f32::ln` and
//! friends call) so results match a plain-Rust reference on the same host;
//! `f32` `exp`/`exp2` are inline vector code (`vexp`), within two ulps.

use super::error::LlvmError;
use super::translate::Translator;
use inkwell::values::{BasicValueEnum, InstructionOpcode as I};
use inkwell::{FloatPredicate, IntPredicate};
use persim_lang::ir::{CmpPred, Dtype, Op, Opcode};

type R<'ctx> = Result<BasicValueEnum<'ctx>, LlvmError>;

/// The host functions behind `erf`, by symbol (see `Translator::erf`).
pub(crate) const ERF_F32: &str = "persim_erf_f32";
pub(crate) const ERF_F64: &str = "persim_erf_f64";

pub(crate) extern "C" fn erf_f32(x: f32) -> f32 {
    libm::erff(x)
}

pub(crate) extern "C" fn erf_f64(x: f64) -> f64 {
    libm::erf(x)
}

/// Whether the op's result needs rounding back to `f16`/`bf16`.
fn rounds(opcode: Opcode) -> bool {
    use Opcode::*;
    matches!(
        opcode,
        Add | Sub | Mul | Div | Rem | Exp | Log | Sqrt | Exp2 | Log2 | Rsqrt | Sin | Cos | Erf
    )
}

impl<'a, 'ctx> Translator<'a, 'ctx> {
    pub fn binary(&mut self, op: Op) -> Result<(), LlvmError> {
        let opcode = self.func.op(op).opcode;
        let operands = self.operands(op);
        let d = self.dtype(op, operands[0])?;
        let a = self.get(op, operands[0])?;
        let b = self.get(op, operands[1])?;
        let by_splat = match (opcode, self.splat_of.get(&operands[1])) {
            (Opcode::Div, Some(&s)) if d.is_float() => self.div_by_splat(a, b, s)?,
            _ => None,
        };
        let v = match by_splat {
            Some(q) => self.round_to(d, q)?,
            None => self.binary_value(op, opcode, d, a, b)?,
        };
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }

    /// One binary op on scalars or vectors, rounded for `f16`/`bf16`.
    pub fn binary_value(
        &self,
        op: Op,
        opcode: Opcode,
        d: Dtype,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> R<'ctx> {
        let float = d.is_float();
        let signed = d.is_signed_int();
        let bin = |o: I| -> R<'ctx> { Ok(self.b.build_binop(o, a, b, "")?) };
        let v = match opcode {
            Opcode::Add if float => bin(I::FAdd)?,
            Opcode::Add => bin(I::Add)?,
            Opcode::Sub if float => bin(I::FSub)?,
            Opcode::Sub => bin(I::Sub)?,
            Opcode::Mul if float => bin(I::FMul)?,
            Opcode::Mul => bin(I::Mul)?,
            Opcode::Div if float => bin(I::FDiv)?,
            Opcode::Rem if float => bin(I::FRem)?,
            Opcode::Div | Opcode::Rem if d.is_int() => {
                let b = self.safe_divisor(signed, a, b)?;
                let o = match (opcode, signed) {
                    (Opcode::Div, true) => I::SDiv,
                    (Opcode::Div, false) => I::UDiv,
                    (_, true) => I::SRem,
                    (_, false) => I::URem,
                };
                self.b.build_binop(o, a, b, "")?
            }
            Opcode::Maximum | Opcode::Minimum if float => {
                self.float_max_min(opcode == Opcode::Maximum, a, b)?
            }
            Opcode::Maximum | Opcode::Minimum if d.is_int() => {
                let pred = match (opcode == Opcode::Maximum, signed) {
                    (true, true) => IntPredicate::SGT,
                    (true, false) => IntPredicate::UGT,
                    (false, true) => IntPredicate::SLT,
                    (false, false) => IntPredicate::ULT,
                };
                let c = self.icmp(pred, a, b)?;
                self.select_value(c, a, b)?
            }
            Opcode::And if !float => bin(I::And)?,
            Opcode::Or if !float => bin(I::Or)?,
            Opcode::Xor if !float => bin(I::Xor)?,
            Opcode::Shl | Opcode::Shr if d.is_int() => {
                let amount = self.b.build_binop(
                    I::And,
                    b,
                    self.int_const(b.get_type(), d.bits() as i64 - 1),
                    "",
                )?;
                let o = match opcode {
                    Opcode::Shl => I::Shl,
                    _ if signed => I::AShr,
                    _ => I::LShr,
                };
                self.b.build_binop(o, a, amount, "")?
            }
            _ => return Err(self.error(op, format!("`{}` is not defined on {d}", opcode.name()))),
        };
        if rounds(opcode) {
            self.round_to(d, v)
        } else {
            Ok(v)
        }
    }

    /// Replace a divisor that would trap (0, or -1 with a `MIN` dividend)
    /// by 1.
    fn safe_divisor(
        &self,
        signed: bool,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> R<'ctx> {
        let ty = b.get_type();
        let zero = self.int_const(ty, 0);
        let mut bad = self.icmp(IntPredicate::EQ, b, zero)?;
        if signed {
            let bits = super::types::scalar_of(ty).into_int_type().get_bit_width();
            let min = self.int_const(ty, 1i64.wrapping_shl(bits - 1));
            let is_min = self.icmp(IntPredicate::EQ, a, min)?;
            let minus_one = self.int_const(ty, -1);
            let is_m1 = self.icmp(IntPredicate::EQ, b, minus_one)?;
            let overflow = self.b.build_binop(I::And, is_min, is_m1, "")?;
            bad = self.b.build_binop(I::Or, bad, overflow, "")?;
        }
        let one = self.int_const(ty, 1);
        self.select_value(bad, one, b)
    }

    /// IEEE 754-2019 `maximum`/`minimum`: NaN if either is NaN, and
    /// `-0.0 < +0.0`.
    fn float_max_min(
        &self,
        max: bool,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> R<'ctx> {
        // The ordered result (signed zeros ordered), then NaNs propagated.
        let r = match self.range_max_min(max, a, b)? {
            Some(r) => r,
            None => self.ordered_max_min(max, a, b)?,
        };
        let nan = self.b.build_binop(I::FAdd, a, b, "")?;
        let uno = self.fcmp(FloatPredicate::UNO, a, b)?;
        self.select_value(uno, nan, r)
    }

    /// `maximum`/`minimum` of non-NaN operands, `-0.0 < +0.0` (for equal
    /// operands, the bitwise and/or of the two picks `+0.0`/`-0.0` and is
    /// the value itself otherwise).
    fn ordered_max_min(
        &self,
        max: bool,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> R<'ctx> {
        let fty = a.get_type();
        let ity = self.like(
            fty,
            match super::types::scalar_of(fty) {
                t if t == self.cx.f64_type().into() => self.cx.i64_type().into(),
                _ => self.cx.i32_type().into(),
            },
        );
        let pred = if max {
            FloatPredicate::OGT
        } else {
            FloatPredicate::OLT
        };
        let wins = self.fcmp(pred, a, b)?;
        let ordered = self.select_value(wins, a, b)?;
        let (ab, bb) = (self.bitcast(a, ity)?, self.bitcast(b, ity)?);
        let merged = self
            .b
            .build_binop(if max { I::And } else { I::Or }, ab, bb, "")?;
        let merged = self.bitcast(merged, fty)?;
        let eq = self.fcmp(FloatPredicate::OEQ, a, b)?;
        self.select_value(eq, merged, ordered)
    }

    /// The ordered `maximum`/`minimum` as one `vrangeps`/`vrangepd` on full
    /// AVX-512 vectors (imm `0b0101`/`0b0100`: max/min, sign from the
    /// comparison), which orders `-0.0 < +0.0`: with the NaN select, four
    /// instructions instead of eight. `None` where it does not apply.
    fn range_max_min(
        &self,
        max: bool,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> Result<Option<BasicValueEnum<'ctx>>, LlvmError> {
        let ty = a.get_type();
        if !self.avx512.dq || !ty.is_vector_type() {
            return Ok(None);
        }
        let v = ty.into_vector_type();
        let elem = v.get_element_type();
        let (name, mask) = match (v.get_size(), elem) {
            (16, e) if e == self.cx.f32_type().into() => {
                ("llvm.x86.avx512.mask.range.ps.512", self.cx.i16_type())
            }
            (8, e) if e == self.cx.f64_type().into() => {
                ("llvm.x86.avx512.mask.range.pd.512", self.cx.i8_type())
            }
            _ => return Ok(None),
        };
        let imm = self.i32c(if max { 0b0101 } else { 0b0100 });
        let all = mask.const_all_ones();
        let r = self.intrinsic(
            name,
            &[],
            &[a, b, imm.into(), a, all.into(), self.i32c(4).into()],
        )?;
        // `vrange` returns the first operand when only the second is NaN;
        // the caller propagates NaNs.
        Ok(Some(r))
    }

    pub fn unary(&mut self, op: Op) -> Result<(), LlvmError> {
        let opcode = self.func.op(op).opcode;
        let src = self.operands(op)[0];
        let d = self.dtype(op, src)?;
        let x = self.get(op, src)?;
        let ty = x.get_type();
        let float = d.is_float();
        let v = match opcode {
            Opcode::Neg if float => match x {
                BasicValueEnum::FloatValue(f) => self.b.build_float_neg(f, "")?.into(),
                BasicValueEnum::VectorValue(f) => self.b.build_float_neg(f, "")?.into(),
                _ => return Err(self.error(op, "float negation of a non-float")),
            },
            Opcode::Neg if d.is_signed_int() => {
                self.b.build_binop(I::Sub, self.int_const(ty, 0), x, "")?
            }
            Opcode::Not if !float => self.b.build_binop(I::Xor, x, self.int_const(ty, -1), "")?,
            Opcode::Abs if float => self.intrinsic("llvm.fabs", &[ty], &[x])?,
            Opcode::Abs if d.is_signed_int() => {
                let neg = self.b.build_binop(I::Sub, self.int_const(ty, 0), x, "")?;
                let is_neg = self.icmp(IntPredicate::SLT, x, self.int_const(ty, 0))?;
                self.select_value(is_neg, neg, x)?
            }
            Opcode::Abs if d.is_unsigned_int() => x,
            Opcode::Sqrt if float => self.intrinsic("llvm.sqrt", &[ty], &[x])?,
            Opcode::Exp if float && d != Dtype::F64 => self.exp_f32(x, false)?,
            Opcode::Exp if float => self.intrinsic("llvm.exp", &[ty], &[x])?,
            Opcode::Log if float => self.intrinsic("llvm.log", &[ty], &[x])?,
            Opcode::Exp2 if float && d != Dtype::F64 => self.exp_f32(x, true)?,
            Opcode::Exp2 if float => self.intrinsic("llvm.exp2", &[ty], &[x])?,
            Opcode::Log2 if float => self.intrinsic("llvm.log2", &[ty], &[x])?,
            Opcode::Sin if float => self.intrinsic("llvm.sin", &[ty], &[x])?,
            Opcode::Cos if float => self.intrinsic("llvm.cos", &[ty], &[x])?,
            // Exact, so `f16`/`bf16` need no rounding.
            Opcode::Floor if float => self.intrinsic("llvm.floor", &[ty], &[x])?,
            Opcode::Ceil if float => self.intrinsic("llvm.ceil", &[ty], &[x])?,
            Opcode::Erf if float => self.erf(d, x)?,
            // `1 / sqrt(x)` correctly rounded twice, as on Cranelift (no
            // approximate `rsqrt` instruction: results must agree).
            Opcode::Rsqrt if float => {
                let root = self.intrinsic("llvm.sqrt", &[ty], &[x])?;
                self.b
                    .build_binop(I::FDiv, self.float_const(ty, 1.0), root, "")?
            }
            _ => return Err(self.error(op, format!("`{}` is not defined on {d}", opcode.name()))),
        };
        let v = if rounds(opcode) {
            self.round_to(d, v)?
        } else {
            v
        };
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }

    /// `erf` has no LLVM intrinsic: each lane calls the host function the
    /// interpreter and the Cranelift JIT use (`libm`'s), declared here as
    /// [`ERF_F32`]/[`ERF_F64`] and mapped to its address when the JIT
    /// loads the module (`llvm::compile`).
    fn erf(&self, d: Dtype, x: BasicValueEnum<'ctx>) -> R<'ctx> {
        let (name, ft) = if d == Dtype::F64 {
            (ERF_F64, self.cx.f64_type())
        } else {
            (ERF_F32, self.cx.f32_type())
        };
        let f = self.module.get_function(name).unwrap_or_else(|| {
            self.module
                .add_function(name, ft.fn_type(&[ft.into()], false), None)
        });
        let call = |v: BasicValueEnum<'ctx>| -> R<'ctx> {
            self.b
                .build_call(f, &[v.into()], "")?
                .try_as_basic_value()
                .basic()
                .ok_or_else(|| LlvmError::function(format!("{name} returns nothing")))
        };
        if !x.is_vector_value() {
            return call(x);
        }
        let mut out = x;
        for i in 0..self.lanes_of(x) {
            let l = self.lane(x, i)?;
            out = self.with_lane(out, call(l)?, i)?;
        }
        Ok(out)
    }

    /// `fma(a, b, c) = a * b + c` rounded once. `f16`/`bf16` (held in
    /// `f32`) are computed in `f64`, whose product of two `f32` values is
    /// exact, then rounded to the element type.
    pub fn fma(&mut self, op: Op) -> Result<(), LlvmError> {
        let operands = self.operands(op);
        let d = self.dtype(op, operands[0])?;
        if !d.is_float() {
            return Err(self.error(op, format!("`fma` is not defined on {d}")));
        }
        let args = operands
            .iter()
            .map(|&v| self.get(op, v))
            .collect::<Result<Vec<_>, _>>()?;
        let ty = args[0].get_type();
        let v = if matches!(d, Dtype::F16 | Dtype::BF16) {
            let wide = self.widen_to_f64(ty);
            let wide_args = args
                .iter()
                .map(|&a| self.cast_op(I::FPExt, a, wide))
                .collect::<Result<Vec<_>, _>>()?;
            let r = self.intrinsic("llvm.fma", &[wide], &wide_args)?;
            let r = self.cast_op(I::FPTrunc, r, ty)?;
            self.round_to(d, r)?
        } else {
            self.intrinsic("llvm.fma", &[ty], &args)?
        };
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }

    /// `f64` scalars or vectors of the same lane count as `ty`.
    fn widen_to_f64(
        &self,
        ty: inkwell::types::BasicTypeEnum<'ctx>,
    ) -> inkwell::types::BasicTypeEnum<'ctx> {
        let f64t = self.cx.f64_type();
        match ty {
            inkwell::types::BasicTypeEnum::VectorType(v) => f64t.vec_type(v.get_size()).into(),
            _ => f64t.into(),
        }
    }

    /// `umulhi(a, b)`: the high half of the full unsigned product, through
    /// a multiply at twice the width.
    pub fn umulhi(&mut self, op: Op) -> Result<(), LlvmError> {
        let operands = self.operands(op);
        let d = self.dtype(op, operands[0])?;
        if !(d.is_int() && d.bits() >= 32) {
            return Err(self.error(op, format!("`umulhi` is not defined on {d}")));
        }
        let a = self.get(op, operands[0])?;
        let b = self.get(op, operands[1])?;
        let ty = a.get_type();
        let bits = d.bits();
        let wide_int = if bits == 32 {
            self.cx.i64_type()
        } else {
            self.cx.i128_type()
        };
        let wide: inkwell::types::BasicTypeEnum = match ty {
            inkwell::types::BasicTypeEnum::VectorType(v) => wide_int.vec_type(v.get_size()).into(),
            _ => wide_int.into(),
        };
        let wa = self.cast_op(I::ZExt, a, wide)?;
        let wb = self.cast_op(I::ZExt, b, wide)?;
        let p = self.b.build_binop(I::Mul, wa, wb, "")?;
        let hi = self
            .b
            .build_binop(I::LShr, p, self.int_const(wide, i64::from(bits)), "")?;
        let v = self.cast_op(I::Trunc, hi, ty)?;
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }

    /// `multiple_of`/`max_contiguous`: facts for the mid-end; the value
    /// passes through.
    pub fn hint(&mut self, op: Op) -> Result<(), LlvmError> {
        let src = self.operands(op)[0];
        let v = self.get(op, src)?;
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }

    pub fn compare(&mut self, op: Op) -> Result<(), LlvmError> {
        let operands = self.operands(op);
        let d = self.dtype(op, operands[0])?;
        let pred = self
            .func
            .op(op)
            .attrs
            .pred()
            .ok_or_else(|| self.error(op, "missing predicate"))?;
        let a = self.get(op, operands[0])?;
        let b = self.get(op, operands[1])?;
        let v = self.compare_value(pred, d, a, b)?;
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }

    /// Compare scalars or vectors lane by lane, giving `i1` lanes.
    pub fn compare_value(
        &self,
        pred: CmpPred,
        d: Dtype,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> R<'ctx> {
        if d.is_float() {
            let p = match pred {
                CmpPred::Eq => FloatPredicate::OEQ,
                CmpPred::Ne => FloatPredicate::UNE,
                CmpPred::Lt => FloatPredicate::OLT,
                CmpPred::Le => FloatPredicate::OLE,
                CmpPred::Gt => FloatPredicate::OGT,
                CmpPred::Ge => FloatPredicate::OGE,
            };
            self.fcmp(p, a, b)
        } else {
            let signed = d.is_signed_int();
            let p = match (pred, signed) {
                (CmpPred::Eq, _) => IntPredicate::EQ,
                (CmpPred::Ne, _) => IntPredicate::NE,
                (CmpPred::Lt, true) => IntPredicate::SLT,
                (CmpPred::Le, true) => IntPredicate::SLE,
                (CmpPred::Gt, true) => IntPredicate::SGT,
                (CmpPred::Ge, true) => IntPredicate::SGE,
                (CmpPred::Lt, false) => IntPredicate::ULT,
                (CmpPred::Le, false) => IntPredicate::ULE,
                (CmpPred::Gt, false) => IntPredicate::UGT,
                (CmpPred::Ge, false) => IntPredicate::UGE,
            };
            self.icmp(p, a, b)
        }
    }
}
