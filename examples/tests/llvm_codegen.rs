//! What the LLVM backend's optimizations leave in the code, checked on the
//! emitted `.ll` for explicit targets (results are the same either way, so
//! only the code shows them): contiguous accesses instead of gathers,
//! inline vector `exp`, AVX-512 `vrange`/`vscalef` only where the features
//! allow them, fused `dot` steps on FMA targets.
//!
//! `cargo test -- llvm` runs these with the rest of the LLVM tests.

use persim::front::KernelSource;
use persim::llvm::{self, AotKernel, TargetSpec};
use persim::passes::Pipeline;

/// An AVX-512 CPU named `cpu`, on the host's triple.
fn avx512_cpu(cpu: &str) -> TargetSpec {
    TargetSpec::new(
        TargetSpec::host().triple,
        cpu,
        "+avx512f,+avx512dq,+avx512vl,+avx512bw,+avx2,+avx,+fma",
    )
}

fn avx512() -> TargetSpec {
    avx512_cpu("skylake-avx512")
}

/// An AMD Zen 4 as LLVM 14 names it: the hardware follows a row per
/// program alone (`TargetSpec::lowering_target`).
fn zen() -> TargetSpec {
    avx512_cpu("znver3")
}

fn avx2() -> TargetSpec {
    let host = TargetSpec::host();
    TargetSpec::new(host.triple, "haswell", "+avx2,+avx,+fma")
}

/// The optimized `.ll` of `kernel` specialized with `consts` for `spec`.
fn ll(kernel: &'static KernelSource, consts: &[(&str, i64)], spec: &TargetSpec) -> String {
    let module = persim::front::specialize(kernel, consts).expect("specialize");
    let (f, _) = Pipeline::standard(spec.lowering_target())
        .run_module(&module, kernel.name)
        .expect("mid-end");
    let k = AotKernel {
        symbol: "k",
        func: &f,
    };
    llvm::emit("k", &[k], spec).expect("emit").ll
}

/// Layer norm's forward in chunks of 128 columns, as `ll` gives it.
fn layer_norm_ll(spec: &TargetSpec) -> String {
    ll(
        &persim_kernels::layer_norm::layer_norm_fwd::KERNEL,
        &[("BLOCK", 128)],
        spec,
    )
}

/// The arguments of an `llvm.prefetch` for writing (`rw` = 1) into L2.
const WRITE_HINT: &str = "i32 1, i32 2, i32 1)";

/// Softmax's row loads and stores go through `cols = arange(0, BLOCK)`,
/// made once before the row loop: `rematerialize` recomputes it per chunk,
/// so every access is a contiguous (masked) vector access, and `exp` is
/// inline code, not a C library call per lane.
#[test]
fn llvm_softmax_is_contiguous_with_inline_exp() {
    for spec in [avx512(), avx2()] {
        let text = ll(
            &persim_kernels::softmax::softmax::KERNEL,
            &[("BLOCK", 1024)],
            &spec,
        );
        for absent in ["masked.gather", "masked.scatter", "@expf", "llvm.exp."] {
            assert!(
                !text.contains(absent),
                "{}: `{absent}` in softmax",
                spec.cpu
            );
        }
        assert!(text.contains("llvm.masked.load"), "{}", spec.cpu);
        assert!(text.contains("llvm.masked.store"), "{}", spec.cpu);
        // The row loop's load hints the row two iterations (or programs) on
        // (`prefetch-next-programs`), and its store the output row, for
        // writing (`rw` = 1).
        assert!(text.contains("@llvm.prefetch"), "{}: no prefetch", spec.cpu);
        assert!(text.contains(WRITE_HINT), "{}: no write prefetch", spec.cpu);
        let avx512_only = [
            "llvm.x86.avx512.mask.range.ps.512",
            "llvm.x86.avx512.mask.scalef.ps.512",
        ];
        for name in avx512_only {
            assert_eq!(
                text.contains(name),
                spec.cpu == "skylake-avx512",
                "{}: `{name}`",
                spec.cpu
            );
        }
    }
}

/// Softmax's hints of the next rows sit in its `exp` loop, the one that
/// only computes, not next to the load and the store they were made for
/// (`prefetch-in-compute-loops`): there they overlap arithmetic instead of
/// queueing behind the row's own misses.
#[test]
fn llvm_softmax_prefetches_from_its_exp_loop() {
    use persim::ir::{Function, Opcode};
    let module = persim::front::specialize(
        &persim_kernels::softmax::softmax::KERNEL,
        &[("BLOCK", 1024)],
    )
    .expect("specialize");
    let (f, _) = Pipeline::standard(avx512().lowering_target())
        .run_module(&module, "softmax")
        .expect("mid-end");
    let opcodes_in = |f: &Function, lp| {
        let mut ops = Vec::new();
        f.walk(f.op(lp).regions[0], &mut |o| ops.push(f.op(o).opcode));
        ops
    };
    let mut hints = 0;
    for op in f.all_ops() {
        if f.op(op).opcode != Opcode::Prefetch {
            continue;
        }
        hints += 1;
        let body = f.op(op).parent.expect("in a block");
        let lp = f.blocks[body].parent.expect("in a loop");
        let ops = opcodes_in(&f, lp);
        assert!(
            ops.contains(&Opcode::Exp),
            "a prefetch outside the exp loop"
        );
        assert!(
            !ops.contains(&Opcode::Load) && !ops.contains(&Opcode::Store),
            "a prefetch in a loop that accesses global memory"
        );
    }
    assert!(hints >= 2, "{hints} prefetches");
}

