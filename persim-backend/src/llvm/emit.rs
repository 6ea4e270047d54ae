//! Optimization and emission: the `default<O3>` pipeline, verification,
//! and ahead-of-time output (`.ll` text and an object file) of a set of
//! kernels with C entry points.

use super::debug::DebugCalls;
use super::error::LlvmError;
use super::grid;
use super::target::TargetSpec;
use super::translate;
use inkwell::context::Context;
use inkwell::module::{Linkage, Module};
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{FileType, TargetMachine};
use persim_lang::ir::Function;

/// Give `module` the machine's triple and data layout, so the optimizer's
/// cost models and the code generator agree on the target.
pub(crate) fn prepare_module(module: &Module<'_>, machine: &TargetMachine) {
    module.set_triple(&machine.get_triple());
    module.set_data_layout(&machine.get_target_data().get_data_layout());
}

/// LLVM's verifier; a failure is a bug of this backend, reported with
/// LLVM's message.
pub(crate) fn verify(module: &Module<'_>) -> Result<(), LlvmError> {
    module.verify().map_err(|e| {
        LlvmError::function(format!(
            "LLVM rejected the generated IR (a backend bug): {}",
            e.to_string()
        ))
    })
}

/// The `default<O3>` pipeline for `machine`.
pub(crate) fn optimize(module: &Module<'_>, machine: &TargetMachine) -> Result<(), LlvmError> {
    let options = PassBuilderOptions::create();
    options.set_loop_vectorization(true);
    options.set_loop_slp_vectorization(true);
    options.set_loop_unrolling(true);
    options.set_merge_functions(false);
    module
        .run_passes("default<O3>", machine, options)
        .map_err(|e| LlvmError::function(format!("LLVM optimization failed: {e}")))
}

/// One kernel of an ahead-of-time library: a lowered function and the C
/// symbol of its grid entry point.
#[derive(Clone, Copy, Debug)]
pub struct AotKernel<'f> {
    /// The C entry point; the instance function is `<symbol>_instance`.
    pub symbol: &'f str,
    pub func: &'f Function,
}

/// What [`emit`] produces.
#[derive(Clone, Debug)]
pub struct Emitted {
    /// The optimized module as LLVM assembly (`.ll`).
    pub ll: String,
    /// A relocatable object file for the target (`.o`).
    pub object: Vec<u8>,
}

/// Compile `kernels` into one module for `spec`: per kernel, the instance
/// function `<symbol>_instance` (kernel ABI) and the C entry point
/// `<symbol>` that runs a whole grid (see [`grid`]). Position-independent
/// code, so the object links into executables and shared libraries.
///
/// A kernel using `device_assert` or `device_print` is refused with an
/// error naming the op and its source location: a library has no runtime
/// for them to report to (see `llvm/debug.rs`).
pub fn emit(
    module_name: &str,
    kernels: &[AotKernel<'_>],
    spec: &TargetSpec,
) -> Result<Emitted, LlvmError> {
    let cx = Context::create();
    let machine = spec.machine(true)?;
    let module = cx.create_module(module_name);
    prepare_module(&module, &machine);
    for k in kernels {
        let local_mem = super::lowered_local_mem(k.func)?;
        let instance = format!("{}_instance", k.symbol);
        // No runtime hooks ahead of time: `assert`/`print` are refused.
        let refused = DebugCalls::Refused(super::debug::AHEAD_OF_TIME);
        let fv = translate::define_instance(
            &cx,
            &module,
            k.func,
            &instance,
            spec,
            Linkage::External,
            refused,
        )
        .map_err(|e| LlvmError {
            message: format!("in kernel `{}`: {}", k.symbol, e.message),
            ..e
        })?
        .fv;
        grid::define_entry(&cx, &module, k.func, k.symbol, fv, local_mem, spec)?;
    }
    verify(&module)?;
    optimize(&module, &machine)?;
    verify(&module)?;
    let ll = module.print_to_string().to_string();
    let object = machine
        .write_to_memory_buffer(&module, FileType::Object)
        .map_err(|e| LlvmError::function(format!("LLVM code generation failed: {e}")))?
        .as_slice()
        .to_vec();
    Ok(Emitted { ll, object })
}
