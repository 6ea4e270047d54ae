//! Elementwise math: `exp log sqrt abs maximum minimum where_ cdiv`.

use persim::{f16, Engine};
use persim_examples::check::tol;

use crate::support::{
    assert_close, assert_exact, assert_same_floats, blocks, bools, f32s, uniform, BLOCK, SIZES,
};

/// `exp`, `log` and `sqrt` per element type.
macro_rules! transcendental_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(x: *const $t, p: *const $t, e: *mut $t, l: *mut $t, s: *mut $t, n: i32, #[constexpr] BLOCK: i32) {
            let offs = program_id(0) * BLOCK + arange(0, BLOCK);
            let m = offs < n;
            let pos = load(p + offs, m, 1.0);
            store(e + offs, exp(load(x + offs, m)), m);
            store(l + offs, log(pos), m);
            store(s + offs, sqrt(pos), m);
        }
    )*};
}

transcendental_kernels! { tr_f32: f32; tr_f64: f64; tr_f16: f16; }

/// Positive values over many binades (`2^-40 .. 2^40`), plus 1 (log 0).
fn positive(n: usize, seed: u64) -> Vec<f64> {
    let e = uniform(n, -40.0f64, 40.0, seed);
    let mut x: Vec<f64> = e.iter().map(|&e| e.exp2()).collect();
    x[0] = 1.0;
    x
}

pub fn exp_log_sqrt_f32(engine: &Engine) {
    for &n in SIZES {
        let x: Vec<f32> = uniform(n, -80.0, 80.0, 1);
        let p: Vec<f32> = positive(n, 2).iter().map(|&v| v as f32).collect();
        let (mut e, mut l, mut s) = (vec![0.0f32; n], vec![0.0f32; n], vec![0.0f32; n]);
        let args = tr_f32::Args {
            x: &x,
            p: &p,
            e: &mut e,
            l: &mut l,
            s: &mut s,
            n: n as i32,
            BLOCK,
        };
        tr_f32::launch(engine, blocks(n), args).unwrap();
        let want: Vec<f64> = x.iter().map(|&v| (v as f64).exp()).collect();
        assert_close("exp f32", &e, &want, tol::F32_ELEMENTWISE);
        let want: Vec<f64> = p.iter().map(|&v| (v as f64).ln()).collect();
        assert_close("log f32", &l, &want, tol::F32_ELEMENTWISE);
        // sqrt is correctly rounded (IEEE).
        let want: Vec<f32> = p.iter().map(|v| v.sqrt()).collect();
        assert_same_floats("sqrt f32", &s, &want);
    }
}

pub fn exp_log_sqrt_f16_f64(engine: &Engine) {
    for &n in SIZES {
        let x = uniform(n, -700.0, 700.0, 3);
        let p = positive(n, 4);
        let (mut e, mut l, mut s) = (vec![0.0f64; n], vec![0.0f64; n], vec![0.0f64; n]);
        let args = tr_f64::Args {
            x: &x,
            p: &p,
            e: &mut e,
            l: &mut l,
            s: &mut s,
            n: n as i32,
            BLOCK,
        };
        tr_f64::launch(engine, blocks(n), args).unwrap();
        let want: Vec<f64> = x.iter().map(|v| v.exp()).collect();
        assert_close("exp f64", &e, &want, tol::F64_TRANSCENDENTAL);
        let want: Vec<f64> = p.iter().map(|v| v.ln()).collect();
        assert_close("log f64", &l, &want, tol::F64_TRANSCENDENTAL);
        assert_same_floats(
            "sqrt f64",
            &s,
            &p.iter().map(|v| v.sqrt()).collect::<Vec<_>>(),
        );

        let x: Vec<f16> = uniform(n, -9.0f32, 10.0, 5)
            .into_iter()
            .map(f16::from_f32)
            .collect();
        let p: Vec<f16> = uniform(n, -14.0f32, 15.0, 6)
            .into_iter()
            .map(|e| f16::from_f32(e.exp2()))
            .collect();
        let (mut e, mut l, mut s) = (vec![f16::ZERO; n], vec![f16::ZERO; n], vec![f16::ZERO; n]);
        let args = tr_f16::Args {
            x: &x,
            p: &p,
            e: &mut e,
            l: &mut l,
            s: &mut s,
            n: n as i32,
            BLOCK,
        };
        tr_f16::launch(engine, blocks(n), args).unwrap();
        let want: Vec<f64> = x.iter().map(|v| v.to_f64().exp()).collect();
        assert_close("exp f16", &e, &want, tol::F16_ELEMENTWISE);
        let want: Vec<f64> = p.iter().map(|v| v.to_f64().ln()).collect();
        assert_close("log f16", &l, &want, tol::F16_ELEMENTWISE);
        let want: Vec<f16> = p.iter().map(|v| f16::from_f32(v.to_f32().sqrt())).collect();
        assert_same_floats("sqrt f16", &s, &want);
    }
}

