//! Mask analysis: integer comparisons that [`super::ranges`] decides for every
//! element become constants, so canonicalization can drop all-true masks
//! from loads and stores and delete accesses under all-false ones. The
//! comparisons an `assume` states are kept (see [`assumed_conditions`]).

use super::canonicalize::materialize;
use super::ranges::{decide, Ranges};
use crate::interp::value::Scalar;
use crate::ir::{Function, Op, Opcode};
use std::collections::HashSet;

pub fn prove_masks(f: &mut Function) {
    let ranges = Ranges::analyze(f);
    let facts = assumed_conditions(f);
    for op in f.all_ops() {
        if f.op(op).opcode != Opcode::Cmp || facts.contains(&op) {
            continue;
        }
        if let Some(b) = decide(f, &ranges, op) {
            let result = f.op(op).results[0];
            let ty = f.ty(result).clone();
            let c = materialize(f, op, Scalar::Int(b as i128), ty);
            f.replace_uses(result, c);
            f.detach_op(op);
        }
    }
}

/// The comparisons `assume`s state (directly or under `and`). They are
/// facts the range analysis is built on, so deciding them from those same
/// facts would only erase the facts for later passes: they stay.
fn assumed_conditions(f: &Function) -> HashSet<Op> {
    let mut out = HashSet::new();
    for op in f.all_ops() {
        if f.op(op).opcode != Opcode::Assume {
            continue;
        }
        let mut conds = vec![f.op(op).operands[0]];
        while let Some(c) = conds.pop() {
            let Some(def) = f.def_op(c) else { continue };
            match f.op(def).opcode {
                Opcode::Cmp => {
                    out.insert(def);
                }
                Opcode::And => conds.extend(f.op(def).operands.iter().copied()),
                _ => {}
            }
        }
    }
    out
}
