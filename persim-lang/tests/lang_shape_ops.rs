//! `cat`, `join`, `split`, `permute` and `static_range` from kernel source:
//! each kernel is built by the frontend, run in the interpreter before and
//! after lowering (L = 1, 4, 16, every buffer-reuse variant) and compared
//! with plain Rust index arithmetic, at awkward shapes and on random data.

mod front_util;
mod lower_util;

use front_util::build_ok;
use lower_util::{check_lowering, Rng};
use persim_lang::interp::InterpArg;

/// Run a kernel with `args` on one program instance; the final memory.
fn run(src: &str, consts: &[(&str, i64)], args: Vec<InterpArg>) -> Vec<InterpArg> {
    let f = build_ok(src, consts);
    check_lowering(&f, [1, 1, 1], &args, 0.0)
}

fn out_i32(args: &[InterpArg], i: usize) -> Vec<i32> {
    args[i].to_vec::<i32>().unwrap()
}

const CAT_1D: &str = "
fn cat1(x: *const f32, y: *const f32, out: *mut f32, #[constexpr] A: i32, #[constexpr] B: i32) {
    let a = load(x + arange(0, A));
    let b = load(y + arange(0, B));
    store(out + arange(0, A + B), cat(a, b));
}";

#[test]
fn cat_of_vectors_keeps_order_at_awkward_lengths() {
    let mut rng = Rng::new(7);
    for (a, b) in [
        (1, 1),
        (7, 1),
        (1, 7),
        (4, 12),
        (5, 11),
        (16, 16),
        (1000, 23),
        (1023, 1025),
    ] {
        let (x, y) = (rng.f32s(a), rng.f32s(b));
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&y),
            InterpArg::slice(&vec![0.0f32; a + b]),
        ];
        let got = run(CAT_1D, &[("A", a as i64), ("B", b as i64)], args);
        let want: Vec<f32> = x.iter().chain(&y).copied().collect();
        assert_eq!(got[2].to_vec::<f32>().unwrap(), want, "{a} + {b}");
    }
}

/// `cat` of an `[M, N]` and a `[P, N]` tile along 0, and of an `[M, N]` and
/// an `[M, P]` tile along 1, stored row-major.
const CAT_2D: &str = "
fn cat2(x: *const i32, y: *const i32, out0: *mut i32, out1: *mut i32,
        #[constexpr] M: i32, #[constexpr] N: i32, #[constexpr] P: i32) {
    let a = load(x + arange(0, M).expand_dims(1) * N + arange(0, N).expand_dims(0));
    let b = load(y + arange(0, P).expand_dims(1) * N + arange(0, N).expand_dims(0));
    let rows = cat(a, b);
    store(out0 + arange(0, M + P).expand_dims(1) * N + arange(0, N).expand_dims(0), rows);
    let c = load(y + arange(0, M).expand_dims(1) * P + arange(0, P).expand_dims(0));
    let cols = cat(a, c, 1);
    store(out1 + arange(0, M).expand_dims(1) * (N + P) + arange(0, N + P).expand_dims(0), cols);
}";

#[test]
fn cat_of_matrices_along_either_axis() {
    let mut rng = Rng::new(8);
    for (m, n, p) in [
        (1, 1, 1),
        (3, 7, 5),
        (2, 16, 3),
        (5, 4, 9),
        (7, 1, 2),
        (4, 17, 15),
    ] {
        let x = rng.i32s(m * n, -100, 100);
        let y = rng.i32s(p * n.max(m) * p.max(n), -100, 100);
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&y),
            InterpArg::slice(&vec![0i32; (m + p) * n]),
            InterpArg::slice(&vec![0i32; m * (n + p)]),
        ];
        let consts = [("M", m as i64), ("N", n as i64), ("P", p as i64)];
        let got = run(CAT_2D, &consts, args);
        let mut rows = x.clone();
        rows.extend_from_slice(&y[..p * n]);
        assert_eq!(out_i32(&got, 2), rows, "rows {m} {n} {p}");
        let mut cols = Vec::new();
        for i in 0..m {
            cols.extend_from_slice(&x[i * n..(i + 1) * n]);
            cols.extend_from_slice(&y[i * p..(i + 1) * p]);
        }
        assert_eq!(out_i32(&got, 3), cols, "cols {m} {n} {p}");
    }
}