/// `abs` of floats (signed zeros, infinities, NaN) and integers (`MIN`
/// wraps to itself).
#[persim::kernel]
fn abs_k(
    f: *const f32,
    h: *const f16,
    i: *const i32,
    b: *const i8,
    of: *mut f32,
    oh: *mut f16,
    oi: *mut i32,
    ob: *mut i8,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    store(of + offs, abs(load(f + offs, m)), m);
    store(oh + offs, abs(load(h + offs, m)), m);
    store(oi + offs, abs(load(i + offs, m)), m);
    store(ob + offs, abs(load(b + offs, m)), m);
}

pub fn abs(engine: &Engine) {
    for &n in SIZES {
        let mut f = f32s(n, 7);
        for (v, s) in f
            .iter_mut()
            .zip([-0.0, f32::NEG_INFINITY, f32::NAN, -f32::MAX])
        {
            *v = s;
        }
        let h: Vec<f16> = f.iter().map(|&v| f16::from_f32(v)).collect();
        let mut i = uniform(n, i32::MIN, i32::MAX, 8);
        i[0] = i32::MIN;
        let mut b = uniform(n, i8::MIN, i8::MAX, 9);
        b[0] = i8::MIN;
        let (mut of, mut oh, mut oi, mut ob) =
            (vec![0.0; n], vec![f16::ZERO; n], vec![0; n], vec![0; n]);
        let args = abs_k::Args {
            f: &f,
            h: &h,
            i: &i,
            b: &b,
            of: &mut of,
            oh: &mut oh,
            oi: &mut oi,
            ob: &mut ob,
            n: n as i32,
            BLOCK,
        };
        abs_k::launch(engine, blocks(n), args).unwrap();
        assert_same_floats(
            "abs f32",
            &of,
            &f.iter().map(|v| v.abs()).collect::<Vec<_>>(),
        );
        assert_same_floats(
            "abs f16",
            &oh,
            &h.iter()
                .map(|v| f16::from_f32(v.to_f32().abs()))
                .collect::<Vec<_>>(),
        );
        assert_exact(
            "abs i32",
            &oi,
            &i.iter().map(|v| v.wrapping_abs()).collect::<Vec<_>>(),
        );
        assert_exact(
            "abs i8",
            &ob,
            &b.iter().map(|v| v.wrapping_abs()).collect::<Vec<_>>(),
        );
    }
}

/// `maximum`/`minimum` of tiles, and of a tile with a scalar, per type.
macro_rules! minmax_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(a: *const $t, b: *const $t, out: *mut $t, s: $t, n: i32, #[constexpr] BLOCK: i32) {
            let offs = program_id(0) * BLOCK + arange(0, BLOCK);
            let m = offs < n;
            let x = load(a + offs, m);
            let y = load(b + offs, m);
            let o = out + offs * 4;
            store(o, maximum(x, y), m);
            store(o + 1, minimum(x, y), m);
            store(o + 2, maximum(x, s), m);
            store(o + 3, minimum(s, y), m);
        }
    )*};
}

