//! More elementwise math: `exp2 log2 rsqrt sigmoid erf sin cos floor ceil`
//! on `f32`, `f16` and `f64`, `fma` (one rounding), `clamp` (NaN
//! propagates; integers too) and `umulhi` on 32- and 64-bit integers.
//!
//! References are computed in `f64` from the very values the kernel reads
//! (`f16` through `f32`, as the language defines `f16` math), so the
//! tolerances of `check::tol` only cover the kernel's own rounding.

use persim::{f16, Engine};
use persim_examples::check::{tol, Tolerance};

use crate::support::{
    assert_close, assert_exact, assert_same_floats, blocks, f32s, uniform, BLOCK, SIZES,
};

/// The nine unary functions of one element type, each into its own slice of
/// `out` (`out[k * n + i]` is function `k` of element `i`).
macro_rules! unary_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(x: *const $t, p: *const $t, out: *mut $t, n: i32, #[constexpr] BLOCK: i32) {
            let offs = program_id(0) * BLOCK + arange(0, BLOCK);
            let m = offs < n;
            let v = load(x + offs, m, 0.0);
            let pos = load(p + offs, m, 1.0);
            store(out + offs, exp2(v), m);
            store(out + n + offs, log2(pos), m);
            store(out + 2 * n + offs, rsqrt(pos), m);
            store(out + 3 * n + offs, sigmoid(v), m);
            store(out + 4 * n + offs, erf(v), m);
            store(out + 5 * n + offs, sin(v), m);
            store(out + 6 * n + offs, cos(v), m);
            store(out + 7 * n + offs, floor(v), m);
            store(out + 8 * n + offs, ceil(v), m);
        }
    )*};
}

unary_kernels! { unary_f32: f32; unary_f16: f16; unary_f64: f64; }

const FUNCTIONS: [&str; 9] = [
    "exp2", "log2", "rsqrt", "sigmoid", "erf", "sin", "cos", "floor", "ceil",
];

/// Function `k` of [`FUNCTIONS`] in `f64` (`x` for the functions of `v`,
/// `p` for those of the positive input).
fn reference(k: usize, x: f64, p: f64) -> f64 {
    match k {
        0 => x.exp2(),
        1 => p.log2(),
        2 => 1.0 / p.sqrt(),
        3 => 1.0 / (1.0 + (-x).exp()),
        4 => libm::erf(x),
        5 => x.sin(),
        6 => x.cos(),
        7 => x.floor(),
        _ => x.ceil(),
    }
}

/// Positive values over many binades, `2^-lo .. 2^hi`, with 1 first
/// (`log2(1) = 0` exactly).
fn positive(n: usize, binades: f64, seed: u64) -> Vec<f64> {
    let mut p: Vec<f64> = uniform(n, -binades, binades, seed)
        .into_iter()
        .map(f64::exp2)
        .collect();
    p[0] = 1.0;
    p
}

/// Compares function `k`'s slice of `out` with the reference; `floor` and
/// `ceil` are exact.
fn check_slices<T: Copy + Into<f64> + std::fmt::Debug>(
    what: &str,
    out: &[T],
    x: &[T],
    p: &[T],
    tolerance: Tolerance,
) {
    let n = x.len();
    for (k, name) in FUNCTIONS.iter().enumerate() {
        let got = &out[k * n..(k + 1) * n];
        let want: Vec<f64> = (0..n)
            .map(|i| reference(k, x[i].into(), p[i].into()))
            .collect();
        let label = format!("{name} {what} n={n}");
        if k >= 7 {
            let got: Vec<f64> = got.iter().map(|&v| v.into()).collect();
            assert_same_floats(&label, &got, &want);
        } else {
            assert_close(&label, got, &want, tolerance);
        }
    }
}

pub fn unary_f32(engine: &Engine) {
    for &n in SIZES {
        let x: Vec<f32> = uniform(n, -20.0, 20.0, 1);
        let p: Vec<f32> = positive(n, 60.0, 2).iter().map(|&v| v as f32).collect();
        let mut out = vec![0.0f32; 9 * n];
        let args = unary_f32::Args {
            x: &x,
            p: &p,
            out: &mut out,
            n: n as i32,
            BLOCK,
        };
        unary_f32::launch(engine, blocks(n), args).unwrap();
        check_slices("f32", &out, &x, &p, tol::F32_ELEMENTWISE);
    }
}

pub fn unary_f64(engine: &Engine) {
    for &n in SIZES {
        let x: Vec<f64> = uniform(n, -30.0, 30.0, 3);
        let p = positive(n, 500.0, 4);
        let mut out = vec![0.0f64; 9 * n];
        let args = unary_f64::Args {
            x: &x,
            p: &p,
            out: &mut out,
            n: n as i32,
            BLOCK,
        };
        unary_f64::launch(engine, blocks(n), args).unwrap();
        check_slices("f64", &out, &x, &p, tol::F64_TRANSCENDENTAL);
    }
}

