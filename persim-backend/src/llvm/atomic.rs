//! Atomics: `atomic_add`, `atomic_max`, `atomic_min`, `atomic_xchg` and
//! `atomic_cas`, one lane at a time in lane order, all sequentially
//! consistent (as in the Cranelift backend, stronger than Triton's default
//! `acq_rel`).
//!
//! Integer add, max, min and exchange are one `atomicrmw` (max/min signed
//! or unsigned by the element type); float add, max and min are a
//! compare-and-swap loop on the element's bits, computing with the same
//! code as the elementwise op so the result matches the interpreter; float
//! exchange and compare-and-swap work on the bits. A masked-off lane never
//! touches memory and yields zero.

use super::error::LlvmError;
use super::translate::Translator;
use inkwell::types::{BasicType, BasicTypeEnum};
use inkwell::values::{BasicValue, BasicValueEnum, PointerValue};
use inkwell::{AddressSpace, AtomicOrdering, AtomicRMWBinOp, IntPredicate};
use persim_lang::ir::{Dtype, Elem, Op, Opcode};

const SEQ_CST: AtomicOrdering = AtomicOrdering::SequentiallyConsistent;

impl<'a, 'ctx> Translator<'a, 'ctx> {
    pub fn atomic(&mut self, op: Op) -> Result<(), LlvmError> {
        let opcode = self.func.op(op).opcode;
        let operands = self.operands(op);
        let d = match self.func.ty(operands[0]).elem() {
            Elem::Ptr(d) if persim_lang::ir::typing::atomic_dtype(d) => d,
            e => return Err(self.error(op, format!("no atomics through {e}"))),
        };
        let n_values = if opcode == Opcode::AtomicCas { 2 } else { 1 };
        let ptrs = self.get(op, operands[0])?;
        let vals: Vec<_> = operands[1..=n_values]
            .iter()
            .map(|&v| self.get(op, v))
            .collect::<Result<_, _>>()?;
        let mask = operands
            .get(1 + n_values)
            .map(|&m| self.get(op, m))
            .transpose()?;
        let r = self.result(op)?;
        let result_ty = self.type_of(op, r)?;
        let bits: BasicTypeEnum = super::types::int_type(self.cx, d.bits()).into();
        let bits_ptr = bits.ptr_type(AddressSpace::default());
        let lane_ty = self.scalar_type(Elem::Val(d));
        let n = self.lanes_of(ptrs);
        let vector = ptrs.is_vector_value();
        let mut out = if vector {
            Some(self.zero(result_ty))
        } else {
            None
        };
        for i in 0..n {
            let (addr, lane_vals, lane_mask) = if vector {
                let a = self.lane(ptrs, i)?.into_int_value();
                let p = self.b.build_int_to_ptr(a, bits_ptr, "")?;
                let v: Vec<_> = vals
                    .iter()
                    .map(|&v| self.lane(v, i))
                    .collect::<Result<_, _>>()?;
                let m = mask.map(|m| self.lane(m, i)).transpose()?;
                (p, v, m)
            } else {
                let p = self
                    .b
                    .build_pointer_cast(ptrs.into_pointer_value(), bits_ptr, "")?;
                (p, vals.clone(), mask)
            };
            let old = match lane_mask {
                None => self.atomic_lane(op, opcode, d, addr, &lane_vals, bits)?,
                Some(m) => {
                    let active = self.block("atomic");
                    let join = self.block("atomic.done");
                    let from = self.current_block()?;
                    self.b
                        .build_conditional_branch(m.into_int_value(), active, join)?;
                    self.b.position_at_end(active);
                    let v = self.atomic_lane(op, opcode, d, addr, &lane_vals, bits)?;
                    let active_end = self.current_block()?;
                    self.b.build_unconditional_branch(join)?;
                    self.b.position_at_end(join);
                    let phi = self.b.build_phi(lane_ty, "")?;
                    let zero = self.zero(lane_ty);
                    phi.add_incoming(&[(&v, active_end), (&zero, from)]);
                    phi.as_basic_value()
                }
            };
            out = Some(match out {
                Some(acc) if vector => self.with_lane(acc, old, i)?,
                _ => old,
            });
        }
        let v = out.ok_or_else(|| self.error(op, "atomic on zero lanes"))?;
        self.set(r, v);
        Ok(())
    }

