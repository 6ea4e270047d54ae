//! The last `k` step's first operand fetched earlier, into a buffer of its
//! own (`fetch-last-operand-early`), after `interleave-final-steps` (same
//! target gate).
//!
//! With its last two steps interleaved, a blocked matmul starts the last
//! step's copies only when the third-to-last step's product has freed
//! their buffers, which is where the final phase begins; the last step's
//! first block then waits for both tiles. On the spatial machine each
//! shim carries one `A` and one `B` panel per step, so the two reads share
//! it; the 1024³ matmul's PEs waited there 500 cycles for `A` and 620 more
//! for `B` on average. When local memory has room for one more tile, this
//! pass gives the last step's `a` operand a buffer of its own and starts
//! its copy halfway through the third-to-last step's product, which it
//! splits into two blocks of rows there; at the final phase only `b` is
//! still to come. Each element still gets the same products in the same
//! order: results are bit-identical.
//!
//! ```text
//! buf_matmul a1, b1, d, d {m}              buf_matmul a1, b1, d, d {m/2, row0 = 0}
//! copy_wait                                (the copy's operands)
//! (the copy's operands)            →       copy_in f, .. {async}
//! copy_in a1, .. {async}                   buf_matmul a1, b1, d, d {m/2, row0 = m/2}
//! .. buf_matmul a1, b, d, d {row0}         copy_wait
//!                                          .. buf_matmul f, b, d, d {row0}
//! ```
//!
//! On `sim_bench`'s 1024³ matmul (85 242 cycles with the loop's last three
//! steps peeled, without this pass): 84 524 cycles with `a` fetched early,
//! 85 410 with `b` instead; with the product split
//! after 3, 5, 6 or 7 of its 8 eighths, 85 010, 84 651, 85 164 and
//! 85 684. The copy site completes its stream's previous copy (the tile
//! the next step reads, started at this step's beginning), so the copy
//! cannot start much sooner without waiting for that tile; and the
//! `copy_wait` after the product waits for it too (a `copy_wait` waits for
//! every copy before it), so it cannot start much later either.
//!
//! What qualifies, in one block: a whole `buf_matmul` `P` accumulating
//! into `d` (no `row0`) of an even number of strips, at least
//! [`MIN_STRIPS`]; after it, only
//! `copy_wait`s, pure ops and `async` `copy_in`s up to an `async`
//! `copy_in` `C` into `P`'s `a` buffer, whose operands are defined before
//! `P` or by pure ops between `P` and `C`; after `C`, the tile is read
//! only by the last product's blocks (`buf_matmul`s of some rows of `d`,
//! each followed past pure ops by an asynchronous copy of rows of `d` out,
//! as `early-write-out` made them), and neither written nor read
//! otherwise. The block is the kernel's body (where `early-write-out` puts
//! the peeled steps), so nothing after it runs later. Of the products that
//! qualify, only the last is changed.

use super::effects::is_pure_leaf;
use super::rewrite::{feeders, position, reserve_buffer};
use crate::ir::{Attr, Attrs, Builder, Function, Op, Opcode};
use crate::target::Target;

/// Strips the third-to-last product must have, at least: splitting it
/// restarts the matrix unit's pipeline once, and with 64-row tiles (the
/// folded grid of `sim_bench`, `SIM_BENCH_BLOCKS=64,128,64`, two tiles per
/// PE) the early copy cost more than it saved: 94 492 cycles against
/// 93 011 without it.
const MIN_STRIPS: i64 = 8;

/// The operand of the last step's product that is fetched early: `a`.
const OPERAND: usize = 0;

pub fn fetch_last_operand_early(f: &mut Function, target: &Target) {
    if !(target.early_write_out && target.matmul_op && target.bulk_copies) {
        return;
    }
    // The last product that qualifies: a loop short enough to be peeled
    // whole leaves earlier steps in the body that qualify too, but only
    // the last step's copy starts at the final phase.
    let body: Vec<Op> = f.block_ops(f.body).to_vec();
    for &op in body.iter().rev() {
        if f.op(op).opcode != Opcode::BufMatmul {
            continue;
        }
        let Some(plan) = plan(f, op, target.lanes) else {
            continue;
        };
        let bytes = f.ty(f.op(plan.copy).operands[0]).buf_bytes();
        if let Some(offset) = bytes.and_then(|b| reserve_buffer(f, target, b)) {
            apply(f, op, &plan, offset);
        }
        return;
    }
}

struct Plan {
    /// The copy into `P`'s `a` buffer.
    copy: Op,
    /// The pure ops between `P` and the copy that its operands need, in
    /// order.
    feeding: Vec<Op>,
    /// The last product's blocks, which read the tile.
    readers: Vec<Op>,
}

