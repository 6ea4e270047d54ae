//! `custom` ops: a call of the op's function per lane.
//!
//! The call names the op's library `symbol`. Ahead of time (objects, the
//! kernel library) the linker resolves it against the user's
//! implementation, as the op's registration promises. In the JIT, `compile`
//! maps each such declaration to the registration's host reference before
//! the code is finalized ([`map_custom_ops`]), after checking that the
//! registration exists and has the signature the kernel calls: a symbol
//! never resolves to an unrelated function of the process.

use super::error::LlvmError;
use super::translate::Translator;
use inkwell::execution_engine::ExecutionEngine;
use inkwell::module::Module;
use inkwell::types::{BasicType, BasicTypeEnum};
use inkwell::values::BasicValueEnum;
use persim_lang::front::CustomOpSource;
use persim_lang::ir::{Attr, Dtype, Elem, Function, Op, Opcode};

/// Element types a custom op may take and return (those with one
/// unambiguous C ABI register class), as on the Cranelift JIT.
fn abi_ok(d: Dtype) -> bool {
    matches!(
        d,
        Dtype::I32 | Dtype::I64 | Dtype::U32 | Dtype::U64 | Dtype::F32 | Dtype::F64
    )
}

impl<'a, 'ctx> Translator<'a, 'ctx> {
    pub fn custom(&mut self, op: Op) -> Result<(), LlvmError> {
        let data = self.func.op(op);
        let (name, symbol) = match (data.attrs.get("name"), data.attrs.get("symbol")) {
            (Some(Attr::Str(n)), Some(Attr::Str(s))) => (n.clone(), s.clone()),
            _ => return Err(self.error(op, "`custom` without `name` and `symbol`")),
        };
        let ret = data
            .attrs
            .dtype("ret")
            .ok_or_else(|| self.error(op, "missing dtype attribute `ret`"))?;
        let operands = self.operands(op).to_vec();
        let params = operands
            .iter()
            .map(|&v| self.dtype(op, v))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(d) = params.iter().chain([&ret]).find(|d| !abi_ok(**d)) {
            return Err(self.error(
                op,
                format!("custom op `{name}`: type {d} has no host calling convention here"),
            ));
        }
        let ty = |d: Dtype| -> BasicTypeEnum<'ctx> { self.scalar_type(Elem::Val(d)) };
        let f = match self.module.get_function(&symbol) {
            Some(f) => f,
            None => {
                let args: Vec<_> = params.iter().map(|&d| ty(d).into()).collect();
                self.module
                    .add_function(&symbol, ty(ret).fn_type(&args, false), None)
            }
        };
        let values = operands
            .iter()
            .map(|&v| self.get(op, v))
            .collect::<Result<Vec<_>, _>>()?;
        let call = |args: &[BasicValueEnum<'ctx>]| -> Result<BasicValueEnum<'ctx>, LlvmError> {
            let args: Vec<_> = args.iter().map(|&a| a.into()).collect();
            self.b
                .build_call(f, &args, "")?
                .try_as_basic_value()
                .basic()
                .ok_or_else(|| LlvmError::function(format!("{symbol} returns nothing")))
        };
        let v = match values.iter().find(|v| v.is_vector_value()) {
            None => call(&values)?,
            Some(&shape) => {
                let lanes = self.lanes_of(shape);
                let mut out: Option<BasicValueEnum<'ctx>> = None;
                let result_ty = self.type_of(op, self.result(op)?)?;
                for i in 0..lanes {
                    let lane_args = values
                        .iter()
                        .map(|&v| {
                            if v.is_vector_value() {
                                self.lane(v, i)
                            } else {
                                Ok(v)
                            }
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    let r = call(&lane_args)?;
                    let acc = match out {
                        Some(acc) => acc,
                        None => result_ty.const_zero(),
                    };
                    out = Some(self.with_lane(acc, r, i)?);
                }
                out.ok_or_else(|| self.error(op, "a vector of no lanes"))?
            }
        };
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }
}

/// Map every custom op `f` calls to its registration's host reference in
/// the JIT `engine`; an op without a registration of the same signature is
/// an error naming it.
pub(crate) fn map_custom_ops(
    f: &Function,
    module: &Module<'_>,
    engine: &ExecutionEngine<'_>,
    customs: &[&'static CustomOpSource],
) -> Result<(), LlvmError> {
    for (_, data) in f.ops.iter() {
        if data.opcode != Opcode::Custom {
            continue;
        }
        let Some(Attr::Str(symbol)) = data.attrs.get("symbol") else {
            continue;
        };
        let params: Vec<Dtype> = data
            .operands
            .iter()
            .filter_map(|&v| f.ty(v).dtype())
            .collect();
        let ret = data.attrs.dtype("ret");
        let reg = customs.iter().find(|c| c.symbol == symbol).ok_or_else(|| {
            LlvmError::function(format!(
                "custom op symbol `{symbol}` is not registered with this compilation; \
                     kernels from `#[persim::kernel]` register the ops they call"
            ))
        })?;
        if reg.params != params.as_slice() || Some(reg.ret) != ret {
            return Err(LlvmError::function(format!(
                "custom op `{}` is called with another signature than its registration at {}:{}:{}",
                reg.name, reg.file, reg.line, reg.col
            )));
        }
        if let Some(fv) = module.get_function(symbol) {
            engine.add_global_mapping(&fv, reg.host as usize);
        }
    }
    Ok(())
}
