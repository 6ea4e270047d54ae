//! Maps the transformer MLP block and runs the 3-stage streaming demo on the
//! default spatial machine, prints the reports and writes SVG pictures;
//! then runs the same two graphs as compiled kernels through
//! `SimEngine::launch_graph`, streamed (tensors handed PE to PE) against
//! one by one (every tensor through off-chip memory).
//!
//! ```text
//! cargo run -p persim-backend --example sim_map_report
//! ```
//!
//! Pictures go to `$PERSIM_REPORT_DIR`, else `$CARGO_TARGET_DIR/persim-reports`,
//! else `target/persim-reports` at the workspace root:
//! `mlp_mesh.svg` (regions, routed channels, estimated PE load),
//! `pipeline_mesh.svg` (measured PE utilisation, routes),
//! `pipeline_schedule.svg` (the middle stage's bundles by slot), and
//! `graph_pipeline_mesh.svg` / `graph_mlp_mesh.svg` (the compiled graphs'
//! streamed phase: PE utilisation, kernels, routed hand-offs).

use std::collections::BTreeMap;
use std::path::PathBuf;

use persim_backend::spatial::map::{
    assign_regions, demo, mesh_svg, plan_channels, route, run_pipeline_demo, traffic, KernelGraph,
    KernelId, MeshPicture, Roofline, RouteConfig,
};
use persim_backend::spatial::{GraphMode, GraphReport, Machine, SimEngine};

mod common;
use common::{data, graphs};

/// scale → bias → relu over `x`, compiled, in `mode`; checked exactly.
fn compiled_pipeline(engine: &SimEngine, x: &[f32], mode: GraphMode) -> GraphReport {
    let mut out = vec![0.0f32; x.len()];
    let report = engine
        .launch_graph(&mut graphs::pipeline(x, &mut out, 1024), mode)
        .unwrap_or_else(|e| panic!("{e}"));
    for i in 0..x.len() {
        assert_eq!(out[i], (x[i] * 2.0 + 1.0).max(0.0), "pipeline out[{i}]");
    }
    report
}

