//! Block layout before assembly: branches threaded through empty jump
//! blocks, then blocks chained so that each block's fall-through successor
//! follows it where it can.
//!
//! Critical edges are split before register allocation (`cfg.rs`) and the
//! splits land at the end of the block list; most stay empty, so a branch
//! to one took two taken branches (the branch, then the split's `j`), and
//! a block whose successor was made later than an unrelated block paid a
//! `j` of its own. Each taken branch costs a bundle and a bubble; on the
//! default machine's 1024^3 matmul (mostly its copy protocol's branches)
//! the two together took 659 cycles off the run (92 853 -> 92 194).

use super::regalloc::{PhysBlock, PhysTerm};
use super::vcode::BlockId;

/// The blocks, with their trip counts, threaded and laid out; block 0
/// stays first (the program's entry).
pub fn lay_out(
    blocks: Vec<PhysBlock>,
    trips: Vec<Option<u32>>,
) -> (Vec<PhysBlock>, Vec<Option<u32>>) {
    let mut blocks = blocks;
    thread_jumps(&mut blocks);
    let order = chain_order(&blocks);
    let mut new_id = vec![None; blocks.len()];
    for (k, &b) in order.iter().enumerate() {
        new_id[b] = Some(BlockId(k as u32));
    }
    let id = |b: BlockId| new_id[b.0 as usize].expect("a successor of a placed block is placed");
    let mut out = Vec::with_capacity(order.len());
    let mut out_trips = Vec::with_capacity(order.len());
    for &b in &order {
        let mut block = blocks[b].clone();
        block.term = match block.term {
            PhysTerm::Jump(to) => PhysTerm::Jump(id(to)),
            PhysTerm::Branch { inst, taken, fall } => PhysTerm::Branch {
                inst,
                taken: id(taken),
                fall: id(fall),
            },
            PhysTerm::Halt => PhysTerm::Halt,
        };
        out.push(block);
        out_trips.push(trips.get(b).copied().flatten());
    }
    (out, out_trips)
}

/// Where a branch to `b` may go instead: past every empty block that only
/// jumps on (at most one step per block, so a cycle of empty blocks
/// ends).
fn final_target(blocks: &[PhysBlock], mut b: BlockId) -> BlockId {
    for _ in 0..blocks.len() {
        match &blocks[b.0 as usize] {
            PhysBlock {
                insts,
                term: PhysTerm::Jump(to),
                ..
            } if insts.is_empty() && *to != b => b = *to,
            _ => break,
        }
    }
    b
}

fn thread_jumps(blocks: &mut [PhysBlock]) {
    for i in 0..blocks.len() {
        let term = match blocks[i].term.clone() {
            PhysTerm::Jump(to) => PhysTerm::Jump(final_target(blocks, to)),
            PhysTerm::Branch { inst, taken, fall } => PhysTerm::Branch {
                inst,
                taken: final_target(blocks, taken),
                fall: final_target(blocks, fall),
            },
            PhysTerm::Halt => PhysTerm::Halt,
        };
        blocks[i].term = term;
    }
}

fn successors(term: &PhysTerm) -> Vec<BlockId> {
    match term {
        PhysTerm::Jump(to) => vec![*to],
        PhysTerm::Branch { taken, fall, .. } => vec![*fall, *taken],
        PhysTerm::Halt => Vec::new(),
    }
}