minmax_kernels! { mm_f32: f32; mm_i32: i32; mm_u32: u32; mm_f16: f16; mm_i16: i16; }

/// IEEE 754-2019 `maximum`/`minimum`: NaN wins, `-0.0 < 0.0`.
fn fmax(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        if a.is_sign_positive() {
            a
        } else {
            b
        }
    } else {
        a.max(b)
    }
}

fn fmin(a: f64, b: f64) -> f64 {
    -fmax(-a, -b)
}

macro_rules! check_minmax {
    ($engine:expr, $assert:ident, $k:ident, $x:expr, $y:expr, $s:expr, $fill:expr, $max:expr, $min:expr) => {{
        let (x, y, s) = ($x, $y, $s);
        let n = x.len();
        let mut out = vec![$fill; n * 4];
        let args = $k::Args {
            a: &x,
            b: &y,
            out: &mut out,
            s,
            n: n as i32,
            BLOCK,
        };
        $k::launch($engine, blocks(n), args).unwrap();
        let want: Vec<_> = (0..n)
            .flat_map(|i| {
                [
                    $max(x[i], y[i]),
                    $min(x[i], y[i]),
                    $max(x[i], s),
                    $min(s, y[i]),
                ]
            })
            .collect();
        $assert(&format!("{} n={n}", stringify!($k)), &out, &want);
    }};
}

pub fn maximum_minimum(engine: &Engine) {
    for &n in SIZES {
        check_minmax!(
            engine,
            assert_same_floats,
            mm_f32,
            f32s(n, 10),
            f32s(n, 11),
            0.25f32,
            0.0f32,
            |a: f32, b: f32| fmax(a.into(), b.into()) as f32,
            |a: f32, b: f32| fmin(a.into(), b.into()) as f32
        );
        check_minmax!(
            engine,
            assert_exact,
            mm_i32,
            uniform(n, i32::MIN, i32::MAX, 12),
            uniform(n, i32::MIN, i32::MAX, 13),
            -5i32,
            0i32,
            i32::max,
            i32::min
        );
        check_minmax!(
            engine,
            assert_exact,
            mm_u32,
            uniform(n, 0, u32::MAX, 14),
            uniform(n, 0, u32::MAX, 15),
            1u32 << 31,
            0u32,
            u32::max,
            u32::min
        );
        check_minmax!(
            engine,
            assert_exact,
            mm_i16,
            uniform(n, i16::MIN, i16::MAX, 16),
            uniform(n, i16::MIN, i16::MAX, 17),
            7i16,
            0i16,
            i16::max,
            i16::min
        );
        let h = |seed| -> Vec<f16> { f32s(n, seed).into_iter().map(f16::from_f32).collect() };
        check_minmax!(
            engine,
            assert_same_floats,
            mm_f16,
            h(18),
            h(19),
            f16::from_f32(-0.5),
            f16::ZERO,
            |a: f16, b: f16| f16::from_f64(fmax(a.into(), b.into())),
            |a: f16, b: f16| f16::from_f64(fmin(a.into(), b.into()))
        );
    }
}

pub fn maximum_minimum_nan_and_zero(engine: &Engine) {
    let specials = [f32::NAN, -0.0, 0.0, f32::INFINITY, f32::NEG_INFINITY, 1.0];
    let mut x = Vec::new();
    let mut y = Vec::new();
    for &a in &specials {
        for &b in &specials {
            x.push(a);
            y.push(b);
        }
    }
    for s in [f32::NAN, -0.0, 0.0] {
        check_minmax!(
            engine,
            assert_same_floats,
            mm_f32,
            x.clone(),
            y.clone(),
            s,
            0.0f32,
            |a: f32, b: f32| fmax(a.into(), b.into()) as f32,
            |a: f32, b: f32| fmin(a.into(), b.into()) as f32
        );
    }
}

