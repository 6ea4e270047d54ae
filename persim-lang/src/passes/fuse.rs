//! Loop fusion on lowered IR: adjacent sibling `for` loops over the same
//! iteration space become one loop, so that a value one loop stores into a
//! local buffer and the next loop loads back sits in the same iteration,
//! where `forward-stores` can hand it over in a register and `dead-buffers`
//! can delete the buffer.
//!
//! # What is fused
//!
//! Two `for` ops `L1` and `L2` of one block, `L1` first, such that
//! - `L1` carries no values (no inits, no results); `L2` may (a reduction
//!   over what `L1` computes, as in softmax's `max` right after its load);
//! - their `lo`, `hi` and `step` are the same values or equal constants
//!   (lowering emits a fresh set of constants per loop);
//! - every op between them is movable (pure, no regions, never traps; see
//!   [`super::effects::is_movable`]). `L1` has no results, so such an op
//!   cannot depend on `L1`; the ops are moved above `L1`, which makes the
//!   loops adjacent. Any other op between them (a `buf_load` of what `L1`
//!   wrote, a store, a loop with results) blocks fusion.
//!
//! The fused loop is `L1` with `L2`'s body (its induction variable replaced
//! by `L1`'s) appended to its body; when `L2` carries values it is `L2` with
//! `L1`'s body prepended instead, and it takes no later loop in. Fusion is greedy, left to right, and
//! repeated, so a chain of N fusible loops becomes one loop; nested blocks
//! are processed after their parent, so inner loops that fusion made
//! siblings fuse too.
//!
//! # Legality
//!
//! Fusion runs iteration `i` of `L2` right after iteration `i` of `L1`,
//! instead of after all of `L1`. The only pairs of operations whose order
//! changes are (`L1` iteration `i`, `L2` iteration `j`) with `i > j`: those
//! now run `L2`'s part first. Fusion is therefore legal when no such pair
//! conflicts (touches the same memory, one of them writing): the only
//! dependences allowed between the loops have distance 0. The check is
//! conservative; whatever it cannot prove blocks fusion.
//!
//! - **Unmodelled effects.** A `call` (or any op that reads or writes memory
//!   other than the four below) in either body blocks fusion.
//! - **Global memory.** A `store` in one body and a `load` or `store` in the
//!   other conflict unless both carry an `arg` attribute and the args
//!   differ. This relies on an architecture invariant: the launch API hands
//!   a kernel Rust slices, and Rust's borrow rules guarantee that a
//!   `&mut [T]` argument overlaps no other argument, so pointers derived
//!   from different parameters never reach the same byte when one of them
//!   is written. Same-arg or unknown-arg pairs block fusion (no index
//!   analysis of global pointers is attempted).
//! - **Local memory.** For every buffer written in one body and accessed in
//!   the other (aliasing as [`super::access::may_alias`] decides), both
//!   must be the same `alloc` — two distinct buffers that overlap in memory
//!   block fusion — and every access to it in both bodies, at any nesting
//!   depth, must have the same affine index `a · iv + T` ([`super::affine`];
//!   `T` loop-invariant, identical in both loops) and the same width `w`
//!   (lanes, 1 for a scalar). Iteration `i` then touches exactly the
//!   elements `[a·i + T, a·i + T + w)`, in both loops. These slabs are
//!   disjoint for two different iterations `i ≠ j` when
//!   `|a| · step ≥ w` and `|a| · span + w ≤ 2³²`, where `span` bounds
//!   `|i - j|` (from the loop bounds' constants or integer ranges): the
//!   index difference `a·(i - j)` is exact up to multiples of 2³², its
//!   magnitude is at least `|a| · step ≥ w`, and no wrap-around can bring it
//!   back below `w`. So iteration `i` of `L2` only touches what iteration
//!   `i` of `L1` touched, every conflicting pair has distance 0, and fusion
//!   preserves every dependence. Any other pattern — a scalar access at a
//!   constant index, a reduction reading the whole buffer, `iv + 4` next to
//!   `iv`, an index using an inner loop's variable — blocks fusion.
//!
//! Reordering can change which of several faulting accesses a checked run
//! reports first, and what a faulting run leaves in memory; it never makes
//! a correct run fault or compute otherwise.

use super::access::{accesses_in, may_alias, same_int, Access};
use super::affine::{affine_index, AffineIndex};
use super::canonicalize::constant_of;
use super::effects::is_movable;
use super::ranges::{Range, Ranges};
use crate::interp::value::Scalar;
use crate::ir::{Block, Function, Op, Opcode, Value};

/// Rounds of fusion over the whole function before giving up on a fixpoint.
/// One round reaches it on every input seen so far; more are cheap insurance.
const MAX_ROUNDS: usize = 8;

