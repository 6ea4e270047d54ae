//! `assert` and `print`: calls into the runtime's hooks
//! ([`crate::abi::DebugHooks`]), with the Cranelift JIT's semantics
//! (`cranelift/debug.rs`), so a kernel reports the same failures and prints
//! the same records on either backend.
//!
//! Each op becomes a *debug site* ([`DebugSite`]: location, message or
//! prefix and element type) numbered in op order; the code passes the
//! site's number, so no string lives in generated code, and the runtime
//! (`runtime/debug.rs`) turns numbers back into locations whichever backend
//! made the code.
//!
//! - `assert`: if any lane of the condition is false, call
//!   [`ASSERT_FAIL`] with the instance context and the site, then return
//!   from the instance at once — the rest of the instance does not run, as
//!   on a GPU, where a failed assertion stops the kernel. The hook is
//!   declared `cold`, so LLVM lays the failure path out of the way.
//! - `print`: one call of [`PRINT`] per element, with the element's bits
//!   and its index. A scalar with index operands (lowered IR) passes those
//!   indices; a vector operand prints each lane with its lane number.
//!
//! The two symbols are declared in the module and mapped to the hooks'
//! addresses when the JIT loads it ([`map_hooks`]), never looked up with
//! `dlsym`. Ahead of time ([`super::emit`]) there is no runtime to call:
//! a kernel with either op is refused with an error naming the op and its
//! source location ([`DebugCalls::Refused`]) rather than compiled into a
//! library that would need an undocumented symbol or silently skip its
//! checks.

use super::error::LlvmError;
use super::translate::Translator;
use crate::abi::{DebugHooks, DebugSite, DebugSiteKind};
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::execution_engine::ExecutionEngine;
use inkwell::module::Module;
use inkwell::values::{BasicValueEnum, FunctionValue, InstructionOpcode as I, IntValue};
use inkwell::AddressSpace;
use persim_lang::ir::{Attr, Dtype, Op};

/// The symbol `assert` calls on failure: `void (i8* ctx, i32 site)`, the
/// runtime's [`crate::abi::AssertFailFn`].
pub(crate) const ASSERT_FAIL: &str = "persim_debug_assert_fail";
/// The symbol `print` calls per element:
/// `void (i8* ctx, i32 site, i64 bits, i32* index, i32 rank)`, the
/// runtime's [`crate::abi::PrintFn`].
pub(crate) const PRINT: &str = "persim_debug_print";

