//! Launching kernels on the simulated spatial machine, with the same shape
//! as the JIT's launch path: a kernel (source or IR), constexprs, a grid and
//! `&mut [Arg]` arguments, validated by the runtime's own checks.
//!
//! Two steps, kept apart: [`SimEngine::build`] turns a lowered function and
//! the arguments into a [`SimImage`] (the program plus the initial SRAM and
//! off-chip memory); [`SimEngine::run_image`] simulates it and copies the
//! written slices back.
//!
//! Files: `placement.rs` (which PE runs which program instance: annealed by
//! default, round robin on request), `graph.rs` (several kernels launched
//! as one, tensors handed PE to PE), `report.rs` (a run against the
//! roofline), `pictures.rs` (mesh heatmap and schedule SVGs of a run).

mod debug;
mod graph;
mod pictures;
mod placement;
mod report;

pub use graph::{
    GraphArg, GraphMode, GraphReport, PhaseReport, SimGraph, TensorId, TensorPath, TensorReport,
};
pub use report::{offchip_bytes, KernelReport};

pub use placement::{
    offchip_weight, place_instances, round_robin, AnnealSummary, InstancePlacement, PlacementPolicy,
};

use std::fmt;

use persim_lang::front::KernelSource;
use persim_lang::ir::{Attrs, CmpPred, Dtype, Function, Opcode};
use persim_lang::passes::Pipeline;
use persim_lang::target::Target;

use super::compile::{
    self, CompileError, CompiledProgram, Handoffs, InstanceMap, Launch, MemoryMap,
};
use super::coord::TileCoord;
use super::machine::Machine;
use super::program::PeProgram;
use super::sim::{SimError, Simulator, Stats};
use crate::runtime::debug::PrintSink;
use crate::runtime::signature::{check_args, check_constexprs, check_grid, ParamSpec};
use crate::runtime::{Arg, ArgValue, Grid, LaunchError};

/// First off-chip address given to an argument (address 0 is never valid).
const OFFCHIP_BASE: u64 = 4096;

/// Off-chip addresses of the slices of a launch, or of every launch of a
/// graph (a slice two kernels share keeps one address).
#[derive(Debug)]
pub(crate) struct OffchipLayout {
    next: u64,
    /// `(host address, bytes, off-chip address)` of each slice placed.
    placed: Vec<(u64, usize, u64)>,
}

impl OffchipLayout {
    pub(crate) fn new() -> OffchipLayout {
        OffchipLayout {
            next: OFFCHIP_BASE,
            placed: Vec::new(),
        }
    }

    /// The off-chip address of the `bytes` at host address `host`.
    pub(crate) fn place(
        &mut self,
        host: u64,
        bytes: usize,
        machine: &Machine,
    ) -> Result<u64, String> {
        if let Some(&(_, _, at)) = self.placed.iter().find(|p| (p.0, p.1) == (host, bytes)) {
            return Ok(at);
        }
        let at = self.next;
        self.next = (at + bytes as u64 + 64).div_ceil(64) * 64;
        if self.next > machine.offchip.bytes {
            return Err(format!(
                "the arguments need {} bytes of off-chip memory; the machine has {} (offchip.bytes)",
                self.next, machine.offchip.bytes
            ));
        }
        self.placed.push((host, bytes, at));
        Ok(at)
    }
}

/// Why a simulated launch failed.
#[derive(Debug)]
pub enum SimLaunchError {
    /// Validation, frontend or mid-end errors, as the JIT reports them;
    /// spatial compile errors are `LaunchError::Compile`.
    Launch(LaunchError),
    /// The simulator stopped the run (deadlock, cycle limit, ...).
    /// Boxed: a `SimError` carries a whole site and report.
    Sim {
        kernel: String,
        error: Box<SimError>,
    },
}

impl fmt::Display for SimLaunchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimLaunchError::Launch(e) => write!(f, "{e}"),
            SimLaunchError::Sim { kernel, error } => {
                write!(f, "kernel `{kernel}`: simulation failed: {error}")
            }
        }
    }
}

impl std::error::Error for SimLaunchError {}

/// As the runtime reports it: a simulator stop is a device error.
impl From<SimLaunchError> for LaunchError {
    fn from(e: SimLaunchError) -> LaunchError {
        match e {
            SimLaunchError::Launch(e) => e,
            SimLaunchError::Sim { kernel, error } => LaunchError::Device {
                kernel,
                message: error.to_string(),
            },
        }
    }
}

