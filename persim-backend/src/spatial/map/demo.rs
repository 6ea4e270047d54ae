//! An end-to-end demonstration on the simulator: a 3-stage elementwise
//! pipeline (`y = max(2x + 1, 0)` as scale → bias → ReLU), mapped by
//! [`place`] and [`route`], run twice with hand-assembled PE programs:
//!
//! - **streamed**: stage 0 loads the input with one DMA, and each vector
//!   flows stage to stage over the NoC (`vsend`/`vrecv` along the routed
//!   links); stage 2 stores the result with one DMA. The stages overlap.
//! - **one by one**: each stage is its own launch on its PE, reading its
//!   input from off-chip memory and writing its output back, as separate
//!   kernels would.
//!
//! Both use the same compute loop per stage, so the difference is exactly
//! the intermediate traffic and the lost overlap. The compiled form of the
//! same pipeline is `SimEngine::launch_graph` (`launch/graph.rs`), whose
//! hand-offs are DMA transfers between the stages' SRAM rather than
//! `vsend`/`vrecv` vectors; this demo keeps the vector streams.

use std::fmt;

use super::anneal::{place, AnnealConfig, PlaceResult};
use super::channels::Channel;
use super::problem::{PlacementProblem, TaskId};
use super::route::{route, RouteConfig, Routes};
use super::svg::{mesh_svg, schedule_svg, MeshPicture};
use crate::spatial::asm::assemble_for;
use crate::spatial::coord::{Direction, TileCoord};
use crate::spatial::machine::Machine;
use crate::spatial::program::Program;
use crate::spatial::sim::{Descriptor, Resource, Simulator, Stats};

/// Where the demo keeps things in SRAM and off-chip memory.
const IN_BUF: u32 = 0;
const OUT_BUF: u32 = 0x1_0000;
const DESC_IN: u32 = 0x3_0000;
const DESC_OUT: u32 = 0x3_0040;
const OFF_INPUT: u64 = 0;
const OFF_STAGE: [u64; 3] = [0x10_0000, 0x20_0000, 0x30_0000];

/// One run's measurements.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    pub cycles: u64,
    pub offchip_read: u64,
    pub offchip_write: u64,
    /// Bytes over mesh links (each link a flit crosses counts it once).
    pub link_bytes: u64,
}

impl RunSummary {
    fn add(&mut self, stats: &Stats) {
        self.cycles += stats.cycles;
        for l in &stats.links {
            match l.resource {
                Resource::OffchipRead { .. } => self.offchip_read += l.bytes,
                Resource::OffchipWrite { .. } => self.offchip_write += l.bytes,
                Resource::Link { .. } => self.link_bytes += l.bytes,
                Resource::Local { .. } => {}
            }
        }
    }

    pub fn offchip(&self) -> u64 {
        self.offchip_read + self.offchip_write
    }
}

impl fmt::Display for RunSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} cycles, off-chip {} B ({} read + {} written), {} B over mesh links",
            self.cycles,
            self.offchip(),
            self.offchip_read,
            self.offchip_write,
            self.link_bytes
        )
    }
}

/// Everything the demo produced.
#[derive(Debug)]
pub struct PipelineOutcome {
    pub problem: PlacementProblem,
    pub placement: PlaceResult,
    pub channels: Vec<Channel>,
    pub routes: Routes,
    /// The streamed program (one PE per stage).
    pub program: Program,
    pub streamed: RunSummary,
    pub streamed_stats: Stats,
    pub one_by_one: RunSummary,
}

impl fmt::Display for PipelineOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tiles: Vec<String> = self
            .placement
            .placement
            .tiles
            .iter()
            .map(|t| t.to_string())
            .collect();
        writeln!(f, "stages on {}", tiles.join(" -> "))?;
        writeln!(f, "streamed:   {}", self.streamed)?;
        writeln!(f, "one by one: {}", self.one_by_one)?;
        write!(
            f,
            "speed-up {:.2}x, off-chip bytes {:.1}x fewer",
            self.one_by_one.cycles as f64 / self.streamed.cycles.max(1) as f64,
            self.one_by_one.offchip() as f64 / self.streamed.offchip().max(1) as f64
        )
    }
}

/// The three stages: name, f32 constant, operation.
const STAGES: [(&str, u32, &str); 3] = [
    ("scale", 0x4000_0000, "vmul.f32"), // 2.0
    ("bias", 0x3F80_0000, "vadd.f32"),  // 1.0
    ("relu", 0, "vmax.f32"),            // 0.0
];

/// The reference result of the pipeline on one value.
pub fn reference(x: f32) -> f32 {
    (x * 2.0 + 1.0).max(0.0)
}

