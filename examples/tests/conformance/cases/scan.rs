//! Index reductions and scans along each axis of a 2-D tile: `argmax` and
//! `argmin` (ties go to the first index; NaN counts as the extreme), and
//! `cumsum` / `cumprod`, forward and reverse (the third argument).
//!
//! Integer scans are exact (wrapping, hence independent of the order a
//! backend combines in); float scans are compared normwise with the
//! reduction tolerance, since a backend may scan in a tree.

use persim::Engine;
use persim_examples::check::tol;

use crate::support::{assert_close, assert_exact, rng, uniform};
use rand::Rng;

/// Shapes `R x C` of the 2-D cases: single elements, awkward widths, both
/// orientations.
const SHAPES: &[(usize, usize)] = &[(1, 1), (7, 13), (3, 1000), (2, 1023), (1025, 2), (1, 1025)];

/// `argmax`/`argmin` of an `f32` and an `i32` tile along each axis;
/// results, in order: f32 argmax/argmin along 1 (`R` each), along 0 (`C`
/// each), then the same for i32.
#[persim::kernel]
fn arg_k(x: *const f32, y: *const i32, out: *mut i32, #[constexpr] R: i32, #[constexpr] C: i32) {
    let rows = arange(0, R).expand_dims(1);
    let cols = arange(0, C).expand_dims(0);
    let v = load(x + rows * C + cols);
    let w = load(y + rows * C + cols);
    let r = arange(0, R);
    let c = arange(0, C);
    let k = 2 * (R + C);
    store(out + r, argmax(v, 1));
    store(out + R + r, argmin(v, 1));
    store(out + 2 * R + c, argmax(v, 0));
    store(out + 2 * R + C + c, argmin(v, 0));
    store(out + k + r, argmax(w, 1));
    store(out + k + R + r, argmin(w, 1));
    store(out + k + 2 * R + c, argmax(w, 0));
    store(out + k + 2 * R + C + c, argmin(w, 0));
}

/// Index of the first extreme (a NaN wins and keeps winning).
fn first_extreme<T: PartialOrd + Copy>(xs: impl Iterator<Item = T>, max: bool) -> i32 {
    #[allow(clippy::eq_op)]
    let is_nan = |v: T| v != v;
    let mut best: Option<(usize, T)> = None;
    for (k, x) in xs.enumerate() {
        let beats = match best {
            None => true,
            Some((_, b)) if is_nan(b) => false,
            Some(_) if is_nan(x) => true,
            Some((_, b)) => (max && x > b) || (!max && x < b),
        };
        if beats {
            best = Some((k, x));
        }
    }
    best.map_or(-1, |(k, _)| k as i32)
}

/// The four index reductions of `x` (`R x C`), laid out as `arg_k` stores
/// them.
fn arg_reference<T: PartialOrd + Copy>(x: &[T], r: usize, c: usize) -> Vec<i32> {
    let row = |i: usize| (0..c).map(move |j| x[i * c + j]);
    let col = |j: usize| (0..r).map(move |i| x[i * c + j]);
    let mut want = Vec::new();
    want.extend((0..r).map(|i| first_extreme(row(i), true)));
    want.extend((0..r).map(|i| first_extreme(row(i), false)));
    want.extend((0..c).map(|j| first_extreme(col(j), true)));
    want.extend((0..c).map(|j| first_extreme(col(j), false)));
    want
}

/// Values drawn from a handful, so every row and column has ties; the
/// floats include signed zeros, infinities and NaN.
pub fn argmax_argmin(engine: &Engine) {
    for (i, &(r, c)) in SHAPES.iter().enumerate() {
        let n = r * c;
        let mut g = rng(i as u64);
        let x: Vec<f32> = (0..n)
            .map(|_| match g.gen_range(0..40) {
                0 => f32::NAN,
                1 => -0.0,
                2 => 0.0,
                3 => f32::INFINITY,
                4 => f32::NEG_INFINITY,
                k => (k % 4) as f32 - 1.5,
            })
            .collect();
        let y = uniform(n, -3, 4, i as u64 + 100);
        let mut out = vec![-7i32; 4 * (r + c)];
        let args = arg_k::Args {
            x: &x,
            y: &y,
            out: &mut out,
            R: r as i32,
            C: c as i32,
        };
        arg_k::launch(engine, 1u32, args).unwrap();
        let mut want = arg_reference(&x, r, c);
        want.extend(arg_reference(&y, r, c));
        assert_exact(&format!("argmax/argmin of {r}x{c}"), &out, &want);
    }
}

