//! Layer normalization (Triton tutorial 05), forward and backward, f32.
//!
//! `y = (x - mean) * rstd * w + b` per row of an `M x N` matrix, where
//! `rstd = 1 / sqrt(var + eps)`; the forward saves `mean` and `rstd` per row
//! for the backward.
//!
//! The backward computes `dx` per row and the weight gradients `dw = sum over
//! rows of dy * xhat`, `db = sum over rows of dy`. Those sums run across
//! program instances. Triton's tutorial has each row's program add its
//! partial into one of `GROUP` buffer rows under a spin lock (`atomic_cas` /
//! `atomic_xchg`). persim has no atomics yet, so the reduction is two-stage
//! and lock-free instead:
//!
//! 1. [`layer_norm_bwd_dx`] runs `GROUP` programs; program `g` handles rows
//!    `g, g + GROUP, g + 2*GROUP, ..` and writes its partial sums to row `g`
//!    of `[GROUP x N]` buffers (no two programs share a buffer row);
//! 2. [`layer_norm_bwd_dwdb`] sums those buffers over their `GROUP` rows.
//!
//! This is also deterministic (no dependence on program scheduling). With
//! atomics, stage 1 could launch one program per row and
//! `atomic_add(partial_dw + (row % GROUP) * n + cols, dy * xhat, mask)`
//! (see the marked spot in the kernel), trading determinism for
//! parallelism over rows when `M` is small relative to the machine.

use persim::kernel;

/// One program per row. `BLOCK` is the width of the column chunks the row
/// is walked in (any `n` works; Triton's forward makes the same choice).
#[kernel]
pub fn layer_norm_fwd(
    x: *const f32,
    y: *mut f32,
    w: *const f32,
    b: *const f32,
    mean: *mut f32,
    rstd: *mut f32,
    stride: i32,
    n: i32,
    eps: f32,
    #[constexpr] BLOCK: i32,
) {
    let row = program_id(0);
    let x_row = x + row * stride;
    let y_row = y + row * stride;
    let chunk = arange(0, BLOCK);
    let nf = n.to::<f32>();

    let mut sum_x = zeros::<f32>([BLOCK]);
    for off in (0..n).step_by(BLOCK) {
        let cols = off + chunk;
        sum_x += load(x_row + cols, cols < n, 0.0);
    }
    let mu = sum(sum_x, 0) / nf;

    // The variance as the mean of squared deviations (two passes), which is
    // exact enough in f32 even when |mean| >> std, unlike E[x^2] - mean^2.
    let mut sum_sq = zeros::<f32>([BLOCK]);
    for off in (0..n).step_by(BLOCK) {
        let cols = off + chunk;
        let xv = load(x_row + cols, cols < n, 0.0);
        let d = where_(cols < n, xv - mu, 0.0);
        sum_sq += d * d;
    }
    let r = 1.0 / sqrt(sum(sum_sq, 0) / nf + eps);
    store(mean + row, mu);
    store(rstd + row, r);

    for off in (0..n).step_by(BLOCK) {
        let cols = off + chunk;
        let mask = cols < n;
        let wv = load(w + cols, mask);
        let bv = load(b + cols, mask);
        let xv = load(x_row + cols, mask, 0.0);
        store(y_row + cols, (xv - mu) * r * wv + bv, mask);
    }
}

/// Stage 1 of the backward: `dx` of every row, and per-program partial
/// `dw`/`db` in row `program_id(0)` of the `[GROUP x n]` buffers
/// `partial_dw`/`partial_db`. Launch `GROUP` programs (any `GROUP >= 1`;
/// programs beyond `m` rows write zero partials). `BLOCK_N >= n`: a whole
/// row is one tile, as in Triton's backward.
#[kernel]
pub fn layer_norm_bwd_dx(
    dx: *mut f32,
    dy: *const f32,
    partial_dw: *mut f32,
    partial_db: *mut f32,
    x: *const f32,
    w: *const f32,
    mean: *const f32,
    rstd: *const f32,
    stride: i32,
    m: i32,
    n: i32,
    #[constexpr] BLOCK_N: i32,
) {
    let g = program_id(0);
    let groups = num_programs(0);
    let cols = arange(0, BLOCK_N);
    let mask = cols < n;
    let nf = n.to::<f32>();
    let wv = load(w + cols, mask, 0.0);
    let mut dw = zeros::<f32>([BLOCK_N]);
    let mut db = zeros::<f32>([BLOCK_N]);
    for row in (g..m).step_by(groups) {
        let xv = load(x + row * stride + cols, mask, 0.0);
        let dyv = load(dy + row * stride + cols, mask, 0.0);
        let mu = load(mean + row);
        let r = load(rstd + row);
        let xhat = where_(mask, (xv - mu) * r, 0.0);
        let wdy = where_(mask, wv * dyv, 0.0);
        let c1 = sum(xhat * wdy, 0) / nf;
        let c2 = sum(wdy, 0) / nf;
        store(dx + row * stride + cols, (wdy - (xhat * c1 + c2)) * r, mask);
        // With atomics: one program per row and
        // `atomic_add(partial_dw + (row % GROUP) * n + cols, dyv * xhat, mask)`.
        dw += dyv * xhat;
        db += dyv;
    }
    store(partial_dw + g * n + cols, dw, mask);
    store(partial_db + g * n + cols, db, mask);
}

/// Stage 2 of the backward: `dw[j] = sum_g partial_dw[g, j]` (and `db`),
/// one `BLOCK_N`-wide column strip per program, walking the `groups` rows
/// `BLOCK_M` at a time. Launch `cdiv(n, BLOCK_N)` programs.
#[kernel]
pub fn layer_norm_bwd_dwdb(
    partial_dw: *const f32,
    partial_db: *const f32,
    dw: *mut f32,
    db: *mut f32,
    groups: i32,
    n: i32,
    #[constexpr] BLOCK_M: i32,
    #[constexpr] BLOCK_N: i32,
) {
    let cols = program_id(0) * BLOCK_N + arange(0, BLOCK_N);
    let mut acc_dw = zeros::<f32>([BLOCK_M, BLOCK_N]);
    let mut acc_db = zeros::<f32>([BLOCK_M, BLOCK_N]);
    for i in (0..groups).step_by(BLOCK_M) {
        let rows = i + arange(0, BLOCK_M);
        let mask = (rows.expand_dims(1) < groups) & (cols.expand_dims(0) < n);
        let offs = rows.expand_dims(1) * n + cols.expand_dims(0);
        acc_dw += load(partial_dw + offs, mask, 0.0);
        acc_db += load(partial_db + offs, mask, 0.0);
    }
    store(dw + cols, sum(acc_dw, 0), cols < n);
    store(db + cols, sum(acc_db, 0), cols < n);
}
