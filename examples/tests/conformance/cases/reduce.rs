//! Reductions `sum`, `max`, `min` along each axis of 1-, 2- and 3-D tiles,
//! with masked-off lanes filled with each reduction's identity, and the
//! widening of `sum` over `bool` and narrow integers.

use persim::Engine;
use persim_examples::check::tol;

use crate::support::{assert_close, assert_exact, assert_same_floats, bools, f32s, uniform, SIZES};

/// One row of `n` values per program, reduced over a `BLOCK`-wide tile
/// (the softmax pattern): lanes past `n` load the identity.
#[persim::kernel]
fn reduce_rows(
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
    let base = row * n + cols;
    store(out + row * 3, sum(load(x + base, m, 0.0), 0));
    store(
        out + row * 3 + 1,
        max(load(x + base, m, f32::NEG_INFINITY), 0),
    );
    store(out + row * 3 + 2, min(load(x + base, m, f32::INFINITY), 0));
    store(iout + row * 3, sum(load(i + base, m, 0), 0));
    store(iout + row * 3 + 1, max(load(i + base, m, i32::MIN), 0));
    store(iout + row * 3 + 2, min(load(i + base, m, i32::MAX), 0));
}

pub fn sum_max_min_1d(engine: &Engine) {
    let rows = 3usize;
    for &n in SIZES {
        let x = f32s(rows * n, 1);
        let i = uniform(rows * n, -1 << 20, 1 << 20, 2);
        let (mut out, mut iout) = (vec![0.0f32; rows * 3], vec![0i32; rows * 3]);
        let args = reduce_rows::Args {
            x: &x,
            i: &i,
            out: &mut out,
            iout: &mut iout,
            n: n as i32,
            BLOCK: n.next_power_of_two() as i32,
        };
        reduce_rows::launch(engine, rows as u32, args).unwrap();
        for r in 0..rows {
            let xs = &x[r * n..(r + 1) * n];
            let is = &i[r * n..(r + 1) * n];
            let what = format!("row {r} of width {n}");
            let sum: f64 = xs.iter().map(|&v| v as f64).sum();
            // Normwise against the largest term: a sum's error is relative to its terms.
            let scale = xs.iter().fold(0.0f32, |m, v| m.max(v.abs())) as f64;
            assert_close(
                &format!("sum {what}"),
                &[out[r * 3] as f64 / scale],
                &[sum / scale],
                tol::F32_REDUCTION,
            );
            let max = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let min = xs.iter().copied().fold(f32::INFINITY, f32::min);
            assert_same_floats(
                &format!("max/min {what}"),
                &out[r * 3 + 1..r * 3 + 3],
                &[max, min],
            );
            let want = [
                is.iter().sum(),
                *is.iter().max().unwrap(),
                *is.iter().min().unwrap(),
            ];
            assert_exact(&format!("i32 {what}"), &iout[r * 3..r * 3 + 3], &want);
        }
    }
}

/// A `[R, C]` tile reduced along axis 0 (to `[C]`) and axis 1 (to `[R]`).
#[persim::kernel]
fn reduce_2d(
    x: *const f32,
    i: *const i64,
    cols_out: *mut f32,
    rows_out: *mut f32,
    icols: *mut i64,
    irows: *mut i64,
    #[constexpr] R: i32,
    #[constexpr] C: i32,
) {
    let r = arange(0, R);
    let c = arange(0, C);
    let offs = r.expand_dims(1) * C + c.expand_dims(0);
    let v = load(x + offs);
    let w = load(i + offs);
    store(cols_out + c * 3, sum(v, 0));
    store(cols_out + c * 3 + 1, max(v, 0));
    store(cols_out + c * 3 + 2, min(v, 0));
    store(rows_out + r * 3, sum(v, 1));
    store(rows_out + r * 3 + 1, max(v, 1));
    store(rows_out + r * 3 + 2, min(v, 1));
    store(icols + c * 3, sum(w, 0));
    store(icols + c * 3 + 1, max(w, 0));
    store(icols + c * 3 + 2, min(w, 0));
    store(irows + r * 3, sum(w, 1));
    store(irows + r * 3 + 1, max(w, 1));
    store(irows + r * 3 + 2, min(w, 1));
}

/// `[sum, max, min]` of each of `groups` groups of `x`, where `index(g, k)`
/// is the `k`-th of `len` elements of group `g`.
fn reduce_ref<T: Copy + PartialOrd, S>(
    x: &[T],
    groups: usize,
    len: usize,
    index: impl Fn(usize, usize) -> usize,
    sum: impl Fn(&mut dyn Iterator<Item = T>) -> S,
    to_s: impl Fn(T) -> S,
) -> Vec<S> {
    let mut out = Vec::new();
    for g in 0..groups {
        let vals: Vec<T> = (0..len).map(|k| x[index(g, k)]).collect();
        let max = vals
            .iter()
            .copied()
            .fold(vals[0], |a, b| if b > a { b } else { a });
        let min = vals
            .iter()
            .copied()
            .fold(vals[0], |a, b| if b < a { b } else { a });
        out.push(sum(&mut vals.iter().copied()));
        out.push(to_s(max));
        out.push(to_s(min));
    }
    out
}