pub fn fuse_loops(f: &mut Function) {
    for _ in 0..MAX_ROUNDS {
        if !fuse_round(f) {
            return;
        }
    }
}

/// One greedy sweep over every block, parents before their regions.
fn fuse_round(f: &mut Function) -> bool {
    // Fusion moves ops and merges blocks but creates no values, so the
    // ranges of one analysis stay valid for the whole round.
    let ranges = Ranges::analyze(f);
    let mut changed = false;
    let mut stack = vec![f.body];
    while let Some(block) = stack.pop() {
        changed |= fuse_in_block(f, block, &ranges);
        for &op in f.block_ops(block) {
            stack.extend(f.op(op).regions.iter().copied());
        }
    }
    changed
}

fn fuse_in_block(f: &mut Function, block: Block, ranges: &Ranges) -> bool {
    let mut changed = false;
    let mut i = 0;
    while i < f.block_ops(block).len() {
        let first = f.block_ops(block)[i];
        let Some(j) = next_loop(f, block, i) else {
            i += 1;
            continue;
        };
        let second = f.block_ops(block)[j];
        if !can_fuse(f, first, second, ranges) {
            i += 1;
            continue;
        }
        // Make the loops adjacent: the movable ops between them go above
        // `first`, in order.
        let between: Vec<Op> = f.block_ops(block)[i + 1..j].to_vec();
        for (k, &op) in between.iter().enumerate() {
            f.detach_op(op);
            f.insert_op(block, i + k, op);
        }
        let carrying = !is_plain_loop(f, second);
        merge(f, first, second);
        changed = true;
        // Try to fuse the grown loop with the next one (a loop carrying
        // values cannot take a later loop in: its results may feed it).
        i += between.len() + usize::from(carrying);
    }
    changed
}

/// If op `i` of `block` is a loop without carried values and the next
/// non-movable op after it is a loop (carrying values or not), the index
/// of that second loop.
fn next_loop(f: &Function, block: Block, i: usize) -> Option<usize> {
    let ops = f.block_ops(block);
    if !is_plain_loop(f, ops[i]) {
        return None;
    }
    for (j, &op) in ops.iter().enumerate().skip(i + 1) {
        if carried_values(f, op).is_some() {
            return Some(j);
        }
        if !is_movable(f, op) {
            return None;
        }
    }
    None
}

/// How many values a well-formed `for` carries: inits after the three
/// bounds, as many results, a body argument per carried value after the
/// induction variable, a body ending in `yield`. `None` for anything else.
fn carried_values(f: &Function, op: Op) -> Option<usize> {
    let d = f.op(op);
    let n = d.operands.len().checked_sub(3)?;
    let well_formed = d.opcode == Opcode::For
        && d.results.len() == n
        && d.regions.len() == 1
        && f.block_args(d.regions[0]).len() == n + 1
        && f.block_ops(d.regions[0])
            .last()
            .is_some_and(|&o| f.op(o).opcode == Opcode::Yield);
    well_formed.then_some(n)
}

/// A `for` carrying nothing.
fn is_plain_loop(f: &Function, op: Op) -> bool {
    carried_values(f, op) == Some(0)
}

/// Fuse `first` (carrying nothing) with the loop after it. Into a plain
/// loop: `second`'s body goes to the end of `first`'s. Into a loop
/// carrying values: `first`'s body goes to the start of `second`'s; `second`'s
/// inits are defined above `first` (nothing between the loops depends on
/// `first`, which has no results), so they still dominate it.
fn merge(f: &mut Function, first: Op, second: Op) {
    if is_plain_loop(f, second) {
        move_body(f, second, first, Placement::End);
    } else {
        move_body(f, first, second, Placement::Start);
    }
}

/// Where a moved body goes in the loop that takes it in.
enum Placement {
    /// Before the `yield` (the moved loop ran second).
    End,
    /// At the top (the moved loop ran first).
    Start,
}

/// Move `from`'s body, all but its `yield` (both bodies end with one: see
/// `carried_values`), into `into`'s body with its
/// induction variable renamed to `into`'s, then remove `from`. The
/// induction variable is only visible inside `from`'s body.
fn move_body(f: &mut Function, from: Op, into: Op, at: Placement) {
    let (src, dst) = (f.op(from).regions[0], f.op(into).regions[0]);
    let (old_iv, new_iv) = (f.block_args(src)[0], f.block_args(dst)[0]);
    let mut uses = Vec::new();
    f.walk(src, &mut |op| uses.push(op));
    for op in uses {
        for v in f.ops[op].operands.iter_mut() {
            if *v == old_iv {
                *v = new_iv;
            }
        }
    }
    let moved = f.block_ops(src).to_vec();
    let body = &moved[..moved.len().saturating_sub(1)];
    let start = match at {
        Placement::End => f.block_ops(dst).len().saturating_sub(1),
        Placement::Start => 0,
    };
    for (k, &op) in body.iter().enumerate() {
        f.detach_op(op);
        f.insert_op(dst, start + k, op);
    }
    f.detach_op(from);
}

