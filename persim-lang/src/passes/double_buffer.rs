//! Double buffering of block copies (`double-buffer`), for DMA targets
//! (`Target::bulk_copies`).
//!
//! After `bulk-copies`, a loop over rows starts each iteration with a
//! `copy_in` of the row and then computes on it: the DMA engine and the
//! core take turns. This pass gives the copy two halves of one buffer and
//! starts iteration `i + 1`'s copy while iteration `i` computes:
//!
//! ```text
//! copy_in buf[0..], src(lo), lo < hi ? count(lo) : 0   {async}
//! for iv, half = 0 {                      // half: 0, len, 0, len, ...
//!     copy_wait                           // this iteration's half landed
//!     copy_in buf[len - half..], src(iv + step),
//!             iv + step < hi ? count(iv + step) : 0   {async}
//!     ... every read of the row reads buf[half + i] ...
//!     yield len - half
//! }
//! ```
//!
//! One buffer with a carried offset instead of two buffers keeps every
//! buffer an `alloc` with a fixed place (what backends and `pack-buffers`
//! need); the price is an `add` per access.
//!
//! A `copy_in` qualifies when it sits directly in the body of a `for`, its
//! buffer index is a constant, its source and count are pure functions of
//! the induction variable and of values from outside the loop (so they can
//! be computed one iteration early), its buffer is used nowhere but by
//! `buf_load`/`buf_store` in the loop, and nothing in the loop may write the
//! memory it reads (no store, atomic or `copy_out` through the same
//! parameter, nor through an unknown one, and no op of unmodelled effects):
//! iteration `i + 1`'s data is read before iteration `i`'s stores. The
//! early source may be computed from an induction variable past the end;
//! its count is then 0, so nothing is read. Index arithmetic is `i32`, as
//! in the kernel, and is assumed not to wrap.
//!
//! The other direction, *write-behind*: a `copy_out` directly in a loop
//! body, after every access of its buffer, becomes `async`, and
//! `copy_wait {out = true}` goes before the body's first access of the
//! buffer (the next iteration's first write must not overtake the copy)
//! and after the loop (code after the loop sees the data). The copy then
//! overlaps the next iteration's work up to that access. It qualifies when
//! the buffer is used only in the loop and nothing else in the loop may
//! read or write the parameter it writes.

use super::access::{access_of, Access};
use super::affine::defined_in;
use super::early_copies::start_early;
use super::effects::is_pure_leaf;
use super::rewrite::{clone_slice, for_loops, position, reserve_buffer, value, value_with};
use crate::ir::{Attr, Attrs, Block, Builder, CmpPred, Dtype, Function, Op, Opcode, Type, Value};
use crate::target::Target;
use std::collections::HashSet;

pub fn double_buffer(f: &mut Function, target: &Target) {
    if !target.bulk_copies {
        return;
    }
    let loops = for_loops(f);
    for &lp in &loops {
        if let Some(plan) = plan_write_behind(f, lp) {
            write_behind(f, lp, &plan);
        }
    }
    for lp in loops {
        let Some(plan) = plan(f, lp) else { continue };
        let bytes = 2 * u64::from(plan.len) * u64::from(plan.elem_bytes);
        if let Some(offset) = reserve_buffer(f, target, bytes) {
            apply(f, lp, &plan, offset);
        }
    }
    // Copies whose buffers go to more than `buf_load`s: twin buffers.
    let loops = for_loops(f);
    super::ping_pong::ping_pong(f, target, &loops);
}

struct Plan {
    copy: Op,
    buf: Value,
    len: u32,
    elem_bytes: u32,
    /// The copy's constant element index into its buffer.
    index: i32,
    /// Pure ops of the body computing the source and count, in order.
    slice: Vec<Op>,
    /// Every `buf_load`/`buf_store` of the buffer.
    uses: Vec<Op>,
}

