//! Unrolled loops (`static_range`), hints (`multiple_of`, `max_contiguous`,
//! `assume`: results unchanged) and debugging (`static_assert`,
//! `device_assert`, `device_print`).

use persim::{Backend, Engine, LaunchError};
use std::sync::{Arc, Mutex};

use crate::support::{assert_exact, blocks, f32s, uniform, BLOCK, SIZES};

/// This file, to find the `file:line:col` of a call in it.
const THIS_FILE: &str = include_str!("hints_debug.rs");

/// `hints_debug.rs:line:col` of the first occurrence of `needle`.
fn position(needle: &str) -> String {
    let at = THIS_FILE.find(needle).expect("needle in this file");
    let before = &THIS_FILE[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    format!("hints_debug.rs:{line}:{col}")
}

/// A 7-tap stencil unrolled by `static_range`, the tap index a compile-time
/// constant used as an offset, a weight and in a compile-time `if`; and a
/// stepped `static_range` nested in a runtime loop.
#[persim::kernel]
fn stencil(x: *const i32, out: *mut i32, n: i32, reps: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mut acc = zeros::<i32>([BLOCK]);
    for k in static_range(7) {
        let tap = load(x + offs + k, offs + k < n, 0);
        if k % 2 == 0 {
            acc += tap * (k + 1);
        } else {
            acc -= tap;
        }
    }
    for _ in 0..reps {
        for k in static_range(1, 10, 4) {
            acc += k;
        }
    }
    store(out + offs, acc, offs < n);
}

pub fn static_range_unrolls(engine: &Engine) {
    for &n in SIZES {
        let x = uniform(n, -1000, 1000, 1);
        let mut out = vec![0; n];
        let args = stencil::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
            reps: 3,
            BLOCK,
        };
        stencil::launch(engine, blocks(n), args).unwrap();
        let want: Vec<i32> = (0..n)
            .map(|i| {
                let tap = |k: usize| x.get(i + k).copied().unwrap_or(0);
                let taps: i32 = (0..7)
                    .map(|k| {
                        if k % 2 == 0 {
                            tap(k) * (k as i32 + 1)
                        } else {
                            -tap(k)
                        }
                    })
                    .sum();
                taps + 3 * (1 + 5 + 9)
            })
            .collect();
        assert_exact(&format!("n={n}"), &out, &want);
    }
}

/// A copy with every hint: `assume` on the size, `multiple_of` on the
/// block start and the size, `max_contiguous` on the offsets, and
/// `static_assert` on the block. The same kernel without them is the
/// reference: hints never change a result.
#[persim::kernel]
fn hinted(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    static_assert(BLOCK % 4 == 0, "BLOCK is a multiple of 4");
    static_assert(true);
    assume(n > 0);
    assume(n < 1000000 && n >= 1);
    let start = multiple_of(program_id(0) * BLOCK, BLOCK);
    let offs = max_contiguous(start + arange(0, BLOCK), BLOCK);
    let m = offs < multiple_of(n, 1);
    store(out + offs, load(x + offs, m) * 3.0 + 1.0, m);
}

#[persim::kernel]
fn unhinted(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    store(out + offs, load(x + offs, m) * 3.0 + 1.0, m);
}

pub fn hints_change_nothing(engine: &Engine) {
    for &n in SIZES {
        let x = f32s(n, 2);
        let (mut got, mut want) = (vec![0.0f32; n], vec![0.0f32; n]);
        let args = hinted::Args {
            x: &x,
            out: &mut got,
            n: n as i32,
            BLOCK,
        };
        hinted::launch(engine, blocks(n), args).unwrap();
        let args = unhinted::Args {
            x: &x,
            out: &mut want,
            n: n as i32,
            BLOCK,
        };
        unhinted::launch(engine, blocks(n), args).unwrap();
        assert_exact(&format!("n={n}"), &got, &want);
        let plain: Vec<f32> = x.iter().map(|v| v * 3.0 + 1.0).collect();
        assert_exact(&format!("n={n}"), &got, &plain);
    }
}

/// Asserts every element is below `limit` (a tile assertion) and that `n`
/// is positive (a scalar one).
#[persim::kernel]
fn bounded(x: *const i32, out: *mut i32, n: i32, limit: i32, #[constexpr] BLOCK: i32) {
    device_assert(n > 0);
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let v = load(x + offs, m, 0);
    device_assert(v < limit, "element over the limit");
    store(out + offs, v + 1, m);
}

