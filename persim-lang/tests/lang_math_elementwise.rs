//! The elementwise math ops (`exp2 log2 rsqrt erf sin cos floor ceil fma
//! umulhi`) and the hints `multiple_of`/`max_contiguous`: interpreted
//! before and after lowering (L = 1, 4, 16, every reuse variant) at awkward
//! sizes, on random data mixed with special values, and checked against
//! plain Rust.

mod lower_util;

use half::{bf16, f16};
use lower_util::*;
use persim_lang::interp::{run_grid, InterpArg, InterpErrorKind};
use persim_lang::ir::{Attr, Attrs, Dtype, Function, Opcode};

const UNARY: [Opcode; 8] = [
    Opcode::Exp2,
    Opcode::Log2,
    Opcode::Rsqrt,
    Opcode::Erf,
    Opcode::Sin,
    Opcode::Cos,
    Opcode::Floor,
    Opcode::Ceil,
];

/// Values every float test sees: signed zeros, infinities, NaN, halves,
/// integers, subnormals and large magnitudes.
const SPECIAL: [f64; 20] = [
    0.0,
    -0.0,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    1.0,
    -1.0,
    0.5,
    -0.5,
    1.5,
    -2.5,
    2.5,
    1e-40,
    -1e-42,
    3.0e38,
    -1e10,
    100.0,
    -100.0,
    88.5,
    std::f64::consts::PI,
];

/// `n` floats: the specials first, then random values in `[-scale, scale)`.
fn floats(rng: &mut Rng, n: usize, scale: f64) -> Vec<f64> {
    (0..n)
        .map(|i| match SPECIAL.get(i) {
            Some(&x) => x,
            None => f64::from(rng.f32()) * scale,
        })
        .collect()
}

/// Memory holding `xs` converted to float type `d`.
fn mem(d: Dtype, xs: &[f64]) -> InterpArg {
    match d {
        Dtype::F16 => InterpArg::slice(&xs.iter().map(|&x| f16::from_f64(x)).collect::<Vec<_>>()),
        Dtype::BF16 => InterpArg::slice(&xs.iter().map(|&x| bf16::from_f64(x)).collect::<Vec<_>>()),
        Dtype::F32 => InterpArg::slice(&xs.iter().map(|&x| x as f32).collect::<Vec<_>>()),
        Dtype::F64 => InterpArg::slice(xs),
        d => panic!("not a float type: {d}"),
    }
}

fn zeros(d: Dtype, n: usize) -> InterpArg {
    mem(d, &vec![0.0; n])
}

/// `out = op(x)` on a whole tile of `shape`.
fn unary_kernel(op: Opcode, d: Dtype, shape: &[u32]) -> Function {
    kernel(
        op.name(),
        vec![ptr_param("x", d, false), ptr_param("out", d, true)],
        |b, a| {
            let x = load_tile(b, a, 0, shape);
            let r = b.unary(op, x).unwrap();
            store_tile(b, a, 1, r);
        },
    )
}

#[test]
fn unary_math_lowers_exactly_for_every_float_type() {
    let mut rng = Rng::new(31);
    for op in UNARY {
        for d in [Dtype::F32, Dtype::F16, Dtype::BF16, Dtype::F64] {
            let shapes: &[&[u32]] = if d == Dtype::F32 {
                &[&[1], &[7], &[1000], &[1023], &[1025], &[3, 5]]
            } else {
                &[&[1], &[7], &[1025], &[3, 5]]
            };
            for &shape in shapes {
                let n = shape.iter().product::<u32>() as usize;
                let f = unary_kernel(op, d, shape);
                let args = vec![mem(d, &floats(&mut rng, n, 8.0)), zeros(d, n)];
                check_lowering(&f, [1, 1, 1], &args, 0.0);
            }
        }
    }
}

/// Distance in units in the last place between two `f32`s (0 for two NaNs).
fn ulps(a: f32, b: f32) -> u32 {
    if a.is_nan() && b.is_nan() || a == b {
        return 0;
    }
    let key = |x: f32| {
        let i = x.to_bits() as i32;
        if i < 0 {
            i32::MIN - i
        } else {
            i
        }
    };
    (key(a) as i64 - key(b) as i64)
        .unsigned_abs()
        .min(u32::MAX as u64) as u32
}

