//! Rust operators on tiles and scalars: arithmetic (floats of every width,
//! signed and unsigned integers of every width, wrapping, C division),
//! bitwise operators and shifts, comparisons, logical and unary operators,
//! and NumPy broadcasting.

use persim::{bf16, f16, Engine};

use crate::support::{
    assert_exact, assert_same_floats, blocks, bools, f32s, uniform, BLOCK, SIZES,
};

/// Eight results per element: `x+y x-y x*y x/y x%y x*s-s s/x -x`, mixing
/// tile-tile, tile-scalar and scalar-tile operands.
macro_rules! float_arith_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(a: *const $t, b: *const $t, out: *mut $t, s: $t, n: i32, #[constexpr] BLOCK: i32) {
            let offs = program_id(0) * BLOCK + arange(0, BLOCK);
            let m = offs < n;
            let x = load(a + offs, m);
            let y = load(b + offs, m);
            let o = out + offs * 8;
            store(o, x + y, m);
            store(o + 1, x - y, m);
            store(o + 2, x * y, m);
            store(o + 3, x / y, m);
            store(o + 4, x % y, m);
            store(o + 5, x * s - s, m);
            store(o + 6, s / x, m);
            store(o + 7, -x, m);
        }
    )*};
}

float_arith_kernels! {
    arith_f32_k: f32; arith_f64_k: f64; arith_f16_k: f16; arith_bf16_k: bf16;
}

/// The eight results of the float kernels in `T`, each op rounded once
/// (narrow types through f32, where double rounding is innocuous for `+ - *
/// / %`).
fn float_reference<T: Copy>(
    x: &[T],
    y: &[T],
    s: T,
    widen: impl Fn(T) -> f64,
    round: impl Fn(f64) -> T,
) -> Vec<T> {
    let op = |a: T, b: T, f: fn(f64, f64) -> f64| round(f(widen(a), widen(b)));
    let mut want = Vec::with_capacity(x.len() * 8);
    for (&a, &b) in x.iter().zip(y) {
        want.extend([
            op(a, b, |p, q| p + q),
            op(a, b, |p, q| p - q),
            op(a, b, |p, q| p * q),
            op(a, b, |p, q| p / q),
            op(a, b, |p, q| p % q),
            op(op(a, s, |p, q| p * q), s, |p, q| p - q),
            op(s, a, |p, q| p / q),
            op(a, a, |p, _| -p),
        ]);
    }
    want
}

/// Launches float kernel `$k` on `$x`, `$y`, `$s` and compares with
/// [`float_reference`] bit for bit.
macro_rules! check_float_arith {
    ($engine:expr, $k:ident, $x:expr, $y:expr, $s:expr, $zero:expr, $widen:expr, $round:expr) => {{
        let (x, y, s) = ($x, $y, $s);
        let n = x.len();
        let mut out = vec![$zero; n * 8];
        let args = $k::Args {
            a: &x,
            b: &y,
            out: &mut out,
            s,
            n: n as i32,
            BLOCK,
        };
        $k::launch($engine, blocks(n), args).unwrap();
        let want = float_reference(&x, &y, s, $widen, $round);
        assert_same_floats(&format!("{} n={n}", stringify!($k)), &out, &want);
    }};
}

pub fn arith_f32(engine: &Engine) {
    for &n in SIZES {
        let x: Vec<f32> = f32s(n, 10).iter().map(|v| v * 100.0).collect();
        let y = f32s(n, 11);
        check_float_arith!(engine, arith_f32_k, x, y, 0.3f32, 0.0f32, f64::from, |v| v
            as f32);
    }
}

pub fn arith_f64_and_f16(engine: &Engine) {
    for &n in SIZES {
        let x = uniform(n, -1e3, 1e3, 12);
        let y = uniform(n, -1.0, 1.0, 13);
        check_float_arith!(engine, arith_f64_k, x, y, 0.3f64, 0.0f64, |v| v, |v| v);
        let h = |seed, scale: f32| -> Vec<f16> {
            f32s(n, seed)
                .iter()
                .map(|&v| f16::from_f32(v * scale))
                .collect()
        };
        let (x, y) = (h(14, 60.0), h(15, 1.0));
        let round_h = |v: f64| f16::from_f32(v as f32);
        let s = f16::from_f32(0.3);
        check_float_arith!(engine, arith_f16_k, x, y, s, f16::ZERO, f64::from, round_h);
        let b = |seed, scale: f32| -> Vec<bf16> {
            f32s(n, seed)
                .iter()
                .map(|&v| bf16::from_f32(v * scale))
                .collect()
        };
        let (x, y) = (b(16, 1e4), b(17, 1.0));
        let round_b = |v: f64| bf16::from_f32(v as f32);
        let s = bf16::from_f32(0.3);
        check_float_arith!(
            engine,
            arith_bf16_k,
            x,
            y,
            s,
            bf16::ZERO,
            f64::from,
            round_b
        );
    }
}

