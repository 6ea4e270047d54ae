//! Graph launches: several kernels launched as one, the tensors between
//! them handed PE to PE over routed NoC channels wherever the compiler can
//! prove each consumer instance reads exactly what one producer instance
//! wrote (`compile/handoff.rs`), and through off-chip memory otherwise.
//!
//! A [`SimGraph`] lists kernels in execution order; an argument is a host
//! slice or scalar, or a [`TensorId`]: an intermediate the graph owns, bound
//! to one writer's mutable pointer parameter and to its readers' pointer
//! parameters. [`SimEngine::launch_graph`]:
//!
//! 1. lowers every kernel with its launch's scalars (as a single launch);
//! 2. decides per tensor: **handed off** when the grids are equal and the
//!    writer's block copy matches each reader's instance by instance (a
//!    send per reader); else **off-chip**, with the reason;
//! 3. groups kernels joined by hand-offs into *phases*, run one after the
//!    other (an off-chip tensor is complete before a later phase reads it;
//!    a hand-off that would join kernels with an off-chip dependency
//!    between them, or more than [`handoff::MAX_SLOTS`] per kernel, goes
//!    off-chip);
//! 4. maps a phase of several kernels: `r` PEs per kernel (the grid's
//!    instances round robin over them, so the `j`-th PEs of producer and
//!    consumer run the same instances in the same order), placed by the
//!    annealer with every pair's bytes on its wire, then each pair's
//!    channel routed by PathFinder and realised as a DMA route (X then Y,
//!    or Y then X when that is the route chosen);
//! 5. compiles each kernel for its PEs and hand-offs, merges the programs
//!    and memory images, and simulates the phase.
//!
//! [`GraphMode::OneByOne`] runs every kernel as its own phase, each tensor
//! through off-chip memory: what separate launches do, the baseline the
//! streamed graph is measured against.

use std::collections::BTreeMap;
use std::fmt;

use persim_lang::front::KernelSource;
use persim_lang::ir::{Dtype, Function};

use super::{debug, specialize_scalars, OffchipLayout, SimEngine, SimImage, SimLaunchError};
use crate::runtime::signature::check_constexprs;
use crate::runtime::{Arg, ArgValue, Grid, LaunchError};
use crate::spatial::compile::handoff::{self, Role, Site, Transfer};
use crate::spatial::compile::{self, Handoffs, MemoryMap};
use crate::spatial::coord::TileCoord;
use crate::spatial::machine::Machine;
use crate::spatial::map::svg::{mesh_svg, MeshPicture};
use crate::spatial::map::{
    place, route, AnnealConfig, Channel, PlacementProblem, RouteConfig, Routes,
};
use crate::spatial::program::Program;
use crate::spatial::sim::{Simulator, Stats};

/// An intermediate tensor of a [`SimGraph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TensorId(usize);

/// One argument of a graph's kernel.
#[derive(Debug)]
pub enum GraphArg<'a> {
    Host(Arg<'a>),
    Tensor(TensorId),
}

impl<'a> From<Arg<'a>> for GraphArg<'a> {
    fn from(a: Arg<'a>) -> GraphArg<'a> {
        GraphArg::Host(a)
    }
}

impl From<TensorId> for GraphArg<'_> {
    fn from(t: TensorId) -> Self {
        GraphArg::Tensor(t)
    }
}

struct Tensor {
    name: String,
    dtype: Dtype,
    len: usize,
    /// Its bytes while off-chip phases pass it along (8-byte aligned).
    host: Vec<u64>,
}

impl Tensor {
    fn bytes(&self) -> u64 {
        self.len as u64 * u64::from(self.dtype.size_bytes())
    }
}

struct Node<'a> {
    kernel: Function,
    grid: Grid,
    args: Vec<GraphArg<'a>>,
}

/// Kernels to launch together, in execution order, and the tensors they
/// pass along.
#[derive(Default)]
pub struct SimGraph<'a> {
    tensors: Vec<Tensor>,
    nodes: Vec<Node<'a>>,
}

