//! Row-wise softmax against a plain-Rust, numerically stable reference.

use crate::check::{compare, random_vec, tol, Report};
use persim::{Engine, LaunchError};
use persim_kernels::softmax::softmax;

/// Row widths the issue asks for.
pub const WIDTHS: &[usize] = &[1, 7, 1000, 1023, 1025, 4096];
pub const ROWS: usize = 37;

/// Softmax of each row of a `rows x cols` matrix, in f32.
pub fn reference(x: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut out = vec![0.0f32; rows * cols];
    for r in 0..rows {
        let row = &x[r * cols..(r + 1) * cols];
        let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let e: Vec<f32> = row.iter().map(|v| (v - m).exp()).collect();
        let s: f32 = e.iter().sum();
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

pub fn run(engine: &Engine, rows: usize, cols: usize, block: i32) -> Result<Report, LaunchError> {
    let x: Vec<f32> = random_vec(rows * cols, 3).iter().map(|v| v * 8.0).collect();
    let mut out = vec![0.0f32; rows * cols];
    softmax::launch(
        engine,
        rows as u32,
        softmax::Args {
            out: &mut out,
            inp: &x,
            in_stride: cols as i32,
            out_stride: cols as i32,
            n_cols: cols as i32,
            BLOCK: block,
        },
    )?;
    Ok(compare(
        "softmax",
        format!("{rows}x{cols} BLOCK={block}"),
        &out,
        &reference(&x, rows, cols),
        tol::F32_NORMALIZED,
    ))
}

/// Every width of [`WIDTHS`] with the tutorial's power-of-two block.
pub fn run_all(engine: &Engine) -> Result<Vec<Report>, LaunchError> {
    WIDTHS
        .iter()
        .map(|&cols| run(engine, ROWS, cols, block_for(cols)))
        .collect()
}
