//! The LLVM backend's inline `exp`/`exp2` (`llvm/vexp.rs`) on every code
//! path it has: 16 lanes with `vscalefps` (AVX-512 hosts), 8 lanes (AVX2)
//! and 4 lanes (SSE) with two-factor scaling, and scalars, over inputs
//! whose results overflow, are subnormal, underflow to zero, and NaN.
//!
//! `cargo test -- llvm` runs these with the rest of the LLVM tests.

use persim::kernel;
use persim_examples::llvm_engines_by_width;

#[kernel]
fn exps(x: *const f32, e: *mut f32, e2: *mut f32, s: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let v = load(x + offs, m);
    store(e + offs, exp(v), m);
    store(e2 + offs, exp2(v), m);
    // A scalar `exp` (lane 0 of each block, through a reduction).
    let first = sum(where_(arange(0, BLOCK) == 0, v, 0.0), 0);
    store(s + program_id(0), exp(first));
}

/// Within 8 ulps for normal results, within two subnormal steps below
/// `f32::MIN_POSITIVE`, and exact for 0, infinities and NaN.
fn check(what: &str, x: f32, got: f32, want: f64) {
    let want32 = want as f32;
    let ok = if want32.is_nan() {
        got.is_nan()
    } else if want32.is_infinite() || want32 == 0.0 {
        got == want32 || (want32 == 0.0 && got.abs() <= f32::from_bits(1))
    } else if want32.abs() < f32::MIN_POSITIVE {
        (f64::from(got) - want).abs() <= 2.0 * f64::from(f32::from_bits(1))
    } else {
        ((f64::from(got) - want) / want).abs() <= 1e-6
    };
    assert!(ok, "{what}({x:e}) = {got:e}, want {want:e}");
}

#[test]
fn llvm_inline_exp_and_exp2_on_every_vector_width() {
    let mut x: Vec<f32> = (0..2000).map(|i| -120.0 + 0.107 * i as f32).collect();
    x.extend([
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.0,
        -0.0,
        88.72,
        88.73,
        -87.33,
        -103.9,
        // Around the lower clamps (`exp` -104, `exp2` -151), at and below
        // which the lanes are zeroed instead of scaled.
        -103.97,
        -104.0,
        -104.01,
        -150.9,
        -151.0,
        -151.5,
        -149.0,
        -126.5,
        127.99,
        128.0,
        1e-30,
    ]);
    let n = x.len();
    const BLOCK: i32 = 64;
    let blocks = n.div_ceil(BLOCK as usize);
    for (name, engine) in llvm_engines_by_width() {
        let (mut e, mut e2, mut s) = (vec![0f32; n], vec![0f32; n], vec![0f32; blocks]);
        exps::launch(
            &engine,
            blocks as u32,
            exps::Args {
                x: &x,
                e: &mut e,
                e2: &mut e2,
                s: &mut s,
                n: n as i32,
                BLOCK,
            },
        )
        .unwrap_or_else(|err| panic!("{name}: {err}"));
        for i in 0..n {
            let v = f64::from(x[i]);
            check(&format!("{name} exp"), x[i], e[i], v.exp());
            check(&format!("{name} exp2"), x[i], e2[i], v.exp2());
        }
        for (b, &got) in s.iter().enumerate() {
            let v = x[b * BLOCK as usize];
            check(&format!("{name} scalar exp"), v, got, f64::from(v).exp());
        }
    }
}
