//! `cast`: every pair of data types.
//!
//! - float → int truncates toward zero and saturates, NaN → 0
//!   (`fcvt_to_*_sat`; 8/16-bit targets saturate through `i32` then clamp);
//! - int → int wraps or extends by the *source's* signedness;
//! - int → float rounds to nearest even;
//! - anything → `i1` is `!= 0` (NaN is true); `i1` → number is 0 or 1;
//! - to `f16`/`bf16`: rounded once, correctly: from `f32` directly, from
//!   `f64` and integers through an `f64` → `f32` round-to-odd step
//!   ([`half::f64_to_f32_round_odd`]). 64-bit integers beyond 2^53 in
//!   magnitude are first rounded to `f64`, so their conversion to `bf16` may
//!   differ from the correctly rounded one by double rounding.

use super::emit;
use super::error::CodegenError;
use super::half;
use super::layout::dtype_lane;
use super::translate::Translator;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{self as cl, types, InstBuilder};
use cranelift_frontend::FunctionBuilder;
use persim_lang::ir::{Dtype, Op};

impl Translator<'_> {
    pub fn cast(&mut self, op: Op) -> Result<(), CodegenError> {
        let src = self.operands(op)[0];
        let from = self.dtype(op, src)?;
        let to = self
            .func
            .op(op)
            .attrs
            .dtype("to")
            .ok_or_else(|| self.error(op, "missing dtype attribute `to`"))?;
        let r = self.result(op)?;
        let in_layout = self.layout_of(op, src)?;
        let out_layout = self.layout_of(op, r)?;
        if from == to {
            let parts = self.get(op, src)?;
            self.set(r, parts);
            return Ok(());
        }
        if in_layout.is_native() && out_layout.is_native() && in_layout.same_shape(&out_layout) {
            let parts = self.get(op, src)?;
            let mut out = Vec::with_capacity(parts.len());
            for &p in &parts {
                match cast_native(&mut self.fb, from, to, p) {
                    Some(v) => out.push(v),
                    None => break,
                }
            }
            if out.len() == parts.len() {
                self.set(r, out);
                return Ok(());
            }
        }
        self.map_elementwise(op, &[src], r, false, |t, a| {
            Ok(cast_scalar(&mut t.fb, from, to, a[0]))
        })
    }
}

/// A cast of one native part, when the source and result parts have the
/// same lane count and Cranelift has the vector conversion; `None` otherwise.
fn cast_native(
    fb: &mut FunctionBuilder,
    from: Dtype,
    to: Dtype,
    x: cl::Value,
) -> Option<cl::Value> {
    use Dtype::*;
    let ty = fb.func.dfg.value_type(x);
    let half_types = |d: Dtype| matches!(d, F16 | BF16);
    Some(match (from, to) {
        (_, I1) if from.is_float() => {
            let zero = emit::fconst(fb, ty, 0.0);
            fb.ins().fcmp(FloatCC::NotEqual, x, zero)
        }
        (_, I1) => emit::icmp_const(fb, IntCC::NotEqual, x, 0),
        (I1, t) if t.is_int() => {
            let one = emit::iconst(fb, ty, 1);
            fb.ins().band(x, one)
        }
        (I1, _) => return None,
        (F32 | F16 | BF16, F16 | BF16) => half::round_to(fb, to, x),
        (f, t) if dtype_lane(f) == dtype_lane(t) && !half_types(t) => x,
        (I32, F32) => fb.ins().fcvt_from_sint(types::F32X4, x),
        (U32, F32) => fb.ins().fcvt_from_uint(types::F32X4, x),
        (F32 | F16 | BF16, I32) => fb.ins().fcvt_to_sint_sat(types::I32X4, x),
        (F32 | F16 | BF16, U32) => fb.ins().fcvt_to_uint_sat(types::I32X4, x),
        _ => return None,
    })
}

/// Widen an integer narrower than 32 bits to `i32` by its signedness.
fn widen_to_32(fb: &mut FunctionBuilder, signed: bool, x: cl::Value) -> cl::Value {
    if fb.func.dfg.value_type(x).bits() >= 32 {
        x
    } else if signed {
        fb.ins().sextend(types::I32, x)
    } else {
        fb.ins().uextend(types::I32, x)
    }
}

/// A cast of one scalar lane.
pub(crate) fn cast_scalar(
    fb: &mut FunctionBuilder,
    from: Dtype,
    to: Dtype,
    x: cl::Value,
) -> cl::Value {
    if from == to {
        return x;
    }
    // `i1` is 0/1: an unsigned byte.
    let from = if from == Dtype::I1 { Dtype::U8 } else { from };
    let signed = from.is_signed_int();
    if to == Dtype::I1 {
        return if from.is_float() {
            let zero = emit::fconst(fb, fb.func.dfg.value_type(x), 0.0);
            fb.ins().fcmp(FloatCC::NotEqual, x, zero)
        } else {
            fb.ins().icmp_imm_s(IntCC::NotEqual, x, 0)
        };
    }
    let to_ty = dtype_lane(to);
    match (from.is_float(), to.is_float()) {
        (false, false) => {
            let (fbits, tbits) = (from.bits(), to.bits());
            if fbits == tbits {
                x
            } else if tbits < fbits {
                fb.ins().ireduce(to_ty, x)
            } else if signed {
                fb.ins().sextend(to_ty, x)
            } else {
                fb.ins().uextend(to_ty, x)
            }
        }
        (false, true) => {
            let wide = widen_to_32(fb, signed, x);
            let direct_ty = if matches!(to, Dtype::F16 | Dtype::BF16) {
                types::F64
            } else {
                to_ty
            };
            let f = if signed {
                fb.ins().fcvt_from_sint(direct_ty, wide)
            } else {
                fb.ins().fcvt_from_uint(direct_ty, wide)
            };
            if direct_ty == types::F64 && to_ty == types::F32 {
                let narrowed = half::f64_to_f32_round_odd(fb, f);
                half::round_to(fb, to, narrowed)
            } else {
                f
            }
        }
        (true, false) => {
            let tbits = to.bits();
            if tbits >= 32 {
                if to.is_signed_int() {
                    fb.ins().fcvt_to_sint_sat(to_ty, x)
                } else {
                    fb.ins().fcvt_to_uint_sat(to_ty, x)
                }
            } else if to.is_signed_int() {
                let w = fb.ins().fcvt_to_sint_sat(types::I32, x);
                let lo = fb.ins().iconst(types::I32, -(1i64 << (tbits - 1)));
                let hi = fb.ins().iconst(types::I32, (1i64 << (tbits - 1)) - 1);
                let w = fb.ins().smax(w, lo);
                let w = fb.ins().smin(w, hi);
                fb.ins().ireduce(to_ty, w)
            } else {
                let w = fb.ins().fcvt_to_uint_sat(types::I32, x);
                let hi = fb.ins().iconst(types::I32, (1i64 << tbits) - 1);
                let w = fb.ins().umin(w, hi);
                fb.ins().ireduce(to_ty, w)
            }
        }
        (true, true) => {
            let src_ty = fb.func.dfg.value_type(x);
            match to {
                Dtype::F64 => fb.ins().fpromote(types::F64, x),
                Dtype::F32 if src_ty == types::F64 => fb.ins().fdemote(types::F32, x),
                Dtype::F32 => x,
                _ if src_ty == types::F64 => {
                    let narrowed = half::f64_to_f32_round_odd(fb, x);
                    half::round_to(fb, to, narrowed)
                }
                _ => half::round_to(fb, to, x),
            }
        }
    }
}
