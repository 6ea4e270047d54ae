//! Atomics: `atomic_add` … `atomic_cas` as `amo.*`, one read-modify-write
//! of off-chip memory per active lane, in lane order (as the reference
//! interpreter runs them), the old values gathered into the result;
//! masked-off lanes read 0.
//!
//! Atomics are fences in the IR: every DMA transfer still in flight (a
//! block copy out left behind, a queued store) is waited for first, so
//! the read-modify-write sees every earlier write of the instance; the
//! `amo` applies at issue, so every later transfer sees it.

use persim_lang::ir::{Dtype, Op, Opcode as IrOp};

use super::super::error::CResult;
use super::super::vcode::{VArg, VReg};
use super::Isel;
use crate::spatial::isa::{Opcode, RegClass};

impl Isel<'_> {
    pub(super) fn atomic(&mut self, op: Op) -> CResult<()> {
        let data = self.f.op(op).clone();
        let (dtype, size) = self.element_type(op, 0)?;
        if size == 8 {
            return self.wide_atomic(op, dtype);
        }
        use Dtype::{F32, I32, U32};
        let amo = match (data.opcode, dtype) {
            (IrOp::AtomicAdd, I32 | U32) => Opcode::AmoAddI,
            (IrOp::AtomicAdd, F32) => Opcode::AmoAddF,
            (IrOp::AtomicMax, I32) => Opcode::AmoMaxI,
            (IrOp::AtomicMax, U32) => Opcode::AmoMaxU,
            (IrOp::AtomicMax, F32) => Opcode::AmoMaxF,
            (IrOp::AtomicMin, I32) => Opcode::AmoMinI,
            (IrOp::AtomicMin, U32) => Opcode::AmoMinU,
            (IrOp::AtomicMin, F32) => Opcode::AmoMinF,
            (IrOp::AtomicXchg, I32 | U32 | F32) => Opcode::AmoXchg,
            (IrOp::AtomicCas, I32 | U32 | F32) => Opcode::AmoCas,
            _ => {
                return Err(
                    self.unsupported(op, "atomics act on 32-bit elements (i32, u32, f32) only")
                )
            }
        };
        let n_values = if amo == Opcode::AmoCas { 2 } else { 1 };
        let (ptrs, values, mask) = self.atomic_operands(op, n_values)?;
        self.fence();
        let vector = self.code.class(ptrs) == RegClass::Vector;
        let r = if vector {
            let bits = self.active_lanes(mask);
            let mut acc = self.splat_imm(0);
            for lane in 0..self.lanes as u8 {
                let on = self.bit(bits, lane);
                let extract = |s: &mut Self, v: VReg| {
                    s.op1(
                        Opcode::Vext,
                        RegClass::Scalar,
                        &[VArg::Reg(v), VArg::Lane(lane)],
                    )
                };
                acc = self.if_active(on, RegClass::Vector, acc, |s| {
                    let p = extract(s, ptrs);
                    let vs: Vec<VReg> = values.iter().map(|&v| extract(s, v)).collect();
                    let old = s.amo(amo, p, &vs);
                    let next = s.code.new_vreg(RegClass::Vector);
                    s.emit_args(
                        Opcode::Vins,
                        &[
                            VArg::Tied {
                                def: next,
                                src: acc,
                            },
                            VArg::Reg(old),
                            VArg::Lane(lane),
                        ],
                    );
                    next
                });
            }
            acc
        } else {
            let zero = self.li(0);
            match mask {
                Some(m) => self.if_active(m, RegClass::Scalar, zero, |s| s.amo(amo, ptrs, &values)),
                None => self.amo(amo, ptrs, &values),
            }
        };
        self.bind(data.results[0], r);
        Ok(())
    }

    /// An atomic on 64-bit elements: `amo.*.64` takes its value from lane
    /// 0 of a vector register and returns the old value as a splat. A
    /// vector's lanes reach lane 0 through SRAM (stored once, each lane
    /// broadcast back with `vbcast.64`; the staging vectors are free once
    /// the fence has waited for every DMA), and each old value goes into
    /// its lane with a one-lane select.
    fn wide_atomic(&mut self, op: Op, dtype: Dtype) -> CResult<()> {
        let data = self.f.op(op).clone();
        use Dtype::{F64, I64, U64};
        let amo = match (data.opcode, dtype) {
            (IrOp::AtomicAdd, I64 | U64) => Opcode::AmoAddL,
            (IrOp::AtomicAdd, F64) => Opcode::AmoAddD,
            (IrOp::AtomicMax, I64) => Opcode::AmoMaxL,
            (IrOp::AtomicMax, U64) => Opcode::AmoMaxUL,
            (IrOp::AtomicMax, F64) => Opcode::AmoMaxD,
            (IrOp::AtomicMin, I64) => Opcode::AmoMinL,
            (IrOp::AtomicMin, U64) => Opcode::AmoMinUL,
            (IrOp::AtomicMin, F64) => Opcode::AmoMinD,
            (IrOp::AtomicXchg, _) => Opcode::AmoXchgL,
            (IrOp::AtomicCas, _) => Opcode::AmoCasL,
            _ => return Err(self.unsupported(op, "no such 64-bit atomic")),
        };
        let n_values = if amo == Opcode::AmoCasL { 2 } else { 1 };
        let (ptrs, values, mask) = self.atomic_operands(op, n_values)?;
        self.fence();
        let zero = self.splat_imm(0);
        let r = if self.code.class(ptrs) == RegClass::Vector {
            let areas = [self.input.map.load_staging, self.input.map.store_staging];
            for (&v, &area) in values.iter().zip(&areas) {
                let at = VArg::Mem {
                    base: None,
                    offset: area as i32,
                };
                self.emit_args(Opcode::Vst64, &[VArg::Reg(v), at]);
            }
            let bits = self.active_lanes(mask);
            let mut acc = zero;
            for lane in 0..self.lanes as u8 {
                let on = self.bit(bits, lane);
                acc = self.if_active(on, RegClass::Vector, acc, |s| {
                    let p = s.op1(
                        Opcode::Vext,
                        RegClass::Scalar,
                        &[VArg::Reg(ptrs), VArg::Lane(lane)],
                    );
                    let vs: Vec<VReg> = areas[..n_values]
                        .iter()
                        .map(|&area| {
                            let at = VArg::Mem {
                                base: None,
                                offset: area as i32 + 8 * i32::from(lane),
                            };
                            s.op1(Opcode::Vbcast64, RegClass::Vector, &[at])
                        })
                        .collect();
                    let old = s.amo64(amo, p, &vs);
                    let upto = s.li(i32::from(lane) + 1);
                    let below = s.li(i32::from(lane));
                    let upto = s.op1(Opcode::Mlanes, RegClass::Mask, &[VArg::Reg(upto)]);
                    let below = s.op1(Opcode::Mlanes, RegClass::Mask, &[VArg::Reg(below)]);
                    let above = s.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(below)]);
                    let only = s.op1(
                        Opcode::Mand,
                        RegClass::Mask,
                        &[VArg::Reg(upto), VArg::Reg(above)],
                    );
                    s.op1(
                        Opcode::Vsel,
                        RegClass::Vector,
                        &[VArg::Reg(only), VArg::Reg(old), VArg::Reg(acc)],
                    )
                });
            }
            acc
        } else {
            match mask {
                Some(m) => {
                    self.if_active(m, RegClass::Vector, zero, |s| s.amo64(amo, ptrs, &values))
                }
                None => self.amo64(amo, ptrs, &values),
            }
        };
        self.bind(data.results[0], r);
        Ok(())
    }

    /// The pointers, the `n_values` values and the mask of an atomic.
    fn atomic_operands(
        &mut self,
        op: Op,
        n_values: usize,
    ) -> CResult<(VReg, Vec<VReg>, Option<VReg>)> {
        let data = self.f.op(op);
        let ptrs = self.reg(data.operands[0])?;
        let values = data.operands[1..=n_values]
            .iter()
            .map(|&v| self.reg(v))
            .collect::<CResult<Vec<_>>>()?;
        let mask = data
            .operands
            .get(1 + n_values)
            .map(|&v| self.reg(v))
            .transpose()?;
        Ok((ptrs, values, mask))
    }

    /// The active lanes as scalar bits (lane i = bit i): the mask's, or all.
    fn active_lanes(&mut self, mask: Option<VReg>) -> VReg {
        match mask {
            Some(m) => self.mask_bits(m),
            None => self.li(((1u64 << self.lanes) - 1) as i32),
        }
    }

    /// Bit `lane` of the scalar `bits`, as 0 or 1.
    fn bit(&mut self, bits: VReg, lane: u8) -> VReg {
        let shifted = self.op1(
            Opcode::Shri,
            RegClass::Scalar,
            &[VArg::Reg(bits), VArg::Imm(i32::from(lane))],
        );
        self.op1(
            Opcode::Andi,
            RegClass::Scalar,
            &[VArg::Reg(shifted), VArg::Imm(1)],
        )
    }

    fn amo64(&mut self, amo: Opcode, ptr: VReg, values: &[VReg]) -> VReg {
        let mut args = vec![VArg::Reg(ptr)];
        args.extend(values.iter().map(|&v| VArg::Reg(v)));
        self.op1(amo, RegClass::Vector, &args)
    }

    fn amo(&mut self, amo: Opcode, ptr: VReg, values: &[VReg]) -> VReg {
        let mut args = vec![VArg::Reg(ptr)];
        args.extend(values.iter().map(|&v| VArg::Reg(v)));
        self.op1(amo, RegClass::Scalar, &args)
    }

    /// `then(self)` when the scalar `on` is non-zero, else `otherwise`:
    /// the value of class `class` either way.
    fn if_active(
        &mut self,
        on: VReg,
        class: RegClass,
        otherwise: VReg,
        then: impl FnOnce(&mut Self) -> VReg,
    ) -> VReg {
        let active = self.code.new_block();
        let join = self.code.new_block();
        let skip = self.code.new_block();
        self.branch(Opcode::Bnez, &[on], active, skip);
        self.cur = skip;
        self.jump(join, vec![otherwise]);
        self.cur = active;
        let r = then(self);
        self.jump(join, vec![r]);
        let joined = self.code.new_vreg(class);
        self.code.block(join).params.push(joined);
        self.cur = join;
        joined
    }

    /// Waits for every DMA channel of the PE.
    fn fence(&mut self) {
        self.flush_copies();
        for ch in 0..self.input.machine.dma.channels_per_tile.max(1) {
            self.emit_args(Opcode::DmaWait, &[VArg::Channel(ch as u8)]);
        }
    }
}
