//! The new ops on both host JITs (Cranelift, LLVM) at lane counts other
//! than their defaults (1, 3, 8 and 16: scalar-per-lane vectors, several
//! SIMD parts, masks that are not native), against the interpreter on the
//! tile-level IR. And `print` of a whole vector in hand-lowered IR, a form
//! the lowering never emits.

use persim::ir::{Attr, Function};
use persim::prelude::*;
use persim::target::Target;
use persim::Backend;
use persim_lang::debug::DevicePrint;
use persim_lang::interp::{run_grid_printing, HostElem, InterpArg};
use std::sync::{Arc, Mutex};

/// A bit of everything, on rows of `C` floats.
#[persim::kernel]
fn mixed(
    x: *const f32,
    out: *mut f32,
    idx: *mut i32,
    hi: *mut u32,
    #[constexpr] R: i32,
    #[constexpr] C: i32,
) {
    let rows = arange(0, R).expand_dims(1);
    let cols = arange(0, C).expand_dims(0);
    let at = rows * C + cols;
    let v = load(x + at);
    device_assert(v == v, "no NaN in the input");
    let n = R * C;
    store(out + at, fma(floor(v), exp2(v), ceil(v)));
    store(out + n + at, cumsum(v, 1, true));
    store(out + 2 * n + at, cumprod(sigmoid(v), 0));
    store(idx + arange(0, R), argmax(v, 1));
    store(idx + R + arange(0, C), argmin(v, 0));
    let bits = (v * 1000.0).to::<u32>();
    store(hi + at, umulhi(bits, bits + 12345));
    device_print("row max", max(v, 1));
}

fn lower_for(f: &Function, lanes: u32) -> Function {
    let mut g = f.clone();
    let target = Target {
        lanes,
        ..Target::cranelift()
    };
    persim::passes::Pipeline::standard(target)
        .run(&mut g)
        .unwrap_or_else(|e| panic!("lowering for {lanes} lanes: {e}"));
    g
}

/// The host JIT backends: each test runs on both, which must agree with
/// the interpreter (and so with each other) at every lane count.
fn backends() -> [Backend; 2] {
    [Backend::Cranelift, Backend::llvm_host()]
}

fn capture(backend: &Backend) -> (Engine, Arc<Mutex<Vec<DevicePrint>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let engine = Engine::with_backend(backend.clone())
        .print_sink(move |p| sink.lock().unwrap().push(p.clone()));
    (engine, seen)
}

