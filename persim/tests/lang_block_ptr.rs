//! Block pointers end to end: `make_block_ptr`, `advance` and `load`/`store`
//! with boundary checks on the Cranelift JIT, against plain Rust.

use persim::{Engine, LaunchError};

/// `C = A @ B` with block pointers: the row and column blocks at the edges
/// are partial in M, N and K, and the boundary checks mask them.
#[persim::kernel]
fn matmul_bp(
    a: *const f32,
    b: *const f32,
    c: *mut f32,
    M: i32,
    N: i32,
    K: i32,
    #[constexpr] BM: i32,
    #[constexpr] BN: i32,
    #[constexpr] BK: i32,
) {
    let pm = program_id(0);
    let pn = program_id(1);
    let mut a_bp = make_block_ptr(a, [M, K], [K, 1], [pm * BM, 0], [BM, BK], [1, 0]);
    let mut b_bp = make_block_ptr(b, [K, N], [N, 1], [0, pn * BN], [BK, BN], [1, 0]);
    let mut acc = zeros([BM, BN]);
    for _ in 0..cdiv(K, BK) {
        acc = dot(
            load(a_bp, [0, 1], Padding::Zero),
            load(b_bp, [0, 1], Padding::Zero),
            acc,
        );
        a_bp = advance(a_bp, [0, BK]);
        b_bp = advance(b_bp, [BK, 0]);
    }
    let c_bp = make_block_ptr(c, [M, N], [N, 1], [pm * BM, pn * BN], [BM, BN], [1, 0]);
    store(c_bp, acc, [0, 1]);
}

#[test]
fn block_pointer_matmul_at_odd_sizes() {
    // Checked mode also proves no access strays outside the matrices.
    for engine in [Engine::jit(), Engine::jit().checked(true)] {
        for ((m, n, k), (bm, bn, bk)) in [
            ((1usize, 1usize, 1usize), (16usize, 16usize, 16usize)),
            ((37, 29, 23), (16, 16, 8)),
            ((64, 64, 64), (32, 32, 32)),
            ((100, 7, 130), (12, 5, 33)),
        ] {
            let a: Vec<f32> = (0..m * k).map(|i| ((i * 7) % 11) as f32 - 5.0).collect();
            let b: Vec<f32> = (0..k * n).map(|i| ((i * 3) % 5) as f32 - 2.0).collect();
            let mut c = vec![f32::NAN; m * n];
            matmul_bp::launch(
                &engine,
                (m.div_ceil(bm) as u32, n.div_ceil(bn) as u32),
                matmul_bp::Args {
                    a: &a,
                    b: &b,
                    c: &mut c,
                    M: m as i32,
                    N: n as i32,
                    K: k as i32,
                    BM: bm as i32,
                    BN: bn as i32,
                    BK: bk as i32,
                },
            )
            .unwrap();
            // Small integers: every product and partial sum is exact.
            for i in 0..m {
                for j in 0..n {
                    let want: f32 = (0..k).map(|t| a[i * k + t] * b[t * n + j]).sum();
                    assert_eq!(c[i * n + j], want, "{m}x{n}x{k} at ({i}, {j})");
                }
            }
        }
    }
}

/// A tile of a row-major matrix read through a block pointer at any offset,
/// padded with NaN outside, and written transposed through another with
/// strides swapped.
#[persim::kernel]
fn window(
    x: *const f32,
    out: *mut f32,
    outt: *mut f32,
    M: i32,
    N: i32,
    r0: i32,
    c0: i32,
    #[constexpr] BM: i32,
    #[constexpr] BN: i32,
) {
    let v = load(
        make_block_ptr(x, [M, N], [N, 1], [r0, c0], [BM, BN], [1, 0]),
        [0, 1],
        Padding::Nan,
    );
    store(
        make_block_ptr(out, [BM, BN], [BN, 1], [0, 0], [BM, BN], [1, 0]),
        v,
    );
    store(
        make_block_ptr(outt, [BM, BN], [1, BM], [0, 0], [BM, BN], [0, 1]),
        v,
    );
}

#[test]
fn windows_pad_with_nan_and_strides_transpose() {
    let engine = Engine::jit().checked(true);
    let (m, n) = (9usize, 13usize);
    let x: Vec<f32> = (0..m * n).map(|v| v as f32).collect();
    for (r0, c0, bm, bn) in [
        (0i32, 0i32, 9usize, 13usize),
        (-3, 5, 7, 11),
        (8, 12, 3, 2),
        (2, -20, 4, 4),
    ] {
        let mut out = vec![0.0f32; bm * bn];
        let mut outt = vec![0.0f32; bm * bn];
        window::launch(
            &engine,
            1u32,
            window::Args {
                x: &x,
                out: &mut out,
                outt: &mut outt,
                M: m as i32,
                N: n as i32,
                r0,
                c0,
                BM: bm as i32,
                BN: bn as i32,
            },
        )
        .unwrap();
        for i in 0..bm {
            for j in 0..bn {
                let (r, c) = (r0 + i as i32, c0 + j as i32);
                let inside = (0..m as i32).contains(&r) && (0..n as i32).contains(&c);
                let (g, gt) = (out[i * bn + j], outt[j * bm + i]);
                if inside {
                    let want = x[r as usize * n + c as usize];
                    assert_eq!((g, gt), (want, want), "({r0}, {c0}) + ({i}, {j})");
                } else {
                    assert!(g.is_nan() && gt.is_nan(), "({r0}, {c0}) + ({i}, {j})");
                }
            }
        }
    }
}

/// Without a boundary check the edge block reads past the matrix: checked
/// mode reports the `load` of the block pointer.
#[persim::kernel]
fn unchecked_edge(x: *const f32, out: *mut f32, M: i32, #[constexpr] BM: i32) {
    let bp = make_block_ptr(x, [M], [1], [program_id(0) * BM], [BM], [0]);
    store(out + program_id(0) * BM + arange(0, BM), load(bp));
}

#[test]
fn a_missing_boundary_check_is_caught_in_checked_mode() {
    let engine = Engine::jit().checked(true);
    let x = vec![1.0f32; 10];
    let mut out = vec![0.0f32; 16];
    let err = unchecked_edge::launch(
        &engine,
        2u32,
        unchecked_edge::Args {
            x: &x,
            out: &mut out,
            M: 10,
            BM: 8,
        },
    )
    .expect_err("the second block reads x[10..16]");
    // The location is the `load` token's, found in this file so the test
    // cannot drift from the source.
    let src = include_str!("lang_block_ptr.rs");
    let (line, text) = src
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("store(out + program_id(0) * BM + arange(0, BM), load(bp));"))
        .unwrap();
    let (line, col) = (line + 1, text.find("load(bp)").unwrap() + 1);
    match err {
        LaunchError::OutOfBounds {
            arg,
            index,
            store,
            location,
            ..
        } => {
            assert_eq!(arg, "x");
            assert_eq!(index, 10);
            assert!(!store);
            let want = format!("lang_block_ptr.rs:{line}:{col}");
            assert!(
                location.ends_with(&want),
                "{location} should end with {want}"
            );
        }
        other => panic!("expected OutOfBounds, got {other}"),
    }
}
