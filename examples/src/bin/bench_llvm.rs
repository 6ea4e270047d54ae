//! Benchmarks of the LLVM backend against baselines measured in the same
//! run (a bench binary, never a test):
//!
//! - launch overhead: µs per launch of an empty kernel, both JITs;
//! - f32 matmul at 512, 1024, 2048 in GFLOP/s, 1 thread and all threads,
//!   against the `matrixmultiply` crate and (feature `openblas`) OpenBLAS;
//! - softmax and layer norm in GB/s against a plain memory copy of the
//!   same bytes on as many threads as the kernel, and a plain-Rust
//!   implementation;
//! - fused attention (f32, head dim 64) in GFLOP/s against plain Rust.
//!
//! Run: `cargo run --release -p persim-examples --bin bench_llvm`
//! (add `--features openblas` with `libopenblas-dev` installed); name parts
//! (`launch matmul softmax layer_norm attention`) to run only those.

use persim::{Arg, Engine, Grid};
use persim_examples::random_vec;
use persim_kernels::{
    attention::attention_fwd, layer_norm::layer_norm_fwd, matmul::matmul, softmax::softmax,
};
use std::time::{Duration, Instant};

#[persim::kernel]
fn empty(out: *mut f32) {
    let _pid = program_id(0);
}

/// Median wall time of `reps` runs of `f` after one warm-up run.
fn median_time(reps: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[reps / 2]
}