#[test]
fn new_ops_agree_with_the_interpreter_at_every_lane_count() {
    for (r, c) in [(1, 1), (3, 7), (2, 17), (4, 16)] {
        let n = (r * c) as usize;
        let x: Vec<f32> = (0..n)
            .map(|i| ((i * 37 % 23) as f32 - 11.0) / 4.0)
            .collect();
        let f = mixed::ir(&[("R", r.into()), ("C", c.into())]).unwrap();
        let mut want = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&vec![0.0f32; 3 * n]),
            InterpArg::slice(&vec![0i32; (r + c) as usize]),
            InterpArg::slice(&vec![0u32; n]),
        ];
        let mut want_prints = Vec::new();
        run_grid_printing(&f, [1, 1, 1], &mut want, &mut |p| {
            want_prints.push(p.clone())
        })
        .unwrap();
        let want_out = want[1].to_vec::<f32>().unwrap();
        for (backend, lanes) in backends()
            .iter()
            .flat_map(|b| [1, 3, 8, 16].map(|l| (b, l)))
        {
            let (engine, seen) = capture(backend);
            let k = engine.compile_ir(&lower_for(&f, lanes)).unwrap();
            let mut out = vec![0.0f32; 3 * n];
            let mut idx = vec![0i32; (r + c) as usize];
            let mut hi = vec![0u32; n];
            let mut args = [
                Arg::from(&x),
                Arg::from(&mut out),
                Arg::from(&mut idx),
                Arg::from(&mut hi),
            ];
            engine.launch_compiled(&k, 1u32.into(), &mut args).unwrap();
            let what = format!("{}: {r}x{c}, {lanes} lanes", backend.name());
            assert_eq!(idx, want[2].to_vec::<i32>().unwrap(), "{what}");
            assert_eq!(hi, want[3].to_vec::<u32>().unwrap(), "{what}");
            for (i, (g, w)) in out.iter().zip(&want_out).enumerate() {
                // `exp2` and the `exp` in `sigmoid` may differ from the
                // interpreter's by an ulp, which `fma` and the products carry
                // along: 8 ulps, relative.
                let close = (g - w).abs() <= 8.0 * f32::EPSILON * w.abs().max(1.0);
                assert!(close, "{what}: out[{i}] = {g}, interpreter {w}");
            }
            assert_eq!(*seen.lock().unwrap(), want_prints, "{what}");
        }
        // A NaN fails the assertion at every lane count.
        let mut bad = x.clone();
        bad[n - 1] = f32::NAN;
        for (backend, lanes) in backends()
            .iter()
            .flat_map(|b| [1, 3, 8, 16].map(|l| (b, l)))
        {
            let (engine, _) = capture(backend);
            let k = engine.compile_ir(&lower_for(&f, lanes)).unwrap();
            let (mut out, mut idx, mut hi) = (
                vec![0.0f32; 3 * n],
                vec![0i32; (r + c) as usize],
                vec![0u32; n],
            );
            let mut args = [
                Arg::from(&bad),
                Arg::from(&mut out),
                Arg::from(&mut idx),
                Arg::from(&mut hi),
            ];
            match engine.launch_compiled(&k, 1u32.into(), &mut args) {
                Err(LaunchError::Assertion { message, .. }) => {
                    assert_eq!(message, "no NaN in the input")
                }
                other => panic!("{}: {r}x{c}, {lanes} lanes: {other:?}", backend.name()),
            }
        }
    }
}

#[persim::kernel]
fn vector_print(x: *const f32, #[constexpr] L: i32) {
    device_print("x", load(x + arange(0, L)));
}

#[test]
fn print_of_a_whole_vector_in_lowered_ir() {
    for lanes in [1, 3, 4, 8] {
        // Every tile is one vector and every op is allowed in lowered IR:
        // the tile-level IR is already lowered IR for `lanes` lanes.
        let mut f = vector_print::ir(&[("L", lanes.into())]).unwrap();
        f.attrs.set("lanes", Attr::Int(lanes.into()));
        f.attrs.set("local_mem", Attr::Int(0));
        let x: Vec<f32> = (0..lanes).map(|i| i as f32 + 0.5).collect();
        let mut want = Vec::new();
        run_grid_printing(&f, [1, 1, 1], &mut [InterpArg::slice(&x)], &mut |p| {
            want.push(p.clone())
        })
        .unwrap();
        assert_eq!(want.len(), lanes as usize);
        for backend in backends() {
            let (engine, seen) = capture(&backend);
            let k = engine.compile_ir(&f).unwrap();
            engine
                .launch_compiled(&k, 1u32.into(), &mut [Arg::from(&x)])
                .unwrap();
            let what = format!("{}: {lanes} lanes", backend.name());
            assert_eq!(*seen.lock().unwrap(), want, "{what}");
        }
    }
}

#[persim::kernel]
fn vector_arg(x: *const f32, out: *mut i32, #[constexpr] L: i32) {
    let v = load(x + arange(0, L));
    store(out, argmax(v, 0));
    store(out + 1, argmin(v, 0));
}

#[persim::kernel]
fn vector_arg_i32(x: *const i32, out: *mut i32, #[constexpr] L: i32) {
    let v = load(x + arange(0, L));
    store(out, argmax(v, 0));
    store(out + 1, argmin(v, 0));
}