/// `cumsum`/`cumprod` of a float and an integer tile, along both axes,
/// forward and reverse: eight results per type.
macro_rules! scan_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(x: *const $t, out: *mut $t, #[constexpr] R: i32, #[constexpr] C: i32) {
            let at = arange(0, R).expand_dims(1) * C + arange(0, C).expand_dims(0);
            let v = load(x + at);
            let n = R * C;
            store(out + at, cumsum(v, 1));
            store(out + n + at, cumsum(v, 1, true));
            store(out + 2 * n + at, cumsum(v, 0));
            store(out + 3 * n + at, cumsum(v, 0, true));
            store(out + 4 * n + at, cumprod(v, 1));
            store(out + 5 * n + at, cumprod(v, 1, false));
            store(out + 6 * n + at, cumprod(v, 0));
            store(out + 7 * n + at, cumprod(v, 0, true));
        }
    )*};
}

scan_kernels! { scan_f32: f32; scan_i32: i32; }

/// A scan's combining function and its identity.
type Combine<'a, T> = (&'a dyn Fn(T, T) -> T, T);

/// The eight scans of `scan_kernels`, sequentially, with `add`/`mul` of `T`.
fn scan_reference<T: Copy>(
    x: &[T],
    r: usize,
    c: usize,
    zero: T,
    one: T,
    add: impl Fn(T, T) -> T,
    mul: impl Fn(T, T) -> T,
) -> Vec<T> {
    let n = r * c;
    let mut want = vec![zero; 8 * n];
    let ops: [Combine<T>; 2] = [(&add, zero), (&mul, one)];
    for (o, (op, init)) in ops.iter().enumerate() {
        // Along axis 1 (rows of length c), then axis 0 (columns of length r).
        for (axis, (lines, len)) in [(r, c), (c, r)].into_iter().enumerate() {
            let at = |line: usize, k: usize| {
                if axis == 0 {
                    line * c + k
                } else {
                    k * c + line
                }
            };
            for reverse in [false, true] {
                // Slot order matches the kernel: sum 1 fwd, 1 rev, 0 fwd, 0 rev;
                // prod 1 fwd, 1 fwd (explicit false), 0 fwd, 0 rev.
                let slot = 4 * o + 2 * axis + usize::from(reverse);
                let reverse = reverse && !(o == 1 && axis == 0);
                for line in 0..lines {
                    let mut acc = *init;
                    for step in 0..len {
                        let k = if reverse { len - 1 - step } else { step };
                        acc = op(acc, x[at(line, k)]);
                        want[slot * n + at(line, k)] = acc;
                    }
                }
            }
        }
    }
    want
}

pub fn cumsum_cumprod(engine: &Engine) {
    for (i, &(r, c)) in SHAPES.iter().enumerate() {
        let n = r * c;
        // Near 1, so products of a thousand terms stay in range.
        let x: Vec<f32> = uniform(n, 0.99f32, 1.01, i as u64 + 200);
        let mut out = vec![0.0f32; 8 * n];
        let args = scan_f32::Args {
            x: &x,
            out: &mut out,
            R: r as i32,
            C: c as i32,
        };
        scan_f32::launch(engine, 1u32, args).unwrap();
        let want = scan_reference(
            &x.iter().map(|&v| v as f64).collect::<Vec<_>>(),
            r,
            c,
            0.0,
            1.0,
            |a, b| a + b,
            |a, b| a * b,
        );
        for s in 0..8 {
            assert_close(
                &format!("f32 scan {s} of {r}x{c}"),
                &out[s * n..(s + 1) * n],
                &want[s * n..(s + 1) * n],
                tol::F32_REDUCTION,
            );
        }

        // Integer products wrap: exact whatever the combining order.
        let y = uniform(n, i32::MIN, i32::MAX, i as u64 + 300);
        let mut out = vec![0i32; 8 * n];
        let args = scan_i32::Args {
            x: &y,
            out: &mut out,
            R: r as i32,
            C: c as i32,
        };
        scan_i32::launch(engine, 1u32, args).unwrap();
        let want = scan_reference(&y, r, c, 0, 1, i32::wrapping_add, i32::wrapping_mul);
        assert_exact(&format!("i32 scans of {r}x{c}"), &out, &want);
    }
}
