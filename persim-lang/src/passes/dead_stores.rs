//! Dead local stores (`dead-stores`): a `buf_store` in a loop whose
//! elements nothing reads afterwards is deleted.
//!
//! Lowering writes every elementwise result back into its tile's buffer,
//! in place where it can. The last pass over a buffer often only needs the
//! values it computes for something else: softmax's division pass stores
//! each quotient into the row's buffer and to the output, and nothing
//! reads the row again. `dead-buffers` keeps such stores because the
//! buffer is read (by earlier passes); this pass looks at what comes after
//! the store.
//!
//! A `buf_store` to an `alloc`ed buffer `b`, in a loop `L` whose body has
//! no regions and which sits in the block of `b`'s `alloc`, is dead when
//! - no op after `L` in that block reads `b` or a buffer that may share its
//!   bytes (`access::may_alias`), inside nested regions too (a later
//!   iteration of a loop around that block starts from a new `alloc`);
//! - no other buffer that may share `b`'s bytes is read in `L`;
//! - every read of `b` in `L` has an index affine in `L`'s variable with the
//!   store's coefficient and invariant terms (`passes::affine`), and never
//!   touches the stored elements afterwards: not later in the same
//!   iteration, not in a later iteration. The distances at which they could
//!   meet are checked one by one up to the one beyond which the reads have
//!   moved past the store for good; loops whose reads and store do not
//!   move apart (a coefficient of 0, or a non-constant step) are left
//!   alone.

use super::access::may_alias;
use super::affine::{affine_index, AffineIndex};
use super::canonicalize::int_constant;
use super::rewrite::for_loops;
use crate::ir::{Block, Function, Op, Opcode, Value};

/// Distances checked before giving up (a read that trails the store by
/// more iterations than this keeps it).
const MAX_DISTANCE: i64 = 4096;

pub fn dead_stores(f: &mut Function) {
    for lp in for_loops(f) {
        let Some(parent) = f.op(lp).parent else {
            continue;
        };
        let body = f.op(lp).regions[0];
        let ops = f.block_ops(body).to_vec();
        if ops.iter().any(|&o| !f.op(o).regions.is_empty()) {
            continue;
        }
        let Some(step) = int_constant(f, f.op(lp).operands[2]).filter(|&s| s > 0) else {
            continue;
        };
        let iv = f.block_args(body)[0];
        let dead: Vec<Op> = ops
            .iter()
            .enumerate()
            .filter(|&(_, &o)| f.op(o).opcode == Opcode::BufStore)
            .filter(|&(k, &o)| {
                let buf = f.op(o).operands[0];
                allocated_in(f, buf, parent)
                    && !read_after(f, parent, lp, buf)
                    && never_read_again(f, &ops, k, iv, step, body)
            })
            .map(|(_, &o)| o)
            .collect();
        for op in dead {
            f.detach_op(op);
        }
    }
}

/// Whether `buf` is the result of an `alloc` directly in `block`.
fn allocated_in(f: &Function, buf: Value, block: Block) -> bool {
    f.def_op(buf)
        .is_some_and(|o| f.op(o).opcode == Opcode::Alloc && f.op(o).parent == Some(block))
}

/// Whether an op of `block` after `lp`, or inside one, uses `buf` or a
/// buffer that may share its bytes other than as a store's target.
fn read_after(f: &Function, block: Block, lp: Op, buf: Value) -> bool {
    let ops = f.block_ops(block);
    let at = ops
        .iter()
        .position(|&o| o == lp)
        .expect("the loop is in its block");
    let mut found = false;
    for &op in &ops[at + 1..] {
        let mut visit = |o: Op| found |= reads(f, o, buf);
        visit(op);
        for &r in &f.op(op).regions {
            f.walk(r, &mut visit);
        }
    }
    found
}

/// Whether `op` uses `buf` (or a buffer that may alias it) other than as
/// the buffer a `buf_store` writes.
fn reads(f: &Function, op: Op, buf: Value) -> bool {
    let d = f.op(op);
    d.operands.iter().enumerate().any(|(k, &v)| {
        f.ty(v).is_buf()
            && (v == buf || may_alias(f, v, buf))
            && !(d.opcode == Opcode::BufStore && k == 0)
    })
}

/// Whether the store `ops[k]` writes elements no read of the loop body
/// `ops` sees afterwards (in this iteration or a later one).
fn never_read_again(f: &Function, ops: &[Op], k: usize, iv: Value, step: i64, body: Block) -> bool {
    let store = f.op(ops[k]);
    let buf = store.operands[0];
    let width = f.ty(store.operands[2]).numel().max(1) as i64;
    let Some(s) = affine_index(f, store.operands[1], iv, body) else {
        return false;
    };
    ops.iter().enumerate().all(|(j, &o)| {
        let d = f.op(o);
        if !reads(f, o, buf) {
            return true;
        }
        if d.opcode != Opcode::BufLoad || d.operands[0] != buf {
            // Another aliasing buffer, or an op reading the buffer whole.
            return false;
        }
        let w = f.ty(d.results[0]).numel().max(1) as i64;
        let Some(r) = affine_index(f, d.operands[1], iv, body) else {
            return false;
        };
        apart(&s, width, &r, w, step, j > k)
    })
}

/// Whether a read `r` (`w` elements) never sees the elements store `s`
/// (`width` elements) wrote: in the same iteration only if it comes after
/// the store (`later`), and in every later iteration.
fn apart(s: &AffineIndex, width: i64, r: &AffineIndex, w: i64, step: i64, later: bool) -> bool {
    if s.coef != r.coef || s.terms != r.terms || s.coef <= 0 {
        return false;
    }
    let (sc, rc) = (i64::from(s.konst), i64::from(r.konst));
    let overlap = |delta: i64| {
        let from = rc + i64::from(r.coef) * step * delta;
        from < sc + width && sc < from + w
    };
    if later && overlap(0) {
        return false;
    }
    // Reads move up by coef · step per iteration: past the store's end
    // after this many.
    let shift = i64::from(s.coef) * step;
    let last = (sc + width - rc).div_euclid(shift) + 1;
    if last > MAX_DISTANCE {
        return false;
    }
    (1..=last.max(1)).all(|delta| !overlap(delta))
}