impl From<LaunchError> for SimLaunchError {
    fn from(e: LaunchError) -> SimLaunchError {
        SimLaunchError::Launch(e)
    }
}

/// A slice argument's place in off-chip memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SliceImage {
    pub param: usize,
    pub offchip: u64,
    pub host: u64,
    pub bytes: usize,
    pub mutable: bool,
}

/// A launch ready to simulate.
#[derive(Clone, Debug)]
pub struct SimImage {
    pub kernel: String,
    pub grid: [u32; 3],
    pub compiled: CompiledProgram,
    pub slices: Vec<SliceImage>,
    pub placement: InstancePlacement,
}

/// What a simulated launch measured.
#[derive(Clone, Debug)]
pub struct SimReport {
    pub kernel: String,
    pub machine: Machine,
    pub stats: Stats,
    /// The program every PE ran (the same code on each).
    pub program: PeProgram,
    /// Bundles and instructions of the PE program.
    pub bundles: usize,
    pub insts: usize,
    pub alloc: compile::AllocStats,
    /// Which PE ran which instance, and the annealer's costs.
    pub placement: InstancePlacement,
}

/// The spatial backend's launch path.
#[derive(Clone)]
pub struct SimEngine {
    machine: Machine,
    placement: PlacementPolicy,
    max_cycles: u64,
    print_sink: PrintSink,
    loops: Option<LoopScheduling>,
}

/// How the mid-end schedules innermost loops for the PE, when not as
/// [`compile::target`] says: for benchmarks and tests that compare or
/// force the two ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoopScheduling {
    /// `Target::unroll` (1: no unrolling).
    pub unroll: u32,
    /// `IssueModel::max_cost_percent` of `modulo-schedule`; `None` turns
    /// modulo scheduling off, a large value pipelines every loop it can.
    pub modulo_max_cost_percent: Option<u32>,
    /// `IssueModel::max_stages`.
    pub modulo_max_stages: u32,
}

impl fmt::Debug for SimEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimEngine")
            .field("machine", &self.machine.name)
            .field("placement", &self.placement)
            .field("max_cycles", &self.max_cycles)
            .finish_non_exhaustive()
    }
}

/// Engines are equal when they compile, place and simulate alike (where
/// `device_print` records go aside).
impl PartialEq for SimEngine {
    fn eq(&self, other: &SimEngine) -> bool {
        self.machine == other.machine
            && self.placement == other.placement
            && self.max_cycles == other.max_cycles
            && self.loops == other.loops
    }
}

impl Default for SimEngine {
    fn default() -> SimEngine {
        SimEngine::new(Machine::default_model())
    }
}

impl SimEngine {
    /// An engine for `machine`, placing instances by annealing
    /// ([`PlacementPolicy::annealed`]).
    pub fn new(machine: Machine) -> SimEngine {
        SimEngine {
            placement: PlacementPolicy::annealed(),
            machine,
            max_cycles: 200_000_000,
            print_sink: crate::runtime::debug::stderr_sink(),
            loops: None,
        }
    }

    /// Innermost loops scheduled as `loops` says instead of the default.
    pub fn with_loop_scheduling(mut self, loops: LoopScheduling) -> SimEngine {
        self.loops = Some(loops);
        self
    }

    /// Where `device_print` records go (standard error by default), as
    /// [`crate::Engine::print_sink`].
    pub fn with_print_sink(mut self, sink: PrintSink) -> SimEngine {
        self.print_sink = sink;
        self
    }

    /// Runs instances on these PEs only, in this round-robin order.
    pub fn with_placement(self, placement: Vec<TileCoord>) -> SimEngine {
        self.with_policy(PlacementPolicy::RoundRobin(placement))
    }

    /// Round robin over every PE, row-major from `(0,1)`.
    pub fn with_round_robin(self) -> SimEngine {
        let tiles = compile::default_placement(&self.machine);
        self.with_policy(PlacementPolicy::RoundRobin(tiles))
    }

    pub fn with_policy(mut self, policy: PlacementPolicy) -> SimEngine {
        self.placement = policy;
        self
    }

    pub fn policy(&self) -> &PlacementPolicy {
        &self.placement
    }

    /// Stops a run after this many cycles (an error, not a hang).
    pub fn with_max_cycles(mut self, cycles: u64) -> SimEngine {
        self.max_cycles = cycles;
        self
    }

    pub fn machine(&self) -> &Machine {
        &self.machine
    }

