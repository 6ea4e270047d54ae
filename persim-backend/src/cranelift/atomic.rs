//! Atomics: `atomic_add`, `atomic_max`, `atomic_min`, `atomic_xchg` and
//! `atomic_cas`, one lane at a time in lane order.
//!
//! Every instruction used is sequentially consistent (Cranelift's
//! `atomic_rmw`, `atomic_cas` and `atomic_load` are), which is stronger than
//! Triton's default `acq_rel`: program instances running on other threads
//! see each lane's update as one indivisible step, and plain loads and
//! stores are ordered around it. Integer add, max, min and exchange are one
//! `atomic_rmw` (max/min signed or unsigned by the element type); float add,
//! max and min are a compare-and-swap loop on the element's bits, computing
//! with the same instruction as the elementwise op so the result matches
//! the interpreter; float exchange and compare-and-swap work on the bits.
//!
//! A masked-off lane never touches memory and yields zero. In checked mode
//! every active lane is checked like a store before its access.

use super::error::CodegenError;
use super::layout::{dtype_lane, lane_type};
use super::memory::zero_of;
use super::translate::Translator;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self as cl, types, AtomicRmwOp, InstBuilder, MemFlagsData};
use persim_lang::ir::{Dtype, Elem, Op, Opcode};

/// The integer type with the bits of an element of `d`.
fn bits_type(d: Dtype) -> cl::Type {
    if d.bits() == 64 {
        types::I64
    } else {
        types::I32
    }
}

impl Translator<'_> {
    pub fn atomic(&mut self, op: Op) -> Result<(), CodegenError> {
        let opcode = self.func.op(op).opcode;
        let operands = self.operands(op).to_vec();
        let d = match self.func.ty(operands[0]).elem() {
            Elem::Ptr(d) if persim_lang::ir::typing::atomic_dtype(d) => d,
            e => return Err(self.error(op, format!("no atomics through {e}"))),
        };
        let n_values = if opcode == Opcode::AtomicCas { 2 } else { 1 };
        let (ptr_lanes, mask_lanes) =
            self.access_lanes(op, operands[0], operands.get(1 + n_values).copied())?;
        let mut value_lanes = Vec::with_capacity(n_values);
        for &v in &operands[1..=n_values] {
            let layout = self.layout_of(op, v)?;
            let parts = self.get(op, v)?;
            value_lanes.push(self.lanes_of(&parts, layout));
        }
        let (site, arg) = self.new_site(op, true);
        let bytes = d.size_bytes();
        let lane_ty = lane_type(Elem::Val(d));
        let mut old = Vec::with_capacity(ptr_lanes.len());
        for (i, &addr) in ptr_lanes.iter().enumerate() {
            let vals: Vec<cl::Value> = value_lanes.iter().map(|l| l[i]).collect();
            let v = match &mask_lanes {
                None => {
                    self.check_access(addr, bytes, arg, site, true)?;
                    self.atomic_lane(op, opcode, d, addr, &vals)?
                }
                Some(mask) => {
                    let active = self.fb.create_block();
                    let merge = self.fb.create_block();
                    let result = self.fb.append_block_param(merge, lane_ty);
                    let zero = zero_of(&mut self.fb, lane_ty);
                    self.fb
                        .ins()
                        .brif(mask[i], active, &[], merge, &[zero.into()]);
                    self.fb.switch_to_block(active);
                    self.check_access(addr, bytes, arg, site, true)?;
                    let v = self.atomic_lane(op, opcode, d, addr, &vals)?;
                    self.fb.ins().jump(merge, &[v.into()]);
                    self.fb.switch_to_block(merge);
                    result
                }
            };
            old.push(v);
        }
        let r = self.result(op)?;
        let layout = self.layout_of(op, r)?;
        let parts = self.assemble(old, layout);
        self.set(r, parts);
        Ok(())
    }

    /// One lane's atomic at `addr`; `vals` is `[val]` or `[cmp, val]` in
    /// register form. Returns the old value in register form.
    fn atomic_lane(
        &mut self,
        op: Op,
        opcode: Opcode,
        d: Dtype,
        addr: cl::Value,
        vals: &[cl::Value],
    ) -> Result<cl::Value, CodegenError> {
        let flags = MemFlagsData::new();
        let float = d.is_float();
        let int_op = match (opcode, float) {
            (Opcode::AtomicAdd, false) => Some(AtomicRmwOp::Add),
            (Opcode::AtomicMax, false) if d.is_signed_int() => Some(AtomicRmwOp::Smax),
            (Opcode::AtomicMax, false) => Some(AtomicRmwOp::Umax),
            (Opcode::AtomicMin, false) if d.is_signed_int() => Some(AtomicRmwOp::Smin),
            (Opcode::AtomicMin, false) => Some(AtomicRmwOp::Umin),
            (Opcode::AtomicXchg, _) => Some(AtomicRmwOp::Xchg),
            _ => None,
        };
        let bits = bits_type(d);
        let to_bits = |t: &mut Self, v: cl::Value| super::emit::bitcast(&mut t.fb, bits, v);
        let from_bits =
            |t: &mut Self, v: cl::Value| super::emit::bitcast(&mut t.fb, dtype_lane(d), v);
        if let Some(rmw) = int_op {
            let x = to_bits(self, vals[0]);
            let old = self.fb.ins().atomic_rmw(bits, flags, rmw, addr, x);
            return Ok(from_bits(self, old));
        }
        if opcode == Opcode::AtomicCas {
            let (cmp, new) = (to_bits(self, vals[0]), to_bits(self, vals[1]));
            let old = self.fb.ins().atomic_cas(flags, addr, cmp, new);
            return Ok(from_bits(self, old));
        }
        let combine = match opcode {
            Opcode::AtomicAdd => Opcode::Add,
            Opcode::AtomicMax => Opcode::Maximum,
            Opcode::AtomicMin => Opcode::Minimum,
            o => return Err(self.error(op, format!("`{}` is not an atomic", o.name()))),
        };
        // Compare-and-swap loop: retry with the value another instance
        // stored until the swap sees the value the new one was computed from.
        let first = self.fb.ins().atomic_load(bits, flags, addr);
        let retry = self.fb.create_block();
        let seen = self.fb.append_block_param(retry, bits);
        let done = self.fb.create_block();
        let result = self.fb.append_block_param(done, bits);
        self.fb.ins().jump(retry, &[first.into()]);
        self.fb.switch_to_block(retry);
        let current = from_bits(self, seen);
        let new = self.binary_value(op, combine, d, current, vals[0])?;
        let new = to_bits(self, new);
        let prev = self.fb.ins().atomic_cas(flags, addr, seen, new);
        let swapped = self.fb.ins().icmp(IntCC::Equal, prev, seen);
        self.fb
            .ins()
            .brif(swapped, done, &[seen.into()], retry, &[prev.into()]);
        self.fb.switch_to_block(done);
        Ok(from_bits(self, result))
    }
}
