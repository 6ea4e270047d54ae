//! `argmax`/`argmin`, `prod` and scans: interpreted before and after
//! lowering (L = 1, 4, 16, every reuse variant) along every axis of awkward
//! shapes, and checked against plain-Rust references. Index reductions and
//! scans must be exact: the lowering keeps the sequential order.

mod lower_util;

use lower_util::*;
use persim_lang::interp::InterpArg;
use persim_lang::ir::{Attr, Attrs, Dtype, Function, Opcode, ReduceKind};

const SHAPES: [&[u32]; 12] = [
    &[1],
    &[7],
    &[16],
    &[1000],
    &[1023],
    &[1025],
    &[3, 5],
    &[5, 17],
    &[4, 16],
    &[1, 7],
    &[2, 3, 5],
    &[3, 1, 33],
];

/// Row-major strides of a shape.
fn strides(shape: &[u32]) -> Vec<usize> {
    let mut s = vec![1usize; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * shape[i + 1] as usize;
    }
    s
}

/// For every line along `axis`: the flat indices of its elements, in order.
fn lines(shape: &[u32], axis: usize) -> Vec<Vec<usize>> {
    let st = strides(shape);
    let n: usize = shape.iter().map(|&d| d as usize).product();
    (0..n)
        .filter(|&i| (i / st[axis]).is_multiple_of(shape[axis] as usize))
        .map(|i| {
            (0..shape[axis] as usize)
                .map(|k| i + k * st[axis])
                .collect()
        })
        .collect()
}

fn reduce_kernel(d: Dtype, out: Dtype, shape: &[u32], kind: ReduceKind, axis: u32) -> Function {
    kernel(
        kind.name(),
        vec![ptr_param("x", d, false), ptr_param("out", out, true)],
        |b, a| {
            let x = load_tile(b, a, 0, shape);
            let r = reduce(b, kind, x, axis);
            store_tile(b, a, 1, r);
        },
    )
}

/// The reference `argmax`/`argmin` of one line: the first extreme, NaN
/// counting as the extreme, `-0.0 == +0.0`.
fn first_extreme(xs: &[f32], kind: ReduceKind) -> i32 {
    let mut best = 0;
    for (k, &x) in xs.iter().enumerate().skip(1) {
        let b = xs[best];
        let beats = if b.is_nan() {
            false
        } else if x.is_nan() {
            true
        } else if kind == ReduceKind::Argmax {
            x > b
        } else {
            x < b
        };
        if beats {
            best = k;
        }
    }
    best as i32
}

/// Floats with many ties: small integers, signed zeros, infinities, and a
/// NaN now and then.
fn tie_heavy(rng: &mut Rng, n: usize, nan: bool) -> Vec<f32> {
    (0..n)
        .map(|_| match rng.next_u64() % 16 {
            0 => -0.0,
            1 => 0.0,
            2 => f32::NEG_INFINITY,
            3 => f32::INFINITY,
            4 if nan => f32::NAN,
            r => (r % 5) as f32 - 2.0,
        })
        .collect()
}

#[test]
fn argmax_and_argmin_pick_the_first_extreme_along_every_axis() {
    let mut rng = Rng::new(41);
    for shape in SHAPES {
        let n: usize = shape.iter().map(|&d| d as usize).product();
        for axis in 0..shape.len() {
            let m = n / shape[axis] as usize;
            for kind in [ReduceKind::Argmax, ReduceKind::Argmin] {
                for nan in [false, true] {
                    let xs = tie_heavy(&mut rng, n, nan);
                    let f = reduce_kernel(Dtype::F32, Dtype::I32, shape, kind, axis as u32);
                    let args = vec![InterpArg::slice(&xs), InterpArg::slice(&vec![0i32; m])];
                    let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[1]
                        .to_vec::<i32>()
                        .unwrap();
                    let want: Vec<i32> = lines(shape, axis)
                        .iter()
                        .map(|l| first_extreme(&l.iter().map(|&i| xs[i]).collect::<Vec<_>>(), kind))
                        .collect();
                    assert_eq!(got, want, "{kind:?} of {shape:?} along {axis}");
                }
                // Integers, with extremes at both ends of the type.
                let xs: Vec<i32> = (0..n)
                    .map(|_| match rng.next_u64() % 8 {
                        0 => i32::MIN,
                        1 => i32::MAX,
                        r => r as i32 % 3,
                    })
                    .collect();
                let f = reduce_kernel(Dtype::I32, Dtype::I32, shape, kind, axis as u32);
                let args = vec![InterpArg::slice(&xs), InterpArg::slice(&vec![0i32; m])];
                let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[1]
                    .to_vec::<i32>()
                    .unwrap();
                let want: Vec<i32> = lines(shape, axis)
                    .iter()
                    .map(|l| {
                        let v: Vec<f32> = l.iter().map(|&i| xs[i] as f32).collect();
                        // Exact in f32 for these values: MIN, MAX and -2..2.
                        first_extreme(&v, kind)
                    })
                    .collect();
                assert_eq!(got, want, "{kind:?} of i32 {shape:?} along {axis}");
            }
        }
    }
}