    /// The machine's name and a hash of its whole descriptor: what an
    /// autotuner's choice for this engine is valid for (two machines may
    /// share a name).
    pub fn machine_identity(&self) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        format!("{:?}", self.machine).hash(&mut h);
        format!("{} #{:016x}", self.machine.name, h.finish())
    }

    /// The mid-end target of this machine.
    pub fn target(&self) -> Target {
        let t = compile::target(&self.machine);
        match self.loops {
            None => t,
            Some(l) => {
                let modulo = t.modulo.zip(l.modulo_max_cost_percent).map(|(m, p)| {
                    persim_lang::target::IssueModel {
                        max_cost_percent: p,
                        max_stages: l.modulo_max_stages,
                        ..m
                    }
                });
                t.with_unroll(l.unroll).with_modulo(modulo)
            }
        }
    }

    /// Builds, compiles and runs `kernel` for `consts` over `grid`.
    pub fn launch(
        &self,
        kernel: &KernelSource,
        grid: Grid,
        consts: &[(&str, i64)],
        args: &mut [Arg<'_>],
    ) -> Result<SimReport, SimLaunchError> {
        let params = ParamSpec::of_source(kernel);
        check_args(kernel.name, &params, args)?;
        check_constexprs(kernel, consts)?;
        check_grid(kernel.name, grid)?;
        let f = persim_lang::front::specialize_inlined(kernel, consts)
            .map_err(LaunchError::Frontend)?;
        self.launch_ir(&f, grid, args)
    }

    /// Compiles and runs tile-level or lowered IR (lowered IR carries `lanes`).
    pub fn launch_ir(
        &self,
        f: &Function,
        grid: Grid,
        args: &mut [Arg<'_>],
    ) -> Result<SimReport, SimLaunchError> {
        let lowered = self.lower(&specialize_scalars(f, grid, args))?;
        let image = self.build(&lowered, grid, args)?;
        self.run_image(&image, args)
    }

    /// `f` with the launch's integer scalars and grid folded in (what
    /// [`SimEngine::launch_ir`] lowers).
    pub fn specialized(&self, f: &Function, grid: Grid, args: &[Arg<'_>]) -> Function {
        specialize_scalars(f, grid, args)
    }

    /// Runs the mid-end with this machine's target.
    pub fn lower(&self, f: &Function) -> Result<Function, LaunchError> {
        self.lower_for(f, self.target())
    }

    /// Runs the mid-end with `target` (this machine's, adjusted).
    pub(crate) fn lower_for(&self, f: &Function, target: Target) -> Result<Function, LaunchError> {
        let compile_err = |message: String| LaunchError::Compile {
            kernel: f.name.clone(),
            message,
        };
        let mut lowered = f.clone();
        let pipeline = if f.attrs.int("lanes").is_some() {
            Pipeline::post_lowering(target)
        } else {
            Pipeline::standard(target)
        };
        pipeline
            .run(&mut lowered)
            .map_err(|e| compile_err(e.to_string()))?;
        Ok(lowered)
    }

    /// Lowered IR + arguments → program and memory image (nothing runs).
    pub fn build(
        &self,
        lowered: &Function,
        grid: Grid,
        args: &[Arg<'_>],
    ) -> Result<SimImage, LaunchError> {
        let (words, slices) = self.arg_words(lowered, grid, args, &mut OffchipLayout::new())?;
        self.compile_image(lowered, grid, (words, slices), None, &Handoffs::default())
    }

    /// Checks `args` against lowered `f` and gives each its word: slices an
    /// off-chip address from `layout`, scalars their register bits.
    fn arg_words(
        &self,
        lowered: &Function,
        grid: Grid,
        args: &[Arg<'_>],
        layout: &mut OffchipLayout,
    ) -> Result<(Vec<u64>, Vec<SliceImage>), LaunchError> {
        let kernel = lowered.name.clone();
        let compile_err = |message: String| LaunchError::Compile {
            kernel: kernel.clone(),
            message,
        };
        let params = lowered
            .params
            .iter()
            .map(ParamSpec::of_ir)
            .collect::<Result<Vec<_>, _>>()
            .map_err(compile_err)?;
        check_args(&kernel, &params, args)?;
        check_grid(&kernel, grid)?;
        let mut words = Vec::with_capacity(args.len());
        let mut slices = Vec::new();
        for (param, a) in args.iter().enumerate() {
            match *a.value() {
                ArgValue::Slice {
                    addr,
                    len,
                    dtype,
                    mutable,
                } => {
                    let bytes = len * dtype.size_bytes() as usize;
                    let offchip = layout
                        .place(addr, bytes, &self.machine)
                        .map_err(compile_err)?;
                    words.push(offchip);
                    slices.push(SliceImage {
                        param,
                        offchip,
                        host: addr,
                        bytes,
                        mutable,
                    });
                }
                ArgValue::Scalar { bits, dtype } => words.push(register_word(dtype, bits)),
            }
        }
        Ok((words, slices))
    }

    /// Places and compiles lowered `f` with its argument words; `tiles`
    /// overrides the engine's placement (round robin over them), and
    /// `handoffs` are its tensors handed PE to PE in a graph launch.
    fn compile_image(
        &self,
        lowered: &Function,
        grid: Grid,
        (words, slices): (Vec<u64>, Vec<SliceImage>),
        tiles: Option<&[TileCoord]>,
        handoffs: &Handoffs,
    ) -> Result<SimImage, LaunchError> {
        let kernel = lowered.name.clone();
        let compile_err = |message: String| LaunchError::Compile {
            kernel: kernel.clone(),
            message,
        };
        let total = grid.0.iter().map(|&g| u64::from(g)).product::<u64>();
        u32::try_from(total)
            .map_err(|_| compile_err(format!("a grid of {total} instances is not supported")))?;
        let map = MemoryMap::new(lowered, &self.machine).map_err(|e| compile_err(e.to_string()))?;
        let policy = match tiles {
            Some(t) => PlacementPolicy::RoundRobin(t.to_vec()),
            None => self.placement.clone(),
        };
        let placement =
            place_instances(&self.machine, lowered, &map, grid.0, &policy).map_err(compile_err)?;
        let instances = match &policy {
            PlacementPolicy::RoundRobin(tiles) => InstanceMap::RoundRobin(tiles),
            PlacementPolicy::Annealed(_) => InstanceMap::Listed(&placement.lists),
        };
        let launch = Launch {
            grid: grid.0,
            arg_words: &words,
            instances,
        };
        let compiled = compile::compile_linked(lowered, &self.machine, &launch, handoffs)
            .map_err(|e: CompileError| compile_err(e.to_string()))?;
        Ok(SimImage {
            kernel,
            grid: grid.0,
            compiled,
            slices,
            placement,
        })
    }

    /// Simulates `image`, then copies the mutable slices back into `args`.
    pub fn run_image(
        &self,
        image: &SimImage,
        args: &mut [Arg<'_>],
    ) -> Result<SimReport, SimLaunchError> {
        let sim_err = |error: SimError| SimLaunchError::Sim {
            kernel: image.kernel.clone(),
            error: Box::new(error),
        };
        let internal = |message: String| {
            SimLaunchError::Launch(LaunchError::Compile {
                kernel: image.kernel.clone(),
                message,
            })
        };
        let mut sim = Simulator::new(&self.machine, &image.compiled.program).map_err(sim_err)?;
        for init in &image.compiled.sram {
            sim.write_sram(init.tile, u64::from(init.addr), &init.bytes)
                .map_err(internal)?;
        }
        for s in &image.slices {
            let ArgValue::Slice { addr, .. } = *args[s.param].value() else {
                return Err(internal("argument changed between build and run".into()));
            };
            // SAFETY: `addr` and `bytes` come from an `Arg` built from a
            // borrowed slice of at least `bytes` bytes, alive for the call.
            let host = unsafe { std::slice::from_raw_parts(addr as *const u8, s.bytes) };
            sim.write_offchip(s.offchip, host).map_err(internal)?;
        }
        let stats = sim.run(self.max_cycles).map_err(sim_err)?;
        for s in image.slices.iter().filter(|s| s.mutable) {
            let ArgValue::Slice {
                addr,
                mutable: true,
                ..
            } = *args[s.param].value()
            else {
                return Err(internal("argument changed between build and run".into()));
            };
            let data = sim.read_offchip(s.offchip, s.bytes).map_err(internal)?;
            // SAFETY: a mutable `Arg` is built from a `&mut` slice of at least
            // `bytes` bytes that overlaps no other argument.
            let host = unsafe { std::slice::from_raw_parts_mut(addr as *mut u8, s.bytes) };
            host.copy_from_slice(&data);
        }
        debug::report(
            &image.kernel,
            &image.compiled.debug_sites,
            &stats,
            image.grid,
            &self.print_sink,
        )?;
        let program = image
            .compiled
            .program
            .tiles
            .values()
            .next()
            .cloned()
            .ok_or_else(|| internal("the compiled program has no PE".into()))?;
        Ok(SimReport {
            kernel: image.kernel.clone(),
            machine: self.machine.clone(),
            program,
            stats,
            bundles: image.compiled.bundles,
            insts: image.compiled.insts,
            alloc: image.compiled.alloc,
            placement: image.placement.clone(),
        })
    }
}

/// `f` with its integer scalar parameters replaced by the launch's values.
///
/// The simulator compiles every launch (the argument words are already
/// constants of the PE program), so specializing costs nothing, and the
/// mid-end then folds what Triton only guesses at run time: a stride of 1
/// (the 2-D copy without the `if stride == 1` test, which also lets
/// `double-buffer` alternate it), `k`-tail masks that never mask (proved
/// by range analysis once `k` is known), trip counts. Triton's JIT
/// specializes integer arguments equal to 1 and divisible by 16 for the
/// same reasons. Lowered IR (already past the mid-end) is left alone, as
/// are floats.
fn specialize_scalars(f: &Function, grid: Grid, args: &[Arg<'_>]) -> Function {
    let mut f = f.clone();
    if f.attrs.int("lanes").is_some() || args.len() != f.params.len() {
        return f;
    }
    // The grid too: `num_programs` is a constant, and every `program_id`
    // is below it (an `assume` the range analysis reads, so that index
    // arithmetic on program ids, such as Triton's grouped ordering, gets
    // bounds).
    for op in f.all_ops() {
        let d = f.op(op).clone();
        if !matches!(d.opcode, Opcode::ProgramId | Opcode::NumPrograms) {
            continue;
        }
        let Some(block) = d.parent else { continue };
        let axis = d.attrs.int("axis").unwrap_or(0).clamp(0, 2) as usize;
        let count = i64::from(grid.0[axis]);
        let at = f
            .block_ops(block)
            .iter()
            .position(|&o| o == op)
            .unwrap_or(0)
            + 1;
        let mut b = persim_lang::ir::Builder::before(&mut f, block, at);
        b.loc = d.loc;
        let n = b.const_int(count, Dtype::I32);
        if d.opcode == Opcode::NumPrograms {
            f.replace_uses(d.results[0], n);
        } else {
            let below = b
                .cmp(CmpPred::Lt, d.results[0], n)
                .expect("program ids are i32");
            b.build(Opcode::Assume, &[below], Attrs::new(), &[])
                .expect("assume of an i1");
        }
    }
    let body = f.body;
    let params = f.block_args(body).to_vec();
    for (param, arg) in params.into_iter().zip(args) {
        let ArgValue::Scalar { bits, dtype } = *arg.value() else {
            continue;
        };
        if *f.ty(param) != persim_lang::ir::Type::scalar(dtype) || !dtype.is_int() {
            continue;
        }
        let value = match dtype {
            Dtype::I8 => i64::from(bits as u8 as i8),
            Dtype::I16 => i64::from(bits as u16 as i16),
            Dtype::I32 => i64::from(bits as u32 as i32),
            Dtype::U8 => i64::from(bits as u8),
            Dtype::U16 => i64::from(bits as u16),
            Dtype::U32 => i64::from(bits as u32),
            _ => continue,
        };
        let mut b = persim_lang::ir::Builder::before(&mut f, body, 0);
        let c = b.const_int(value, dtype);
        f.replace_uses(param, c);
    }
    f
}

/// A scalar argument's bits as the PE register holds the value: narrow
/// integers sign- or zero-extended, `f16`/`bf16` as the f32 of their value
/// (the compiler's canonical forms, `compile/isel/narrow.rs`).
fn register_word(dtype: Dtype, bits: u64) -> u64 {
    u64::from(match dtype {
        Dtype::I8 => bits as u8 as i8 as i32 as u32,
        Dtype::U8 => bits as u8 as u32,
        Dtype::I16 => bits as u16 as i16 as i32 as u32,
        Dtype::U16 => bits as u16 as u32,
        Dtype::F16 => half::f16::from_bits(bits as u16).to_f32().to_bits(),
        Dtype::BF16 => half::bf16::from_bits(bits as u16).to_f32().to_bits(),
        // 64-bit scalars keep every bit (a splat vector holds them).
        Dtype::I64 | Dtype::U64 | Dtype::F64 => return bits,
        _ => bits as u32,
    })
}
