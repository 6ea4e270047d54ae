//! Benchmarks of the Cranelift JIT path (a bench binary, never a test):
//! compile time per kernel, and vector-add / softmax throughput against
//! plain-Rust loops measured in the same run.
//!
//! Run: `cargo run --release -p persim-examples --bin bench_jit`

use persim::Engine;
use persim_examples::random_vec;
use persim_kernels::{matmul::matmul, softmax::softmax, vector_add::vector_add};
use std::time::{Duration, Instant};

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

/// A kernel of the library and the constexprs to compile it with.
type Specialization = (
    &'static str,
    &'static persim::KernelSource,
    Vec<(&'static str, i64)>,
);

fn compile_times() {
    println!(
        "JIT compile time (fresh engine each time, median of 5; frontend + mid-end + Cranelift):"
    );
    let kernels: [Specialization; 3] = [
        ("vector_add", &vector_add::KERNEL, vec![("BLOCK", 1024)]),
        ("softmax", &softmax::KERNEL, vec![("BLOCK", 1024)]),
        (
            "matmul",
            &matmul::KERNEL,
            vec![
                ("BLOCK_M", 32),
                ("BLOCK_N", 32),
                ("BLOCK_K", 32),
                ("GROUP_M", 8),
                ("LEAKY_RELU", 0),
            ],
        ),
    ];
    for (name, kernel, consts) in kernels {
        let mut total: Vec<Duration> = (0..5)
            .map(|_| {
                let engine = Engine::jit();
                let t = Instant::now();
                engine.compile(kernel, &consts).expect("kernel compiles");
                t.elapsed()
            })
            .collect();
        total.sort();
        println!("  {name:<12} {:>8.2} ms", total[2].as_secs_f64() * 1e3);
    }
}

fn gbps(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / t.as_secs_f64() / 1e9
}

fn vector_add_throughput(threads: usize) {
    let n = 1 << 24;
    let (x, y) = (random_vec(n, 1), random_vec(n, 2));
    let mut out = vec![0.0f32; n];
    let bytes = 3 * 4 * n;
    let plain = median_time(9, || {
        for ((o, a), b) in out.iter_mut().zip(&x).zip(&y) {
            *o = a + b;
        }
        std::hint::black_box(&out);
    });
    let engine = Engine::jit().threads(threads);
    let block = 1024;
    let persim = median_time(9, || {
        vector_add::launch(
            &engine,
            n.div_ceil(block) as u32,
            vector_add::Args {
                x: &x,
                y: &y,
                out: &mut out,
                n: n as i32,
                BLOCK: block as i32,
            },
        )
        .expect("launch");
    });
    println!(
        "  vector_add n=2^24 threads={threads}: persim {:>6.2} GB/s, plain Rust loop (1 thread) {:>6.2} GB/s, ratio {:.2}",
        gbps(bytes, persim),
        gbps(bytes, plain),
        plain.as_secs_f64() / persim.as_secs_f64()
    );
}

/// Row-wise softmax in plain f32 Rust: the baseline of the throughput bench.
fn plain_softmax(x: &[f32], out: &mut [f32], cols: usize) {
    for (row, o) in x.chunks(cols).zip(out.chunks_mut(cols)) {
        let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut s = 0.0f32;
        for (o, &v) in o.iter_mut().zip(row) {
            *o = (v - m).exp();
            s += *o;
        }
        o.iter_mut().for_each(|v| *v /= s);
    }
}

fn softmax_throughput(threads: usize) {
    let (rows, cols) = (4096, 1024);
    let x = random_vec(rows * cols, 3);
    let mut out = vec![0.0f32; rows * cols];
    let bytes = 2 * 4 * rows * cols;
    let plain = median_time(9, || {
        plain_softmax(&x, &mut out, cols);
        std::hint::black_box(&out);
    });
    let engine = Engine::jit().threads(threads);
    let persim = median_time(9, || {
        softmax::launch(
            &engine,
            rows as u32,
            softmax::Args {
                out: &mut out,
                inp: &x,
                in_stride: cols as i32,
                out_stride: cols as i32,
                n_rows: rows as i32,
                n_cols: cols as i32,
                BLOCK: cols as i32,
            },
        )
        .expect("launch");
    });
    println!(
        "  softmax 4096x1024 threads={threads}: persim {:>6.2} GB/s, plain Rust (1 thread) {:>6.2} GB/s, ratio {:.2}",
        gbps(bytes, persim),
        gbps(bytes, plain),
        plain.as_secs_f64() / persim.as_secs_f64()
    );
}

fn main() {
    compile_times();
    println!(
        "Throughput (median of 9; ratio = plain time / persim time, >1 means persim is faster):"
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        vector_add_throughput(threads);
        softmax_throughput(threads);
    }
}
