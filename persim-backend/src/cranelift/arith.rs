//! Elementwise arithmetic: binary and unary ops, comparisons and casts.
//!
//! Each op's semantics are those of the op table (`persim_lang::ir::opcodes`):
//! integers wrap; integer division and remainder never trap (a zero divisor,
//! or `MIN / -1`, is replaced by 1, giving `a` and 0: the op table leaves the
//! value unspecified, this choice matches `wrapping_div` for `MIN / -1`);
//! shifts take their amount modulo the bit width (Cranelift's semantics);
//! `maximum`/`minimum` propagate NaN; float compares are ordered except `ne`;
//! `f16`/`bf16` results are rounded back after every op that can produce a
//! new value. `rsqrt` is `1 / sqrt(x)` in the element type (two roundings,
//! as the plain-Rust expression; within an ulp of the interpreter's single
//! rounding); `floor`/`ceil` are exact (SSE4.1's `roundps`, else a host
//! call); `fma` rounds once (`vfmadd`, else `mul_add`; halves through a host
//! function, since an `f32` FMA would round twice); `umulhi` is per lane.
//!
//! The emitting functions take either scalars or native vector parts; the
//! [`native_ok`] table says which ops Cranelift lowers on which vector types
//! (probed on x86-64 with SSE4.1 and AVX-512: no vector integer division, no
//! per-lane shift amounts, no `i8x16` multiply).

use super::emit;
use super::error::CodegenError;
use super::half;
use super::libcalls::Libcall;
use super::translate::Translator;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{self as cl, types, InstBuilder};
use persim_lang::ir::{CmpPred, Dtype, Op, Opcode};

/// Whether `opcode` on dtype `d` may be applied to whole native vectors.
fn native_ok(opcode: Opcode, d: Dtype) -> bool {
    use Opcode::*;
    match opcode {
        Div => d.is_float(),
        Rem | Exp | Log | Exp2 | Log2 | Erf | Sin | Cos | Umulhi => false,
        Mul => !matches!(d, Dtype::I8 | Dtype::U8),
        // Vector shifts need one amount for all lanes; see `binary`.
        Shl | Shr => false,
        _ => true,
    }
}

/// Whether the op's result needs rounding back to `f16`/`bf16`.
fn rounds(opcode: Opcode) -> bool {
    use Opcode::*;
    matches!(
        opcode,
        Add | Sub | Mul | Div | Rem | Exp | Log | Sqrt | Exp2 | Log2 | Rsqrt | Erf | Sin | Cos
    )
}

