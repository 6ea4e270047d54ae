//! Matmul against a plain-Rust triple loop accumulating in f64.

use crate::check::{compare, random_vec, Report, Tolerance};
use persim::{Engine, LaunchError};
use persim_kernels::matmul::matmul;

/// (M, N, K) shapes: odd, smaller than a block, and not multiples of it.
pub const SHAPES: &[(usize, usize, usize)] = &[
    (1, 1, 1),
    (7, 7, 7),
    (1, 1000, 7),
    (33, 65, 17),
    (127, 129, 1023),
    (1023, 1025, 1000),
];

/// Tile sizes of the launch: (BLOCK_M, BLOCK_N, BLOCK_K).
pub const BLOCKS: (i32, i32, i32) = (32, 32, 32);

pub fn reference(a: &[f32], b: &[f32], m: usize, n: usize, k: usize) -> Vec<f32> {
    let mut c = vec![0.0f32; m * n];
    for i in 0..m {
        let mut row = vec![0.0f64; n];
        for p in 0..k {
            let av = a[i * k + p] as f64;
            for (r, &bv) in row.iter_mut().zip(&b[p * n..(p + 1) * n]) {
                *r += av * bv as f64;
            }
        }
        for (cv, r) in c[i * n..(i + 1) * n].iter_mut().zip(row) {
            *cv = r as f32;
        }
    }
    c
}

pub fn run(
    engine: &Engine,
    (m, n, k): (usize, usize, usize),
    (bm, bn, bk): (i32, i32, i32),
) -> Result<Report, LaunchError> {
    let a = random_vec(m * k, 4);
    let b = random_vec(k * n, 5);
    let mut c = vec![0.0f32; m * n];
    let grid = (
        m.div_ceil(bm as usize) as u32,
        n.div_ceil(bn as usize) as u32,
    );
    matmul::launch(
        engine,
        grid,
        matmul::Args {
            a: &a,
            b: &b,
            c: &mut c,
            m: m as i32,
            n: n as i32,
            k: k as i32,
            stride_am: k as i32,
            stride_ak: 1,
            stride_bk: n as i32,
            stride_bn: 1,
            stride_cm: n as i32,
            stride_cn: 1,
            BLOCK_M: bm,
            BLOCK_N: bn,
            BLOCK_K: bk,
        },
    )?;
    Ok(compare(
        "matmul",
        format!("M={m} N={n} K={k} {bm}x{bn}x{bk}"),
        &c,
        &reference(&a, &b, m, n, k),
        Tolerance::Normwise(1e-4),
    ))
}

/// Every shape of [`SHAPES`] with [`BLOCKS`].
pub fn run_all(engine: &Engine) -> Result<Vec<Report>, LaunchError> {
    SHAPES.iter().map(|&s| run(engine, s, BLOCKS)).collect()
}