/// `reps` rounds, each timing every one of `runs` once in order, after a
/// warm-up of each: per run, its median time and the median over rounds
/// of `its time / time of run 0` (run 0's speed relative to it: persim
/// over a baseline when run 0 is persim's). On a
/// shared host a slow phase slows every run of a round alike, so these
/// paired ratios vary far less than a ratio of medians taken apart.
fn interleaved(reps: usize, runs: &mut [&mut dyn FnMut()]) -> Vec<(Duration, f64)> {
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(reps); runs.len()];
    for run in runs.iter_mut() {
        run();
    }
    for _ in 0..reps {
        for (run, t) in runs.iter_mut().zip(&mut times) {
            let start = Instant::now();
            run();
            t.push(start.elapsed());
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    times
        .iter()
        .map(|t| {
            let mut sorted = t.clone();
            sorted.sort();
            let ratios = t
                .iter()
                .zip(&times[0])
                .map(|(x, ours)| x.as_secs_f64() / ours.as_secs_f64())
                .collect();
            (sorted[reps / 2], median(ratios))
        })
        .collect()
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn launch_overhead() {
    println!("Launch overhead of an empty kernel (µs per launch, median of 2000):");
    for (name, engine) in [("cranelift", Engine::jit()), ("llvm", Engine::llvm())] {
        let mut out = vec![0f32; 1];
        for (grid, label) in [(1u32, "1 program"), (64, "64 programs")] {
            let mut launch = || {
                empty::launch(&engine, grid, empty::Args { out: &mut out }).expect("launch");
            };
            launch();
            let t = median_time(2000, launch);
            println!("  {name:<10} {label:<12} {:>8.2} µs", t.as_secs_f64() * 1e6);
        }
    }
}

#[cfg(feature = "openblas")]
mod blas {
    #[link(name = "openblas")]
    extern "C" {
        fn cblas_sgemm(
            order: i32,
            ta: i32,
            tb: i32,
            m: i32,
            n: i32,
            k: i32,
            alpha: f32,
            a: *const f32,
            lda: i32,
            b: *const f32,
            ldb: i32,
            beta: f32,
            c: *mut f32,
            ldc: i32,
        );
        fn openblas_set_num_threads(n: i32);
        fn openblas_get_corename() -> *const std::ffi::c_char;
    }

    /// The kernel set OpenBLAS picked at load time.
    pub fn core_name() -> String {
        // SAFETY: OpenBLAS returns a static NUL-terminated string.
        unsafe { std::ffi::CStr::from_ptr(openblas_get_corename()) }
            .to_string_lossy()
            .into_owned()
    }

    /// Settings OpenBLAS reads only when it loads, before `main`, so this
    /// re-runs the program with them when they are missing:
    ///
    /// - OpenBLAS picks its kernels from the CPU model, and on a virtual
    ///   machine whose CPUID it does not know it falls back to `Prescott`
    ///   (SSE3), a fifth of its speed here: an unfair baseline. Then
    ///   `OPENBLAS_CORETYPE` names the kernels the host's features allow.
    /// - Its idle worker threads spin for about 2^28 cycles after a call
    ///   before they sleep, and the rounds of [`super::interleaved`] run
    ///   persim right after OpenBLAS: on a small host the spinning workers
    ///   would take persim's cores. `OPENBLAS_THREAD_TIMEOUT=4` (its
    ///   minimum, 2^4 cycles) puts them to sleep at once, which costs
    ///   OpenBLAS a wake-up per call, microseconds against milliseconds.
    pub fn configure() {
        let mut env: Vec<(&str, &str)> = Vec::new();
        let core = core_name();
        if core == "Prescott" && std::env::var_os("OPENBLAS_CORETYPE").is_none() {
            #[cfg(target_arch = "x86_64")]
            let better = if std::is_x86_feature_detected!("avx512f") {
                Some("SkylakeX")
            } else if std::is_x86_feature_detected!("avx2") {
                Some("Haswell")
            } else {
                None
            };
            #[cfg(not(target_arch = "x86_64"))]
            let better: Option<&str> = None;
            if let Some(better) = better {
                println!("OpenBLAS chose {core} kernels for this CPU; re-running with OPENBLAS_CORETYPE={better}");
                env.push(("OPENBLAS_CORETYPE", better));
            }
        }
        if std::env::var_os("OPENBLAS_THREAD_TIMEOUT").is_none() {
            env.push(("OPENBLAS_THREAD_TIMEOUT", "4"));
        }
        if env.is_empty() {
            return;
        }
        let mut args = std::env::args_os();
        let program = args.next().expect("program name");
        use std::os::unix::process::CommandExt;
        let err = std::process::Command::new(program)
            .args(args)
            .envs(env)
            .exec();
        panic!("re-running the benchmark: {err}");
    }

    /// Row-major `c = a @ b` on `threads` OpenBLAS threads.
    pub fn sgemm(n: usize, a: &[f32], b: &[f32], c: &mut [f32], threads: usize) {
        let n = n as i32;
        // SAFETY: square row-major matrices of n*n elements each.
        unsafe {
            openblas_set_num_threads(threads as i32);
            cblas_sgemm(
                101,
                111,
                111,
                n,
                n,
                n,
                1.0,
                a.as_ptr(),
                n,
                b.as_ptr(),
                n,
                0.0,
                c.as_mut_ptr(),
                n,
            );
        }
    }
}

fn persim_matmul(
    engine: &Engine,
    n: usize,
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    bm: i32,
    bn: i32,
    bk: i32,
) {
    let ni = n as i32;
    let grid = (n.div_ceil(bm as usize) * n.div_ceil(bn as usize)) as u32;
    matmul::launch(
        engine,
        grid,
        matmul::Args {
            a,
            b,
            c,
            m: ni,
            n: ni,
            k: ni,
            stride_am: ni,
            stride_ak: 1,
            stride_bk: ni,
            stride_bn: 1,
            stride_cm: ni,
            stride_cn: 1,
            BLOCK_M: bm,
            BLOCK_N: bn,
            BLOCK_K: bk,
            GROUP_M: 8,
            LEAKY_RELU: false,
        },
    )
    .expect("matmul");
}

/// `BENCH_MATMUL=n,bm,bn,bk[,threads]`: one configuration, ten rounds
/// of it and OpenBLAS, for profiling (`perf record`,
/// `PERSIM_DUMP_LLVM=1`) and for A/B runs of a change to the matmul path.
fn matmul_one(spec: &str) {
    let v: Vec<usize> = spec
        .split(',')
        .map(|x| x.trim().parse().expect("BENCH_MATMUL=n,bm,bn,bk[,threads]"))
        .collect();
    let (n, bm, bn, bk) = (v[0], v[1] as i32, v[2] as i32, v[3] as i32);
    let t = v.get(4).copied().unwrap_or(1);
    let a = random_vec(n * n, 1);
    let b = random_vec(n * n, 2);
    let mut c = vec![0f32; n * n];
    let flops = 2.0 * (n as f64).powi(3);
    let engine = Engine::llvm().threads(t);
    let mut ours = || persim_matmul(&engine, n, &a, &b, &mut c, bm, bn, bk);
    #[cfg(not(feature = "openblas"))]
    let r = interleaved(10, &mut [&mut ours]);
    #[cfg(feature = "openblas")]
    let mut c2 = vec![0f32; n * n];
    #[cfg(feature = "openblas")]
    let r = interleaved(
        10,
        &mut [&mut ours, &mut || blas::sgemm(n, &a, &b, &mut c2, t)],
    );
    let gf = |d: Duration| flops / d.as_secs_f64() / 1e9;
    print!(
        "matmul n={n} {bm}x{bn}x{bk} threads={t}: {:.1} GFLOP/s (median of 10)",
        gf(r[0].0)
    );
    #[cfg(feature = "openblas")]
    print!(
        "  openblas {:.1} (x{:.2}, paired rounds)",
        gf(r[1].0),
        r[1].1
    );
    println!();
}

fn matmul_bench() {
    if let Ok(spec) = std::env::var("BENCH_MATMUL") {
        return matmul_one(&spec);
    }
    let all = threads();
    println!(
        "f32 matmul n x n x n, GFLOP/s: the best tile of a sweep, then 7 rounds (5 at 2048) of it"
    );
    println!("  and each baseline in turn; medians, and x = median over rounds of baseline time / persim time:");
    // Tile configs tried for persim; the best is reported. The two
    // 512-wide tiles pay on hosts with large L2s (Zen 4: 0.94 and 0.98 of
    // OpenBLAS at 2048^3 on one thread, against 0.91-0.95 at 256x256x128).
    let configs = [
        (64, 64, 32),
        (64, 128, 32),
        (128, 128, 32),
        (128, 128, 64),
        (128, 256, 64),
        (128, 256, 128),
        (256, 256, 64),
        (256, 256, 128),
        (256, 256, 256),
        (256, 512, 128),
        (512, 256, 128),
    ];
    for n in [512usize, 1024, 2048] {
        let a = random_vec(n * n, 1);
        let b = random_vec(n * n, 2);
        let mut c = vec![0f32; n * n];
        let flops = 2.0 * (n as f64).powi(3);
        let gf = |t: Duration| flops / t.as_secs_f64() / 1e9;
        let reps = if n >= 2048 { 3 } else { 5 };
        for t in [1usize, all] {
            let engine = Engine::llvm().threads(t);
            let (mut best, mut best_cfg) = (0.0f64, (0, 0, 0));
            for &(bm, bn, bk) in &configs {
                let g = gf(median_time(reps, || {
                    persim_matmul(&engine, n, &a, &b, &mut c, bm, bn, bk)
                }));
                if g > best {
                    (best, best_cfg) = (g, (bm, bn, bk));
                }
            }
            let cl = if n <= 1024 {
                let engine = Engine::jit().threads(t);
                gf(median_time(reps, || {
                    persim_matmul(&engine, n, &a, &b, &mut c, 64, 64, 32)
                }))
            } else {
                f64::NAN
            };
            // The best configuration against the baselines, round by round.
            let (bm, bn, bk) = best_cfg;
            let mut c2 = vec![0f32; n * n];
            let mut ours = || persim_matmul(&engine, n, &a, &b, &mut c, bm, bn, bk);
            let mut mm = || {
                // SAFETY: row-major n*n matrices with unit column stride.
                unsafe {
                    matrixmultiply::sgemm(
                        n,
                        n,
                        n,
                        1.0,
                        a.as_ptr(),
                        n as isize,
                        1,
                        b.as_ptr(),
                        n as isize,
                        1,
                        0.0,
                        c2.as_mut_ptr(),
                        n as isize,
                        1,
                    )
                }
            };
            #[cfg(feature = "openblas")]
            let mut c3 = vec![0f32; n * n];
            #[cfg(feature = "openblas")]
            let mut ob = || blas::sgemm(n, &a, &b, &mut c3, t);
            let mut runs: Vec<&mut dyn FnMut()> = vec![&mut ours, &mut mm];
            #[cfg(feature = "openblas")]
            runs.push(&mut ob);
            let r = interleaved(reps + 2, &mut runs);
            print!(
                "  n={n:<5} threads={t:<3} llvm {:>7.1} (tile {bm}x{bn}x{bk})  cranelift {cl:>6.1}  matrixmultiply {:>7.1} (x{:.2})",
                gf(r[0].0),
                gf(r[1].0),
                r[1].1
            );
            #[cfg(feature = "openblas")]
            print!("  openblas {:>7.1} (x{:.2})", gf(r[2].0), r[2].1);
            println!();
        }
    }
    println!("  (matrixmultiply runs on its own threads: its 'threads=1' row uses them too when RAYON/MATMUL_NUM_THREADS allow)");
}

/// The memory-copy baseline: `y = x`, the same bytes a row kernel reads
/// and writes.
fn copy_rows(x: &[f32], y: &mut [f32]) {
    y.copy_from_slice(x);
    std::hint::black_box(&y);
}

/// The copy baseline for a kernel launched on `threads` threads: `y = x`
/// in `threads` contiguous parts on a pool of that many threads (one
/// thread's copy does not have the bandwidth of two).
struct Copier {
    pool: Option<rayon::ThreadPool>,
    threads: usize,
}

impl Copier {
    fn new(threads: usize) -> Copier {
        let pool = (threads > 1).then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a copy thread pool")
        });
        Copier { pool, threads }
    }

    fn copy(&self, x: &[f32], y: &mut [f32]) {
        use rayon::prelude::*;
        match &self.pool {
            None => copy_rows(x, y),
            Some(pool) => {
                let part = x.len().div_ceil(self.threads);
                pool.install(|| {
                    x.par_chunks(part)
                        .zip(y.par_chunks_mut(part))
                        .for_each(|(x, y)| y.copy_from_slice(x))
                });
                std::hint::black_box(&y);
            }
        }
    }
}