#[test]
fn index_reductions_of_padded_rows_ignore_padding() {
    // A row entirely at the identity (−inf for argmax): the padded lanes hold
    // it too and must lose every tie to a real element.
    for n in [1usize, 5, 17, 33] {
        for (kind, x) in [
            (ReduceKind::Argmax, f32::NEG_INFINITY),
            (ReduceKind::Argmin, f32::INFINITY),
        ] {
            let f = reduce_kernel(Dtype::F32, Dtype::I32, &[n as u32], kind, 0);
            let args = vec![InterpArg::slice(&vec![x; n]), InterpArg::slice(&[7i32])];
            let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[1]
                .to_vec::<i32>()
                .unwrap();
            assert_eq!(got, vec![0]);
        }
        let f = reduce_kernel(Dtype::U8, Dtype::I32, &[n as u32], ReduceKind::Argmax, 0);
        let args = vec![InterpArg::slice(&vec![0u8; n]), InterpArg::slice(&[7i32])];
        let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[1]
            .to_vec::<i32>()
            .unwrap();
        assert_eq!(got, vec![0]);
    }
}

#[test]
fn prod_reduces_along_every_axis() {
    let mut rng = Rng::new(42);
    for shape in SHAPES {
        let n: usize = shape.iter().map(|&d| d as usize).product();
        for axis in 0..shape.len() {
            let m = n / shape[axis] as usize;
            let xs: Vec<i32> = rng.i32s(n, -1000, 1000);
            let f = reduce_kernel(Dtype::I32, Dtype::I32, shape, ReduceKind::Prod, axis as u32);
            let args = vec![InterpArg::slice(&xs), InterpArg::slice(&vec![0i32; m])];
            let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[1]
                .to_vec::<i32>()
                .unwrap();
            let want: Vec<i32> = lines(shape, axis)
                .iter()
                .map(|l| l.iter().fold(1i32, |a, &i| a.wrapping_mul(xs[i])))
                .collect();
            assert_eq!(got, want, "prod of {shape:?} along {axis}");
            // Floats near 1, so that long products stay normal; reassociated
            // along the innermost axis, hence the tolerance.
            let xs: Vec<f32> = (0..n).map(|_| 1.0 + rng.f32() / 64.0).collect();
            let f = reduce_kernel(Dtype::F32, Dtype::F32, shape, ReduceKind::Prod, axis as u32);
            let args = vec![InterpArg::slice(&xs), InterpArg::slice(&vec![0.0f32; m])];
            let tol = if axis + 1 == shape.len() { 1e-5 } else { 0.0 };
            check_lowering(&f, [1, 1, 1], &args, tol);
        }
    }
}

fn scan_kernel(d: Dtype, shape: &[u32], kind: ReduceKind, axis: u32, reverse: bool) -> Function {
    kernel(
        "scan",
        vec![ptr_param("x", d, false), ptr_param("out", d, true)],
        |b, a| {
            let x = load_tile(b, a, 0, shape);
            let attrs = Attrs::new()
                .with("kind", Attr::Reduce(kind))
                .with("axis", Attr::Int(axis.into()))
                .with("reverse", Attr::Bool(reverse));
            let r = b.value(Opcode::Scan, &[x], attrs).unwrap();
            store_tile(b, a, 1, r);
        },
    )
}

