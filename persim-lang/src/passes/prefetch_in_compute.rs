//! Moving prefetch hints out of the loops that wait on memory into a later
//! loop of the same row that only computes (after `fuse-loops`).
//!
//! `prefetch-next-programs` puts each hint next to its access, so after
//! fusion softmax's hints of the next rows sit in the row's first loop
//! (the load and the `max`) and its last (the division and the store).
//! Both loops wait on memory already. One core has about a dozen L1
//! misses in flight: the first loop's 63 hints queue behind its own 63
//! loads, and while the `exp` loop runs (the longest, and all arithmetic
//! on a row in L1) nothing is in flight at all. The time of a row is
//! then roughly its memory time plus its arithmetic time.
//!
//! So a `prefetch` directly in the body of a `for` that touches global
//! memory moves into the sibling `for` of its block (before or after it)
//! that iterates over the same space (equal bounds and step), touches no
//! global memory (local buffers only), and does the most arithmetic
//! (elementwise ops other than pointer offsets); the first of equals. The
//! hint's address is rebuilt at the front of that loop's body from its
//! index: the pure ops it needs that are not visible there (those of the
//! first loop's body, and those between the loops when the target comes
//! first) are cloned. A hint never faults and nothing depends on it, so
//! only its timing changes; loops with no such sibling, or an address
//! needing anything but pure ops, keep their hints.
//!
//! Measured from a C program over `persim_softmax_b1024`-like code (one
//! thread, 8192 rows of 1000 `f32`, rows from memory): hints in the first
//! and last loops ran at 0.60–0.72 of a `memcpy` of the same bytes; both
//! in the `exp` loop, 0.77–0.81.

use super::access::{accesses_of_op, same_int, Access};
use super::rewrite::{clone_slice_from, collect_slice};
use crate::ir::{Builder, Function, Op, Opcode, Value};
use std::collections::HashMap;

pub fn prefetch_in_compute_loops(f: &mut Function) {
    let hints: Vec<Op> = f
        .all_ops()
        .into_iter()
        .filter(|&o| f.op(o).opcode == Opcode::Prefetch)
        .collect();
    for hint in hints {
        let Some(from) = owning_for(f, hint) else {
            continue;
        };
        if !touches_global_memory(f, from) {
            continue;
        }
        let Some(to) = busiest_compute_sibling(f, from) else {
            continue;
        };
        move_hint(f, hint, from, to);
    }
}

/// The `for` whose body holds `op` directly.
fn owning_for(f: &Function, op: Op) -> Option<Op> {
    let owner = f.op(op).parent.and_then(|b| f.blocks[b].parent)?;
    (f.op(owner).opcode == Opcode::For).then_some(owner)
}

/// Whether anything in `lp`'s body, at any depth, reads or writes memory
/// other than local buffers (a global access, an atomic, a call).
fn touches_global_memory(f: &Function, lp: Op) -> bool {
    accesses_of_op(f, lp)
        .iter()
        .any(|a| !matches!(a, Access::Local { .. }))
}

/// Among the other `for`s of `from`'s block over the same iteration space
/// (the same start, end and step: values or equal constants, see
/// [`same_int`]) and touching no global memory, the one with the most
/// arithmetic (the first of equals); `None` when none has any.
fn busiest_compute_sibling(f: &Function, from: Op) -> Option<Op> {
    let block = f.op(from).parent?;
    let mut best: Option<(usize, Op)> = None;
    for &lp in f.block_ops(block) {
        if lp == from
            || f.op(lp).opcode != Opcode::For
            || !(0..3).all(|k| same_int(f, f.op(from).operands[k], f.op(lp).operands[k]))
            || touches_global_memory(f, lp)
        {
            continue;
        }
        let work = arithmetic(f, lp);
        if work > 0 && best.is_none_or(|(most, _)| work > most) {
            best = Some((work, lp));
        }
    }
    best.map(|(_, lp)| lp)
}

/// The elementwise ops in `lp`'s body, at any depth, other than pointer
/// offsets: the arithmetic a hint can overlap.
fn arithmetic(f: &Function, lp: Op) -> usize {
    let mut count = 0;
    f.walk(f.op(lp).regions[0], &mut |o| {
        let opcode = f.op(o).opcode;
        count += usize::from(opcode.is_elementwise() && opcode != Opcode::PtrAdd);
    });
    count
}

/// Moves `hint` from the body of `from` to the front of `to`'s body, its
/// address rebuilt from `to`'s index; leaves it alone when the address
/// needs an op that is not pure.
fn move_hint(f: &mut Function, hint: Op, from: Op, to: Op) {
    let from_iv = f.block_args(f.op(from).regions[0])[0];
    let to_body = f.op(to).regions[0];
    let mut slice = Vec::new();
    for &v in &f.op(hint).operands {
        if !collect_slice(f, v, to, from_iv, &mut slice) {
            return;
        }
    }
    let to_iv = f.block_args(to_body)[0];
    let loc = f.op(hint).loc;
    let mut at_front = Builder::before(f, to_body, 0);
    // The address is the hinted access's: its ops keep that location.
    at_front.loc = loc;
    let map = clone_slice_from(&mut at_front, &slice, HashMap::from([(from_iv, to_iv)]));
    let operands: Vec<Value> = f
        .op(hint)
        .operands
        .iter()
        .map(|v| *map.get(v).unwrap_or(v))
        .collect();
    f.detach_op(hint);
    f.ops[hint].operands = operands.into();
    f.insert_op(to_body, slice.len(), hint);
}
