//! `exp` and `exp2` on `f32` lanes (and `f16`/`bf16`, held in `f32`) as
//! inline vector code instead of LLVM's `llvm.exp`, which x86 has no
//! instruction for: LLVM scalarizes it into one `expf` call per lane, and
//! a softmax then spends nearly all its time in sixteen libm calls per
//! vector.
//!
//! The method is the classic one (Cody–Waite reduction, then a minimax
//! polynomial, as in Cephes' `expf`): `exp(x) = 2^n · exp(r)` with
//! `n = rint(x·log2 e)` and `r = x − n·ln 2` taken in two parts so it is
//! exact to within an ulp of `r`; `exp(r)` for `|r| ≤ ln2/2` is a degree-6
//! polynomial evaluated as `1 + r·(1 + r·p(r))` (one or two ulps from
//! rounding, the approximation itself within 1e-8: inside the f32
//! elementwise tolerance of 8 ulps the conformance suite states, but not
//! bit-identical to the C library, which is why `f64` keeps `llvm.exp`).
//! `exp2` takes `n = rint(x)`, `r = (x − n)·ln 2` (`x − n` is exact).
//!
//! `2^n` is applied by `vscalefps` on AVX-512, else as two factors
//! `2^(n>>1)·2^(n − n>>1)`, so results in the subnormal range and overflow
//! to `inf` come out right without a special case; the input is clamped
//! first so `n` stays in range (a NaN passes the clamp and flows through
//! to the result; the two-factor path, which converts `n` to an integer,
//! restores it at the end). Inputs at or below the lower clamp give `+0.0`
//! without scaling: underflow costs a microcode assist per vector, which
//! took a fifth of a 1000-column softmax's time (its 24 masked lanes per
//! row are `-inf`): 638 → 504 ns per row in cache, `persim_softmax_b1024`.

use super::error::LlvmError;
use super::translate::Translator;
use inkwell::values::{BasicValueEnum, InstructionOpcode as I};
use inkwell::FloatPredicate;

type R<'ctx> = Result<BasicValueEnum<'ctx>, LlvmError>;

/// `ln 2` split so `n·LN2_HI` is exact for `|n| < 2^15` (9 significant bits).
const LN2_HI: f64 = 0.693_359_375;
const LN2_LO: f64 = -2.121_944_400_546_905_8e-4;

/// `1.5·2^23`: added to an `f32` of magnitude below `2^22`, the sum has no
/// fraction bits left, so it is the value rounded to an integer.
const ROUNDER: f64 = 12_582_912.0;

/// `exp(r) = 1 + r + r²·p(r)` on `|r| ≤ ln2/2`: `p` of degree 4, highest
/// first, a Chebyshev fit of `(exp(r) − 1 − r)/r²` (mpmath's `chebyfit`).
/// Its relative error in `exp` is at most 1.0e-8, a tenth of an f32 ulp, so
/// the result's error is the evaluation's rounding. (Cephes' `expf` takes
/// one degree more, 2e-10, which f32 cannot show; it cost one more fused
/// step per vector.)
const EXP_POLY: [f64; 5] = [
    1.392_617_611_993_558e-3,
    8.363_173_074_513_711e-3,
    4.166_655_466_205_053_4e-2,
    1.666_657_702_559_799e-1,
    5.0e-1,
];