const CAT_3D: &str = "
fn cat3(x: *const i32, out: *mut i32, #[constexpr] A: i32, #[constexpr] B: i32, #[constexpr] C: i32) {
    let i = arange(0, A).expand_dims(1).expand_dims(2);
    let j = arange(0, B).expand_dims(0).expand_dims(2);
    let k = arange(0, C).expand_dims(0).expand_dims(1);
    let t = load(x + i * (B * C) + j * C + k);
    let u = cat(t, t * 10, 1);
    store(out + i * (2 * B * C) + arange(0, 2 * B).expand_dims(0).expand_dims(2) * C + k, u);
}";

#[test]
fn cat_of_3d_tiles_along_the_middle_axis() {
    let mut rng = Rng::new(9);
    for (a, b, c) in [(2, 3, 5), (3, 1, 7), (1, 4, 16), (2, 5, 17)] {
        let x = rng.i32s(a * b * c, -1000, 1000);
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&vec![0i32; 2 * a * b * c]),
        ];
        let consts = [("A", a as i64), ("B", b as i64), ("C", c as i64)];
        let got = out_i32(&run(CAT_3D, &consts, args), 1);
        for i in 0..a {
            for j in 0..2 * b {
                for k in 0..c {
                    let src = x[i * b * c + (j % b) * c + k];
                    let want = if j < b { src } else { src * 10 };
                    assert_eq!(
                        got[(i * 2 * b + j) * c + k],
                        want,
                        "{a}x{b}x{c} at {i},{j},{k}"
                    );
                }
            }
        }
    }
}

/// `join` of two vectors into `[N, 2]`, stored interleaved; `split` of the
/// interleaved data back into two vectors.
const JOIN_SPLIT: &str = "
fn js(x: *const f32, y: *const f32, inter: *mut f32, a_out: *mut f32, b_out: *mut f32,
      #[constexpr] N: i32) {
    let offs = arange(0, N);
    let j = join(load(x + offs), load(y + offs));
    let pairs = offs.expand_dims(1) * 2 + arange(0, 2).expand_dims(0);
    store(inter + pairs, j);
    let (a, b) = split(load(y + pairs % N));
    store(a_out + offs, a);
    store(b_out + offs, b);
}";

#[test]
fn join_interleaves_and_split_deinterleaves() {
    let mut rng = Rng::new(10);
    for n in [1usize, 2, 7, 16, 33, 1000, 1023, 1025] {
        let (x, y) = (rng.f32s(n), rng.f32s(n));
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&y),
            InterpArg::slice(&vec![0.0f32; 2 * n]),
            InterpArg::slice(&vec![0.0f32; n]),
            InterpArg::slice(&vec![0.0f32; n]),
        ];
        let got = run(JOIN_SPLIT, &[("N", n as i64)], args);
        let inter: Vec<f32> = x.iter().zip(&y).flat_map(|(&a, &b)| [a, b]).collect();
        assert_eq!(got[2].to_vec::<f32>().unwrap(), inter, "join {n}");
        let (a, b): (Vec<f32>, Vec<f32>) =
            (0..n).map(|i| (y[(2 * i) % n], y[(2 * i + 1) % n])).unzip();
        assert_eq!(got[3].to_vec::<f32>().unwrap(), a, "split.0 {n}");
        assert_eq!(got[4].to_vec::<f32>().unwrap(), b, "split.1 {n}");
    }
}

