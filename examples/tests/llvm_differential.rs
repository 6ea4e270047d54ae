//! The tutorial kernels on the LLVM JIT against the Cranelift JIT (the
//! conformance suite checks both against plain-Rust references), plus the
//! LLVM engine's error paths: checked mode and IR it cannot compile are
//! clear errors, never panics.
//!
//! `cargo test -- llvm` runs these with the LLVM conformance suite.

use persim::{Arg, Engine, Grid, LaunchError};
use persim_examples::random_vec;
use persim_kernels::{
    attention::attention_fwd, layer_norm::layer_norm_fwd, matmul::matmul, softmax::softmax,
    vector_add::vector_add,
};

/// Largest difference relative to the largest magnitude of `want`.
fn assert_close(what: &str, got: &[f32], want: &[f32], tol: f32) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    let scale = want.iter().fold(1e-30f32, |m, x| m.max(x.abs()));
    let (i, err) = got
        .iter()
        .zip(want)
        .map(|(g, w)| (g - w).abs())
        .enumerate()
        .fold((0, 0f32), |(bi, be), (i, e)| {
            if e > be || e.is_nan() {
                (i, e)
            } else {
                (bi, be)
            }
        });
    assert!(
        err <= tol * scale,
        "{what}: llvm and cranelift differ by {err} at {i} (llvm {}, cranelift {})",
        got[i],
        want[i]
    );
}

/// Run `f` on both JITs (each with 3 threads) and compare what it returns.
fn both(what: &str, tol: f32, f: impl Fn(&Engine) -> Vec<f32>) {
    let llvm = f(&Engine::llvm().threads(3));
    let cranelift = f(&Engine::jit().threads(3));
    assert_close(what, &llvm, &cranelift, tol);
}

#[test]
fn llvm_vs_cranelift_vector_add() {
    let n = 5000;
    let (x, y) = (random_vec(n, 1), random_vec(n, 2));
    both("vector_add", 0.0, |e| {
        let mut out = vec![0f32; n];
        vector_add::launch(
            e,
            n.div_ceil(1024) as u32,
            vector_add::Args {
                x: &x,
                y: &y,
                out: &mut out,
                n: n as i32,
                BLOCK: 1024,
            },
        )
        .unwrap();
        out
    });
}

#[test]
fn llvm_vs_cranelift_softmax() {
    let (rows, cols) = (33usize, 781usize);
    let x = random_vec(rows * cols, 3);
    both("softmax", 1e-6, |e| {
        let mut out = vec![0f32; rows * cols];
        e.launch(
            &softmax::KERNEL,
            Grid::from(5u32),
            &[("BLOCK", 1024)],
            &mut [
                Arg::from(&mut out[..]),
                Arg::from(&x[..]),
                Arg::from(cols as i32),
                Arg::from(cols as i32),
                Arg::from(rows as i32),
                Arg::from(cols as i32),
            ],
        )
        .unwrap();
        out
    });
}

#[test]
fn llvm_vs_cranelift_matmul() {
    let (m, n, k) = (97usize, 130usize, 71usize);
    let (a, b) = (random_vec(m * k, 4), random_vec(k * n, 5));
    both("matmul", 1e-5, |e| {
        let mut c = vec![0f32; m * n];
        matmul::launch(
            e,
            (m.div_ceil(32) * n.div_ceil(32)) as u32,
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
                BLOCK_M: 32,
                BLOCK_N: 32,
                BLOCK_K: 32,
                GROUP_M: 4,
                LEAKY_RELU: true,
            },
        )
        .unwrap();
        c
    });
}

#[test]
fn llvm_vs_cranelift_layer_norm_forward() {
    let (m, n) = (19usize, 1000usize);
    let (x, w, b) = (random_vec(m * n, 6), random_vec(n, 7), random_vec(n, 8));
    both("layer_norm_fwd", 1e-5, |e| {
        let (mut y, mut mean, mut rstd) = (vec![0f32; m * n], vec![0f32; m], vec![0f32; m]);
        layer_norm_fwd::launch(
            e,
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
                eps: 1e-5,
                BLOCK: 1024,
            },
        )
        .unwrap();
        y.extend(mean);
        y.extend(rstd);
        y
    });
}

#[test]
fn llvm_vs_cranelift_attention() {
    let (bh, seq, dim) = (2usize, 100usize, 64usize);
    let (q, k, v) = (
        random_vec(bh * seq * dim, 9),
        random_vec(bh * seq * dim, 10),
        random_vec(bh * seq * dim, 11),
    );
    let (sh, sm) = ((seq * dim) as i32, dim as i32);
    for causal in [false, true] {
        both("attention", 1e-5, |e| {
            let (mut o, mut lse) = (vec![0f32; bh * seq * dim], vec![0f32; bh * seq]);
            attention_fwd::launch(
                e,
                (seq.div_ceil(32) as u32, bh as u32),
                attention_fwd::Args {
                    q: &q,
                    k: &k,
                    v: &v,
                    o: &mut o,
                    lse: &mut lse,
                    sm_scale: 0.125,
                    seq: seq as i32,
                    stride_qh: sh,
                    stride_qm: sm,
                    stride_kh: sh,
                    stride_kn: sm,
                    stride_vh: sh,
                    stride_vn: sm,
                    stride_oh: sh,
                    stride_om: sm,
                    HEAD_DIM: dim as i32,
                    BLOCK_M: 32,
                    BLOCK_N: 32,
                    CAUSAL: causal,
                },
            )
            .unwrap();
            o.extend(lse);
            o
        });
    }
}

#[test]
fn llvm_lowers_to_the_host_vector_width() {
    let engine = Engine::llvm();
    let lanes = engine.target().lanes;
    assert_eq!(engine.target().name, "llvm");
    assert_eq!(lanes, persim::TargetSpec::host().lanes());
    assert!([4, 8, 16].contains(&lanes), "{lanes}");
}

#[test]
fn llvm_checked_mode_is_a_clear_error() {
    let x = vec![1f32; 10];
    let mut out = vec![0f32; 10];
    let err = vector_add::launch(
        &Engine::llvm().checked(true),
        1u32,
        vector_add::Args {
            x: &x,
            y: &x,
            out: &mut out,
            n: 10,
            BLOCK: 16,
        },
    )
    .unwrap_err();
    assert!(matches!(err, LaunchError::Compile { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("checked mode is only available on the Cranelift backend"),
        "{err}"
    );
}

#[test]
fn llvm_unlowered_ops_are_a_clear_error() {
    // Lowered IR (it has `lanes`) must not contain `dot`: the backend
    // names the op and its location instead of panicking.
    let text = "kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 16, local_mem = 0} {\n\
                  %1 = const {value = 1.0, ty = f32} : f32\n\
                  %2 = splat %1 {shape = [4, 4]} : tile<4x4xf32>\n\
                  %3 = dot %2, %2, %2 : tile<4x4xf32>\n\
                  return\n\
                }\n";
    let f = persim::ir::parse_function(text).expect("parses");
    let err = Engine::llvm().compile_ir(&f).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("dot") || msg.contains("lowered"), "{msg}");
}
