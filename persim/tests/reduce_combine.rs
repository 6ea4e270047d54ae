//! `reduce` and `associative_scan` with `#[persim::func]` combine functions,
//! end to end: kernels under `#[persim::kernel]`, run by the interpreter
//! (the specification, combining sequentially) and the Cranelift JIT, and
//! checked against plain Rust along each axis of 2-D tiles at awkward
//! sizes (1, 7, 1000, 1023, 1025 along the axis; the JIT has 4 lanes).
//! Data are integers, or floats whose sums and products are exact, so every
//! order of combination gives the same bits.

use persim::prelude::*;
use persim_lang::interp::{run_grid, InterpArg};

/// `(rows, cols)`: every awkward size along each axis.
const SHAPES: [(i32, i32); 10] = [
    (1, 1),
    (3, 7),
    (2, 1000),
    (2, 1023),
    (2, 1025),
    (7, 3),
    (1000, 2),
    (1023, 2),
    (1025, 2),
    (1, 1025),
];

#[persim::func]
fn add<T>(a: T, b: T) -> T {
    a + b
}

#[persim::func]
fn mul<T>(a: T, b: T) -> T {
    a * b
}

/// Triton's `(value, index)` combine: the larger value, ties to the smaller
/// index.
#[persim::func]
fn max_with_index(v0: f32, i0: i32, v1: f32, i1: i32) -> (f32, i32) {
    let left = (v0 > v1) | ((v0 == v1) & (i0 < i1));
    (where_(left, v0, v1), where_(left, i0, i1))
}

/// User sums beside the built-in `sum`, along each axis, of `i32` and `f32`.
#[persim::kernel]
fn sums(
    x: *const i32,
    xf: *const f32,
    out: *mut i32,
    outf: *mut f32,
    #[constexpr] R: i32,
    #[constexpr] C: i32,
) {
    let rows = arange(0, R).expand_dims(1);
    let cols = arange(0, C).expand_dims(0);
    let v = load(x + rows * C + cols);
    let vf = load(xf + rows * C + cols);
    store(out + arange(0, R), reduce(v, 1, add));
    store(out + R + arange(0, R), sum(v, 1));
    store(out + 2 * R + arange(0, C), reduce(v, 0, add));
    store(out + 2 * R + C + arange(0, C), sum(v, 0));
    store(outf + arange(0, R), reduce(vf, 1, add));
    store(outf + R + arange(0, R), sum(vf, 1));
    store(outf + 2 * R + arange(0, C), reduce(vf, 0, add));
    store(outf + 2 * R + C + arange(0, C), sum(vf, 0));
}

/// `(max, first index of it)` along each axis by a tuple reduction.
#[persim::kernel]
fn max_index(
    x: *const f32,
    vals: *mut f32,
    idxs: *mut i32,
    #[constexpr] R: i32,
    #[constexpr] C: i32,
) {
    let rows = arange(0, R).expand_dims(1);
    let cols = arange(0, C).expand_dims(0);
    let v = load(x + rows * C + cols);
    let (m1, i1) = reduce((v, rows * 0 + cols), 1, max_with_index);
    store(vals + arange(0, R), m1);
    store(idxs + arange(0, R), i1);
    let (m0, i0) = reduce((v, rows + cols * 0), 0, max_with_index);
    store(vals + R + arange(0, C), m0);
    store(idxs + R + arange(0, C), i0);
}