#[test]
fn unary_math_agrees_with_rust_within_an_ulp() {
    // The interpreter computes in f64 and rounds once, so it is within half
    // an ulp of the exact value; Rust's f32 functions (libm) within one.
    let mut rng = Rng::new(32);
    let xs: Vec<f32> = floats(&mut rng, 4000, 30.0)
        .into_iter()
        .map(|x| x as f32)
        .collect();
    for (op, reference, tol) in [
        (Opcode::Exp2, f32::exp2 as fn(f32) -> f32, 1),
        (Opcode::Log2, f32::log2, 1),
        (Opcode::Sin, f32::sin, 1),
        (Opcode::Cos, f32::cos, 1),
        (Opcode::Erf, libm::erff, 1),
        (Opcode::Rsqrt, |x: f32| 1.0 / x.sqrt(), 1),
        (Opcode::Floor, f32::floor, 0),
        (Opcode::Ceil, f32::ceil, 0),
    ] {
        let f = unary_kernel(op, Dtype::F32, &[xs.len() as u32]);
        let mut args = vec![
            InterpArg::slice(&xs),
            InterpArg::slice(&vec![0.0f32; xs.len()]),
        ];
        run_grid(&f, [1, 1, 1], &mut args).unwrap();
        for (x, got) in xs.iter().zip(args[1].to_vec::<f32>().unwrap()) {
            let want = reference(*x);
            let sign_ok = got != 0.0 || got.is_sign_negative() == want.is_sign_negative();
            assert!(
                ulps(got, want) <= tol && sign_ok,
                "{}({x:e}) = {got:e}, Rust says {want:e}",
                op.name()
            );
        }
    }
}

/// `out = fma(x, y, z)` on tiles of `n`.
fn fma_kernel(d: Dtype, n: u32) -> Function {
    kernel(
        "fma",
        vec![
            ptr_param("x", d, false),
            ptr_param("y", d, false),
            ptr_param("z", d, false),
            ptr_param("out", d, true),
        ],
        |b, a| {
            let x = load_tile(b, a, 0, &[n]);
            let y = load_tile(b, a, 1, &[n]);
            let z = load_tile(b, a, 2, &[n]);
            let r = b.value(Opcode::Fma, &[x, y, z], Attrs::new()).unwrap();
            store_tile(b, a, 3, r);
        },
    )
}

fn run_fma(d: Dtype, x: &[f64], y: &[f64], z: &[f64]) -> Vec<f64> {
    let n = x.len();
    let f = fma_kernel(d, n as u32);
    let args = vec![mem(d, x), mem(d, y), mem(d, z), zeros(d, n)];
    let out = check_lowering(&f, [1, 1, 1], &args, 0.0);
    match d {
        Dtype::F16 => out[3]
            .to_vec::<f16>()
            .unwrap()
            .iter()
            .map(|h| h.to_f64())
            .collect(),
        Dtype::F32 => out[3]
            .to_vec::<f32>()
            .unwrap()
            .iter()
            .map(|&v| f64::from(v))
            .collect(),
        Dtype::F64 => out[3].to_vec::<f64>().unwrap(),
        _ => out[3]
            .to_vec::<bf16>()
            .unwrap()
            .iter()
            .map(|h| h.to_f64())
            .collect(),
    }
}

#[test]
fn fma_rounds_once() {
    // f32: a·b + c = 2^30 + 2^6 + 2^-30, just above the midpoint between
    // 2^30 and 2^30 + 2^7. Rounding to f64 first lands on the midpoint and
    // ties to even give 2^30; one rounding gives 2^30 + 2^7.
    let a = 64.0 + 2f64.powi(-12);
    let b = -(1.0 - 2f64.powi(-18));
    let c = 2f64.powi(30) + 128.0;
    let naive = ((a * b + c) as f32) as f64;
    assert_eq!(
        naive,
        2f64.powi(30),
        "the example must defeat double rounding"
    );
    assert_eq!(run_fma(Dtype::F32, &[a], &[b], &[c]), vec![c]);
    assert_eq!((a as f32).mul_add(b as f32, c as f32) as f64, c);
    // f16: a·b + c = 2049 + 2^-14; through f32 it ties to 2048, once to 2050.
    let (a, b, c) = (1.0 + 2f64.powi(-7), -(1.0 - 2f64.powi(-7)), 2050.0);
    let through_f32 = f16::from_f32((a as f32).mul_add(b as f32, c as f32)).to_f64();
    assert_eq!(
        through_f32, 2048.0,
        "the example must defeat double rounding"
    );
    assert_eq!(run_fma(Dtype::F16, &[a], &[b], &[c]), vec![2050.0]);
}