impl Translator<'_> {
    pub fn binary(&mut self, op: Op) -> Result<(), CodegenError> {
        let opcode = self.func.op(op).opcode;
        let operands = self.operands(op).to_vec();
        let d = self.dtype(op, operands[0])?;
        let r = self.result(op)?;
        // A vector shifted by a splatted amount is a native shift by the scalar.
        if matches!(opcode, Opcode::Shl | Opcode::Shr) {
            if let Some(amount) = self.splat_of[operands[1]] {
                let layout = self.layout_of(op, r)?;
                if layout.is_native() {
                    let parts = self.get(op, operands[0])?;
                    let res = parts
                        .iter()
                        .map(|&p| shift(&mut self.fb, opcode, d, p, amount))
                        .collect();
                    self.set(r, res);
                    return Ok(());
                }
            }
        }
        self.map_elementwise(op, &operands, r, native_ok(opcode, d), |t, a| {
            t.binary_value(op, opcode, d, a[0], a[1])
        })
    }

    /// One binary op on scalars or native parts, rounded for `f16`/`bf16`.
    pub fn binary_value(
        &mut self,
        op: Op,
        opcode: Opcode,
        d: Dtype,
        a: cl::Value,
        b: cl::Value,
    ) -> Result<cl::Value, CodegenError> {
        let fb = &mut self.fb;
        let float = d.is_float();
        let signed = d.is_signed_int();
        let v = match opcode {
            Opcode::Add if float => fb.ins().fadd(a, b),
            Opcode::Add => fb.ins().iadd(a, b),
            Opcode::Sub if float => fb.ins().fsub(a, b),
            Opcode::Sub => fb.ins().isub(a, b),
            Opcode::Mul if float => fb.ins().fmul(a, b),
            Opcode::Mul => fb.ins().imul(a, b),
            Opcode::Div if float => fb.ins().fdiv(a, b),
            Opcode::Div | Opcode::Rem if !float => {
                let b = safe_divisor(fb, signed, a, b);
                match (opcode, signed) {
                    (Opcode::Div, true) => fb.ins().sdiv(a, b),
                    (Opcode::Div, false) => fb.ins().udiv(a, b),
                    (_, true) => fb.ins().srem(a, b),
                    (_, false) => fb.ins().urem(a, b),
                }
            }
            Opcode::Rem => {
                let lc = if fb.func.dfg.value_type(a) == types::F64 {
                    Libcall::RemF64
                } else {
                    Libcall::RemF32
                };
                self.call(lc, &[a, b])?
            }
            Opcode::Maximum if float => fb.ins().fmax(a, b),
            Opcode::Maximum if signed => fb.ins().smax(a, b),
            Opcode::Maximum => fb.ins().umax(a, b),
            Opcode::Minimum if float => fb.ins().fmin(a, b),
            Opcode::Minimum if signed => fb.ins().smin(a, b),
            Opcode::Minimum => fb.ins().umin(a, b),
            Opcode::And if !float => fb.ins().band(a, b),
            Opcode::Or if !float => fb.ins().bor(a, b),
            Opcode::Xor if !float => fb.ins().bxor(a, b),
            Opcode::Shl | Opcode::Shr if d.is_int() => shift(fb, opcode, d, a, b),
            Opcode::Umulhi if d.is_int() => fb.ins().umulhi(a, b),
            _ => return Err(self.error(op, format!("`{}` is not defined on {d}", opcode.name()))),
        };
        Ok(if rounds(opcode) {
            half::round_to(&mut self.fb, d, v)
        } else {
            v
        })
    }

    pub fn unary(&mut self, op: Op) -> Result<(), CodegenError> {
        let opcode = self.func.op(op).opcode;
        let operands = self.operands(op).to_vec();
        let d = self.dtype(op, operands[0])?;
        let r = self.result(op)?;
        let native = match opcode {
            Opcode::Floor | Opcode::Ceil => self.isa_has("has_sse41"),
            _ => native_ok(opcode, d),
        };
        self.map_elementwise(op, &operands, r, native, |t, a| {
            let x = a[0];
            let float = d.is_float();
            let fb = &mut t.fb;
            let v = match opcode {
                Opcode::Neg if float => fb.ins().fneg(x),
                Opcode::Neg if d.is_signed_int() => fb.ins().ineg(x),
                // Scalar `i1` is 0/1; vector masks are all-ones/zero.
                Opcode::Not if d == Dtype::I1 && !fb.func.dfg.value_type(x).is_vector() => {
                    fb.ins().bxor_imm_s(x, 1)
                }
                Opcode::Not if !float => fb.ins().bnot(x),
                Opcode::Abs if float => fb.ins().fabs(x),
                Opcode::Abs if d.is_signed_int() => fb.ins().iabs(x),
                Opcode::Abs if d.is_unsigned_int() => x,
                Opcode::Sqrt if float => fb.ins().sqrt(x),
                Opcode::Rsqrt if float => {
                    let ty = fb.func.dfg.value_type(x);
                    let root = fb.ins().sqrt(x);
                    let one = emit::fconst(fb, ty, 1.0);
                    fb.ins().fdiv(one, root)
                }
                // Exact, so `f16`/`bf16` need no rounding; SSE4.1's
                // `roundps` does them natively, else a host call.
                Opcode::Floor | Opcode::Ceil if float && native => {
                    if opcode == Opcode::Floor {
                        fb.ins().floor(x)
                    } else {
                        fb.ins().ceil(x)
                    }
                }
                Opcode::Exp
                | Opcode::Log
                | Opcode::Exp2
                | Opcode::Log2
                | Opcode::Erf
                | Opcode::Sin
                | Opcode::Cos
                | Opcode::Floor
                | Opcode::Ceil
                    if float =>
                {
                    let lc = Libcall::unary(opcode, d == Dtype::F64)
                        .ok_or_else(|| t.error(op, "no host function"))?;
                    t.call(lc, &[x])?
                }
                _ => return Err(t.error(op, format!("`{}` is not defined on {d}", opcode.name()))),
            };
            Ok(if rounds(opcode) {
                half::round_to(&mut t.fb, d, v)
            } else {
                v
            })
        })
    }

    /// `fma`: the native fused multiply-add for `f32`/`f64` on hosts with
    /// FMA (else Rust's `mul_add`); `f16`/`bf16` through a host function
    /// that rounds once to the half format (an `f32` FMA would round twice).
    pub fn fma(&mut self, op: Op) -> Result<(), CodegenError> {
        let operands = self.operands(op).to_vec();
        let d = self.dtype(op, operands[0])?;
        let r = self.result(op)?;
        let hardware = self.isa_has("has_fma") && matches!(d, Dtype::F32 | Dtype::F64);
        self.map_elementwise(op, &operands, r, hardware, |t, a| {
            let lc = match d {
                _ if hardware => return Ok(t.fb.ins().fma(a[0], a[1], a[2])),
                Dtype::F32 => Libcall::FmaF32,
                Dtype::F64 => Libcall::FmaF64,
                Dtype::F16 => Libcall::FmaF16,
                Dtype::BF16 => Libcall::FmaBF16,
                _ => return Err(t.error(op, format!("`fma` is not defined on {d}"))),
            };
            t.call(lc, a)
        })
    }

    pub fn compare(&mut self, op: Op) -> Result<(), CodegenError> {
        let operands = self.operands(op).to_vec();
        let d = self.dtype(op, operands[0])?;
        let pred = self
            .func
            .op(op)
            .attrs
            .pred()
            .ok_or_else(|| self.error(op, "missing predicate"))?;
        let r = self.result(op)?;
        self.map_elementwise(op, &operands, r, true, |t, a| {
            Ok(compare_value(&mut t.fb, pred, d, a[0], a[1]))
        })
    }
}

