//! Ownership of JIT-compiled code: the LLVM context, the module and the
//! MCJIT execution engine that maps the machine code, kept together for as
//! long as anyone may call the kernel.

use crate::abi::KernelEntry;
use inkwell::context::Context;
use inkwell::execution_engine::ExecutionEngine;
use inkwell::module::Module;
use std::sync::Mutex;

/// The LLVM objects behind one kernel's code. Their lifetimes are tied to
/// the boxed context, which this struct owns: the `'static` is a lie told
/// to the type system, made true by dropping the engine and module before
/// the context (fields drop in declaration order).
struct Owned {
    engine: ExecutionEngine<'static>,
    module: Module<'static>,
    context: Box<Context>,
}

/// Executable code of one kernel. Dropping it unmaps the code, so whoever
/// calls [`LlvmCode::entry`] must keep the `LlvmCode` alive meanwhile (the
/// runtime holds it in an `Arc` for the whole launch).
pub struct LlvmCode {
    /// Only touched again to free the code. The LLVM objects are not
    /// thread-safe (`Rc` inside), the mutex makes `LlvmCode` `Sync`.
    owned: Mutex<Option<Owned>>,
    entry: KernelEntry,
}

// SAFETY: the LLVM objects are only used on one thread at a time (behind
// the mutex, and only to be dropped); their `Rc`s are never cloned after
// construction. The entry point is plain machine code, callable from any
// thread.
unsafe impl Send for LlvmCode {}
// SAFETY: as above; `&LlvmCode` only exposes `entry`.
unsafe impl Sync for LlvmCode {}

impl LlvmCode {
    /// # Safety
    /// `module` and `engine` must come from `context`, and `entry` must be
    /// the address of a function with the kernel ABI inside `engine`.
    pub(crate) unsafe fn new(
        context: Box<Context>,
        module: Module<'_>,
        engine: ExecutionEngine<'_>,
        entry: KernelEntry,
    ) -> LlvmCode {
        // SAFETY: both borrow `*context`, which lives (boxed, never moved)
        // until after they are dropped; see `Owned`.
        let (module, engine) = unsafe {
            (
                std::mem::transmute::<Module<'_>, Module<'static>>(module),
                std::mem::transmute::<ExecutionEngine<'_>, ExecutionEngine<'static>>(engine),
            )
        };
        LlvmCode {
            owned: Mutex::new(Some(Owned {
                engine,
                module,
                context,
            })),
            entry,
        }
    }

    /// The kernel's entry point; valid while `self` lives.
    pub fn entry(&self) -> KernelEntry {
        self.entry
    }
}

impl Drop for LlvmCode {
    fn drop(&mut self) {
        let owned = match self.owned.get_mut() {
            Ok(o) => o.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(Owned {
            engine,
            module,
            context,
        }) = owned
        {
            // The engine owns the module's code; both go before the context.
            drop(engine);
            drop(module);
            drop(context);
        }
    }
}

impl std::fmt::Debug for LlvmCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlvmCode")
            .field("entry", &(self.entry as *const u8))
            .finish()
    }
}