/// What `assert` and `print` compile to in one compilation.
#[derive(Clone, Copy, Debug)]
pub(crate) enum DebugCalls {
    /// Calls of the runtime's hooks, which the JIT maps in ([`map_hooks`]).
    Hooks,
    /// Nothing to call: the ops are refused, and this says why.
    Refused(&'static str),
}

/// Why a JIT compilation without hooks refuses `assert`/`print`.
pub(crate) const NO_HOOKS: &str =
    "needs the runtime's debug hooks, and none were given to `llvm::compile` \
     (launch through an `Engine`, which passes them)";

/// Why an ahead-of-time compilation refuses `assert`/`print`.
pub(crate) const AHEAD_OF_TIME: &str =
    "cannot be compiled ahead of time: a library kernel has no runtime to report \
     to; remove it from the kernel, or run the kernel on a JIT engine \
     (`Engine::llvm()`, `Engine::jit()`)";

/// Map the hook symbols the module calls to the hooks' addresses.
pub(crate) fn map_hooks(module: &Module<'_>, engine: &ExecutionEngine<'_>, hooks: DebugHooks) {
    for (name, addr) in [
        (ASSERT_FAIL, hooks.assert_fail as usize),
        (PRINT, hooks.print as usize),
    ] {
        if let Some(fv) = module.get_function(name) {
            engine.add_global_mapping(&fv, addr);
        }
    }
}

impl<'a, 'ctx> Translator<'a, 'ctx> {
    /// Number a new debug site of `op`, or refuse the op.
    fn debug_site(&mut self, op: Op, kind: DebugSiteKind) -> Result<u32, LlvmError> {
        if let DebugCalls::Refused(why) = self.debug_calls {
            let name = self.func.op(op).opcode.name();
            let user = match kind {
                DebugSiteKind::Assert { .. } => "device_assert",
                DebugSiteKind::Print { .. } => "device_print",
            };
            return Err(self.error(op, format!("`{name}` ({user}) {why}")));
        }
        let site = u32::try_from(self.debug_sites.len())
            .map_err(|_| self.error(op, "more than 2^32 debug sites in one kernel"))?;
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

    /// The declaration of a hook symbol (added on first use).
    fn hook(&self, name: &str) -> FunctionValue<'ctx> {
        if let Some(f) = self.module.get_function(name) {
            return f;
        }
        let cx = self.cx;
        let i8p = cx.i8_type().ptr_type(AddressSpace::default());
        let i32t = cx.i32_type();
        let ty = if name == ASSERT_FAIL {
            cx.void_type().fn_type(&[i8p.into(), i32t.into()], false)
        } else {
            let i32p = i32t.ptr_type(AddressSpace::default());
            cx.void_type().fn_type(
                &[
                    i8p.into(),
                    i32t.into(),
                    cx.i64_type().into(),
                    i32p.into(),
                    i32t.into(),
                ],
                false,
            )
        };
        let f = self.module.add_function(name, ty, None);
        // The hooks never unwind (the print sink's panics are caught on the
        // host side); a failed assertion is the unlikely path.
        let mut attrs = vec!["nounwind"];
        if name == ASSERT_FAIL {
            attrs.push("cold");
        }
        for a in attrs {
            let kind = Attribute::get_named_enum_kind_id(a);
            f.add_attribute(AttributeLoc::Function, cx.create_enum_attribute(kind, 0));
        }
        f
    }

    pub fn device_assert(&mut self, op: Op) -> Result<(), LlvmError> {
        let message = self.str_attr(op, "message");
        let site = self.debug_site(op, DebugSiteKind::Assert { message })?;
        let cond = self.operands(op)[0];
        if self.dtype(op, cond)? != Dtype::I1 {
            return Err(self.error(op, "the asserted condition must be i1"));
        }
        let all: IntValue<'ctx> = match self.get(op, cond)? {
            BasicValueEnum::IntValue(c) => c,
            v @ BasicValueEnum::VectorValue(_) => self
                .intrinsic("llvm.vector.reduce.and", &[v.get_type()], &[v])?
                .into_int_value(),
            _ => return Err(self.error(op, "the asserted condition must be i1")),
        };
        let (pass, fail) = (self.block("assert.pass"), self.block("assert.fail"));
        self.b.build_conditional_branch(all, pass, fail)?;
        self.b.position_at_end(fail);
        let f = self.hook(ASSERT_FAIL);
        let site = self.i32c(i64::from(site));
        self.b
            .build_call(f, &[self.ctx_ptr.into(), site.into()], "")?;
        self.b.build_return(None)?;
        self.b.position_at_end(pass);
        Ok(())
    }

    pub fn device_print(&mut self, op: Op) -> Result<(), LlvmError> {
        let prefix = self.str_attr(op, "prefix");
        let operands = self.operands(op);
        let Some((&value, indices)) = operands.split_first() else {
            let kind = DebugSiteKind::Print {
                prefix,
                dtype: None,
            };
            let site = self.debug_site(op, kind)?;
            let zero = self.cx.i64_type().const_zero();
            return self.print_call(site, zero, &[]);
        };
        let d = self.dtype(op, value)?;
        let kind = DebugSiteKind::Print {
            prefix,
            dtype: Some(d),
        };
        let site = self.debug_site(op, kind)?;
        let x = self.get(op, value)?;
        if self.func.ty(value).is_scalar() {
            let index = indices
                .iter()
                .map(|&i| self.index_i32(op, i))
                .collect::<Result<Vec<_>, _>>()?;
            let bits = self.element_bits(d, x)?;
            return self.print_call(site, bits, &index);
        }
        for k in 0..self.lanes_of(x) {
            let lane = self.lane(x, k)?;
            let bits = self.element_bits(d, lane)?;
            self.print_call(site, bits, &[self.i32c(i64::from(k))])?;
        }
        Ok(())
    }

