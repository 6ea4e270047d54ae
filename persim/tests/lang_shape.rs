//! `cat`, `join`, `split`, `permute` and `static_range` end to end:
//! `#[persim::kernel]` on the Cranelift JIT against plain Rust, at
//! non-power-of-two shapes.

use persim::Engine;

fn data(n: usize, seed: i32) -> Vec<i32> {
    (0..n as i32)
        .map(|i| (i.wrapping_mul(7919) ^ seed) % 1000)
        .collect()
}

/// Rows `0..M` from `x`, then rows `0..P` from `y`, along axis 0 (Triton's
/// `cat`); and the two side by side along axis 1.
#[persim::kernel]
fn cat_rows_and_cols(
    x: *const i32,
    y: *const i32,
    rows: *mut i32,
    cols: *mut i32,
    #[constexpr] M: i32,
    #[constexpr] P: i32,
    #[constexpr] N: i32,
) {
    let a = load(x + arange(0, M).expand_dims(1) * N + arange(0, N).expand_dims(0));
    let b = load(y + arange(0, P).expand_dims(1) * N + arange(0, N).expand_dims(0));
    store(
        rows + arange(0, M + P).expand_dims(1) * N + arange(0, N).expand_dims(0),
        cat(a, b),
    );
    let c = load(y + arange(0, M).expand_dims(1) * N + arange(0, N).expand_dims(0));
    store(
        cols + arange(0, M).expand_dims(1) * (2 * N) + arange(0, 2 * N).expand_dims(0),
        cat(a, c, 1),
    );
}