/// Integer arithmetic: `x+y x-y x*y x/y x%y`, `maximum`, `minimum`, `-x`
/// (wrapping, `/` and `%` truncate toward zero as in C and Rust).
macro_rules! int_arith_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(a: *const $t, b: *const $t, out: *mut $t, n: i32, #[constexpr] BLOCK: i32) {
            let offs = program_id(0) * BLOCK + arange(0, BLOCK);
            let m = offs < n;
            let x = load(a + offs, m);
            let y = load(b + offs, m);
            let o = out + offs * 7;
            store(o, x + y, m);
            store(o + 1, x - y, m);
            store(o + 2, x * y, m);
            store(o + 3, x / y, m);
            store(o + 4, x % y, m);
            store(o + 5, maximum(x, y), m);
            store(o + 6, minimum(x, y), m);
        }
    )*};
}

int_arith_kernels! {
    arith_i8_k: i8; arith_i16_k: i16; arith_i32_k: i32; arith_i64_k: i64;
    arith_u8_k: u8; arith_u16_k: u16; arith_u32_k: u32; arith_u64_k: u64;
}

/// Launches integer kernel `$k` on random `$t` data; divisors include zero
/// (whose quotient and remainder are unspecified but must not trap, so they
/// are not compared) and, for signed types, `MIN / -1` (which wraps).
macro_rules! check_int_arith {
    ($engine:expr, $k:ident, $t:ty, $seed:expr) => {{
        for &n in SIZES {
            let mut x = uniform(n, <$t>::MIN, <$t>::MAX, $seed);
            let mut y = uniform(n, <$t>::MIN, <$t>::MAX, $seed + 1);
            // Small divisors too, so quotients are not all 0 or -1.
            for (i, v) in y.iter_mut().enumerate().filter(|(i, _)| i % 3 == 0) {
                *v = (i % 9) as $t;
            }
            if n > 1 {
                x[0] = <$t>::MIN;
                y[0] = (0 as $t).wrapping_sub(1);
            }
            let mut out = vec![0 as $t; n * 7];
            let args = $k::Args {
                a: &x,
                b: &y,
                out: &mut out,
                n: n as i32,
                BLOCK,
            };
            $k::launch($engine, blocks(n), args).unwrap();
            let mut want = Vec::with_capacity(n * 7);
            for (i, (&a, &b)) in x.iter().zip(&y).enumerate() {
                let (q, r) = if b == 0 {
                    // Unspecified: take the kernel's value.
                    (out[i * 7 + 3], out[i * 7 + 4])
                } else {
                    (a.wrapping_div(b), a.wrapping_rem(b))
                };
                want.extend([
                    a.wrapping_add(b),
                    a.wrapping_sub(b),
                    a.wrapping_mul(b),
                    q,
                    r,
                    a.max(b),
                    a.min(b),
                ]);
            }
            assert_exact(&format!("{} n={n}", stringify!($k)), &out, &want);
        }
    }};
}

pub fn arith_signed_ints(engine: &Engine) {
    check_int_arith!(engine, arith_i8_k, i8, 20);
    check_int_arith!(engine, arith_i16_k, i16, 22);
    check_int_arith!(engine, arith_i32_k, i32, 24);
    check_int_arith!(engine, arith_i64_k, i64, 26);
}

pub fn arith_unsigned_ints(engine: &Engine) {
    check_int_arith!(engine, arith_u8_k, u8, 30);
    check_int_arith!(engine, arith_u16_k, u16, 32);
    check_int_arith!(engine, arith_u32_k, u32, 34);
    check_int_arith!(engine, arith_u64_k, u64, 36);
}

/// `& | ^ << >> !`; shift amounts cover `0..2*bits` (the amount is taken
/// modulo the width; `>>` is arithmetic on signed types, logical on
/// unsigned).
macro_rules! bitwise_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(a: *const $t, b: *const $t, sh: *const $t, out: *mut $t, n: i32, #[constexpr] BLOCK: i32) {
            let offs = program_id(0) * BLOCK + arange(0, BLOCK);
            let m = offs < n;
            let x = load(a + offs, m);
            let y = load(b + offs, m);
            let s = load(sh + offs, m);
            let o = out + offs * 6;
            store(o, x & y, m);
            store(o + 1, x | y, m);
            store(o + 2, x ^ y, m);
            store(o + 3, x << s, m);
            store(o + 4, x >> s, m);
            store(o + 5, !x, m);
        }
    )*};
}

bitwise_kernels! { bits_i8_k: i8; bits_i32_k: i32; bits_u32_k: u32; bits_u64_k: u64; bits_i64_k: i64; }