fn gbps(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / t.as_secs_f64() / 1e9
}

fn softmax_bench() {
    let (rows, cols) = (8192usize, 1000usize);
    let x = random_vec(rows * cols, 3);
    let mut y = vec![0f32; rows * cols];
    let bytes = 2 * 4 * rows * cols;
    let mut y2 = vec![0f32; rows * cols];
    println!(
        "softmax {rows}x{cols} f32, GB/s of input + output (median of 9; x memcpy: median over"
    );
    println!("  9 rounds of memcpy time / persim time, each round timing both; memcpy on as many threads):");
    let copy = gbps(bytes, median_time(9, || copy_rows(&x, &mut y2)));
    let all = Copier::new(threads());
    let copy_all = gbps(bytes, median_time(9, || all.copy(&x, &mut y2)));
    let plain = gbps(
        bytes,
        median_time(9, || {
            for (xr, yr) in x.chunks(cols).zip(y.chunks_mut(cols)) {
                let m = xr.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
                let mut s = 0.0;
                for (o, &v) in yr.iter_mut().zip(xr) {
                    *o = (v - m).exp();
                    s += *o;
                }
                for o in yr.iter_mut() {
                    *o /= s;
                }
            }
            std::hint::black_box(&y);
        }),
    );
    println!(
        "  memcpy {copy:>7.2}   memcpy on {} threads {copy_all:>7.2}   plain Rust (1 thread) {plain:>7.2}",
        threads()
    );
    // One row per program: the runtime hands each worker a contiguous
    // range of programs, so rows are read in order. A persistent grid of a
    // few programs per thread (the tutorial's GPU sizing) makes each
    // program read every P-th row, which the prefetchers follow worse; it
    // is measured too, for comparison.
    for t in [1usize, threads()] {
        let copier = Copier::new(t);
        for (name, engine, programs) in [
            ("cranelift", Engine::jit().threads(t), rows as u32),
            ("llvm", Engine::llvm().threads(t), rows as u32),
            ("llvm", Engine::llvm().threads(t), (4 * t) as u32),
        ] {
            let mut ours = || {
                engine
                    .launch(
                        &softmax::KERNEL,
                        Grid::from(programs),
                        &[("BLOCK", 1024)],
                        &mut [
                            Arg::from(&mut y[..]),
                            Arg::from(&x[..]),
                            Arg::from(cols as i32),
                            Arg::from(cols as i32),
                            Arg::from(rows as i32),
                            Arg::from(cols as i32),
                        ],
                    )
                    .expect("softmax");
            };
            let mut memcpy = || copier.copy(&x, &mut y2);
            let r = interleaved(9, &mut [&mut ours, &mut memcpy]);
            let g = gbps(bytes, r[0].0);
            println!(
                "  {name:<10} threads={t:<3} grid={programs:<5} {g:>7.2}  (x{:.2} memcpy, x{:.2} plain Rust)",
                r[1].1,
                g / plain
            );
        }
    }
}

