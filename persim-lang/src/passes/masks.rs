//! Mask analysis: integer comparisons that [`super::ranges`] decides for every
//! element become constants, so canonicalization can drop all-true masks
//! from loads and stores and delete accesses under all-false ones.

use super::canonicalize::materialize;
use super::ranges::{decide, Ranges};
use crate::interp::value::Scalar;
use crate::ir::{Function, Opcode};

pub fn prove_masks(f: &mut Function) {
    let ranges = Ranges::analyze(f);
    for op in f.all_ops() {
        if f.op(op).opcode != Opcode::Cmp {
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
