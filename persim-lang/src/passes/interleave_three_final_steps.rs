//! The last three `k` steps of a blocked matmul interleaved with the
//! write-out, the last step's tiles fetched a step early into memory of
//! their own (`interleave-three-final-steps`), after `early-write-out` has
//! peeled four steps and the cleanup has folded them (same target gate).
//!
//! The write-out is the tail of the spatial matmul: once the first rows of
//! the result leave, the shims carry the rest at their pace, so the run
//! ends a fixed time after the first block of rows is final. A block needs
//! only its own rows of every product, so the earliest it can be final is
//! after those rows of the last three products, which need the last three
//! steps' tiles at once. Two of them sit in the double buffers; the last
//! step's would overwrite the third-to-last step's. This pass gives the
//! last step's `b` a buffer of its own and the first `P0` blocks of rows
//! of its `a` another (as much as the free memory holds), and starts both
//! copies five eighths into the fourth-to-last product `P12`. The rest of
//! that `a` goes into the third-to-last step's `a` buffer, into rows its
//! product `P13` has finished with: `H` blocks once its first `H` blocks
//! ran, the remaining `R` when the blocks after them have. The last
//! product's blocks read their `a` rows where they landed (`arow0`):
//!
//! ```text
//! P12 (whole)                               P12 rows 0 .. 5m/8
//! copy_wait                                 copy b15 → X; copy a15[0 .. P0] → S
//! copy a14, b14                             P12 rows 5m/8 .. m
//! P13 (whole)                               copy_wait
//! copy_wait                      →          copy a14, b14
//! copy a15 → a13, b15 → b13                 P13[0 .. H]
//! P14 (whole)                               copy_wait
//! copy_wait                                 copy a15[P0 .. P0+H] → a13 rows 0 ..
//! P15[q], copy out rows q  (each q)         per block q: (copy_wait at q = P0, P0+H)
//!                                             P13[q] (q >= H), the last piece of a15
//!                                             after P13[H+R-1], P14[q], P15[q]
//!                                             (a from S or a13), copy out rows q
//! ```
//!
//! Each element still gets the four products in order, so results are
//! bit-identical. On `sim_bench`'s 1024³ matmul (128-row tiles, 8 blocks;
//! 84 473 cycles with four steps peeled and the two-step passes): 82 823
//! with `P0 = 3` blocks of `a` in 12 KiB, `H = 3` and `P12` split after 5
//! of its 8 blocks; its tutorial form 85 224 → 83 389.
//!
//! What qualifies, in the kernel's body: the last product's blocks as
//! `interleave-final-steps` takes them (at least [`MIN_BLOCKS`]), before
//! them only waits and pure ops back to a whole product `P14` into the
//! same `d`, before it waits, pure ops and the two asynchronous copies of
//! the last step's tiles into `P13`'s operands (`a` a 2-D copy of the whole
//! tile with constant strides), before them `P13`, then waits, pure ops and
//! asynchronous copies into `P14`'s operands back to `P12`, a product on
//! `P14`'s operands. Nothing after the blocks touches `P13`'s operands.

use super::canonicalize::int_constant;
use super::effects::is_pure_leaf;
use super::rewrite::{feeders, position, reserve_buffer};
use crate::ir::{Attr, Attrs, Builder, Dtype, Function, Op, OpData, Opcode, Type, Value};
use crate::target::Target;

/// Blocks the last product must come in, at least (as for
/// `interleave-final-steps`: fewer, and the restarts of the matrix unit's
/// pipeline cost more than the earlier write-out gains).
const MIN_BLOCKS: usize = 8;

/// Blocks of `P13` run before the wait for the second-to-last step's
/// tiles, at least: they cover those tiles' arrival. On `sim_bench`'s
/// 1024³ matmul (`P0 = 3`, `P12` split in halves): 83 253 cycles with 2,
/// 82 959 with 3, 83 025 with 4.
const HEAD: usize = 3;

/// Where `P12` splits around the early copies, in eighths of its rows:
/// the copies complete their streams' previous copies (the third-to-last
/// step's tiles, requested at `P12`'s start), so they wait less the later
/// they start, and land in time for the last product's first block the
/// earlier. At 1024³: 83 294, 82 959, 82 823 and 83 065 cycles after 3,
/// 4, 5 and 6 eighths; the tutorial form 83 530 after 4, 83 389 after 5.
const SPLIT_EIGHTHS: usize = 5;

/// Blocks of the last `a` tile in its own buffer, at most: they hold the
/// last product's first blocks until `P13` frees rows (`H >= blocks - 2
/// P0`). Three fit the default machine's free 13 KiB; with two, 83 181
/// cycles.
const MAX_FIRST_PIECE: usize = 3;