impl<'a> SimGraph<'a> {
    pub fn new() -> SimGraph<'a> {
        SimGraph::default()
    }

    /// A tensor of `len` elements of `dtype`, written by one kernel and
    /// read by later ones.
    pub fn tensor(&mut self, name: &str, dtype: Dtype, len: usize) -> TensorId {
        let words = (len * dtype.size_bytes() as usize).div_ceil(8);
        self.tensors.push(Tensor {
            name: name.to_string(),
            dtype,
            len,
            host: vec![0; words],
        });
        TensorId(self.tensors.len() - 1)
    }

    /// Adds `kernel` (tile-level IR, as [`SimEngine::launch_ir`] takes)
    /// over `grid`.
    pub fn kernel(&mut self, kernel: Function, grid: Grid, args: Vec<GraphArg<'a>>) {
        self.nodes.push(Node { kernel, grid, args });
    }

    /// Adds a `#[persim::kernel]` (its `KERNEL` source) specialized for
    /// `consts`, as [`SimEngine::launch`] would build it.
    pub fn kernel_source(
        &mut self,
        kernel: &KernelSource,
        consts: &[(&str, i64)],
        grid: Grid,
        args: Vec<GraphArg<'a>>,
    ) -> Result<(), LaunchError> {
        check_constexprs(kernel, consts)?;
        let f = persim_lang::front::specialize_inlined(kernel, consts)
            .map_err(LaunchError::Frontend)?;
        self.kernel(f, grid, args);
        Ok(())
    }
}

/// How [`SimEngine::launch_graph`] runs a graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphMode {
    /// Tensors handed PE to PE wherever possible.
    Streamed,
    /// Every kernel on its own, every tensor through off-chip memory.
    OneByOne,
}

/// Where a tensor went.
#[derive(Clone, Debug, PartialEq)]
pub enum TensorPath {
    /// PE to PE: `channels` producer/consumer pairs, `hops` links in all.
    HandedOff { channels: usize, hops: usize },
    /// Through off-chip memory, and why.
    OffChip { reason: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct TensorReport {
    pub name: String,
    pub bytes: u64,
    pub path: TensorPath,
}

/// One simulated phase.
#[derive(Clone, Debug)]
pub struct PhaseReport {
    pub kernels: Vec<String>,
    /// Per kernel: the PEs it ran on.
    pub tiles: Vec<Vec<TileCoord>>,
    pub stats: Stats,
    /// The hand-off channels' routes (phases of several kernels).
    pub routes: Option<Routes>,
}

impl PhaseReport {
    /// The mesh of this phase: each PE coloured by its utilisation and
    /// labelled with its kernel, and every hand-off channel's route.
    pub fn mesh_svg(&self, machine: &Machine) -> String {
        let mut labels: BTreeMap<TileCoord, Vec<String>> = BTreeMap::new();
        for (kernel, tiles) in self.kernels.iter().zip(&self.tiles) {
            for t in tiles {
                labels.entry(*t).or_default().push(kernel.clone());
            }
        }
        let routes = self
            .routes
            .iter()
            .flat_map(|r| r.routes.iter())
            .map(|r| (format!("hand-off {} -> {}", r.src, r.dst), r.clone()))
            .collect();
        let picture = MeshPicture {
            title: format!(
                "{}: {} cycles, hand-offs routed",
                self.kernels.join(" + "),
                self.stats.cycles
            ),
            utilization: MeshPicture::utilization_from_stats(&self.stats),
            labels,
            regions: Vec::new(),
            routes,
        };
        mesh_svg(machine, &picture)
    }
}

/// What a graph launch did.
#[derive(Clone, Debug)]
pub struct GraphReport {
    pub mode: GraphMode,
    pub phases: Vec<PhaseReport>,
    pub tensors: Vec<TensorReport>,
}

impl GraphReport {
    /// Cycles of all phases, run one after the other.
    pub fn cycles(&self) -> u64 {
        self.phases.iter().map(|p| p.stats.cycles).sum()
    }

    /// Off-chip bytes read and written, as the simulator counted them.
    pub fn offchip_bytes(&self) -> u64 {
        self.phases
            .iter()
            .map(|p| super::offchip_bytes(&p.stats))
            .sum()
    }
}

impl fmt::Display for GraphReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:?}: {} cycles, {} off-chip bytes, {} phase(s)",
            self.mode,
            self.cycles(),
            self.offchip_bytes(),
            self.phases.len()
        )?;
        for p in &self.phases {
            let pes: Vec<String> = p
                .kernels
                .iter()
                .zip(&p.tiles)
                .map(|(k, t)| format!("{k} on {} PEs", t.len()))
                .collect();
            writeln!(
                f,
                "  phase [{}]: {} cycles, {} off-chip bytes",
                pes.join(", "),
                p.stats.cycles,
                super::offchip_bytes(&p.stats)
            )?;
        }
        for t in &self.tensors {
            match &t.path {
                TensorPath::HandedOff { channels, hops } => writeln!(
                    f,
                    "  tensor `{}` ({} B): handed off over {channels} channels, {hops} hops",
                    t.name, t.bytes
                )?,
                TensorPath::OffChip { reason } => writeln!(
                    f,
                    "  tensor `{}` ({} B): off-chip: {reason}",
                    t.name, t.bytes
                )?,
            }
        }
        Ok(())
    }
}

