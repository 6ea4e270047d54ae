//! The LLVM backend's division by one value for every lane
//! (`llvm/uniform_div.rs`: reciprocal, then Markstein's correction) gives
//! the same bits as a divide, on every vector width it runs on, for
//! quotients in the fast path's range and for those it sends to the divide
//! (zeros, infinities, NaN, subnormals, extreme exponents, divisors at and
//! beyond its bounds).
//!
//! `cargo test -- llvm` runs these with the rest of the LLVM tests.

use persim::{kernel, Backend, Engine, TargetSpec};
use persim_examples::random_vec;

#[kernel]
fn div_f32(x: *const f32, d: f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    store(out + offs, load(x + offs, m) / d, m);
}

#[kernel]
fn div_f64(x: *const f64, d: f64, out: *mut f64, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    store(out + offs, load(x + offs, m) / d, m);
}

/// The host (AVX-512 here), AVX2 with FMA (8 lanes), and SSE2 without FMA
/// (the plain divide).
fn engines() -> Vec<(String, Engine)> {
    let host = TargetSpec::host();
    let mut out = vec![("host".to_string(), Engine::llvm())];
    for (cpu, features) in [("haswell", "+avx2,+avx,+fma"), ("x86-64", "+sse2")] {
        if host.triple.starts_with("x86_64") {
            let spec = TargetSpec::new(host.triple.clone(), cpu, features);
            out.push((cpu.to_string(), Engine::with_backend(Backend::Llvm(spec))));
        }
    }
    out
}

/// Random significands and signs over every binary exponent from
/// `-lo` to `hi`, then the special values.
fn dividends_f32() -> Vec<f32> {
    let bits = random_vec(6000, 11);
    let mut x: Vec<f32> = bits
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let exp = (i % 300) as i32 - 150;
            let sig = 1.0 + r.abs().fract();
            let sign = if r.to_bits() & 1 == 0 { 1.0 } else { -1.0 };
            sign * sig * 2f32.powi(exp.clamp(-149, 127))
        })
        .collect();
    x.extend([
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        f32::MAX,
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        1.0,
        -1.0,
        2f32.powi(-100),
        2f32.powi(100),
    ]);
    x
}

fn divisors_f32() -> Vec<f32> {
    vec![
        3.0,
        -7.25,
        1000.5,
        0.1,
        f32::from_bits(0x3fff_ffff), // all-ones significand
        2f32.powi(26),
        2f32.powi(-26),
        2f32.powi(27),
        2f32.powi(-27),
        1e30,
        1e-30,
        f32::MIN_POSITIVE,
        f32::from_bits(3),
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NAN,
    ]
}

fn same_bits_f32(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[test]
fn llvm_division_by_a_uniform_f32_is_the_divide_bit_for_bit() {
    let x = dividends_f32();
    let n = x.len();
    const BLOCK: i32 = 64;
    let grid = n.div_ceil(BLOCK as usize) as u32;
    for (name, engine) in engines() {
        for d in divisors_f32() {
            let mut out = vec![0f32; n];
            div_f32::launch(
                &engine,
                grid,
                div_f32::Args {
                    x: &x,
                    d,
                    out: &mut out,
                    n: n as i32,
                    BLOCK,
                },
            )
            .expect("launch");
            for (&a, &got) in x.iter().zip(&out) {
                assert!(
                    same_bits_f32(got, a / d),
                    "{name}: {a:e} / {d:e} = {got:e}, the divide gives {:e}",
                    a / d
                );
            }
        }
    }
}

#[test]
fn llvm_division_by_a_uniform_f64_is_the_divide_bit_for_bit() {
    let mut x: Vec<f64> = dividends_f32()
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            f64::from(v) * 2f64.powi((i % 7) as i32 * 140 - 420) * (1.0 + 1e-9 * i as f64)
        })
        .collect();
    x.extend([
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        2f64.powi(-900),
        2f64.powi(900),
    ]);
    let divisors = [
        3.0,
        -7.25,
        0.1,
        f64::from_bits(0x3fff_ffff_ffff_ffff),
        2f64.powi(60),
        2f64.powi(-61),
        1e300,
        f64::MIN_POSITIVE,
        0.0,
        f64::NEG_INFINITY,
        f64::NAN,
    ];
    let n = x.len();
    const BLOCK: i32 = 32;
    let grid = n.div_ceil(BLOCK as usize) as u32;
    for (name, engine) in engines() {
        for d in divisors {
            let mut out = vec![0f64; n];
            div_f64::launch(
                &engine,
                grid,
                div_f64::Args {
                    x: &x,
                    d,
                    out: &mut out,
                    n: n as i32,
                    BLOCK,
                },
            )
            .expect("launch");
            for (&a, &got) in x.iter().zip(&out) {
                let want = a / d;
                assert!(
                    got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                    "{name}: {a:e} / {d:e} = {got:e}, the divide gives {want:e}"
                );
            }
        }
    }
}