pub fn sum_max_min_2d_each_axis(engine: &Engine) {
    for (r, c) in [(1usize, 1usize), (7, 13), (1025, 3), (5, 1023)] {
        let x = f32s(r * c, 3);
        let i = uniform(r * c, i64::MIN >> 12, i64::MAX >> 12, 4);
        let (mut cols_out, mut rows_out) = (vec![0.0f32; c * 3], vec![0.0f32; r * 3]);
        let (mut icols, mut irows) = (vec![0i64; c * 3], vec![0i64; r * 3]);
        let args = reduce_2d::Args {
            x: &x,
            i: &i,
            cols_out: &mut cols_out,
            rows_out: &mut rows_out,
            icols: &mut icols,
            irows: &mut irows,
            R: r as i32,
            C: c as i32,
        };
        reduce_2d::launch(engine, 1u32, args).unwrap();
        let fsum = |it: &mut dyn Iterator<Item = f32>| it.map(|v| v as f64).sum::<f64>();
        let isum = |it: &mut dyn Iterator<Item = i64>| it.sum::<i64>();
        let by_col = |g, k| k * c + g;
        let by_row = |g, k| g * c + k;
        let what = |axis| format!("{r}x{c} axis {axis}");
        assert_close(
            &what(0),
            &cols_out,
            &reduce_ref(&x, c, r, by_col, fsum, f64::from),
            tol::F32_REDUCTION,
        );
        assert_close(
            &what(1),
            &rows_out,
            &reduce_ref(&x, r, c, by_row, fsum, f64::from),
            tol::F32_REDUCTION,
        );
        assert_exact(&what(0), &icols, &reduce_ref(&i, c, r, by_col, isum, |v| v));
        assert_exact(&what(1), &irows, &reduce_ref(&i, r, c, by_row, isum, |v| v));
    }
}

/// A `[A, B, C]` tile of `u16` reduced along each axis.
#[persim::kernel]
fn reduce_3d(
    x: *const u16,
    s0: *mut u32,
    m1: *mut u16,
    n2: *mut u16,
    #[constexpr] A: i32,
    #[constexpr] B: i32,
    #[constexpr] C: i32,
) {
    let a = arange(0, A).expand_dims(1).expand_dims(2);
    let b = arange(0, B).expand_dims(0).expand_dims(2);
    let c = arange(0, C).expand_dims(0).expand_dims(0);
    let v = load(x + (a * B + b) * C + c);
    // Axis 0 → [B, C]; axis 1 → [A, C]; axis 2 → [A, B].
    let bc = arange(0, B).expand_dims(1) * C + arange(0, C).expand_dims(0);
    store(s0 + bc, sum(v, 0));
    let ac = arange(0, A).expand_dims(1) * C + arange(0, C).expand_dims(0);
    store(m1 + ac, max(v, 1));
    let ab = arange(0, A).expand_dims(1) * B + arange(0, B).expand_dims(0);
    store(n2 + ab, min(v, 2));
}

pub fn reduce_3d_each_axis(engine: &Engine) {
    for (a, b, c) in [(1usize, 1usize, 1usize), (3, 5, 7), (2, 9, 130)] {
        let x = uniform(a * b * c, 0, u16::MAX, 5);
        let (mut s0, mut m1, mut n2) = (vec![0u32; b * c], vec![0u16; a * c], vec![0u16; a * b]);
        let args = reduce_3d::Args {
            x: &x,
            s0: &mut s0,
            m1: &mut m1,
            n2: &mut n2,
            A: a as i32,
            B: b as i32,
            C: c as i32,
        };
        reduce_3d::launch(engine, 1u32, args).unwrap();
        let at = |i: usize, j: usize, k: usize| x[(i * b + j) * c + k];
        let want: Vec<u32> = (0..b * c)
            .map(|g| (0..a).map(|i| at(i, g / c, g % c) as u32).sum())
            .collect();
        assert_exact("sum axis 0 (u16 accumulates in u32)", &s0, &want);
        let want: Vec<u16> = (0..a * c)
            .map(|g| (0..b).map(|j| at(g / c, j, g % c)).max().unwrap())
            .collect();
        assert_exact("max axis 1", &m1, &want);
        let want: Vec<u16> = (0..a * b)
            .map(|g| (0..c).map(|k| at(g / b, g % b, k)).min().unwrap())
            .collect();
        assert_exact("min axis 2", &n2, &want);
    }
}

/// `sum` of `bool` counts in `i32`; of `i8` accumulates in `i32` (no wrap).
#[persim::kernel]
fn widen(
    k: *const bool,
    b: *const i8,
    count: *mut i32,
    total: *mut i32,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = arange(0, BLOCK);
    let m = offs < n;
    store(count, sum(load(k + offs, m, false), 0));
    store(total, sum(load(b + offs, m, 0), 0));
}

pub fn sum_widens_narrow_ints(engine: &Engine) {
    for &n in SIZES {
        let k = bools(n, 6);
        let b = uniform(n, 100, i8::MAX, 7);
        let (mut count, mut total) = (vec![0i32], vec![0i32]);
        let args = widen::Args {
            k: &k,
            b: &b,
            count: &mut count,
            total: &mut total,
            n: n as i32,
            BLOCK: n.next_power_of_two() as i32,
        };
        widen::launch(engine, 1u32, args).unwrap();
        assert_exact(
            "count of bools",
            &count,
            &[k.iter().filter(|&&v| v).count() as i32],
        );
        assert_exact("sum of i8", &total, &[b.iter().map(|&v| v as i32).sum()]);
    }
}
