//! Row-wise softmax (Triton tutorial 02) against a plain-Rust, numerically
//! stable reference in f64, with padded input rows (`in_stride > n_cols`)
//! and persistent programs (fewer programs than rows).

use crate::check::{compare, random_vec, tol, Report};
use persim::{Engine, LaunchError};
use persim_kernels::softmax::softmax;

/// Row widths the issue asks for.
pub const WIDTHS: &[usize] = &[1, 7, 1000, 1023, 1025, 4096];
pub const ROWS: usize = 37;
/// Programs of the persistent launch: not a divisor of [`ROWS`].
pub const PROGRAMS: u32 = 8;
/// Extra elements at the end of each input row.
pub const PAD: usize = 3;

/// Softmax of each row of a `rows x cols` matrix whose rows start `stride`
/// elements apart, in f64; the result is `rows x cols`, contiguous.
pub fn reference(x: &[f32], rows: usize, cols: usize, stride: usize) -> Vec<f64> {
    let mut out = vec![0.0f64; rows * cols];
    for r in 0..rows {
        let row = &x[r * stride..r * stride + cols];
        let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
        let e: Vec<f64> = row.iter().map(|&v| (v as f64 - m).exp()).collect();
        let s: f64 = e.iter().sum();
        for (o, v) in out[r * cols..(r + 1) * cols].iter_mut().zip(&e) {
            *o = v / s;
        }
    }
    out
}

/// The tile width: the row width rounded up to a power of two, as Triton's
/// tutorial does.
pub fn block_for(cols: usize) -> i32 {
    cols.next_power_of_two() as i32
}

/// `rows x cols` on `programs` persistent programs with tile width `block`.
pub fn run(
    engine: &Engine,
    (rows, cols): (usize, usize),
    block: i32,
    programs: u32,
) -> Result<Report, LaunchError> {
    let stride = cols + PAD;
    let x: Vec<f32> = random_vec(rows * stride, 3)
        .iter()
        .map(|v| v * 8.0)
        .collect();
    let mut out = vec![0.0f32; rows * cols];
    softmax::launch(
        engine,
        programs,
        softmax::Args {
            out: &mut out,
            inp: &x,
            in_stride: stride as i32,
            out_stride: cols as i32,
            n_rows: rows as i32,
            n_cols: cols as i32,
            BLOCK: block,
        },
    )?;
    Ok(compare(
        "softmax",
        format!("{rows}x{cols} BLOCK={block} P={programs}"),
        &out,
        &reference(&x, rows, cols, stride),
        tol::F32_NORMALIZED,
    ))
}

/// Every width of [`WIDTHS`] with the tutorial's power-of-two block, on
/// [`PROGRAMS`] persistent programs.
pub fn run_all(engine: &Engine) -> Result<Vec<Report>, LaunchError> {
    WIDTHS
        .iter()
        .map(|&cols| run(engine, (ROWS, cols), block_for(cols), PROGRAMS))
        .collect()
}