/// Runs the demo on `vectors` vectors of input (`vectors · vector_bytes`
/// bytes, at most 64 KiB so the buffers fit the demo's SRAM layout).
pub fn run_pipeline_demo(machine: &Machine, vectors: u32) -> Result<PipelineOutcome, String> {
    let vbytes = machine.vector_bytes();
    let bytes = match vectors.checked_mul(vbytes) {
        Some(b) if vectors > 0 && b <= 0x1_0000 => b,
        _ => return Err(format!("the demo takes 1 to {} vectors", 0x1_0000 / vbytes)),
    };
    if u64::from(machine.pe.sram_bytes) < u64::from(DESC_OUT) + 64 {
        return Err("the demo needs at least 196 KiB of SRAM per PE".into());
    }
    // Placement: one stage per PE (each keeps more than half a PE's SRAM),
    // the first reads and the last writes off-chip.
    let mut problem = PlacementProblem::new();
    let half = u64::from(machine.pe.sram_bytes) / 2 + 1;
    let ids: Vec<TaskId> = STAGES
        .iter()
        .map(|(name, _, _)| problem.add_task(*name, half, 1.0))
        .collect();
    problem.connect_offchip(ids[0], u64::from(bytes));
    problem.connect(ids[0], ids[1], u64::from(bytes));
    problem.connect(ids[1], ids[2], u64::from(bytes));
    problem.connect_offchip(ids[2], u64::from(bytes));
    let placement =
        place(machine, &problem, &AnnealConfig::default()).map_err(|e| e.to_string())?;
    let tile = |k: usize| placement.placement.tile(ids[k]);

    // Channels: a stream moves one vector per loop iteration.
    let body = body_cycles(machine);
    let demand = f64::from(vbytes) / f64::from(body);
    let channels = vec![
        Channel::new("scale->bias", tile(0), tile(1), demand),
        Channel::new("bias->relu", tile(1), tile(2), demand),
        Channel::new("load", TileCoord::new(tile(0).col, 0), tile(0), demand),
        Channel::new("store", tile(2), TileCoord::new(tile(2).col, 0), demand),
    ];
    let routes = route(machine, &channels, &RouteConfig::default()).map_err(|e| e.to_string())?;
    let mut dirs = Vec::new();
    for r in &routes.routes[..2] {
        match r.links.as_slice() {
            [link] => dirs.push(link.dir),
            _ => {
                return Err(format!(
                    "stages {} and {} are {} hops apart; streams need neighbours",
                    r.src,
                    r.dst,
                    r.hops()
                ))
            }
        }
    }

    let input: Vec<f32> = (0..vectors * machine.lanes())
        .map(|i| (i as f32 - 700.0) * 0.25)
        .collect();
    let input_bytes: Vec<u8> = input.iter().flat_map(|x| x.to_le_bytes()).collect();
    let expected: Vec<f32> = input.iter().map(|&x| reference(x)).collect();
    let max_cycles = 100 * u64::from(vectors) * u64::from(body) + 100_000;

    // Streamed.
    let mut text = String::new();
    for k in 0..3 {
        let from = (k > 0).then(|| dirs[k - 1].opposite());
        let to = (k < 2).then(|| dirs[k]);
        text.push_str(&stage_asm(machine, tile(k), k, vectors, from, to));
    }
    let program = assemble_for(&text, machine).map_err(|e| format!("{e}\n{text}"))?;
    let mut sim = Simulator::new(machine, &program).map_err(|e| e.to_string())?;
    sim.write_offchip(OFF_INPUT, &input_bytes)?;
    let shim = |t: TileCoord| TileCoord::new(t.col, 0);
    put(
        &mut sim,
        tile(0),
        DESC_IN,
        1,
        Descriptor::copy(shim(tile(0)), OFF_INPUT as u32, tile(0), IN_BUF, bytes),
    )?;
    put(
        &mut sim,
        tile(2),
        DESC_OUT,
        6,
        Descriptor::copy(tile(2), OUT_BUF, shim(tile(2)), OFF_STAGE[2] as u32, bytes),
    )?;
    let streamed_stats = sim.run(max_cycles).map_err(|e| e.to_string())?;
    check_output(
        &sim.read_offchip(OFF_STAGE[2], bytes as usize)?,
        &expected,
        "streamed",
    )?;
    let mut streamed = RunSummary {
        cycles: 0,
        offchip_read: 0,
        offchip_write: 0,
        link_bytes: 0,
    };
    streamed.add(&streamed_stats);

    // One by one: three launches, memory carried over.
    let mut one_by_one = RunSummary {
        cycles: 0,
        offchip_read: 0,
        offchip_write: 0,
        link_bytes: 0,
    };
    let mut data = input_bytes;
    for k in 0..3 {
        let text = stage_asm(machine, tile(k), k, vectors, None, None);
        let program = assemble_for(&text, machine).map_err(|e| format!("{e}\n{text}"))?;
        let mut sim = Simulator::new(machine, &program).map_err(|e| e.to_string())?;
        let src = if k == 0 { OFF_INPUT } else { OFF_STAGE[k - 1] };
        sim.write_offchip(src, &data)?;
        let t = tile(k);
        put(
            &mut sim,
            t,
            DESC_IN,
            1,
            Descriptor::copy(shim(t), src as u32, t, IN_BUF, bytes),
        )?;
        put(
            &mut sim,
            t,
            DESC_OUT,
            6,
            Descriptor::copy(t, OUT_BUF, shim(t), OFF_STAGE[k] as u32, bytes),
        )?;
        let stats = sim.run(max_cycles).map_err(|e| e.to_string())?;
        one_by_one.add(&stats);
        data = sim.read_offchip(OFF_STAGE[k], bytes as usize)?;
    }
    check_output(&data, &expected, "one by one")?;

    Ok(PipelineOutcome {
        problem,
        placement,
        channels,
        routes,
        program,
        streamed,
        streamed_stats,
        one_by_one,
    })
}

