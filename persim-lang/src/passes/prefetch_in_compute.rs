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
//! memory moves into the loop, among the later siblings of that `for`
//! in its block, that iterates over the same space (equal bounds and
//! step), touches no global memory (local buffers only), and does the
//! most arithmetic (elementwise ops other than pointer offsets); the
//! earliest of equals. The hint's address is rebuilt there from that
//! loop's index by cloning the pure ops it needs from the first loop's
//! body; values from outside the first loop are shared (they are defined
//! before it, so before the later loop too). A hint never faults and
//! nothing depends on it, so only its timing changes; loops with no such
//! sibling, or an address needing anything but pure ops, keep their hints.
//!
//! Measured from a C program over `persim_softmax_b1024`-like code (one
//! thread, 8192 rows of 1000 `f32`, rows from memory): hints in the first
//! and last loops ran at 0.63–0.72 of a `memcpy` of the same bytes; both
//! in the `exp` loop, 0.77–0.81.

use super::canonicalize::constant_of;
use crate::ir::{Effect, Function, Op, Opcode, Value, ValueDef};
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
    let mut found = false;
    f.walk(f.op(lp).regions[0], &mut |o| {
        let data = f.op(o);
        let local = matches!(data.opcode, Opcode::BufLoad | Opcode::BufStore);
        found |= !local && matches!(data.opcode.effect(), Effect::Read | Effect::Write);
    });
    found
}

/// Among the other `for`s of `from`'s block over the same iteration space
/// and touching no global memory, the one with the most arithmetic (the
/// first of equals); `None` when none has any.
fn busiest_compute_sibling(f: &Function, from: Op) -> Option<Op> {
    let block = f.op(from).parent?;
    let mut best: Option<(usize, Op)> = None;
    for &lp in f.block_ops(block) {
        if lp == from
            || f.op(lp).opcode != Opcode::For
            || !same_space(f, from, lp)
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

/// Whether two `for`s have the same start, end and step: the same values
/// or equal constants (lowering emits fresh constants per loop).
fn same_space(f: &Function, a: Op, b: Op) -> bool {
    let (a, b) = (&f.op(a).operands, &f.op(b).operands);
    (0..3).all(|i| {
        a[i] == b[i]
            || matches!(
                (constant_of(f, a[i]), constant_of(f, b[i])),
                (Some(x), Some(y)) if x == y
            )
    })
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
    let from_body = f.op(from).regions[0];
    let to_body = f.op(to).regions[0];
    let mut clones: HashMap<Value, Value> = HashMap::new();
    clones.insert(f.block_args(from_body)[0], f.block_args(to_body)[0]);
    let mut cloned = Vec::new();
    let mut operands = Vec::new();
    for v in f.op(hint).operands.clone() {
        match rebuild(f, v, to, &mut clones, &mut cloned) {
            Some(nv) => operands.push(nv),
            None => return,
        }
    }
    let count = cloned.len();
    for (i, op) in cloned.into_iter().enumerate() {
        f.insert_op(to_body, i, op);
    }
    f.detach_op(hint);
    f.ops[hint].operands = operands.into();
    f.insert_op(to_body, count, hint);
}

/// `v` as seen from the front of `to`'s body: values available there are
/// shared, others are cloned (in dependence order, into `cloned`); `None`
/// when one is not a pure, region-free op's result.
fn rebuild(
    f: &mut Function,
    v: Value,
    to: Op,
    clones: &mut HashMap<Value, Value>,
    cloned: &mut Vec<Op>,
) -> Option<Value> {
    if let Some(&c) = clones.get(&v) {
        return Some(c);
    }
    if available(f, v, to) {
        return Some(v);
    }
    let def = f.def_op(v)?;
    let data = f.op(def).clone();
    if data.opcode.effect() != Effect::Pure || !data.regions.is_empty() {
        return None;
    }
    let mut operands = Vec::with_capacity(data.operands.len());
    for &o in &data.operands {
        operands.push(rebuild(f, o, to, clones, cloned)?);
    }
    let types = data.results.iter().map(|&r| f.ty(r).clone()).collect();
    let op = f.create_op(data.opcode, &operands, data.attrs, &[], types, data.loc);
    cloned.push(op);
    for (&old, &new) in data.results.iter().zip(&f.op(op).results.clone()) {
        clones.insert(old, new);
    }
    clones.get(&v).copied()
}

/// Whether `v` is defined where the front of `to`'s body sees it: an
/// argument of a block around `to`, or the result of an op before `to` (or
/// before the op around `to`) in such a block.
fn available(f: &Function, v: Value, to: Op) -> bool {
    let mut at = to;
    while let Some(block) = f.op(at).parent {
        match f.values[v].def {
            ValueDef::Arg(b, _) if b == block => return true,
            ValueDef::Result(def, _) if f.op(def).parent == Some(block) => {
                let ops = f.block_ops(block);
                let index = |o: Op| ops.iter().position(|&x| x == o);
                return index(def) < index(at);
            }
            _ => {}
        }
        match f.blocks[block].parent {
            Some(owner) => at = owner,
            None => return false,
        }
    }
    false
}
