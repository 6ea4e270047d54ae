//! Layer norm (Triton tutorial 05), forward and backward, against plain-Rust
//! references in f64: `y`, `mean` and `rstd` from the forward; `dx`, `dw`
//! and `db` from the two-stage backward.

use crate::check::{compare, random_vec, tol, Report};
use persim::{Engine, LaunchError};
use persim_kernels::layer_norm::{layer_norm_bwd_dwdb, layer_norm_bwd_dx, layer_norm_fwd};

/// (M rows, N columns): N around the chunk and block widths, M not a
/// multiple of the backward's group count.
pub const SHAPES: &[(usize, usize)] = &[
    (1, 1),
    (7, 7),
    (37, 1000),
    (13, 1023),
    (5, 1025),
    (67, 4096),
];

pub const EPS: f32 = 1e-5;
/// Column chunk of the forward (rows are walked in chunks of this width).
pub const FWD_BLOCK: i32 = 256;
/// Programs of the backward's first stage (rows of the partial buffers).
pub const GROUP: usize = 8;
/// Rows of partials the second stage sums per step, and its column strip.
pub const DWDB_BLOCKS: (i32, i32) = (4, 128);

/// The forward's outputs, in f64.
pub struct Forward {
    pub y: Vec<f64>,
    pub mean: Vec<f64>,
    pub rstd: Vec<f64>,
}

pub fn reference_fwd(x: &[f32], w: &[f32], b: &[f32], (m, n): (usize, usize)) -> Forward {
    let mut out = Forward {
        y: vec![0.0; m * n],
        mean: vec![0.0; m],
        rstd: vec![0.0; m],
    };
    for r in 0..m {
        let row = &x[r * n..(r + 1) * n];
        let mean = row.iter().map(|&v| v as f64).sum::<f64>() / n as f64;
        let var = row.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n as f64;
        let rstd = 1.0 / (var + EPS as f64).sqrt();
        for (j, &v) in row.iter().enumerate() {
            out.y[r * n + j] = (v as f64 - mean) * rstd * w[j] as f64 + b[j] as f64;
        }
        out.mean[r] = mean;
        out.rstd[r] = rstd;
    }
    out
}

/// The backward's outputs, in f64.
pub struct Backward {
    pub dx: Vec<f64>,
    pub dw: Vec<f64>,
    pub db: Vec<f64>,
}

/// The gradient of [`reference_fwd`]'s `y` for upstream gradient `dy`, with
/// the mean and rstd recomputed in f64.
pub fn reference_bwd(x: &[f32], w: &[f32], dy: &[f32], (m, n): (usize, usize)) -> Backward {
    let fwd = reference_fwd(x, w, &vec![0.0; n], (m, n));
    let mut out = Backward {
        dx: vec![0.0; m * n],
        dw: vec![0.0; n],
        db: vec![0.0; n],
    };
    for r in 0..m {
        let xhat: Vec<f64> = (0..n)
            .map(|j| (x[r * n + j] as f64 - fwd.mean[r]) * fwd.rstd[r])
            .collect();
        let wdy: Vec<f64> = (0..n).map(|j| w[j] as f64 * dy[r * n + j] as f64).collect();
        let c1 = xhat.iter().zip(&wdy).map(|(a, b)| a * b).sum::<f64>() / n as f64;
        let c2 = wdy.iter().sum::<f64>() / n as f64;
        for j in 0..n {
            out.dx[r * n + j] = (wdy[j] - (xhat[j] * c1 + c2)) * fwd.rstd[r];
            out.dw[j] += dy[r * n + j] as f64 * xhat[j];
            out.db[j] += dy[r * n + j] as f64;
        }
    }
    out
}

/// Inputs with a nonzero mean and unequal scales, so normalization matters.
fn inputs(m: usize, n: usize) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let x = random_vec(m * n, 11)
        .iter()
        .enumerate()
        .map(|(i, v)| 3.0 * v + 0.5 + (i % n) as f32 * 1e-3)
        .collect();
    let w = random_vec(n, 12).iter().map(|v| 1.0 + v).collect();
    let b = random_vec(n, 13);
    (x, w, b)
}

