//! The JIT module: host ISA, symbol registration, finalization, and the
//! ownership of the executable memory a compiled kernel lives in.

use super::error::CodegenError;
use super::libcalls::Libcall;
use crate::abi::{CheckAccessFn, DebugHooks, KernelEntry};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_jit::{JITBuilder, JITModule};
use persim_lang::front::CustomOpSource;
use std::sync::{Mutex, OnceLock};

/// The host ISA with its native features (`cranelift_native`) and
/// `opt_level=speed`, built once per process: building it costs about as
/// much as compiling a small kernel.
pub(crate) fn host_isa() -> Result<OwnedTargetIsa, CodegenError> {
    static ISA: OnceLock<Result<OwnedTargetIsa, String>> = OnceLock::new();
    ISA.get_or_init(|| {
        let mut flags = settings::builder();
        let set = |flags: &mut settings::Builder, k: &str, v: &str| {
            flags.set(k, v).map_err(|e| format!("setting {k}={v}: {e}"))
        };
        set(&mut flags, "opt_level", "speed")?;
        // cranelift-jit requires absolute, non-PIC code with far libcalls.
        set(&mut flags, "is_pic", "false")?;
        set(&mut flags, "use_colocated_libcalls", "false")?;
        let verify = if cfg!(debug_assertions) {
            "true"
        } else {
            "false"
        };
        set(&mut flags, "enable_verifier", verify)?;
        let isa = cranelift_native::builder()
            .map_err(|e| format!("unsupported host: {e}"))?
            .finish(settings::Flags::new(flags))
            .map_err(|e| format!("building the host ISA: {e}"))?;
        Ok(isa)
    })
    .clone()
    .map_err(CodegenError::function)
}

/// A fresh JIT module that resolves the math libcalls, the custom ops'
/// host references, the debug hooks (when given) and, in checked mode, the
/// access check to their host addresses.
pub(crate) fn new_module(
    check_access: Option<CheckAccessFn>,
    customs: &[&'static CustomOpSource],
    debug: Option<DebugHooks>,
) -> Result<JITModule, CodegenError> {
    let isa = host_isa()?;
    let mut builder = JITBuilder::with_isa(isa, cranelift_module::default_libcall_names());
    for lc in Libcall::MATH {
        if let Some(addr) = lc.math_address() {
            builder.symbol(lc.symbol(), addr);
        }
    }
    if let Some(check) = check_access {
        builder.symbol(Libcall::CheckAccess.symbol(), check as *const u8);
    }
    for c in customs {
        builder.symbol(super::custom::jit_symbol(c.symbol), c.host as *const u8);
    }
    if let Some(hooks) = debug {
        builder.symbol(Libcall::AssertFail.symbol(), hooks.assert_fail as *const u8);
        builder.symbol(Libcall::Print.symbol(), hooks.print as *const u8);
    }
    Ok(JITModule::new(builder))
}

/// Executable code of one kernel. Dropping it unmaps the code, so whoever
/// calls [`JitCode::entry`] must keep the `JitCode` alive meanwhile (the
/// runtime holds it in an `Arc` for the whole launch).
pub struct JitCode {
    /// The module owning the code pages; only touched again to free them.
    /// `JITModule` is `Send` but not `Sync`; the mutex makes `JitCode` `Sync`.
    module: Mutex<Option<JITModule>>,
    entry: KernelEntry,
}

impl JitCode {
    pub(crate) fn new(module: JITModule, entry: KernelEntry) -> JitCode {
        JitCode {
            module: Mutex::new(Some(module)),
            entry,
        }
    }

    /// The kernel's entry point; valid while `self` lives.
    pub fn entry(&self) -> KernelEntry {
        self.entry
    }
}

impl Drop for JitCode {
    fn drop(&mut self) {
        let module = match self.module.get_mut() {
            Ok(m) => m.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(module) = module {
            // SAFETY: no one can call `entry` any more: `&mut self` proves
            // there are no other references, and the pointer is only handed
            // out tied to a live `JitCode`.
            unsafe { module.free_memory() };
        }
    }
}

impl std::fmt::Debug for JitCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JitCode")
            .field("entry", &(self.entry as *const u8))
            .finish()
    }
}