    /// An index operand of `print` as the `i32` the hook takes.
    fn index_i32(&self, op: Op, i: persim_lang::ir::Value) -> Result<IntValue<'ctx>, LlvmError> {
        let d = self.dtype(op, i)?;
        let v = match self.get(op, i)? {
            BasicValueEnum::IntValue(v) if d.is_int() => v,
            _ => return Err(self.error(op, "`print` indices must be integer scalars")),
        };
        let i32t = self.cx.i32_type();
        Ok(match v.get_type().get_bit_width() {
            32 => v,
            w if w > 32 => self.b.build_int_truncate(v, i32t, "")?,
            _ if d.is_signed_int() => self.b.build_int_s_extend(v, i32t, "")?,
            _ => self.b.build_int_z_extend(v, i32t, "")?,
        })
    }

    /// A scalar element as the 64 bits the print hook takes (see
    /// [`crate::abi::PrintFn`]): integers sign- or zero-extended, `f16`,
    /// `bf16` and `f32` as the bits of the `f32` holding them, `f64` as
    /// its bits.
    fn element_bits(&self, d: Dtype, x: BasicValueEnum<'ctx>) -> Result<IntValue<'ctx>, LlvmError> {
        let i64t = self.cx.i64_type();
        let bits = match d {
            Dtype::I64 | Dtype::U64 => x,
            Dtype::F64 => self.bitcast(x, i64t.into())?,
            Dtype::F32 | Dtype::F16 | Dtype::BF16 => {
                let b = self.bitcast(x, self.cx.i32_type().into())?;
                self.cast_op(I::ZExt, b, i64t.into())?
            }
            d if d.is_signed_int() => self.cast_op(I::SExt, x, i64t.into())?,
            _ => self.cast_op(I::ZExt, x, i64t.into())?,
        };
        match bits {
            BasicValueEnum::IntValue(b) if b.get_type().get_bit_width() == 64 => Ok(b),
            other => Err(LlvmError::function(format!(
                "printing a {d} element held as {:?}",
                other.get_type()
            ))),
        }
    }

    /// Call the print hook with the element's `i32` index values, passed in
    /// a stack array allocated once per rank in the entry block (so a
    /// `print` in a loop does not grow the stack). The hook reads it only
    /// during the call.
    fn print_call(
        &mut self,
        site: u32,
        bits: IntValue<'ctx>,
        index: &[IntValue<'ctx>],
    ) -> Result<(), LlvmError> {
        let i32t = self.cx.i32_type();
        let ptr = if index.is_empty() {
            i32t.ptr_type(AddressSpace::default()).const_null()
        } else {
            let rank = u32::try_from(index.len())
                .map_err(|_| LlvmError::function("a `print` index of more than 2^32 dims"))?;
            let base = match self.print_index.get(&rank) {
                Some(&base) => base,
                None => {
                    let base = self.entry_alloca(i32t.into(), rank)?;
                    self.print_index.insert(rank, base);
                    base
                }
            };
            for (k, &i) in index.iter().enumerate() {
                // SAFETY (of the GEP): `k` is inside the `rank`-element array.
                let slot = unsafe { self.b.build_gep(base, &[self.i32c(k as i64)], "")? };
                self.b.build_store(slot, i)?;
            }
            base
        };
        let f = self.hook(PRINT);
        let args = [
            self.ctx_ptr.into(),
            self.i32c(i64::from(site)).into(),
            bits.into(),
            ptr.into(),
            self.i32c(index.len() as i64).into(),
        ];
        self.b.build_call(f, &args, "")?;
        Ok(())
    }
}
