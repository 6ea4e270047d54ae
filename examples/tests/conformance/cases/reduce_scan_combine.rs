//! `reduce(x, axis, combine)` and `associative_scan(x, axis, combine,
//! reverse)` with `#[persim::func]` combine functions: a user sum (exact on
//! integers, within the reduction tolerance on floats), Triton's
//! `(value, index)` argmax-style tuple reduction, and product and sum scans
//! forward and reverse. One row of `n` values per program in a
//! power-of-two tile; masked-off lanes load the combine's identity.

use persim::Engine;
use persim_examples::check::tol;

use crate::support::{assert_close, assert_exact, f32s, uniform, SIZES};

#[persim::func]
fn add<T>(a: T, b: T) -> T {
    a + b
}

#[persim::func]
fn mul<T>(a: T, b: T) -> T {
    a * b
}

/// The larger value; ties go to the smaller index.
#[persim::func]
fn argmax_combine(v0: f32, i0: i32, v1: f32, i1: i32) -> (f32, i32) {
    let left = (v0 > v1) | ((v0 == v1) & (i0 < i1));
    (where_(left, v0, v1), where_(left, i0, i1))
}

#[persim::kernel]
fn row_sums(
    x: *const f32,
    i: *const i32,
    out: *mut f32,
    iout: *mut i32,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let row = program_id(0);
    let cols = arange(0, BLOCK);
    let m = cols < n;
    store(out + row, reduce(load(x + row * n + cols, m, 0.0), 0, add));
    store(iout + row, reduce(load(i + row * n + cols, m, 0), 0, add));
}

pub fn reduce_with_combine(engine: &Engine) {
    let rows = 3usize;
    for &n in SIZES {
        let x = f32s(rows * n, 1);
        let i = uniform(rows * n, -1 << 20, 1 << 20, 2);
        let (mut out, mut iout) = (vec![0.0f32; rows], vec![0i32; rows]);
        let args = row_sums::Args {
            x: &x,
            i: &i,
            out: &mut out,
            iout: &mut iout,
            n: n as i32,
            BLOCK: n.next_power_of_two() as i32,
        };
        row_sums::launch(engine, rows as u32, args).unwrap();
        for r in 0..rows {
            let xs = &x[r * n..(r + 1) * n];
            let what = format!("row {r} of width {n}");
            let sum: f64 = xs.iter().map(|&v| v as f64).sum();
            let scale = xs.iter().fold(0.0f32, |m, v| m.max(v.abs())) as f64;
            assert_close(
                &format!("sum {what}"),
                &[out[r] as f64 / scale],
                &[sum / scale],
                tol::F32_REDUCTION,
            );
            let want: i32 = i[r * n..(r + 1) * n].iter().sum();
            assert_exact(&format!("i32 sum {what}"), &iout[r..r + 1], &[want]);
        }
    }
}

#[persim::kernel]
fn row_argmax(x: *const f32, vals: *mut f32, idxs: *mut i32, n: i32, #[constexpr] BLOCK: i32) {
    let row = program_id(0);
    let cols = arange(0, BLOCK);
    let v = load(x + row * n + cols, cols < n, f32::NEG_INFINITY);
    let (m, k) = reduce((v, cols), 0, argmax_combine);
    store(vals + row, m);
    store(idxs + row, k);
}

pub fn reduce_tuple_argmax_style(engine: &Engine) {
    let rows = 3usize;
    for &n in SIZES {
        // Few distinct values: many ties, which go to the first index.
        let x: Vec<f32> = uniform(rows * n, -3, 4, 3)
            .into_iter()
            .map(|v: i32| v as f32)
            .collect();
        let (mut vals, mut idxs) = (vec![0.0f32; rows], vec![0i32; rows]);
        let args = row_argmax::Args {
            x: &x,
            vals: &mut vals,
            idxs: &mut idxs,
            n: n as i32,
            BLOCK: n.next_power_of_two() as i32,
        };
        row_argmax::launch(engine, rows as u32, args).unwrap();
        for r in 0..rows {
            let xs = &x[r * n..(r + 1) * n];
            let mut best = (xs[0], 0i32);
            for (k, &v) in xs.iter().enumerate() {
                if v > best.0 {
                    best = (v, k as i32);
                }
            }
            let what = format!("row {r} of width {n}");
            assert_exact(&format!("max {what}"), &vals[r..r + 1], &[best.0]);
            assert_exact(&format!("index {what}"), &idxs[r..r + 1], &[best.1]);
        }
    }
}

#[persim::kernel]
fn row_scans(
    x: *const f32,
    i: *const i32,
    prods: *mut f32,
    sums: *mut i32,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let row = program_id(0);
    let cols = arange(0, BLOCK);
    let m = cols < n;
    let at = row * n + cols;
    let v = load(x + at, m, 1.0);
    let w = load(i + at, m, 0);
    store(prods + 2 * at, associative_scan(v, 0, mul), m);
    store(prods + 2 * at + 1, associative_scan(v, 0, mul, true), m);
    store(sums + 2 * at, associative_scan(w, 0, add, false), m);
    store(sums + 2 * at + 1, associative_scan(w, 0, add, true), m);
}

pub fn associative_scan_forward_reverse(engine: &Engine) {
    let rows = 2usize;
    for &n in SIZES {
        let len = rows * n;
        // Powers of two with signs, balanced: products are exact and stay
        // far from overflow.
        let x: Vec<f32> = uniform(len, 0, 5, 4)
            .into_iter()
            .map(|k: i32| [1.0, -1.0, 0.5, 2.0, -0.5][k as usize])
            .collect();
        let i = uniform(len, -1000, 1000, 5);
        let (mut prods, mut sums) = (vec![0.0f32; 2 * len], vec![0i32; 2 * len]);
        let args = row_scans::Args {
            x: &x,
            i: &i,
            prods: &mut prods,
            sums: &mut sums,
            n: n as i32,
            BLOCK: n.next_power_of_two() as i32,
        };
        row_scans::launch(engine, rows as u32, args).unwrap();
        let (mut want_p, mut want_s) = (vec![0.0f32; 2 * len], vec![0i32; 2 * len]);
        for r in 0..rows {
            let base = r * n;
            let (mut p, mut s) = (1.0f32, 0i32);
            for k in 0..n {
                p *= x[base + k];
                s += i[base + k];
                want_p[2 * (base + k)] = p;
                want_s[2 * (base + k)] = s;
            }
            let (mut p, mut s) = (1.0f32, 0i32);
            for k in (0..n).rev() {
                p *= x[base + k];
                s += i[base + k];
                want_p[2 * (base + k) + 1] = p;
                want_s[2 * (base + k) + 1] = s;
            }
        }
        assert_exact(&format!("product scans of width {n}"), &prods, &want_p);
        assert_exact(&format!("sum scans of width {n}"), &sums, &want_s);
    }
}
