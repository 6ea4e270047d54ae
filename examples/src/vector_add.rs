//! Vector add against `x[i] + y[i]`.

use crate::check::{compare, random_vec, tol, Report};
use persim::{Engine, LaunchError};
use persim_kernels::vector_add::vector_add;

/// Sizes the issue asks for: awkward around the block size, and one full block.
pub const SIZES: &[usize] = &[1, 7, 1000, 1023, 1025, 4096];
pub const BLOCK: i32 = 1024;

pub fn run(engine: &Engine, n: usize) -> Result<Report, LaunchError> {
    let x = random_vec(n, 1);
    let y = random_vec(n, 2);
    let mut out = vec![0.0f32; n];
    let grid = n.div_ceil(BLOCK as usize) as u32;
    vector_add::launch(
        engine,
        grid,
        vector_add::Args {
            x: &x,
            y: &y,
            out: &mut out,
            n: n as i32,
            BLOCK,
        },
    )?;
    let want: Vec<f32> = x.iter().zip(&y).map(|(a, b)| a + b).collect();
    Ok(compare(
        "vector_add",
        format!("n={n}"),
        &out,
        &want,
        tol::F32_ELEMENTWISE,
    ))
}

/// Every size of [`SIZES`].
pub fn run_all(engine: &Engine) -> Result<Vec<Report>, LaunchError> {
    SIZES.iter().map(|&n| run(engine, n)).collect()
}