/// A tensor's writer and readers: `(kernel, parameter)`.
struct Uses {
    writer: (usize, usize),
    readers: Vec<(usize, usize)>,
}

/// A hand-off decided for a tensor: both copies.
#[derive(Clone)]
struct Link {
    tensor: usize,
    from: (usize, Transfer),
    to: (usize, Transfer),
}

impl SimEngine {
    /// Runs `graph` (see the module documentation); results land in the
    /// host slices as separate launches would leave them.
    pub fn launch_graph(
        &self,
        graph: &mut SimGraph<'_>,
        mode: GraphMode,
    ) -> Result<GraphReport, SimLaunchError> {
        let graph_err = |message: String| {
            SimLaunchError::Launch(LaunchError::Compile {
                kernel: "graph".into(),
                message,
            })
        };
        if graph.nodes.is_empty() {
            return Err(graph_err("the graph has no kernel".into()));
        }
        let uses = tensor_uses(graph).map_err(graph_err)?;
        // The tensors' buffers, which phases write back into.
        let buffers: Vec<u64> = graph
            .tensors
            .iter_mut()
            .map(|t| t.host.as_mut_ptr() as u64)
            .collect();
        // Every kernel's arguments as a single launch would take them.
        let args: Vec<Vec<Arg<'_>>> = graph
            .nodes
            .iter()
            .map(|n| {
                n.args
                    .iter()
                    .enumerate()
                    .map(|(p, a)| match a {
                        GraphArg::Host(a) => duplicate(a),
                        GraphArg::Tensor(id) => {
                            let t = &graph.tensors[id.0];
                            let mutable = n.kernel.params.get(p).is_some_and(|p| p.mutable);
                            // SAFETY: the tensor's buffer holds `len`
                            // elements and lives as long as `graph`, which
                            // is borrowed mutably for the call; the engine
                            // alone reads and writes it, one phase at a time.
                            unsafe { Arg::from_raw_parts(buffers[id.0], t.len, t.dtype, mutable) }
                        }
                    })
                    .collect()
            })
            .collect();
        // A tensor handed to another kernel leaves its writer in one copy,
        // which the hand-off replaces: not in blocks (`early-write-out`).
        let hands_off = |i: usize| {
            mode == GraphMode::Streamed
                && uses
                    .iter()
                    .any(|u| u.writer.0 == i && !u.readers.is_empty())
        };
        let lowered = graph
            .nodes
            .iter()
            .zip(&args)
            .enumerate()
            .map(|(i, (n, a))| {
                let target = self.target().with_early_write_out(!hands_off(i));
                self.lower_for(&specialize_scalars(&n.kernel, n.grid, a), target)
            })
            .collect::<Result<Vec<_>, _>>()?;

        let mut paths: Vec<TensorPath> = Vec::new();
        let mut links: Vec<Link> = Vec::new();
        for (t, u) in uses.iter().enumerate() {
            let decided = match mode {
                GraphMode::OneByOne => Err("the graph runs one kernel at a time".to_string()),
                GraphMode::Streamed => handoff_of(graph, &lowered, t, u),
            };
            match decided {
                Ok(mut handed) => {
                    links.append(&mut handed);
                    paths.push(TensorPath::HandedOff {
                        channels: 0,
                        hops: 0,
                    });
                }
                Err(reason) => paths.push(TensorPath::OffChip { reason }),
            }
        }
        // Each kernel's first state slot free for hand-offs (its shared
        // panels take the slots from 0).
        let reserved: Vec<usize> = graph
            .nodes
            .iter()
            .zip(&lowered)
            .map(|(n, f)| compile::first_handoff_slot(f, n.grid.0, &self.machine))
            .collect();
        let phases = phases(&reserved, &uses, &mut links, &mut paths);

        let mut layout = OffchipLayout::new();
        let mut report = GraphReport {
            mode,
            phases: Vec::new(),
            tensors: Vec::new(),
        };
        for phase in &phases {
            let phase_links: Vec<&Link> =
                links.iter().filter(|l| phase.contains(&l.from.0)).collect();
            let mut words = Vec::new();
            for &k in phase {
                let (mut w, mut slices) =
                    self.arg_words(&lowered[k], graph.nodes[k].grid, &args[k], &mut layout)?;
                // A handed-off tensor has no off-chip copy.
                for l in &phase_links {
                    if l.from.0 == k || l.to.0 == k {
                        let p = param_of(&graph.nodes[k], l.tensor);
                        w[p] = 0;
                        slices.retain(|s| s.param != p);
                    }
                }
                words.push((w, slices));
            }
            let (images, routes) = if phase.len() == 1 {
                let k = phase[0];
                let image = self.compile_image(
                    &lowered[k],
                    graph.nodes[k].grid,
                    words.pop().expect("one kernel"),
                    None,
                    &Handoffs::default(),
                )?;
                (vec![image], None)
            } else {
                let kernels = (&lowered[..], &reserved[..]);
                self.map_phase(graph, kernels, phase, &phase_links, words, &mut paths)?
            };
            report
                .phases
                .push(self.run_phase(&images, &args, phase, routes)?);
        }
        report.tensors = graph
            .tensors
            .iter()
            .zip(paths)
            .map(|(t, path)| TensorReport {
                name: t.name.clone(),
                bytes: t.bytes(),
                path,
            })
            .collect();
        Ok(report)
    }

