//! Program assembly: schedule every block, lay the blocks out in order,
//! drop jumps to the next block and resolve branch targets to bundle indices.
//!
//! A counted innermost loop becomes a hardware loop (`loop rc, end`, no
//! branch cost) when its blocks still have the shape the instruction
//! selector made: the header is only its `bge` and knows its trip count
//! (`VBlock::trips`), the body is the next block, straight-line, and jumps
//! back to the header. The header then loads the count into the loop
//! register and issues `loop` (once per entry: the hardware repeats the
//! body, not the header); the body's taken jump and the header's bundle
//! per iteration (a bundle and a branch bubble) are gone. The body is
//! scheduled knowing it follows itself (`schedule_loop_body`): its results
//! may still land during the next iteration's first bundles when nothing
//! there reads them sooner, and the exit path waits out what is still in
//! flight after the last iteration, once.

use super::regalloc::{PhysBlock, PhysTerm};
use super::schedule::{schedule_block, schedule_loop_body};
use super::vcode::BlockId;
use crate::spatial::inst::{Bundle, Inst, Operand};
use crate::spatial::isa::{Opcode, RegClass};
use crate::spatial::machine::Machine;
use crate::spatial::program::PeProgram;

/// Where a branch goes: a block's first bundle, or the bundle after a block.
#[derive(Clone, Copy)]
enum To {
    Start(BlockId),
    After(usize),
}

/// Lays out, schedules and links one PE's blocks. `trips[i]` is block
/// `i`'s trip count when it is a counted loop's header; `loop_reg` the
/// register hardware loops take their count in (`None`: no hardware loops).
pub fn assemble(
    machine: &Machine,
    blocks: &[PhysBlock],
    trips: &[Option<u32>],
    loop_reg: Option<u8>,
) -> PeProgram {
    let hw: Vec<bool> = (0..blocks.len())
        .map(|h| loop_reg.is_some() && hardware_loop(blocks, trips, h))
        .collect();
    let mut bundles: Vec<Bundle> = Vec::new();
    let mut starts = vec![0u32; blocks.len()];
    let mut ends = vec![0u32; blocks.len()];
    let mut fixups: Vec<(usize, usize, To)> = Vec::new();
    let jump = || Inst::new(Opcode::J, &[Operand::Target(0)]).expect("j takes a target");
    for (i, block) in blocks.iter().enumerate() {
        starts[i] = bundles.len() as u32;
        let next = BlockId(i as u32 + 1);
        let mut insts = block.insts.clone();
        let mut spans = block.spans.clone();
        let (term, target, extra) = match &block.term {
            // A hardware loop's header: count, then `loop` over the body.
            PhysTerm::Branch { .. } if hw[i] => {
                let reg = loop_reg.expect("hardware loops have a register");
                let n = trips[i].expect("a counted loop") as i32;
                let count = Operand::Reg(RegClass::Scalar, reg);
                insts.push(Inst::new(Opcode::Li, &[count, Operand::Imm(n)]).expect("li"));
                spans.push(None);
                let lp = Inst::new(Opcode::Loop, &[count, Operand::Target(0)]).expect("loop");
                (Some(lp), Some(To::After(i + 1)), None)
            }
            // A hardware loop's body: the loop repeats it.
            PhysTerm::Jump(to) if hw[to.0 as usize] && to.0 as usize + 1 == i => (None, None, None),
            PhysTerm::Jump(to) if *to == next => (None, None, None),
            PhysTerm::Jump(to) => (Some(jump()), Some(To::Start(*to)), None),
            PhysTerm::Halt => (
                Some(Inst::new(Opcode::Halt, &[]).expect("halt has no operands")),
                None,
                None,
            ),
            PhysTerm::Branch { inst, taken, fall } => (
                Some(*inst),
                Some(To::Start(*taken)),
                (*fall != next).then_some(*fall),
            ),
        };
        // A hardware loop's body follows itself: scheduled knowing that, it
        // may end with results in flight, which the exit path then waits
        // out once.
        let body_of_hw = i >= 1 && hw[i - 1] && term.is_none();
        let (s, exit_drain) = if body_of_hw {
            schedule_loop_body(machine, &insts, &spans)
        } else {
            (schedule_block(machine, &insts, &spans, term), 0)
        };
        let base = bundles.len();
        if let (Some((b, k)), Some(t)) = (s.term_at, target) {
            fixups.push((base + b, k, t));
        }
        bundles.extend(s.bundles);
        ends[i] = bundles.len() as u32;
        bundles.extend((0..exit_drain).map(|_| Bundle::nop()));
        if let Some(fall) = extra {
            fixups.push((bundles.len(), 0, To::Start(fall)));
            bundles.push(Bundle::new(vec![jump()]));
        }
        // After a hardware loop's body: on to where the header's `bge`
        // went, unless that is next.
        if i >= 1 && hw[i - 1] {
            if let PhysTerm::Branch { taken, .. } = blocks[i - 1].term {
                if taken != next {
                    fixups.push((bundles.len(), 0, To::Start(taken)));
                    bundles.push(Bundle::new(vec![jump()]));
                }
            }
        }
    }
    for (b, k, target) in fixups {
        bundles[b].insts[k].imm = match target {
            To::Start(t) => starts[t.0 as usize],
            To::After(i) => ends[i],
        };
    }
    PeProgram {
        bundles,
        ..PeProgram::default()
    }
}

/// Whether block `h` is the header of a loop that runs as a hardware loop
/// (see the module doc).
fn hardware_loop(blocks: &[PhysBlock], trips: &[Option<u32>], h: usize) -> bool {
    let (Some(Some(_)), Some(header), Some(body)) =
        (trips.get(h), blocks.get(h), blocks.get(h + 1))
    else {
        return false;
    };
    let me = BlockId(h as u32);
    let body_id = BlockId(h as u32 + 1);
    let header_is_bge = header.insts.is_empty()
        && matches!(header.term, PhysTerm::Branch { inst, fall, .. }
            if inst.opcode == Opcode::Bge && fall == body_id);
    // Only the header reaches the body (it is entered once per iteration).
    let into_body = blocks
        .iter()
        .filter(|b| match b.term {
            PhysTerm::Jump(to) => to == body_id,
            PhysTerm::Branch { taken, fall, .. } => taken == body_id || fall == body_id,
            PhysTerm::Halt => false,
        })
        .count();
    header_is_bge
        && body.term == PhysTerm::Jump(me)
        && !body.insts.is_empty()
        && body.insts.iter().all(|i| !i.info().is_control())
        && into_body == 1
}
