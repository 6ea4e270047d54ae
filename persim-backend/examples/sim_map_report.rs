//! Maps the transformer MLP block and runs the 3-stage streaming demo on the
//! default spatial machine, prints the reports and writes SVG pictures.
//!
//! ```text
//! cargo run -p persim-backend --example sim_map_report
//! ```
//!
//! Pictures go to `$PERSIM_REPORT_DIR`, else `$CARGO_TARGET_DIR/persim-reports`,
//! else `target/persim-reports` at the workspace root:
//! `mlp_mesh.svg` (regions, routed channels, estimated PE load),
//! `pipeline_mesh.svg` (measured PE utilisation, routes) and
//! `pipeline_schedule.svg` (the middle stage's bundles by slot).

use std::collections::BTreeMap;
use std::path::PathBuf;

use persim_backend::spatial::map::{
    assign_regions, demo, mesh_svg, plan_channels, route, run_pipeline_demo, traffic, KernelGraph,
    KernelId, MeshPicture, Roofline, RouteConfig,
};
use persim_backend::spatial::Machine;

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
    println!("\npictures written to {}", dir.display());
    Ok(())
}
