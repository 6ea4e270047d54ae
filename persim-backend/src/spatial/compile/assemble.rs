//! Program assembly: schedule every block, lay the blocks out in order,
//! drop jumps to the next block and resolve branch targets to bundle indices.

use super::regalloc::{PhysBlock, PhysTerm};
use super::schedule::schedule_block;
use super::vcode::BlockId;
use crate::spatial::inst::{Bundle, Inst, Operand};
use crate::spatial::isa::Opcode;
use crate::spatial::machine::Machine;
use crate::spatial::program::PeProgram;

/// Lays out, schedules and links one PE's blocks.
pub fn assemble(machine: &Machine, blocks: &[PhysBlock]) -> PeProgram {
    let mut bundles: Vec<Bundle> = Vec::new();
    let mut starts = vec![0u32; blocks.len()];
    // (bundle, inst index, target block)
    let mut fixups: Vec<(usize, usize, BlockId)> = Vec::new();
    let jump = || Inst::new(Opcode::J, &[Operand::Target(0)]).expect("j takes a target");
    for (i, block) in blocks.iter().enumerate() {
        starts[i] = bundles.len() as u32;
        let next = BlockId(i as u32 + 1);
        let (term, target, extra) = match &block.term {
            PhysTerm::Jump(to) if *to == next => (None, None, None),
            PhysTerm::Jump(to) => (Some(jump()), Some(*to), None),
            PhysTerm::Halt => (
                Some(Inst::new(Opcode::Halt, &[]).expect("halt has no operands")),
                None,
                None,
            ),
            PhysTerm::Branch { inst, taken, fall } => {
                (Some(*inst), Some(*taken), (*fall != next).then_some(*fall))
            }
        };
        let s = schedule_block(machine, &block.insts, &block.spans, term);
        let base = bundles.len();
        if let (Some((b, k)), Some(t)) = (s.term_at, target) {
            fixups.push((base + b, k, t));
        }
        bundles.extend(s.bundles);
        if let Some(fall) = extra {
            fixups.push((bundles.len(), 0, fall));
            bundles.push(Bundle::new(vec![jump()]));
        }
    }
    for (b, k, target) in fixups {
        bundles[b].insts[k].imm = starts[target.0 as usize];
    }
    PeProgram {
        bundles,
        ..PeProgram::default()
    }
}
