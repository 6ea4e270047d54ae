//! `f32` division of a vector by a splat (`x / sum(x)`, `acc / n`),
//! correctly rounded without a vector divide.
//!
//! `vdivps` is the slowest vector instruction on x86 (a 512-bit divide
//! occupies the divider for about 10 cycles on Ice Lake and later), and
//! softmax's normalization issues one per 16 elements. When the divisor
//! is one scalar `d` for every lane, its reciprocal `r = RN(1/d)` is
//! computed once (LLVM hoists it out of the loop) and each lane takes
//! Markstein's correction:
//!
//! ```text
//! q0 = RN(a · r)              within 1 ulp of a/d
//! e  = a − d · q0             exact (one fma)
//! q  = RN(q0 + e · r)         = RN(a / d)
//! ```
//!
//! The theorem holds while nothing underflows or overflows, so the fast
//! form is taken only when `|d| ∈ [2^-24, 2^24]` and every lane has
//! `|a| ∈ [2^-100, 2^100]` (then `q`, `q0` and the remainder are normal
//! and exact); otherwise, and for zeros, infinities and NaNs, the vector
//! takes `fdiv`. Results are bit-identical to `fdiv` either way, so the
//! backends still agree bit for bit: `examples/tests/llvm_splat_div.rs`
//! checks every dividend mantissa and the out-of-range values, and
//! `llvm_codegen` that softmax's normalization takes this form.

use super::error::LlvmError;
use super::translate::Translator;
use inkwell::values::{BasicValueEnum, InstructionOpcode as I};
use inkwell::IntPredicate;

type R<'ctx> = Result<BasicValueEnum<'ctx>, LlvmError>;

/// Bits of `2^-100`, the smallest dividend magnitude of the fast form.
const A_MIN: u32 = 0x0d80_0000;
/// Bits of `2^100`, the largest (exclusive).
const A_MAX: u32 = 0x7180_0000;
/// Bits of `2^-24`, the smallest divisor magnitude of the fast form.
const D_MIN: u32 = 0x3380_0000;
/// Bits of `2^24`, the largest (exclusive).
const D_MAX: u32 = 0x4b80_0000;

impl<'a, 'ctx> Translator<'a, 'ctx> {
    /// `a / b` for an `f32` vector `a` and `b = splat(d)`; `None` when the
    /// form does not apply (not `f32` vectors, or no fused multiply-add).
    pub(crate) fn div_by_splat(
        &mut self,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
        d: BasicValueEnum<'ctx>,
    ) -> Result<Option<BasicValueEnum<'ctx>>, LlvmError> {
        let (BasicValueEnum::VectorValue(av), BasicValueEnum::FloatValue(ds)) = (a, d) else {
            return Ok(None);
        };
        let f32t = self.cx.f32_type();
        if !self.fma || av.get_type().get_element_type() != f32t.into() {
            return Ok(None);
        }
        let lanes = av.get_type().get_size();
        let i32t = self.cx.i32_type();
        let d_ok = self.magnitude_in(ds.into(), i32t.into(), D_MIN, D_MAX)?;
        let r = self
            .b
            .build_binop(I::FDiv, self.float_const(f32t.into(), 1.0), d, "")?;
        let r = self.splat_value(r, lanes)?;
        let q0 = self.b.build_binop(I::FMul, a, r, "")?;
        let neg_q0 = self.b.build_float_neg(q0.into_vector_value(), "")?;
        let fma = |x, y, z| self.intrinsic("llvm.fma", &[a.get_type()], &[x, y, z]);
        let e = fma(neg_q0.into(), b, a)?;
        let q = fma(e, r, q0)?;
        let ivec = i32t.vec_type(lanes);
        let lanes_ok = self.magnitude_in(a, ivec.into(), A_MIN, A_MAX)?;
        let all_ok = self.intrinsic(
            "llvm.vector.reduce.and",
            &[lanes_ok.get_type()],
            &[lanes_ok],
        )?;
        let fast = self
            .b
            .build_binop(I::And, all_ok, d_ok, "")?
            .into_int_value();
        let fast_b = self.block("splat_div");
        let slow_b = self.block("splat_div_slow");
        let join = self.block("splat_div_join");
        let br = self.b.build_conditional_branch(fast, fast_b, slow_b)?;
        // Biased weights keep SimplifyCFG from speculating the slow block's
        // `fdiv` into a `select` (which would run it for every vector).
        let weights = self.cx.metadata_node(&[
            self.cx.metadata_string("branch_weights").into(),
            i32t.const_int(1 << 20, false).into(),
            i32t.const_int(1, false).into(),
        ]);
        let _ = br.set_metadata(weights, self.cx.get_kind_id("prof"));
        self.b.position_at_end(slow_b);
        let slow = self.b.build_binop(I::FDiv, a, b, "")?;
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(fast_b);
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(join);
        let phi = self.b.build_phi(a.get_type(), "")?;
        phi.add_incoming(&[(&q, fast_b), (&slow, slow_b)]);
        Ok(Some(phi.as_basic_value()))
    }

    /// Whether `|x|` (lane-wise for vectors) lies in `[min, max)`, compared
    /// as bits: one mask, one subtract, one unsigned compare; NaN fails.
    fn magnitude_in(
        &self,
        x: BasicValueEnum<'ctx>,
        int_ty: inkwell::types::BasicTypeEnum<'ctx>,
        min: u32,
        max: u32,
    ) -> R<'ctx> {
        let bits = self.bitcast(x, int_ty)?;
        let abs = self
            .b
            .build_binop(I::And, bits, self.int_const(int_ty, 0x7fff_ffff), "")?;
        let off = self
            .b
            .build_binop(I::Sub, abs, self.int_const(int_ty, min as i64), "")?;
        self.icmp(
            IntPredicate::ULT,
            off,
            self.int_const(int_ty, (max - min) as i64),
        )
    }
}
