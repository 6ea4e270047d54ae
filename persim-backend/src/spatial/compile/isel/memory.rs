//! Local buffers: `buf_load`/`buf_store` become SRAM loads and stores at the
//! buffer's address plus the scaled element index (folded into the
//! instruction's offset when the index is a constant).

use persim_lang::ir::Op;

use super::super::error::CResult;
use super::super::memory_map::BufPlace;
use super::super::vcode::{VArg, VReg};
use super::Isel;
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

    /// The memory operand of element `idx` of a buffer.
    fn element(&mut self, place: BufPlace, idx: VReg) -> VArg {
        if let Some(&c) = self.consts.get(&idx) {
            return VArg::Mem {
                base: None,
                offset: place.addr as i32 + c * place.elem_bytes as i32,
            };
        }
        let shift = place.elem_bytes.trailing_zeros() as i32;
        let scaled = self.op1(
            Opcode::Shli,
            RegClass::Scalar,
            &[VArg::Reg(idx), VArg::Imm(shift)],
        );
        VArg::Mem {
            base: Some(scaled),
            offset: place.addr as i32,
        }
    }

    pub(super) fn buf_load(&mut self, op: Op) -> CResult<()> {
        let data = self.f.op(op).clone();
        let place = self.place(op)?;
        let idx = self.reg(data.operands[1])?;
        let result = data.results[0];
        let class = self.class_of(self.f.ty(result))?;
        let at = self.element(place, idx);
        let r = match class {
            RegClass::Scalar => self.op1(Opcode::Lw, RegClass::Scalar, &[at]),
            RegClass::Vector => self.op1(Opcode::Vld, RegClass::Vector, &[at]),
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
        let idx = self.reg(data.operands[1])?;
        let value = self.reg(data.operands[2])?;
        let at = self.element(place, idx);
        match self.code.class(value) {
            RegClass::Scalar => self.emit_args(Opcode::Sw, &[VArg::Reg(value), at]),
            RegClass::Vector => self.emit_args(Opcode::Vst, &[VArg::Reg(value), at]),
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
