//! `verify_module`: each function on its own, then the calls between them
//! (M1–M3 of the module docs).

use super::{type_list, Report, VerifyError};
use crate::ir::attrs::Attr;
use crate::ir::function::{FuncKind, Function, Module};
use crate::ir::opcodes::Opcode;
use crate::ir::types::Type;
use std::collections::HashMap;

/// Checks [`verify`](super::verify) on every function, distinct names, and
/// that every `call` matches its callee's signature.
pub fn verify_module(m: &Module) -> Result<(), VerifyError> {
    let mut by_name: HashMap<&str, &Function> = HashMap::new();
    for f in &m.funcs {
        super::verify(f)?;
        if by_name.insert(&f.name, f).is_some() {
            return Err(Report::new(f)
                .at_function(format!("the module defines `@{}` more than once", f.name)));
        }
    }
    for f in &m.funcs {
        let report = Report::new(f);
        for op in f.all_ops() {
            let data = f.op(op);
            if data.opcode != Opcode::Call {
                continue;
            }
            let Some(Attr::Str(name)) = data.attrs.get("callee") else {
                unreachable!("`verify` checked that `callee` is a string (invariant 11)")
            };
            let err = |message: String| report.at_op(op, message);
            let Some(callee) = by_name.get(name.as_str()) else {
                return Err(err(format!(
                    "`call` of `@{name}`, which the module does not define"
                )));
            };
            if callee.kind != FuncKind::Device {
                return Err(err(format!(
                    "`call` of kernel `@{name}`; only device functions can be called"
                )));
            }
            let operands: Vec<&Type> = data.operands.iter().map(|&v| f.ty(v)).collect();
            let params: Vec<&Type> = callee.params.iter().map(|p| &p.ty).collect();
            if operands != params {
                return Err(err(format!(
                    "`call` passes {} but `@{name}` takes {}",
                    type_list(operands),
                    type_list(params)
                )));
            }
            let results: Vec<&Type> = data.results.iter().map(|&v| f.ty(v)).collect();
            if !results.iter().copied().eq(callee.results.iter()) {
                return Err(err(format!(
                    "`call` results are {} but `@{name}` returns {}",
                    type_list(results),
                    type_list(&callee.results)
                )));
            }
        }
    }
    Ok(())
}
