//! The engine: a backend, its compiled-kernel cache and launch settings.

use super::backend::Backend;
use super::cache::{CacheKey, KernelCache};
use super::checked::{self, LaunchCheck};
use super::compiled::CompiledKernel;
use super::debug::{self, LaunchDebug, PrintSink};
use super::launch::GridLaunch;
use super::pipeline;
use super::signature::{check_args, check_constexprs, check_grid, ParamSpec};
use super::{Arg, ArgValue, Grid, LaunchError};
use crate::abi::DebugSiteKind;
use crate::cranelift::CompileOptions;
use persim_lang::debug::DevicePrint;
use persim_lang::front::{CustomOpSource, Diagnostic, KernelSource};
use persim_lang::ir::{Dtype, Function, Module};
use persim_lang::target::Target;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Builds a kernel's tile IR (a module: the kernel, named as the source,
/// and the device functions it calls) from its source and constexpr
/// values. The default is the frontend's `specialize`; tests substitute
/// their own.
pub type Specializer = fn(&KernelSource, &[(&str, i64)]) -> Result<Module, Diagnostic>;

/// Counters of an engine's cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EngineStats {
    /// Kernels compiled through the cache.
    pub compiles: u64,
    /// Launches (or `compile` calls) served from the cache.
    pub cache_hits: u64,
    /// Specializations currently cached.
    pub cached: usize,
}

/// A backend plus its compiled-kernel cache and launch settings.
///
/// ```ignore
/// let engine = Engine::jit().checked(true).threads(4);
/// add::launch(&engine, Grid::from(n.div_ceil(1024)), &[("BLOCK", 1024)], ...)?;
/// ```
pub struct Engine {
    backend: Backend,
    target: Target,
    checked: bool,
    pool: Option<Arc<rayon::ThreadPool>>,
    specialize: Specializer,
    cache: KernelCache,
    print_sink: PrintSink,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("backend", &self.backend.name())
            .field("target", &self.target.name)
            .field("lanes", &self.target.lanes)
            .field("checked", &self.checked)
            .field("print_sink", &"<fn>")
            .field(
                "threads",
                &self.pool.as_ref().map(|p| p.current_num_threads()),
            )
            .field("stats", &self.stats())
            .finish()
    }
}

impl Engine {
    /// The Cranelift JIT engine: unchecked, on rayon's global thread pool.
    pub fn jit() -> Engine {
        Engine::with_backend(Backend::Cranelift)
    }

    /// The LLVM JIT engine for this machine: vectors as wide as its vector
    /// registers (16 lanes of 32 bits with AVX-512), LLVM's `O3` pipeline;
    /// unchecked (checked mode is Cranelift-only: launching with
    /// `.checked(true)` fails with [`LaunchError::Compile`]), on rayon's
    /// global thread pool.
    pub fn llvm() -> Engine {
        Engine::with_backend(Backend::llvm_host())
    }

    /// The spatial accelerator of the default machine model
    /// (`machines/default.toml`), simulated cycle by cycle: each launch
    /// compiles the kernel for the machine, places its program instances
    /// and runs the simulator. Checked mode is not available.
    pub fn sim() -> Engine {
        Engine::with_backend(Backend::Spatial(Box::default()))
    }

    /// The spatial accelerator described by `machine` (for instance one
    /// read with [`crate::spatial::Machine::from_toml`]), simulated.
    pub fn sim_on(machine: crate::spatial::Machine) -> Engine {
        Engine::sim_with(crate::spatial::SimEngine::new(machine))
    }

    /// The spatial accelerator as `sim` compiles and places for it (its
    /// machine, placement policy and loop scheduling).
    pub fn sim_with(sim: crate::spatial::SimEngine) -> Engine {
        Engine::with_backend(Backend::Spatial(Box::new(sim)))
    }

    /// An engine on `backend` (for instance the LLVM backend for an
    /// explicit target machine, `Backend::Llvm(TargetSpec::new(..))`).
    pub fn with_backend(backend: Backend) -> Engine {
        Engine {
            target: backend.target(),
            backend,
            checked: false,
            pool: None,
            specialize: persim_lang::front::specialize,
            cache: KernelCache::default(),
            print_sink: debug::stderr_sink(),
        }
    }

