//! What the mid-end does to each kernel of the library (a report, never a
//! test): op counts through the scalar clean-up passes, peak local memory
//! before and after bufferization's reuse, and JIT compile time with the
//! whole pipeline.
//!
//! Run: `cargo run --release -p persim-examples --bin pipeline_report`
//!
//! Columns:
//! - `ops in`: the kernel's tile IR after the frontend and inlining;
//! - `ops opt`: after the first canonicalize, CSE, LICM and DCE (still tiles);
//! - `ops low`: right after `lower-tiles` (loops over target-width vectors);
//! - `ops out`: after the whole standard pipeline;
//! - `mem no reuse`: local memory when every buffer gets its own bytes
//!   (`lower-tiles` alone), `mem packed`: the same buffers packed by
//!   liveness (`pack-buffers`), `mem final`: after the whole pipeline
//!   (in-place writes, loop fusion, store forwarding, dead buffers, packing);
//! - `compile`: frontend + mid-end + Cranelift, median of 5 fresh engines.

use persim::passes::Pipeline;
use persim::target::Target;
use persim::{Engine, KernelSource};
use persim_examples::custom_activation::glu;
use persim_kernels::{attention, layer_norm, matmul, softmax, vector_add};
use std::time::{Duration, Instant};

/// A kernel of the library and the constexprs the examples launch it with.
struct Specialization {
    label: &'static str,
    kernel: &'static KernelSource,
    consts: Vec<(&'static str, i64)>,
}

fn spec(
    label: &'static str,
    kernel: &'static KernelSource,
    consts: &[(&'static str, i64)],
) -> Specialization {
    Specialization {
        label,
        kernel,
        consts: consts.to_vec(),
    }
}

fn library() -> Vec<Specialization> {
    let mm = [
        ("BLOCK_M", 64),
        ("BLOCK_N", 64),
        ("BLOCK_K", 32),
        ("GROUP_M", 8),
        ("LEAKY_RELU", 0),
    ];
    let attn = |causal| {
        [
            ("HEAD_DIM", 64),
            ("BLOCK_M", 32),
            ("BLOCK_N", 32),
            ("CAUSAL", causal),
        ]
    };
    vec![
        spec(
            "vector_add",
            &vector_add::vector_add::KERNEL,
            &[("BLOCK", 1024)],
        ),
        spec("softmax", &softmax::softmax::KERNEL, &[("BLOCK", 1024)]),
        spec(
            "softmax (BLOCK 1000)",
            &softmax::softmax::KERNEL,
            &[("BLOCK", 1000)],
        ),
        spec("matmul f32 64x64x32", &matmul::matmul::KERNEL, &mm),
        spec("matmul f16 64x64x32", &matmul::matmul_f16::KERNEL, &mm),
        spec(
            "matmul f32 48x80x16",
            &matmul::matmul::KERNEL,
            &[
                ("BLOCK_M", 48),
                ("BLOCK_N", 80),
                ("BLOCK_K", 16),
                ("GROUP_M", 8),
                ("LEAKY_RELU", 0),
            ],
        ),
        spec(
            "layer_norm_fwd",
            &layer_norm::layer_norm_fwd::KERNEL,
            &[("BLOCK", 256)],
        ),
        spec(
            "layer_norm_bwd_dx",
            &layer_norm::layer_norm_bwd_dx::KERNEL,
            &[("BLOCK_N", 256)],
        ),
        spec(
            "layer_norm_bwd_dwdb",
            &layer_norm::layer_norm_bwd_dwdb::KERNEL,
            &[("BLOCK_M", 4), ("BLOCK_N", 128)],
        ),
        spec("attention d64", &attention::attention_fwd::KERNEL, &attn(0)),
        spec(
            "attention d64 causal",
            &attention::attention_fwd::KERNEL,
            &attn(1),
        ),
        spec(
            "attention f16 d64",
            &attention::attention_fwd_f16::KERNEL,
            &attn(0),
        ),
        spec(
            "glu (device fn)",
            &glu::KERNEL,
            &[("GELU", 0), ("BLOCK", 512)],
        ),
        spec(
            "glu (custom op)",
            &glu::KERNEL,
            &[("GELU", 1), ("BLOCK", 512)],
        ),
    ]
}

/// One row of the report.
struct Row {
    ops_in: usize,
    ops_opt: usize,
    ops_lowered: usize,
    ops_out: usize,
    mem_no_reuse: i64,
    mem_packed: i64,
    mem_final: i64,
    compile: Duration,
}

fn local_mem(pipeline: &Pipeline, s: &Specialization) -> Result<i64, String> {
    let module = persim::front::specialize(s.kernel, &s.consts).map_err(|d| d.to_string())?;
    let (f, _) = pipeline
        .run_module(&module, s.kernel.name)
        .map_err(|e| e.to_string())?;
    Ok(f.attrs.int("local_mem").unwrap_or(0))
}

fn measure(s: &Specialization) -> Result<Row, String> {
    let target = Target::cranelift();
    let module = persim::front::specialize(s.kernel, &s.consts).map_err(|d| d.to_string())?;
    let (_, stats) = Pipeline::standard(target.clone())
        .run_module(&module, s.kernel.name)
        .map_err(|e| e.to_string())?;
    // `stats[0]` is `inline`; the standard list follows.
    let after = |pass: &str| {
        stats
            .iter()
            .find(|st| st.pass == pass)
            .map_or(0, |st| st.ops_after)
    };
    let ops_in = stats.get(1).map_or(0, |st| st.ops_before);
    let lowering = Pipeline::new(target.clone())
        .with_passes(&["canonicalize", "cse", "licm", "dce", "lower-tiles"])
        .map_err(|e| e.to_string())?;
    let packed = Pipeline::new(target.clone())
        .with_passes(&[
            "canonicalize",
            "cse",
            "licm",
            "dce",
            "lower-tiles",
            "pack-buffers",
        ])
        .map_err(|e| e.to_string())?;
    let mut compile: Vec<Duration> = Vec::new();
    for _ in 0..5 {
        let engine = Engine::jit();
        let start = Instant::now();
        engine
            .compile(s.kernel, &s.consts)
            .map_err(|e| e.to_string())?;
        compile.push(start.elapsed());
    }
    compile.sort();
    Ok(Row {
        ops_in,
        ops_opt: after("dce"),
        ops_lowered: after("lower-tiles"),
        ops_out: stats.last().map_or(0, |st| st.ops_after),
        mem_no_reuse: local_mem(&lowering, s)?,
        mem_packed: local_mem(&packed, s)?,
        mem_final: local_mem(&Pipeline::standard(target), s)?,
        compile: compile[2],
    })
}

fn main() {
    println!(
        "{:<22} {:>7} {:>7} {:>7} {:>7} {:>13} {:>11} {:>10} {:>10}",
        "kernel",
        "ops in",
        "ops opt",
        "ops low",
        "ops out",
        "mem no reuse",
        "mem packed",
        "mem final",
        "compile"
    );
    let mut failed = false;
    for s in library() {
        match measure(&s) {
            Ok(r) => println!(
                "{:<22} {:>7} {:>7} {:>7} {:>7} {:>11} B {:>9} B {:>8} B {:>7.2} ms",
                s.label,
                r.ops_in,
                r.ops_opt,
                r.ops_lowered,
                r.ops_out,
                r.mem_no_reuse,
                r.mem_packed,
                r.mem_final,
                r.compile.as_secs_f64() * 1e3
            ),
            Err(e) => {
                failed = true;
                eprintln!("{}: {e}", s.label);
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