fn plan(f: &Function, p: Op, lanes: u32) -> Option<Plan> {
    let o = f.op(p);
    let [a, b, c, d] = o.operands[..] else {
        return None;
    };
    if c != d || a == d || b == d || a == b || o.attrs.get("row0").is_some() {
        return None;
    }
    let m = o.attrs.int("m")?;
    let lanes = i64::from(lanes);
    if lanes == 0 || m % (2 * lanes) != 0 || m < MIN_STRIPS * lanes {
        return None;
    }
    let tile = o.operands[OPERAND];
    f.def_op(tile)
        .filter(|&al| f.op(al).opcode == Opcode::Alloc)?;
    // In the kernel's body, so that what follows the copy there is all
    // that runs after it.
    let block = o.parent.filter(|&blk| blk == f.body)?;
    let ops = f.block_ops(block);
    let at = position(f, block, p);

    // Up to the copy: waits, pure ops and other asynchronous copies in.
    let mut i = at + 1;
    let copy = loop {
        let op = *ops.get(i)?;
        let g = f.op(op);
        let is_async_in = g.opcode == Opcode::CopyIn && g.attrs.get("async").is_some();
        if is_async_in && g.operands[0] == tile {
            break op;
        }
        let fine = g.opcode == Opcode::CopyWait
            || is_pure_leaf(f, op)
            || (is_async_in && g.operands[0] != d);
        if !fine {
            return None;
        }
        i += 1;
    };

    // The copy's operands: from before `P`, or pure ops between.
    let feeding = feeders(f, &ops[at + 1..i], f.op(copy).operands[1..].to_vec())?;

    // After the copy, the tile is read only by the last product's blocks:
    // products of some rows of `d`, each followed (past pure ops) by the
    // asynchronous copy out of rows that `early-write-out` put there.
    let mut readers = Vec::new();
    let mut fine = true;
    for (j, &op) in ops.iter().enumerate().skip(i + 1) {
        let g = f.op(op);
        let mut nested = false;
        for &r in &g.regions {
            f.walk(r, &mut |o| nested |= f.op(o).operands.contains(&tile));
        }
        if nested {
            fine = false;
        }
        if !g.operands.contains(&tile) {
            continue;
        }
        let block_of_last = g.opcode == Opcode::BufMatmul
            && g.operands[OPERAND] == tile
            && g.operands.iter().filter(|&&v| v == tile).count() == 1
            && g.operands[2] == d
            && g.attrs.get("row0").is_some()
            && ops[j + 1..]
                .iter()
                .find(|&&n| !is_pure_leaf(f, n))
                .is_some_and(|&n| {
                    let out = f.op(n);
                    out.opcode == Opcode::CopyOut
                        && out.attrs.get("async").is_some()
                        && out.operands.get(1) == Some(&d)
                });
        if block_of_last {
            readers.push(op);
        } else {
            fine = false;
        }
    }
    (fine && !readers.is_empty()).then_some(Plan {
        copy,
        feeding,
        readers,
    })
}

fn apply(f: &mut Function, p: Op, plan: &Plan, offset: u64) {
    let o = f.op(p).clone();
    let block = o.parent.expect("a product sits in a block");
    let tile = o.operands[OPERAND];
    let m = o.attrs.int("m").expect("planned");

    // The buffer, before `P`.
    let ty = f.ty(tile).clone();
    let attrs = Attrs::new()
        .with("ty", Attr::Type(ty.clone()))
        .with("offset", Attr::Int(offset as i64));
    let mut at = position(f, block, p);
    let mut builder = Builder::before(f, block, at);
    builder.loc = o.loc;
    let own = builder.build_declared(Opcode::Alloc, &[], attrs, &[], vec![ty]);
    let own = f.op(own).results[0];
    at += 1;

    // `P` in two blocks, with the copy's operands and the copy between.
    let part = |row0: i64, rows: i64| {
        o.attrs
            .clone()
            .with("m", Attr::Int(rows))
            .with("row0", Attr::Int(row0))
    };
    let mut builder = Builder::before(f, block, at);
    builder.loc = o.loc;
    builder.build_declared(Opcode::BufMatmul, &o.operands, part(0, m / 2), &[], vec![]);
    for &op in &plan.feeding {
        f.detach_op(op);
    }
    f.detach_op(plan.copy);
    let mut at = position(f, block, p);
    for &op in plan.feeding.iter().chain([&plan.copy]) {
        f.insert_op(block, at, op);
        at += 1;
    }
    f.ops[plan.copy].operands[0] = own;
    let mut builder = Builder::before(f, block, at);
    builder.loc = o.loc;
    builder.build_declared(
        Opcode::BufMatmul,
        &o.operands,
        part(m / 2, m - m / 2),
        &[],
        vec![],
    );
    f.detach_op(p);
    for &r in &plan.readers {
        f.ops[r].operands[OPERAND] = own;
    }
}
