//! The main job: compile the kernel library's kernels (the five Triton
//! tutorials and a custom activation) for every backend — the Cranelift
//! JIT, the LLVM JIT and the spatial accelerator's simulator — run them at
//! awkward sizes and check every result against plain Rust.
//! Run: `cargo run --release -p persim-examples`

use std::time::Instant;

use persim::{Engine, LaunchError};
use persim_examples::{
    attention, custom_activation, graph, layer_norm, matmul, print_reports, softmax, vector_add,
    Report,
};

/// Every check on one engine. The simulator runs the custom activation's
/// device-function half (SwiGLU) only: GeGLU's custom op is a host function,
/// which a PE cannot call; it also runs a kernel graph (two `vector_add`s
/// whose intermediate goes PE to PE).
fn checks(engine: &Engine, host: bool) -> Result<Vec<Report>, LaunchError> {
    let mut reports = vector_add::run_all(engine)?;
    reports.extend(softmax::run_all(engine)?);
    reports.extend(matmul::run_all(engine)?);
    reports.extend(layer_norm::run_all(engine)?);
    reports.extend(attention::run_all(engine)?);
    if host {
        reports.extend(custom_activation::run_all(engine)?);
    } else {
        for &n in custom_activation::SIZES {
            reports.push(custom_activation::run(engine, n, false)?);
        }
        reports.extend(graph::run_all()?);
    }
    Ok(reports)
}

fn main() {
    let backends = [
        ("the Cranelift JIT", Engine::jit(), true),
        ("the LLVM JIT", Engine::llvm(), true),
        (
            "the spatial simulator (default 8x8 machine)",
            Engine::sim(),
            false,
        ),
    ];
    let mut failed = false;
    let mut summary = Vec::new();
    for (name, engine, host) in backends {
        println!("== {name} ==");
        let start = Instant::now();
        match checks(&engine, host) {
            Ok(reports) => {
                failed |= !print_reports(&reports);
                let passed = reports.iter().filter(|r| r.passed()).count();
                summary.push(format!(
                    "{passed} of {} checks passed on {name} ({:.1} s)",
                    reports.len(),
                    start.elapsed().as_secs_f64()
                ));
            }
            Err(e) => {
                eprintln!("error on {name}: {e}");
                std::process::exit(2);
            }
        }
    }
    for line in summary {
        println!("{line}");
    }
    if failed {
        std::process::exit(1);
    }
}