pub fn interleave_three_final_steps(f: &mut Function, target: &Target) {
    if !(target.early_write_out && target.matmul_op && target.bulk_copies) {
        return;
    }
    if let Some(plan) = plan(f) {
        if let Some(room) = make_room(f, target, &plan) {
            apply(f, &plan, room);
        }
    }
}

/// The four products and what moves.
struct Plan {
    p12: Op,
    p13: Op,
    /// The last product's blocks, in row order, and their rows.
    blocks: Vec<Op>,
    rows: i64,
    /// The copies of the last step's `a` and `b` (into `P13`'s operands),
    /// the pure ops between `P12` and `P14` they need, in order.
    copy_a: Op,
    copy_b: Op,
    feeding: Vec<Op>,
    /// `P14` and the waits between it and the first block.
    p14: Op,
    waits: Vec<Op>,
}

/// The new buffers: the last `b` (`own_b`) and the first `first` blocks of
/// the last `a` (`own_a`), with `head` blocks of `P13` before the wait.
struct Room {
    own_b: u64,
    own_a: u64,
    first: usize,
    head: usize,
}

fn whole_product_into(f: &Function, op: Op, d: Value) -> bool {
    let o = f.op(op);
    o.opcode == Opcode::BufMatmul
        && o.attrs.get("row0").is_none()
        && o.operands[2] == d
        && o.operands[3] == d
        && o.operands[0] != d
        && o.operands[1] != d
}

fn is_block(f: &Function, op: Op, d: Value) -> bool {
    let o = f.op(op);
    o.opcode == Opcode::BufMatmul
        && o.attrs.get("row0").is_some()
        && o.attrs.get("arow0").is_none()
        && o.operands[2] == d
        && o.operands[3] == d
}

fn is_async_in(f: &Function, op: Op) -> bool {
    let o = f.op(op);
    o.opcode == Opcode::CopyIn && o.attrs.get("async").is_some()
}

/// The same shape: `m`, `n`, `k` and the pitches.
fn same_shape(f: &Function, x: Op, y: Op) -> bool {
    ["m", "n", "k", "lda", "ldb", "ldc"]
        .iter()
        .all(|a| f.op(x).attrs.int(a).is_some() && f.op(x).attrs.int(a) == f.op(y).attrs.int(a))
}

fn plan(f: &Function) -> Option<Plan> {
    let body = f.body;
    let ops = f.block_ops(body).to_vec();
    // The last product's blocks: the first block in the body, and the run
    // of blocks of the same `d`, `a` and `b` after it.
    let first = ops.iter().position(|&op| {
        let o = f.op(op);
        o.opcode == Opcode::BufMatmul && o.attrs.get("row0").is_some()
    })?;
    let fb = f.op(ops[first]);
    let (a15, b15, d) = (fb.operands[0], fb.operands[1], fb.operands[2]);
    if a15 == b15 {
        return None;
    }
    let rows = fb.attrs.int("m")?;
    let mut blocks = Vec::new();
    let mut covered = 0;
    for &op in &ops[first..] {
        let o = f.op(op);
        if is_block(f, op, d) && o.operands[0] == a15 && o.operands[1] == b15 {
            if o.attrs.int("row0") != Some(covered) || o.attrs.int("m") != Some(rows) {
                return None;
            }
            covered += rows;
            blocks.push(op);
        } else if o.opcode == Opcode::CopyOut {
            if o.attrs.get("async").is_none() || o.operands.get(1) != Some(&d) {
                return None;
            }
        } else if !is_pure_leaf(f, op) && o.opcode != Opcode::CopyWait {
            break;
        }
    }
    if blocks.len() < MIN_BLOCKS {
        return None;
    }
    // Nothing else touches the last step's tiles (nor, nested, anything).
    for &op in &ops[first..] {
        let o = f.op(op);
        let mut nested = false;
        for &r in &o.regions {
            f.walk(r, &mut |n| {
                nested |= f.op(n).operands.iter().any(|v| [a15, b15].contains(v));
            });
        }
        let reads = o.operands.iter().any(|v| [a15, b15].contains(v));
        if nested || (reads && !blocks.contains(&op)) {
            return None;
        }
    }

    // Back to `P14`: waits and pure ops.
    let mut i = first;
    let mut waits = Vec::new();
    let p14 = loop {
        i = i.checked_sub(1)?;
        let op = ops[i];
        if f.op(op).opcode == Opcode::CopyWait {
            waits.push(op);
        } else if !is_pure_leaf(f, op) {
            break op;
        }
    };
    let m = f.op(p14).attrs.int("m")?;
    if !whole_product_into(f, p14, d) || covered != m || waits.is_empty() {
        return None;
    }
    let at14 = i;

    // Back to `P13`: waits, pure ops and the copies of the last tiles.
    let (mut copy_a, mut copy_b) = (None, None);
    let p13 = loop {
        i = i.checked_sub(1)?;
        let op = ops[i];
        let o = f.op(op);
        if is_async_in(f, op) && o.operands[0] == a15 && copy_a.is_none() {
            copy_a = Some(op);
        } else if is_async_in(f, op) && o.operands[0] == b15 && copy_b.is_none() {
            copy_b = Some(op);
        } else if o.opcode != Opcode::CopyWait && !is_pure_leaf(f, op) {
            break op;
        }
    };
    let (copy_a, copy_b) = (copy_a?, copy_b?);
    let o13 = f.op(p13);
    if !whole_product_into(f, p13, d)
        || o13.operands[0] != a15
        || o13.operands[1] != b15
        || !same_shape(f, p13, p14)
    {
        return None;
    }
    // The last `a`: the whole tile, one row of the tile per buffer row.
    let ca = f.op(copy_a);
    let lda = o13.attrs.int("lda")?;
    if ca.operands.len() != 7
        || int_constant(f, ca.operands[1]) != Some(0)
        || int_constant(f, ca.operands[4]) != Some(m)
        || int_constant(f, ca.operands[5]).is_none()
        || int_constant(f, ca.operands[6]) != Some(lda)
    {
        return None;
    }

    // Back to `P12`: waits, pure ops and the copies into `P14`'s operands.
    let (a14, b14) = (f.op(p14).operands[0], f.op(p14).operands[1]);
    let p12 = loop {
        i = i.checked_sub(1)?;
        let op = ops[i];
        let o = f.op(op);
        let into_next = is_async_in(f, op) && [a14, b14].contains(&o.operands[0]);
        if !into_next && o.opcode != Opcode::CopyWait && !is_pure_leaf(f, op) {
            break op;
        }
    };
    let o12 = f.op(p12);
    if !whole_product_into(f, p12, d)
        || o12.operands[..2] != [a14, b14]
        || !same_shape(f, p12, p14)
        || m % 2 != 0
    {
        return None;
    }

    // The copies' operands: from before `P12`, or pure ops between `P12`
    // and `P14`, which move with them (earlier than before, so ahead of
    // every other use too).
    let roots = [copy_a, copy_b]
        .iter()
        .flat_map(|&c| f.op(c).operands[1..].to_vec())
        .collect();
    let feeding = feeders(f, &ops[i + 1..at14], roots)?;
    Some(Plan {
        p12,
        p13,
        blocks,
        rows,
        copy_a,
        copy_b,
        feeding,
        p14,
        waits,
    })
}