    /// Send `device_print` records to `sink` instead of standard error.
    /// It is called from the worker threads, once per printed element, as
    /// the kernel prints; format a record with `to_string()` for the line
    /// standard error would get.
    ///
    /// ```ignore
    /// let lines = Arc::new(Mutex::new(Vec::new()));
    /// let seen = lines.clone();
    /// let engine = Engine::jit().print_sink(move |r| seen.lock().unwrap().push(r.to_string()));
    /// ```
    pub fn print_sink(mut self, sink: impl Fn(&DevicePrint) + Send + Sync + 'static) -> Engine {
        self.print_sink = Arc::new(sink);
        self
    }

    /// Checked mode: every global access is validated against the launch's
    /// slices and a bad one fails the launch with
    /// [`LaunchError::OutOfBounds`] or [`LaunchError::ReadOnly`] instead of
    /// happening. Unchecked, an out-of-bounds access is undefined
    /// behaviour, as in Triton.
    pub fn checked(mut self, on: bool) -> Engine {
        self.checked = on;
        self
    }

    /// Run program instances on a pool of `n` threads of this engine's own
    /// (1 = always on the calling thread). Without it, rayon's global pool is
    /// used. If the pool cannot be created the global pool is used.
    pub fn threads(mut self, n: usize) -> Engine {
        self.pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .thread_name(|i| format!("persim-worker-{i}"))
            .build()
            .ok()
            .map(Arc::new);
        self
    }

    /// Use `f` instead of the frontend to build kernels' IR (for tests of the
    /// runtime, or producers of IR other than the frontend).
    pub fn with_specializer(mut self, f: Specializer) -> Engine {
        self.specialize = f;
        self
    }

