//! The Cranelift JIT backend: lowered IR → native code for the host.
//!
//! [`compile`] translates one lowered [`Function`] (see `ARCHITECTURE.md`,
//! "Lowered IR") into a function with the kernel ABI
//! ([`crate::abi::KernelEntry`]), compiled for the host ISA with its native
//! features at `opt_level=speed`.
//!
//! Code map: `layout` (how IR values map to Cranelift values), `emit`
//! (scalar/vector-polymorphic helpers), `half` (`f16`/`bf16` conversions),
//! `arith` and `cast` (elementwise ops), `lanes` (vector plumbing and
//! the elementwise driver), `memory` (parameters, pointers, loads, stores,
//! local buffers, checked mode), `atomic` (the atomics), `contiguity` (unit-stride facts for
//! whole-vector accesses), `control` (`for`/`if`/`while`), `debug`
//! (`assert` and `print` through the runtime's hooks),
//! `libcalls` (host math and the access check), `custom` (calls of
//! custom ops' host references), `translate` (the
//! per-function driver), `jit` (ISA, module, code ownership).
//!
//! Set `PERSIM_DUMP_CLIF=1` to print each kernel's Cranelift IR to stderr.

mod arith;
mod atomic;
mod cast;
mod contiguity;
mod control;
mod custom;
mod debug;
mod emit;
mod error;
mod half;
mod jit;
mod lanes;
mod layout;
mod libcalls;
mod memory;
mod translate;

/// Re-exported from [`crate::abi`], where the host backends share them.
pub use crate::abi::{DebugSite, DebugSiteKind};
pub use error::CodegenError;
pub use jit::JitCode;

use crate::abi::{CheckAccessFn, DebugHooks, KernelEntry};
use cranelift_codegen::ir::{types, AbiParam, UserFuncName};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{Linkage, Module};
use persim_lang::front::CustomOpSource;
use persim_lang::ir::Function;
use std::time::{Duration, Instant};

/// Options of one compilation.
#[derive(Clone, Debug, Default)]
pub struct CompileOptions {
    /// Checked mode: call this host function before every global access
    /// (see [`crate::abi::CheckAccessFn`]). `None` compiles unchecked code.
    pub check_access: Option<CheckAccessFn>,
    /// The custom ops the kernel may call: each `custom` op calls the host
    /// reference of the registration with its `symbol`.
    pub customs: Vec<&'static CustomOpSource>,
    /// The runtime's `device_assert`/`device_print` functions. A kernel
    /// using either cannot be compiled without them.
    pub debug: Option<DebugHooks>,
}

/// A global load or store of the kernel, as checked mode reports it. The
/// JIT passes the index of its site to the access check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessSite {
    /// `file:line:col` of the op.
    pub location: String,
    /// The kernel parameter the pointers derive from (the op's `arg`).
    pub arg: Option<u32>,
    pub store: bool,
}

/// A compiled kernel: its code and what the runtime needs to launch it.
#[derive(Debug)]
pub struct JitKernel {
    pub code: JitCode,
    /// Checked-mode access sites, indexed by the site number the code passes.
    pub sites: Vec<AccessSite>,
    /// `device_assert`/`device_print` sites, indexed by the site number the
    /// code passes.
    pub debug_sites: Vec<DebugSite>,
    /// Bytes of local memory one program instance needs.
    pub local_mem: u64,
    /// Whether the code calls the access check.
    pub checked: bool,
    /// Time spent in translation and Cranelift code generation.
    pub codegen_time: Duration,
}

impl JitKernel {
    pub fn entry(&self) -> KernelEntry {
        self.code.entry()
    }
}

/// Compile one lowered function.
pub fn compile(f: &Function, options: &CompileOptions) -> Result<JitKernel, CodegenError> {
    let start = Instant::now();
    if f.attrs.int("lanes").is_none() {
        return Err(CodegenError::function(format!(
            "`{}` is not lowered IR (no `lanes` attribute): run `passes::lower::lower_tiles` first",
            f.name
        )));
    }
    let local_mem = f.attrs.int("local_mem").unwrap_or(0);
    let local_mem = u64::try_from(local_mem)
        .map_err(|_| CodegenError::function(format!("negative local_mem {local_mem}")))?;

    let mut module = jit::new_module(options.check_access, &options.customs, options.debug)?;
    let mut ctx = module.make_context();
    let ptr = module.target_config().pointer_type();
    if ptr != types::I64 {
        return Err(CodegenError::function("the kernel ABI needs a 64-bit host"));
    }
    ctx.func.signature.params.push(AbiParam::new(ptr));
    ctx.func.signature.params.push(AbiParam::new(ptr));
    ctx.func.name = UserFuncName::user(0, 0);
    let mut fctx = FunctionBuilderContext::new();
    let frontend_config = module.isa().frontend_config();
    let sites = {
        let fb = FunctionBuilder::new(&mut ctx.func, &mut fctx);
        let mut t = translate::Translator::new(fb, &mut module, f, &options.customs);
        t.has_debug_hooks = options.debug.is_some();
        t.translate_body(options.check_access.is_some())?;
        let sites = std::mem::take(&mut t.sites);
        let debug_sites = std::mem::take(&mut t.debug_sites);
        t.fb.finalize(frontend_config);
        (sites, debug_sites)
    };
    let (sites, debug_sites) = sites;
    if std::env::var_os("PERSIM_DUMP_CLIF").is_some() {
        eprintln!("; kernel {}\n{}", f.name, ctx.func.display());
    }
    let sig = ctx.func.signature.clone();
    let id = module
        .declare_function(&format!("persim_kernel_{}", f.name), Linkage::Local, &sig)
        .map_err(|e| CodegenError::function(format!("declaring the kernel: {e}")))?;
    module
        .define_function(id, &mut ctx)
        .map_err(|e| CodegenError::function(format!("Cranelift rejected the kernel: {e:?}")))?;
    module.clear_context(&mut ctx);
    module
        .finalize_definitions()
        .map_err(|e| CodegenError::function(format!("finalizing the kernel: {e}")))?;
    let ptr = module.get_finalized_function(id);
    // SAFETY: `ptr` is the finalized code of a function with the kernel
    // ABI's signature (two pointer arguments, no results, default call
    // convention = `extern "C"` on the host).
    let entry: KernelEntry = unsafe { std::mem::transmute::<*const u8, KernelEntry>(ptr) };
    Ok(JitKernel {
        code: JitCode::new(module, entry),
        sites,
        debug_sites,
        local_mem,
        checked: options.check_access.is_some(),
        codegen_time: start.elapsed(),
    })
}
