//! Rematerialization of filled buffers on lowered IR: a buffer whose only
//! store is a loop writing, at each chunk index `i`, a short pure function
//! of `i` (`arange(0, L) + splat(i)`, or that compared with a bound) is
//! not read back; each load at index `j` becomes that function of `j`.
//!
//! Why: a tile like `cols = arange(0, BLOCK)` or `mask = cols < n` made
//! once before a row loop is lowered to a buffer filled once and loaded in
//! every row. A backend then sees pointers `base + buf_load(cols)` and must
//! gather and scatter, where `base + arange(j, j + L)` is one contiguous
//! vector access (the LLVM and Cranelift backends' contiguity facts need
//! the `arange`). Recomputing costs two or three vector ALU ops per chunk,
//! less than the load it replaces, and frees the buffer (`dead-buffers`
//! then deletes it and its fill loop).
//!
//! A buffer `B` is rematerialized when
//! - its only uses are `buf_store`s and `buf_load`s (it does not escape);
//! - there is exactly one `buf_store B, iv, v`, directly in the body of a
//!   `for` with constant bounds and no carried values, `iv` its induction
//!   variable, and nothing else writes a buffer that may alias `B` (nor a
//!   `call`, whose effects are not modelled);
//! - `v` is computed in that body by at most [`MAX_OPS`] pure, region-free
//!   ops from `iv` and values defined outside the loop;
//! - every load of `B` reads a vector of `v`'s type, comes after the fill
//!   loop in the fill loop's block (possibly nested in later ops), and its
//!   index is a constant or the induction variable of a `for` with
//!   constant bounds whose every value is one the fill loop stored.
//!
//! The recomputed ops go right before each load; values defined outside
//! the fill loop dominate them because the load comes after it.

use super::access::may_alias;
use super::affine::defined_in;
use crate::ir::{Block, Effect, Function, Op, Opcode, Value, ValueDef};
use std::collections::HashMap;

/// The largest fill computation worth repeating at every load.
pub const MAX_OPS: usize = 8;

pub fn rematerialize(f: &mut Function) {
    let ops = f.all_ops();
    let allocs: Vec<Value> = ops
        .iter()
        .filter(|&&op| f.op(op).opcode == Opcode::Alloc)
        .filter_map(|&op| f.op(op).results.first().copied())
        .collect();
    for buf in allocs {
        if let Some(plan) = plan(f, &ops, buf) {
            apply(f, &plan);
        }
    }
}

/// What to recompute for one buffer.
struct Plan {
    /// The fill loop's induction variable.
    iv: Value,
    /// The fill computation in program order, ending with the stored value.
    ops: Vec<Op>,
    stored: Value,
    /// Each load with the index it reads.
    loads: Vec<(Op, Value)>,
}

fn plan(f: &Function, ops: &[Op], buf: Value) -> Option<Plan> {
    let mut stores = Vec::new();
    let mut loads = Vec::new();
    for &op in ops {
        let d = f.op(op);
        for (k, &v) in d.operands.iter().enumerate() {
            if v != buf {
                continue;
            }
            match (d.opcode, k) {
                (Opcode::BufStore, 0) => stores.push(op),
                (Opcode::BufLoad, 0) => loads.push((op, d.operands[1])),
                _ => return None,
            }
        }
        if may_write_over(f, op, buf) {
            return None;
        }
    }
    let [store] = stores[..] else { return None };
    if loads.is_empty() {
        return None;
    }
    let (index, stored) = (f.op(store).operands[1], f.op(store).operands[2]);
    let body = f.op(store).parent?;
    let fill = f.blocks[body].parent?;
    let fill_range = const_loop(f, fill)?;
    let &[iv] = f.block_args(body) else {
        return None;
    };
    if index != iv || !f.op(fill).results.is_empty() {
        return None;
    }
    let recompute = computation(f, stored, iv, body)?;
    let ty = f.ty(stored);
    for &(load, at) in &loads {
        let result = *f.op(load).results.first()?;
        if f.ty(result) != ty || !comes_after(f, load, fill) || !covered(f, at, fill_range) {
            return None;
        }
    }
    Some(Plan {
        iv,
        ops: recompute,
        stored,
        loads,
    })
}

/// Whether `op` may write bytes of `buf` through another buffer value (a
/// store to an overlapping buffer, a matrix op's destination) or through
/// effects nothing models (`call`).
fn may_write_over(f: &Function, op: Op, buf: Value) -> bool {
    let d = f.op(op);
    if d.opcode.info().effect != Effect::Write {
        return false;
    }
    if d.opcode == Opcode::Call {
        return true;
    }
    d.operands
        .iter()
        .any(|&b| b != buf && f.ty(b).is_buf() && may_alias(f, b, buf))
}