pub fn run_fwd(engine: &Engine, (m, n): (usize, usize)) -> Result<Vec<Report>, LaunchError> {
    let (x, w, b) = inputs(m, n);
    let (mut y, mut mean, mut rstd) = (vec![0.0f32; m * n], vec![0.0f32; m], vec![0.0f32; m]);
    layer_norm_fwd::launch(
        engine,
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
            eps: EPS,
            BLOCK: FWD_BLOCK,
        },
    )?;
    let want = reference_fwd(&x, &w, &b, (m, n));
    let size = |what: &str| format!("fwd {m}x{n} {what}");
    Ok(vec![
        compare("layer_norm", size("y"), &y, &want.y, tol::F32_REDUCTION),
        compare(
            "layer_norm",
            size("mean"),
            &mean,
            &want.mean,
            tol::F32_REDUCTION,
        ),
        compare(
            "layer_norm",
            size("rstd"),
            &rstd,
            &want.rstd,
            tol::F32_REDUCTION,
        ),
    ])
}

/// The backward's two stages. `mean`/`rstd` come from the forward kernel,
/// as in training; the reference recomputes them in f64.
pub fn run_bwd(
    engine: &Engine,
    (m, n): (usize, usize),
    group: usize,
) -> Result<Vec<Report>, LaunchError> {
    let (x, w, b) = inputs(m, n);
    let dy = random_vec(m * n, 14);
    let (mut y, mut mean, mut rstd) = (vec![0.0f32; m * n], vec![0.0f32; m], vec![0.0f32; m]);
    layer_norm_fwd::launch(
        engine,
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
            eps: EPS,
            BLOCK: FWD_BLOCK,
        },
    )?;
    let block_n = n.next_power_of_two() as i32;
    let mut dx = vec![0.0f32; m * n];
    // Filled with NaN: every element must be written by stage 1.
    let mut partial_dw = vec![f32::NAN; group * n];
    let mut partial_db = vec![f32::NAN; group * n];
    layer_norm_bwd_dx::launch(
        engine,
        group as u32,
        layer_norm_bwd_dx::Args {
            dx: &mut dx,
            dy: &dy,
            partial_dw: &mut partial_dw,
            partial_db: &mut partial_db,
            x: &x,
            w: &w,
            mean: &mean,
            rstd: &rstd,
            stride: n as i32,
            m: m as i32,
            n: n as i32,
            BLOCK_N: block_n,
        },
    )?;
    let (mut dw, mut db) = (vec![0.0f32; n], vec![0.0f32; n]);
    let (bm, bn) = DWDB_BLOCKS;
    layer_norm_bwd_dwdb::launch(
        engine,
        n.div_ceil(bn as usize) as u32,
        layer_norm_bwd_dwdb::Args {
            partial_dw: &partial_dw,
            partial_db: &partial_db,
            dw: &mut dw,
            db: &mut db,
            groups: group as i32,
            n: n as i32,
            BLOCK_M: bm,
            BLOCK_N: bn,
        },
    )?;
    let want = reference_bwd(&x, &w, &dy, (m, n));
    let size = |what: &str| format!("bwd {m}x{n} G{group} {what}");
    Ok(vec![
        compare("layer_norm", size("dx"), &dx, &want.dx, tol::F32_REDUCTION),
        compare("layer_norm", size("dw"), &dw, &want.dw, tol::F32_REDUCTION),
        compare("layer_norm", size("db"), &db, &want.db, tol::F32_REDUCTION),
    ])
}

/// Forward and backward at every shape of [`SHAPES`].
pub fn run_all(engine: &Engine) -> Result<Vec<Report>, LaunchError> {
    let mut reports = Vec::new();
    for &shape in SHAPES {
        reports.extend(run_fwd(engine, shape)?);
        reports.extend(run_bwd(engine, shape, GROUP)?);
    }
    Ok(reports)
}
