//! Early write-out (`early-write-out`), for targets with a matrix unit and a
//! DMA engine that ask for it (`Target::early_write_out`, with
//! `Target::matmul_op` and `Target::bulk_copies`).
//!
//! A blocked matmul accumulates its result tile in a local buffer over its
//! `k` loop and copies the tile out after the loop, so every byte of the
//! result leaves after the last product: a tail that nothing overlaps. On
//! the spatial machine the 1024³ matmul's 4 MB of `c` take 16 384 cycles of
//! the shims' bandwidth at the end of a 92 000-cycle run, when every PE
//! finishes at once. Yet in the last `k` step a block of rows is final as
//! soon as that step's product has passed it. So this pass peels the last
//! two iterations of such a loop and splits the last one's `buf_matmul`
//! into blocks of rows (`row0`), each followed by an `async` copy of its
//! rows out, which overlaps the products of the blocks after it
//! (`interleave-final-steps` then moves the second-to-last product's rows
//! into the same blocks):
//!
//! ```text
//! for kb in lo..hi { ..; buf_matmul a, b, d, d {m} }     for kb in lo..hi-2 { .. }
//! copy_wait                                        →      copy_wait
//! copy_out p, d, 0, n, m, gs, bs                          .. (the body at kb = hi-2)
//!                                                         .. (the body at kb = hi-1, each
//!                                                         buf_matmul a, b, d, d as, per block r:)
//!                                                           buf_matmul a, b, d, d {m/q, row0 = r}
//!                                                           copy_out p + r·gs, d, r·bs, n, m/q, gs, bs {async}
//!                                                         copy_wait {out = true}
//! ```
//!
//! What qualifies:
//! - a `for` with constant bounds and step that runs at least twice;
//! - after it in its block, only `copy_wait`s and pure ops that do not read
//!   its results, then a synchronous 2-D `copy_out` of buffer `d` from index
//!   0 whose rows are `d`'s rows as `buf_matmul` writes them (`rows = m`,
//!   buffer stride `= ldc`);
//! - in the loop, `d` is touched only by `buf_matmul`s accumulating into it
//!   (`c = d`, whole: no `row0`), at most one running per iteration: one
//!   directly in the body, or one per branch of a single `if` directly in
//!   the body (alternation's two versions);
//! - after the `copy_out` in its block no op touches a buffer (a later one
//!   could take `d`'s bytes while the asynchronous copies still read them:
//!   `pack-buffers` ends a buffer's life at its last named use).
//!
//! The rows of a block are a multiple of the lanes (the matrix unit's
//! strips); with fewer than two strips nothing changes.

use super::canonicalize::{constant_of, int_constant};
use super::effects::is_pure_leaf;
use super::rewrite::{clone_slice_from, collect_slice, deep_copy, for_loops, position, value};
use crate::ir::{Attr, Attrs, Block, Builder, Dtype, Function, Op, Opcode, Value};
use crate::target::Target;
use std::collections::{HashMap, HashSet};

/// Blocks of rows the last step's product is split into, at most (fewer
/// when its strips do not divide evenly). Each block restarts the matrix
/// unit's software pipeline, but more blocks start the write-out sooner:
/// the 1024³ matmul of `sim_bench` (128-row tiles, eight strips) ran
/// 89 926 cycles with 2 blocks, 89 337 with 4 and 88 996 with 8 (92 128
/// without the pass; 88 976 with 8 once the peeled step came in one
/// version).
const BLOCKS: u32 = 8;

/// Iterations peeled, at most: the last four, so that
/// `interleave-three-final-steps` can run the last three products block by
/// block and start the last step's copies in the middle of the
/// fourth-to-last (or, without room for that, `interleave-final-steps` the
/// last two and `fetch-last-operand-early` a copy of the last one's in the
/// middle of the third-to-last). A loop that runs up to four times is
/// peeled whole. At 1024³ with three peeled and no
/// `interleave-three-final-steps`: 84 524 cycles; with four, 84 473.
const PEELED: i64 = 4;

/// Trip counts up to which a carried value's last-step value is computed
/// by repeating its update (each repetition folds to a constant).
const MAX_FOLDED_TRIPS: i64 = 256;

pub fn early_write_out(f: &mut Function, target: &Target) {
    if !(target.early_write_out && target.matmul_op && target.bulk_copies) {
        return;
    }
    for lp in for_loops(f) {
        if let Some(plan) = plan(f, lp, target.lanes) {
            apply(f, lp, &plan);
        }
    }
}

struct Plan {
    /// The `copy_out` after the loop.
    copy: Op,
    /// The result buffer.
    buf: Value,
    /// The loop's lower bound and step: iteration `t` runs at
    /// `lo + t·step`.
    lo: i64,
    step: i64,
    trips: i64,
    iv_type: Dtype,
    /// Rows per block, and how many blocks.
    rows: u32,
    blocks: u32,
}