/// `f16` math is computed in `f32` and rounded once per op; `sigmoid`, a
/// composition of four ops, rounds after each (Triton's definition), so its
/// reference does too.
pub fn unary_f16(engine: &Engine) {
    for &n in SIZES {
        let x: Vec<f16> = uniform(n, -8.0f32, 8.0, 5)
            .into_iter()
            .map(f16::from_f32)
            .collect();
        let p: Vec<f16> = positive(n, 14.0, 6)
            .into_iter()
            .map(f16::from_f64)
            .collect();
        let mut out = vec![f16::ZERO; 9 * n];
        let args = unary_f16::Args {
            x: &x,
            p: &p,
            out: &mut out,
            n: n as i32,
            BLOCK,
        };
        unary_f16::launch(engine, blocks(n), args).unwrap();
        let step = |v: f64| f16::from_f64(v).to_f64();
        for (k, name) in FUNCTIONS.iter().enumerate() {
            let want: Vec<f64> = (0..n)
                .map(|i| {
                    let (v, q) = (x[i].to_f64(), p[i].to_f64());
                    if k == 3 {
                        step(1.0 / step(1.0 + step((-v).exp())))
                    } else {
                        reference(k, v, q)
                    }
                })
                .collect();
            let got = &out[k * n..(k + 1) * n];
            assert_close(
                &format!("{name} f16 n={n}"),
                got,
                &want,
                tol::F16_ELEMENTWISE,
            );
        }
    }
}

/// `fma` per float type, with tile and scalar operands.
macro_rules! fma_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(a: *const $t, b: *const $t, c: *const $t, s: $t, out: *mut $t, n: i32, #[constexpr] BLOCK: i32) {
            let offs = program_id(0) * BLOCK + arange(0, BLOCK);
            let m = offs < n;
            let x = load(a + offs, m);
            let y = load(b + offs, m);
            let z = load(c + offs, m);
            store(out + offs, fma(x, y, z), m);
            store(out + n + offs, fma(x, s, z), m);
        }
    )*};
}

fma_kernels! { fma_f32: f32; fma_f64: f64; fma_f16: f16; }

/// `fma` rounds once: compared bit for bit with Rust's `mul_add`, and for
/// `f16` with the exact result rounded once (operands are multiples of 1/8
/// below 8, so `a·b + c` is exact in `f64`).
pub fn fma(engine: &Engine) {
    for &n in SIZES {
        let (a, b, c) = (f32s(n, 7), f32s(n, 8), f32s(n, 9));
        let mut out = vec![0.0f32; 2 * n];
        let args = fma_f32::Args {
            a: &a,
            b: &b,
            c: &c,
            s: -3.7,
            out: &mut out,
            n: n as i32,
            BLOCK,
        };
        fma_f32::launch(engine, blocks(n), args).unwrap();
        let want: Vec<f32> = (0..2 * n)
            .map(|k| {
                let i = k % n;
                let y = if k < n { b[i] } else { -3.7 };
                a[i].mul_add(y, c[i])
            })
            .collect();
        assert_same_floats(&format!("fma f32 n={n}"), &out, &want);

        let wide = |s| uniform(n, -1e10f64, 1e10, s);
        let (a, b, c) = (wide(10), wide(11), wide(12));
        let mut out = vec![0.0f64; 2 * n];
        let args = fma_f64::Args {
            a: &a,
            b: &b,
            c: &c,
            s: 1.0 / 3.0,
            out: &mut out,
            n: n as i32,
            BLOCK,
        };
        fma_f64::launch(engine, blocks(n), args).unwrap();
        let want: Vec<f64> = (0..2 * n)
            .map(|k| {
                let i = k % n;
                let y = if k < n { b[i] } else { 1.0 / 3.0 };
                a[i].mul_add(y, c[i])
            })
            .collect();
        assert_same_floats(&format!("fma f64 n={n}"), &out, &want);

        let eighths = |s| -> Vec<f16> {
            uniform(n, -64i32, 64, s)
                .into_iter()
                .map(|k| f16::from_f32(k as f32 / 8.0))
                .collect()
        };
        let (a, b, c) = (eighths(13), eighths(14), eighths(15));
        let s = f16::from_f32(5.125);
        let mut out = vec![f16::ZERO; 2 * n];
        let args = fma_f16::Args {
            a: &a,
            b: &b,
            c: &c,
            s,
            out: &mut out,
            n: n as i32,
            BLOCK,
        };
        fma_f16::launch(engine, blocks(n), args).unwrap();
        let want: Vec<f16> = (0..2 * n)
            .map(|k| {
                let i = k % n;
                let y = if k < n { b[i] } else { s };
                f16::from_f64(a[i].to_f64() * y.to_f64() + c[i].to_f64())
            })
            .collect();
        assert_same_floats(&format!("fma f16 n={n}"), &out, &want);
    }
}

