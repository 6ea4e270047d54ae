//! The math primitives, `argmax`/`argmin` and scans end to end: kernels
//! under `#[persim::kernel]`, compiled by the Cranelift JIT, checked
//! against plain Rust at awkward block sizes.
//!
//! Tolerances: the JIT calls Rust's own `f32`/`f64` functions (`libm`'s
//! `erff` for `erf`) and computes `f16` in `f32` rounding after every op,
//! so the references written the same way in Rust agree **bit for bit**
//! (0 ulps). Against the interpreter, which computes in `f64` and rounds
//! once, the transcendentals may differ by **1 ulp** of the element type.
//! `fma`, `floor`, `ceil`, `clamp`, `cdiv`, `umulhi`, index reductions and
//! scans are exact everywhere.

use persim::prelude::*;
use persim_lang::interp::{run_grid, InterpArg};

/// Block sizes every kernel runs at (the JIT has 4 lanes).
const BLOCKS: [i32; 6] = [1, 7, 16, 1000, 1023, 1025];

/// `out = f(x)` for the function numbered `OP`.
#[persim::kernel]
fn unary_f32(x: *const f32, out: *mut f32, n: i32, #[constexpr] OP: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let v = load(x + offs, mask, 0.0);
    let r = if OP == 0 {
        exp2(v)
    } else if OP == 1 {
        log2(v)
    } else if OP == 2 {
        rsqrt(v)
    } else if OP == 3 {
        erf(v)
    } else if OP == 4 {
        sin(v)
    } else if OP == 5 {
        cos(v)
    } else if OP == 6 {
        floor(v)
    } else if OP == 7 {
        ceil(v)
    } else {
        sigmoid(v)
    };
    store(out + offs, r, mask);
}

/// [`unary_f32`] on `f16`.
#[persim::kernel]
fn unary_f16(x: *const f16, out: *mut f16, n: i32, #[constexpr] OP: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let v = load(x + offs, mask, 0.0);
    let r = if OP == 0 {
        exp2(v)
    } else if OP == 1 {
        log2(v)
    } else if OP == 2 {
        rsqrt(v)
    } else if OP == 3 {
        erf(v)
    } else if OP == 4 {
        sin(v)
    } else if OP == 5 {
        cos(v)
    } else if OP == 6 {
        floor(v)
    } else if OP == 7 {
        ceil(v)
    } else {
        sigmoid(v)
    };
    store(out + offs, r, mask);
}

/// The functions in `OP` order, as plain Rust on `f32`.
fn reference(op: i32, x: f32) -> f32 {
    match op {
        0 => x.exp2(),
        1 => x.log2(),
        2 => 1.0 / x.sqrt(),
        3 => libm::erff(x),
        4 => x.sin(),
        5 => x.cos(),
        6 => x.floor(),
        7 => x.ceil(),
        _ => 1.0 / (1.0 + (-x).exp()),
    }
}