/// Replace a divisor that would trap (0, or -1 with a `MIN` dividend) by 1.
fn safe_divisor(
    fb: &mut cranelift_frontend::FunctionBuilder,
    signed: bool,
    a: cl::Value,
    b: cl::Value,
) -> cl::Value {
    let ty = fb.func.dfg.value_type(b);
    let zero = fb.ins().icmp_imm_s(IntCC::Equal, b, 0);
    let bad = if signed {
        let min = 1i64.wrapping_shl(ty.bits() - 1);
        let is_min = emit::icmp_const(fb, IntCC::Equal, a, min);
        let minus_one = fb.ins().icmp_imm_s(IntCC::Equal, b, -1);
        let overflow = fb.ins().band(is_min, minus_one);
        fb.ins().bor(zero, overflow)
    } else {
        zero
    };
    let one = fb.ins().iconst(ty, 1);
    fb.ins().select(bad, one, b)
}

fn shift(
    fb: &mut cranelift_frontend::FunctionBuilder,
    opcode: Opcode,
    d: Dtype,
    a: cl::Value,
    amount: cl::Value,
) -> cl::Value {
    match opcode {
        Opcode::Shl => fb.ins().ishl(a, amount),
        _ if d.is_signed_int() => fb.ins().sshr(a, amount),
        _ => fb.ins().ushr(a, amount),
    }
}

/// Compare scalars (giving `i8` 0/1) or native parts (giving a lane mask).
pub(crate) fn compare_value(
    fb: &mut cranelift_frontend::FunctionBuilder,
    pred: CmpPred,
    d: Dtype,
    a: cl::Value,
    b: cl::Value,
) -> cl::Value {
    if d.is_float() {
        let cc = match pred {
            CmpPred::Eq => FloatCC::Equal,
            CmpPred::Ne => FloatCC::NotEqual,
            CmpPred::Lt => FloatCC::LessThan,
            CmpPred::Le => FloatCC::LessThanOrEqual,
            CmpPred::Gt => FloatCC::GreaterThan,
            CmpPred::Ge => FloatCC::GreaterThanOrEqual,
        };
        fb.ins().fcmp(cc, a, b)
    } else {
        let signed = d.is_signed_int();
        let cc = match (pred, signed) {
            (CmpPred::Eq, _) => IntCC::Equal,
            (CmpPred::Ne, _) => IntCC::NotEqual,
            (CmpPred::Lt, true) => IntCC::SignedLessThan,
            (CmpPred::Le, true) => IntCC::SignedLessThanOrEqual,
            (CmpPred::Gt, true) => IntCC::SignedGreaterThan,
            (CmpPred::Ge, true) => IntCC::SignedGreaterThanOrEqual,
            (CmpPred::Lt, false) => IntCC::UnsignedLessThan,
            (CmpPred::Le, false) => IntCC::UnsignedLessThanOrEqual,
            (CmpPred::Gt, false) => IntCC::UnsignedGreaterThan,
            (CmpPred::Ge, false) => IntCC::UnsignedGreaterThanOrEqual,
        };
        fb.ins().icmp(cc, a, b)
    }
}
