//! Conversions (`cast::<T>(x)`, `x.to::<T>()`, `x as T`) between every
//! family of types. Semantics (the op table's): float to float and integer
//! to float round to nearest-even once; float to integer truncates toward
//! zero, saturates, and maps NaN to 0 (as Rust's `as`); integer to integer
//! wraps (two's complement, as Rust's `as`); to `bool` is `!= 0`.

use persim::{bf16, f16, Engine};

use crate::support::{
    assert_exact, assert_same_floats, blocks, bools, f32s, uniform, BLOCK, SIZES,
};

/// `out[i] = x[i].to::<To>()`, masked.
macro_rules! cast_kernels {
    ($($name:ident: $from:ident => $to:ident;)*) => {$(
        #[persim::kernel]
        fn $name(x: *const $from, out: *mut $to, n: i32, #[constexpr] BLOCK: i32) {
            let offs = program_id(0) * BLOCK + arange(0, BLOCK);
            let m = offs < n;
            store(out + offs, load(x + offs, m).to::<$to>(), m);
        }
    )*};
}

cast_kernels! {
    f32_f16: f32 => f16; f32_bf16: f32 => bf16; f32_f64: f32 => f64; f16_f32: f16 => f32;
    bf16_f32: bf16 => f32; f64_f32: f64 => f32; f16_bf16: f16 => bf16; f64_f16: f64 => f16;
    i32_f32: i32 => f32; u32_f32: u32 => f32; i64_f64: i64 => f64; u64_f32: u64 => f32;
    i32_f16: i32 => f16; u8_bf16: u8 => bf16; i8_f64: i8 => f64;
    f32_i32: f32 => i32; f32_u8: f32 => u8; f64_i64: f64 => i64; f16_i16: f16 => i16;
    f32_u64: f32 => u64; f64_u32: f64 => u32; bf16_i8: bf16 => i8;
    i32_i8: i32 => i8; i8_i32: i8 => i32; u8_i32: u8 => i32; i64_i32: i64 => i32;
    i32_u64: i32 => u64; u32_i16: u32 => i16; u64_i8: u64 => i8; i16_u16: i16 => u16;
    i32_bool: i32 => bool; f32_bool: f32 => bool; bool_i32: bool => i32; bool_f32: bool => f32;
    bool_f16: bool => f16; u8_bool: u8 => bool;
}

/// Launch cast kernel `$k` on `$x`, compare with `$f` applied elementwise
/// using `$assert`.
macro_rules! check_cast {
    ($engine:expr, $assert:ident, $k:ident, $x:expr, $fill:expr, $f:expr) => {{
        let x = $x;
        let n = x.len();
        let mut out = vec![$fill; n];
        $k::launch(
            $engine,
            blocks(n),
            $k::Args {
                x: &x,
                out: &mut out,
                n: n as i32,
                BLOCK,
            },
        )
        .unwrap();
        let want: Vec<_> = x.iter().map(|&v| $f(v)).collect();
        $assert(&format!("{} n={n}", stringify!($k)), &out, &want);
    }};
}

/// Floats across the exponent range, with the values conversions get wrong:
/// infinities, NaN, signed zeros, f16 overflow and subnormals, and
/// round-to-nearest-even ties of f16 and bf16.
fn awkward_f32(n: usize, seed: u64) -> Vec<f32> {
    let exps = uniform(n, -30, 30, seed);
    let mut x: Vec<f32> = f32s(n, seed + 1)
        .iter()
        .zip(&exps)
        .map(|(&m, &e)| m * (2.0f32).powi(e))
        .collect();
    let special = [
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -0.0,
        70000.0,
        65519.0,
        1e-6,
        -3e-8,
        1.0 + 2f32.powi(-11),
        1.0 + 3.0 * 2f32.powi(-11),
        1.0 + 2f32.powi(-8),
        3e9,
        -3e9,
        255.9,
        -1.5,
    ];
    for (v, s) in x.iter_mut().zip(special) {
        *v = s;
    }
    x
}