    /// Places the kernels of a phase joined by hand-offs, routes the
    /// hand-offs and compiles each kernel for its PEs; `reserved` is each
    /// kernel's first state slot free for hand-offs.
    #[allow(clippy::type_complexity)]
    fn map_phase(
        &self,
        graph: &SimGraph<'_>,
        (lowered, reserved): (&[Function], &[usize]),
        phase: &[usize],
        links: &[&Link],
        words: Vec<(Vec<u64>, Vec<super::SliceImage>)>,
        paths: &mut [TensorPath],
    ) -> Result<(Vec<SimImage>, Option<Routes>), SimLaunchError> {
        let err = |message: String| {
            SimLaunchError::Launch(LaunchError::Compile {
                kernel: lowered[phase[0]].name.clone(),
                message,
            })
        };
        let total = graph.nodes[phase[0]].grid.instances() as usize;
        let per_kernel = (self.machine.pe_count() as usize / phase.len()).max(1);
        let r = total.min(per_kernel);
        // One task per (kernel, j); each fills half a PE's SRAM, so the
        // annealer puts one on a PE.
        let mut problem = PlacementProblem::new();
        let half = u64::from(self.machine.pe.sram_bytes) / 2 + 1;
        let tasks: Vec<Vec<_>> = phase
            .iter()
            .map(|&k| {
                (0..r)
                    .map(|j| problem.add_task(format!("{}[{j}]", lowered[k].name), half, 1.0))
                    .collect()
            })
            .collect();
        let index = |k: usize| phase.iter().position(|&p| p == k).expect("in phase");
        for (i, (_, slices)) in words.iter().enumerate() {
            let bytes: u64 = slices.iter().map(|s| s.bytes as u64).sum::<u64>() / r as u64;
            for &task in &tasks[i] {
                problem.connect_offchip(task, bytes.max(1));
            }
        }
        for l in links {
            let bytes = (graph.tensors[l.tensor].bytes() / r as u64).max(1);
            let (from, to) = (&tasks[index(l.from.0)], &tasks[index(l.to.0)]);
            for (&a, &b) in from.iter().zip(to) {
                problem.connect(a, b, bytes);
            }
        }
        let placed = place(&self.machine, &problem, &AnnealConfig::default())
            .map_err(|e| err(format!("placing the graph: {e}")))?;
        let tiles: Vec<Vec<TileCoord>> = tasks
            .iter()
            .map(|ts| ts.iter().map(|&t| placed.placement.tile(t)).collect())
            .collect();
        // A hand-off moves in bursts at link speed; two may share a link.
        let demand = f64::from(self.machine.noc.link_bytes_per_cycle) / 2.0;
        let mut channels = Vec::new();
        for l in links {
            let (from, to) = (&tiles[index(l.from.0)], &tiles[index(l.to.0)]);
            for (j, (&a, &b)) in from.iter().zip(to).enumerate() {
                channels.push(Channel::new(
                    format!("{}#{j}", graph.tensors[l.tensor].name),
                    a,
                    b,
                    demand,
                ));
            }
        }
        let routes = route(&self.machine, &channels, &RouteConfig::default())
            .map_err(|e| err(format!("routing the graph's hand-offs: {e}")))?;
        // Slots: each kernel's hand-offs in link order, after its shared
        // panels'.
        let mut slots: Vec<usize> = phase.iter().map(|&k| reserved[k]).collect();
        let mut handoffs: Vec<Handoffs> = vec![Handoffs::default(); phase.len()];
        for (n, l) in links.iter().enumerate() {
            let (p, c) = (index(l.from.0), index(l.to.0));
            let (sp, sc) = (slots[p], slots[c]);
            if sp.max(sc) >= handoff::MAX_SLOTS {
                return Err(err(format!(
                    "internal error: tensor `{}` has no state slot ({} per kernel)",
                    graph.tensors[l.tensor].name,
                    handoff::MAX_SLOTS
                )));
            }
            slots[p] += 1;
            slots[c] += 1;
            let consumer_map =
                MemoryMap::new(&lowered[l.to.0], &self.machine).map_err(|e| err(e.to_string()))?;
            let to = &l.to.1;
            let place = consumer_map
                .buffers
                .get(&to.buffer)
                .copied()
                .ok_or_else(|| err("internal error: a hand-off's buffer has no place".into()))?;
            let dst_addr =
                place.addr as i64 + to.buffer_index.unwrap_or(0) * place.elem_bytes as i64;
            let dst_stride = to.buffer_stride.unwrap_or(0) * place.elem_bytes as i64;
            handoffs[p].plan.sites.push(Site {
                op: l.from.1.op,
                slot: sp,
                role: Role::Send,
            });
            handoffs[c].plan.sites.push(Site {
                op: to.op,
                slot: sc,
                role: Role::Receive { producer_slot: sp },
            });
            let mut hops = 0;
            let pairs = tiles[p].iter().zip(&tiles[c]);
            for (route, (&tp, &tc)) in routes.routes[n * r..].iter().zip(pairs) {
                hops += route.hops();
                handoffs[p].states.push((
                    tp,
                    sp,
                    handoff::send_state(
                        tp,
                        sp,
                        tc,
                        sc,
                        (dst_addr as u32, dst_stride as u32),
                        y_first(route),
                    ),
                ));
                handoffs[c]
                    .states
                    .push((tc, sc, handoff::receive_state(tp)));
            }
            paths[l.tensor] = match paths[l.tensor] {
                TensorPath::HandedOff {
                    channels: c,
                    hops: h,
                } if c > 0 => TensorPath::HandedOff {
                    channels: c + r,
                    hops: h + hops,
                },
                _ => TensorPath::HandedOff { channels: r, hops },
            };
        }
        let mut images = Vec::new();
        for (i, w) in words.into_iter().enumerate() {
            let k = phase[i];
            images.push(self.compile_image(
                &lowered[k],
                graph.nodes[k].grid,
                w,
                Some(&tiles[i]),
                &handoffs[i],
            )?);
        }
        Ok((images, Some(routes)))
    }

