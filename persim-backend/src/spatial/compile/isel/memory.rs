//! Local buffers: `buf_load`/`buf_store` become SRAM loads and stores at the
//! buffer's address plus the scaled element index (folded into the
//! instruction's offset when the index is a constant).

use persim_lang::ir::{Op, Opcode as IrOp, Value};

use super::super::error::CResult;
use super::super::memory_map::BufPlace;
use super::super::vcode::VArg;
use super::{narrow, wide, Isel};
use crate::spatial::isa::{Opcode, RegClass};

impl Isel<'_> {
    fn place(&self, op: Op) -> CResult<BufPlace> {
        let buf = self.f.op(op).operands[0];
        self.input
            .map
            .buffers
            .get(&buf)
            .copied()
            .ok_or_else(|| self.err("internal error: buffer without an SRAM place"))
    }

    /// The memory operand of element `idx` of a buffer. An index `x + c`
    /// with a constant `c` (an unrolled loop's copies: `iv + 4j`) is
    /// addressed as `x`'s scaled register plus an offset, and the scaled
    /// register is made once per block, so accesses of every copy share a
    /// base register and the scheduler can tell them apart.
    pub(super) fn element(&mut self, place: BufPlace, idx: Value) -> CResult<VArg> {
        let (x, c) = self.split_constant(idx);
        let eb = place.elem_bytes as i32;
        let reg = self.reg(x)?;
        if let Some(&k) = self.consts.get(&reg) {
            return Ok(VArg::Mem {
                base: None,
                offset: place.addr as i32 + (k.wrapping_add(c)).wrapping_mul(eb),
            });
        }
        let shift = place.elem_bytes.trailing_zeros() as i32;
        let key = (self.cur, reg, shift);
        let scaled = match self.scaled.get(&key) {
            Some(&r) => r,
            None => {
                let r = self.op1(
                    Opcode::Shli,
                    RegClass::Scalar,
                    &[VArg::Reg(reg), VArg::Imm(shift)],
                );
                self.scaled.insert(key, r);
                r
            }
        };
        Ok(VArg::Mem {
            base: Some(scaled),
            offset: place.addr as i32 + c.wrapping_mul(eb),
        })
    }

    /// `v` as `x + c` when it is an `i32` `add` of a constant (else `v + 0`).
    fn split_constant(&self, v: Value) -> (Value, i32) {
        let Some(op) = self.f.def_op(v) else {
            return (v, 0);
        };
        let d = self.f.op(op);
        if d.opcode != IrOp::Add || !self.f.ty(v).is_scalar() {
            return (v, 0);
        }
        let konst = |u: Value| {
            let o = self.f.def_op(u)?;
            let c = self.f.op(o);
            (c.opcode == IrOp::Const)
                .then(|| c.attrs.int("value"))
                .flatten()
                .and_then(|k| i32::try_from(k).ok())
        };
        match (konst(d.operands[0]), konst(d.operands[1])) {
            (_, Some(c)) => (d.operands[0], c),
            (Some(c), _) => (d.operands[1], c),
            _ => (v, 0),
        }
    }

    pub(super) fn buf_load(&mut self, op: Op) -> CResult<()> {
        let data = self.f.op(op).clone();
        let place = self.place(op)?;
        let result = data.results[0];
        let class = self.class_of(self.f.ty(result))?;
        let at = self.element(place, data.operands[1])?;
        let dtype = self.f.ty(result).elem().dtype();
        let r = match class {
            _ if wide::is_wide(self.f.ty(result).elem()) => {
                // A 64-bit scalar is a splat: a broadcast load.
                let load = match self.f.ty(result).rank() {
                    1 => Opcode::Vld64,
                    _ => Opcode::Vbcast64,
                };
                self.op1(load, RegClass::Vector, &[at])
            }
            RegClass::Scalar => match dtype.and_then(|d| self.scalar_narrow_load(d, at)) {
                Some(r) => r,
                None => self.op1(Opcode::Lw, RegClass::Scalar, &[at]),
            },
            RegClass::Vector => {
                let load = dtype.and_then(narrow::vector_load).unwrap_or(Opcode::Vld);
                self.op1(load, RegClass::Vector, &[at])
            }
            _ => {
                // A mask is stored as 0/1 words.
                let words = self.op1(Opcode::Vld, RegClass::Vector, &[at]);
                let zero = self.splat_imm(0);
                self.op1(
                    Opcode::VcmpltI,
                    RegClass::Mask,
                    &[VArg::Reg(zero), VArg::Reg(words)],
                )
            }
        };
        self.bind(result, r);
        Ok(())
    }

    pub(super) fn buf_store(&mut self, op: Op) -> CResult<()> {
        let data = self.f.op(op).clone();
        let place = self.place(op)?;
        let value = self.reg(data.operands[2])?;
        let at = self.element(place, data.operands[1])?;
        let dtype = self.f.ty(data.operands[2]).elem().dtype();
        if wide::is_wide(self.f.ty(data.operands[2]).elem()) {
            let store = match self.f.ty(data.operands[2]).rank() {
                1 => Opcode::Vst64,
                _ => Opcode::Vsts64,
            };
            self.emit_args(store, &[VArg::Reg(value), at]);
            return Ok(());
        }
        match self.code.class(value) {
            RegClass::Scalar => {
                if !dtype.is_some_and(|d| self.scalar_narrow_store(d, value, at)) {
                    self.emit_args(Opcode::Sw, &[VArg::Reg(value), at]);
                }
            }
            RegClass::Vector => {
                let store = dtype.and_then(narrow::vector_store).unwrap_or(Opcode::Vst);
                self.emit_args(store, &[VArg::Reg(value), at]);
            }
            _ => {
                let one = self.splat_imm(1);
                let zero = self.splat_imm(0);
                let words = self.op1(
                    Opcode::Vsel,
                    RegClass::Vector,
                    &[VArg::Reg(value), VArg::Reg(one), VArg::Reg(zero)],
                );
                self.emit_args(Opcode::Vst, &[VArg::Reg(words), at]);
            }
        }
        Ok(())
    }
}
