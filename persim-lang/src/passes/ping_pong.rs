//! Double buffering by alternation, the part of `double-buffer` for
//! copies whose buffers are read by more than `buf_load`s — a `k` step of
//! a matmul copies its `A` and `B` tiles in (2-D blocks) and hands the
//! buffers to `buf_matmul`, which takes no offset into them. Each buffer
//! gets a twin, and the loop body runs in two versions that swap them:
//!
//! ```text
//! copy_in A0, src_a(lo), lo < hi ? count : 0  {async}     (and B0, ...)
//! for iv, p = 0 {
//!     pre ops                                  // pure: offsets, strides
//!     copy_wait                                // this iteration's tiles
//!     if p == 0 {
//!         copy_in A1, src_a(iv + step), ...  {async}       // next tiles
//!         rest of the body on A0, B0
//!     } else {
//!         copy_in A0, src_a(iv + step), ...  {async}
//!         rest of the body on A1, B1
//!     }
//!     yield 1 - p
//! }
//! copy_wait
//! ```
//!
//! A loop qualifies when the `copy_in`s (not yet `async`) sit directly in
//! its body and every other op before the last of them is pure (or an
//! `alloc`); their
//! sources, counts, rows and strides are pure functions of the induction
//! variable and of values from outside the loop; their buffers are used
//! only by the ops after the copies; and nothing in the loop may write
//! the memory they read (as for `double-buffer`). The second version of
//! the rest of the body is a copy of the first with the buffers swapped:
//! code size for the overlap of the next tiles' transfer with this step's
//! work.

use super::double_buffer::{collect_slice, parameter_untouched, rebuild_with_half};
use super::early_copies::start_early;
use super::effects::is_pure_leaf;
use super::rewrite::{clone_slice_from, deep_copy, position, reserve_buffer, value, value_with};
use crate::ir::{Attr, Attrs, Builder, CmpPred, Function, Op, Opcode, Type, Value};
use crate::target::Target;
use std::collections::{HashMap, HashSet};

pub(super) struct Plan {
    copies: Vec<Op>,
    /// Carried values the copies' operands read, each advanced by a
    /// loop-invariant step per iteration (`p' = p + step`, Triton's
    /// `a_ptrs += BLOCK_K * stride` as an offset): (value, its initial
    /// value, the step).
    carried: Vec<(Value, Value, Value)>,
    /// Pure ops of the body computing the copies' operands, in order.
    slice: Vec<Op>,
    /// The body's ops after the last copy, before the `yield`.
    rest: Vec<Op>,
}

pub(super) fn plan(f: &Function, lp: Op) -> Option<Plan> {
    let body = f.op(lp).regions[0];
    let iv = *f.block_args(body).first()?;
    if *f.ty(iv) != Type::scalar(crate::ir::Dtype::I32) {
        return None;
    }
    let ops = f.block_ops(body);
    let (_, ops) = ops.split_last()?;
    let copies: Vec<Op> = ops
        .iter()
        .copied()
        .filter(|&o| f.op(o).opcode == Opcode::CopyIn && f.op(o).attrs.get("async").is_none())
        .collect();
    let last = position(f, body, *copies.last()?);
    for &o in &ops[..last] {
        let d = f.op(o);
        let stays = matches!(d.opcode, Opcode::CopyIn | Opcode::Alloc) || is_pure_leaf(f, o);
        if !stays {
            return None;
        }
    }
    let rest: Vec<Op> = ops[last + 1..].to_vec();
    let mut in_rest = HashSet::new();
    for &o in &rest {
        in_rest.insert(o);
        for &r in &f.op(o).regions {
            f.walk(r, &mut |n| {
                in_rest.insert(n);
            });
        }
    }
    let carried = advancing(f, lp);
    let carried_set: HashSet<Value> = carried.iter().map(|&(p, _, _)| p).collect();
    let mut slice = HashSet::new();
    let mut buffers = HashSet::new();
    for &c in &copies {
        let d = f.op(c);
        let buf = d.operands[0];
        let alloc = f.def_op(buf)?;
        if f.op(alloc).opcode != Opcode::Alloc || !buffers.insert(buf) {
            return None;
        }
        if !parameter_untouched(f, body, d.attrs.int("arg"), None, false) {
            return None;
        }
        for &v in &d.operands[1..] {
            if v == buf {
                return None;
            }
            collect_slice(f, v, (iv, &carried_set), body, lp, &mut slice)?;
        }
    }
    // The buffers: read and written only by the copies and the rest.
    for op in f.all_ops() {
        let d = f.op(op);
        if d.opcode == Opcode::Alloc || copies.contains(&op) {
            continue;
        }
        if d.operands.iter().any(|v| buffers.contains(v)) && !in_rest.contains(&op) {
            return None;
        }
    }
    let slice = ops.iter().copied().filter(|o| slice.contains(o)).collect();
    Some(Plan {
        copies,
        carried,
        slice,
        rest,
    })
}

