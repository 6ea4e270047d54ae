//! The LLVM backend: lowered IR → LLVM IR → optimized native code, as a JIT
//! (behind the same launch API as the Cranelift JIT: `Engine::llvm()`) and
//! ahead of time (`.ll` text and object files, [`emit`]).
//!
//! A lowered function (ARCHITECTURE.md, "Lowered IR") becomes one LLVM
//! function with the kernel ABI (`void (i64* args, i8* ctx)`, see
//! [`crate::abi`]). Each lowered vector is one LLVM vector value of the
//! lowering width, which [`TargetSpec::lanes`] sets to the host's vector
//! register (16 lanes of 32 bits with AVX-512); the function carries the
//! target CPU and features, the module runs LLVM's `default<O3>` pipeline,
//! and MCJIT (or the target machine, for objects) generates the code.
//!
//! Checked mode is Cranelift-only: the LLVM backend refuses it with a
//! clear error (`Engine::llvm().checked(true)` fails at launch).
//! `device_assert` and `device_print` call the runtime's hooks in the JIT,
//! as on Cranelift; ahead of time they are refused (`debug`).
//!
//! Code map: `target` (triple/CPU/features, lanes), `types` (how IR values
//! map to LLVM values, scalar/vector-polymorphic builders), `half`
//! (`f16`/`bf16`), `arith` and `cast` (elementwise ops), `vexp` (vector `exp`/`exp2`), `lanes`
//! (`arange`, `splat`, `select`, `reduce`), `memory` (pointers, global
//! loads and stores, local buffers), `contiguity` (unit-stride facts for
//! vector loads and stores), `alias` (alias scopes from persim's no-alias
//! invariant), `atomic`, `control` (`for`/`if`/`while`), `debug` (`assert`
//! and `print` through the runtime's hooks), `translate` (the
//! per-function driver), `jit` (code ownership), `emit` (optimization,
//! `.ll` and object emission), `grid` (C entry points that run a whole
//! grid, for ahead-of-time libraries).
//!
//! Set `PERSIM_DUMP_LLVM=1` to print each JIT kernel's optimized LLVM IR
//! to stderr.

mod alias;
mod arith;
mod atomic;
mod cast;
mod contiguity;
mod control;
mod custom;
mod debug;
mod emit;
mod error;
mod grid;
mod half;
mod jit;
mod lanes;
mod memory;
mod splat_div;
mod target;
mod translate;
mod types;
mod vexp;

pub use emit::{emit, AotKernel, Emitted};
pub use error::LlvmError;
pub use grid::{c_header, CParam};
pub use jit::LlvmCode;
pub use target::TargetSpec;

use crate::abi::{DebugHooks, DebugSite, KernelEntry};
use inkwell::context::Context;
use inkwell::module::Linkage;
use inkwell::OptimizationLevel;
use persim_lang::front::CustomOpSource;
use persim_lang::ir::Function;
use std::time::{Duration, Instant};

/// A JIT-compiled kernel: its code and what the runtime needs to launch it.
#[derive(Debug)]
pub struct LlvmKernel {
    pub code: LlvmCode,
    /// `device_assert`/`device_print` sites, indexed by the site number the
    /// code passes to the runtime's hooks.
    pub debug_sites: Vec<DebugSite>,
    /// Bytes of local memory one program instance needs.
    pub local_mem: u64,
    /// Time spent in translation, LLVM optimization and code generation.
    pub codegen_time: Duration,
}

impl LlvmKernel {
    pub fn entry(&self) -> KernelEntry {
        self.code.entry()
    }
}

/// `local_mem` of a lowered function, after checking it is lowered.
pub(crate) fn lowered_local_mem(f: &Function) -> Result<u64, LlvmError> {
    if f.attrs.int("lanes").is_none() {
        return Err(LlvmError::function(format!(
            "`{}` is not lowered IR (no `lanes` attribute): run `passes::lower::lower_tiles` first",
            f.name
        )));
    }
    let local_mem = f.attrs.int("local_mem").unwrap_or(0);
    u64::try_from(local_mem)
        .map_err(|_| LlvmError::function(format!("negative local_mem {local_mem}")))
}

/// JIT-compile one lowered function for `spec` (normally
/// [`TargetSpec::host`]). `customs` are the custom ops it may call;
/// `debug` the runtime's `device_assert`/`device_print` functions, without
/// which a kernel using either is refused.
pub fn compile(
    f: &Function,
    spec: &TargetSpec,
    customs: &[&'static CustomOpSource],
    debug: Option<DebugHooks>,
) -> Result<LlvmKernel, LlvmError> {
    let start = Instant::now();
    let local_mem = lowered_local_mem(f)?;
    let context = Box::new(Context::create());
    // SAFETY: `cx` borrows the boxed context, which `LlvmCode` keeps alive
    // (and in place) until the module and engine made from it are dropped.
    let cx: &'static Context = unsafe { &*(context.as_ref() as *const Context) };
    let machine = spec.machine(false)?;
    let module = cx.create_module(&f.name);
    emit::prepare_module(&module, &machine);
    let symbol = format!("persim_kernel_{}", f.name);
    let debug_calls = match debug {
        Some(_) => debug::DebugCalls::Hooks,
        None => debug::DebugCalls::Refused(debug::NO_HOOKS),
    };
    let instance = translate::define_instance(
        cx,
        &module,
        f,
        &symbol,
        spec,
        Linkage::External,
        debug_calls,
    )?;
    emit::verify(&module)?;
    emit::optimize(&module, &machine)?;
    if std::env::var_os("PERSIM_DUMP_LLVM").is_some() {
        eprintln!(
            "; kernel {}\n{}",
            f.name,
            module.print_to_string().to_string()
        );
    }
    let engine = module
        .create_jit_execution_engine(OptimizationLevel::Aggressive)
        .map_err(|e| LlvmError::function(format!("creating the LLVM JIT: {e}")))?;
    // Host functions the kernel calls by symbol (math without an LLVM
    // intrinsic): resolved to this process's addresses, never by `dlsym`.
    for (name, addr) in [
        (
            arith::ERF_F32,
            arith::erf_f32 as extern "C" fn(f32) -> f32 as usize,
        ),
        (
            arith::ERF_F64,
            arith::erf_f64 as extern "C" fn(f64) -> f64 as usize,
        ),
    ] {
        if let Some(fv) = module.get_function(name) {
            engine.add_global_mapping(&fv, addr);
        }
    }
    custom::map_custom_ops(f, &module, &engine, customs)?;
    if let Some(hooks) = debug {
        debug::map_hooks(&module, &engine, hooks);
    }
    let addr = engine
        .get_function_address(&symbol)
        .map_err(|e| LlvmError::function(format!("finding the compiled kernel: {e:?}")))?;
    if addr == 0 {
        return Err(LlvmError::function(
            "the LLVM JIT returned a null kernel address",
        ));
    }
    // SAFETY: `addr` is the code of a function defined with the kernel
    // ABI's signature (`define_instance`), C calling convention.
    let entry: KernelEntry = unsafe { std::mem::transmute::<usize, KernelEntry>(addr) };
    // SAFETY: module and engine come from `context`; `entry` lives in `engine`.
    let code = unsafe { LlvmCode::new(context, module, engine, entry) };
    Ok(LlvmKernel {
        code,
        debug_sites: instance.debug_sites,
        local_mem,
        codegen_time: start.elapsed(),
    })
}
