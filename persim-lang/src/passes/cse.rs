//! Common-subexpression elimination over structured control flow: an op that
//! repeats a movable op (same opcode, operands, attributes and result types)
//! visible in the same or an enclosing block is replaced by the earlier one.
//! Scoping follows the IR's dominance: values of an inner region are not
//! reused after that region.

use super::effects::is_movable;
use crate::ir::{Block, Function, Op, Value};
use std::collections::HashMap;

type Key = String;

pub fn cse(f: &mut Function) {
    let mut scopes: Vec<HashMap<Key, Op>> = Vec::new();
    let mut subst: HashMap<Value, Value> = HashMap::new();
    let body = f.body;
    cse_block(f, body, &mut scopes, &mut subst);
}

fn cse_block(
    f: &mut Function,
    block: Block,
    scopes: &mut Vec<HashMap<Key, Op>>,
    subst: &mut HashMap<Value, Value>,
) {
    scopes.push(HashMap::new());
    for op in f.block_ops(block).to_vec() {
        for v in f.ops[op].operands.iter_mut() {
            if let Some(&to) = subst.get(v) {
                *v = to;
            }
        }
        if is_movable(f, op) {
            let key = key_of(f, op);
            let earlier = scopes.iter().rev().find_map(|s| s.get(&key)).copied();
            match earlier {
                Some(prev) => {
                    let pairs: Vec<(Value, Value)> = f.ops[op]
                        .results
                        .iter()
                        .copied()
                        .zip(f.ops[prev].results.iter().copied())
                        .collect();
                    subst.extend(pairs);
                    f.detach_op(op);
                    continue;
                }
                None => {
                    scopes
                        .last_mut()
                        .expect("scope pushed above")
                        .insert(key, op);
                }
            }
        }
        for r in f.op(op).regions.clone() {
            cse_block(f, r, scopes, subst);
        }
    }
    scopes.pop();
}

fn key_of(f: &Function, op: Op) -> Key {
    let d = f.op(op);
    let types: Vec<String> = d.results.iter().map(|&r| f.ty(r).to_string()).collect();
    format!("{:?}|{:?}|{:?}|{:?}", d.opcode, d.operands, d.attrs, types)
}