/// The blocks reachable from the entry, in chains: from each block not
/// yet placed (in the original order), its fall-through successor (a
/// jump's target, a branch's `fall`) next while that is not placed yet.
fn chain_order(blocks: &[PhysBlock]) -> Vec<usize> {
    let n = blocks.len();
    let mut reachable = vec![false; n];
    let mut stack = vec![0usize];
    while let Some(b) = stack.pop() {
        if n == 0 || std::mem::replace(&mut reachable[b], true) {
            continue;
        }
        stack.extend(successors(&blocks[b].term).iter().map(|s| s.0 as usize));
    }
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for seed in 0..n {
        let mut cur = Some(seed);
        while let Some(b) = cur.filter(|&b| reachable[b] && !placed[b]) {
            placed[b] = true;
            order.push(b);
            cur = match blocks[b].term {
                PhysTerm::Jump(to) => Some(to.0 as usize),
                PhysTerm::Branch { fall, .. } => Some(fall.0 as usize),
                PhysTerm::Halt => None,
            };
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spatial::inst::{Inst, Operand};
    use crate::spatial::isa::{Opcode, RegClass};

    fn work() -> Vec<Inst> {
        let r = Operand::Reg(RegClass::Scalar, 2);
        vec![Inst::new(Opcode::Li, &[r, Operand::Imm(1)]).unwrap()]
    }

    fn block(insts: Vec<Inst>, term: PhysTerm) -> PhysBlock {
        PhysBlock {
            spans: vec![None; insts.len()],
            insts,
            term,
        }
    }

    fn branch(taken: u32, fall: u32) -> PhysTerm {
        let r = Operand::Reg(RegClass::Scalar, 1);
        PhysTerm::Branch {
            inst: Inst::new(Opcode::Beqz, &[r, Operand::Target(0)]).unwrap(),
            taken: BlockId(taken),
            fall: BlockId(fall),
        }
    }

    /// Block 0 branches to an empty split block (3) that jumps to 2, and
    /// falls to 2's sibling made last (4): the branch goes to 2 directly,
    /// the split block is dropped, and 4 follows 0.
    #[test]
    fn branches_skip_empty_jump_blocks_and_fall_throughs_follow() {
        let blocks = vec![
            block(work(), branch(3, 4)),
            block(work(), PhysTerm::Halt),
            block(work(), PhysTerm::Jump(BlockId(1))),
            block(Vec::new(), PhysTerm::Jump(BlockId(2))),
            block(work(), PhysTerm::Jump(BlockId(1))),
        ];
        let trips = vec![None; 5];
        let (out, _) = lay_out(blocks, trips);
        assert_eq!(out.len(), 4, "the empty split block is gone");
        // Order: 0, 4 (its fall-through), 1, 2 (renumbered 0, 1, 2, 3).
        match &out[0].term {
            PhysTerm::Branch { taken, fall, .. } => {
                assert_eq!((*taken, *fall), (BlockId(3), BlockId(1)));
            }
            t => panic!("{t:?}"),
        }
        assert_eq!(out[1].term, PhysTerm::Jump(BlockId(2)));
        assert_eq!(out[2].term, PhysTerm::Halt);
        assert_eq!(out[3].term, PhysTerm::Jump(BlockId(2)));
    }

    /// A counted loop's header keeps its body right after it, and its trip
    /// count moves with it; a cycle of empty blocks ends the threading.
    #[test]
    fn loops_keep_header_then_body_and_empty_cycles_end() {
        let blocks = vec![
            block(work(), PhysTerm::Jump(BlockId(3))),
            block(work(), PhysTerm::Jump(BlockId(2))),
            block(work(), PhysTerm::Halt),
            block(Vec::new(), branch(1, 4)),
            block(work(), PhysTerm::Jump(BlockId(3))),
            block(Vec::new(), PhysTerm::Jump(BlockId(6))),
            block(Vec::new(), PhysTerm::Jump(BlockId(5))),
        ];
        let trips = vec![None, None, None, Some(8), None, None, None];
        let (out, trips) = lay_out(blocks, trips);
        // 0, then the header (3) and its body (4), then the exit path.
        assert_eq!(trips, [None, Some(8), None, None, None]);
        assert_eq!(out[0].term, PhysTerm::Jump(BlockId(1)));
        match &out[1].term {
            PhysTerm::Branch { taken, fall, .. } => {
                assert_eq!((*taken, *fall), (BlockId(3), BlockId(2)));
            }
            t => panic!("{t:?}"),
        }
        assert_eq!(out[2].term, PhysTerm::Jump(BlockId(1)));
        // The empty cycle (5 <-> 6) is unreachable and dropped; threading
        // it alone terminates.
        let mut cycle = vec![
            block(Vec::new(), PhysTerm::Jump(BlockId(1))),
            block(Vec::new(), PhysTerm::Jump(BlockId(0))),
        ];
        thread_jumps(&mut cycle);
    }
}