/// `join` of a `[M, N]` tile and a scalar (broadcast), split again and
/// recombined: `out = a * 2 + b` over the halves.
const JOIN_2D: &str = "
fn j2(x: *const i32, out: *mut i32, #[constexpr] M: i32, #[constexpr] N: i32) {
    let offs = arange(0, M).expand_dims(1) * N + arange(0, N).expand_dims(0);
    let t = load(x + offs);
    let (a, b) = split(join(t, 5));
    let (c, d) = split(join(b, a));
    store(out + offs, c * 100 + d);
}";

#[test]
fn join_and_split_of_matrices_round_trip() {
    let mut rng = Rng::new(11);
    for (m, n) in [(1, 1), (3, 5), (4, 16), (7, 17), (2, 1)] {
        let x = rng.i32s(m * n, -50, 50);
        let args = vec![InterpArg::slice(&x), InterpArg::slice(&vec![0i32; m * n])];
        let got = out_i32(&run(JOIN_2D, &[("M", m as i64), ("N", n as i64)], args), 1);
        let want: Vec<i32> = x.iter().map(|&v| 500 + v).collect();
        assert_eq!(got, want, "{m}x{n}");
    }
}

const PERMUTE: &str = "
fn perm(x: *const i32, out: *mut i32, #[constexpr] A: i32, #[constexpr] B: i32, #[constexpr] C: i32) {
    let i = arange(0, A).expand_dims(1).expand_dims(2);
    let j = arange(0, B).expand_dims(0).expand_dims(2);
    let k = arange(0, C).expand_dims(0).expand_dims(1);
    let t = permute(load(x + i * (B * C) + j * C + k), [2, 0, 1]);
    let p = arange(0, C).expand_dims(1).expand_dims(2);
    let q = arange(0, A).expand_dims(0).expand_dims(2);
    let r = arange(0, B).expand_dims(0).expand_dims(1);
    store(out + p * (A * B) + q * B + r, t);
}";

#[test]
fn permute_of_odd_3d_tiles() {
    let mut rng = Rng::new(12);
    for (a, b, c) in [(1, 1, 1), (2, 3, 5), (3, 7, 1), (5, 4, 17), (1, 16, 3)] {
        let x = rng.i32s(a * b * c, -1000, 1000);
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&vec![0i32; a * b * c]),
        ];
        let consts = [("A", a as i64), ("B", b as i64), ("C", c as i64)];
        let got = out_i32(&run(PERMUTE, &consts, args), 1);
        for p in 0..c {
            for q in 0..a {
                for r in 0..b {
                    assert_eq!(got[(p * a + q) * b + r], x[(q * b + r) * c + p]);
                }
            }
        }
    }
}

/// `static_range` with a step and a constant loop variable feeding `arange`
/// bounds: `out[i] = Σ_{k < i+1} x[k]` for the unrolled `i`.
const STATIC_RANGE: &str = "
fn sr(x: *const i32, out: *mut i32, #[constexpr] N: i32, #[constexpr] STEP: i32) {
    let mut total = 0;
    for i in static_range(0, N, STEP) {
        let part = sum(load(x + arange(0, i + 1)), 0);
        store(out + i, part);
        total += part;
    }
    for i in static_range(N, 0, -1) {
        total = total * 2 + i;
    }
    store(out + N, total);
}";

#[test]
fn static_range_unrolls_with_constant_indices() {
    let x: Vec<i32> = (1..=40).collect();
    for (n, step) in [(1, 1), (5, 2), (7, 3), (13, 1)] {
        let args = vec![InterpArg::slice(&x), InterpArg::slice(&vec![-1i32; n + 1])];
        let got = out_i32(
            &run(STATIC_RANGE, &[("N", n as i64), ("STEP", step)], args),
            1,
        );
        let mut total = 0i32;
        for i in (0..n).step_by(step as usize) {
            let part: i32 = x[..=i].iter().sum();
            assert_eq!(got[i], part, "N = {n}, step {step}, i = {i}");
            total += part;
        }
        for i in (1..=n as i32).rev() {
            total = total.wrapping_mul(2).wrapping_add(i);
        }
        assert_eq!(got[n], total);
    }
}
