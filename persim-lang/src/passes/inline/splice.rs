//! Replacing one `call` by a copy of its callee's body.
//!
//! The callee's ops are copied in program order just before the call, with
//! the callee's parameters replaced by the call's operands; the values its
//! `return` passes replace the call's results, and the call goes away.
//! Copied ops keep their own source locations (the device function's lines,
//! so diagnostics and checked mode point into the function that holds the
//! faulty code), re-indexed into the caller's file table.
//!
//! A `load`/`store` of the callee names in `arg` the callee parameter its
//! pointers derive from. In the caller that parameter is the call's operand,
//! so `arg` becomes the caller parameter that operand derives from
//! ([`pointer_root`]), or is dropped when it derives from no single one
//! (`arg` is optional: only checked mode's messages use it).

use crate::ir::{Attr, Block, Function, Loc, Op, Opcode, Value, ValueDef};
use std::collections::HashMap;

/// Inline `callee` at `call` (a `call` op of `caller` whose operands and
/// results match `callee`'s signature, as `verify_module` checks).
pub(super) fn inline_call(caller: &mut Function, call: Op, callee: &Function) {
    let block = caller
        .op(call)
        .parent
        .expect("a call reachable from the body");
    let mut at = caller.blocks[block]
        .ops
        .iter()
        .position(|&o| o == call)
        .expect("an op is listed in its parent block");
    let operands = caller.op(call).operands.clone();
    let roots: Vec<Option<u32>> = operands.iter().map(|&v| pointer_root(caller, v)).collect();
    let files: Vec<u32> = callee
        .files
        .iter()
        .map(|name| caller.file_index(name))
        .collect();
    let mut copier = Copier {
        caller,
        callee,
        values: HashMap::new(),
        files,
        roots,
    };
    for (&param, &arg) in callee.block_args(callee.body).iter().zip(&operands) {
        copier.values.insert(param, arg);
    }
    let body = callee.block_ops(callee.body);
    let (&ret, ops) = body
        .split_last()
        .expect("a verified body ends with `return`");
    for &op in ops {
        let copy = copier.copy_op(op);
        copier.caller.insert_op(block, at, copy);
        at += 1;
    }
    let returned: Vec<Value> = callee
        .op(ret)
        .operands
        .iter()
        .map(|v| copier.values[v])
        .collect();
    let results = caller.op(call).results.clone();
    caller.detach_op(call);
    for (&r, &v) in results.iter().zip(&returned) {
        caller.replace_uses(r, v);
    }
}

/// Copies ops of the callee into the caller.
struct Copier<'a> {
    caller: &'a mut Function,
    callee: &'a Function,
    /// Callee value → caller value.
    values: HashMap<Value, Value>,
    /// Callee file index → caller file index.
    files: Vec<u32>,
    /// For each callee parameter: the caller parameter its operand derives
    /// from, for `arg` attributes.
    roots: Vec<Option<u32>>,
}

impl Copier<'_> {
    /// A detached copy of `op` (regions included); its results are mapped.
    fn copy_op(&mut self, op: Op) -> Op {
        let data = self.callee.op(op);
        let regions: Vec<Block> = data.regions.iter().map(|&r| self.copy_block(r)).collect();
        let operands: Vec<Value> = data.operands.iter().map(|v| self.values[v]).collect();
        let mut attrs = data.attrs.clone();
        if matches!(data.opcode, Opcode::Load | Opcode::Store) {
            let root = attrs
                .int("arg")
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| self.roots.get(i).copied().flatten());
            attrs.0.retain(|(k, _)| *k != "arg");
            if let Some(p) = root {
                attrs.set("arg", Attr::Int(i64::from(p)));
            }
        }
        let types = data
            .results
            .iter()
            .map(|&r| self.callee.ty(r).clone())
            .collect();
        let loc = self.loc(data.loc);
        let copy = self
            .caller
            .create_op(data.opcode, &operands, attrs, &regions, types, loc);
        for (&from, &to) in data.results.iter().zip(&self.caller.op(copy).results) {
            self.values.insert(from, to);
        }
        copy
    }

    /// A copy of a region block, its arguments mapped.
    fn copy_block(&mut self, block: Block) -> Block {
        let copy = self.caller.new_block();
        for &arg in self.callee.block_args(block) {
            let ty = self.callee.ty(arg).clone();
            let v = self.caller.add_block_arg(copy, ty);
            self.values.insert(arg, v);
        }
        for &op in self.callee.block_ops(block) {
            let c = self.copy_op(op);
            self.caller.append_op(copy, c);
        }
        copy
    }

    fn loc(&self, loc: Loc) -> Loc {
        match self.files.get(loc.file as usize) {
            Some(&file) if loc.is_known() => Loc { file, ..loc },
            _ => Loc::UNKNOWN,
        }
    }
}

/// The parameter of `f` every pointer of `v` derives from, following the
/// ops that move pointers around without mixing them: the base of
/// `ptr_add`, `splat`, `broadcast`, `expand_dims`, `reshape`, `trans`, and
/// `select` when both arms agree. `None` for anything else (loop-carried
/// pointers, call results), which only costs checked mode the argument's
/// name.
fn pointer_root(f: &Function, v: Value) -> Option<u32> {
    let mut v = v;
    loop {
        match f.values[v].def {
            ValueDef::Arg(b, i) if b == f.body => return Some(i),
            ValueDef::Arg(..) => return None,
            ValueDef::Result(op, _) => {
                let data = f.op(op);
                match data.opcode {
                    Opcode::PtrAdd
                    | Opcode::Splat
                    | Opcode::Broadcast
                    | Opcode::ExpandDims
                    | Opcode::Reshape
                    | Opcode::Trans => v = data.operands[0],
                    Opcode::Select => {
                        let a = pointer_root(f, data.operands[1])?;
                        let b = pointer_root(f, data.operands[2])?;
                        return (a == b).then_some(a);
                    }
                    _ => return None,
                }
            }
        }
    }
}
