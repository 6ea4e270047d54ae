//! Dividing a vector by one value shared by every lane (softmax's
//! `num / den`, a mean's `sum / n`) without a vector divide per vector.
//!
//! `vdivps zmm` issues once every 10–16 cycles on Intel cores (about 5 on
//! Zen 4), so a softmax whose last pass divides 64 vectors per row spends
//! more time dividing than computing its `exp`s. The reciprocal is taken
//! once, and each quotient is corrected to the divide's exact result
//! (Markstein's theorem): with `r = RN(1/b)`, `q = RN(a·r)` is within an ulp
//! of `a/b`, the remainder `e = a − b·q` is exact in one fused
//! multiply-add, and `RN(q + e·r)` is the correctly rounded `a/b`, the
//! same bits as the divide, provided no step overflows or underflows.
//!
//! That proviso is checked: when `|b|` is outside `[2^-26, 2^26]` or any
//! lane's `|a|` outside `[2^-100, 2^100]` (`f32`; `2^-60, 2^60` and
//! `2^-900, 2^900` for `f64`), every quotient is within the normal range
//! with room to spare; otherwise (zeros, infinities, NaN, extreme
//! exponents) the vector takes a branch to the plain divide. Rows of
//! a softmax take the fast path except where a lane's numerator is 0.

use super::error::LlvmError;
use super::translate::Translator;
use inkwell::types::BasicTypeEnum;
use inkwell::values::{BasicValueEnum, InstructionOpcode as I};
use inkwell::FloatPredicate;
use persim_lang::ir::Dtype;

type R<'ctx> = Result<BasicValueEnum<'ctx>, LlvmError>;

/// `(divisor, dividend)` magnitude ranges, as powers of two, inside which
/// the corrected quotient is exact.
fn safe_exponents(d: Dtype) -> Option<(i32, i32)> {
    match d {
        Dtype::F32 => Some((26, 100)),
        Dtype::F64 => Some((60, 900)),
        _ => None,
    }
}

impl<'a, 'ctx> Translator<'a, 'ctx> {
    /// `a / splat(b)` for a vector `a` of `d` and the scalar `b`, or `None`
    /// when the fast path does not apply (scalars, half types, no fused
    /// multiply-add).
    pub(super) fn divide_by_uniform(
        &self,
        d: Dtype,
        a: BasicValueEnum<'ctx>,
        b_vec: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> Result<Option<BasicValueEnum<'ctx>>, LlvmError> {
        let ty = a.get_type();
        let (Some((b_exp, a_exp)), true, true) =
            (safe_exponents(d), ty.is_vector_type(), self.has_fma)
        else {
            return Ok(None);
        };
        let sty = b.get_type();
        let bin = |o: I, x: BasicValueEnum<'ctx>, y: BasicValueEnum<'ctx>| -> R<'ctx> {
            Ok(self.b.build_binop(o, x, y, "")?)
        };
        let fma = |x, y, z| self.intrinsic("llvm.fma", &[ty], &[x, y, z]);
        let lanes = ty.into_vector_type().get_size();

        let r = bin(I::FDiv, self.float_const(sty, 1.0), b)?;
        let r = self.splat_value(r, lanes)?;
        let q = bin(I::FMul, a, r)?;
        let neg_q = self.b.build_float_neg(q.into_vector_value(), "")?.into();
        let e = fma(neg_q, b_vec, a)?;
        let corrected = fma(e, r, q)?;

        let b_ok = self.magnitude_within(b, sty, b_exp)?;
        let a_ok = self.magnitude_within(a, ty, a_exp)?;
        let mask_ty: BasicTypeEnum<'ctx> = a_ok.get_type();
        let all_ok = self.intrinsic("llvm.vector.reduce.and", &[mask_ty], &[a_ok])?;
        let ok = bin(I::And, all_ok, b_ok)?;

        let from = self.current_block()?;
        let slow = self.block("div.exact");
        let join = self.block("div.done");
        let branch = self
            .b
            .build_conditional_branch(ok.into_int_value(), join, slow)?;
        // Marked rare: LLVM would otherwise speculate the divide and turn
        // the branch into a select, dividing every vector anyway.
        let weights = self.cx.metadata_node(&[
            self.cx.metadata_string("branch_weights").into(),
            self.i32c(1 << 20).into(),
            self.i32c(1).into(),
        ]);
        branch
            .set_metadata(weights, self.cx.get_kind_id("prof"))
            .map_err(|e| LlvmError::function(format!("branch weights: {e}")))?;
        self.b.position_at_end(slow);
        let divided = bin(I::FDiv, a, b_vec)?;
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(join);
        let phi = self.b.build_phi(ty, "")?;
        phi.add_incoming(&[(&corrected, from), (&divided, slow)]);
        Ok(Some(phi.as_basic_value()))
    }

    /// `2^-k <= |x| <= 2^k`, false for NaN, per lane.
    fn magnitude_within(
        &self,
        x: BasicValueEnum<'ctx>,
        ty: BasicTypeEnum<'ctx>,
        k: i32,
    ) -> R<'ctx> {
        let m = self.intrinsic("llvm.fabs", &[ty], &[x])?;
        let lo = self.fcmp(FloatPredicate::OGE, m, self.float_const(ty, 2f64.powi(-k)))?;
        let hi = self.fcmp(FloatPredicate::OLE, m, self.float_const(ty, 2f64.powi(k)))?;
        Ok(self.b.build_binop(I::And, lo, hi, "")?)
    }
}