macro_rules! check_bitwise {
    ($engine:expr, $k:ident, $t:ty, $seed:expr) => {{
        for &n in SIZES {
            let x = uniform(n, <$t>::MIN, <$t>::MAX, $seed);
            let y = uniform(n, <$t>::MIN, <$t>::MAX, $seed + 1);
            let bits = <$t>::BITS as $t;
            let s = uniform(n, 0 as $t, 2 * bits, $seed + 2);
            let mut out = vec![0 as $t; n * 6];
            let args = $k::Args {
                a: &x,
                b: &y,
                sh: &s,
                out: &mut out,
                n: n as i32,
                BLOCK,
            };
            $k::launch($engine, blocks(n), args).unwrap();
            let mut want = Vec::with_capacity(n * 6);
            for i in 0..n {
                let (a, b, k) = (x[i], y[i], s[i] as u32);
                want.extend([
                    a & b,
                    a | b,
                    a ^ b,
                    a.wrapping_shl(k),
                    a.wrapping_shr(k),
                    !a,
                ]);
            }
            assert_exact(&format!("{} n={n}", stringify!($k)), &out, &want);
        }
    }};
}

pub fn bitwise_and_shifts(engine: &Engine) {
    check_bitwise!(engine, bits_i8_k, i8, 40);
    check_bitwise!(engine, bits_i32_k, i32, 43);
    check_bitwise!(engine, bits_u32_k, u32, 46);
    check_bitwise!(engine, bits_u64_k, u64, 49);
    check_bitwise!(engine, bits_i64_k, i64, 52);
}

/// The six comparisons, into `bool` outputs.
macro_rules! compare_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(a: *const $t, b: *const $t, out: *mut bool, n: i32, #[constexpr] BLOCK: i32) {
            let offs = program_id(0) * BLOCK + arange(0, BLOCK);
            let m = offs < n;
            let x = load(a + offs, m);
            let y = load(b + offs, m);
            let o = out + offs * 6;
            store(o, x == y, m);
            store(o + 1, x != y, m);
            store(o + 2, x < y, m);
            store(o + 3, x <= y, m);
            store(o + 4, x > y, m);
            store(o + 5, x >= y, m);
        }
    )*};
}

compare_kernels! { cmp_f32_k: f32; cmp_i32_k: i32; cmp_u32_k: u32; cmp_i8_k: i8; cmp_f16_k: f16; }

macro_rules! check_compare {
    ($engine:expr, $k:ident, $x:expr, $y:expr) => {{
        let (x, mut y) = ($x, $y);
        let n = x.len();
        // Every fourth pair equal, so `<=` and `<` differ somewhere.
        for i in (0..n).step_by(4) {
            y[i] = x[i];
        }
        let mut out = vec![false; n * 6];
        let args = $k::Args {
            a: &x,
            b: &y,
            out: &mut out,
            n: n as i32,
            BLOCK,
        };
        $k::launch($engine, blocks(n), args).unwrap();
        let want: Vec<bool> = x
            .iter()
            .zip(&y)
            .flat_map(|(a, b)| [a == b, a != b, a < b, a <= b, a > b, a >= b])
            .collect();
        assert_exact(&format!("{} n={n}", stringify!($k)), &out, &want);
    }};
}

pub fn comparisons(engine: &Engine) {
    for &n in SIZES {
        let mut x = f32s(n, 60);
        // NaN compares unordered; -0.0 equals 0.0.
        if n >= 7 {
            x[1] = f32::NAN;
            x[2] = -0.0;
            x[3] = 0.0;
        }
        let mut y = f32s(n, 61);
        if n >= 7 {
            y[2] = 0.0;
            y[3] = -0.0;
            y[5] = f32::NAN;
        }
        check_compare!(engine, cmp_f32_k, x, y);
        check_compare!(
            engine,
            cmp_i32_k,
            uniform(n, i32::MIN, i32::MAX, 62),
            uniform(n, i32::MIN, i32::MAX, 63)
        );
        // Above 2^31, where a signed comparison would get it wrong.
        check_compare!(
            engine,
            cmp_u32_k,
            uniform(n, 0, u32::MAX, 64),
            uniform(n, 0, u32::MAX, 65)
        );
        check_compare!(
            engine,
            cmp_i8_k,
            uniform(n, i8::MIN, i8::MAX, 66),
            uniform(n, i8::MIN, i8::MAX, 67)
        );
        let h = |seed| -> Vec<f16> { f32s(n, seed).iter().map(|&v| f16::from_f32(v)).collect() };
        check_compare!(engine, cmp_f16_k, h(68), h(69));
    }
}