/// The loop's carried `i32` values that each iteration advances by a
/// value defined outside the loop: (value, initial value, step).
fn advancing(f: &Function, lp: Op) -> Vec<(Value, Value, Value)> {
    let d = f.op(lp);
    let body = d.regions[0];
    let Some(&yield_op) = f.block_ops(body).last() else {
        return Vec::new();
    };
    let yielded = &f.op(yield_op).operands;
    let outside = |v: Value| match f.def_op(v) {
        Some(o) => !super::double_buffer::inside(f, o, body) && o != lp,
        None => !f.block_args(body).contains(&v),
    };
    f.block_args(body)[1..]
        .iter()
        .enumerate()
        .filter_map(|(i, &p)| {
            if *f.ty(p) != Type::scalar(crate::ir::Dtype::I32) {
                return None;
            }
            let next = f.op(f.def_op(*yielded.get(i)?)?);
            if next.opcode != Opcode::Add {
                return None;
            }
            let step = match next.operands[..] {
                [a, s] if a == p && outside(s) => s,
                [s, a] if a == p && outside(s) => s,
                _ => return None,
            };
            Some((p, *d.operands.get(3 + i)?, step))
        })
        .collect()
}

/// Bytes of the twins the plan needs.
pub(super) fn twin_bytes(f: &Function, plan: &Plan) -> Vec<u64> {
    plan.copies
        .iter()
        .map(|&c| f.ty(f.op(c).operands[0]).buf_bytes().unwrap_or(0))
        .collect()
}

pub(super) fn apply(f: &mut Function, lp: Op, plan: &Plan, offsets: &[u64]) {
    let body = f.op(lp).regions[0];
    let iv = f.block_args(body)[0];
    let (lo, hi, step) = {
        let o = &f.op(lp).operands;
        (o[0], o[1], o[2])
    };
    let loc = f.op(plan.copies[0]).loc;
    let parent = f.op(lp).parent.expect("a loop sits in a block");
    let copies: Vec<crate::ir::OpData> = plan.copies.iter().map(|&c| f.op(c).clone()).collect();

    // The buffers' allocs before the loop, and their twins.
    let mut twins = HashMap::new();
    for (copy, &offset) in copies.iter().zip(offsets) {
        let buf = copy.operands[0];
        let alloc = f.def_op(buf).expect("planned buffers have allocs");
        if f.op(alloc).parent == Some(body) {
            f.detach_op(alloc);
            let at = position(f, parent, lp);
            f.insert_op(parent, at, alloc);
        }
        let ty = f.ty(buf).clone();
        let attrs = Attrs::new()
            .with("ty", Attr::Type(ty.clone()))
            .with("offset", Attr::Int(offset as i64));
        let at = position(f, parent, lp);
        let mut b = Builder::before(f, parent, at);
        b.loc = loc;
        let twin = b.build_declared(Opcode::Alloc, &[], attrs, &[], vec![ty]);
        twins.insert(buf, b.func.op(twin).results[0]);
    }

    // The first iteration's copies, before the loop.
    let at = position(f, parent, lp);
    let mut b = Builder::before(f, parent, at);
    b.loc = loc;
    let zero = b.const_i32(0);
    let first = early_operands(&mut b, plan, &copies, (iv, lo, true), hi);
    for (copy, operands) in copies.iter().zip(&first) {
        emit_copy(&mut b, copy, copy.operands[0], operands);
    }
    let group = f.block_ops(parent)[at..position(f, parent, lp)].to_vec();
    start_early(f, parent, &group);

    // The loop carries the parity: which twin holds this iteration's data.
    let p = rebuild_with_half(f, lp, zero);
    let lp = f.blocks[body]
        .parent
        .expect("the rebuilt loop owns the body");
    for &c in &plan.copies {
        f.detach_op(c);
    }
    let yield_op = *f
        .block_ops(body)
        .last()
        .expect("a loop body ends in `yield`");
    for &o in &plan.rest {
        f.detach_op(o);
    }
    let at = f.block_ops(body).len() - 1;
    let mut b = Builder::before(f, body, at);
    b.loc = loc;
    b.build(Opcode::CopyWait, &[], Attrs::new(), &[])
        .expect("copy_wait types");
    let next = value(&mut b, Opcode::Add, &[iv, step]);
    let next_ops = early_operands(&mut b, plan, &copies, (iv, next, false), hi);
    let zero = b.const_i32(0);
    let pred = Attrs::new().with("pred", Attr::Pred(CmpPred::Eq));
    let even = value_with(&mut b, Opcode::Cmp, &[p, zero], pred);

    // Values of the rest the loop yields come out of the `if`.
    let rest_set: HashSet<Op> = plan.rest.iter().copied().collect();
    let yielded: Vec<Value> = f.op(yield_op).operands.to_vec();
    let outs: Vec<Value> = yielded
        .iter()
        .copied()
        .filter(|&v| f.def_op(v).is_some_and(|o| rest_set.contains(&o)))
        .collect();

    let then = f.new_block();
    let otherwise = f.new_block();
    for (copy, operands) in copies.iter().zip(&next_ops) {
        let twin = twins[&copy.operands[0]];
        let c = build_copy(f, copy, twin, operands);
        f.append_op(then, c);
        let c = build_copy(f, copy, copy.operands[0], operands);
        f.append_op(otherwise, c);
    }
    for &o in &plan.rest {
        f.append_op(then, o);
    }
    let then_yield = f.create_op(Opcode::Yield, &outs, Attrs::new(), &[], vec![], loc);
    f.append_op(then, then_yield);
    let mut map: HashMap<Value, Value> = twins.clone();
    for &o in &plan.rest {
        let c = deep_copy(f, o, &mut map);
        f.append_op(otherwise, c);
    }
    let mapped: Vec<Value> = outs.iter().map(|v| *map.get(v).unwrap_or(v)).collect();
    let else_yield = f.create_op(Opcode::Yield, &mapped, Attrs::new(), &[], vec![], loc);
    f.append_op(otherwise, else_yield);
    let types: Vec<Type> = outs.iter().map(|&v| f.ty(v).clone()).collect();
    let at = f.block_ops(body).len() - 1;
    let mut b = Builder::before(f, body, at);
    b.loc = loc;
    let branch = b.build_declared(Opcode::If, &[even], Attrs::new(), &[then, otherwise], types);
    let results = f.op(branch).results.clone();
    for (&old, &new) in outs.iter().zip(&results) {
        for v in f.ops[yield_op].operands.iter_mut() {
            if *v == old {
                *v = new;
            }
        }
    }
    let at = f.block_ops(body).len() - 1;
    let mut b = Builder::before(f, body, at);
    b.loc = loc;
    let one = b.const_i32(1);
    let flipped = value(&mut b, Opcode::Sub, &[one, p]);
    f.ops[yield_op].operands.push(flipped);

    // The last prefetch moved nothing, but code after the loop must not
    // run ahead of any copy.
    let after = position(f, parent, lp) + 1;
    let mut b = Builder::before(f, parent, after);
    b.loc = loc;
    b.build(Opcode::CopyWait, &[], Attrs::new(), &[])
        .expect("copy_wait types");
}

