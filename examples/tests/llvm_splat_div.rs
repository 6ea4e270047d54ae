//! Division of a vector by one scalar on the LLVM backend
//! (`llvm/splat_div.rs`): a reciprocal and Markstein's fma correction on
//! FMA targets instead of a vector divide. Its results must be `a / d`
//! bit for bit: every dividend mantissa against divisors whose own
//! mantissas are awkward, the dividends at the edges of the fast form's
//! range, and the values it hands to `fdiv` (zeros, subnormals, huge,
//! infinite, NaN dividends and divisors).
//!
//! `cargo test -- llvm` runs these with the rest of the LLVM tests.

use persim::{kernel, Engine};
use persim_examples::llvm_engines_by_width;

#[kernel]
fn divide(x: *const f32, q: *mut f32, d: f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    store(q + offs, load(x + offs, m) / d, m);
}

fn same(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn check(engine: &(String, Engine), x: &[f32], d: f32) {
    const BLOCK: i32 = 256;
    let n = x.len();
    let mut q = vec![0f32; n];
    divide::launch(
        &engine.1,
        n.div_ceil(BLOCK as usize) as u32,
        divide::Args {
            x,
            q: &mut q,
            d,
            n: n as i32,
            BLOCK,
        },
    )
    .unwrap_or_else(|err| panic!("{}: {err}", engine.0));
    for (&a, &got) in x.iter().zip(&q) {
        assert!(
            same(got, a / d),
            "{}: {a:e} / {d:e} = {got:e}, want {:e}",
            engine.0,
            a / d
        );
    }
}

/// Every mantissa of `[1, 2)` (both signs), at unit scale and at the
/// bottom and top binades of the fast form (`2^-100`, `2^99`).
#[test]
fn llvm_division_by_a_scalar_is_exact_for_every_dividend_mantissa() {
    let mut x = Vec::with_capacity(6 << 23);
    for exponent_bits in [0x3f80_0000u32, 0x0d80_0000, 0x7100_0000] {
        for m in 0..1u32 << 23 {
            let a = f32::from_bits(exponent_bits | m);
            x.extend([a, -a]);
        }
    }
    let divisors = [
        3.0f32,
        f32::from_bits(0x3fff_ffff), // 1.99999988: every mantissa bit set
        f32::from_bits(0x3f80_0001), // 1 + ulp
        1000.37,
        -7.1e-6,
        1.6e7,
    ];
    let engines = llvm_engines_by_width();
    for d in divisors {
        check(&engines[0], &x, d);
    }
    // The narrower targets on a sample (every 61st dividend).
    let sample: Vec<f32> = x.iter().step_by(61).copied().collect();
    for engine in &engines[1..] {
        for d in divisors {
            check(engine, &sample, d);
        }
    }
}

/// The values the fast form must not take (it hands them to `fdiv`), in
/// vectors of their own and mixed among ordinary lanes.
#[test]
fn llvm_division_by_a_scalar_keeps_ieee_results_outside_the_fast_range() {
    let special = [
        0.0f32,
        -0.0,
        f32::from_bits(1),
        -f32::from_bits(0x007f_ffff),
        f32::MIN_POSITIVE,
        1e-35,
        7.9e-31, // just under 2^-100
        1.3e30,  // just over 2^100
        3e38,
        f32::MAX,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
    ];
    let mut x: Vec<f32> = (0..1000).map(|i| (i as f32 - 500.0) * 0.37).collect();
    for (i, &s) in special.iter().enumerate() {
        x[i * 71 + 3] = s;
    }
    x.extend(special);
    x.extend(special.iter().map(|s| -s));
    let divisors = [
        1.0f32,
        -2.5,
        5.9e-8, // just under 2^-24
        1.68e7, // just over 2^24
        1e-30,
        1e30,
        f32::from_bits(3),
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NAN,
    ];
    for engine in llvm_engines_by_width() {
        for d in divisors {
            check(&engine, &x, d);
        }
    }
}