/// `(lo, hi, step)` of a `for` with constant bounds.
fn const_loop(f: &Function, op: Op) -> Option<(i64, i64, i64)> {
    let d = f.op(op);
    if d.opcode != Opcode::For {
        return None;
    }
    let k = |i: usize| -> Option<i64> {
        let c = f.op(f.def_op(*d.operands.get(i)?)?);
        (c.opcode == Opcode::Const).then(|| c.attrs.int("value"))?
    };
    let (lo, hi, step) = (k(0)?, k(1)?, k(2)?);
    (step > 0).then_some((lo, hi, step))
}

/// Whether every value `at` takes is an index the fill loop `(lo, hi, step)`
/// stored at.
fn covered(f: &Function, at: Value, (lo, hi, step): (i64, i64, i64)) -> bool {
    let stored = |i: i64| i >= lo && i < hi && (i - lo) % step == 0;
    if let Some(op) = f.def_op(at) {
        let d = f.op(op);
        return d.opcode == Opcode::Const && d.attrs.int("value").is_some_and(stored);
    }
    let ValueDef::Arg(block, 0) = f.values[at].def else {
        return false;
    };
    let Some((l, h, s)) = f.blocks[block].parent.and_then(|op| const_loop(f, op)) else {
        return false;
    };
    if h <= l {
        return true;
    }
    let last = l + (h - l - 1) / s * s;
    stored(l) && stored(last) && s % step == 0
}

/// The ops of `body` computing `v` from `iv` and values from outside, in
/// program order; `None` if any is not pure or there are too many.
fn computation(f: &Function, v: Value, iv: Value, body: Block) -> Option<Vec<Op>> {
    let mut needed = Vec::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        if v == iv || !defined_in(f, v, body) {
            continue;
        }
        let op = f.def_op(v)?;
        if f.op(op).parent != Some(body) {
            return None;
        }
        let info = f.op(op).opcode.info();
        if info.effect != Effect::Pure || info.regions != 0 || f.op(op).opcode == Opcode::Alloc {
            return None;
        }
        if !needed.contains(&op) {
            needed.push(op);
            if needed.len() > MAX_OPS {
                return None;
            }
            stack.extend(f.op(op).operands.iter().copied());
        }
    }
    let order = f.block_ops(body);
    needed.sort_by_key(|op| order.iter().position(|o| o == op));
    Some(needed)
}

/// Whether `op` runs after `fill` finished: it sits in `fill`'s block after
/// it, or inside an op that does.
fn comes_after(f: &Function, op: Op, fill: Op) -> bool {
    let Some(block) = f.op(fill).parent else {
        return false;
    };
    let Some(fill_at) = f.block_ops(block).iter().position(|&o| o == fill) else {
        return false;
    };
    let mut cur = op;
    loop {
        let Some(parent) = f.op(cur).parent else {
            return false;
        };
        if parent == block {
            return f
                .block_ops(block)
                .iter()
                .position(|&o| o == cur)
                .is_some_and(|at| at > fill_at);
        }
        match f.blocks[parent].parent {
            Some(outer) => cur = outer,
            None => return false,
        }
    }
}

fn apply(f: &mut Function, plan: &Plan) {
    for &(load, at) in &plan.loads {
        let Some(block) = f.op(load).parent else {
            continue;
        };
        let mut map: HashMap<Value, Value> = HashMap::from([(plan.iv, at)]);
        let at_load = f
            .block_ops(block)
            .iter()
            .position(|&o| o == load)
            .unwrap_or(0);
        for (pos, &op) in (at_load..).zip(&plan.ops) {
            let d = f.op(op).clone();
            let operands: Vec<Value> = d
                .operands
                .iter()
                .map(|v| map.get(v).copied().unwrap_or(*v))
                .collect();
            let types = d.results.iter().map(|&r| f.ty(r).clone()).collect();
            let copy = f.create_op(d.opcode, &operands, d.attrs.clone(), &[], types, d.loc);
            f.insert_op(block, pos, copy);
            for (&old, &new) in d.results.iter().zip(f.op(copy).results.clone().iter()) {
                map.insert(old, new);
            }
        }
        let value = map.get(&plan.stored).copied().unwrap_or(plan.stored);
        let result = f.op(load).results[0];
        f.detach_op(load);
        f.replace_uses(result, value);
    }
}
