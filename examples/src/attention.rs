//! Fused attention forward (Triton tutorial 06) against a plain-Rust
//! softmax(QK^T)V computed in f64: causal and non-causal, head dims 64 and
//! 128, sequence lengths that are not multiples of the blocks, and keys and
//! values in a sequence-major layout to exercise the strides.

use crate::check::{compare, random_vec, tol, Report};
use persim::{Engine, LaunchError};
use persim_kernels::attention::attention_fwd;

/// One problem: `bh` batch-heads of `seq` tokens with head dimension `dim`.
#[derive(Clone, Copy, Debug)]
pub struct Problem {
    pub bh: usize,
    pub seq: usize,
    pub dim: usize,
    pub causal: bool,
    /// Keys and values stored `[seq, bh, dim]` (strides `bh*dim` per token,
    /// `dim` per head) instead of `[bh, seq, dim]`.
    pub kv_seq_major: bool,
}

/// The blocks of query rows and keys per step.
pub const BLOCK_M: i32 = 32;
pub const BLOCK_N: i32 = 32;

/// Odd sequence lengths (1, 7, 127, 1000 — none a multiple of 32), both
/// head dims, causal and not.
pub fn problems() -> Vec<Problem> {
    let mut out = Vec::new();
    for &(bh, seq, dim) in &[(2, 1, 64), (3, 7, 64), (2, 127, 128), (2, 1000, 64)] {
        for causal in [false, true] {
            out.push(Problem {
                bh,
                seq,
                dim,
                causal,
                kv_seq_major: seq % 2 == 1,
            });
        }
    }
    out
}

/// `o` (`[bh, seq, dim]`) and `lse` (`[bh, seq]`) in f64. `k` and `v` are
/// addressed as `(h, j, d) -> h*sh + j*sn + d`.
pub fn reference(
    p: &Problem,
    q: &[f32],
    k: &[f32],
    v: &[f32],
    (sh, sn): (usize, usize),
    sm_scale: f64,
) -> (Vec<f64>, Vec<f64>) {
    let (seq, dim) = (p.seq, p.dim);
    let mut o = vec![0.0f64; p.bh * seq * dim];
    let mut lse = vec![0.0f64; p.bh * seq];
    let mut scores = vec![0.0f64; seq];
    for h in 0..p.bh {
        for i in 0..seq {
            let qi = &q[(h * seq + i) * dim..][..dim];
            let keys = if p.causal { i + 1 } else { seq };
            for (j, s) in scores[..keys].iter_mut().enumerate() {
                let kj = &k[h * sh + j * sn..][..dim];
                let dot: f64 = qi.iter().zip(kj).map(|(&a, &b)| a as f64 * b as f64).sum();
                *s = dot * sm_scale;
            }
            let max = scores[..keys]
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max);
            let oi = &mut o[(h * seq + i) * dim..][..dim];
            let mut total = 0.0;
            for (j, &s) in scores[..keys].iter().enumerate() {
                let e = (s - max).exp();
                total += e;
                for (od, &vd) in oi.iter_mut().zip(&v[h * sh + j * sn..][..dim]) {
                    *od += e * vd as f64;
                }
            }
            oi.iter_mut().for_each(|x| *x /= total);
            lse[h * seq + i] = max + total.ln();
        }
    }
    (o, lse)
}

pub fn run(engine: &Engine, p: Problem) -> Result<Vec<Report>, LaunchError> {
    let (bh, seq, dim) = (p.bh, p.seq, p.dim);
    let q = random_vec(bh * seq * dim, 21);
    // Larger keys make the softmax peaked, so the running maximum matters.
    let k: Vec<f32> = random_vec(bh * seq * dim, 22)
        .iter()
        .map(|x| 2.0 * x)
        .collect();
    let v = random_vec(bh * seq * dim, 23);
    let (sh, sn) = if p.kv_seq_major {
        (dim, bh * dim)
    } else {
        (seq * dim, dim)
    };
    let sm_scale = 1.0 / (dim as f32).sqrt();
    let mut o = vec![0.0f32; bh * seq * dim];
    let mut lse = vec![0.0f32; bh * seq];
    let grid = (seq.div_ceil(BLOCK_M as usize) as u32, bh as u32);
    attention_fwd::launch(
        engine,
        grid,
        attention_fwd::Args {
            q: &q,
            k: &k,
            v: &v,
            o: &mut o,
            lse: &mut lse,
            sm_scale,
            seq: seq as i32,
            stride_qh: (seq * dim) as i32,
            stride_qm: dim as i32,
            stride_kh: sh as i32,
            stride_kn: sn as i32,
            stride_vh: sh as i32,
            stride_vn: sn as i32,
            stride_oh: (seq * dim) as i32,
            stride_om: dim as i32,
            HEAD_DIM: dim as i32,
            BLOCK_M,
            BLOCK_N,
            CAUSAL: p.causal,
        },
    )?;
    let (want_o, want_lse) = reference(&p, &q, &k, &v, (sh, sn), sm_scale as f64);
    let size = |what: &str| {
        format!(
            "{bh}x{seq}x{dim}{}{} {what}",
            if p.causal { " causal" } else { "" },
            if p.kv_seq_major { " kvT" } else { "" }
        )
    };
    Ok(vec![
        compare("attention", size("o"), &o, &want_o, tol::F32_REDUCTION),
        compare(
            "attention",
            size("lse"),
            &lse,
            &want_lse,
            tol::F32_REDUCTION,
        ),
    ])
}

/// Every problem of [`problems`].
pub fn run_all(engine: &Engine) -> Result<Vec<Report>, LaunchError> {
    let mut reports = Vec::new();
    for p in problems() {
        reports.extend(run(engine, p)?);
    }
    Ok(reports)
}