/// A passing assertion is silent; a failing one fails the launch with the
/// kernel, the call's `file:line:col`, the message and the lowest failing
/// program.
pub fn device_assert(engine: &Engine) {
    for &n in SIZES {
        let mut x = uniform(n, -1000, 1000, 3);
        let mut out = vec![0; n];
        let args = bounded::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
            limit: 1000,
            BLOCK,
        };
        bounded::launch(engine, blocks(n), args).unwrap();
        let want: Vec<i32> = x.iter().map(|v| v + 1).collect();
        assert_exact(&format!("n={n}"), &out, &want);

        // Two bad elements: the lower program is reported.
        let last = n - 1;
        x[last] = 5000;
        if n > 300 {
            x[300] = 1000;
        }
        let want_program = (if n > 300 { 300 } else { last }) / BLOCK as usize;
        let args = bounded::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
            limit: 1000,
            BLOCK,
        };
        match bounded::launch(engine, blocks(n), args).unwrap_err() {
            LaunchError::Assertion {
                kernel,
                location,
                message,
                program,
            } => {
                assert_eq!(kernel, "bounded");
                assert_eq!(message, "element over the limit");
                assert_eq!(program, [want_program as u32, 0, 0], "n={n}");
                let want = position("device_assert(v < limit");
                assert!(
                    location.ends_with(&want),
                    "{location} should end with {want}"
                );
            }
            other => panic!("n={n}: expected an assertion failure, got {other}"),
        }
    }
    let mut out = vec![0; 1];
    let args = bounded::Args {
        x: &[0],
        out: &mut out,
        n: 0,
        limit: 1,
        BLOCK,
    };
    match bounded::launch(engine, 1u32, args).unwrap_err() {
        LaunchError::Assertion {
            message, location, ..
        } => {
            assert_eq!(message, "", "an assertion without a message");
            assert!(
                location.ends_with(&position("device_assert(n > 0)")),
                "{location}"
            );
        }
        other => panic!("expected an assertion failure, got {other}"),
    }
}

/// Prints a tile, a comparison and a scalar, 64-bit values (a tile beyond
/// 32 bits, an `f64` scalar), and a lone prefix.
#[persim::kernel]
fn chatty(x: *const i32, #[constexpr] W: i32) {
    let v = load(x + program_id(0) * W + arange(0, W));
    device_print("v", v);
    device_print("big: ", v > 10);
    device_print("pid", program_id(0) * 100);
    device_print("wide", v.to::<i64>() * 1000000007 - 5000000000);
    device_print("half", program_id(0).to::<f64>() + 0.5);
    device_print("done");
}

/// The lines `chatty` prints on `backend` (checked or not) for `x` in
/// `programs` rows of width `w`, sorted: instances may interleave.
fn printed_lines(
    backend: &Backend,
    checked: bool,
    x: &[i32],
    programs: usize,
    w: usize,
) -> Vec<String> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let printing = Engine::with_backend(backend.clone())
        .checked(checked)
        .print_sink(move |p| sink.lock().unwrap().push(p.to_string()));
    chatty::launch(&printing, programs as u32, chatty::Args { x, W: w as i32 }).unwrap();
    let mut lines = seen.lock().unwrap().clone();
    lines.sort();
    lines
}

/// `device_print` records reach the engine's print sink, in the same
/// format on every backend. The sink is set when an engine is built, so
/// this case builds an engine of its own on the suite's backend, in the
/// suite's checked mode; on a backend other than Cranelift it also checks
/// that the lines, source locations included, are the Cranelift JIT's.
pub fn device_print(engine: &Engine) {
    for (programs, w) in [(1usize, 1usize), (3, 7), (2, 1025)] {
        let x = uniform(programs * w, 0, 20, w as u64);
        let lines = printed_lines(engine.backend(), engine.is_checked(), &x, programs, w);
        // Drop the location prefix.
        let mut got: Vec<String> = lines
            .iter()
            .map(|line| {
                assert!(line.contains("hints_debug.rs:"), "{line}");
                line.split_once(": ").unwrap().1.to_string()
            })
            .collect();
        got.sort();
        let mut want = Vec::new();
        for p in 0..programs {
            for i in 0..w {
                let v = x[p * w + i];
                want.push(format!("pid ({p}, 0, 0) idx ({i}) v: {v}"));
                want.push(format!("pid ({p}, 0, 0) idx ({i}) big: {}", v > 10));
                let wide = i64::from(v) * 1_000_000_007 - 5_000_000_000;
                want.push(format!("pid ({p}, 0, 0) idx ({i}) wide: {wide}"));
            }
            want.push(format!("pid ({p}, 0, 0) pid: {}", p * 100));
            want.push(format!("pid ({p}, 0, 0) half: {}", p as f64 + 0.5));
            want.push(format!("pid ({p}, 0, 0) done"));
        }
        want.sort();
        assert_eq!(got, want, "{programs} programs of width {w}");
        if *engine.backend() != Backend::Cranelift {
            let cranelift = printed_lines(&Backend::Cranelift, false, &x, programs, w);
            assert_eq!(
                lines, cranelift,
                "{programs} programs of width {w}: vs Cranelift"
            );
        }
    }
}