/// `&& || !` and `& | ^` on masks; unary `-` on signed integers (wrapping)
/// and floats, `!` on unsigned integers.
#[persim::kernel]
fn logic(
    a: *const bool,
    b: *const bool,
    i: *const i32,
    u: *const u8,
    f: *const f32,
    out: *mut bool,
    neg_i: *mut i32,
    not_u: *mut u8,
    neg_f: *mut f32,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let x = load(a + offs, m);
    let y = load(b + offs, m);
    let o = out + offs * 6;
    store(o, x && y, m);
    store(o + 1, x || y, m);
    store(o + 2, !x, m);
    store(o + 3, x & !y, m);
    store(o + 4, x | y, m);
    store(o + 5, x ^ y, m);
    store(neg_i + offs, -load(i + offs, m), m);
    store(not_u + offs, !load(u + offs, m), m);
    store(neg_f + offs, -load(f + offs, m), m);
}

pub fn logical_and_unary(engine: &Engine) {
    for &n in SIZES {
        let (a, b) = (bools(n, 70), bools(n, 71));
        let mut i = uniform(n, i32::MIN, i32::MAX, 72);
        i[0] = i32::MIN;
        let u = uniform(n, 0, u8::MAX, 73);
        let mut f = f32s(n, 74);
        f[0] = 0.0;
        let mut out = vec![false; n * 6];
        let (mut neg_i, mut not_u, mut neg_f) = (vec![0; n], vec![0; n], vec![0.0; n]);
        let args = logic::Args {
            a: &a,
            b: &b,
            i: &i,
            u: &u,
            f: &f,
            out: &mut out,
            neg_i: &mut neg_i,
            not_u: &mut not_u,
            neg_f: &mut neg_f,
            n: n as i32,
            BLOCK,
        };
        logic::launch(engine, blocks(n), args).unwrap();
        let want: Vec<bool> = a
            .iter()
            .zip(&b)
            .flat_map(|(&x, &y)| [x && y, x || y, !x, x & !y, x | y, x ^ y])
            .collect();
        assert_exact(&format!("logic n={n}"), &out, &want);
        let want_i: Vec<i32> = i.iter().map(|v| v.wrapping_neg()).collect();
        assert_exact("-i32", &neg_i, &want_i);
        assert_exact("!u8", &not_u, &u.iter().map(|v| !v).collect::<Vec<_>>());
        assert_same_floats("-f32", &neg_f, &f.iter().map(|v| -v).collect::<Vec<_>>());
    }
}

/// NumPy broadcasting: `[R,1] op [1,C]`, scalar with tile, `[1,C]` with
/// `[R,C]`, and a rank-3 `[A,1,C] + [B,1]`.
#[persim::kernel]
fn broadcast_ops(
    col: *const i32,
    row: *const i32,
    cube: *const i32,
    out2: *mut i32,
    out3: *mut i32,
    s: i32,
    #[constexpr] R: i32,
    #[constexpr] C: i32,
    #[constexpr] A: i32,
) {
    let r = arange(0, R).expand_dims(1);
    let c = arange(0, C).expand_dims(0);
    let x = load(col + r);
    let y = load(row + c);
    let grid = load(col + r) * C + c;
    let v = x * 1000 + y - s + grid * y;
    store(out2 + r * C + c, v);
    let a = arange(0, A).expand_dims(1).expand_dims(2);
    let cc = arange(0, C).expand_dims(0).expand_dims(0);
    let z = load(cube + a * C + cc);
    let w = z + (x - s);
    store(out3 + (a * R + r.expand_dims(0)) * C + cc, w);
}

pub fn broadcasting(engine: &Engine) {
    for (r, c, a) in [(1usize, 1usize, 1usize), (7, 13, 3), (5, 1025, 2)] {
        let col = uniform(r, -50, 50, 80);
        let row = uniform(c, -50, 50, 81);
        let cube = uniform(a * c, -50, 50, 82);
        let s = 17;
        let (mut out2, mut out3) = (vec![0; r * c], vec![0; a * r * c]);
        let args = broadcast_ops::Args {
            col: &col,
            row: &row,
            cube: &cube,
            out2: &mut out2,
            out3: &mut out3,
            s,
            R: r as i32,
            C: c as i32,
            A: a as i32,
        };
        broadcast_ops::launch(engine, 1u32, args).unwrap();
        let mut want2 = vec![0; r * c];
        let mut want3 = vec![0; a * r * c];
        for i in 0..r {
            for j in 0..c {
                let grid = col[i] * c as i32 + j as i32;
                want2[i * c + j] = col[i] * 1000 + row[j] - s + grid * row[j];
                for k in 0..a {
                    want3[(k * r + i) * c + j] = cube[k * c + j] + (col[i] - s);
                }
            }
        }
        assert_exact(&format!("rank 2, {r}x{c}"), &out2, &want2);
        assert_exact(&format!("rank 3, {a}x{r}x{c}"), &out3, &want3);
    }
}
