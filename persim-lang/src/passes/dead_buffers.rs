//! Dead-buffer elimination on lowered IR: a local buffer that nothing reads
//! is deleted with every store into it, and the function's `local_mem`
//! shrinks to what the remaining buffers need. After `fuse-loops` and
//! `forward-stores`, this is what removes the buffers that only carried
//! intermediate tiles between loops; DCE then removes the computations that
//! fed their stores.
//!
//! An `alloc` is dead when its buffer
//! - is never the buffer operand of a `buf_load`, anywhere in the function;
//! - is used in no other way than as the buffer of a `buf_store` or a
//!   `copy_gather` (a buffer passed to a loop, a branch or a call escapes
//!   analysis and is kept);
//! - overlaps no live buffer in local memory (packed buffers may share
//!   bytes; stores into one could then be read through the other).
//!
//! If any `buf_load` reads a buffer that is not an `alloc` result (a block
//! argument), it could be reading any buffer, and nothing is removed.
//!
//! `local_mem` becomes the end of the last remaining buffer
//! (`max(offset + len · elem size)`, 0 without buffers). The lowering sets
//! it the same way: buffer *offsets* are aligned, the total is not rounded.
//! Offsets are left alone; compacting them is a buffer packer's job.

use super::access::{buffer_bytes, may_alias};
use crate::ir::{Attr, Function, Op, Opcode, Value};
use std::collections::HashSet;

pub fn dead_buffers(f: &mut Function) {
    let ops = f.all_ops();
    let allocs: Vec<(Op, Value)> = ops
        .iter()
        .filter(|&&op| f.op(op).opcode == Opcode::Alloc)
        .filter_map(|&op| Some((op, *f.op(op).results.first()?)))
        .collect();
    let Some(live) = live_buffers(f, &ops) else {
        return;
    };
    let dead: HashSet<Value> = allocs
        .iter()
        .map(|&(_, b)| b)
        .filter(|b| !live.contains(b) && !live.iter().any(|&l| may_alias(f, *b, l)))
        .collect();
    if dead.is_empty() {
        return;
    }
    for &op in &ops {
        let d = f.op(op);
        if writes_only(d.opcode) && d.operands.first().is_some_and(|b| dead.contains(b)) {
            f.detach_op(op);
        }
    }
    let mut remaining = Vec::new();
    for &(op, b) in &allocs {
        if dead.contains(&b) {
            f.detach_op(op);
        } else {
            remaining.push(b);
        }
    }
    recompute_local_mem(f, &remaining);
}

/// Ops that only write their first operand's buffer: `buf_store`, and
/// `copy_gather` (whose global read has no other effect than the value).
fn writes_only(op: Opcode) -> bool {
    matches!(op, Opcode::BufStore | Opcode::CopyGather)
}

/// Buffers that are read or escape, or `None` if some read cannot be traced
/// to an `alloc`.
fn live_buffers(f: &Function, ops: &[Op]) -> Option<HashSet<Value>> {
    let mut live = HashSet::new();
    for &op in ops {
        let d = f.op(op);
        for (k, &v) in d.operands.iter().enumerate() {
            if !f.ty(v).is_buf() || (writes_only(d.opcode) && k == 0) {
                continue;
            }
            let from_alloc = f.def_op(v).is_some_and(|o| f.op(o).opcode == Opcode::Alloc);
            if !from_alloc {
                return None;
            }
            live.insert(v);
        }
    }
    Some(live)
}

/// Set `local_mem` (if the function has it) to the end of the last of
/// `buffers`; left unchanged if some buffer's extent is unknown.
fn recompute_local_mem(f: &mut Function, buffers: &[Value]) {
    if f.attrs.get("local_mem").is_none() {
        return;
    }
    let mut end = 0u64;
    for &b in buffers {
        match buffer_bytes(f, b) {
            Some((_, e)) => end = end.max(e),
            None => return,
        }
    }
    if let Ok(end) = i64::try_from(end) {
        f.attrs.set("local_mem", Attr::Int(end));
    }
}