#[test]
fn fma_matches_mul_add_on_random_and_special_values() {
    let mut rng = Rng::new(33);
    for n in [1usize, 7, 1000, 1025] {
        let x: Vec<f64> = floats(&mut rng, n, 1e3);
        let mut y: Vec<f64> = floats(&mut rng, n, 1e-3);
        y.reverse();
        let z: Vec<f64> = (0..n).map(|_| f64::from(rng.f32())).collect();
        let got = run_fma(Dtype::F32, &x, &y, &z);
        for i in 0..n {
            let want = (x[i] as f32).mul_add(y[i] as f32, z[i] as f32);
            let g = got[i] as f32;
            assert!(
                g.to_bits() == want.to_bits() || (g.is_nan() && want.is_nan()),
                "fma({}, {}, {}) = {g}, want {want}",
                x[i],
                y[i],
                z[i]
            );
        }
        let got = run_fma(Dtype::F64, &x, &y, &z);
        for i in 0..n {
            let want = x[i].mul_add(y[i], z[i]);
            assert!(got[i].to_bits() == want.to_bits() || (got[i].is_nan() && want.is_nan()));
        }
        run_fma(Dtype::BF16, &x, &y, &z);
    }
}

/// `out = umulhi(x, y)` for integers of type `d`.
fn umulhi_kernel(d: Dtype, n: u32) -> Function {
    kernel(
        "umulhi",
        vec![
            ptr_param("x", d, false),
            ptr_param("y", d, false),
            ptr_param("out", d, true),
        ],
        |b, a| {
            let x = load_tile(b, a, 0, &[n]);
            let y = load_tile(b, a, 1, &[n]);
            let r = b.binary(Opcode::Umulhi, x, y).unwrap();
            store_tile(b, a, 2, r);
        },
    )
}

#[test]
fn umulhi_is_the_high_half_of_the_unsigned_product() {
    let mut rng = Rng::new(34);
    for n in [1u32, 7, 1025] {
        let mut x: Vec<u64> = (0..n).map(|_| rng.next_u64()).collect();
        let mut y: Vec<u64> = (0..n).map(|_| rng.next_u64()).collect();
        // MIN · -1, -1 · -1, MAX · MAX, 0 · anything.
        let extremes = [(1u64 << 63, u64::MAX), (u64::MAX, u64::MAX), (0, 12345)];
        for (i, &(a, b)) in extremes.iter().enumerate().take(n as usize) {
            (x[i], y[i]) = (a, b);
        }
        let hi64 = |a: u64, b: u64| ((u128::from(a) * u128::from(b)) >> 64) as u64;
        let hi32 = |a: u32, b: u32| ((u64::from(a) * u64::from(b)) >> 32) as u32;

        let f = umulhi_kernel(Dtype::U64, n);
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&y),
            InterpArg::slice(&vec![0u64; n as usize]),
        ];
        let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[2]
            .to_vec::<u64>()
            .unwrap();
        let want: Vec<u64> = x.iter().zip(&y).map(|(&a, &b)| hi64(a, b)).collect();
        assert_eq!(got, want);

        let (xi, yi): (Vec<i64>, Vec<i64>) = (
            x.iter().map(|&v| v as i64).collect(),
            y.iter().map(|&v| v as i64).collect(),
        );
        let f = umulhi_kernel(Dtype::I64, n);
        let args = vec![
            InterpArg::slice(&xi),
            InterpArg::slice(&yi),
            InterpArg::slice(&vec![0i64; n as usize]),
        ];
        let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[2]
            .to_vec::<i64>()
            .unwrap();
        assert_eq!(got, want.iter().map(|&v| v as i64).collect::<Vec<_>>());

        let (x32, y32): (Vec<u32>, Vec<u32>) = (
            x.iter().map(|&v| (v >> 32) as u32).collect(),
            y.iter().map(|&v| (v >> 32) as u32).collect(),
        );
        let want: Vec<u32> = x32.iter().zip(&y32).map(|(&a, &b)| hi32(a, b)).collect();
        let f = umulhi_kernel(Dtype::U32, n);
        let args = vec![
            InterpArg::slice(&x32),
            InterpArg::slice(&y32),
            InterpArg::slice(&vec![0u32; n as usize]),
        ];
        let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[2]
            .to_vec::<u32>()
            .unwrap();
        assert_eq!(got, want);
        let f = umulhi_kernel(Dtype::I32, n);
        let args = vec![
            InterpArg::slice(&x32.iter().map(|&v| v as i32).collect::<Vec<_>>()),
            InterpArg::slice(&y32.iter().map(|&v| v as i32).collect::<Vec<_>>()),
            InterpArg::slice(&vec![0i32; n as usize]),
        ];
        let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[2]
            .to_vec::<i32>()
            .unwrap();
        assert_eq!(got, want.iter().map(|&v| v as i32).collect::<Vec<_>>());
    }
    // i32: -1 · -1 = 0xFFFF_FFFE_0000_0001, high half -2; MIN · -1 high half MAX.
    assert_eq!(hi_i32(-1, -1), -2);
    assert_eq!(hi_i32(i32::MIN, -1), i32::MAX);
}