#[test]
fn cat_along_both_axes_at_odd_shapes() {
    let engine = Engine::jit();
    for (m, p, n) in [
        (1usize, 1usize, 1usize),
        (3, 5, 7),
        (7, 1, 17),
        (16, 9, 16),
        (5, 33, 3),
    ] {
        let x = data(m * n, 1);
        let y = data(p.max(m) * n, 2);
        let mut rows = vec![0; (m + p) * n];
        let mut cols = vec![0; m * 2 * n];
        cat_rows_and_cols::launch(
            &engine,
            1u32,
            cat_rows_and_cols::Args {
                x: &x,
                y: &y,
                rows: &mut rows,
                cols: &mut cols,
                M: m as i32,
                P: p as i32,
                N: n as i32,
            },
        )
        .unwrap();
        let mut want = x.clone();
        want.extend_from_slice(&y[..p * n]);
        assert_eq!(rows, want, "rows {m} {p} {n}");
        let want: Vec<i32> = (0..m)
            .flat_map(|i| {
                x[i * n..(i + 1) * n]
                    .iter()
                    .chain(&y[i * n..(i + 1) * n])
                    .copied()
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(cols, want, "cols {m} {p} {n}");
    }
}

/// Complex multiplication on interleaved (re, im) pairs: `split` the pairs,
/// compute, `join` them back.
#[persim::kernel]
fn complex_mul(a: *const f32, b: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let idx = program_id(0) * BLOCK + arange(0, BLOCK);
    let pairs = idx.expand_dims(1) * 2 + arange(0, 2).expand_dims(0);
    let m = pairs < 2 * n;
    let (ar, ai) = split(load(a + pairs, m, 0.0));
    let (br, bi) = split(load(b + pairs, m, 0.0));
    store(out + pairs, join(ar * br - ai * bi, ar * bi + ai * br), m);
}

#[test]
fn complex_multiply_with_split_and_join() {
    let engine = Engine::jit();
    for (n, block) in [(1usize, 1usize), (1000, 128), (1023, 100), (1025, 7)] {
        let a: Vec<f32> = (0..2 * n).map(|i| (i % 13) as f32 - 6.0).collect();
        let b: Vec<f32> = (0..2 * n).map(|i| (i % 7) as f32 * 0.5).collect();
        let mut out = vec![f32::NAN; 2 * n];
        complex_mul::launch(
            &engine,
            n.div_ceil(block),
            complex_mul::Args {
                a: &a,
                b: &b,
                out: &mut out,
                n: n as i32,
                BLOCK: block as i32,
            },
        )
        .unwrap();
        for i in 0..n {
            let (ar, ai, br, bi) = (a[2 * i], a[2 * i + 1], b[2 * i], b[2 * i + 1]);
            assert_eq!(out[2 * i], ar * br - ai * bi, "n {n} at {i}");
            assert_eq!(out[2 * i + 1], ar * bi + ai * br, "n {n} at {i}");
        }
    }
}

/// `permute` of a 3-D tile: `out[c][a][b] = x[a][b][c]`.
#[persim::kernel]
fn permute3(
    x: *const i32,
    out: *mut i32,
    #[constexpr] A: i32,
    #[constexpr] B: i32,
    #[constexpr] C: i32,
) {
    let i = arange(0, A).expand_dims(1).expand_dims(2);
    let j = arange(0, B).expand_dims(0).expand_dims(2);
    let k = arange(0, C).expand_dims(0).expand_dims(1);
    let t = permute(load(x + i * (B * C) + j * C + k), [2, 0, 1]);
    let p = arange(0, C).expand_dims(1).expand_dims(2);
    let q = arange(0, A).expand_dims(0).expand_dims(2);
    let r = arange(0, B).expand_dims(0).expand_dims(1);
    store(out + p * (A * B) + q * B + r, t);
}

#[test]
fn permute_of_odd_3d_tiles() {
    let engine = Engine::jit();
    for (a, b, c) in [(1usize, 1usize, 1usize), (2, 3, 5), (7, 4, 3), (3, 17, 6)] {
        let x = data(a * b * c, 3);
        let mut out = vec![0; a * b * c];
        permute3::launch(
            &engine,
            1u32,
            permute3::Args {
                x: &x,
                out: &mut out,
                A: a as i32,
                B: b as i32,
                C: c as i32,
            },
        )
        .unwrap();
        for p in 0..c {
            for q in 0..a {
                for r in 0..b {
                    assert_eq!(out[(p * a + q) * b + r], x[(q * b + r) * c + p]);
                }
            }
        }
    }
}

/// A stencil unrolled with `static_range`: `out[i] = Σ_k w_k · x[i + k]` for
/// `k` in `0..TAPS`, each tap's weight a compile-time `k + 1`; a second
/// `static_range` with a step keeps every other tap.
#[persim::kernel]
fn stencil(
    x: *const f32,
    out: *mut f32,
    even: *mut f32,
    n: i32,
    #[constexpr] BLOCK: i32,
    #[constexpr] TAPS: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mut acc = zeros([BLOCK]);
    for k in static_range(TAPS) {
        acc += load(x + offs + k, offs + k < n, 0.0) * (k + 1).to::<f32>();
    }
    store(out + offs, acc, offs < n);
    let mut evens = zeros([BLOCK]);
    for k in static_range(0, TAPS, 2) {
        evens += load(x + offs + k, offs + k < n, 0.0);
    }
    store(even + offs, evens, offs < n);
}

#[test]
fn static_range_unrolls_a_stencil() {
    let engine = Engine::jit();
    for (n, block, taps) in [
        (1usize, 1usize, 1usize),
        (1000, 64, 3),
        (1025, 100, 5),
        (7, 16, 4),
    ] {
        let x: Vec<f32> = (0..n).map(|i| (i % 17) as f32).collect();
        let mut out = vec![0.0f32; n];
        let mut even = vec![0.0f32; n];
        stencil::launch(
            &engine,
            n.div_ceil(block),
            stencil::Args {
                x: &x,
                out: &mut out,
                even: &mut even,
                n: n as i32,
                BLOCK: block as i32,
                TAPS: taps as i32,
            },
        )
        .unwrap();
        for i in 0..n {
            let tap = |k: usize| x.get(i + k).copied().unwrap_or(0.0);
            let want: f32 = (0..taps).map(|k| tap(k) * (k + 1) as f32).sum();
            let want_even: f32 = (0..taps).step_by(2).map(tap).sum();
            assert_eq!(out[i], want, "n {n} taps {taps} at {i}");
            assert_eq!(even[i], want_even, "n {n} taps {taps} at {i}");
        }
    }
}
