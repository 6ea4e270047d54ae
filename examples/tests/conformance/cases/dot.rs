//! `dot(a, b, acc)` on single tiles of odd shapes (persim tiles need not be
//! powers of two): f32; f16 and bf16 operands accumulating in f32 (their
//! products are exact in f32, so an f16 accumulator would show); integers
//! accumulating in i32 with an explicit accumulator.

use persim::{bf16, f16, Engine};
use persim_examples::check::tol;

use crate::support::{assert_close, assert_exact, f32s, uniform};

/// Odd (M, N, K): a vector, K = 1, shapes just off powers of two.
const SHAPES: &[(usize, usize, usize)] = &[
    (1, 1, 1),
    (1, 7, 13),
    (7, 1, 5),
    (13, 9, 1),
    (33, 17, 65),
    (16, 16, 1025),
];

/// `c = a @ b` for `[M, K]` and `[K, N]` row-major operands; `T` widened to f64.
fn reference<T: Copy + Into<f64>>(a: &[T], b: &[T], (m, n, k): (usize, usize, usize)) -> Vec<f64> {
    let mut c = vec![0.0f64; m * n];
    for i in 0..m {
        for j in 0..n {
            c[i * n + j] = (0..k)
                .map(|p| a[i * k + p].into() * b[p * n + j].into())
                .sum();
        }
    }
    c
}

/// One `[M, N]` tile of `a @ b` (default accumulator: f32 for floats).
macro_rules! float_dot_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(a: *const $t, b: *const $t, c: *mut f32, #[constexpr] M: i32, #[constexpr] N: i32, #[constexpr] K: i32) {
            let rm = arange(0, M).expand_dims(1);
            let rn = arange(0, N).expand_dims(0);
            let rk = arange(0, K);
            let x = load(a + rm * K + rk.expand_dims(0));
            let y = load(b + rk.expand_dims(1) * N + rn);
            store(c + rm * N + rn, dot(x, y));
        }
    )*};
}

float_dot_kernels! { dot_f32_k: f32; dot_f16_k: f16; dot_bf16_k: bf16; }

macro_rules! check_float_dot {
    ($engine:expr, $k:ident, $convert:expr, $tol:expr) => {{
        for &(m, n, k) in SHAPES {
            let a: Vec<_> = f32s(m * k, 1).into_iter().map($convert).collect();
            let b: Vec<_> = f32s(k * n, 2).into_iter().map($convert).collect();
            let mut c = vec![0.0f32; m * n];
            let args = $k::Args {
                a: &a,
                b: &b,
                c: &mut c,
                M: m as i32,
                N: n as i32,
                K: k as i32,
            };
            $k::launch($engine, 1u32, args).unwrap();
            let want = reference(&a, &b, (m, n, k));
            assert_close(
                &format!("{} M={m} N={n} K={k}", stringify!($k)),
                &c,
                &want,
                $tol,
            );
        }
    }};
}

pub fn dot_f32_odd_shapes(engine: &Engine) {
    check_float_dot!(engine, dot_f32_k, |v: f32| v, tol::F32_REDUCTION);
}

pub fn dot_f16_accumulates_in_f32(engine: &Engine) {
    check_float_dot!(engine, dot_f16_k, f16::from_f32, tol::F32_REDUCTION);
}

pub fn dot_bf16(engine: &Engine) {
    check_float_dot!(engine, dot_bf16_k, bf16::from_f32, tol::F32_REDUCTION);
}

/// `acc + a @ b` for i32 operands and accumulator (wrapping).
#[persim::kernel]
fn dot_i32(
    a: *const i32,
    b: *const i32,
    acc: *const i32,
    c: *mut i32,
    #[constexpr] M: i32,
    #[constexpr] N: i32,
    #[constexpr] K: i32,
) {
    let rm = arange(0, M).expand_dims(1);
    let rn = arange(0, N).expand_dims(0);
    let rk = arange(0, K);
    let x = load(a + rm * K + rk.expand_dims(0));
    let y = load(b + rk.expand_dims(1) * N + rn);
    store(c + rm * N + rn, dot(x, y, load(acc + rm * N + rn)));
}

pub fn dot_int_with_acc(engine: &Engine) {
    for &(m, n, k) in SHAPES {
        let a = uniform(m * k, -1000, 1000, 3);
        let b = uniform(k * n, -1000, 1000, 4);
        let acc = uniform(m * n, i32::MIN, i32::MAX, 5);
        let mut c = vec![0i32; m * n];
        let args = dot_i32::Args {
            a: &a,
            b: &b,
            acc: &acc,
            c: &mut c,
            M: m as i32,
            N: n as i32,
            K: k as i32,
        };
        dot_i32::launch(engine, 1u32, args).unwrap();
        let mut want = acc.clone();
        for i in 0..m {
            for j in 0..n {
                for p in 0..k {
                    want[i * n + j] = want[i * n + j].wrapping_add(a[i * k + p] * b[p * n + j]);
                }
            }
        }
        assert_exact(&format!("M={m} N={n} K={k}"), &c, &want);
    }
}