fn layer_norm_bench() {
    // `BENCH_LN_ROWS=r`: `r` rows instead of 8192 (128 keep `x` and `y` in
    // L2: the kernel's own speed, without the memory's).
    let m = std::env::var("BENCH_LN_ROWS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(8192usize);
    let n = 1000usize;
    let x = random_vec(m * n, 4);
    let w = random_vec(n, 5);
    let b = random_vec(n, 6);
    let mut y = vec![0f32; m * n];
    let (mut mean, mut rstd) = (vec![0f32; m], vec![0f32; m]);
    let bytes = 2 * 4 * m * n;
    let mut y2 = vec![0f32; m * n];
    println!("layer norm forward {m}x{n} f32, GB/s of x + y: the best BLOCK of a sweep (median of 9 each), then");
    println!("  9 rounds of it and memcpy in turn; x memcpy = median over rounds of memcpy time / persim time,");
    println!("  memcpy on as many threads:");
    let copy = gbps(bytes, median_time(9, || copy_rows(&x, &mut y2)));
    let all = Copier::new(threads());
    let copy_all = gbps(bytes, median_time(9, || all.copy(&x, &mut y2)));
    let plain = gbps(
        bytes,
        median_time(9, || {
            for (r, (xr, yr)) in x.chunks(n).zip(y.chunks_mut(n)).enumerate() {
                let mu = xr.iter().sum::<f32>() / n as f32;
                let var = xr.iter().map(|v| (v - mu) * (v - mu)).sum::<f32>() / n as f32;
                let rs = 1.0 / (var + 1e-5).sqrt();
                for j in 0..n {
                    yr[j] = (xr[j] - mu) * rs * w[j] + b[j];
                }
                mean[r] = mu;
                rstd[r] = rs;
            }
            std::hint::black_box(&y);
        }),
    );
    println!(
        "  memcpy {copy:>7.2}   memcpy on {} threads {copy_all:>7.2}   plain Rust (1 thread) {plain:>7.2}",
        threads()
    );
    // The column chunk is a constexpr, tried like matmul's tiles and the
    // best reported: on a CPU a few vectors per chunk keep the running
    // sums in registers and leave one masked chunk per row, where the GPU
    // choice (the whole row, 1024) keeps them in memory and masks every
    // vector.
    for t in [1usize, threads()] {
        let copier = Copier::new(t);
        for (name, engine) in [
            ("cranelift", Engine::jit().threads(t)),
            ("llvm", Engine::llvm().threads(t)),
        ] {
            let mut run = |block: i32| {
                layer_norm_fwd::launch(
                    &engine,
                    m as u32,
                    layer_norm_fwd::Args {
                        x: &x,
                        y: &mut y,
                        w: &w,
                        b: &b,
                        mean: &mut mean,
                        rstd: &mut rstd,
                        stride: n as i32,
                        n: n as i32,
                        eps: 1e-5,
                        BLOCK: block,
                    },
                )
                .expect("layer norm");
            };
            let (mut best, mut best_block) = (0.0f64, 0);
            for block in [64, 128, 256, 1024] {
                let g = gbps(bytes, median_time(9, || run(block)));
                if g > best {
                    (best, best_block) = (g, block);
                }
            }
            let mut ours = || run(best_block);
            let mut memcpy = || copier.copy(&x, &mut y2);
            let r = interleaved(9, &mut [&mut ours, &mut memcpy]);
            let g = gbps(bytes, r[0].0);
            println!(
                "  {name:<10} threads={t:<3} {g:>7.2} (BLOCK {best_block:<4})  (x{:.2} memcpy, x{:.2} plain Rust)",
                r[1].1,
                g / plain
            );
        }
    }
}

fn attention_bench() {
    let (bh, seq, dim) = (4usize, 1024usize, 64usize);
    let q = random_vec(bh * seq * dim, 7);
    let k = random_vec(bh * seq * dim, 8);
    let v = random_vec(bh * seq * dim, 9);
    let mut o = vec![0f32; bh * seq * dim];
    let mut lse = vec![0f32; bh * seq];
    let scale = 1.0 / (dim as f32).sqrt();
    let flops = 4.0 * (bh * seq * seq * dim) as f64;
    let gf = |t: Duration| flops / t.as_secs_f64() / 1e9;
    println!(
        "attention forward f32, {bh} heads x {seq} x d{dim}, non-causal, GFLOP/s (median of 3):"
    );
    let plain = gf(median_time(3, || {
        let mut s = vec![0f32; seq];
        for h in 0..bh {
            let base = h * seq * dim;
            for i in 0..seq {
                let qi = &q[base + i * dim..base + (i + 1) * dim];
                let mut mx = f32::NEG_INFINITY;
                for j in 0..seq {
                    let kj = &k[base + j * dim..base + (j + 1) * dim];
                    s[j] = qi.iter().zip(kj).map(|(a, b)| a * b).sum::<f32>() * scale;
                    mx = mx.max(s[j]);
                }
                let mut l = 0.0;
                let oi = &mut o[base + i * dim..base + (i + 1) * dim];
                oi.fill(0.0);
                for j in 0..seq {
                    let p = (s[j] - mx).exp();
                    l += p;
                    for (od, vd) in oi.iter_mut().zip(&v[base + j * dim..base + (j + 1) * dim]) {
                        *od += p * vd;
                    }
                }
                for od in oi.iter_mut() {
                    *od /= l;
                }
                lse[h * seq + i] = mx + l.ln();
            }
        }
        std::hint::black_box(&o);
    }));
    println!("  plain Rust (1 thread) {plain:>7.2}");
    let (sh, sm) = ((seq * dim) as i32, dim as i32);
    for t in [1usize, threads()] {
        for (name, engine) in [
            ("cranelift", Engine::jit().threads(t)),
            ("llvm", Engine::llvm().threads(t)),
        ] {
            let g = gf(median_time(3, || {
                attention_fwd::launch(
                    &engine,
                    ((seq / 32) as u32, bh as u32),
                    attention_fwd::Args {
                        q: &q,
                        k: &k,
                        v: &v,
                        o: &mut o,
                        lse: &mut lse,
                        sm_scale: scale,
                        seq: seq as i32,
                        stride_qh: sh,
                        stride_qm: sm,
                        stride_kh: sh,
                        stride_kn: sm,
                        stride_vh: sh,
                        stride_vn: sm,
                        stride_oh: sh,
                        stride_om: sm,
                        HEAD_DIM: dim as i32,
                        BLOCK_M: 32,
                        BLOCK_N: 32,
                        CAUSAL: false,
                    },
                )
                .expect("attention");
            }));
            println!(
                "  {name:<10} threads={t:<3} {g:>7.2}  (x{:.2} plain Rust)",
                g / plain
            );
        }
    }
}

fn main() {
    #[cfg(feature = "openblas")]
    blas::configure();
    println!(
        "host: {:?}, {} threads",
        persim::TargetSpec::host().cpu,
        threads()
    );
    #[cfg(feature = "openblas")]
    println!("OpenBLAS kernels: {}", blas::core_name());
    // `bench_llvm [launch] [matmul] [softmax] [layer_norm] [attention]`
    // runs only the named parts; no argument runs them all.
    let only: Vec<String> = std::env::args().skip(1).collect();
    let run = |name: &str| only.is_empty() || only.iter().any(|a| a == name);
    let parts: [(&str, fn()); 5] = [
        ("launch", launch_overhead),
        ("matmul", matmul_bench),
        ("softmax", softmax_bench),
        ("layer_norm", layer_norm_bench),
        ("attention", attention_bench),
    ];
    for (name, bench) in parts {
        if run(name) {
            bench();
        }
    }
}
