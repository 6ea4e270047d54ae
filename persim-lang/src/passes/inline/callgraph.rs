//! The call graph of a module: which function calls which, in what order to
//! inline (callees before callers), and the call that closes a cycle when
//! the graph has one.

use super::InlineError;
use crate::ir::{Attr, Function, Module, Op, Opcode};
use std::collections::HashMap;

/// The `call` ops of `f` (in program order, nested regions included) with
/// their callee names.
pub(super) fn calls(f: &Function) -> Vec<(Op, String)> {
    f.all_ops()
        .into_iter()
        .filter_map(|op| {
            let data = f.op(op);
            match (data.opcode, data.attrs.get("callee")) {
                (Opcode::Call, Some(Attr::Str(name))) => Some((op, name.clone())),
                _ => None,
            }
        })
        .collect()
}

/// Visit state of the depth-first walk.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// On the current path: reaching it again closes a cycle.
    Active,
    Done,
}

/// Function indices of `m` ordered so that every function comes after all
/// the functions it calls; a cycle of calls is an error located at the call
/// that closes it (the first such call in module and program order).
pub(super) fn bottom_up(m: &Module) -> Result<Vec<usize>, InlineError> {
    let index: HashMap<&str, usize> = m
        .funcs
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<(Op, usize)>> = m
        .funcs
        .iter()
        .map(|f| {
            calls(f)
                .into_iter()
                .filter_map(|(op, name)| index.get(name.as_str()).map(|&j| (op, j)))
                .collect()
        })
        .collect();
    let mut marks: Vec<Option<Mark>> = vec![None; m.funcs.len()];
    let mut order = Vec::with_capacity(m.funcs.len());
    // Explicit stack of (function, next edge), so deep call chains cannot
    // overflow the native stack.
    for root in 0..m.funcs.len() {
        if marks[root].is_some() {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        marks[root] = Some(Mark::Active);
        while let Some(top) = path.last_mut() {
            let (f, next) = *top;
            let Some(&(op, g)) = edges[f].get(next) else {
                marks[f] = Some(Mark::Done);
                order.push(f);
                path.pop();
                continue;
            };
            top.1 += 1;
            match marks[g] {
                Some(Mark::Done) => {}
                Some(Mark::Active) => {
                    let start = path.iter().position(|&(h, _)| h == g).unwrap_or(0);
                    let cycle: Vec<usize> = path[start..].iter().map(|&(h, _)| h).collect();
                    return Err(recursion(m, &cycle, f, op, g));
                }
                None => {
                    marks[g] = Some(Mark::Active);
                    path.push((g, 0));
                }
            }
        }
    }
    Ok(order)
}

/// The error for the call `op` in `caller` back to `callee`, which is on the
/// path `cycle` (from `callee` to `caller`).
fn recursion(m: &Module, cycle: &[usize], caller: usize, op: Op, callee: usize) -> InlineError {
    let f = &m.funcs[caller];
    let mut names: Vec<String> = cycle
        .iter()
        .map(|&i| format!("`@{}`", m.funcs[i].name))
        .collect();
    names.push(format!("`@{}`", m.funcs[callee].name));
    let what = if cycle.len() == 1 {
        format!("`@{}` calls itself", f.name)
    } else {
        format!("the calls {} form a cycle", names.join(" -> "))
    };
    InlineError {
        message: format!(
            "recursive call: {what}; device functions are inlined into their callers, so they cannot recurse"
        ),
        location: f.describe_loc(f.op(op).loc),
        function: f.name.clone(),
    }
}