    /// Simulates the images of one phase together, then copies the
    /// written slices back.
    fn run_phase(
        &self,
        images: &[SimImage],
        args: &[Vec<Arg<'_>>],
        phase: &[usize],
        routes: Option<Routes>,
    ) -> Result<PhaseReport, SimLaunchError> {
        let kernel = images
            .iter()
            .map(|i| i.kernel.clone())
            .collect::<Vec<_>>()
            .join("+");
        let internal = |message: String| {
            SimLaunchError::Launch(LaunchError::Compile {
                kernel: kernel.clone(),
                message,
            })
        };
        let mut program = Program::new();
        for image in images {
            program.tiles.extend(
                image
                    .compiled
                    .program
                    .tiles
                    .iter()
                    .map(|(t, p)| (*t, p.clone())),
            );
        }
        let sim_err = |error| SimLaunchError::Sim {
            kernel: kernel.clone(),
            error: Box::new(error),
        };
        let mut sim = Simulator::new(&self.machine, &program).map_err(sim_err)?;
        for image in images {
            for init in &image.compiled.sram {
                sim.write_sram(init.tile, u64::from(init.addr), &init.bytes)
                    .map_err(internal)?;
            }
            for s in &image.slices {
                // SAFETY: `host` and `bytes` come from an `Arg` built from a
                // borrowed slice (or a tensor's buffer) of at least `bytes`
                // bytes, alive for the call.
                let host = unsafe { std::slice::from_raw_parts(s.host as *const u8, s.bytes) };
                sim.write_offchip(s.offchip, host).map_err(internal)?;
            }
        }
        let stats = sim.run(self.max_cycles).map_err(sim_err)?;
        for (image, &k) in images.iter().zip(phase) {
            for s in image.slices.iter().filter(|s| s.mutable) {
                let ArgValue::Slice { addr, .. } = *args[k][s.param].value() else {
                    return Err(internal("argument changed between build and run".into()));
                };
                let data = sim.read_offchip(s.offchip, s.bytes).map_err(internal)?;
                // SAFETY: a mutable `Arg` is built from a `&mut` slice (or a
                // tensor's buffer) of at least `bytes` bytes that no other
                // argument of its kernel overlaps.
                let host = unsafe { std::slice::from_raw_parts_mut(addr as *mut u8, s.bytes) };
                host.copy_from_slice(&data);
            }
            let tiles: Vec<TileCoord> = image.compiled.program.tiles.keys().copied().collect();
            let mut own = stats.clone();
            own.pes.retain(|p| tiles.contains(&p.tile));
            debug::report(
                &image.kernel,
                &image.compiled.debug_sites,
                &own,
                image.grid,
                &self.print_sink,
            )?;
        }
        Ok(PhaseReport {
            kernels: images.iter().map(|i| i.kernel.clone()).collect(),
            tiles: images
                .iter()
                .map(|i| i.compiled.program.tiles.keys().copied().collect())
                .collect(),
            stats,
            routes,
        })
    }
}

/// Each tensor's writer and readers, checked: one writer, before every
/// reader.
fn tensor_uses(graph: &SimGraph<'_>) -> Result<Vec<Uses>, String> {
    let mut writer: Vec<Option<(usize, usize)>> = vec![None; graph.tensors.len()];
    let mut readers: Vec<Vec<(usize, usize)>> = vec![Vec::new(); graph.tensors.len()];
    for (k, n) in graph.nodes.iter().enumerate() {
        for (p, a) in n.args.iter().enumerate() {
            let GraphArg::Tensor(t) = a else { continue };
            let tensor = graph.tensors.get(t.0).ok_or_else(|| {
                format!("kernel `{}` names a tensor of another graph", n.kernel.name)
            })?;
            let param = n.kernel.params.get(p).ok_or_else(|| {
                format!(
                    "kernel `{}` takes {} arguments; tensor `{}` is argument {p}",
                    n.kernel.name,
                    n.kernel.params.len(),
                    tensor.name
                )
            })?;
            let twice = n
                .args
                .iter()
                .enumerate()
                .any(|(q, b)| q != p && matches!(b, GraphArg::Tensor(u) if u == t));
            if twice {
                return Err(format!(
                    "kernel `{}` takes tensor `{}` twice; pass a host slice instead",
                    n.kernel.name, tensor.name
                ));
            }
            if param.mutable {
                if let Some((w, _)) = writer[t.0] {
                    return Err(format!(
                        "tensor `{}` is written by both `{}` and `{}`",
                        tensor.name, graph.nodes[w].kernel.name, n.kernel.name
                    ));
                }
                writer[t.0] = Some((k, p));
            } else if writer[t.0].is_none() {
                return Err(format!(
                    "kernel `{}` reads tensor `{}` (argument `{}`) before a kernel writes it",
                    n.kernel.name, tensor.name, param.name
                ));
            } else {
                readers[t.0].push((k, p));
            }
        }
    }
    writer
        .into_iter()
        .zip(readers)
        .zip(&graph.tensors)
        .map(|((w, readers), t)| match w {
            Some(writer) => Ok(Uses { writer, readers }),
            None => Err(format!("tensor `{}` is written by no kernel", t.name)),
        })
        .collect()
}

/// The hand-offs of tensor `t`, one per reader, or why it stays off-chip.
fn handoff_of(
    graph: &SimGraph<'_>,
    lowered: &[Function],
    t: usize,
    uses: &Uses,
) -> Result<Vec<Link>, String> {
    if uses.readers.is_empty() {
        return Err("no kernel reads it".into());
    }
    let (p, pp) = uses.writer;
    let gp = graph.nodes[p].grid;
    let from = Transfer::of(&lowered[p], pp, true, gp.0)?;
    let mut links = Vec::new();
    for &(c, cp) in &uses.readers {
        let gc = graph.nodes[c].grid;
        if gp != gc {
            return Err(format!(
                "`{}` runs over {:?} and `{}` over {:?}",
                lowered[p].name, gp.0, lowered[c].name, gc.0
            ));
        }
        let to = Transfer::of(&lowered[c], cp, false, gc.0)?;
        to.matches(&from)
            .map_err(|e| format!("for `{}`: {e}", lowered[c].name))?;
        links.push(Link {
            tensor: t,
            from: (p, from.clone()),
            to: (c, to),
        });
    }
    Ok(links)
}

/// Groups kernels joined by hand-offs into phases, in an order where every
/// off-chip tensor is written in an earlier phase than it is read; sends
/// the hand-offs that prevent that (or exceed a kernel's slots) off-chip.
fn phases(
    reserved: &[usize],
    uses: &[Uses],
    links: &mut Vec<Link>,
    paths: &mut [TensorPath],
) -> Vec<Vec<usize>> {
    let kernels = reserved.len();
    let free = |k: usize| handoff::MAX_SLOTS.saturating_sub(reserved[k]);
    loop {
        let mut group: Vec<usize> = (0..kernels).collect();
        fn root(g: &mut [usize], k: usize) -> usize {
            let mut r = k;
            while g[r] != r {
                r = g[r];
            }
            g[k] = r;
            r
        }
        for l in links.iter() {
            let (a, b) = (root(&mut group, l.from.0), root(&mut group, l.to.0));
            group[a.max(b)] = a.min(b);
        }
        let roots: Vec<usize> = (0..kernels).map(|k| root(&mut group, k)).collect();
        let mut order: Vec<usize> = roots.clone();
        order.sort_unstable();
        order.dedup();
        let phase_of = |k: usize| order.iter().position(|&r| r == roots[k]).expect("root");
        // A phase must not read what it or a later phase writes off-chip.
        let handed: Vec<usize> = links.iter().map(|l| l.tensor).collect();
        let bad = uses.iter().enumerate().find_map(|(t, u)| {
            if handed.contains(&t) {
                return None;
            }
            let w = phase_of(u.writer.0);
            u.readers
                .iter()
                .map(|&(r, _)| phase_of(r))
                .find(|&r| r <= w)
                .map(|r| {
                    // Split the reader's phase if it was joined, else the writer's.
                    if links.iter().any(|l| phase_of(l.from.0) == r) {
                        r
                    } else {
                        w
                    }
                })
        });
        let crowded = (0..kernels).find(|&k| {
            links
                .iter()
                .filter(|l| l.from.0 == k || l.to.0 == k)
                .count()
                > free(k)
        });
        let demote: Vec<usize> = match (bad, crowded) {
            (Some(p), _) => links
                .iter()
                .enumerate()
                .filter(|(_, l)| phase_of(l.from.0) == p)
                .map(|(i, _)| i)
                .collect(),
            (None, Some(k)) => links
                .iter()
                .enumerate()
                .filter(|(_, l)| l.from.0 == k || l.to.0 == k)
                .map(|(i, _)| i)
                .skip(free(k))
                .take(1)
                .collect(),
            (None, None) => {
                return order
                    .iter()
                    .map(|&r| (0..kernels).filter(|&k| roots[k] == r).collect())
                    .collect()
            }
        };
        if demote.is_empty() {
            // Nothing left to split (`tensor_uses` rules this out).
            return order
                .iter()
                .map(|&r| (0..kernels).filter(|&k| roots[k] == r).collect())
                .collect();
        }
        // A tensor goes off-chip for all its readers or for none.
        let tensors: Vec<usize> = demote.iter().map(|&i| links[i].tensor).collect();
        let demote: Vec<usize> = (0..links.len())
            .filter(|&i| tensors.contains(&links[i].tensor))
            .collect();
        for &i in demote.iter().rev() {
            let l = links.remove(i);
            paths[l.tensor] = TensorPath::OffChip {
                reason: match bad {
                    Some(_) => "its kernels also exchange a tensor through off-chip memory".into(),
                    None => format!(
                        "a kernel of it has no state slot left ({} per kernel, its shared panels' first)",
                        handoff::MAX_SLOTS
                    ),
                },
            };
        }
    }
}

/// The parameter of `node` bound to tensor `t`.
fn param_of(node: &Node<'_>, t: usize) -> usize {
    node.args
        .iter()
        .position(|a| matches!(a, GraphArg::Tensor(x) if x.0 == t))
        .expect("the tensor is an argument of the kernel")
}

/// Whether `route` climbs first (a Y-then-X dimension-order route).
fn y_first(route: &crate::spatial::map::Route) -> bool {
    use crate::spatial::coord::Direction;
    let vertical = |d: Direction| matches!(d, Direction::North | Direction::South);
    let turn = route
        .links
        .iter()
        .position(|l| !vertical(l.dir))
        .unwrap_or(route.links.len());
    turn > 0 && route.links[turn..].iter().all(|l| !vertical(l.dir))
}

/// A second `Arg` for the same value (the graph keeps the caller's).
fn duplicate<'a>(a: &Arg<'a>) -> Arg<'a> {
    match *a.value() {
        // SAFETY: the same slice as `a`'s, borrowed for `'a`; the engine
        // uses the two one after the other, never at once.
        ArgValue::Slice {
            addr,
            len,
            dtype,
            mutable,
        } => unsafe { Arg::from_raw_parts(addr, len, dtype, mutable) },
        ArgValue::Scalar { bits, dtype } => Arg::scalar_bits(dtype, bits),
    }
}