/// `clamp` of floats (scalar and tile bounds; NaN propagates) and integers.
#[persim::kernel]
fn clamp_k(
    x: *const f32,
    lo: *const f32,
    i: *const i32,
    out: *mut f32,
    iout: *mut i32,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let v = load(x + offs, m);
    store(out + offs, clamp(v, -0.5, 0.25), m);
    let l = load(lo + offs, m);
    store(out + n + offs, clamp(v, l, l + 0.5), m);
    store(iout + offs, clamp(load(i + offs, m), -1000, 1000), m);
}

fn clamp_ref(x: f32, lo: f32, hi: f32) -> f32 {
    if x.is_nan() {
        x
    } else {
        x.max(lo).min(hi)
    }
}

pub fn clamp(engine: &Engine) {
    for &n in SIZES {
        let mut x = f32s(n, 16);
        x[0] = f32::NAN;
        if n > 2 {
            x[1] = f32::INFINITY;
            x[2] = f32::NEG_INFINITY;
        }
        let lo = f32s(n, 17);
        let i = uniform(n, -3000, 3000, 18);
        let (mut out, mut iout) = (vec![0.0f32; 2 * n], vec![0i32; n]);
        let args = clamp_k::Args {
            x: &x,
            lo: &lo,
            i: &i,
            out: &mut out,
            iout: &mut iout,
            n: n as i32,
            BLOCK,
        };
        clamp_k::launch(engine, blocks(n), args).unwrap();
        let mut want: Vec<f32> = x.iter().map(|&v| clamp_ref(v, -0.5, 0.25)).collect();
        want.extend((0..n).map(|k| clamp_ref(x[k], lo[k], lo[k] + 0.5)));
        assert_same_floats(&format!("clamp f32 n={n}"), &out, &want);
        let want: Vec<i32> = i.iter().map(|v| v.clamp(&-1000, &1000)).copied().collect();
        assert_exact(&format!("clamp i32 n={n}"), &iout, &want);
    }
}

/// `umulhi` on every 32- and 64-bit integer type (signed operands are
/// multiplied as unsigned, as in Triton).
#[persim::kernel]
fn umulhi_k(
    a: *const u32,
    b: *const u32,
    w: *const u64,
    v: *const u64,
    out: *mut u32,
    sout: *mut i32,
    wout: *mut u64,
    swout: *mut i64,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let x = load(a + offs, m);
    let y = load(b + offs, m);
    store(out + offs, umulhi(x, y), m);
    store(sout + offs, umulhi(x.to::<i32>(), y.to::<i32>()), m);
    let p = load(w + offs, m);
    let q = load(v + offs, m);
    store(wout + offs, umulhi(p, q), m);
    store(swout + offs, umulhi(p.to::<i64>(), q.to::<i64>()), m);
}

pub fn umulhi(engine: &Engine) {
    for &n in SIZES {
        let (mut a, b) = (uniform(n, 0, u32::MAX, 19), uniform(n, 0, u32::MAX, 20));
        let (mut w, v) = (uniform(n, 0, u64::MAX, 21), uniform(n, 0, u64::MAX, 22));
        a[0] = u32::MAX;
        w[0] = u64::MAX;
        let (mut out, mut sout) = (vec![0u32; n], vec![0i32; n]);
        let (mut wout, mut swout) = (vec![0u64; n], vec![0i64; n]);
        let args = umulhi_k::Args {
            a: &a,
            b: &b,
            w: &w,
            v: &v,
            out: &mut out,
            sout: &mut sout,
            wout: &mut wout,
            swout: &mut swout,
            n: n as i32,
            BLOCK,
        };
        umulhi_k::launch(engine, blocks(n), args).unwrap();
        let hi32: Vec<u32> = (0..n)
            .map(|i| ((a[i] as u64 * b[i] as u64) >> 32) as u32)
            .collect();
        let hi64: Vec<u64> = (0..n)
            .map(|i| ((w[i] as u128 * v[i] as u128) >> 64) as u64)
            .collect();
        assert_exact(&format!("umulhi u32 n={n}"), &out, &hi32);
        let signed: Vec<i32> = hi32.iter().map(|&h| h as i32).collect();
        assert_exact(&format!("umulhi i32 n={n}"), &sout, &signed);
        assert_exact(&format!("umulhi u64 n={n}"), &wout, &hi64);
        let signed: Vec<i64> = hi64.iter().map(|&h| h as i64).collect();
        assert_exact(&format!("umulhi i64 n={n}"), &swout, &signed);
    }
}