    pub fn is_checked(&self) -> bool {
        self.checked
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    pub fn stats(&self) -> EngineStats {
        EngineStats {
            compiles: self.cache.compiles(),
            cache_hits: self.cache.hits(),
            cached: self.cache.len(),
        }
    }

    fn options(&self) -> CompileOptions {
        CompileOptions {
            check_access: self
                .checked
                .then_some(checked::check_access as crate::abi::CheckAccessFn),
            customs: Vec::new(),
            debug: Some(debug::hooks()),
        }
    }

    /// Launch `kernel` over `grid` with constexpr values `consts` and runtime
    /// arguments `args` (in the kernel's parameter order, constexprs omitted).
    ///
    /// Validates everything before running: argument count and types,
    /// constexprs, grid. Compiles on first use of a (kernel, constexprs, mode)
    /// combination and reuses the code afterwards.
    pub fn launch(
        &self,
        kernel: &'static KernelSource,
        grid: Grid,
        consts: &[(&str, i64)],
        args: &mut [Arg<'_>],
    ) -> Result<(), LaunchError> {
        let params = ParamSpec::of_source(kernel);
        check_args(kernel.name, &params, args)?;
        let sorted = check_constexprs(kernel, consts)?;
        check_grid(kernel.name, grid)?;
        if let Backend::Spatial(_) = &self.backend {
            return self.simulate(kernel, grid, consts, args).map(|_| ());
        }
        let compiled = self.compile_checked(kernel, consts, sorted, unit_arguments(args))?;
        if compiled.params != params {
            return Err(LaunchError::Compile {
                kernel: kernel.name.to_string(),
                message: format!(
                    "the specialized kernel's parameters ({}) differ from its signature ({})",
                    describe(&compiled.params),
                    describe(&params)
                ),
            });
        }
        self.run(&compiled, grid, args)
    }

    /// On the spatial backend: runs `kernel` on the simulator (as
    /// [`Engine::launch`] does, arguments already validated) and returns
    /// the simulated cycles; the autotuner's measure there.
    pub(crate) fn simulate(
        &self,
        kernel: &'static KernelSource,
        grid: Grid,
        consts: &[(&str, i64)],
        args: &mut [Arg<'_>],
    ) -> Result<u64, LaunchError> {
        let Backend::Spatial(sim) = &self.backend else {
            return Err(LaunchError::Compile {
                kernel: kernel.name.to_string(),
                message: format!("`{}` is not the simulator", self.backend.name()),
            });
        };
        self.check_mode(kernel.name)?;
        let sim = (**sim).clone().with_print_sink(self.print_sink.clone());
        launch_on_simulator(&sim, kernel, grid, consts, args)
    }

    /// The compiled specialization of `kernel` for `consts` (cached).
    pub fn compile(
        &self,
        kernel: &'static KernelSource,
        consts: &[(&str, i64)],
    ) -> Result<Arc<CompiledKernel>, LaunchError> {
        let sorted = check_constexprs(kernel, consts)?;
        self.compile_checked(kernel, consts, sorted, 0)
    }

    /// [`Engine::compile`] once the constexprs are validated (`sorted` is
    /// their canonical form).
    fn compile_checked(
        &self,
        kernel: &'static KernelSource,
        consts: &[(&str, i64)],
        sorted: Vec<(String, i64)>,
        ones: u64,
    ) -> Result<Arc<CompiledKernel>, LaunchError> {
        self.check_mode(kernel.name)?;
        let key = CacheKey {
            kernel: kernel as *const KernelSource as usize,
            consts: sorted,
            checked: self.checked,
            ones,
        };
        self.cache.get_or_compile(key, || {
            let start = Instant::now();
            let mut m = (self.specialize)(kernel, consts).map_err(LaunchError::Frontend)?;
            if let Some(f) = m.get_mut(kernel.name) {
                fold_unit_arguments(f, ones);
            }
            let options = CompileOptions {
                customs: persim_lang::front::custom_ops(kernel),
                ..self.options()
            };
            let input = pipeline::Input::Module(&m, kernel.name);
            pipeline::build(
                input,
                &self.backend,
                &self.target,
                &options,
                start.elapsed(),
            )
        })
    }

    /// Compile a function built without the frontend: tile-level IR (verified,
    /// lowered, verified) or already lowered IR (with a `lanes` attribute).
    /// Not cached.
    pub fn compile_ir(&self, f: &Function) -> Result<Arc<CompiledKernel>, LaunchError> {
        self.check_mode(&f.name)?;
        let input = pipeline::Input::Function(f);
        pipeline::build(
            input,
            &self.backend,
            &self.target,
            &self.options(),
            Duration::ZERO,
        )
        .map(Arc::new)
    }

    /// Compile kernel `kernel` of a module built without the frontend: the
    /// module is inlined into a call-free kernel, then compiled as
    /// [`Engine::compile_ir`] does. `customs` registers the custom ops its
    /// `custom` ops call. Not cached.
    pub fn compile_module(
        &self,
        m: &Module,
        kernel: &str,
        customs: &[&'static CustomOpSource],
    ) -> Result<Arc<CompiledKernel>, LaunchError> {
        self.check_mode(kernel)?;
        let options = CompileOptions {
            customs: customs.to_vec(),
            ..self.options()
        };
        let input = pipeline::Input::Module(m, kernel);
        pipeline::build(input, &self.backend, &self.target, &options, Duration::ZERO).map(Arc::new)
    }

    /// Checked mode needs a backend that supports it; refuse before any
    /// work is done.
    fn check_mode(&self, kernel: &str) -> Result<(), LaunchError> {
        if self.checked && !self.backend.supports_checked() {
            return Err(LaunchError::Compile {
                kernel: kernel.to_string(),
                message: format!(
                    "checked mode is only available on the Cranelift backend, not `{}` \
                     (use `Engine::jit().checked(true)`)",
                    self.backend.name()
                ),
            });
        }
        Ok(())
    }

    /// Launch a kernel from [`Engine::compile_ir`] (or [`Engine::compile`]),
    /// validating arguments against its parameters and the grid. Checked
    /// mode is the kernel's own (how it was compiled).
    pub fn launch_compiled(
        &self,
        kernel: &CompiledKernel,
        grid: Grid,
        args: &mut [Arg<'_>],
    ) -> Result<(), LaunchError> {
        check_args(&kernel.name, &kernel.params, args)?;
        check_grid(&kernel.name, grid)?;
        self.run(kernel, grid, args)
    }

    fn run(
        &self,
        kernel: &CompiledKernel,
        grid: Grid,
        args: &mut [Arg<'_>],
    ) -> Result<(), LaunchError> {
        let words: Vec<u64> = args
            .iter()
            .map(|a| match *a.value() {
                ArgValue::Slice { addr, .. } => addr,
                ArgValue::Scalar { bits, .. } => bits,
            })
            .collect();
        let check = kernel
            .is_checked()
            .then(|| LaunchCheck::new(&kernel.params, args));
        let debug = (!kernel.code.debug_sites().is_empty())
            .then(|| LaunchDebug::new(kernel.code.debug_sites(), self.print_sink.clone()));
        let launch = GridLaunch {
            entry: kernel.code.entry(),
            args: &words,
            grid,
            local_mem: kernel.local_mem() as usize,
            check: check.as_ref(),
            debug: debug.as_ref(),
        };
        launch.run(self.pool.as_deref());
        let (failure, sink_panic) = debug.map(LaunchDebug::finish).unwrap_or_default();
        if let Some(payload) = sink_panic {
            std::panic::resume_unwind(payload);
        }
        if let Some(fault) = check.and_then(LaunchCheck::into_fault) {
            return Err(fault_error(kernel, fault));
        }
        match failure {
            None => Ok(()),
            Some(f) => Err(assertion_error(kernel, f)),
        }
    }
}

fn describe(params: &[ParamSpec]) -> String {
    params
        .iter()
        .map(|p| format!("{}: {}", p.name, p.ty.describe()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn assertion_error(kernel: &CompiledKernel, failure: debug::AssertFailure) -> LaunchError {
    let site = kernel.code.debug_sites().get(failure.site as usize);
    let location = site.map_or_else(|| "<unknown location>".to_string(), |s| s.location.clone());
    let message = match site.map(|s| &s.kind) {
        Some(DebugSiteKind::Assert { message }) => message.clone(),
        _ => String::new(),
    };
    LaunchError::Assertion {
        kernel: kernel.name.clone(),
        location,
        message,
        program: failure.program,
    }
}

fn fault_error(kernel: &CompiledKernel, fault: checked::Fault) -> LaunchError {
    let location = kernel
        .access_sites()
        .get(fault.site as usize)
        .map_or_else(|| "<unknown location>".to_string(), |s| s.location.clone());
    let arg = if fault.local {
        "<local buffer>".to_string()
    } else {
        fault
            .arg
            .and_then(|i| kernel.params.get(i))
            .map_or_else(|| "?".to_string(), |p| p.name.clone())
    };
    if fault.read_only {
        LaunchError::ReadOnly {
            kernel: kernel.name.clone(),
            location,
            arg,
            index: fault.index,
        }
    } else {
        LaunchError::OutOfBounds {
            kernel: kernel.name.clone(),
            location,
            arg,
            index: fault.index,
            len: fault.len,
            store: fault.store,
        }
    }
}

/// A launch on the spatial backend: compile for `machine`, run the
/// simulator, copy the results back into `args`.
/// Which integer scalar arguments are 1 (bit `i` for argument `i < 64`).
/// Triton's JIT specializes on this too: a unit stride makes a pointer
/// tile's rows contiguous, which the mid-end can then see (vector loads
/// instead of gathers, bulk copies, affine tiles).
fn unit_arguments(args: &[Arg<'_>]) -> u64 {
    args.iter()
        .take(64)
        .enumerate()
        .filter(|(_, a)| match *a.value() {
            ArgValue::Scalar { bits, dtype } => {
                dtype.is_int() && dtype != Dtype::I1 && sign_extended(bits, dtype) == 1
            }
            ArgValue::Slice { .. } => false,
        })
        .fold(0, |acc, (i, _)| acc | 1 << i)
}

/// An integer argument's value from its bits.
fn sign_extended(bits: u64, dtype: Dtype) -> i64 {
    let width = 8 * dtype.size_bytes();
    if width >= 64 {
        bits as i64
    } else if dtype.is_signed_int() {
        ((bits << (64 - width)) as i64) >> (64 - width)
    } else {
        (bits & ((1u64 << width) - 1)) as i64
    }
}

/// Replaces the uses of the parameters `ones` marks with the constant 1 (the
/// parameters stay, unused, so the signature does not change).
fn fold_unit_arguments(f: &mut Function, ones: u64) {
    if ones == 0 {
        return;
    }
    let body = f.body;
    let params = f.block_args(body).to_vec();
    for (i, param) in params.into_iter().enumerate().take(64) {
        if ones >> i & 1 == 0 {
            continue;
        }
        let Some(dtype) = f
            .ty(param)
            .elem()
            .dtype()
            .filter(|_| f.ty(param).is_scalar())
        else {
            continue;
        };
        let mut b = persim_lang::ir::Builder::before(f, body, 0);
        let one = b.const_int(1, dtype);
        f.replace_uses(param, one);
    }
}

fn launch_on_simulator(
    sim: &crate::spatial::SimEngine,
    kernel: &'static KernelSource,
    grid: Grid,
    consts: &[(&str, i64)],
    args: &mut [Arg<'_>],
) -> Result<u64, LaunchError> {
    sim.launch(kernel, grid, consts, args)
        .map(|report| report.stats.cycles)
        .map_err(LaunchError::from)
}
