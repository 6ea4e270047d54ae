//! Dead scalar arithmetic before register allocation.
//!
//! The instruction selector computes an IR value's register when it meets
//! the op, before it knows whether every reader will fold it away: an
//! unrolled body's `iv + 16 · j` indices become immediate offsets of the
//! loads and stores, and the `add`s that computed them are left with no
//! reader. `regalloc2` allocates them anyway and the scheduler issues them
//! in the PE's one scalar slot. This removes scalar ALU instructions
//! (`li`, `mov`, `add`, shifts, compares, `mul`...: no memory, no control,
//! no waiting) none of whose results is read, until none is left.

use std::collections::HashMap;

use super::vcode::{Term, VCode, VReg};
use crate::spatial::isa::{LatencyClass, Opcode, SlotKind};

pub fn remove_dead_scalar_ops(code: &mut VCode) {
    loop {
        let mut uses: HashMap<VReg, usize> = HashMap::new();
        for block in &code.blocks {
            for inst in &block.insts {
                for v in inst.regs().0 {
                    *uses.entry(v).or_insert(0) += 1;
                }
            }
            let term_regs: &[VReg] = match &block.term {
                Term::Jump(_, args) => args,
                Term::Branch { regs, .. } => regs,
                Term::Halt => &[],
            };
            for &v in term_regs {
                *uses.entry(v).or_insert(0) += 1;
            }
        }
        let mut removed = false;
        for block in &mut code.blocks {
            block.insts.retain(|inst| {
                let dead = pure_scalar(inst.opcode)
                    && inst.pred.is_none()
                    && inst.regs().1.iter().all(|d| !uses.contains_key(d));
                removed |= dead;
                !dead
            });
        }
        if !removed {
            return;
        }
    }
}

/// Scalar ALU instructions: their only effect is their result register.
fn pure_scalar(opcode: Opcode) -> bool {
    let info = opcode.info();
    info.slot == Some(SlotKind::Scalar)
        && matches!(
            info.latency,
            Some(LatencyClass::ScalarAlu | LatencyClass::ScalarMul)
        )
        && !info.blocking
        && !info.is_control()
}

#[cfg(test)]
mod tests {
    use super::super::vcode::{VArg, VInst};
    use super::*;
    use crate::spatial::isa::RegClass;

    #[test]
    fn unread_scalar_arithmetic_goes_and_the_rest_stays() {
        let mut code = VCode::default();
        let b = code.new_block();
        let r = |code: &mut VCode| code.new_vreg(RegClass::Scalar);
        let (base, dead1, dead2, live, addr) = (
            r(&mut code),
            r(&mut code),
            r(&mut code),
            r(&mut code),
            r(&mut code),
        );
        let v = code.new_vreg(RegClass::Vector);
        code.block(b).insts = vec![
            VInst::new(Opcode::Li, &[VArg::Reg(base), VArg::Imm(64)]),
            // A chain nothing reads: both go.
            VInst::new(
                Opcode::Addi,
                &[VArg::Reg(dead1), VArg::Reg(base), VArg::Imm(16)],
            ),
            VInst::new(
                Opcode::Addi,
                &[VArg::Reg(dead2), VArg::Reg(dead1), VArg::Imm(16)],
            ),
            // Read by the jump: stays.
            VInst::new(
                Opcode::Addi,
                &[VArg::Reg(live), VArg::Reg(base), VArg::Imm(1)],
            ),
            // An address read by a load whose result nothing reads: a load
            // is not scalar arithmetic, so it and its address stay.
            VInst::new(
                Opcode::Addi,
                &[VArg::Reg(addr), VArg::Reg(base), VArg::Imm(4)],
            ),
            VInst::new(
                Opcode::Vld,
                &[
                    VArg::Reg(v),
                    VArg::Mem {
                        base: Some(addr),
                        offset: 0,
                    },
                ],
            ),
        ];
        let exit = code.new_block();
        code.block(b).term = Term::Jump(exit, vec![live]);
        code.block(exit).params = vec![code.new_vreg(RegClass::Scalar)];
        remove_dead_scalar_ops(&mut code);
        let left: Vec<Opcode> = code.blocks[0].insts.iter().map(|i| i.opcode).collect();
        assert_eq!(
            left,
            [Opcode::Li, Opcode::Addi, Opcode::Addi, Opcode::Vld],
            "{:?}",
            code.blocks[0].insts
        );
        assert!(code.blocks[0]
            .insts
            .iter()
            .all(|i| !i.regs().1.contains(&dead1)));
    }
}
