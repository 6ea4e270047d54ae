//! Hints, `static_assert`, `device_assert` and `device_print` end to end on
//! the JIT: hints change no result (and `assume` removes a mask), a failed
//! assertion is a launch error naming the kernel, `file:line:col`, the
//! message and the lowest failing program id (never a crash), and printed
//! records reach the engine's sink exactly as the interpreter prints them.
//! The debugging ops run on both host JITs (Cranelift and LLVM).

use persim::ir::Opcode;
use persim::prelude::*;
use persim::Backend;
use persim_lang::debug::{DevicePrint, PrintValue};
use persim_lang::interp::{run_grid_printing, InterpArg};
use std::sync::{Arc, Mutex};

const THIS_FILE: &str = include_str!("lang_debug.rs");

/// `file:line:col` suffix of the first occurrence of `needle` here.
fn position(needle: &str) -> String {
    let at = THIS_FILE.find(needle).expect("needle in this file");
    let before = &THIS_FILE[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    format!("lang_debug.rs:{line}:{col}")
}

/// A vector copy whose size is promised to be a positive multiple of BLOCK.
#[persim::kernel]
fn hinted_copy(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    assume(n >= BLOCK);
    let n = multiple_of(n, BLOCK);
    let offs = max_contiguous(
        multiple_of(program_id(0) * BLOCK, BLOCK) + arange(0, BLOCK),
        BLOCK,
    );
    let first = arange(0, BLOCK) < n;
    let mask = offs < n;
    store(out + offs, load(x + offs, mask) * 2.0, mask && first);
}

#[test]
fn hints_change_no_result_and_assume_removes_a_mask() {
    let engine = Engine::jit();
    for block in [4, 7, 16, 1024] {
        let n = 3 * block as usize;
        let x: Vec<f32> = (0..n).map(|i| i as f32).collect();
        let mut out = vec![0.0f32; n];
        let args = hinted_copy::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
            BLOCK: block,
        };
        hinted_copy::launch(&engine, 3u32, args).unwrap();
        assert!(out.iter().enumerate().all(|(i, &v)| v == 2.0 * i as f32));
    }
    // Every hint is in the IR. With one vector per tile (BLOCK = the JIT's
    // 4 lanes), the standard pipeline proves `first` (`arange(0, 4) < n`
    // with `n >= 4`) true and drops it. (Larger tiles live in local buffers,
    // where the range analysis does not follow them.)
    let f = hinted_copy::ir(&[("BLOCK", 4)]).unwrap();
    let count = |f: &persim::ir::Function, o: Opcode| {
        f.all_ops()
            .into_iter()
            .filter(|&op| f.op(op).opcode == o)
            .count()
    };
    assert_eq!(count(&f, Opcode::Assume), 1);
    assert_eq!(count(&f, Opcode::MultipleOf), 2);
    assert_eq!(count(&f, Opcode::MaxContiguous), 1);
    assert_eq!(count(&f, Opcode::Cmp), 3);
    let mut lowered = f.clone();
    persim::passes::Pipeline::standard(persim::target::Target::cranelift())
        .run(&mut lowered)
        .unwrap();
    assert_eq!(count(&lowered, Opcode::Assume), 1, "the fact survives");
    // Left: the assumed `n >= 4` and the runtime `offs < n`.
    assert_eq!(count(&lowered, Opcode::Cmp), 2);
}

#[persim::kernel]
fn blocked(out: *mut f32, #[constexpr] BLOCK: i32) {
    static_assert(BLOCK % 4 == 0, "BLOCK must be a multiple of 4");
    static_assert(true);
    store(out + arange(0, BLOCK), 1.0);
}