fn hi_i32(a: i32, b: i32) -> i32 {
    let f = umulhi_kernel(Dtype::I32, 1);
    let mut args = vec![
        InterpArg::slice(&[a]),
        InterpArg::slice(&[b]),
        InterpArg::slice(&[0i32]),
    ];
    run_grid(&f, [1, 1, 1], &mut args).unwrap();
    args[2].to_vec::<i32>().unwrap()[0]
}

/// `out = hint(x) + 1` with `hint` = `multiple_of(k)` or `max_contiguous(k)`.
fn hint_kernel(op: Opcode, k: i64, n: u32) -> Function {
    kernel(
        "hint",
        vec![
            ptr_param("x", Dtype::I32, false),
            ptr_param("out", Dtype::I32, true),
        ],
        |b, a| {
            let x = load_tile(b, a, 0, &[n]);
            let key = if op == Opcode::MultipleOf {
                "divisor"
            } else {
                "count"
            };
            let h = b
                .value(op, &[x], Attrs::new().with(key, Attr::Int(k)))
                .unwrap();
            let one = b.const_i32(1);
            let one = splat(b, one, &[n]);
            let r = bin(b, Opcode::Add, h, one);
            store_tile(b, a, 1, r);
        },
    )
}

#[test]
fn hints_change_no_result_and_false_promises_are_reported() {
    for n in [1u32, 7, 1000, 1025] {
        let xs: Vec<i32> = (0..n as i32).map(|i| (i - 500) * 16).collect();
        let want: Vec<i32> = xs.iter().map(|x| x + 1).collect();
        for op in [Opcode::MultipleOf, Opcode::MaxContiguous] {
            let f = hint_kernel(op, 16, n);
            let args = vec![
                InterpArg::slice(&xs),
                InterpArg::slice(&vec![0i32; n as usize]),
            ];
            let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[1]
                .to_vec::<i32>()
                .unwrap();
            assert_eq!(got, want);
        }
    }
    let f = hint_kernel(Opcode::MultipleOf, 16, 4);
    let mut args = vec![
        InterpArg::slice(&[0i32, 16, 40, 48]),
        InterpArg::slice(&[0i32; 4]),
    ];
    let err = run_grid(&f, [1, 1, 1], &mut args).unwrap_err();
    assert!(
        matches!(&err.kind, InterpErrorKind::HintViolated(m) if m.contains("40")),
        "{err}"
    );
    assert!(err.location.starts_with("hint.rs:"), "{}", err.location);
}