fn plan(f: &Function, lp: Op) -> Option<Plan> {
    let body = f.op(lp).regions[0];
    let iv = *f.block_args(body).first()?;
    if *f.ty(iv) != Type::scalar(Dtype::I32) {
        return None;
    }
    // 2-D blocks (seven operands) stay as they are.
    let copy = f.block_ops(body).iter().copied().find(|&o| {
        let d = f.op(o);
        d.opcode == Opcode::CopyIn && d.attrs.get("async").is_none() && d.operands.len() == 4
    })?;
    let d = f.op(copy);
    let (buf, idx, src, count) = (d.operands[0], d.operands[1], d.operands[2], d.operands[3]);
    let index = constant(f, idx)?;
    let arg = d.attrs.int("arg");
    let (elem, len) = match f.ty(buf) {
        Type::Buf { elem, len } => (*elem, *len),
        _ => return None,
    };
    let alloc = f.def_op(buf)?;
    if f.op(alloc).opcode != Opcode::Alloc || !parameter_untouched(f, body, arg, None, false) {
        return None;
    }
    let mut uses = Vec::new();
    for op in f.all_ops() {
        let od = f.op(op);
        let Some(k) = od.operands.iter().position(|&v| v == buf) else {
            continue;
        };
        let access = matches!(od.opcode, Opcode::BufLoad | Opcode::BufStore) && k == 0;
        if op == copy {
            continue;
        }
        if !access || !inside(f, op, body) || od.operands[1..].contains(&buf) {
            return None;
        }
        // A read before the copy would see the previous iteration's row.
        let top = top_level(f, op, body)?;
        if position(f, body, top) < position(f, body, copy) {
            return None;
        }
        uses.push(op);
    }
    let mut slice = HashSet::new();
    for v in [src, count] {
        collect_slice(f, v, (iv, &HashSet::new()), body, lp, &mut slice)?;
    }
    let slice = f
        .block_ops(body)
        .iter()
        .copied()
        .filter(|o| slice.contains(o))
        .collect();
    Some(Plan {
        copy,
        buf,
        len,
        elem_bytes: elem.size_bytes(),
        index,
        slice,
        uses,
    })
}

/// A `copy_out` to leave in flight, and the body's top-level ops.
struct WriteBehind {
    copy: Op,
    /// The first op of the body that accesses the buffer.
    first_access: Op,
}

fn plan_write_behind(f: &Function, lp: Op) -> Option<WriteBehind> {
    let body = f.op(lp).regions[0];
    let ops = f.block_ops(body);
    let (at, copy) = ops.iter().copied().enumerate().find(|&(_, o)| {
        let d = f.op(o);
        d.opcode == Opcode::CopyOut && d.attrs.get("async").is_none() && d.operands.len() == 4
    })?;
    let d = f.op(copy);
    let buf = d.operands[1];
    if d.operands[0] == buf || d.operands[2..].contains(&buf) {
        return None;
    }
    let alloc = f.def_op(buf)?;
    if f.op(alloc).opcode != Opcode::Alloc
        || !parameter_untouched(f, body, d.attrs.int("arg"), Some(copy), true)
    {
        return None;
    }
    // Every other use: a buffer access in the body, before the copy.
    let mut first: Option<usize> = None;
    for op in f.all_ops() {
        let od = f.op(op);
        let Some(k) = od.operands.iter().position(|&v| v == buf) else {
            continue;
        };
        if op == copy {
            continue;
        }
        let access = matches!(od.opcode, Opcode::BufLoad | Opcode::BufStore) && k == 0;
        if !access || od.operands[1..].contains(&buf) {
            return None;
        }
        let top = top_level(f, op, body)?;
        let pos = ops.iter().position(|&o| o == top)?;
        if pos >= at {
            return None;
        }
        first = Some(first.map_or(pos, |p: usize| p.min(pos)));
    }
    Some(WriteBehind {
        copy,
        first_access: ops[first?],
    })
}

/// The op of `body` (top level) that is or contains `op`.
fn top_level(f: &Function, op: Op, body: Block) -> Option<Op> {
    let mut cur = op;
    loop {
        let parent = f.op(cur).parent?;
        if parent == body {
            return Some(cur);
        }
        cur = f.blocks[parent].parent?;
    }
}

fn write_behind(f: &mut Function, lp: Op, plan: &WriteBehind) {
    let loc = f.op(plan.copy).loc;
    let body = f.op(lp).regions[0];
    f.ops[plan.copy].attrs.set("async", Attr::Bool(true));
    let wait = || Attrs::new().with("out", Attr::Bool(true));
    let at = position(f, body, plan.first_access);
    let mut b = Builder::before(f, body, at);
    b.loc = loc;
    b.build(Opcode::CopyWait, &[], wait(), &[])
        .expect("copy_wait types");
    let parent = f.op(lp).parent.expect("a loop sits in a block");
    let after = position(f, parent, lp) + 1;
    let mut b = Builder::before(f, parent, after);
    b.loc = loc;
    b.build(Opcode::CopyWait, &[], wait(), &[])
        .expect("copy_wait types");
}