/// The same in `f16`: each op computed in `f32` and rounded to `f16`
/// (`rsqrt` is one op; `sigmoid` is four).
fn reference_f16(op: i32, x: f16) -> f16 {
    let r = |v: f32| f16::from_f32(v).to_f32();
    let x = x.to_f32();
    f16::from_f32(match op {
        8 => r(1.0 / r(1.0 + r((-x).exp()))),
        _ => reference(op, x),
    })
}

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[-scale, scale)`.
    fn f32(&mut self, scale: f32) -> f32 {
        ((self.next() >> 40) as f32 / (1u64 << 23) as f32 - 1.0) * scale
    }
}

const SPECIAL: [f32; 14] = [
    0.0,
    -0.0,
    f32::INFINITY,
    f32::NEG_INFINITY,
    f32::NAN,
    1.0,
    -1.0,
    0.5,
    -2.5,
    1e-40,
    3e38,
    -100.0,
    88.5,
    std::f32::consts::PI,
];

fn data(rng: &mut Rng, n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| SPECIAL.get(i).copied().unwrap_or_else(|| rng.f32(20.0)))
        .collect()
}

fn same_f32(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// Distance in ulps between two floats of the same type, by bit pattern.
fn ulps(a: u32, b: u32) -> u32 {
    let key = |x: u32| {
        if x & 0x8000_0000 != 0 {
            -((x & 0x7FFF_FFFF) as i64)
        } else {
            x as i64
        }
    };
    (key(a) - key(b)).unsigned_abs() as u32
}

#[test]
fn unary_math_and_sigmoid_match_rust_bit_for_bit() {
    let engine = Engine::jit();
    let mut rng = Rng(1);
    for op in 0..9 {
        for block in BLOCKS {
            let n = 2 * block as usize + 3;
            let x = data(&mut rng, n);
            let mut out = vec![0.0f32; n];
            let grid = (n as u32).div_ceil(block as u32);
            let args = unary_f32::Args {
                x: &x,
                out: &mut out,
                n: n as i32,
                OP: op,
                BLOCK: block,
            };
            unary_f32::launch(&engine, grid, args).unwrap();
            for i in 0..n {
                let want = reference(op, x[i]);
                assert!(
                    same_f32(out[i], want),
                    "op {op} of {:e}: {:e} vs {want:e}",
                    x[i],
                    out[i]
                );
            }
            // The interpreter (f64, one rounding) is within an ulp.
            let f = unary_f32::ir(&[("OP", op.into()), ("BLOCK", block.into())]).unwrap();
            let mut iargs = vec![
                InterpArg::slice(&x),
                InterpArg::slice(&vec![0.0f32; n]),
                InterpArg::scalar(n as i32),
            ];
            run_grid(&f, [grid, 1, 1], &mut iargs).unwrap();
            for (i, spec) in iargs[1].to_vec::<f32>().unwrap().into_iter().enumerate() {
                let close = same_f32(spec, out[i]) || ulps(spec.to_bits(), out[i].to_bits()) <= 1;
                assert!(
                    close,
                    "op {op} of {:e}: JIT {:e}, interpreter {spec:e}",
                    x[i], out[i]
                );
            }
        }
    }
}

#[test]
fn unary_math_on_f16_rounds_like_rust_through_f32() {
    let engine = Engine::jit();
    let mut rng = Rng(2);
    for op in 0..9 {
        for block in [7, 16, 1025] {
            let n = block as usize + 5;
            let x: Vec<f16> = data(&mut rng, n).into_iter().map(f16::from_f32).collect();
            let mut out = vec![f16::ZERO; n];
            let grid = (n as u32).div_ceil(block as u32);
            let args = unary_f16::Args {
                x: &x,
                out: &mut out,
                n: n as i32,
                OP: op,
                BLOCK: block,
            };
            unary_f16::launch(&engine, grid, args).unwrap();
            for i in 0..n {
                let want = reference_f16(op, x[i]);
                let ok = out[i].to_bits() == want.to_bits() || (out[i].is_nan() && want.is_nan());
                assert!(ok, "op {op} of {}: {} vs {want}", x[i], out[i]);
            }
        }
    }
}

#[persim::kernel]
fn fused(
    x: *const f32,
    y: *const f32,
    z: *const f32,
    out: *mut f32,
    lo: f32,
    hi: f32,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let a = load(x + offs, mask, 0.0);
    let b = load(y + offs, mask, 0.0);
    let c = load(z + offs, mask, 0.0);
    store(out + offs, fma(a, b, c), mask);
    store(out + n + offs, clamp(a, lo, hi), mask);
}

#[persim::kernel]
fn fused_f16(x: *const f16, y: *const f16, z: *const f16, out: *mut f16, #[constexpr] BLOCK: i32) {
    let offs = arange(0, BLOCK);
    store(
        out + offs,
        fma(load(x + offs), load(y + offs), load(z + offs)),
    );
}

#[test]
fn fma_rounds_once_and_clamp_propagates_nan() {
    let engine = Engine::jit();
    let mut rng = Rng(3);
    for block in BLOCKS {
        let n = 2 * block as usize + 1;
        let mut x = data(&mut rng, n);
        let mut y: Vec<f32> = (0..n).map(|_| rng.f32(1e3)).collect();
        let mut z: Vec<f32> = (0..n).map(|_| rng.f32(1e6)).collect();
        // One rounding gives 2^30 + 128; rounding through f64 first gives 2^30.
        (x[n - 1], y[n - 1], z[n - 1]) = (
            64.0 + 2f32.powi(-12),
            -(1.0 - 2f32.powi(-18)),
            2f32.powi(30) + 128.0,
        );
        let mut out = vec![0.0f32; 2 * n];
        let grid = (n as u32).div_ceil(block as u32);
        let args = fused::Args {
            x: &x,
            y: &y,
            z: &z,
            out: &mut out,
            lo: -1.0,
            hi: 2.0,
            n: n as i32,
            BLOCK: block,
        };
        fused::launch(&engine, grid, args).unwrap();
        for i in 0..n {
            assert!(same_f32(out[i], x[i].mul_add(y[i], z[i])), "fma at {i}");
            let want = if x[i].is_nan() {
                f32::NAN
            } else {
                x[i].clamp(-1.0, 2.0)
            };
            assert!(
                same_f32(out[n + i], want),
                "clamp({}) = {}",
                x[i],
                out[n + i]
            );
        }
        assert_eq!(out[n - 1], 2f32.powi(30) + 128.0);
    }
    // f16: a·b + c = 2049 + 2^-14 rounds to 2050 once, to 2048 through f32.
    let h = |v: f32| f16::from_f32(v);
    let (x, y, z) = (
        [h(1.0 + 2f32.powi(-7)), h(1.5), h(-0.0), h(65504.0)],
        [h(-(1.0 - 2f32.powi(-7))), h(2.0), h(0.0), h(2.0)],
        [h(2050.0), h(0.25), h(-0.0), h(0.0)],
    );
    let mut out = [f16::ZERO; 4];
    fused_f16::launch(
        &engine,
        1u32,
        fused_f16::Args {
            x: &x,
            y: &y,
            z: &z,
            out: &mut out,
            BLOCK: 4,
        },
    )
    .unwrap();
    assert_eq!(out.map(f16::to_f32), [2050.0, 3.25, -0.0, f32::INFINITY]);
    assert!(out[2].is_sign_negative());
}

#[persim::kernel]
fn integer_math(
    a: *const i32,
    b: *const i32,
    out: *mut i32,
    wide: *const u64,
    out_wide: *mut u64,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let x = load(a + offs, mask, 0);
    let y = load(b + offs, mask, 1);
    store(out + offs, cdiv(x, y), mask);
    store(out + n + offs, umulhi(x, y), mask);
    store(
        out + 2 * n + offs,
        umulhi(x.to::<u32>(), y.to::<u32>()).to::<i32>(),
        mask,
    );
    let w = load(wide + offs, mask, 0);
    store(out_wide + offs, umulhi(w, w), mask);
    // `cdiv` of scalars folds at compile time.
    store(out + 3 * n, cdiv(1000, BLOCK), program_id(0) == 0);
}

#[test]
fn cdiv_and_umulhi_on_tiles_and_scalars() {
    let engine = Engine::jit();
    let mut rng = Rng(4);
    for block in BLOCKS {
        let n = block as usize * 2 + 2;
        let mut a: Vec<i32> = (0..n).map(|_| (rng.next() % 2000) as i32).collect();
        let b: Vec<i32> = (0..n).map(|_| 1 + (rng.next() % 50) as i32).collect();
        a[0] = i32::MIN; // MIN·-1 for umulhi; cdiv wraps as Triton's does
        let mut bb = b.clone();
        bb[0] = -1;
        let wide: Vec<u64> = (0..n).map(|_| rng.next()).collect();
        let mut out = vec![0i32; 3 * n + 1];
        let mut out_wide = vec![0u64; n];
        let grid = (n as u32).div_ceil(block as u32);
        let args = integer_math::Args {
            a: &a,
            b: &bb,
            out: &mut out,
            wide: &wide,
            out_wide: &mut out_wide,
            n: n as i32,
            BLOCK: block,
        };
        integer_math::launch(&engine, grid, args).unwrap();
        for i in 0..n {
            let (x, y) = (a[i], bb[i]);
            assert_eq!(
                out[i],
                x.wrapping_add(y).wrapping_sub(1).wrapping_div(y),
                "cdiv({x}, {y})"
            );
            let hi = ((x as u32 as u64 * y as u32 as u64) >> 32) as u32 as i32;
            assert_eq!(out[n + i], hi, "umulhi({x}, {y})");
            assert_eq!(out[2 * n + i], hi);
            assert_eq!(
                out_wide[i],
                ((wide[i] as u128 * wide[i] as u128) >> 64) as u64
            );
        }
        assert_eq!(out[n], i32::MAX, "umulhi(MIN, -1)");
        assert_eq!(out[3 * n], (1000 + block - 1) / block);
    }
}

/// `argmax`/`argmin` of an `R x C` tile along each axis.
#[persim::kernel]
fn arg_reductions(x: *const f32, out: *mut i32, #[constexpr] R: i32, #[constexpr] C: i32) {
    let rows = arange(0, R).expand_dims(1);
    let cols = arange(0, C).expand_dims(0);
    let v = load(x + rows * C + cols);
    store(out + arange(0, R), argmax(v, 1));
    store(out + R + arange(0, R), argmin(v, 1));
    store(out + 2 * R + arange(0, C), argmax(v, 0));
    store(out + 2 * R + C + arange(0, C), argmin(v, 0));
}

fn first_extreme(xs: impl Iterator<Item = f32>, max: bool) -> i32 {
    let mut best: Option<(usize, f32)> = None;
    for (k, x) in xs.enumerate() {
        let beats = match best {
            None => true,
            Some((_, b)) if b.is_nan() => false,
            Some(_) if x.is_nan() => true,
            Some((_, b)) => (max && x > b) || (!max && x < b),
        };
        if beats {
            best = Some((k, x));
        }
    }
    best.map_or(-1, |(k, _)| k as i32)
}

#[test]
fn argmax_and_argmin_break_ties_to_the_first_index() {
    let engine = Engine::jit();
    let mut rng = Rng(5);
    for (r, c) in [(1, 1), (3, 7), (5, 1000), (2, 1025), (16, 16), (7, 3)] {
        let (ru, cu) = (r as usize, c as usize);
        let x: Vec<f32> = (0..ru * cu)
            .map(|_| match rng.next() % 12 {
                0 => f32::NAN,
                1 => -0.0,
                2 => 0.0,
                3 => f32::INFINITY,
                4 => f32::NEG_INFINITY,
                k => (k % 3) as f32,
            })
            .collect();
        let mut out = vec![0i32; 2 * (ru + cu)];
        arg_reductions::launch(
            &engine,
            1u32,
            arg_reductions::Args {
                x: &x,
                out: &mut out,
                R: r,
                C: c,
            },
        )
        .unwrap();
        for i in 0..ru {
            let row = || (0..cu).map(|j| x[i * cu + j]);
            assert_eq!(out[i], first_extreme(row(), true), "argmax of row {i}");
            assert_eq!(
                out[ru + i],
                first_extreme(row(), false),
                "argmin of row {i}"
            );
        }
        for j in 0..cu {
            let col = || (0..ru).map(|i| x[i * cu + j]);
            assert_eq!(
                out[2 * ru + j],
                first_extreme(col(), true),
                "argmax of column {j}"
            );
            assert_eq!(
                out[2 * ru + cu + j],
                first_extreme(col(), false),
                "argmin of column {j}"
            );
        }
    }
}

/// `cumsum`/`cumprod` of an `R x C` tile along each axis, forward and
/// reverse (the third argument), and `cumsum` of `i8` (scanned in `i32`).
#[persim::kernel]
fn scans(
    x: *const f32,
    b: *const i8,
    out: *mut f32,
    out_i: *mut i32,
    #[constexpr] R: i32,
    #[constexpr] C: i32,
) {
    let rows = arange(0, R).expand_dims(1);
    let cols = arange(0, C).expand_dims(0);
    let at = rows * C + cols;
    let v = load(x + at);
    let n = R * C;
    store(out + at, cumsum(v, 1));
    store(out + n + at, cumsum(v, 1, true));
    store(out + 2 * n + at, cumprod(v, 0));
    store(out + 3 * n + at, cumprod(v, 0, true));
    store(out + 4 * n + at, cumsum(v, 0, false));
    store(out_i + at, cumsum(load(b + at), 1));
}

#[test]
fn scans_match_sequential_rust_exactly() {
    let engine = Engine::jit();
    let mut rng = Rng(6);
    for (r, c) in [(1, 1), (3, 7), (5, 1000), (2, 1025), (16, 16), (7, 3)] {
        let (ru, cu) = (r as usize, c as usize);
        let n = ru * cu;
        let x: Vec<f32> = (0..n).map(|_| 1.0 + rng.f32(0.01)).collect();
        let b: Vec<i8> = (0..n).map(|_| rng.next() as i8).collect();
        let mut out = vec![0.0f32; 5 * n];
        let mut out_i = vec![0i32; n];
        let args = scans::Args {
            x: &x,
            b: &b,
            out: &mut out,
            out_i: &mut out_i,
            R: r,
            C: c,
        };
        scans::launch(&engine, 1u32, args).unwrap();
        let at = |i: usize, j: usize| i * cu + j;
        for i in 0..ru {
            let (mut fwd, mut rev, mut ints) = (0.0f32, 0.0f32, 0i32);
            for j in 0..cu {
                fwd = if j == 0 {
                    x[at(i, j)]
                } else {
                    fwd + x[at(i, j)]
                };
                assert_eq!(
                    out[at(i, j)].to_bits(),
                    fwd.to_bits(),
                    "cumsum at ({i}, {j})"
                );
                ints += i32::from(b[at(i, j)]);
                assert_eq!(out_i[at(i, j)], ints);
                let jr = cu - 1 - j;
                rev = if j == 0 {
                    x[at(i, jr)]
                } else {
                    rev + x[at(i, jr)]
                };
                assert_eq!(
                    out[n + at(i, jr)].to_bits(),
                    rev.to_bits(),
                    "reverse cumsum at ({i}, {jr})"
                );
            }
        }
        for j in 0..cu {
            let (mut fwd, mut rev, mut sum) = (1.0f32, 1.0f32, 0.0f32);
            for i in 0..ru {
                fwd = if i == 0 {
                    x[at(i, j)]
                } else {
                    fwd * x[at(i, j)]
                };
                assert_eq!(
                    out[2 * n + at(i, j)].to_bits(),
                    fwd.to_bits(),
                    "cumprod at ({i}, {j})"
                );
                sum = if i == 0 {
                    x[at(i, j)]
                } else {
                    sum + x[at(i, j)]
                };
                assert_eq!(out[4 * n + at(i, j)].to_bits(), sum.to_bits());
                let ir = ru - 1 - i;
                rev = if i == 0 {
                    x[at(ir, j)]
                } else {
                    rev * x[at(ir, j)]
                };
                assert_eq!(
                    out[3 * n + at(ir, j)].to_bits(),
                    rev.to_bits(),
                    "reverse cumprod at ({ir}, {j})"
                );
            }
        }
    }
}