fn plan(f: &Function, lp: Op, lanes: u32) -> Option<Plan> {
    let d = f.op(lp);
    let (lo, hi, step) = (
        int_constant(f, d.operands[0])?,
        int_constant(f, d.operands[1])?,
        int_constant(f, d.operands[2])?,
    );
    if step <= 0 || hi - lo <= step {
        return None;
    }
    let trips = (hi - lo + step - 1) / step;
    let iv_type = f.ty(d.operands[0]).dtype()?;
    let parent = d.parent?;
    let ops = f.block_ops(parent);
    let at = position(f, parent, lp);
    let results = &d.results;
    let mut copy = None;
    for &op in &ops[at + 1..] {
        let o = f.op(op);
        if o.opcode == Opcode::CopyOut {
            copy = Some(op);
            break;
        }
        let pure = is_pure_leaf(f, op);
        if !(o.opcode == Opcode::CopyWait || pure) || o.operands.iter().any(|v| results.contains(v))
        {
            return None;
        }
    }
    let copy = copy?;
    let c = f.op(copy);
    if c.operands.len() != 7 || c.attrs.get("async").is_some() {
        return None;
    }
    let buf = c.operands[1];
    let (idx, rows, stride) = (
        int_constant(f, c.operands[2])?,
        int_constant(f, c.operands[4])?,
        int_constant(f, c.operands[6])?,
    );
    let body = d.regions[0];
    let matmuls = writers(f, body, buf)?;
    for &mm in &matmuls {
        let a = &f.op(mm).attrs;
        if a.int("m") != Some(rows) || a.int("ldc") != Some(stride) {
            return None;
        }
    }
    if idx != 0 || matmuls.is_empty() {
        return None;
    }
    let after = position(f, parent, copy) + 1;
    if f.block_ops(parent)[after..]
        .iter()
        .any(|&op| touches_buffers(f, op))
    {
        return None;
    }
    let rows = u32::try_from(rows).ok()?;
    if lanes == 0 || rows % lanes != 0 {
        return None;
    }
    let strips = rows / lanes;
    let blocks = (2..=BLOCKS.min(strips))
        .rev()
        .find(|b| strips.is_multiple_of(*b))?;
    Some(Plan {
        copy,
        buf,
        lo,
        step,
        trips,
        iv_type,
        rows: rows / blocks,
        blocks,
    })
}

/// The `buf_matmul`s of the loop body `body` that accumulate into `buf`, if
/// they are its only uses there and at most one of them runs per
/// iteration (see the module doc).
fn writers(f: &Function, body: Block, buf: Value) -> Option<Vec<Op>> {
    let mut uses = Vec::new();
    f.walk(body, &mut |op| {
        if f.op(op).operands.contains(&buf) {
            uses.push(op);
        }
    });
    let mut per_block: HashMap<Block, usize> = HashMap::new();
    let mut owners = HashSet::new();
    for &op in &uses {
        let o = f.op(op);
        if o.opcode != Opcode::BufMatmul {
            return None;
        }
        let whole = o.attrs.get("row0").is_none();
        let accumulates = o.operands[2] == buf && o.operands[3] == buf;
        let reads_only_c = o.operands[0] != buf && o.operands[1] != buf;
        if !whole || !accumulates || !reads_only_c {
            return None;
        }
        let block = o.parent?;
        if block != body {
            let owner = f.blocks[block].parent?;
            if f.op(owner).opcode != Opcode::If || f.op(owner).parent != Some(body) {
                return None;
            }
            owners.insert(owner);
        }
        *per_block.entry(block).or_default() += 1;
    }
    let direct = per_block.get(&body).copied().unwrap_or(0);
    // One product directly in the body, or one per branch of a single `if`.
    let once = per_block.values().all(|&n| n == 1)
        && owners.len() <= 1
        && (direct == 0 || uses.len() == 1);
    once.then_some(uses)
}

/// Whether `op` (or anything in its regions) allocates or accesses a buffer.
fn touches_buffers(f: &Function, op: Op) -> bool {
    let mut any = false;
    let mut check = |o: Op| {
        any |= matches!(
            f.op(o).opcode,
            Opcode::Alloc
                | Opcode::BufLoad
                | Opcode::BufStore
                | Opcode::CopyIn
                | Opcode::CopyOut
                | Opcode::CopyGather
                | Opcode::BufMatmul
        );
    };
    check(op);
    for &r in &f.op(op).regions {
        f.walk(r, &mut check);
    }
    any
}