/// The reference scan: combine in visiting order, the running value on the
/// left.
fn scan_ref<T: Copy>(
    xs: &[T],
    shape: &[u32],
    axis: usize,
    reverse: bool,
    op: impl Fn(T, T) -> T,
) -> Vec<T> {
    let mut out = xs.to_vec();
    for mut line in lines(shape, axis) {
        if reverse {
            line.reverse();
        }
        let mut acc = xs[line[0]];
        for &i in &line[1..] {
            acc = op(acc, xs[i]);
            out[i] = acc;
        }
    }
    out
}

#[test]
fn scans_are_sequential_and_exact_forward_and_reverse() {
    let mut rng = Rng::new(43);
    for shape in SHAPES {
        let n: usize = shape.iter().map(|&d| d as usize).product();
        for axis in 0..shape.len() {
            for reverse in [false, true] {
                let xs = rng.f32s(n);
                for (kind, op) in [
                    (
                        ReduceKind::Sum,
                        (|a: f32, b: f32| a + b) as fn(f32, f32) -> f32,
                    ),
                    (ReduceKind::Prod, |a, b| a * b),
                    (ReduceKind::Max, |a, b| {
                        if a.is_nan() || b.is_nan() {
                            f32::NAN
                        } else {
                            a.max(b)
                        }
                    }),
                    (ReduceKind::Min, |a, b| {
                        if a.is_nan() || b.is_nan() {
                            f32::NAN
                        } else {
                            a.min(b)
                        }
                    }),
                ] {
                    // `prod` scans x + 0.5 (values near 1 keep long products normal).
                    let input: Vec<f32> = if kind == ReduceKind::Prod {
                        xs.iter().map(|x| x + 0.5).collect()
                    } else {
                        xs.clone()
                    };
                    let f = scan_kernel(Dtype::F32, shape, kind, axis as u32, reverse);
                    let args = vec![InterpArg::slice(&input), InterpArg::slice(&vec![0.0f32; n])];
                    let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[1]
                        .to_vec::<f32>()
                        .unwrap();
                    let want = scan_ref(&input, shape, axis, reverse, op);
                    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                        assert!(
                            g.to_bits() == w.to_bits(),
                            "{kind:?} scan of {shape:?} along {axis} (reverse {reverse}) at {i}: {g} vs {w}"
                        );
                    }
                }
                let xs: Vec<i32> = rng.i32s(n, i32::MIN, i32::MAX);
                let f = scan_kernel(Dtype::I32, shape, ReduceKind::Sum, axis as u32, reverse);
                let args = vec![InterpArg::slice(&xs), InterpArg::slice(&vec![0i32; n])];
                let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[1]
                    .to_vec::<i32>()
                    .unwrap();
                assert_eq!(got, scan_ref(&xs, shape, axis, reverse, i32::wrapping_add));
            }
        }
    }
}

#[test]
fn scans_of_special_values() {
    // -0.0 sums stay -0.0; a NaN poisons everything after it (before it,
    // in reverse); infinities of both signs give NaN.
    let xs = [
        -0.0f32,
        -0.0,
        1.0,
        f32::NAN,
        2.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
    ];
    for reverse in [false, true] {
        let f = scan_kernel(Dtype::F32, &[7], ReduceKind::Sum, 0, reverse);
        let args = vec![InterpArg::slice(&xs), InterpArg::slice(&[0.0f32; 7])];
        let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[1]
            .to_vec::<f32>()
            .unwrap();
        let want = scan_ref(&xs, &[7], 0, reverse, |a, b| a + b);
        assert!(got
            .iter()
            .zip(&want)
            .all(|(g, w)| g.to_bits() == w.to_bits() || g.is_nan() && w.is_nan()));
        if !reverse {
            assert!(got[1].is_sign_negative() && got[1] == 0.0);
            assert!(got[3..].iter().all(|g| g.is_nan()));
        }
    }
}