    /// One lane's atomic at `addr` (an integer pointer of the element's
    /// width); `vals` is `[val]` or `[cmp, val]` in register form. Returns
    /// the old value in register form.
    fn atomic_lane(
        &mut self,
        op: Op,
        opcode: Opcode,
        d: Dtype,
        addr: PointerValue<'ctx>,
        vals: &[BasicValueEnum<'ctx>],
        bits: BasicTypeEnum<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        let lane_ty = self.scalar_type(Elem::Val(d));
        let float = d.is_float();
        let rmw = match (opcode, float) {
            (Opcode::AtomicAdd, false) => Some(AtomicRMWBinOp::Add),
            (Opcode::AtomicMax, false) if d.is_signed_int() => Some(AtomicRMWBinOp::Max),
            (Opcode::AtomicMax, false) => Some(AtomicRMWBinOp::UMax),
            (Opcode::AtomicMin, false) if d.is_signed_int() => Some(AtomicRMWBinOp::Min),
            (Opcode::AtomicMin, false) => Some(AtomicRMWBinOp::UMin),
            (Opcode::AtomicXchg, _) => Some(AtomicRMWBinOp::Xchg),
            _ => None,
        };
        if let Some(rmw) = rmw {
            let x = self.bitcast(vals[0], bits)?.into_int_value();
            let old = self.b.build_atomicrmw(rmw, addr, x, SEQ_CST)?;
            return self.bitcast(old.into(), lane_ty);
        }
        if opcode == Opcode::AtomicCas {
            let cmp = self.bitcast(vals[0], bits)?;
            let new = self.bitcast(vals[1], bits)?;
            let pair = self.b.build_cmpxchg(addr, cmp, new, SEQ_CST, SEQ_CST)?;
            let old = self.b.build_extract_value(pair, 0, "")?;
            return self.bitcast(old, lane_ty);
        }
        let combine = match opcode {
            Opcode::AtomicAdd => Opcode::Add,
            Opcode::AtomicMax => Opcode::Maximum,
            Opcode::AtomicMin => Opcode::Minimum,
            o => return Err(self.error(op, format!("`{}` is not an atomic", o.name()))),
        };
        // Compare-and-swap loop: retry with the value another instance
        // stored until the swap sees the value the new one was computed from.
        let first = self.b.build_load(addr, "")?;
        if let Some(i) = first.as_instruction_value() {
            let _ = i.set_alignment(d.size_bytes());
            let _ = i.set_atomic_ordering(SEQ_CST);
        }
        let pre = self.current_block()?;
        let retry = self.block("cas.retry");
        let done = self.block("cas.done");
        self.b.build_unconditional_branch(retry)?;
        self.b.position_at_end(retry);
        let seen = self.b.build_phi(bits, "seen")?;
        seen.add_incoming(&[(&first, pre)]);
        let seen_v = seen.as_basic_value();
        let current = self.bitcast(seen_v, lane_ty)?;
        let new = self.binary_value(op, combine, d, current, vals[0])?;
        let new = self.bitcast(new, bits)?;
        let pair = self.b.build_cmpxchg(addr, seen_v, new, SEQ_CST, SEQ_CST)?;
        let prev = self.b.build_extract_value(pair, 0, "")?;
        let swapped = self.icmp(IntPredicate::EQ, prev, seen_v)?.into_int_value();
        let end = self.current_block()?;
        seen.add_incoming(&[(&prev, end)]);
        self.b.build_conditional_branch(swapped, done, retry)?;
        self.b.position_at_end(done);
        self.bitcast(seen_v, lane_ty)
    }
}
