//! Store-to-load forwarding on lowered IR: a `buf_load` that reads back what
//! an earlier `buf_store` of the same block wrote becomes the stored value.
//! After `fuse-loops`, that is how an intermediate tile chunk stays in a
//! register instead of making a round trip through local memory.
//!
//! Within one block, `buf_store B, idx, v` followed by `buf_load B, idx
//! {lanes}` is replaced by `v` when
//! - the index is the same SSA value (so the same element, whatever it is)
//!   or an equal integer constant;
//! - the load's result type equals `v`'s type (same element type and lane
//!   count: a scalar store forwards only to a scalar load, a vector store
//!   to a load of as many lanes);
//! - no op in between may write `B`: no `buf_store` to a buffer that may
//!   alias `B` ([`super::access::may_alias`], whatever its index), no
//!   region containing one, and no op with unmodelled effects (`call`).
//!   Global stores never write local memory.
//!
//! A `buf_load` also forwards to a later identical `buf_load` under the same
//! conditions (redundant-load elimination): both read the same unchanged
//! elements.
//!
//! Each block is handled on its own: what is known at a loop's or branch's
//! start is not carried into its region (a region may run many times or not
//! at all), and after such an op everything it may write is forgotten.

use super::access::{accesses_of_op, may_alias, same_int, Access};
use crate::ir::{Block, Function, Opcode, Value};
use std::collections::HashMap;

pub fn forward_stores(f: &mut Function) {
    let mut subst = HashMap::new();
    let body = f.body;
    forward_block(f, body, &mut subst);
}

/// `buf[index]` is known to hold `value` (whose type gives the lanes).
struct Known {
    buf: Value,
    index: Value,
    value: Value,
}

/// Forward within `block`, then within each region in program order.
/// `subst` maps removed loads to their replacements; operands are rewritten
/// as ops are visited, which reaches every use since uses follow
/// definitions in program order.
fn forward_block(f: &mut Function, block: Block, subst: &mut HashMap<Value, Value>) {
    let mut known: Vec<Known> = Vec::new();
    for op in f.block_ops(block).to_vec() {
        for v in f.ops[op].operands.iter_mut() {
            if let Some(&to) = subst.get(v) {
                *v = to;
            }
        }
        let d = f.op(op);
        match (d.opcode, &d.operands[..], &d.results[..]) {
            (Opcode::BufLoad, &[buf, index], &[result]) => {
                let ty = f.ty(result);
                let hit = known
                    .iter()
                    .find(|k| k.buf == buf && same_int(f, k.index, index) && f.ty(k.value) == ty);
                match hit {
                    Some(k) => {
                        subst.insert(result, k.value);
                        f.detach_op(op);
                    }
                    None => known.push(Known {
                        buf,
                        index,
                        value: result,
                    }),
                }
            }
            (Opcode::BufStore, &[buf, index, value], []) => {
                forget(f, &mut known, buf);
                known.push(Known { buf, index, value });
            }
            _ => {
                for r in d.regions.clone() {
                    forward_block(f, r, subst);
                }
                for a in accesses_of_op(f, op) {
                    match a {
                        Access::Local {
                            buf, write: true, ..
                        } => forget(f, &mut known, buf),
                        Access::Opaque { .. } => known.clear(),
                        _ => {}
                    }
                }
            }
        }
    }
}

/// Forget what is known of every buffer a write to `buf` may change.
fn forget(f: &Function, known: &mut Vec<Known>, buf: Value) {
    known.retain(|k| !may_alias(f, k.buf, buf));
}