pub fn float_to_float(engine: &Engine) {
    for &n in SIZES {
        let x = awkward_f32(n, 1);
        check_cast!(
            engine,
            assert_same_floats,
            f32_f16,
            x.clone(),
            f16::ZERO,
            f16::from_f32
        );
        check_cast!(
            engine,
            assert_same_floats,
            f32_bf16,
            x.clone(),
            bf16::ZERO,
            bf16::from_f32
        );
        check_cast!(
            engine,
            assert_same_floats,
            f32_f64,
            x.clone(),
            0.0f64,
            f64::from
        );
        let h: Vec<f16> = x.iter().map(|&v| f16::from_f32(v)).collect();
        check_cast!(
            engine,
            assert_same_floats,
            f16_f32,
            h.clone(),
            0.0f32,
            f32::from
        );
        check_cast!(
            engine,
            assert_same_floats,
            f16_bf16,
            h,
            bf16::ZERO,
            |v: f16| bf16::from_f32(v.to_f32())
        );
        let b: Vec<bf16> = x.iter().map(|&v| bf16::from_f32(v)).collect();
        check_cast!(engine, assert_same_floats, bf16_f32, b, 0.0f32, f32::from);
        // Wider than f32 in range and precision; the f16 case uses values f32 holds exactly,
        // so `f16::from_f32` is a correct reference for the single rounding.
        let d: Vec<f64> = uniform(n, -1e300, 1e300, 2);
        check_cast!(engine, assert_same_floats, f64_f32, d, 0.0f32, |v: f64| v
            as f32);
        let d: Vec<f64> = x.iter().map(|&v| v as f64).collect();
        check_cast!(
            engine,
            assert_same_floats,
            f64_f16,
            d,
            f16::ZERO,
            |v: f64| f16::from_f32(v as f32)
        );
    }
}

pub fn int_to_float(engine: &Engine) {
    for &n in SIZES {
        check_cast!(
            engine,
            assert_same_floats,
            i32_f32,
            uniform(n, i32::MIN, i32::MAX, 3),
            0.0f32,
            |v| v as f32
        );
        check_cast!(
            engine,
            assert_same_floats,
            u32_f32,
            uniform(n, 0, u32::MAX, 4),
            0.0f32,
            |v| v as f32
        );
        check_cast!(
            engine,
            assert_same_floats,
            i64_f64,
            uniform(n, i64::MIN, i64::MAX, 5),
            0.0f64,
            |v| v as f64
        );
        check_cast!(
            engine,
            assert_same_floats,
            u64_f32,
            uniform(n, 0, u64::MAX, 6),
            0.0f32,
            |v| v as f32
        );
        // Exact in f32 (below 2^24), so one rounding to f16; beyond 65520 it overflows to inf.
        let ints = uniform(n, -(1 << 24), 1 << 24, 7);
        check_cast!(
            engine,
            assert_same_floats,
            i32_f16,
            ints,
            f16::ZERO,
            |v: i32| f16::from_f32(v as f32)
        );
        check_cast!(
            engine,
            assert_same_floats,
            u8_bf16,
            uniform(n, 0, u8::MAX, 8),
            bf16::ZERO,
            |v: u8| bf16::from_f32(v as f32)
        );
        check_cast!(
            engine,
            assert_same_floats,
            i8_f64,
            uniform(n, i8::MIN, i8::MAX, 9),
            0.0f64,
            |v| v as f64
        );
    }
}

pub fn float_to_int(engine: &Engine) {
    for &n in SIZES {
        let x = awkward_f32(n, 10);
        let big: Vec<f32> = x.iter().map(|v| v * 1e9).collect();
        check_cast!(
            engine,
            assert_exact,
            f32_i32,
            big.clone(),
            0i32,
            |v: f32| v as i32
        );
        check_cast!(
            engine,
            assert_exact,
            f32_u8,
            x.iter().map(|v| v * 300.0).collect::<Vec<_>>(),
            0u8,
            |v: f32| v as u8
        );
        check_cast!(engine, assert_exact, f32_u64, big, 0u64, |v: f32| v as u64);
        let d: Vec<f64> = x.iter().map(|&v| v as f64 * 1e12).collect();
        check_cast!(engine, assert_exact, f64_i64, d.clone(), 0i64, |v: f64| v
            as i64);
        check_cast!(engine, assert_exact, f64_u32, d, 0u32, |v: f64| v as u32);
        let h: Vec<f16> = x.iter().map(|&v| f16::from_f32(v * 1e5)).collect();
        check_cast!(engine, assert_exact, f16_i16, h, 0i16, |v: f16| v.to_f32()
            as i16);
        let b: Vec<bf16> = x.iter().map(|&v| bf16::from_f32(v * 300.0)).collect();
        check_cast!(engine, assert_exact, bf16_i8, b, 0i8, |v: bf16| v.to_f32()
            as i8);
    }
}