/// `gelu(x·w1 + b1)·w2` as three compiled kernels, in `mode`: 64 x 128
/// tiles, so the first product's 32 instances each get a PE of their own
/// beside their bias+GELU partner and share their panels.
fn compiled_mlp(
    engine: &SimEngine,
    m: graphs::Mlp<'_>,
    mode: GraphMode,
) -> (GraphReport, Vec<f32>) {
    let mut y = vec![0.0f32; m.dims.0 * m.dims.1];
    let report = engine
        .launch_graph(
            &mut graphs::mlp(m, &mut y, (64, 128, 64), (64, 64, 64)),
            mode,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    (report, y)
}

fn compare(what: &str, streamed: &GraphReport, one_by_one: &GraphReport) {
    println!("\n== {what}, compiled (SimEngine::launch_graph) ==");
    print!("{streamed}{one_by_one}");
    println!(
        "streamed vs one by one: {:.2}x fewer off-chip bytes, {:.2}x fewer cycles",
        one_by_one.offchip_bytes() as f64 / streamed.offchip_bytes().max(1) as f64,
        one_by_one.cycles() as f64 / streamed.cycles().max(1) as f64
    );
}

fn report_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PERSIM_REPORT_DIR") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("persim-reports")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let machine = Machine::default_model();
    let dir = report_dir();
    std::fs::create_dir_all(&dir)?;

    // The MLP block Y = GELU(X·W1 + b1)·W2: 256 tokens, 256 -> 1024 -> 256, f32.
    let graph = KernelGraph::mlp(256, 256, 1024, 4);
    let regions = assign_regions(&graph, &machine)?;
    let plan = plan_channels(&graph, &regions, &machine)?;
    let routes = route(&machine, &plan.channels, &RouteConfig::default())?;
    let report = traffic(&graph, &regions, &plan, &routes);
    println!(
        "== MLP block: {} channels routed in {} PathFinder iteration(s), max link load {:.0}% ==",
        plan.channels.len(),
        routes.iterations,
        100.0 * routes.max_utilization()
    );
    print!("{report}");
    for (k, kernel) in graph.kernels.iter().enumerate() {
        let rect = regions.of(KernelId(k as u32));
        let roof = Roofline::of_part(&machine, kernel.unit, rect.area(), rect.cols);
        let bytes = kernel.input_bytes
            + if graph.writes_offchip(KernelId(k as u32)) {
                kernel.output_bytes
            } else {
                0
            };
        println!(
            "roofline {:<12} on {:>2} PEs: {}",
            kernel.name,
            rect.area(),
            roof.bound(kernel.flops, bytes)
        );
    }
    let mut utilization = BTreeMap::new();
    let mut labels = BTreeMap::new();
    for (k, kernel) in graph.kernels.iter().enumerate() {
        let id = KernelId(k as u32);
        let rect = regions.of(id);
        let busy = graph.pe_cycles(id, &machine) / f64::from(rect.area()) / plan.cycles;
        for t in rect.tiles() {
            utilization.insert(t, busy);
            labels.insert(t, vec![kernel.name.clone()]);
        }
    }
    let picture = MeshPicture {
        title: format!(
            "MLP block: regions, estimated PE load over ~{:.0} cycles, routed channels",
            plan.cycles
        ),
        utilization,
        labels,
        regions: graph
            .kernels
            .iter()
            .enumerate()
            .map(|(k, kernel)| (kernel.name.clone(), regions.of(KernelId(k as u32))))
            .collect(),
        routes: plan
            .channels
            .iter()
            .map(|c| c.name.clone())
            .zip(routes.routes.iter().cloned())
            .collect(),
    };
    std::fs::write(dir.join("mlp_mesh.svg"), mesh_svg(&machine, &picture))?;

    // The streaming demo on the simulator.
    let outcome = run_pipeline_demo(&machine, 512)?;
    println!("\n== 3-stage pipeline, 512 vectors (32 KiB) ==");
    println!("{outcome}");
    println!(
        "placement cost: {} -> {} after {} temperatures",
        outcome.placement.initial_cost, outcome.placement.cost, outcome.placement.temperatures
    );
    let (mesh, schedule) = demo::pictures(&machine, &outcome);
    std::fs::write(dir.join("pipeline_mesh.svg"), mesh)?;
    std::fs::write(dir.join("pipeline_schedule.svg"), schedule)?;

    // The same graphs as compiled kernels.
    let engine = SimEngine::new(machine.clone());
    let x = data(1 << 18, 1);
    let streamed = compiled_pipeline(&engine, &x, GraphMode::Streamed);
    let one_by_one = compiled_pipeline(&engine, &x, GraphMode::OneByOne);
    compare("3-stage pipeline, 2^18 f32 (1 MiB)", &streamed, &one_by_one);
    std::fs::write(
        dir.join("graph_pipeline_mesh.svg"),
        streamed.phases[0].mesh_svg(&machine),
    )?;
    let dims = (256, 256, 1024);
    let (x, w1, b1, w2) = (
        data(256 * 256, 2),
        data(256 * 1024, 3),
        data(1024, 4),
        data(1024 * 256, 5),
    );
    let operands = || graphs::Mlp {
        dims,
        x: &x,
        w1: &w1,
        b1: &b1,
        w2: &w2,
    };
    let (streamed, y) = compiled_mlp(&engine, operands(), GraphMode::Streamed);
    let (one_by_one, y1) = compiled_mlp(&engine, operands(), GraphMode::OneByOne);
    assert_eq!(
        y, y1,
        "the MLP's output does not depend on how tensors move"
    );
    std::fs::write(
        dir.join("graph_mlp_mesh.svg"),
        streamed.phases[0].mesh_svg(&machine),
    )?;
    compare(
        "MLP block 256 tokens, 256 -> 1024 -> 256, f32",
        &streamed,
        &one_by_one,
    );

    println!("\npictures written to {}", dir.display());
    Ok(())
}