/// Cycles of one loop iteration: source, wait for it, operate, wait, sink.
fn body_cycles(machine: &Machine) -> u32 {
    let load = machine.latency.load.max(machine.latency.stream);
    load + machine.latency.vector_fp + 1
}

/// Host-side setup: a descriptor in SRAM and its address in a register.
fn put(
    sim: &mut Simulator,
    tile: TileCoord,
    addr: u32,
    reg: u8,
    desc: Descriptor,
) -> Result<(), String> {
    sim.write_sram(tile, u64::from(addr), &desc.to_bytes())?;
    sim.set_sreg(tile, reg, addr)
}

/// The program of stage `k` on `tile`: input from SRAM (after a DMA) or
/// from the neighbour in `from`; output to the neighbour in `to` or to SRAM
/// (then a DMA out).
fn stage_asm(
    machine: &Machine,
    tile: TileCoord,
    k: usize,
    vectors: u32,
    from: Option<Direction>,
    to: Option<Direction>,
) -> String {
    let (name, constant, op) = STAGES[k];
    let nops = |n: u32| "    nop\n".repeat(n as usize);
    let mut s = format!("# stage {k}: {name}\n.tile ({},{})\n", tile.col, tile.row);
    s.push_str(&format!(
        "    li r2, {constant}\n    li r3, {IN_BUF}\n    li r5, {OUT_BUF}\n    li r4, {vectors}\n"
    ));
    s.push_str("    vsplat v1, r2\n");
    if from.is_none() {
        s.push_str("    dma.start ch0, r1\n    dma.wait ch0\n");
    }
    let (source, wait) = match from {
        Some(d) => (format!("    vrecv v0, {d}\n"), machine.latency.stream),
        None => (
            format!("    vldp v0, r3, {}\n", machine.vector_bytes()),
            machine.latency.load,
        ),
    };
    let sink = match to {
        Some(d) => format!("    vsend {d}, v2\n"),
        None => format!("    vstp v2, r5, {}\n", machine.vector_bytes()),
    };
    let body_wait = body_cycles(machine) - 1 - machine.latency.vector_fp - wait;
    s.push_str(&format!("    loop r4, done{k}\n"));
    s.push_str(&source);
    s.push_str(&nops(wait - 1 + body_wait));
    s.push_str(&format!("    {op} v2, v0, v1\n"));
    s.push_str(&nops(machine.latency.vector_fp - 1));
    s.push_str(&sink);
    s.push_str(&format!("done{k}:\n"));
    if to.is_none() {
        s.push_str("    dma.start ch1, r6\n    dma.wait ch1\n");
    }
    s.push_str("    halt\n");
    s
}

fn check_output(bytes: &[u8], expected: &[f32], what: &str) -> Result<(), String> {
    for (i, (chunk, want)) in bytes.chunks_exact(4).zip(expected).enumerate() {
        let got = f32::from_le_bytes(chunk.try_into().expect("4 bytes"));
        if got.to_bits() != want.to_bits() {
            return Err(format!("{what}: element {i} is {got}, expected {want}"));
        }
    }
    Ok(())
}

/// The demo's pictures: the mesh (utilisation measured by the streamed run,
/// stage names, routed channels) and the schedule of the middle stage.
pub fn pictures(machine: &Machine, outcome: &PipelineOutcome) -> (String, String) {
    let (_, labels) = MeshPicture::from_placement(&outcome.problem, &outcome.placement.placement);
    let picture = MeshPicture {
        title: format!(
            "3-stage pipeline, streamed: {} cycles, {} B off-chip",
            outcome.streamed.cycles,
            outcome.streamed.offchip()
        ),
        utilization: MeshPicture::utilization_from_stats(&outcome.streamed_stats),
        labels,
        regions: Vec::new(),
        routes: outcome
            .channels
            .iter()
            .map(|c| c.name.clone())
            .zip(outcome.routes.routes.iter().cloned())
            .collect(),
    };
    let mesh = mesh_svg(machine, &picture);
    let middle = outcome.placement.placement.tiles[1];
    let pe = outcome
        .program
        .tiles
        .get(&middle)
        .cloned()
        .unwrap_or_default();
    let schedule = schedule_svg(
        machine,
        &format!("stage 1 (bias) on PE {middle}"),
        &pe,
        outcome.streamed_stats.pe(middle),
    );
    (mesh, schedule)
}
