//! From IR to a [`CompiledKernel`]: verify → lower tiles → verify → code
//! generation, timing each stage.
//!
//! The frontend's output is a module (the kernel and the device functions
//! it calls): the mid-end inlines it into a call-free kernel first
//! (`Pipeline::run_module`). A function that already carries the `lanes`
//! attribute is lowered IR (ARCHITECTURE.md, "Lowered IR") and skips
//! lowering, so tests and other producers can hand the backend lowered IR
//! directly.

use super::backend::Backend;
use super::compiled::{CompileTimes, CompiledKernel};
use super::signature::ParamSpec;
use super::LaunchError;
use crate::cranelift::CompileOptions;
use persim_lang::ir::{Function, Module};
use persim_lang::passes::Pipeline;
use persim_lang::target::Target;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Local memory one program instance may ask for: the runtime allocates it
/// per worker thread.
pub const MAX_LOCAL_MEM: u64 = 1 << 30;

/// What to compile: one function, or a kernel of a module.
#[derive(Clone, Copy)]
pub(crate) enum Input<'a> {
    Function(&'a Function),
    Module(&'a Module, &'a str),
}

pub(crate) fn build(
    input: Input,
    backend: &Backend,
    target: &Target,
    options: &CompileOptions,
    frontend: Duration,
) -> Result<CompiledKernel, LaunchError> {
    let kernel = match input {
        Input::Function(f) => f.name.clone(),
        Input::Module(_, name) => name.to_string(),
    };
    let compile_err = |message: String| LaunchError::Compile {
        kernel: kernel.clone(),
        message,
    };
    // A panic in a compiler pass is a compiler bug; report it as an error
    // instead of tearing down the caller.
    let result = catch_unwind(AssertUnwindSafe(|| {
        build_inner(input, backend, target, options, frontend)
    }));
    match result {
        Ok(r) => r.map_err(compile_err),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(compile_err(format!("internal compiler error: {what}")))
        }
    }
}

fn build_inner(
    input: Input,
    backend: &Backend,
    target: &Target,
    options: &CompileOptions,
    frontend: Duration,
) -> Result<CompiledKernel, String> {
    let start = Instant::now();
    let kernel = match input {
        Input::Function(f) => f,
        Input::Module(m, name) => m
            .get(name)
            .ok_or_else(|| format!("the module has no kernel `{name}`"))?,
    };
    let pipeline = if let Some(lanes) = kernel.attrs.int("lanes") {
        // Already lowered (by another producer, or by hand in tests),
        // possibly for another vector width: the backend handles any lane
        // count.
        let lanes = u32::try_from(lanes).map_err(|_| format!("bad `lanes` attribute {lanes}"))?;
        Pipeline::post_lowering(Target {
            lanes,
            ..target.clone()
        })
    } else {
        Pipeline::standard(target.clone())
    };
    // In debug builds (all tests) the pipeline verifies and round-trips the
    // IR through the text format after every pass.
    let (lowered, passes) = match input {
        Input::Module(m, name) => pipeline.run_module(m, name).map_err(|e| e.to_string())?,
        Input::Function(f) => {
            let mut lowered = f.clone();
            let passes = pipeline.run(&mut lowered).map_err(|e| e.to_string())?;
            (lowered, passes)
        }
    };
    let f = &lowered;
    let params = f
        .params
        .iter()
        .map(ParamSpec::of_ir)
        .collect::<Result<Vec<_>, _>>()?;
    let lowered = &lowered;
    let local_mem = lowered.attrs.int("local_mem").unwrap_or(0);
    if !(0..=MAX_LOCAL_MEM as i64).contains(&local_mem) {
        return Err(format!(
            "the kernel needs {local_mem} bytes of local memory per program instance; \
             the JIT runtime allows 0..={MAX_LOCAL_MEM}"
        ));
    }
    let midend = start.elapsed();
    let code = backend.compile(lowered, options)?;
    let codegen = code.codegen_time();
    Ok(CompiledKernel {
        name: f.name.clone(),
        params,
        code,
        passes,
        times: CompileTimes {
            frontend,
            midend,
            codegen,
        },
    })
}
