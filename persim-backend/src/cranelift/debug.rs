//! `assert` and `print`: calls into the runtime's hooks
//! ([`crate::abi::DebugHooks`]).
//!
//! Each op becomes a *debug site* ([`crate::abi::DebugSite`]: location, message
//! or prefix and element type); the code passes the site's number, so no
//! string lives in generated code.
//!
//! - `assert`: if any lane of the condition is false, call `assert_fail`
//!   with the instance context and the site, then return from the instance
//!   at once — the rest of the instance does not run, as on a GPU, where a
//!   failed assertion stops the kernel.
//! - `print`: one call per element, with the element's bits and its index.
//!   A scalar with index operands (lowered IR) passes those indices; a
//!   vector operand prints each lane with its lane number.

use super::error::CodegenError;
use super::libcalls::Libcall;
use super::translate::Translator;
use crate::abi::{DebugSite, DebugSiteKind};
use cranelift_codegen::ir::{
    self as cl, types, InstBuilder, MemFlagsData, StackSlotData, StackSlotKind,
};
use persim_lang::ir::{Attr, Dtype, Op};

impl Translator<'_> {
    fn debug_site(&mut self, op: Op, kind: DebugSiteKind) -> Result<u32, CodegenError> {
        if !self.has_debug_hooks {
            return Err(self.error(
                op,
                "`assert` and `print` need the runtime's debug hooks (`CompileOptions::debug`)",
            ));
        }
        let site = self.debug_sites.len() as u32;
        self.debug_sites.push(DebugSite {
            location: self.func.describe_loc(self.func.op(op).loc),
            kind,
        });
        Ok(site)
    }

    fn str_attr(&self, op: Op, key: &str) -> String {
        match self.func.op(op).attrs.get(key) {
            Some(Attr::Str(s)) => s.clone(),
            _ => String::new(),
        }
    }

    pub fn device_assert(&mut self, op: Op) -> Result<(), CodegenError> {
        let message = self.str_attr(op, "message");
        let site = self.debug_site(op, DebugSiteKind::Assert { message })?;
        let cond = self.operands(op)[0];
        let layout = self.layout_of(op, cond)?;
        let parts = self.get(op, cond)?;
        // An `i8` that is nonzero when every lane holds.
        let mut all = None;
        for p in parts {
            let ok = if layout.is_native() {
                self.fb.ins().vall_true(p)
            } else {
                p
            };
            all = Some(match all {
                None => ok,
                Some(a) => self.fb.ins().band(a, ok),
            });
        }
        let all = all.ok_or_else(|| self.error(op, "assertion of nothing"))?;
        let (pass, fail) = (self.fb.create_block(), self.fb.create_block());
        self.fb.ins().brif(all, pass, &[], fail, &[]);
        self.fb.switch_to_block(fail);
        let site = self.fb.ins().iconst(types::I32, i64::from(site));
        let ctx = self.ctx_ptr;
        self.call_void(Libcall::AssertFail, &[ctx, site])?;
        let abort = *self
            .assert_abort
            .get_or_insert_with(|| self.fb.create_block());
        self.fb.ins().jump(abort, &[]);
        self.fb.switch_to_block(pass);
        Ok(())
    }

    pub fn device_print(&mut self, op: Op) -> Result<(), CodegenError> {
        let prefix = self.str_attr(op, "prefix");
        let operands = self.operands(op).to_vec();
        let Some((&value, indices)) = operands.split_first() else {
            let site = self.debug_site(
                op,
                DebugSiteKind::Print {
                    prefix,
                    dtype: None,
                },
            )?;
            let zero = self.fb.ins().iconst(types::I64, 0);
            return self.print_call(site, zero, &[]);
        };
        let d = self.dtype(op, value)?;
        let site = self.debug_site(
            op,
            DebugSiteKind::Print {
                prefix,
                dtype: Some(d),
            },
        )?;
        let layout = self.layout_of(op, value)?;
        let parts = self.get(op, value)?;
        if self.func.ty(value).is_scalar() {
            let index = indices
                .iter()
                .map(|&i| Ok(self.get(op, i)?[0]))
                .collect::<Result<Vec<_>, CodegenError>>()?;
            let bits = element_bits(&mut self.fb, d, parts[0]);
            return self.print_call(site, bits, &index);
        }
        let lanes = self.lanes_of(&parts, layout);
        for (k, x) in lanes.into_iter().enumerate() {
            let bits = element_bits(&mut self.fb, d, x);
            let k = self.fb.ins().iconst(types::I32, k as i64);
            self.print_call(site, bits, &[k])?;
        }
        Ok(())
    }

    /// Call the print hook with the element's `i32` index values.
    fn print_call(
        &mut self,
        site: u32,
        bits: cl::Value,
        index: &[cl::Value],
    ) -> Result<(), CodegenError> {
        let ptr = if index.is_empty() {
            self.fb.ins().iconst(types::I64, 0)
        } else {
            let slot = self.fb.create_sized_stack_slot(StackSlotData::new(
                StackSlotKind::ExplicitSlot,
                4 * index.len() as u32,
                2,
            ));
            for (k, &i) in index.iter().enumerate() {
                self.fb.ins().stack_store(types::I64, i, slot, 4 * k as i32);
            }
            self.fb.ins().stack_addr(types::I64, slot, 0)
        };
        let site = self.fb.ins().iconst(types::I32, i64::from(site));
        let rank = self.fb.ins().iconst(types::I32, index.len() as i64);
        let ctx = self.ctx_ptr;
        self.call_void(Libcall::Print, &[ctx, site, bits, ptr, rank])
    }
}

/// A scalar element as the 64 bits the print hook takes (see
/// [`crate::abi::PrintFn`]).
fn element_bits(fb: &mut cranelift_frontend::FunctionBuilder, d: Dtype, x: cl::Value) -> cl::Value {
    match d {
        Dtype::I64 | Dtype::U64 => x,
        Dtype::F64 => fb.ins().bitcast(types::I64, MemFlagsData::new(), x),
        Dtype::F32 | Dtype::F16 | Dtype::BF16 => {
            let b = fb.ins().bitcast(types::I32, MemFlagsData::new(), x);
            fb.ins().uextend(types::I64, b)
        }
        d if d.is_signed_int() => fb.ins().sextend(types::I64, x),
        _ => fb.ins().uextend(types::I64, x),
    }
}
