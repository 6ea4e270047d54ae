//! The backends an [`super::Engine`] can compile with, behind one
//! interface: a lowered function in, callable instance code out (plus what
//! launching it needs), kept alive by the returned [`NativeCode`].
//!
//! Both backends produce code with the same kernel ABI
//! ([`crate::abi::KernelEntry`]), so everything after compilation — grid
//! launch, the thread pool, local memory — is shared.

use crate::abi::KernelEntry;
use crate::cranelift::{self, AccessSite, CompileOptions, JitKernel};
use crate::llvm::{self, LlvmKernel, TargetSpec};
use crate::spatial::SimEngine;
use persim_lang::ir::Function;
use persim_lang::target::Target;
use std::time::Duration;

/// Which code generator an engine uses.
#[derive(Clone, Debug, PartialEq)]
pub enum Backend {
    /// The Cranelift JIT: 128-bit SIMD, fast compilation, checked mode.
    Cranelift,
    /// The LLVM JIT for a target machine (normally the host): vectors of
    /// the machine's register width, the `O3` pipeline. No checked mode.
    Llvm(TargetSpec),
    /// The spatial accelerator: kernels are compiled to PE programs for
    /// the engine's machine and run on its cycle-level simulator by
    /// `Engine::launch` (there is no host code to return from `compile`).
    Spatial(Box<SimEngine>),
}

impl Backend {
    /// The LLVM backend for this machine.
    pub fn llvm_host() -> Backend {
        Backend::Llvm(TargetSpec::host())
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Cranelift => "cranelift",
            Backend::Llvm(_) => "llvm",
            Backend::Spatial(_) => "sim",
        }
    }

    /// What the mid-end lowers for.
    pub fn target(&self) -> Target {
        match self {
            Backend::Cranelift => Target::cranelift(),
            Backend::Llvm(spec) => spec.lowering_target(),
            Backend::Spatial(sim) => sim.target(),
        }
    }

    /// Whether compiled code can check every access (checked mode).
    pub fn supports_checked(&self) -> bool {
        matches!(self, Backend::Cranelift)
    }

    /// Compile one lowered function.
    pub(crate) fn compile(
        &self,
        lowered: &Function,
        options: &CompileOptions,
    ) -> Result<NativeCode, String> {
        match self {
            Backend::Cranelift => cranelift::compile(lowered, options)
                .map(NativeCode::Cranelift)
                .map_err(|e| e.to_string()),
            Backend::Llvm(spec) => {
                if options.check_access.is_some() {
                    return Err("checked mode is only available on the Cranelift backend \
                         (use `Engine::jit().checked(true)`)"
                        .to_string());
                }
                llvm::compile(lowered, spec, &options.customs, options.debug)
                    .map(NativeCode::Llvm)
                    .map_err(|e| e.to_string())
            }
            Backend::Spatial(_) => Err("the spatial backend makes no host code: launch the \
                 kernel with `Engine::launch`, which runs it on the simulator, or use \
                 `spatial::SimEngine` for its reports"
                .to_string()),
        }
    }
}

/// Compiled code of one kernel from either backend; owns the executable
/// memory, so the entry point is valid while this lives.
#[derive(Debug)]
// One per compiled kernel, behind an `Arc`: the size difference is moot.
#[allow(clippy::large_enum_variant)]
pub(crate) enum NativeCode {
    Cranelift(JitKernel),
    Llvm(LlvmKernel),
}

impl NativeCode {
    pub fn entry(&self) -> KernelEntry {
        match self {
            NativeCode::Cranelift(k) => k.entry(),
            NativeCode::Llvm(k) => k.entry(),
        }
    }

    pub fn local_mem(&self) -> u64 {
        match self {
            NativeCode::Cranelift(k) => k.local_mem,
            NativeCode::Llvm(k) => k.local_mem,
        }
    }

    pub fn is_checked(&self) -> bool {
        match self {
            NativeCode::Cranelift(k) => k.checked,
            NativeCode::Llvm(_) => false,
        }
    }

    /// The `device_assert`/`device_print` sites of the kernel.
    pub fn debug_sites(&self) -> &[crate::abi::DebugSite] {
        match self {
            NativeCode::Cranelift(k) => &k.debug_sites,
            NativeCode::Llvm(k) => &k.debug_sites,
        }
    }

    pub fn access_sites(&self) -> &[AccessSite] {
        match self {
            NativeCode::Cranelift(k) => &k.sites,
            NativeCode::Llvm(_) => &[],
        }
    }

    pub fn codegen_time(&self) -> Duration {
        match self {
            NativeCode::Cranelift(k) => k.codegen_time,
            NativeCode::Llvm(k) => k.codegen_time,
        }
    }
}
