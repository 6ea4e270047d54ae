//! Fused attention forward (Triton tutorial 06) against a plain-Rust
//! softmax(QK^T)V computed in f64: f32 and f16 inputs, causal and
//! non-causal, head dims 64 and 128, sequence lengths that are not multiples
//! of the blocks, and keys and values in a sequence-major layout to exercise
//! the strides.

use crate::check::{compare, random_vec, tol, Report};
use persim::{f16, Engine, LaunchError};
use persim_kernels::attention::{attention_fwd, attention_fwd_f16};

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
    /// f16 `q`, `k`, `v`, `o` ([`attention_fwd_f16`]) instead of f32.
    pub half: bool,
}

/// The blocks of query rows and keys per step.
pub const BLOCK_M: i32 = 32;
pub const BLOCK_N: i32 = 32;

/// Odd sequence lengths (1, 7, 127, 1000 — none a multiple of 32), both
/// head dims, causal and not, f32 and f16.
pub fn problems() -> Vec<Problem> {
    let mut out = Vec::new();
    for &(bh, seq, dim) in &[(2, 1, 64), (3, 7, 64), (2, 127, 128), (2, 1000, 64)] {
        for causal in [false, true] {
            for half in [false, true] {
                out.push(Problem {
                    bh,
                    seq,
                    dim,
                    causal,
                    kv_seq_major: seq % 2 == 1,
                    half,
                });
            }
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

/// Random inputs, rounded to f16 values for the f16 kernel (the reference
/// then sees exactly what the kernel reads).
fn inputs(p: &Problem) -> [Vec<f32>; 3] {
    let n = p.bh * p.seq * p.dim;
    let round = |v: Vec<f32>| -> Vec<f32> {
        if p.half {
            v.into_iter().map(|x| f16::from_f32(x).to_f32()).collect()
        } else {
            v
        }
    };
    // Larger keys make the softmax peaked, so the running maximum matters.
    let k = random_vec(n, 22).iter().map(|x| 2.0 * x).collect();
    [random_vec(n, 21), k, random_vec(n, 23)].map(round)
}

/// The strides of a problem, in the kernel's argument order.
struct Strides {
    qh: i32,
    qm: i32,
    kvh: i32,
    kvn: i32,
}

impl Strides {
    fn of(p: &Problem) -> Strides {
        let (sh, sn) = if p.kv_seq_major {
            (p.dim, p.bh * p.dim)
        } else {
            (p.seq * p.dim, p.dim)
        };
        Strides {
            qh: (p.seq * p.dim) as i32,
            qm: p.dim as i32,
            kvh: sh as i32,
            kvn: sn as i32,
        }
    }
}

pub fn run(engine: &Engine, p: Problem) -> Result<Vec<Report>, LaunchError> {
    let (bh, seq, dim) = (p.bh, p.seq, p.dim);
    let [q, k, v] = inputs(&p);
    let s = Strides::of(&p);
    let sm_scale = 1.0 / (dim as f32).sqrt();
    let mut lse = vec![0.0f32; bh * seq];
    let grid = (seq.div_ceil(BLOCK_M as usize) as u32, bh as u32);
    let o: Vec<f32> = if p.half {
        let h = |x: &[f32]| x.iter().map(|&v| f16::from_f32(v)).collect::<Vec<_>>();
        let mut o = vec![f16::ZERO; bh * seq * dim];
        attention_fwd_f16::launch(
            engine,
            grid,
            attention_fwd_f16::Args {
                q: &h(&q),
                k: &h(&k),
                v: &h(&v),
                o: &mut o,
                lse: &mut lse,
                sm_scale,
                seq: seq as i32,
                stride_qh: s.qh,
                stride_qm: s.qm,
                stride_kh: s.kvh,
                stride_kn: s.kvn,
                stride_vh: s.kvh,
                stride_vn: s.kvn,
                stride_oh: s.qh,
                stride_om: s.qm,
                HEAD_DIM: dim as i32,
                BLOCK_M,
                BLOCK_N,
                CAUSAL: p.causal,
            },
        )?;
        o.iter().map(|x| x.to_f32()).collect()
    } else {
        let mut o = vec![0.0f32; bh * seq * dim];
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
                stride_qh: s.qh,
                stride_qm: s.qm,
                stride_kh: s.kvh,
                stride_kn: s.kvn,
                stride_vh: s.kvh,
                stride_vn: s.kvn,
                stride_oh: s.qh,
                stride_om: s.qm,
                HEAD_DIM: dim as i32,
                BLOCK_M,
                BLOCK_N,
                CAUSAL: p.causal,
            },
        )?;
        o
    };
    let kv_strides = (s.kvh as usize, s.kvn as usize);
    let (want_o, want_lse) = reference(&p, &q, &k, &v, kv_strides, sm_scale as f64);
    let size = |what: &str| {
        format!(
            "{} {bh}x{seq}x{dim}{}{} {what}",
            if p.half { "f16" } else { "f32" },
            if p.causal { " causal" } else { "" },
            if p.kv_seq_major { " kvT" } else { "" }
        )
    };
    let o_tol = if p.half {
        tol::F16_OUTPUT
    } else {
        tol::F32_REDUCTION
    };
    Ok(vec![
        compare("attention", size("o"), &o, &want_o, o_tol),
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
