//! `cast`: every pair of data types, with the semantics of the op table
//! (and of the Cranelift backend):
//!
//! - float → int truncates toward zero and saturates, NaN → 0 (LLVM's
//!   `fptosi.sat`/`fptoui.sat`, at the target width directly);
//! - int → int wraps or extends by the *source's* signedness;
//! - int → float rounds to nearest even;
//! - anything → `i1` is `!= 0` (NaN is true); `i1` → number is 0 or 1;
//! - to `f16`/`bf16`: rounded once, correctly: from `f32` directly, from
//!   `f64` and integers through an `f64` → `f32` round-to-odd step.

use super::error::LlvmError;
use super::translate::Translator;
use inkwell::values::{BasicValueEnum, InstructionOpcode as I};
use inkwell::{FloatPredicate, IntPredicate};
use persim_lang::ir::{Dtype, Elem, Op};

type R<'ctx> = Result<BasicValueEnum<'ctx>, LlvmError>;

impl<'a, 'ctx> Translator<'a, 'ctx> {
    pub fn cast(&mut self, op: Op) -> Result<(), LlvmError> {
        let src = self.operands(op)[0];
        let from = self.dtype(op, src)?;
        let to = self
            .func
            .op(op)
            .attrs
            .dtype("to")
            .ok_or_else(|| self.error(op, "missing dtype attribute `to`"))?;
        let x = self.get(op, src)?;
        let v = self.cast_value(from, to, x)?;
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }

    /// Convert a scalar or vector of `from` to `to`.
    pub fn cast_value(&self, from: Dtype, to: Dtype, x: BasicValueEnum<'ctx>) -> R<'ctx> {
        if from == to {
            return Ok(x);
        }
        let ty = x.get_type();
        let to_ty = self.like(ty, self.scalar_type(Elem::Val(to)));
        if to == Dtype::I1 {
            return if from.is_float() {
                self.fcmp(FloatPredicate::UNE, x, self.float_const(ty, 0.0))
            } else {
                self.icmp(IntPredicate::NE, x, self.int_const(ty, 0))
            };
        }
        // `i1` is 0/1: an unsigned integer.
        let signed = from.is_signed_int();
        let half = matches!(to, Dtype::F16 | Dtype::BF16);
        match (from.is_float(), to.is_float()) {
            (false, false) => {
                let (fbits, tbits) = (from.bits(), to.bits());
                let o = if tbits < fbits {
                    I::Trunc
                } else if signed {
                    I::SExt
                } else {
                    I::ZExt
                };
                if fbits == tbits {
                    Ok(x)
                } else {
                    self.cast_op(o, x, to_ty)
                }
            }
            (false, true) => {
                let o = if signed { I::SIToFP } else { I::UIToFP };
                if half {
                    let wide = self.cast_op(o, x, self.like(ty, self.cx.f64_type().into()))?;
                    let narrowed = self.f64_to_f32_round_odd(wide)?;
                    self.round_to(to, narrowed)
                } else {
                    self.cast_op(o, x, to_ty)
                }
            }
            (true, false) => {
                let name = if to.is_signed_int() {
                    "llvm.fptosi.sat"
                } else {
                    "llvm.fptoui.sat"
                };
                self.intrinsic(name, &[to_ty, ty], &[x])
            }
            (true, true) => {
                let is_f64 = from == Dtype::F64;
                match to {
                    Dtype::F64 => self.cast_op(I::FPExt, x, to_ty),
                    Dtype::F32 if is_f64 => self.cast_op(I::FPTrunc, x, to_ty),
                    Dtype::F32 => Ok(x),
                    _ if is_f64 => {
                        let narrowed = self.f64_to_f32_round_odd(x)?;
                        self.round_to(to, narrowed)
                    }
                    _ => self.round_to(to, x),
                }
            }
        }
    }
}
