//! Dead-code elimination: remove ops whose results are unused and that have
//! no side effects (see [`super::effects`]), including whole `for`/`if`/
//! `while` ops whose regions only compute unused values. Runs to a fixpoint,
//! so chains of dead ops disappear in one pass.

use super::effects::has_side_effects;
use crate::ir::{Function, Op, Value};
use std::collections::HashSet;

pub fn dce(f: &mut Function) {
    loop {
        let used = used_values(f);
        let dead: Vec<Op> = f
            .all_ops()
            .into_iter()
            .filter(|&op| {
                let data = f.op(op);
                !has_side_effects(f, op) && data.results.iter().all(|r| !used.contains(r))
            })
            .collect();
        if dead.is_empty() {
            return;
        }
        for op in dead {
            f.detach_op(op);
        }
    }
}

fn used_values(f: &Function) -> HashSet<Value> {
    let mut used = HashSet::new();
    f.walk(f.body, &mut |op| {
        used.extend(f.op(op).operands.iter().copied())
    });
    used
}