/// Reserves the two buffers: all of `b`, and as many blocks of `a`'s rows
/// (up to [`MAX_FIRST_PIECE`]) as fit after it. `None` when not even one
/// block does, or the schedule cannot free rows in time.
fn make_room(f: &mut Function, target: &Target, plan: &Plan) -> Option<Room> {
    let o = f.op(plan.p13);
    let b_bytes = f.ty(o.operands[1]).buf_bytes()?;
    let lda = o.attrs.int("lda")? as u64;
    let block_bytes = plan.rows as u64 * lda * 4;
    let nb = plan.blocks.len();
    let saved = f.attrs.clone();
    let own_b = reserve_buffer(f, target, b_bytes)?;
    for first in (1..=MAX_FIRST_PIECE.min(nb / 2)).rev() {
        let head = HEAD.max(nb.saturating_sub(2 * first));
        if head + first > nb {
            continue;
        }
        if let Some(own_a) = reserve_buffer(f, target, first as u64 * block_bytes) {
            return Some(Room {
                own_b,
                own_a,
                first,
                head,
            });
        }
    }
    f.attrs = saved;
    None
}

fn apply(f: &mut Function, plan: &Plan, room: Room) {
    let body = f.body;
    let o13 = f.op(plan.p13).clone();
    let (a13, b13) = (o13.operands[0], o13.operands[1]);
    let m = o13.attrs.int("m").expect("planned");
    let lda = o13.attrs.int("lda").expect("planned");
    let r = plan.rows;
    let nb = plan.blocks.len();
    let (p0, h) = (room.first, room.head);
    let rest = nb - p0 - h;
    let loc = o13.loc;
    let src_stride = int_constant(f, f.op(plan.copy_a).operands[5]).expect("planned");

    // The buffers, before `P12`.
    let b_ty = f.ty(b13).clone();
    let a_ty = Type::Buf {
        elem: crate::ir::Elem::Val(Dtype::F32),
        len: (p0 as i64 * r * lda) as u32,
    };
    let at = position(f, body, plan.p12);
    let alloc = |f: &mut Function, ty: Type, offset: u64, at: usize| {
        let attrs = Attrs::new()
            .with("ty", Attr::Type(ty.clone()))
            .with("offset", Attr::Int(offset as i64));
        let mut b = Builder::before(f, body, at);
        b.loc = loc;
        let op = b.build_declared(Opcode::Alloc, &[], attrs, &[], vec![ty]);
        f.op(op).results[0]
    };
    let own_b = alloc(f, b_ty, room.own_b, at);
    let own_a = alloc(f, a_ty, room.own_a, at + 1);

    // `P12` in two parts, the early copies between.
    let o12 = f.op(plan.p12).clone();
    let top = (nb * SPLIT_EIGHTHS / 8) as i64 * r;
    rows_of(f, &o12, top, 0, plan.p12);
    let moved: Vec<Op> = plan
        .feeding
        .iter()
        .chain([&plan.copy_b, &plan.copy_a])
        .copied()
        .collect();
    for &op in &moved {
        f.detach_op(op);
    }
    let at = position(f, body, plan.p12);
    for (i, &op) in moved.iter().enumerate() {
        f.insert_op(body, at + i, op);
    }
    f.ops[plan.copy_b].operands[0] = own_b;
    // The first piece of `a`: its first `p0` blocks of rows.
    let first_rows = piece_rows(f, plan.copy_a, loc, p0 as i64 * r);
    f.ops[plan.copy_a].operands[0] = own_a;
    f.ops[plan.copy_a].operands[4] = first_rows;
    rows_of(f, &o12, m - top, top, plan.p12);
    f.detach_op(plan.p12);

    // `P13`'s first `h` blocks where it was.
    for q in 0..h {
        rows_of(f, &o13, r, q as i64 * r, plan.p13);
    }
    f.detach_op(plan.p13);

    // The second piece of `a` where `P14` was (after the wait for the
    // third-to-last step's tiles), into the rows `P13`'s head freed.
    let piece = |f: &mut Function, before: Op, from: i64, count: i64, to: i64| {
        let c = f.op(plan.copy_a).clone();
        let mut b = Builder::before(f, body, position(f, body, before));
        b.loc = c.loc;
        let offset = b.const_i32((from * src_stride) as i32);
        let src = super::rewrite::value(&mut b, Opcode::PtrAdd, &[c.operands[2], offset]);
        let idx = b.const_i32((to * lda) as i32);
        let n = b.const_i32(count as i32);
        let operands = [
            a13,
            idx,
            src,
            c.operands[3],
            n,
            c.operands[5],
            c.operands[6],
        ];
        b.build_declared(Opcode::CopyIn, &operands, c.attrs.clone(), &[], vec![]);
    };
    piece(f, plan.p14, p0 as i64 * r, h as i64 * r, 0);
    for &w in &plan.waits {
        f.detach_op(w);
    }

    // Each block of the last product, with its rows of `P13` and `P14`
    // before it, and the waits for the pieces of `a` it reads.
    let o14 = f.op(plan.p14).clone();
    for (q, &blk) in plan.blocks.iter().enumerate() {
        if q == p0 || (rest > 0 && q == p0 + h) {
            let mut b = Builder::before(f, body, position(f, body, blk));
            b.loc = loc;
            b.build_declared(Opcode::CopyWait, &[], Attrs::new(), &[], vec![]);
        }
        if q >= h {
            rows_of(f, &o13, r, q as i64 * r, blk);
        }
        if rest > 0 && q == h + rest - 1 {
            piece(f, blk, (p0 + h) as i64 * r, rest as i64 * r, h as i64 * r);
        }
        rows_of(f, &o14, r, q as i64 * r, blk);
        let (tile, arow0) = if q < p0 {
            (own_a, q as i64 * r)
        } else {
            (a13, (q - p0) as i64 * r)
        };
        let o = &mut f.ops[blk];
        o.operands[0] = tile;
        o.operands[1] = own_b;
        o.attrs.set("arow0", Attr::Int(arow0));
    }
    f.detach_op(plan.p14);
}

/// Rows `row0 .. row0 + rows` of the product `whole` (a block of it, as
/// `early-write-out` makes them), built before `before`.
fn rows_of(f: &mut Function, whole: &OpData, rows: i64, row0: i64, before: Op) {
    let block = f.op(before).parent.expect("an op sits in a block");
    let attrs = whole
        .attrs
        .clone()
        .with("m", Attr::Int(rows))
        .with("row0", Attr::Int(row0));
    let mut b = Builder::before(f, block, position(f, block, before));
    b.loc = whole.loc;
    b.build_declared(Opcode::BufMatmul, &whole.operands, attrs, &[], vec![]);
}

/// A constant `rows` for a piece of the copy `copy`, built before it.
fn piece_rows(f: &mut Function, copy: Op, loc: crate::ir::Loc, rows: i64) -> Value {
    let block = f.op(copy).parent.expect("a copy sits in a block");
    let mut b = Builder::before(f, block, position(f, block, copy));
    b.loc = loc;
    b.const_i32(rows as i32)
}