#[test]
fn static_assert_is_checked_at_launch_with_the_constexprs() {
    let engine = Engine::jit();
    let mut out = vec![0.0f32; 8];
    blocked::launch(
        &engine,
        1u32,
        blocked::Args {
            out: &mut out,
            BLOCK: 8,
        },
    )
    .unwrap();
    assert_eq!(out, vec![1.0; 8]);
    let err = blocked::launch(
        &engine,
        1u32,
        blocked::Args {
            out: &mut out,
            BLOCK: 6,
        },
    )
    .unwrap_err();
    let LaunchError::Frontend(d) = &err else {
        panic!("expected a frontend error, got {err}")
    };
    assert_eq!(
        d.message,
        "static assertion failed: BLOCK must be a multiple of 4"
    );
    let location = d.location.clone().unwrap();
    assert!(
        location.ends_with(&position("BLOCK % 4 == 0")),
        "{location}"
    );
}

/// Asserts every loaded element is non-negative, and `n` positive.
#[persim::kernel]
fn checked_sqrt(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    device_assert(n > 0, "n must be positive");
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let v = load(x + offs, mask, 0.0);
    device_assert(v >= 0.0, "sqrt of a negative number");
    store(out + offs, sqrt(v), mask);
}

#[test]
fn device_assert_fails_the_launch_with_location_message_and_program() {
    for (engine, what) in [
        (Engine::jit(), "default pool"),
        (Engine::jit().threads(4), "4 threads"),
        (Engine::jit().threads(1), "1 thread"),
        (Engine::jit().checked(true), "checked"),
        (Engine::llvm(), "llvm"),
        (Engine::llvm().threads(4), "llvm, 4 threads"),
    ] {
        for block in [1, 7, 16, 1025] {
            let n = 6 * block as usize - 1;
            let mut x = vec![4.0f32; n];
            let mut out = vec![0.0f32; n];
            let args = checked_sqrt::Args {
                x: &x,
                out: &mut out,
                n: n as i32,
                BLOCK: block,
            };
            checked_sqrt::launch(&engine, 6u32, args).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(out.iter().all(|&v| v == 2.0));
            // Negative elements in programs 4 and 2: program 2 is reported.
            x[4 * block as usize] = -1.0;
            x[2 * block as usize + block as usize / 2] = -1.0;
            let args = checked_sqrt::Args {
                x: &x,
                out: &mut out,
                n: n as i32,
                BLOCK: block,
            };
            let err = checked_sqrt::launch(&engine, 6u32, args).unwrap_err();
            match &err {
                LaunchError::Assertion {
                    kernel,
                    location,
                    message,
                    program,
                } => {
                    assert_eq!(kernel, "checked_sqrt");
                    assert_eq!(message, "sqrt of a negative number");
                    assert_eq!(*program, [2, 0, 0], "{what}, BLOCK {block}");
                    assert!(
                        location.ends_with(&position("device_assert(v >= 0.0")),
                        "{location}"
                    );
                }
                other => panic!("{what}: expected an assertion failure, got {other}"),
            }
            let text = err.to_string();
            assert!(
                text.contains(
                    "device assertion failed in program (2, 0, 0): sqrt of a negative number"
                ),
                "{text}"
            );
        }
        let mut out = vec![0.0f32; 1];
        let args = checked_sqrt::Args {
            x: &[1.0],
            out: &mut out,
            n: 0,
            BLOCK: 4,
        };
        match checked_sqrt::launch(&engine, 1u32, args).unwrap_err() {
            LaunchError::Assertion { message, .. } => assert_eq!(message, "n must be positive"),
            other => panic!("{what}: {other}"),
        }
    }
}

/// Prints a tile of `f16`, a tile of bools, a scalar and a lone prefix.
#[persim::kernel]
fn chatty(x: *const f16, #[constexpr] R: i32, #[constexpr] C: i32) {
    let rows = arange(0, R).expand_dims(1);
    let cols = arange(0, C).expand_dims(0);
    let v = load(x + (program_id(0) * R + rows) * C + cols);
    device_print("v", v);
    device_print("positive: ", v > 0.0);
    device_print("pid", program_id(0) * 10);
    device_print("done");
}

/// The host JITs.
fn backends() -> [Backend; 2] {
    [Backend::Cranelift, Backend::llvm_host()]
}

