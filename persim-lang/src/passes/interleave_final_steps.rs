//! Interleaving the last two `k` steps with the write-out
//! (`interleave-final-steps`), after `early-write-out` (same target gate).
//!
//! `early-write-out` peels a matmul loop's last two steps and splits only
//! the last one's product into blocks of rows, each copied out as soon as
//! it is final. The write-out is the tail of the spatial matmul (the shims
//! carry the result slower than the matrix unit makes it), so what counts
//! is when the first block leaves: after the whole second-to-last product
//! and the first block of the last. Yet a block of rows needs only its own
//! rows of both products. So once `canonicalize` has folded the peeled
//! steps to one version each, this pass splits the second-to-last product
//! `P` into the same blocks and runs each just before the last product's
//! block of the same rows; the first `HEAD` blocks of `P` stay where `P`
//! was, before the wait for the last step's tiles, so the matrix unit has
//! work while they arrive (here with `HEAD = 1`):
//!
//! ```text
//! buf_matmul a1, b1, d, d {m}                     buf_matmul a1, b1, d, d {m/q, row0 = 0}
//! copy_wait                               →       copy_wait
//! buf_matmul a2, b2, d, d {m/q, row0 = 0}         buf_matmul a2, b2, d, d {m/q, row0 = 0}
//! copy_out .. rows 0.. {async}                    copy_out .. rows 0.. {async}
//! buf_matmul a2, b2, d, d {m/q, row0 = r}         buf_matmul a1, b1, d, d {m/q, row0 = r}
//! ..                                              buf_matmul a2, b2, d, d {m/q, row0 = r}
//!                                                 ..
//! ```
//!
//! Every element of `d` still gets `P`'s terms before the last product's,
//! so results are bit-identical. What qualifies, in one block:
//! - `P`: a whole `buf_matmul` accumulating into `d` (`c = d`, no `row0`)
//!   that reads neither its `a` nor its `b` from `d`;
//! - between `P` and the first block: only `copy_wait`s, pure ops and
//!   asynchronous `copy_in`s into buffers other than `P`'s operands;
//! - the blocks: at least [`MIN_BLOCKS`] `buf_matmul`s into `d` with
//!   `row0 = 0, r, 2r, ..` and `m = r`, together `P`'s rows, with `P`'s
//!   `ldc`; between and after
//!   them (up to the first op that is none of these) only pure ops and
//!   asynchronous `copy_out`s of rows of `d` that the blocks before them
//!   cover; nothing there writes `P`'s operands.

use super::canonicalize::int_constant;
use super::effects::is_pure_leaf;
use super::rewrite::position;
use crate::ir::{Attr, Builder, Function, Op, Opcode, Value};
use crate::target::Target;

/// Blocks of `P` left before the wait for the last step's tiles: enough to
/// cover their arrival, few enough to start the write-out early. On
/// `sim_bench`'s 1024³ matmul (128-row tiles in 8 blocks of 16 rows):
/// 88 976 cycles with `P` whole (before this pass), 89 834 with `P` in
/// blocks but all before the wait, 87 802 with none before it, 87 147 with
/// one, 87 018 with two, 87 012 with three, 87 208 with four.
const HEAD: usize = 2;

/// Blocks the last product must come in, at least. Each block of `P`
/// restarts the matrix unit's pipeline (about 110 cycles), while the
/// write-out starts earlier by the blocks of `P` past `HEAD`: with 4
/// blocks the restarts cost more than that gains. The MLP graph of
/// `sim_map_report` (64-row tiles: 4 blocks) ran 58 611 cycles streamed and
/// 62 529 one by one with them interleaved, 57 761 and 61 279 without.
const MIN_BLOCKS: usize = 8;

pub fn interleave_final_steps(f: &mut Function, target: &Target) {
    if !(target.early_write_out && target.matmul_op && target.bulk_copies) {
        return;
    }
    for op in f.all_ops() {
        if f.op(op).parent.is_none() || f.op(op).opcode != Opcode::BufMatmul {
            continue;
        }
        if let Some(blocks) = plan(f, op) {
            apply(f, op, &blocks);
        }
    }
}

/// The last product's blocks after `p`, in row order, if `p` qualifies.
fn plan(f: &Function, p: Op) -> Option<Vec<Op>> {
    let o = f.op(p);
    let [a, b, c, d] = o.operands[..] else {
        return None;
    };
    if c != d || a == d || b == d || o.attrs.get("row0").is_some() {
        return None;
    }
    let (m, ldc) = (o.attrs.int("m")?, o.attrs.int("ldc")?);
    let block = o.parent?;
    let ops = f.block_ops(block);
    let at = position(f, block, p);

    // The gap before the first block.
    let mut i = at + 1;
    while i < ops.len() && !is_block(f, ops[i], d) {
        let g = f.op(ops[i]);
        let fine = match g.opcode {
            Opcode::CopyWait => true,
            Opcode::CopyIn => g.attrs.get("async").is_some() && ![a, b, d].contains(&g.operands[0]),
            _ => is_pure_leaf(f, ops[i]),
        };
        if !fine {
            return None;
        }
        i += 1;
    }

    // The blocks, and the copies of their rows.
    let mut blocks: Vec<Op> = Vec::new();
    let mut covered = 0i64;
    let mut rows = 0i64;
    while i < ops.len() {
        let op = ops[i];
        let g = f.op(op);
        if is_block(f, op, d) {
            let (r, row0) = (g.attrs.int("m")?, g.attrs.int("row0")?);
            let reads_d = g.operands[0] == d || g.operands[1] == d;
            if row0 != covered
                || (rows != 0 && r != rows)
                || g.attrs.int("ldc") != Some(ldc)
                || reads_d
            {
                return None;
            }
            rows = r;
            covered += r;
            blocks.push(op);
        } else if g.opcode == Opcode::CopyOut && g.operands.get(1) == Some(&d) {
            if g.attrs.get("async").is_none() || g.operands.len() != 7 {
                return None;
            }
            let (idx, n, stride) = (
                int_constant(f, g.operands[2])?,
                int_constant(f, g.operands[4])?,
                int_constant(f, g.operands[6])?,
            );
            if stride <= 0 || idx < 0 || idx % stride != 0 || idx / stride + n > covered {
                return None;
            }
        } else if !is_pure_leaf(f, op) {
            break;
        }
        i += 1;
    }
    (covered == m && blocks.len() >= MIN_BLOCKS).then_some(blocks)
}

fn apply(f: &mut Function, p: Op, blocks: &[Op]) {
    let o = f.op(p).clone();
    let block = o.parent.expect("a product sits in a block");
    let rows = f.op(blocks[0]).attrs.int("m").expect("planned");
    let part = |q: usize| {
        o.attrs
            .clone()
            .with("m", Attr::Int(rows))
            .with("row0", Attr::Int(q as i64 * rows))
    };
    for (q, &s) in blocks.iter().enumerate() {
        // The first `HEAD` where `P` was, in order; each other just before
        // the last product's block of its rows.
        let anchor = if q < HEAD { p } else { s };
        let mut b = Builder::before(f, block, position(f, block, anchor));
        b.loc = o.loc;
        b.build_declared(Opcode::BufMatmul, &o.operands, part(q), &[], vec![]);
    }
    f.detach_op(p);
}

/// Whether `op` is one of the last product's blocks into `d`.
fn is_block(f: &Function, op: Op, d: Value) -> bool {
    let o = f.op(op);
    o.opcode == Opcode::BufMatmul
        && o.attrs.get("row0").is_some()
        && o.operands.get(2) == Some(&d)
        && o.operands.get(3) == Some(&d)
}