/// Product scans forward and reverse along each axis, and a running
/// `(max, index)` scan along the rows.
#[persim::kernel]
fn scans(
    x: *const f32,
    prods: *mut f32,
    vals: *mut f32,
    idxs: *mut i32,
    #[constexpr] R: i32,
    #[constexpr] C: i32,
) {
    let rows = arange(0, R).expand_dims(1);
    let cols = arange(0, C).expand_dims(0);
    let at = rows * C + cols;
    let n = R * C;
    let v = load(x + at);
    store(prods + at, associative_scan(v, 1, mul));
    store(prods + n + at, associative_scan(v, 1, mul, true));
    store(prods + 2 * n + at, associative_scan(v, 0, mul, false));
    store(prods + 3 * n + at, associative_scan(v, 0, mul, true));
    let (m, i) = associative_scan((v, rows * 0 + cols), 1, max_with_index);
    store(vals + at, m);
    store(idxs + at, i);
    let (mr, ir) = associative_scan((v, rows * 0 + cols), 1, max_with_index, true);
    store(vals + n + at, mr);
    store(idxs + n + at, ir);
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn consts(r: i32, c: i32) -> Vec<(&'static str, i64)> {
    vec![("R", r.into()), ("C", c.into())]
}

/// `x[i][j]` of a row-major `r x c` matrix, along `axis` at position `k`
/// of line `l`.
fn line(x: &[f32], r: usize, c: usize, axis: usize, l: usize) -> Vec<f32> {
    match axis {
        1 => x[l * c..(l + 1) * c].to_vec(),
        _ => (0..r).map(|i| x[i * c + l]).collect(),
    }
}

/// The larger value and its first index, as `max_with_index` combines.
fn max_and_index(xs: &[f32]) -> (f32, i32) {
    let mut best = (xs[0], 0);
    for (k, &x) in xs.iter().enumerate().skip(1) {
        if x > best.0 {
            best = (x, k as i32);
        }
    }
    best
}

#[test]
fn user_sums_equal_sum_along_each_axis() {
    let engine = Engine::jit();
    let mut rng = Rng(3);
    for (r, c) in SHAPES {
        let (ru, cu) = (r as usize, c as usize);
        let x: Vec<i32> = (0..ru * cu).map(|_| rng.next() as i32).collect();
        let xf: Vec<f32> = (0..ru * cu)
            .map(|_| (rng.next() % 201) as f32 - 100.0)
            .collect();
        let len = 2 * (ru + cu);
        let (mut out, mut outf) = (vec![0i32; len], vec![0f32; len]);
        let args = sums::Args {
            x: &x,
            xf: &xf,
            out: &mut out,
            outf: &mut outf,
            R: r,
            C: c,
        };
        sums::launch(&engine, 1u32, args).unwrap();
        let f = sums::ir(&consts(r, c)).unwrap();
        let mut iargs = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&xf),
            InterpArg::slice(&vec![0i32; len]),
            InterpArg::slice(&vec![0f32; len]),
        ];
        run_grid(&f, [1, 1, 1], &mut iargs).unwrap();
        let spec = iargs[2].to_vec::<i32>().unwrap();
        let specf = iargs[3].to_vec::<f32>().unwrap();
        for (axis, lines, at) in [(1, ru, 0), (0, cu, 2 * ru)] {
            for l in 0..lines {
                let want = match axis {
                    1 => (0..cu).map(|j| x[l * cu + j]).fold(0, i32::wrapping_add),
                    _ => (0..ru).map(|i| x[i * cu + l]).fold(0, i32::wrapping_add),
                };
                let wantf: f32 = line(&xf, ru, cu, axis, l).iter().sum();
                let user = at + l;
                let builtin = at + lines + l;
                assert_eq!(out[user], want, "{r}x{c} axis {axis} line {l}");
                assert_eq!(out[builtin], want, "{r}x{c} axis {axis} line {l}: sum");
                assert_eq!(
                    spec[user], want,
                    "{r}x{c} axis {axis} line {l}: interpreter"
                );
                assert_eq!(outf[user], wantf, "{r}x{c} axis {axis} line {l}: f32");
                assert_eq!(
                    outf[builtin], wantf,
                    "{r}x{c} axis {axis} line {l}: f32 sum"
                );
                assert_eq!(
                    specf[user], wantf,
                    "{r}x{c} axis {axis} line {l}: f32 interp"
                );
            }
        }
    }
}

#[test]
fn tuple_reduction_finds_the_first_maximum_along_each_axis() {
    let engine = Engine::jit();
    let mut rng = Rng(7);
    for (r, c) in SHAPES {
        let (ru, cu) = (r as usize, c as usize);
        // Few distinct values: many ties.
        let x: Vec<f32> = (0..ru * cu)
            .map(|_| (rng.next() % 5) as f32 - 2.0)
            .collect();
        let len = ru + cu;
        let (mut vals, mut idxs) = (vec![0f32; len], vec![0i32; len]);
        let args = max_index::Args {
            x: &x,
            vals: &mut vals,
            idxs: &mut idxs,
            R: r,
            C: c,
        };
        max_index::launch(&engine, 1u32, args).unwrap();
        let f = max_index::ir(&consts(r, c)).unwrap();
        let mut iargs = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&vec![0f32; len]),
            InterpArg::slice(&vec![0i32; len]),
        ];
        run_grid(&f, [1, 1, 1], &mut iargs).unwrap();
        let (svals, sidxs) = (
            iargs[1].to_vec::<f32>().unwrap(),
            iargs[2].to_vec::<i32>().unwrap(),
        );
        for (axis, lines, at) in [(1, ru, 0), (0, cu, ru)] {
            for l in 0..lines {
                let want = max_and_index(&line(&x, ru, cu, axis, l));
                let what = format!("{r}x{c} axis {axis} line {l}");
                assert_eq!((vals[at + l], idxs[at + l]), want, "{what}");
                assert_eq!((svals[at + l], sidxs[at + l]), want, "{what}: interpreter");
            }
        }
    }
}