/// Launch `chatty` on a JIT of `backend`, capturing its records.
fn jit_records(backend: &Backend, x: &[f16], programs: u32, r: i32, c: i32) -> Vec<DevicePrint> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let engine = Engine::with_backend(backend.clone())
        .print_sink(move |p| sink.lock().unwrap().push(p.clone()));
    chatty::launch(&engine, programs, chatty::Args { x, R: r, C: c }).unwrap();
    let records = seen.lock().unwrap().clone();
    records
}

#[test]
fn device_print_sends_the_interpreters_records_to_the_sink() {
    for backend in backends() {
        device_print_on(&backend);
    }
}

fn device_print_on(backend: &Backend) {
    for (r, c) in [(1, 1), (2, 3), (3, 7), (1, 17)] {
        let programs = 3u32;
        let n = (programs as i32 * r * c) as usize;
        let x: Vec<f16> = (0..n)
            .map(|i| f16::from_f32(i as f32 * 0.1 - 1.0))
            .collect();
        let mut got = jit_records(backend, &x, programs, r, c);
        let f = chatty::ir(&[("R", r.into()), ("C", c.into())]).unwrap();
        let mut want = Vec::new();
        let mut args = vec![InterpArg::slice(&x)];
        run_grid_printing(&f, [programs, 1, 1], &mut args, &mut |p| {
            want.push(p.clone())
        })
        .unwrap();
        // Instances may run on several threads: compare per program, in order.
        got.sort_by_key(|p| p.program);
        want.sort_by_key(|p| p.program);
        assert_eq!(got, want, "{}: R = {r}, C = {c}", backend.name());
        let per_program = 2 * (r * c) as usize + 2;
        assert_eq!(got.len(), programs as usize * per_program);
        let first = &got[0];
        assert_eq!(
            first.value,
            Some(PrintValue::Float(-1.0, persim::ir::Dtype::F16))
        );
        let line = got[0].to_string();
        assert!(line.contains(&position("device_print(\"v\", v)")), "{line}");
    }
    // What standard error would show.
    let x = [f16::from_f32(0.1), f16::from_f32(-2.0)];
    let lines: Vec<String> = jit_records(backend, &x, 1, 1, 2)
        .iter()
        .map(|p| p.to_string().split_once(": ").unwrap().1.to_string())
        .collect();
    assert_eq!(
        lines,
        [
            "pid (0, 0, 0) idx (0, 0) v: 0.1",
            "pid (0, 0, 0) idx (0, 1) v: -2",
            "pid (0, 0, 0) idx (0, 0) positive: true",
            "pid (0, 0, 0) idx (0, 1) positive: false",
            "pid (0, 0, 0) pid: 0",
            "pid (0, 0, 0) done",
        ]
    );
}

#[test]
fn a_panicking_print_sink_reaches_the_caller() {
    for backend in backends() {
        let engine = Engine::with_backend(backend).print_sink(|_| panic!("sink refuses"));
        let x = [f16::ZERO; 4];
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            chatty::launch(&engine, 2u32, chatty::Args { x: &x, R: 1, C: 2 })
        }));
        let payload = caught.expect_err("the sink's panic is re-raised");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"sink refuses"));
    }
}

/// Stores `i + 1` then asserts `i < 3`, for `i` in `0..n`.
#[persim::kernel]
fn stops(out: *mut i32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    for i in 0..n {
        store(out + offs, i + 1);
        device_assert(i < 3, "stop");
    }
}

#[test]
fn a_failed_assertion_returns_from_the_instance_at_once() {
    // The assertion fails at `i = 3`, inside the loop, after the store of
    // 4: the instance returns there, so the store of 5 never happens.
    for backend in backends() {
        let engine = Engine::with_backend(backend.clone());
        for block in [1, 16, 100] {
            let mut out = vec![0i32; block as usize];
            let args = stops::Args {
                out: &mut out,
                n: 5,
                BLOCK: block,
            };
            match stops::launch(&engine, 1u32, args).unwrap_err() {
                LaunchError::Assertion { message, .. } => assert_eq!(message, "stop"),
                other => panic!("{}: {other}", backend.name()),
            }
            assert!(out.iter().all(|&v| v == 4), "{}: {out:?}", backend.name());
        }
    }
}
