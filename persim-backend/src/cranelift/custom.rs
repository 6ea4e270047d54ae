//! `custom` ops: a call of the registered host reference per lane.
//!
//! Each registration's host function is given to the JIT builder under a
//! name of persim's own ([`jit_symbol`]) rather than the library symbol, so
//! a user's symbol can neither shadow persim's libcalls nor resolve to an
//! unrelated process symbol. The library symbol stays on the op for the
//! ahead-of-time backends, which link it.

use super::error::CodegenError;
use super::layout::dtype_lane;
use super::translate::Translator;
use cranelift_codegen::ir::{AbiParam, InstBuilder, Signature};
use persim_lang::ir::{Attr, Dtype, Op};

/// The JIT-internal name of custom op `symbol`'s host reference.
pub(crate) fn jit_symbol(symbol: &str) -> String {
    format!("persim_custom_{symbol}")
}

/// Element types a custom op may take and return (those with one
/// unambiguous C ABI register class).
fn abi_ok(d: Dtype) -> bool {
    matches!(
        d,
        Dtype::I32 | Dtype::I64 | Dtype::U32 | Dtype::U64 | Dtype::F32 | Dtype::F64
    )
}

impl Translator<'_> {
    pub fn custom(&mut self, op: Op) -> Result<(), CodegenError> {
        let data = self.func.op(op);
        let text = |key: &str| match data.attrs.get(key) {
            Some(Attr::Str(s)) => Ok(s.clone()),
            _ => Err(self.error(op, format!("missing string attribute `{key}`"))),
        };
        let (name, symbol) = (text("name")?, text("symbol")?);
        let ret = data
            .attrs
            .dtype("ret")
            .ok_or_else(|| self.error(op, "missing dtype attribute `ret`"))?;
        let operands = self.operands(op).to_vec();
        let params = operands
            .iter()
            .map(|&v| self.dtype(op, v))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(reg) = self.customs.iter().find(|c| c.symbol == symbol) else {
            return Err(self.error(
                op,
                format!(
                    "custom op `{name}` (symbol `{symbol}`) is not registered with this \
                     compilation; kernels from `#[persim::kernel]` register the ops they call"
                ),
            ));
        };
        if reg.params != params.as_slice() || reg.ret != ret {
            return Err(self.error(
                op,
                format!(
                    "custom op `{name}` is called as ({}) -> {ret}, but its registration at \
                     {}:{}:{} is ({}) -> {}",
                    names(&params),
                    reg.file,
                    reg.line,
                    reg.col,
                    names(reg.params),
                    reg.ret
                ),
            ));
        }
        if let Some(d) = params.iter().chain([&ret]).find(|d| !abi_ok(**d)) {
            return Err(self.error(
                op,
                format!("custom op `{name}`: type {d} has no host calling convention here"),
            ));
        }
        let callee = match self.custom_refs.get(&symbol) {
            Some(&r) => r,
            None => {
                let mut sig = Signature::new(self.call_conv());
                sig.params
                    .extend(params.iter().map(|&d| AbiParam::new(dtype_lane(d))));
                sig.returns.push(AbiParam::new(dtype_lane(ret)));
                let r = self.import(&jit_symbol(&symbol), &sig)?;
                self.custom_refs.insert(symbol, r);
                r
            }
        };
        let result = self.result(op)?;
        self.map_elementwise(op, &operands, result, false, |t, args| {
            let call = t.fb.ins().call(callee, args);
            Ok(t.fb.inst_results(call)[0])
        })
    }
}

fn names(ds: &[Dtype]) -> String {
    ds.iter().map(|d| d.name()).collect::<Vec<_>>().join(", ")
}
