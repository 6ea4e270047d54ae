//! Small emission helpers that work alike on a scalar Cranelift type and on a
//! native vector type, so that one piece of code (the f16 rounding, an
//! elementwise op) serves scalar parts and SIMD parts.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, ConstantData, Endianness, InstBuilder, MemFlagsData, Value};
use cranelift_frontend::FunctionBuilder;

/// Memory flags for a bitcast: explicit little-endian lane order, which
/// Cranelift requires when a vector bitcast changes the lane type.
pub(crate) fn bitcast_flags() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

/// Reinterpret `v` as `ty` (same total width).
pub(crate) fn bitcast(fb: &mut FunctionBuilder, ty: ir::Type, v: Value) -> Value {
    if fb.func.dfg.value_type(v) == ty {
        v
    } else {
        fb.ins().bitcast(ty, bitcast_flags(), v)
    }
}

/// The integer constant `v` (wrapped to the lane width) of integer type `ty`,
/// splatted when `ty` is a vector.
pub(crate) fn iconst(fb: &mut FunctionBuilder, ty: ir::Type, v: i64) -> Value {
    let lane = ty.lane_type();
    let bits = lane.bits();
    let wrapped = if bits >= 64 {
        v
    } else {
        v & ((1i64 << bits) - 1)
    };
    if ty.is_vector() {
        let mut bytes = Vec::with_capacity(16);
        for _ in 0..ty.lane_count() {
            bytes.extend_from_slice(&wrapped.to_le_bytes()[..lane.bytes() as usize]);
        }
        vconst(fb, ty, bytes)
    } else {
        fb.ins().iconst(ty, wrapped)
    }
}

/// The float constant `v` of float type `ty` (`f32` or `f64`, or vectors).
pub(crate) fn fconst(fb: &mut FunctionBuilder, ty: ir::Type, v: f64) -> Value {
    let lane = ty.lane_type();
    if ty.is_vector() {
        let mut bytes = Vec::with_capacity(16);
        for _ in 0..ty.lane_count() {
            if lane == ir::types::F32 {
                bytes.extend_from_slice(&(v as f32).to_le_bytes());
            } else {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
        }
        vconst(fb, ty, bytes)
    } else if lane == ir::types::F32 {
        fb.ins().f32const(v as f32)
    } else {
        fb.ins().f64const(v)
    }
}

/// A 128-bit vector constant from its little-endian bytes.
pub(crate) fn vconst(fb: &mut FunctionBuilder, ty: ir::Type, bytes: Vec<u8>) -> Value {
    let handle = fb.func.dfg.constants.insert(ConstantData::from(bytes));
    fb.ins().vconst(ty, handle)
}

/// `cond ? a : b` where `cond` is the result of an `icmp`/`fcmp` on operands
/// of `a`'s shape: an `i8` for scalars, a lane mask for vectors.
pub(crate) fn select(fb: &mut FunctionBuilder, cond: Value, a: Value, b: Value) -> Value {
    let ty = fb.func.dfg.value_type(a);
    if ty.is_vector() {
        let mask = bitcast(fb, ty, cond);
        fb.ins().bitselect(mask, a, b)
    } else {
        fb.ins().select(cond, a, b)
    }
}

/// `icmp` of `x` against a constant, for scalar or vector `x`.
pub(crate) fn icmp_const(fb: &mut FunctionBuilder, cc: IntCC, x: Value, k: i64) -> Value {
    let ty = fb.func.dfg.value_type(x);
    let k = iconst(fb, ty, k);
    fb.ins().icmp(cc, x, k)
}

/// Shift amount operand for `ishl`/`ushr`/`sshr` by a constant: Cranelift
/// vector shifts take one scalar amount for all lanes.
pub(crate) fn shift_amount(fb: &mut FunctionBuilder, n: i64) -> Value {
    fb.ins().iconst(ir::types::I32, n)
}