#[persim::kernel]
fn vector_arg_u32(x: *const u32, out: *mut i32, #[constexpr] L: i32) {
    let v = load(x + arange(0, L));
    store(out, argmax(v, 0));
    store(out + 1, argmin(v, 0));
}

/// The lowered form of `f` for `lanes` lanes, which must reduce its one
/// vector with two index `reduce`s (`argmax`, `argmin`).
fn lowered_arg_kernel(f: &Function, lanes: u32) -> Function {
    let g = lower_for(f, lanes);
    let index_reduces = g
        .all_ops()
        .into_iter()
        .filter(|&op| g.op(op).attrs.reduce_kind().is_some_and(|k| k.is_index()))
        .count();
    assert_eq!(index_reduces, 2, "{lanes} lanes");
    g
}

/// Run the lowered `g` on every backend and compare `[argmax, argmin]` of
/// `x` with the interpreter on the tile-level `f`.
fn check_arg_reduce<T: persim::Element + HostElem + std::fmt::Debug>(
    f: &Function,
    g: &Function,
    x: &[T],
) {
    let mut want = vec![InterpArg::slice(x), InterpArg::slice(&[0i32; 2])];
    run_grid_printing(f, [1, 1, 1], &mut want, &mut |_| {}).unwrap();
    let want = want[1].to_vec::<i32>().unwrap();
    for backend in backends() {
        let (engine, _) = capture(&backend);
        let k = engine.compile_ir(g).unwrap();
        let mut out = [0i32; 2];
        engine
            .launch_compiled(
                &k,
                1u32.into(),
                &mut [Arg::from(x), Arg::from(&mut out[..])],
            )
            .unwrap();
        assert_eq!(out.to_vec(), want, "{}: {x:?}", backend.name());
    }
}

#[test]
fn argmax_of_one_vector_folds_its_lanes_on_the_jit() {
    // A tile of exactly one vector reduces with one lowered `reduce`, which
    // each JIT folds lane by lane keeping positions: ties to the lowest
    // index, -0.0 tying +0.0, the first NaN winning.
    for lanes in [1, 3, 4, 8, 16] {
        let f = vector_arg::ir(&[("L", lanes.into())]).unwrap();
        let g = lowered_arg_kernel(&f, lanes);
        for pattern in [
            [1.0f32, 3.0, -2.0, 3.0, f32::NAN, 0.0, f32::NAN, -2.0],
            [-0.0, 0.0, -0.0, 0.0, 5.0, 5.0, -7.0, -7.0],
            [0.0, -0.0, 0.0, -0.0, -7.0, 5.0, -7.0, 5.0],
            [f32::NEG_INFINITY; 8],
            [
                2.0,
                f32::INFINITY,
                f32::NAN,
                f32::NEG_INFINITY,
                1.0,
                1.0,
                1.0,
                1.0,
            ],
        ] {
            let x: Vec<f32> = (0..lanes as usize).map(|i| pattern[i % 8]).collect();
            check_arg_reduce(&f, &g, &x);
        }
        let f = vector_arg_i32::ir(&[("L", lanes.into())]).unwrap();
        let g = lowered_arg_kernel(&f, lanes);
        for pattern in [
            [3, -1, 3, i32::MIN, i32::MAX, 0, i32::MAX, i32::MIN],
            [-5, -5, -5, -5, -5, -5, -5, -5],
        ] {
            let x: Vec<i32> = (0..lanes as usize).map(|i| pattern[i % 8]).collect();
            check_arg_reduce(&f, &g, &x);
        }
        let f = vector_arg_u32::ir(&[("L", lanes.into())]).unwrap();
        let g = lowered_arg_kernel(&f, lanes);
        // Unsigned: `u32::MAX` is the largest, not -1.
        let pattern = [7u32, u32::MAX, 0, u32::MAX, 1 << 31, 0, 7, 1];
        let x: Vec<u32> = (0..lanes as usize).map(|i| pattern[i % 8]).collect();
        check_arg_reduce(&f, &g, &x);
    }
}