fn constant(f: &Function, v: Value) -> Option<i32> {
    let d = f.op(f.def_op(v)?);
    (d.opcode == Opcode::Const)
        .then(|| d.attrs.int("value"))
        .flatten()
        .and_then(|c| i32::try_from(c).ok())
}

/// Whether nothing in the loop body but `except` may write global memory
/// of parameter `arg` (nor read it, with `reads`), every parameter when
/// `arg` is unknown, and nothing has effects the analysis does not model.
pub(super) fn parameter_untouched(
    f: &Function,
    body: Block,
    arg: Option<i64>,
    except: Option<Op>,
    reads: bool,
) -> bool {
    let mut ok = true;
    f.walk(body, &mut |op| {
        if Some(op) == except {
            return;
        }
        let d = f.op(op);
        let touched = match d.opcode {
            Opcode::CopyOut => Some(d.attrs.int("arg")),
            Opcode::CopyIn | Opcode::CopyGather => reads.then(|| d.attrs.int("arg")),
            // Local buffers only.
            Opcode::CopyWait | Opcode::BufMatmul => None,
            _ => match access_of(f, op) {
                Some(Access::Global { arg: a, write, .. }) if write || reads => Some(a),
                Some(Access::Opaque { .. }) => {
                    ok = false;
                    None
                }
                _ => None,
            },
        };
        if let Some(a) = touched {
            if a.is_none() || arg.is_none() || a == arg {
                ok = false;
            }
        }
    });
    ok
}

/// Whether `op` is in `block` or in a region nested in it.
pub(super) fn inside(f: &Function, op: Op, block: Block) -> bool {
    f.op(op).results.first().map_or_else(
        || {
            // No result to ask `defined_in` about: walk the parents.
            let mut b = f.op(op).parent;
            while let Some(cur) = b {
                if cur == block {
                    return true;
                }
                b = f.blocks[cur].parent.and_then(|p| f.op(p).parent);
            }
            false
        },
        |&r| defined_in(f, r, block),
    )
}

/// Adds to `slice` the ops of `body` (top level) that compute `v` from `iv`,
/// the carried values in `carried` and values defined outside the loop
/// `lp`; `None` if `v` needs anything else (another carried value, an op
/// with effects, a nested region).
pub(super) fn collect_slice(
    f: &Function,
    v: Value,
    (iv, carried): (Value, &HashSet<Value>),
    body: Block,
    lp: Op,
    slice: &mut HashSet<Op>,
) -> Option<()> {
    if v == iv || carried.contains(&v) {
        return Some(());
    }
    let Some(op) = f.def_op(v) else {
        // A block argument: of this loop (carried) or of an enclosing one.
        return (!f.block_args(body).contains(&v)).then_some(());
    };
    let d = f.op(op);
    if d.parent != Some(body) {
        // Defined outside the loop (it dominates the loop) or nested in it.
        return (!inside(f, op, body) && op != lp).then_some(());
    }
    if !is_pure_leaf(f, op) {
        return None;
    }
    if slice.insert(op) {
        for &u in &d.operands.clone() {
            collect_slice(f, u, (iv, carried), body, lp, slice)?;
        }
    }
    Some(())
}