fn apply(f: &mut Function, lp: Op, plan: &Plan) {
    let parent = f.op(lp).parent.expect("a loop sits in a block");
    let loc = f.op(lp).loc;
    let body = f.op(lp).regions[0];
    // The loop stops before its peeled iterations.
    let first = plan.trips - PEELED.min(plan.trips);
    let mut b = Builder::before(f, parent, position(f, parent, lp));
    b.loc = loc;
    let bound = b.const_int(plan.lo + first * plan.step, plan.iv_type);
    f.ops[lp].operands[1] = bound;

    // The peeled iterations, just before the copy out: the body with the
    // induction variable at its value and the carried values flowing from
    // the loop's results through each copy.
    let args = f.block_args(body).to_vec();
    let ops = f.block_ops(body).to_vec();
    let (terminator, ops) = ops.split_last().expect("a body ends with its yield");
    let yields = f.op(*terminator).operands.clone();
    let inits = f.op(lp).operands[3..].to_vec();
    let results = f.op(lp).results.clone();
    let mut carried = results.clone();
    for (j, &arg) in args[1..].iter().enumerate() {
        // A carried value that starts constant and advances by constant
        // arithmetic of itself alone (alternation's parity) is computed
        // for the first peeled step, which `canonicalize` then folds, and
        // with it the alternation's `if`: one version of each peeled step,
        // not two.
        if constant_of(f, inits[j]).is_some() && plan.trips <= MAX_FOLDED_TRIPS {
            let mut slice = Vec::new();
            if collect_slice(f, yields[j], lp, arg, &mut slice) {
                let mut b = Builder::before(f, parent, position(f, parent, plan.copy));
                b.loc = loc;
                let mut v = inits[j];
                for _ in 0..first {
                    let m = clone_slice_from(&mut b, &slice, HashMap::from([(arg, v)]));
                    v = m.get(&yields[j]).copied().unwrap_or(yields[j]);
                }
                carried[j] = v;
            }
        }
    }
    let mut at = position(f, parent, plan.copy);
    let mut peeled = Vec::new();
    for t in first..plan.trips {
        let mut b = Builder::before(f, parent, at);
        b.loc = loc;
        let iv = b.const_int(plan.lo + t * plan.step, plan.iv_type);
        at += 1;
        let mut map: HashMap<Value, Value> = HashMap::from([(args[0], iv)]);
        map.extend(args[1..].iter().copied().zip(carried.iter().copied()));
        peeled.clear();
        for &op in ops {
            let c = deep_copy(f, op, &mut map);
            f.insert_op(parent, at, c);
            at += 1;
            peeled.push(c);
        }
        carried = yields
            .iter()
            .map(|v| map.get(v).copied().unwrap_or(*v))
            .collect();
    }
    let outs = carried;
    let later: Vec<Op> = f.block_ops(parent)[at..].to_vec();
    for op in later {
        let mut inner = vec![op];
        for &r in &f.op(op).regions.clone() {
            f.walk(r, &mut |o| inner.push(o));
        }
        for o in inner {
            for v in f.ops[o].operands.iter_mut() {
                if let Some(i) = results.iter().position(|r| r == v) {
                    *v = outs[i];
                }
            }
        }
    }

    // The last peeled product in blocks of rows, each block written out
    // as soon as it is final.
    let mut matmuls = Vec::new();
    for &op in &peeled {
        let mut check = |o: Op| {
            if f.op(o).opcode == Opcode::BufMatmul && f.op(o).operands[3] == plan.buf {
                matmuls.push(o);
            }
        };
        check(op);
        for &r in &f.op(op).regions {
            f.walk(r, &mut check);
        }
    }
    for mm in matmuls {
        split(f, mm, plan);
    }

    // Where the copy was, wait for the blocks' copies.
    let copy_loc = f.op(plan.copy).loc;
    let at = position(f, parent, plan.copy);
    f.detach_op(plan.copy);
    let mut b = Builder::before(f, parent, at);
    b.loc = copy_loc;
    b.build_declared(
        Opcode::CopyWait,
        &[],
        Attrs::new().with("out", Attr::Bool(true)),
        &[],
        vec![],
    );
}

/// Replaces `buf_matmul` `mm` by `plan.blocks` products of `plan.rows`
/// rows, each followed by an asynchronous copy of its rows as `plan.copy`
/// writes them.
fn split(f: &mut Function, mm: Op, plan: &Plan) {
    let block = f.op(mm).parent.expect("a product sits in a block");
    let m = f.op(mm).clone();
    let c = f.op(plan.copy).clone();
    let [dst, buf, _, count, _, global_stride, buffer_stride] = c.operands[..] else {
        unreachable!("the plan checked a 2-D copy");
    };
    let stride = int_constant(f, buffer_stride).expect("the plan checked a constant stride");
    let mut b = Builder::before(f, block, position(f, block, mm));
    b.loc = m.loc;
    let rows = b.const_i32(plan.rows as i32);
    for q in 0..plan.blocks {
        let row0 = i64::from(q * plan.rows);
        let attrs = m
            .attrs
            .clone()
            .with("m", Attr::Int(i64::from(plan.rows)))
            .with("row0", Attr::Int(row0));
        b.build_declared(Opcode::BufMatmul, &m.operands, attrs, &[], vec![]);
        let first = b.const_i32(row0 as i32);
        let offset = value(&mut b, Opcode::Mul, &[first, global_stride]);
        let to = value(&mut b, Opcode::PtrAdd, &[dst, offset]);
        let idx = b.const_i32((row0 * stride) as i32);
        let operands = [to, buf, idx, count, rows, global_stride, buffer_stride];
        let attrs = c
            .attrs
            .clone()
            .with("async", Attr::Bool(true))
            .with("tail", Attr::Bool(true));
        b.loc = c.loc;
        b.build_declared(Opcode::CopyOut, &operands, attrs, &[], vec![]);
        b.loc = m.loc;
    }
    f.detach_op(mm);
}
