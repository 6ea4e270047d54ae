//! Versioning on wrapped index tiles (targets with `Target::affine_tiles`).
//!
//! Triton's tutorial matmul keeps its loads in bounds with
//! `offs = (pid_m * BLOCK + arange(0, BLOCK)) % m`. The `%` makes the tile
//! non-affine, so its pointer tiles are stored and every load gathers —
//! although the wrap only happens in the last block row, and only when `m`
//! is not a multiple of the block. This pass splits the kernel after such
//! a remainder of `splat(s) + arange(lo, hi)` by `splat(m)`:
//!
//! ```text
//! if 0 <= s + lo && s + hi <= m {   // (and s + hi does not overflow)
//!     rest of the kernel, the remainder replaced by its dividend
//! } else {
//!     rest of the kernel as written
//! }
//! ```
//!
//! Under the guard every lane `x` has `0 <= x < m`, so `x % m == x`
//! exactly; the first branch is the affine kernel. The versioned rest is
//! searched again for the next wrap (the tutorial wraps rows and columns)
//! up to [`MAX_VERSIONS`] deep; the other branches keep the remainders.
//! Only the kernel's body block is versioned (the rest there ends in
//! `return`, so no value leaves the split), which is where the tutorial
//! computes its offsets.

use std::collections::HashMap;

use super::rewrite::{deep_copy, value};
use crate::ir::{
    Attrs, Block, Builder, CmpPred, Dtype, Elem, FuncKind, Function, Op, Opcode, Value,
};
use crate::target::Target;

/// Nested versions at most (each copies the rest of the kernel once more).
const MAX_VERSIONS: u32 = 2;

pub fn version_wraps(f: &mut Function, target: &Target) {
    if target.affine_tiles && f.kind == FuncKind::Kernel {
        version_block(f, f.body, MAX_VERSIONS);
    }
}

/// A remainder `splat(s) + arange(lo, hi)` by `splat(m)`: its dividend,
/// `s`, `lo`, `hi`, `m`.
struct Wrap {
    dividend: Value,
    s: Value,
    lo: i64,
    hi: i64,
    m: Value,
}

fn wrap_of(f: &Function, op: Op) -> Option<Wrap> {
    let d = f.op(op);
    if d.opcode != Opcode::Rem || f.ty(d.results[0]).shape().is_none_or(|s| s.len() != 1) {
        return None;
    }
    if f.ty(d.results[0]).elem() != Elem::Val(Dtype::I32) {
        return None;
    }
    let m = splat_scalar(f, d.operands[1])?;
    let dividend = d.operands[0];
    let add = f.op(f.def_op(dividend)?);
    if add.opcode != Opcode::Add {
        return None;
    }
    let (s, range) = match (
        splat_scalar(f, add.operands[0]),
        splat_scalar(f, add.operands[1]),
    ) {
        (Some(s), None) => (s, add.operands[1]),
        (None, Some(s)) => (s, add.operands[0]),
        _ => return None,
    };
    let arange = f.op(f.def_op(range)?);
    if arange.opcode != Opcode::Arange {
        return None;
    }
    Some(Wrap {
        dividend,
        s,
        lo: arange.attrs.int("lo")?,
        hi: arange.attrs.int("hi")?,
        m,
    })
}

/// The scalar a `splat` op spreads.
fn splat_scalar(f: &Function, v: Value) -> Option<Value> {
    let d = f.op(f.def_op(v)?);
    (d.opcode == Opcode::Splat).then(|| d.operands[0])
}

fn version_block(f: &mut Function, block: Block, depth: u32) {
    if depth == 0 {
        return;
    }
    let ops = f.block_ops(block).to_vec();
    let Some((at, wrap)) = ops
        .iter()
        .enumerate()
        .find_map(|(i, &op)| wrap_of(f, op).map(|w| (i, w)))
    else {
        return;
    };
    // The rest after the split, but the block's terminator.
    let end = match ops.last().map(|&o| f.op(o).opcode) {
        Some(Opcode::Return | Opcode::Yield) => ops.len() - 1,
        _ => ops.len(),
    };
    if let Some(&last) = ops.get(end) {
        let leaves = f
            .op(last)
            .operands
            .iter()
            .any(|&v| f.def_op(v).is_some_and(|o| ops[at..end].contains(&o)));
        if leaves {
            return;
        }
    }
    let rest: Vec<Op> = ops[at..end].to_vec();
    let loc = f.op(rest[0]).loc;
    for &o in &rest {
        f.detach_op(o);
    }
    let then = f.new_block();
    let otherwise = f.new_block();
    let rem = f.op(rest[0]).results[0];
    let mut map = HashMap::from([(rem, wrap.dividend)]);
    for &o in &rest[1..] {
        let c = deep_copy(f, o, &mut map);
        f.append_op(then, c);
    }
    for &o in &rest {
        f.append_op(otherwise, o);
    }
    for b in [then, otherwise] {
        let y = f.create_op(Opcode::Yield, &[], Attrs::new(), &[], vec![], loc);
        f.append_op(b, y);
    }
    let mut b = Builder::before(f, block, at);
    b.loc = loc;
    let lo = b.const_i32(wrap.lo as i32);
    let first = value(&mut b, Opcode::Add, &[wrap.s, lo]);
    let zero = b.const_i32(0);
    let hi = b.const_i32(wrap.hi as i32);
    let end = value(&mut b, Opcode::Add, &[wrap.s, hi]);
    let room = b.const_i32(i32::MAX - wrap.hi as i32);
    let no_overflow = b.cmp(CmpPred::Le, wrap.s, room).expect("i32 compare");
    let from_zero = b.cmp(CmpPred::Ge, first, zero).expect("i32 compare");
    let below_m = b.cmp(CmpPred::Le, end, wrap.m).expect("i32 compare");
    let both = value(&mut b, Opcode::And, &[from_zero, below_m]);
    let guard = value(&mut b, Opcode::And, &[both, no_overflow]);
    b.build_declared(
        Opcode::If,
        &[guard],
        Attrs::new(),
        &[then, otherwise],
        vec![],
    );
    version_block(f, then, depth - 1);
}
