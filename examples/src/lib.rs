//! Shared code of the persim examples: each example checks one kernel of the
//! kernel library against a plain-Rust reference on random data at awkward
//! sizes. The `--example` programs, the `persim-examples` main program and the
//! tests all call these functions, so the three never drift apart.

pub mod attention;
pub mod check;
pub mod custom_activation;
pub mod graph;
pub mod layer_norm;
pub mod matmul;
pub mod softmax;
pub mod vector_add;

pub use check::{print_reports, random_vec, Report};

/// LLVM engines for each vector width the backend lowers to: the host
/// (16 lanes with AVX-512) and, on x86-64 hosts, AVX2 with FMA (8 lanes)
/// and SSE2 (4 lanes, no FMA), named by CPU, so tests reach the code paths
/// a host does not take.
pub fn llvm_engines_by_width() -> Vec<(String, persim::Engine)> {
    let host = persim::TargetSpec::host();
    let mut out = vec![("host".to_string(), persim::Engine::llvm())];
    for (cpu, features) in [("haswell", "+avx2,+avx,+fma"), ("x86-64", "+sse2")] {
        if host.triple.starts_with("x86_64") {
            let spec = persim::TargetSpec::new(host.triple.clone(), cpu, features);
            out.push((
                cpu.to_string(),
                persim::Engine::with_backend(persim::Backend::Llvm(spec)),
            ));
        }
    }
    out
}

/// Run one example's checks on the backend `$PERSIM_BACKEND` names
/// (`cranelift`, the default; `llvm`; `sim`, the spatial simulator), print
/// them and exit non-zero on a mismatch or a launch error.
pub fn run_example(
    checks: impl FnOnce(&persim::Engine) -> Result<Vec<Report>, persim::LaunchError>,
) {
    let engine = match std::env::var("PERSIM_BACKEND").as_deref() {
        Ok("cranelift") | Ok("") | Err(_) => persim::Engine::jit(),
        Ok("llvm") => persim::Engine::llvm(),
        Ok("sim") => persim::Engine::sim(),
        Ok(other) => {
            eprintln!("error: PERSIM_BACKEND={other}: expected cranelift, llvm or sim");
            std::process::exit(2);
        }
    };
    match checks(&engine) {
        Ok(reports) if print_reports(&reports) => {}
        Ok(_) => std::process::exit(1),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
