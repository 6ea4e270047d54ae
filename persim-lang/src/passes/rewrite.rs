//! Small helpers for passes that add buffers and ops to lowered IR
//! (`bulk-copies`, `double-buffer`, `unroll-loops`, `early-write-out`,
//! `prefetch-in-compute-loops`, and the final-phase passes that move
//! copies earlier).

use super::effects::is_pure_leaf;
use crate::ir::{Attr, Attrs, Block, Builder, Function, Op, Opcode, Value, ValueDef};
use crate::target::Target;
use std::collections::{HashMap, HashSet};

/// Byte alignment of new buffers, as the lowering's.
const ALIGN: u64 = 64;

/// The offset of a new buffer of `bytes` after the function's local memory,
/// which grows to hold it; `None` (and nothing changes) if the function
/// would then need more than the target has. Before `pack-buffers` this is
/// the sum of every buffer, so a `Some` never makes packing fail.
pub fn reserve_buffer(f: &mut Function, target: &Target, bytes: u64) -> Option<u64> {
    let used = f.attrs.int("local_mem").unwrap_or(0).max(0) as u64;
    let offset = used.next_multiple_of(ALIGN);
    if target
        .local_mem_bytes
        .is_some_and(|cap| offset + bytes > cap)
    {
        return None;
    }
    f.attrs.set("local_mem", Attr::Int((offset + bytes) as i64));
    Some(offset)
}

/// Every `for` of the function, outer before inner.
pub fn for_loops(f: &Function) -> Vec<Op> {
    f.all_ops()
        .into_iter()
        .filter(|&op| f.op(op).opcode == Opcode::For)
        .collect()
}

/// The index of `op` in `block`.
pub fn position(f: &Function, block: Block, op: Op) -> usize {
    f.block_ops(block)
        .iter()
        .position(|&o| o == op)
        .expect("op in its block")
}

/// Builds a single-result op the pass made well-typed by construction.
pub fn value(b: &mut Builder, opcode: Opcode, operands: &[Value]) -> Value {
    value_with(b, opcode, operands, Attrs::new())
}

/// [`value`] with attributes.
pub fn value_with(b: &mut Builder, opcode: Opcode, operands: &[Value], attrs: Attrs) -> Value {
    b.value(opcode, operands, attrs).unwrap_or_else(|e| {
        panic!(
            "a pass built an ill-typed `{}`: {}",
            opcode.name(),
            e.message
        )
    })
}

/// Builds, at `b`, a copy of the pure, region-free `slice` (ops in order)
/// with `iv` replaced by `at`; returns the map from original values to
/// their copies (and `iv` to `at`).
pub fn clone_slice(b: &mut Builder, slice: &[Op], iv: Value, at: Value) -> HashMap<Value, Value> {
    clone_slice_from(b, slice, HashMap::from([(iv, at)]))
}

/// [`clone_slice`] with any substitutions: `map` says what replaces each
/// value the slice reads (the induction variable, carried values).
pub fn clone_slice_from(
    b: &mut Builder,
    slice: &[Op],
    mut map: HashMap<Value, Value>,
) -> HashMap<Value, Value> {
    for &op in slice {
        let d = b.func.op(op).clone();
        let operands: Vec<Value> = d
            .operands
            .iter()
            .map(|v| *map.get(v).unwrap_or(v))
            .collect();
        let types = d.results.iter().map(|&r| b.func.ty(r).clone()).collect();
        let c = b.build_declared(d.opcode, &operands, d.attrs.clone(), &[], types);
        for (&old, &new) in d.results.iter().zip(&b.func.op(c).results.clone()) {
            map.insert(old, new);
        }
    }
    map
}

/// A detached copy of `op` (regions included), its operands through
/// `map`; its results and its regions' block arguments join `map`.
pub fn deep_copy(f: &mut Function, op: Op, map: &mut HashMap<Value, Value>) -> Op {
    let d = f.op(op).clone();
    let regions: Vec<Block> = d.regions.iter().map(|&r| copy_block(f, r, map)).collect();
    let operands: Vec<Value> = d
        .operands
        .iter()
        .map(|v| *map.get(v).unwrap_or(v))
        .collect();
    let types = d.results.iter().map(|&r| f.ty(r).clone()).collect();
    let c = f.create_op(d.opcode, &operands, d.attrs.clone(), &regions, types, d.loc);
    for (&from, &to) in d.results.iter().zip(&f.op(c).results.clone()) {
        map.insert(from, to);
    }
    c
}

fn copy_block(f: &mut Function, block: Block, map: &mut HashMap<Value, Value>) -> Block {
    let copy = f.new_block();
    for &arg in &f.block_args(block).to_vec() {
        let ty = f.ty(arg).clone();
        let v = f.add_block_arg(copy, ty);
        map.insert(arg, v);
    }
    for &op in &f.block_ops(block).to_vec() {
        let c = deep_copy(f, op, map);
        f.append_op(copy, c);
    }
    copy
}

/// Appends to `slice`, operands first, the ops computing `v` that the front
/// of `to`'s body does not see (`from_iv` is replaced, not computed);
/// false when one of them is not a pure, region-free op.
pub fn collect_slice(f: &Function, v: Value, to: Op, from_iv: Value, slice: &mut Vec<Op>) -> bool {
    if v == from_iv || available(f, v, to) {
        return true;
    }
    let Some(def) = f.def_op(v) else {
        return false;
    };
    if slice.contains(&def) {
        return true;
    }
    let data = f.op(def);
    if !is_pure_leaf(f, def) {
        return false;
    }
    if !data
        .operands
        .iter()
        .all(|&o| collect_slice(f, o, to, from_iv, slice))
    {
        return false;
    }
    slice.push(def);
    true
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

/// The ops of `span` (in order) that `roots` need, directly or through
/// each other, so that a pass can move them ahead of `span` with the ops
/// that read `roots`; `None` when one of them is not a pure, region-free
/// op. Values defined outside `span` end the search.
pub fn feeders(f: &Function, span: &[Op], roots: Vec<Value>) -> Option<Vec<Op>> {
    let inside: HashSet<Op> = span.iter().copied().collect();
    let mut needed: HashSet<Op> = HashSet::new();
    let mut todo = roots;
    while let Some(v) = todo.pop() {
        let Some(def) = f.def_op(v).filter(|d| inside.contains(d)) else {
            continue;
        };
        if !is_pure_leaf(f, def) {
            return None;
        }
        if needed.insert(def) {
            todo.extend(f.op(def).operands.iter().copied());
        }
    }
    Some(
        span.iter()
            .copied()
            .filter(|o| needed.contains(o))
            .collect(),
    )
}