pub fn int_to_int(engine: &Engine) {
    for &n in SIZES {
        check_cast!(
            engine,
            assert_exact,
            i32_i8,
            uniform(n, i32::MIN, i32::MAX, 11),
            0i8,
            |v| v as i8
        );
        check_cast!(
            engine,
            assert_exact,
            i8_i32,
            uniform(n, i8::MIN, i8::MAX, 12),
            0i32,
            |v| v as i32
        );
        check_cast!(
            engine,
            assert_exact,
            u8_i32,
            uniform(n, 0, u8::MAX, 13),
            0i32,
            |v| v as i32
        );
        check_cast!(
            engine,
            assert_exact,
            i64_i32,
            uniform(n, i64::MIN, i64::MAX, 14),
            0i32,
            |v| v as i32
        );
        check_cast!(
            engine,
            assert_exact,
            i32_u64,
            uniform(n, i32::MIN, i32::MAX, 15),
            0u64,
            |v| v as u64
        );
        check_cast!(
            engine,
            assert_exact,
            u32_i16,
            uniform(n, 0, u32::MAX, 16),
            0i16,
            |v| v as i16
        );
        check_cast!(
            engine,
            assert_exact,
            u64_i8,
            uniform(n, 0, u64::MAX, 17),
            0i8,
            |v| v as i8
        );
        check_cast!(
            engine,
            assert_exact,
            i16_u16,
            uniform(n, i16::MIN, i16::MAX, 18),
            0u16,
            |v| v as u16
        );
    }
}

pub fn to_bool(engine: &Engine) {
    for &n in SIZES {
        let mut ints = uniform(n, -3, 3, 19);
        ints[0] = 0;
        check_cast!(engine, assert_exact, i32_bool, ints, false, |v: i32| v != 0);
        // NaN is not zero, -0.0 is.
        let x = awkward_f32(n, 20);
        check_cast!(engine, assert_exact, f32_bool, x, false, |v: f32| v != 0.0);
        check_cast!(
            engine,
            assert_exact,
            u8_bool,
            uniform(n, 0, 3, 21),
            false,
            |v: u8| v != 0
        );
        let k = bools(n, 22);
        check_cast!(
            engine,
            assert_exact,
            bool_i32,
            k.clone(),
            0i32,
            |v: bool| v as i32
        );
        check_cast!(
            engine,
            assert_same_floats,
            bool_f32,
            k.clone(),
            0.0f32,
            |v: bool| v as i32 as f32
        );
        check_cast!(
            engine,
            assert_same_floats,
            bool_f16,
            k,
            f16::ZERO,
            |v: bool| f16::from_f32(v as i32 as f32)
        );
    }
}

/// The three spellings of a conversion build the same thing.
#[persim::kernel]
fn spellings(
    x: *const f32,
    a: *mut i16,
    b: *mut i16,
    c: *mut i16,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let v = load(x + offs, m) * 1000.0;
    store(a + offs, cast::<i16>(v), m);
    store(b + offs, v.to::<i16>(), m);
    store(c + offs, v as i16, m);
}

pub fn three_spellings(engine: &Engine) {
    for &n in SIZES {
        let x = awkward_f32(n, 23);
        let (mut a, mut b, mut c) = (vec![0i16; n], vec![0i16; n], vec![0i16; n]);
        let args = spellings::Args {
            x: &x,
            a: &mut a,
            b: &mut b,
            c: &mut c,
            n: n as i32,
            BLOCK,
        };
        spellings::launch(engine, blocks(n), args).unwrap();
        let want: Vec<i16> = x.iter().map(|v| (v * 1000.0) as i16).collect();
        assert_exact("cast::<i16>", &a, &want);
        assert_exact(".to::<i16>()", &b, &want);
        assert_exact("as i16", &c, &want);
    }
}