/// Each copy's operands after the buffer for induction variable value
/// `at` (the slice cloned with `iv := at`), the count 0 unless `at < hi`.
fn early_operands(
    b: &mut Builder,
    plan: &Plan,
    copies: &[crate::ir::OpData],
    (iv, at, first): (Value, Value, bool),
    hi: Value,
) -> Vec<Vec<Value>> {
    // Carried values: their initial value before the loop, else one step on.
    let mut subs = HashMap::from([(iv, at)]);
    for &(p, init, step) in &plan.carried {
        let v = if first {
            init
        } else {
            value(b, Opcode::Add, &[p, step])
        };
        subs.insert(p, v);
    }
    let map = clone_slice_from(b, &plan.slice, subs);
    let pred = Attrs::new().with("pred", Attr::Pred(CmpPred::Lt));
    let inside = value_with(b, Opcode::Cmp, &[at, hi], pred);
    let zero = b.const_i32(0);
    copies
        .iter()
        .map(|copy| {
            let mut ops: Vec<Value> = copy.operands[1..]
                .iter()
                .map(|v| *map.get(v).unwrap_or(v))
                .collect();
            ops[2] = value(b, Opcode::Select, &[inside, ops[2], zero]);
            ops
        })
        .collect()
}

/// An `async` copy of `copy`'s kind into `buf` with `operands` after it.
fn build_copy(f: &mut Function, copy: &crate::ir::OpData, buf: Value, operands: &[Value]) -> Op {
    let mut all = vec![buf];
    all.extend_from_slice(operands);
    let mut attrs = copy.attrs.clone();
    attrs.set("async", Attr::Bool(true));
    f.create_op(Opcode::CopyIn, &all, attrs, &[], vec![], copy.loc)
}

fn emit_copy(b: &mut Builder, copy: &crate::ir::OpData, buf: Value, operands: &[Value]) {
    let mut all = vec![buf];
    all.extend_from_slice(operands);
    let mut attrs = copy.attrs.clone();
    attrs.set("async", Attr::Bool(true));
    b.build_declared(Opcode::CopyIn, &all, attrs, &[], vec![]);
}

/// Runs the alternation on every loop `double-buffer` left alone whose
/// copies qualify, while the twins fit the target's local memory.
pub(super) fn ping_pong(f: &mut Function, target: &Target, loops: &[Op]) {
    for &lp in loops {
        let Some(plan) = plan(f, lp) else { continue };
        let mut offsets = Vec::new();
        for bytes in twin_bytes(f, &plan) {
            match reserve_buffer(f, target, bytes) {
                Some(o) => offsets.push(o),
                None => break,
            }
        }
        if offsets.len() == plan.copies.len() {
            apply(f, lp, &plan, &offsets);
        }
    }
}
