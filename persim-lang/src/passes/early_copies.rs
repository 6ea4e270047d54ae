//! Starting a double-buffered loop's first copies as early as their
//! operands allow.
//!
//! `double-buffer` emits the first iteration's `copy_in`s right before the
//! loop, after whatever the block does first. In a matmul that is the zero
//! fill of the accumulator tile (a loop of stores into its buffer), so the
//! first tiles' transfer, and on the spatial target the whole forwarding
//! chain behind it, started only once the fill was done (about 1 100 of the
//! 1024³ matmul's cycles per PE). The copies depend on neither: they read
//! global memory and write their own buffers.
//!
//! So the ops before the copies (back to the first op they must not
//! cross) are split into those the copies depend on, `D` (the closure of
//! their operands' definitions), and the rest, `R`; the block becomes
//! `D, copies, R`, each part in its old order. An op is never crossed
//! when it (or anything in its regions) writes anything but a local
//! buffer (global stores, atomics, calls, copies, `copy_wait`), observes
//! (`assert`, `print`, `assume`), or names one of the copies' buffers. Every op of `D` that moves must be
//! pure, an `alloc` or a constant, with no regions, so moving it above
//! `R` changes nothing `R` sees; otherwise nothing moves.

use super::effects::{has_side_effects, is_atomic};
use crate::ir::{Block, Effect, Function, Op, Opcode, Value};
use std::collections::HashSet;

/// Moves the ops `group` (consecutive in `block`: the first copies and the
/// pure ops computing their operands) above the ops before them that they
/// neither depend on nor may cross.
pub(super) fn start_early(f: &mut Function, block: Block, group: &[Op]) {
    let Some(&first) = group.first() else {
        return;
    };
    let ops = f.block_ops(block).to_vec();
    let start = ops
        .iter()
        .position(|&o| o == first)
        .expect("the group sits in the block");
    let buffers: HashSet<Value> = group
        .iter()
        .filter(|&&o| matches!(f.op(o).opcode, Opcode::CopyIn | Opcode::CopyOut))
        .map(|&o| f.op(o).operands[0])
        .collect();
    let window_start = ops[..start]
        .iter()
        .rposition(|&o| is_barrier(f, o, &buffers))
        .map_or(0, |i| i + 1);
    let window = &ops[window_start..start];

    // `D`: what the group reads, transitively, defined in the window.
    let defined_in_window: HashSet<Op> = window.iter().copied().collect();
    let mut needed: HashSet<Op> = HashSet::new();
    let mut stack: Vec<Value> = group
        .iter()
        .flat_map(|&o| f.op(o).operands.iter().copied())
        .collect();
    while let Some(v) = stack.pop() {
        if let Some(def) = f.def_op(v) {
            if defined_in_window.contains(&def) && needed.insert(def) {
                stack.extend(f.op(def).operands.iter().copied());
            }
        }
    }
    let Some(first_rest) = window.iter().position(|o| !needed.contains(o)) else {
        return;
    };
    let (moving_up, rest): (Vec<Op>, Vec<Op>) = window[first_rest..]
        .iter()
        .partition(|o| needed.contains(o));
    if !moving_up.iter().all(|&o| may_move_up(f, o)) {
        return;
    }
    // Detaching `R` and putting it back after the group gives
    // `D, group, R`.
    for &o in &rest {
        f.detach_op(o);
    }
    let last = *group.last().expect("the group is not empty");
    let after = f
        .block_ops(block)
        .iter()
        .position(|&o| o == last)
        .expect("the group sits in the block")
        + 1;
    for (i, o) in rest.into_iter().enumerate() {
        f.insert_op(block, after + i, o);
    }
}

/// Whether the copies must stay after `op`.
fn is_barrier(f: &Function, op: Op, buffers: &HashSet<Value>) -> bool {
    let mut barrier = false;
    let mut visit = |o: Op| {
        let data = f.op(o);
        // Writes into other local buffers are no reason to wait; every
        // other write (global stores, atomics, calls, copies and their
        // waits) is.
        let local_write = matches!(data.opcode, Opcode::BufStore | Opcode::BufMatmul);
        barrier |= is_atomic(data.opcode)
            || matches!(data.opcode.effect(), Effect::Observe)
            || (data.opcode.effect() == Effect::Write && !local_write)
            || data.operands.iter().any(|v| buffers.contains(v));
    };
    visit(op);
    for &r in &f.op(op).regions {
        f.walk(r, &mut visit);
    }
    barrier
}

/// Whether an op the copies need may move above ops they do not.
fn may_move_up(f: &Function, op: Op) -> bool {
    let data = f.op(op);
    data.regions.is_empty()
        && !has_side_effects(f, op)
        && matches!(data.opcode.effect(), Effect::Pure | Effect::Instance)
        || data.opcode == Opcode::Alloc
}