/// The legality check of the module documentation.
fn can_fuse(f: &Function, first: Op, second: Op, ranges: &Ranges) -> bool {
    let (d1, d2) = (f.op(first), f.op(second));
    if f.ty(d1.operands[0]) != f.ty(d2.operands[0]) {
        return false;
    }
    if !(0..3).all(|k| same_int(f, d1.operands[k], d2.operands[k])) {
        return false;
    }
    let space = Space::of(f, first, ranges);
    let (b1, b2) = (d1.regions[0], d2.regions[0]);
    let (a1, a2) = (accesses_in(f, b1), accesses_in(f, b2));
    if a1
        .iter()
        .chain(&a2)
        .any(|a| matches!(a, Access::Opaque { .. }))
    {
        return false;
    }
    let mut shared: Vec<Value> = Vec::new();
    for x in &a1 {
        for y in &a2 {
            if !(x.writes() || y.writes()) {
                continue;
            }
            match (*x, *y) {
                (Access::Global { arg: ax, .. }, Access::Global { arg: ay, .. }) => {
                    let distinct = matches!((ax, ay), (Some(p), Some(q)) if p != q);
                    if !distinct {
                        return false;
                    }
                }
                (Access::Local { buf: bx, .. }, Access::Local { buf: by, .. }) => {
                    if !may_alias(f, bx, by) {
                        continue;
                    }
                    if bx != by || f.def_op(bx).is_none_or(|o| f.op(o).opcode != Opcode::Alloc) {
                        return false;
                    }
                    if !shared.contains(&bx) {
                        shared.push(bx);
                    }
                }
                _ => {} // local and global memory never alias
            }
        }
    }
    shared.iter().all(|&buf| {
        let loops = [(b1, &a1), (b2, &a2)];
        same_slab_per_iteration(f, buf, &loops, space)
    })
}

/// What the legality check needs of the loops' common iteration space.
#[derive(Clone, Copy)]
struct Space {
    /// The step, when it is a positive constant.
    step: Option<i128>,
    /// An upper bound on `|i - j|` for two iterations `i`, `j`.
    span: i128,
}

impl Space {
    fn of(f: &Function, lp: Op, ranges: &Ranges) -> Space {
        let d = f.op(lp);
        let range = |v: Value| -> Option<Range> {
            if let Some((Scalar::Int(c), _)) = constant_of(f, v) {
                return Some(Range::point(c));
            }
            ranges
                .get(v)
                .or_else(|| f.ty(v).dtype().filter(|d| d.is_int()).map(Range::of_type))
        };
        let step = range(d.operands[2])
            .filter(|r| r.lo == r.hi && r.lo > 0)
            .map(|r| r.lo);
        // Iterations lie in [lo.lo, hi.hi - 1].
        let span = match (range(d.operands[0]), range(d.operands[1])) {
            (Some(lo), Some(hi)) => (hi.hi - 1 - lo.lo).max(0),
            _ => i128::MAX,
        };
        Space { step, span }
    }
}

/// Whether every access to `buf` in the given loop bodies (body, the
/// accesses in it) touches exactly the slab `[a·iv + T, a·iv + T + w)` of
/// its own iteration, with one `a`, `T`, `w` for all, and slabs of distinct
/// iterations are disjoint (see the module documentation).
fn same_slab_per_iteration(
    f: &Function,
    buf: Value,
    loops: &[(Block, &Vec<Access>)],
    space: Space,
) -> bool {
    let Some(step) = space.step else {
        return false;
    };
    let mut slab: Option<(AffineIndex, u32)> = None;
    for &(body, accesses) in loops {
        let iv = f.block_args(body)[0];
        for a in accesses.iter() {
            let Access::Local {
                buf: b,
                index,
                width,
                ..
            } = *a
            else {
                continue;
            };
            if b != buf {
                continue;
            }
            let Some(form) = affine_index(f, index, iv, body) else {
                return false;
            };
            match &slab {
                None => slab = Some((form, width)),
                Some((s, w)) if *s == form && *w == width => {}
                Some(_) => return false,
            }
        }
    }
    let Some((form, width)) = slab else {
        return true; // no access at all: nothing to order
    };
    let a = i128::from(form.coef).abs();
    let w = i128::from(width);
    a != 0
        && a.saturating_mul(step) >= w
        && a.saturating_mul(space.span).saturating_add(w) <= 1i128 << 32
}