#[test]
fn product_and_max_index_scans_forward_and_reverse() {
    let engine = Engine::jit();
    let mut rng = Rng(11);
    for (r, c) in SHAPES {
        let (ru, cu) = (r as usize, c as usize);
        let n = ru * cu;
        // Powers of two and signs, balanced: products are exact and stay
        // far from overflow.
        let x: Vec<f32> = (0..n)
            .map(|_| [1.0, -1.0, 0.5, 2.0, -0.5][(rng.next() % 5) as usize])
            .collect();
        let (mut prods, mut vals, mut idxs) =
            (vec![0f32; 4 * n], vec![0f32; 2 * n], vec![0i32; 2 * n]);
        let args = scans::Args {
            x: &x,
            prods: &mut prods,
            vals: &mut vals,
            idxs: &mut idxs,
            R: r,
            C: c,
        };
        scans::launch(&engine, 1u32, args).unwrap();
        let f = scans::ir(&consts(r, c)).unwrap();
        let mut iargs = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&vec![0f32; 4 * n]),
            InterpArg::slice(&vec![0f32; 2 * n]),
            InterpArg::slice(&vec![0i32; 2 * n]),
        ];
        run_grid(&f, [1, 1, 1], &mut iargs).unwrap();
        assert_eq!(
            iargs[1].to_vec::<f32>().unwrap(),
            prods,
            "{r}x{c}: interpreter products"
        );
        assert_eq!(
            iargs[2].to_vec::<f32>().unwrap(),
            vals,
            "{r}x{c}: interpreter values"
        );
        assert_eq!(
            iargs[3].to_vec::<i32>().unwrap(),
            idxs,
            "{r}x{c}: interpreter indices"
        );
        let at = |i: usize, j: usize| i * cu + j;
        for i in 0..ru {
            for j in 0..cu {
                let fwd1: f32 = (0..=j).map(|k| x[at(i, k)]).product();
                let rev1: f32 = (j..cu).rev().map(|k| x[at(i, k)]).product();
                let fwd0: f32 = (0..=i).map(|k| x[at(k, j)]).product();
                let rev0: f32 = (i..ru).rev().map(|k| x[at(k, j)]).product();
                let what = format!("{r}x{c} at ({i}, {j})");
                assert_eq!(prods[at(i, j)], fwd1, "{what}: forward along rows");
                assert_eq!(prods[n + at(i, j)], rev1, "{what}: reverse along rows");
                assert_eq!(
                    prods[2 * n + at(i, j)],
                    fwd0,
                    "{what}: forward along columns"
                );
                assert_eq!(
                    prods[3 * n + at(i, j)],
                    rev0,
                    "{what}: reverse along columns"
                );
                let prefix: Vec<f32> = (0..=j).map(|k| x[at(i, k)]).collect();
                let (m, k) = max_and_index(&prefix);
                assert_eq!((vals[at(i, j)], idxs[at(i, j)]), (m, k), "{what}: max scan");
                let suffix: Vec<f32> = (j..cu).map(|k| x[at(i, k)]).collect();
                let (m, k) = max_and_index(&suffix);
                let k = k + j as i32;
                assert_eq!(
                    (vals[n + at(i, j)], idxs[n + at(i, j)]),
                    (m, k),
                    "{what}: reverse max scan"
                );
            }
        }
    }
}

/// A combine function must return the element types it combines.
#[persim::func]
fn sum_to_int(a: f32, b: f32) -> i32 {
    (a + b).to::<i32>()
}

#[persim::kernel]
fn wrong_result(x: *const f32, out: *mut f32) {
    let v = load(x + arange(0, 8));
    store(out, reduce(v, 0, sum_to_int));
}

#[test]
fn a_combine_function_returning_another_type_is_reported_at_its_path() {
    let d = wrong_result::module(&[]).unwrap_err();
    assert_eq!(
        d.message,
        "`sum_to_int` returns (i32), but a combine function must return the combined (f32)"
    );
    let needle = "reduce(v, 0, sum_to_int)";
    let (line, text) = include_str!("reduce_combine.rs")
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap();
    let col = text.find("sum_to_int)").unwrap() + 1;
    let want = format!("reduce_combine.rs:{}:{col}", line + 1);
    assert!(d.location.as_deref().unwrap().ends_with(&want), "{d:?}");
}