impl<'a, 'ctx> Translator<'a, 'ctx> {
    /// `exp(x)` (`base2` false) or `exp2(x)` of an `f32` scalar or vector.
    pub(super) fn exp_f32(&self, x: BasicValueEnum<'ctx>, base2: bool) -> R<'ctx> {
        let ty = x.get_type();
        let k = |v: f64| self.float_const(ty, v);
        let bin = |o: I, a: BasicValueEnum<'ctx>, b: BasicValueEnum<'ctx>| -> R<'ctx> {
            Ok(self.b.build_binop(o, a, b, "")?)
        };
        let mul_add = |a, b, c| self.intrinsic("llvm.fmuladd", &[ty], &[a, b, c]);
        // Beyond these bounds the result is 0 or inf whatever `x` is; the
        // clamp keeps `n` inside the two-factor scaling's range.
        let (lo, hi) = if base2 {
            (-151.0, 129.0)
        } else {
            (-104.0, 89.0)
        };
        // Lanes at or below `lo` are exactly `+0.0`, and are zeroed rather
        // than scaled: an underflowing multiply or `vscalefps` takes a
        // microcode assist (about a hundred cycles, unless the thread
        // flushes to zero), and a masked softmax row has such lanes
        // (`-inf`) in every row. Lanes between `lo` and the normal range
        // still underflow, through the assist, to their subnormal results.
        // A NaN is unordered, so it stays live.
        let live = self.fcmp(FloatPredicate::UGT, x, k(lo))?;
        let scalef = self.scalef_applies(x);
        // `x < lo ? lo : x` is one `maxps lo, x` on x86, which returns its
        // second operand for a NaN: the NaN flows through the arithmetic
        // below (`llvm.maxnum` would need three ops). `vscalefps` masks
        // the dead lanes off instead, so there they may go to `inf` or NaN
        // unclamped (neither takes an assist) and the clamp is saved.
        let xc = if scalef {
            x
        } else {
            let below = self.fcmp(FloatPredicate::OLT, x, k(lo))?;
            self.select_value(below, k(lo), x)?
        };
        let above = self.fcmp(FloatPredicate::OGT, xc, k(hi))?;
        let xc = self.select_value(above, k(hi), xc)?;
        let (n, r) = if base2 {
            let n = self.intrinsic("llvm.rint", &[ty], &[xc])?;
            let f = bin(I::FSub, xc, n)?;
            (n, bin(I::FMul, f, k(std::f64::consts::LN_2))?)
        } else {
            // `n = rint(x·log2 e)` by the rounding constant: adding
            // 1.5·2^23 leaves no fraction bits, so the sum is rounded to
            // an integer (nearest, even on ties) and subtracting it back is
            // exact; two ops instead of a multiply and `vrndscaleps`'s two.
            // Fused, the product is not rounded first, which can move `n`
            // by one at a tie; `r` then lies a rounding past `ln2/2`,
            // inside the polynomial's accuracy.
            let t = mul_add(xc, k(std::f64::consts::LOG2_E), k(ROUNDER))?;
            let n = bin(I::FSub, t, k(ROUNDER))?;
            let r = mul_add(n, k(-LN2_HI), xc)?;
            (n, mul_add(n, k(-LN2_LO), r)?)
        };
        let mut p = k(EXP_POLY[0]);
        for &c in &EXP_POLY[1..] {
            p = mul_add(p, r, k(c))?;
        }
        // `1 + r + r²·p` as `1 + r·(1 + r·p)`: two fused steps.
        let y = mul_add(p, r, k(1.0))?;
        let y = mul_add(y, r, k(1.0))?;
        if scalef {
            // `vscalefps` keeps the NaN.
            return self.scalef_where(y, n, live);
        }
        // The two-factor scaling converts `n` to an integer, which a NaN
        // has none of.
        let y = self.select_value(live, y, k(0.0))?;
        let scaled = self.times_pow2(y, n)?;
        let nan = self.fcmp(FloatPredicate::UNO, x, x)?;
        self.select_value(nan, x, scaled)
    }

    /// Whether `2^n` is applied by `vscalefps` (full AVX-512 vectors).
    fn scalef_applies(&self, y: BasicValueEnum<'ctx>) -> bool {
        let ty = y.get_type();
        self.avx512.f && ty.is_vector_type() && ty.into_vector_type().get_size() == 16
    }

    /// `vscalefps` of the lanes where `live` is set; the others are `+0.0`
    /// and raise nothing (a masked-off lane takes no assist).
    fn scalef_where(
        &self,
        y: BasicValueEnum<'ctx>,
        n: BasicValueEnum<'ctx>,
        live: BasicValueEnum<'ctx>,
    ) -> R<'ctx> {
        let mask = self.bitcast(live, self.cx.i16_type().into())?;
        let zero = self.zero(y.get_type());
        self.intrinsic(
            "llvm.x86.avx512.mask.scalef.ps.512",
            &[],
            &[y, n, zero, mask, self.i32c(4).into()],
        )
    }

    /// `y · 2^n` for an integral `f32` `n` in `[-151, 129]`, as two
    /// exponent-field factors each within the normal range.
    fn times_pow2(&self, y: BasicValueEnum<'ctx>, n: BasicValueEnum<'ctx>) -> R<'ctx> {
        let fty = y.get_type();
        let ity = self.like(fty, self.cx.i32_type().into());
        let bin = |o: I, a: BasicValueEnum<'ctx>, b: BasicValueEnum<'ctx>| -> R<'ctx> {
            Ok(self.b.build_binop(o, a, b, "")?)
        };
        let ni = self.cast_op(I::FPToSI, n, ity)?;
        let n1 = bin(I::AShr, ni, self.int_const(ity, 1))?;
        let n2 = bin(I::Sub, ni, n1)?;
        let factor = |e: BasicValueEnum<'ctx>| -> R<'ctx> {
            let biased = bin(I::Add, e, self.int_const(ity, 127))?;
            let bits = bin(I::Shl, biased, self.int_const(ity, 23))?;
            self.bitcast(bits, fty)
        };
        let y = bin(I::FMul, y, factor(n1)?)?;
        bin(I::FMul, y, factor(n2)?)
    }
}