fn apply(f: &mut Function, lp: Op, plan: &Plan, offset: u64) {
    let loc = f.op(plan.copy).loc;
    let copy = f.op(plan.copy).clone();
    let body = f.op(lp).regions[0];
    let iv = f.block_args(body)[0];
    let (lo, hi, step) = {
        let o = &f.op(lp).operands;
        (o[0], o[1], o[2])
    };
    let elem = match f.ty(plan.buf) {
        Type::Buf { elem, .. } => *elem,
        _ => unreachable!("planned copies go into buffers"),
    };
    let double = Type::Buf {
        elem,
        len: 2 * plan.len,
    };
    let mut attrs = copy.attrs.clone();
    attrs.set("async", Attr::Bool(true));
    let parent = f.op(lp).parent.expect("a loop sits in a block");
    let at = position(f, parent, lp);

    // Before the loop: the double buffer and the first iteration's copy.
    let mut b = Builder::before(f, parent, at);
    b.loc = loc;
    let alloc_attrs = Attrs::new()
        .with("ty", Attr::Type(double.clone()))
        .with("offset", Attr::Int(offset as i64));
    let alloc = b.build_declared(Opcode::Alloc, &[], alloc_attrs, &[], vec![double]);
    let buf2 = b.func.op(alloc).results[0];
    let zero = b.const_i32(0);
    let first = b.const_i32(plan.index);
    let (src, count) = early_copy(&mut b, plan, &copy, iv, lo, hi);
    b.build(
        Opcode::CopyIn,
        &[buf2, first, src, count],
        attrs.clone(),
        &[],
    )
    .expect("double-buffered copy types");
    let group = f.block_ops(parent)[at..position(f, parent, lp)].to_vec();
    start_early(f, parent, &group);

    // The loop carries the offset of this iteration's half.
    let half = rebuild_with_half(f, lp, zero);
    let body_at = position(f, body, plan.copy);
    let mut b = Builder::before(f, body, body_at);
    b.loc = loc;
    b.build(Opcode::CopyWait, &[], Attrs::new(), &[])
        .expect("copy_wait types");
    let next = value(&mut b, Opcode::Add, &[iv, step]);
    let (src, count) = early_copy(&mut b, plan, &copy, iv, next, hi);
    let len = b.const_i32(plan.len as i32);
    let other = value(&mut b, Opcode::Sub, &[len, half]);
    let k = b.const_i32(plan.index);
    let idx = value(&mut b, Opcode::Add, &[other, k]);
    b.build(Opcode::CopyIn, &[buf2, idx, src, count], attrs, &[])
        .expect("double-buffered copy types");
    f.detach_op(plan.copy);
    if let Some(a) = f.def_op(plan.buf) {
        f.detach_op(a);
    }
    let yield_op = *f
        .block_ops(body)
        .last()
        .expect("a loop body ends in `yield`");
    let mut b = Builder::before(f, body, f.block_ops(body).len() - 1);
    b.loc = loc;
    let len = b.const_i32(plan.len as i32);
    let toggled = value(&mut b, Opcode::Sub, &[len, half]);
    f.ops[yield_op].operands.push(toggled);

    // Every access of the row reads this iteration's half.
    for &u in &plan.uses {
        let block = f.op(u).parent.expect("a use sits in a block");
        let (at, use_loc) = (position(f, block, u), f.op(u).loc);
        let mut b = Builder::before(f, block, at);
        b.loc = use_loc;
        let old = b.func.op(u).operands[1];
        let shifted = value(&mut b, Opcode::Add, &[old, half]);
        f.ops[u].operands[0] = buf2;
        f.ops[u].operands[1] = shifted;
    }
}

/// Source and count of the copy for induction variable value `at` (the
/// slice cloned with `iv := at`), the count 0 unless `at < hi`.
fn early_copy(
    b: &mut Builder,
    plan: &Plan,
    copy: &crate::ir::OpData,
    iv: Value,
    at: Value,
    hi: Value,
) -> (Value, Value) {
    let map = clone_slice(b, &plan.slice, iv, at);
    let get = |v: Value| *map.get(&v).unwrap_or(&v);
    let (src, count) = (get(copy.operands[2]), get(copy.operands[3]));
    let pred = Attrs::new().with("pred", Attr::Pred(CmpPred::Lt));
    let inside = value_with(b, Opcode::Cmp, &[at, hi], pred);
    let zero = b.const_i32(0);
    let count = value(b, Opcode::Select, &[inside, count, zero]);
    (src, count)
}

/// Replaces `lp` by the same loop carrying one more `i32` (initially
/// `init`); returns the body's new block argument.
pub(super) fn rebuild_with_half(f: &mut Function, lp: Op, init: Value) -> Value {
    let old = f.op(lp).clone();
    let body = old.regions[0];
    let mut operands: Vec<Value> = old.operands.to_vec();
    operands.push(init);
    let mut types: Vec<Type> = old.results.iter().map(|&r| f.ty(r).clone()).collect();
    types.push(Type::scalar(Dtype::I32));
    let parent = old.parent.expect("a loop sits in a block");
    let at = position(f, parent, lp);
    f.detach_op(lp);
    let new = f.create_op(
        Opcode::For,
        &operands,
        old.attrs.clone(),
        &[body],
        types,
        old.loc,
    );
    f.insert_op(parent, at, new);
    for (i, &r) in old.results.iter().enumerate() {
        let n = f.op(new).results[i];
        f.replace_uses(r, n);
    }
    f.add_block_arg(body, Type::scalar(Dtype::I32))
}