/// Layer norm walks its row in column chunks: the first walk's loads hint
/// the same chunks of the row two programs on (`prefetch-next-programs`);
/// `w` and `b` do not depend on the program and get none.
#[test]
fn llvm_layer_norm_prefetches_the_next_programs_rows() {
    let text = layer_norm_ll(&avx512());
    assert!(text.contains("@llvm.prefetch"), "no prefetch");
    assert!(
        text.contains(WRITE_HINT),
        "no write prefetch of the output rows"
    );
}

/// On Zen no hint names another program's rows: layer norm (a row per
/// program, walked in chunks) gets none; softmax's persistent row loop
/// keeps both, which at its last rows name the current row (the output
/// row's `prefetchw` before the store loop).
#[test]
fn llvm_zen_hints_only_a_persistent_loops_own_rows() {
    assert!(!zen().lowering_target().prefetch_other_programs);
    assert!(avx512().lowering_target().prefetch_other_programs);
    let norm = layer_norm_ll(&zen());
    assert!(!norm.contains("@llvm.prefetch"), "layer norm prefetches");
    let softmax = ll(
        &persim_kernels::softmax::softmax::KERNEL,
        &[("BLOCK", 1024)],
        &zen(),
    );
    assert!(softmax.contains("@llvm.prefetch"), "softmax: no prefetch");
    assert!(softmax.contains(WRITE_HINT), "softmax: no write prefetch");
}

/// The basic blocks of `.ll` text, as (label, body) pairs.
fn blocks(text: &str) -> Vec<(&str, Vec<&str>)> {
    let mut out: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        let label = line.split_once(':').map(|(l, _)| l);
        match label {
            Some(l) if !line.starts_with(' ') && !l.contains(' ') && !l.is_empty() => {
                out.push((l, Vec::new()))
            }
            _ => {
                if let Some((_, body)) = out.last_mut() {
                    body.push(line);
                }
            }
        }
    }
    out
}

/// Layer norm's first walk sums chunks into a buffer while prefetching
/// the next program's row. The prefetch is scoped apart from every buffer
/// (`llvm/alias.rs`), so `LICM` keeps the running sums in vector registers
/// across the loop: the loop block that prefetches and carries the sums
/// (`phi <16 x float>`) stores nothing. Unscoped, LLVM assumes the prefetch
/// may touch the buffer, and all eight sums are stored back every chunk.
#[test]
fn llvm_layer_norm_keeps_its_running_sums_in_registers() {
    let text = layer_norm_ll(&avx512());
    let loops: Vec<_> = blocks(&text)
        .into_iter()
        .filter(|(_, body)| {
            body.iter().any(|l| l.contains("phi <16 x float>"))
                && body.iter().any(|l| l.contains("@llvm.prefetch"))
        })
        .collect();
    assert!(!loops.is_empty(), "no summing loop that prefetches");
    for (label, body) in loops {
        let stores = body.iter().filter(|l| l.contains(" store ")).count();
        assert_eq!(stores, 0, "`{label}` stores {stores} times per chunk");
    }
}

/// Softmax's `num / den` divides by one scalar: on FMA targets each vector
/// takes the reciprocal and two `fma`s (`llvm/splat_div.rs`), and a vector
/// divide is left only in the cold block for out-of-range operands (every
/// `fdiv` of a vector sits in a `splat_div_slow` block, which LLVM did not
/// speculate into a `select`). SSE2 has no FMA and divides.
#[test]
fn llvm_softmax_divides_by_its_sum_without_a_vector_divide() {
    let sse2 = TargetSpec::new(TargetSpec::host().triple, "x86-64", "+sse2");
    for spec in [avx512(), avx2(), sse2] {
        let text = ll(
            &persim_kernels::softmax::softmax::KERNEL,
            &[("BLOCK", 1024)],
            &spec,
        );
        let slow_blocks = text
            .lines()
            .filter(|l| l.starts_with("splat_div_slow"))
            .count();
        let divides = text.lines().filter(|l| l.contains("= fdiv <")).count();
        if spec.cpu == "x86-64" {
            assert_eq!(slow_blocks, 0, "sse2");
            assert!(divides > 0, "sse2 divides");
        } else {
            assert!(text.contains("llvm.fma.v"), "{}", spec.cpu);
            assert!(slow_blocks > 0, "{}", spec.cpu);
            assert_eq!(
                slow_blocks, divides,
                "{}: a divide outside the slow blocks",
                spec.cpu
            );
        }
    }
}

/// Matmul's `a_ptrs`/`b_ptrs` are loop-carried pointer tiles read back from
/// local memory: no compile-time fact, so each chunk is checked at run time
/// and loaded as one vector, with the gather kept as the fallback (both
/// are in the code); the `dot` steps are fused.
#[test]
fn llvm_matmul_checks_contiguity_at_run_time_and_fuses_dot() {
    let consts = [
        ("BLOCK_M", 64),
        ("BLOCK_N", 64),
        ("BLOCK_K", 32),
        ("GROUP_M", 8),
        ("LEAKY_RELU", 0),
    ];
    for spec in [avx512(), avx2()] {
        let text = ll(&persim_kernels::matmul::matmul::KERNEL, &consts, &spec);
        for present in ["llvm.masked.load", "llvm.masked.gather", "llvm.fma."] {
            assert!(text.contains(present), "{}: no `{present}`", spec.cpu);
        }
        // Its loads are in the `K` loop: nothing for the next programs.
        assert!(
            !text.contains("@llvm.prefetch"),
            "{}: matmul prefetches",
            spec.cpu
        );
    }
    // Without FMA in the features, `dot` multiplies and adds separately.
    let host = TargetSpec::host();
    let sse = TargetSpec::new(host.triple, "x86-64", "+sse2");
    let text = ll(&persim_kernels::matmul::matmul::KERNEL, &consts, &sse);
    assert!(
        !text.contains("llvm.fma."),
        "x86-64 without FMA fuses `dot`"
    );
}
