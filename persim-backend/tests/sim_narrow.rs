//! Narrow element types on the spatial target (8/16-bit integers, `f16`,
//! `bf16`, held canonically in 32-bit registers) and the special-function
//! instructions: each kernel through the whole pipeline on the simulator,
//! checked against plain Rust at awkward sizes.

mod sim_util;

use half::{bf16, f16};
use persim_backend::spatial::{Machine, SimEngine, SimReport};
use persim_backend::{Arg, Grid};
use sim_util::*;

fn engine() -> SimEngine {
    SimEngine::new(Machine::from_toml("[grid]\ncols = 2\nrows = 2\n").unwrap())
}

fn run(src: &str, block: i64, n: usize, args: &mut [Arg<'_>]) -> SimReport {
    let f = build_ok(src, &[("BLOCK", block)]);
    let grid = Grid::from(n.div_ceil(block as usize));
    engine()
        .launch_ir(&f, grid, args)
        .unwrap_or_else(|e| panic!("{e}"))
}

const SIZES: [(usize, i64); 4] = [(1, 16), (7, 16), (100, 32), (1025, 64)];

/// Wrapping arithmetic, shifts by amounts past the width (reduced modulo
/// the width, as Rust's `wrapping_shl`), division, and a scalar element
/// read and written through a scalar pointer.
const INTS: &str = r#"
fn ints(x: *const T, y: *const T, out: *mut T, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let a = load(x + offs, m);
    let b = load(y + offs, m);
    let o = out + offs * 9;
    store(o, a + b, m);
    store(o + 1, a * b, m);
    store(o + 2, a - b, m);
    store(o + 3, a << b, m);
    store(o + 4, a >> b, m);
    store(o + 5, a / (b | 1), m);
    store(o + 6, !a, m);
    // Wrapped intermediates are observed by a division and a compare.
    store(o + 7, (a * b) / 3, m);
    store(o + 8, where_(a + b < a, a, b), m);
    let s = load(x + program_id(0));
    store(out + n * 9 + program_id(0), (s * s + s) / 5);
}"#;

macro_rules! check_ints {
    ($t:ty, $seed:expr) => {{
        let src = INTS
            .replace(": *const T", concat!(": *const ", stringify!($t)))
            .replace("*mut T", concat!("*mut ", stringify!($t)));
        let mut rng = Rng::new($seed);
        for (n, block) in SIZES {
            let grid = n.div_ceil(block as usize);
            let x: Vec<$t> = (0..n).map(|_| rng.next_u64() as $t).collect();
            let y: Vec<$t> = (0..n).map(|_| rng.next_u64() as $t).collect();
            let mut out = vec![0 as $t; 9 * n + grid];
            run(
                &src,
                block,
                n,
                &mut [
                    Arg::from(&x[..]),
                    Arg::from(&y[..]),
                    Arg::from(&mut out[..]),
                    Arg::from(n as i32),
                ],
            );
            for i in 0..n {
                let (a, b) = (x[i], y[i]);
                let want = [
                    a.wrapping_add(b),
                    a.wrapping_mul(b),
                    a.wrapping_sub(b),
                    a.wrapping_shl(b as u32),
                    a.wrapping_shr(b as u32),
                    a.wrapping_div(b | 1),
                    !a,
                    a.wrapping_mul(b) / 3,
                    if a.wrapping_add(b) < a { a } else { b },
                ];
                assert_eq!(
                    &out[9 * i..9 * i + 9],
                    &want[..],
                    "{}: n = {n}, element {i}: {a}, {b}",
                    stringify!($t)
                );
            }
            for p in 0..grid {
                let s = x[p];
                let want = s.wrapping_mul(s).wrapping_add(s) / 5;
                assert_eq!(out[9 * n + p], want, "scalar of program {p}");
            }
        }
    }};
}

#[test]
fn sim_narrow_integers_wrap_like_rust() {
    check_ints!(i8, 1);
    check_ints!(u8, 2);
    check_ints!(i16, 3);
    check_ints!(u16, 4);
}

/// Conversions into and out of narrow types: float to integer saturates,
/// integer to integer wraps, f32 to f16/bf16 rounds to nearest even;
/// unsigned 32-bit conversions use their own instructions.
const CASTS: &str = r#"
fn casts(x: *const f32, k: *const i32, o8: *mut i8, ou8: *mut u8, o16: *mut i16, oh: *mut f16,
         ob: *mut bf16, ou: *mut u32, of: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let v = load(x + offs, m);
    let i = load(k + offs, m);
    store(o8 + offs * 2, v.to::<i8>(), m);
    store(o8 + offs * 2 + 1, i.to::<i8>(), m);
    store(ou8 + offs, v.to::<u8>(), m);
    store(o16 + offs, i.to::<i16>(), m);
    store(oh + offs * 2, v.to::<f16>(), m);
    store(oh + offs * 2 + 1, i.to::<f16>(), m);
    store(ob + offs, v.to::<bf16>(), m);
    let u = v.to::<u32>();
    store(ou + offs, u, m);
    store(of + offs * 2, (i.to::<u32>()).to::<f32>(), m);
    store(of + offs * 2 + 1, v.to::<f16>().to::<f32>() * 2.0, m);
}"#;

#[test]
fn sim_narrow_conversions_saturate_wrap_and_round() {
    let mut rng = Rng::new(5);
    for (n, block) in SIZES {
        let mut x = rng.vec_f32(n, -70000.0, 70000.0);
        // Small values and the specials too.
        for (i, v) in x.iter_mut().enumerate().take(n) {
            match i % 5 {
                0 => *v /= 1000.0,
                1 => *v = [f32::NAN, f32::INFINITY, -0.0, 65520.0][i / 5 % 4],
                _ => {}
            }
        }
        let k: Vec<i32> = (0..n).map(|_| rng.next_u64() as i32).collect();
        let mut o8 = vec![0i8; 2 * n];
        let mut ou8 = vec![0u8; n];
        let mut o16 = vec![0i16; n];
        let mut oh = vec![f16::ZERO; 2 * n];
        let mut ob = vec![bf16::ZERO; n];
        let mut ou = vec![0u32; n];
        let mut of = vec![0f32; 2 * n];
        run(
            CASTS,
            block,
            n,
            &mut [
                Arg::from(&x[..]),
                Arg::from(&k[..]),
                Arg::from(&mut o8[..]),
                Arg::from(&mut ou8[..]),
                Arg::from(&mut o16[..]),
                Arg::from(&mut oh[..]),
                Arg::from(&mut ob[..]),
                Arg::from(&mut ou[..]),
                Arg::from(&mut of[..]),
                Arg::from(n as i32),
            ],
        );
        for i in 0..n {
            let (v, j) = (x[i], k[i]);
            let at = format!("n = {n}, element {i}: {v}, {j}");
            assert_eq!(o8[2 * i], v as i8, "{at}");
            assert_eq!(o8[2 * i + 1], j as i8, "{at}");
            assert_eq!(ou8[i], v as u8, "{at}");
            assert_eq!(o16[i], j as i16, "{at}");
            let h = f16::from_f32(v);
            assert!(oh[2 * i] == h || h.is_nan() && oh[2 * i].is_nan(), "{at}");
            assert_eq!(oh[2 * i + 1], f16::from_f32(j as f32), "{at}");
            let b = bf16::from_f32(v);
            assert!(ob[i] == b || b.is_nan() && ob[i].is_nan(), "{at}");
            assert_eq!(ou[i], v as u32, "{at}");
            assert_eq!(of[2 * i], j as u32 as f32, "{at}");
            let twice = h.to_f32() * 2.0;
            assert!(of[2 * i + 1] == twice || twice.is_nan(), "{at}");
        }
    }
}

/// Half-precision arithmetic rounds every result to its format (an f16
/// sum is not the f32 sum), through local buffers (a row loop the mid-end
/// turns into block copies of 2-byte elements) and a reduction.
const HALVES: &str = r#"
fn halves(x: *const f16, y: *const bf16, out: *mut f16, outb: *mut bf16, sums: *mut f32,
          n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let a = load(x + offs, m, 0.0);
    let b = load(y + offs, m, 0.0);
    store(out + offs * 3, a * a + a, m);
    store(out + offs * 3 + 1, a / 3.0, m);
    store(out + offs * 3 + 2, sqrt(abs(a)), m);
    store(outb + offs, b * b - b, m);
    store(sums + program_id(0), sum(a.to::<f32>(), 0));
}"#;

#[test]
fn sim_half_precision_rounds_each_result() {
    let mut rng = Rng::new(6);
    for (n, block) in SIZES {
        let grid = n.div_ceil(block as usize);
        let x: Vec<f16> = rng
            .vec_f32(n, -300.0, 300.0)
            .into_iter()
            .map(f16::from_f32)
            .collect();
        let y: Vec<bf16> = rng
            .vec_f32(n, -300.0, 300.0)
            .into_iter()
            .map(bf16::from_f32)
            .collect();
        let mut out = vec![f16::ZERO; 3 * n];
        let mut outb = vec![bf16::ZERO; n];
        let mut sums = vec![0f32; grid];
        run(
            HALVES,
            block,
            n,
            &mut [
                Arg::from(&x[..]),
                Arg::from(&y[..]),
                Arg::from(&mut out[..]),
                Arg::from(&mut outb[..]),
                Arg::from(&mut sums[..]),
                Arg::from(n as i32),
            ],
        );
        let h = |v: f32| f16::from_f32(v);
        for i in 0..n {
            let a = x[i].to_f32();
            let sq = h(a * a).to_f32();
            let want = [h(sq + a), h(a / h(3.0).to_f32()), h(a.abs().sqrt())];
            assert_eq!(
                &out[3 * i..3 * i + 3],
                &want[..],
                "n = {n}, element {i}: {a}"
            );
            let b = y[i].to_f32();
            let bb = bf16::from_f32(bf16::from_f32(b * b).to_f32() - b);
            assert_eq!(outb[i], bb, "n = {n}, element {i}: {b}");
        }
        for (p, &s) in sums.iter().enumerate() {
            let lo = p * block as usize;
            let want: f32 = x[lo..(lo + block as usize).min(n)]
                .iter()
                .map(|v| v.to_f32())
                .sum();
            assert!(
                (s - want).abs() <= 1e-3 * want.abs().max(1.0),
                "sum {p}: {s} vs {want}"
            );
        }
    }
}

/// A row-wise kernel over `u8` rows: the mid-end's `bulk-copies` moves
/// each row (four vectors of bytes) in and out as one descriptor each.
const ROWS: &str = r#"
fn rows(x: *const u8, out: *mut u8, n_rows: i32, #[constexpr] BLOCK: i32) {
    let r = program_id(0);
    if r < n_rows {
        let cols = arange(0, BLOCK);
        let v = load(x + r * BLOCK + cols);
        store(out + r * BLOCK + cols, v * 3 + 7);
    }
}"#;

#[test]
fn sim_bytes_move_in_blocks() {
    let mut rng = Rng::new(7);
    for rows in [1usize, 3, 9] {
        let n = rows * 64;
        let x: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
        let mut out = vec![0u8; n];
        let report = run(
            ROWS,
            64,
            n,
            &mut [
                Arg::from(&x[..]),
                Arg::from(&mut out[..]),
                Arg::from(rows as i32),
            ],
        );
        let descriptors: u64 = report.stats.dma.iter().map(|d| d.descriptors).sum();
        assert_eq!(descriptors, 2 * rows as u64, "{rows} rows");
        let want: Vec<u8> = x
            .iter()
            .map(|v| v.wrapping_mul(3).wrapping_add(7))
            .collect();
        assert_eq!(out, want, "{rows} rows");
    }
}

/// The special-function instructions and `fma`, `%`, `umulhi` on vectors
/// and (through lane 0 of a splat) on scalars.
const SPECIAL: &str = r#"
fn special(x: *const f32, y: *const f32, u: *const u32, out: *mut f32, hi: *mut u32,
           n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let a = load(x + offs, m, 1.0);
    let b = load(y + offs, m, 1.0);
    let o = out + offs * 10;
    store(o, exp2(a), m);
    store(o + 1, log2(abs(a)), m);
    store(o + 2, sin(a), m);
    store(o + 3, cos(a), m);
    store(o + 4, erf(a), m);
    store(o + 5, floor(a), m);
    store(o + 6, ceil(a), m);
    store(o + 7, a % b, m);
    store(o + 8, fma(a, b, a), m);
    let s = load(x + program_id(0));
    store(o + 9, exp2(s) + s % 0.75, m);
    let p = load(u + offs, m);
    store(hi + offs, umulhi(p, p + 12345), m);
}"#;

#[test]
fn sim_special_functions_match_the_reference() {
    let mut rng = Rng::new(8);
    for (n, block) in SIZES {
        let x = rng.vec_f32(n, -20.0, 20.0);
        let y = rng.vec_f32(n, 0.5, 3.0);
        let u: Vec<u32> = (0..n).map(|_| rng.next_u64() as u32).collect();
        let mut out = vec![0f32; 10 * n];
        let mut hi = vec![0u32; n];
        run(
            SPECIAL,
            block,
            n,
            &mut [
                Arg::from(&x[..]),
                Arg::from(&y[..]),
                Arg::from(&u[..]),
                Arg::from(&mut out[..]),
                Arg::from(&mut hi[..]),
                Arg::from(n as i32),
            ],
        );
        let once = |g: fn(f64) -> f64, v: f32| g(f64::from(v)) as f32;
        for i in 0..n {
            let (a, b) = (x[i], y[i]);
            let s = x[i / block as usize];
            let want = [
                once(f64::exp2, a),
                once(f64::log2, a.abs()),
                once(f64::sin, a),
                once(f64::cos, a),
                once(libm::erf, a),
                a.floor(),
                a.ceil(),
                a % b,
                a.mul_add(b, a),
                once(f64::exp2, s) + s % 0.75,
            ];
            assert_eq!(
                &out[10 * i..10 * i + 10],
                &want[..],
                "n = {n}, element {i}: {a}, {b}"
            );
            let p = u64::from(u[i]);
            assert_eq!(
                u64::from(hi[i]),
                (p * u64::from(u[i].wrapping_add(12345))) >> 32
            );
        }
    }
}

const SCALAR_ARGS: &str = r#"
fn scalar_args(x: *const i32, out: *mut i32, a: i8, b: u16, c: i32, stride: i32, n: i32,
    #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let v = load(x + offs * stride, mask, 0);
    store(out + offs, v * (a as i32) + (b as i32) - c, mask);
}"#;

#[test]
fn sim_specialized_scalar_arguments_keep_their_values() {
    // The launch folds integer scalars into the kernel before the mid-end:
    // narrow ones with their sign or zero extension, and a stride of 1 as
    // well as another.
    let mut rng = Rng::new(47);
    for (n, stride) in [(1usize, 1usize), (7, 3), (100, 1), (1025, 2)] {
        let x = rng.vec_i32(n * stride, -1000, 1000);
        let mut out = vec![0i32; n];
        let (a, b, c) = (-3i8, 65535u16, -7i32);
        SimEngine::new(Machine::default_model())
            .launch_ir(
                &build_ok(SCALAR_ARGS, &[("BLOCK", 64)]),
                Grid::from(n.div_ceil(64)),
                &mut [
                    Arg::from(&x[..]),
                    Arg::from(&mut out[..]),
                    Arg::from(a),
                    Arg::from(b),
                    Arg::from(c),
                    Arg::from(stride as i32),
                    Arg::from(n as i32),
                ],
            )
            .unwrap_or_else(|e| panic!("n = {n}: {e}"));
        for i in 0..n {
            let want = x[i * stride] * i32::from(a) + i32::from(b) - c;
            assert_eq!(out[i], want, "n = {n}, stride = {stride}: out[{i}]");
        }
    }
}