/// `where_` with tile and scalar arms, a broadcast condition, literal arms,
/// and pointer arms (choosing which argument to load from).
#[persim::kernel]
fn select(
    c: *const bool,
    x: *const f32,
    y: *const f32,
    out: *mut f32,
    ints: *mut i32,
    grid: *mut f32,
    s: f32,
    n: i32,
    #[constexpr] BLOCK: i32,
    #[constexpr] C: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let cond = load(c + offs, m, false);
    let xv = load(x + offs, m);
    let yv = load(y + offs, m);
    let o = out + offs * 4;
    store(o, where_(cond, xv, yv), m);
    store(o + 1, where_(cond, s, yv), m);
    store(o + 2, where_(cond, xv, 2.5), m);
    store(o + 3, load(where_(cond, x + offs, y + offs), m), m);
    store(ints + offs, where_(cond, offs, -1), m);
    // Broadcast: a [BLOCK, 1] condition with [1, C] and scalar arms.
    let cols = arange(0, C).expand_dims(0);
    let picked = where_(cond.expand_dims(1), cols.to::<f32>(), s);
    store(
        grid + offs.expand_dims(1) * C + cols,
        picked,
        m.expand_dims(1),
    );
}

pub fn where_select(engine: &Engine) {
    let cols = 5usize;
    for &n in SIZES {
        let c = bools(n, 20);
        let (x, y) = (f32s(n, 21), f32s(n, 22));
        let s = -7.5f32;
        let (mut out, mut ints, mut grid) = (vec![0.0; n * 4], vec![0; n], vec![0.0; n * cols]);
        let args = select::Args {
            c: &c,
            x: &x,
            y: &y,
            out: &mut out,
            ints: &mut ints,
            grid: &mut grid,
            s,
            n: n as i32,
            BLOCK,
            C: cols as i32,
        };
        select::launch(engine, blocks(n), args).unwrap();
        let pick = |i: usize, a: f32, b: f32| if c[i] { a } else { b };
        let want: Vec<f32> = (0..n)
            .flat_map(|i| {
                [
                    pick(i, x[i], y[i]),
                    pick(i, s, y[i]),
                    pick(i, x[i], 2.5),
                    pick(i, x[i], y[i]),
                ]
            })
            .collect();
        assert_same_floats("where_ f32", &out, &want);
        let want: Vec<i32> = (0..n).map(|i| if c[i] { i as i32 } else { -1 }).collect();
        assert_exact("where_ i32 with literal", &ints, &want);
        let want: Vec<f32> = (0..n * cols)
            .map(|k| pick(k / cols, (k % cols) as f32, s))
            .collect();
        assert_same_floats("where_ broadcast", &grid, &want);
    }
}

/// `cdiv` of scalars and of tiles.
#[persim::kernel]
fn cdiv_k(a: *const i32, out: *mut i32, scalar: *mut i32, b: i32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    store(out + offs, cdiv(load(a + offs, m), b), m);
    store(scalar + program_id(0), cdiv(n, b));
}

pub fn cdiv(engine: &Engine) {
    for &n in SIZES {
        let a = uniform(n, 0, 1 << 20, 23);
        for b in [1, 7, 256, 1 << 21] {
            let grid = blocks(n);
            let (mut out, mut scalar) = (vec![0; n], vec![0; grid as usize]);
            let args = cdiv_k::Args {
                a: &a,
                out: &mut out,
                scalar: &mut scalar,
                b,
                n: n as i32,
                BLOCK,
            };
            cdiv_k::launch(engine, grid, args).unwrap();
            assert_exact(
                "cdiv tile",
                &out,
                &a.iter().map(|v| (v + b - 1) / b).collect::<Vec<_>>(),
            );
            assert_exact(
                "cdiv scalar",
                &scalar,
                &vec![(n as i32 + b - 1) / b; grid as usize],
            );
        }
    }
}
