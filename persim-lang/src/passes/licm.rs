//! Loop-invariant code motion: movable ops (see [`super::effects`]) in the
//! top level of a `for` or `while` body whose operands are all defined outside
//! the loop move to just before the loop. Inner loops are processed first, so
//! an op climbs as many loops as it is invariant in. Hoisting is safe even for
//! loops that run zero times because movable ops never trap (integer division
//! by zero is defined not to trap in persim's IR).

use super::effects::is_movable;
use crate::ir::{Block, Function, Op, Opcode, Value};
use std::collections::HashSet;

pub fn licm(f: &mut Function) {
    let loops: Vec<Op> = post_order_loops(f);
    for lp in loops {
        hoist_from(f, lp);
    }
}

fn post_order_loops(f: &Function) -> Vec<Op> {
    fn visit(f: &Function, block: Block, out: &mut Vec<Op>) {
        for &op in f.block_ops(block) {
            for &r in &f.op(op).regions {
                visit(f, r, out);
            }
            if matches!(f.op(op).opcode, Opcode::For | Opcode::While) {
                out.push(op);
            }
        }
    }
    let mut out = Vec::new();
    visit(f, f.body, &mut out);
    out
}

fn hoist_from(f: &mut Function, lp: Op) {
    let Some(parent) = f.op(lp).parent else {
        return;
    };
    let mut inside: HashSet<Value> = HashSet::new();
    for &r in &f.op(lp).regions {
        collect_defs(f, r, &mut inside);
    }
    for r in f.op(lp).regions.clone() {
        for op in f.block_ops(r).to_vec() {
            let invariant =
                is_movable(f, op) && f.op(op).operands.iter().all(|v| !inside.contains(v));
            if !invariant {
                continue;
            }
            f.detach_op(op);
            let at = f
                .block_ops(parent)
                .iter()
                .position(|&o| o == lp)
                .expect("loop sits in its parent block");
            f.insert_op(parent, at, op);
            for r in f.op(op).results.clone() {
                inside.remove(&r);
            }
        }
    }
}

fn collect_defs(f: &Function, block: Block, out: &mut HashSet<Value>) {
    out.extend(f.block_args(block).iter().copied());
    for &op in f.block_ops(block) {
        out.extend(f.op(op).results.iter().copied());
        for &r in &f.op(op).regions {
            collect_defs(f, r, out);
        }
    }
}
