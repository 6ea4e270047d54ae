//! What each pass of softmax costs on the LLVM JIT, one thread, with the
//! rows in L2 (128 rows of 1000 `f32`: 0.5 MB in, 0.5 MB out), where the
//! arithmetic shows instead of the memory system.
//!
//! Each kernel adds one pass to the one before: a row copy, the `max`
//! subtraction, `exp`, then normalization by the row sum as a division
//! (`/ sum`, what softmax writes) and as a multiplication by the
//! reciprocal (`* (1 / sum)`, not correctly rounded: the reference for
//! what a division may cost), and the tutorial kernel itself.
//!
//! `cargo run --release -p persim-examples --bin softmax_passes [rows]`
//! (rows: 128 unless given). Each figure is the median of 31 timings of
//! ten back-to-back launches.

use persim::{kernel, Arg, Engine, Grid, KernelSource};
use persim_examples::random_vec;
use persim_kernels::softmax::softmax;
use std::time::Instant;

#[kernel]
fn row_copy(out: *mut f32, inp: *const f32, n_cols: i32, #[constexpr] BLOCK: i32) {
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    let row = program_id(0);
    let x = load(inp + row * n_cols + cols, mask, 0.0);
    store(out + row * n_cols + cols, x, mask);
}

#[kernel]
fn minus_max(out: *mut f32, inp: *const f32, n_cols: i32, #[constexpr] BLOCK: i32) {
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    let row = program_id(0);
    let x = load(inp + row * n_cols + cols, mask, f32::NEG_INFINITY);
    store(out + row * n_cols + cols, x - max(x, 0), mask);
}

#[kernel]
fn exp_of_minus_max(out: *mut f32, inp: *const f32, n_cols: i32, #[constexpr] BLOCK: i32) {
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    let row = program_id(0);
    let x = load(inp + row * n_cols + cols, mask, f32::NEG_INFINITY);
    store(out + row * n_cols + cols, exp(x - max(x, 0)), mask);
}

#[kernel]
fn divide_by_sum(out: *mut f32, inp: *const f32, n_cols: i32, #[constexpr] BLOCK: i32) {
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    let row = program_id(0);
    let x = load(inp + row * n_cols + cols, mask, f32::NEG_INFINITY);
    let num = exp(x - max(x, 0));
    store(out + row * n_cols + cols, num / sum(num, 0), mask);
}

#[kernel]
fn times_reciprocal(out: *mut f32, inp: *const f32, n_cols: i32, #[constexpr] BLOCK: i32) {
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    let row = program_id(0);
    let x = load(inp + row * n_cols + cols, mask, f32::NEG_INFINITY);
    let num = exp(x - max(x, 0));
    store(out + row * n_cols + cols, num * (1.0 / sum(num, 0)), mask);
}

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("rows: a number"))
        .unwrap_or(128);
    let cols = 1000usize;
    let x = random_vec(rows * cols, 3);
    let mut y = vec![0f32; rows * cols];
    let engine = Engine::llvm().threads(1);
    let median_ns_per_row = |launch: &mut dyn FnMut(&mut [f32]), y: &mut [f32]| {
        launch(y);
        let mut t: Vec<f64> = (0..31)
            .map(|_| {
                let start = Instant::now();
                for _ in 0..10 {
                    launch(y);
                }
                start.elapsed().as_secs_f64() / 10.0
            })
            .collect();
        t.sort_by(f64::total_cmp);
        t[15] / rows as f64 * 1e9
    };
    println!("softmax passes, {rows}x{cols} f32, LLVM JIT, 1 thread, ns per row:");
    let parts: [(&str, &KernelSource); 5] = [
        ("row copy", &row_copy::KERNEL),
        ("- max", &minus_max::KERNEL),
        ("exp(- max)", &exp_of_minus_max::KERNEL),
        ("... * (1 / sum)", &times_reciprocal::KERNEL),
        ("... / sum", &divide_by_sum::KERNEL),
    ];
    for (name, k) in parts {
        let mut launch = |y: &mut [f32]| {
            engine
                .launch(
                    k,
                    Grid::from(rows as u32),
                    &[("BLOCK", 1024)],
                    &mut [Arg::from(y), Arg::from(&x[..]), Arg::from(cols as i32)],
                )
                .expect(name);
        };
        println!(
            "  {name:<16} {:>7.0}",
            median_ns_per_row(&mut launch, &mut y)
        );
    }
    let mut tutorial = |y: &mut [f32]| {
        softmax::launch(
            &engine,
            rows as u32,
            softmax::Args {
                out: y,
                inp: &x,
                in_stride: cols as i32,
                out_stride: cols as i32,
                n_rows: rows as i32,
                n_cols: cols as i32,
                BLOCK: 1024,
            },
        )
        .expect("softmax");
    };
    println!(
        "  {:<16} {:>7.0}",
        "tutorial softmax",
        median_ns_per_row(&mut tutorial, &mut y)
    );
}
