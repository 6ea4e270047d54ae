//! Custom ops on the JIT from text IR: a module with a device function
//! calling a `custom` op of mixed argument types is inlined, lowered and
//! run, each lane calling the host reference; unregistered or mismatched
//! registrations are compile errors naming the op.

use persim_backend::{Arg, Engine, Grid, LaunchError};
use persim_lang::front::{CustomOpSource, HostFn};
use persim_lang::ir::{parse_module, Dtype};

fn affine_ref(x: f32, k: i64) -> f32 {
    x * 3.0 - k as f32
}

extern "C" fn affine_host(x: f32, k: i64) -> f32 {
    affine_ref(x, k)
}

fn affine_eval(args: &[u64]) -> u64 {
    let x = f32::from_bits(args[0] as u32);
    u64::from(affine_ref(x, args[1] as i64).to_bits())
}

static AFFINE: CustomOpSource = CustomOpSource {
    name: "affine",
    symbol: "mylib_affine_f32_i64",
    params: &[Dtype::F32, Dtype::I64],
    ret: Dtype::F32,
    // SAFETY: only the type is erased.
    host: unsafe { std::mem::transmute::<extern "C" fn(f32, i64) -> f32, HostFn>(affine_host) },
    eval: affine_eval,
    file: "ops.rs",
    line: 1,
    col: 4,
};

/// `out[i] = affine(x[i], i)` for `i < n`, over one block of 13 through a
/// device function.
const MODULE: &str = r#"
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) files ["k.rs"] {
  %3 = arange {lo = 0, hi = 13} : tile<13xi32>
  %4 = splat %2 {shape = [13]} : tile<13xi32>
  %5 = cmp %3, %4 {pred = lt} : tile<13xi1>
  %6 = splat %0 {shape = [13]} : tile<13xptr<f32>>
  %7 = ptr_add %6, %3 : tile<13xptr<f32>>
  %8 = load %7, %5 {arg = 0} : tile<13xf32>
  %9 = cast %3 {to = i64} : tile<13xi64>
  %10 = call %8, %9 {callee = "act"} : tile<13xf32> loc(4:9)
  %11 = splat %1 {shape = [13]} : tile<13xptr<f32>>
  %12 = ptr_add %11, %3 : tile<13xptr<f32>>
  store %12, %10, %5 {arg = 1}
  return
}

func @act(%0 x: tile<13xf32>, %1 k: tile<13xi64>) -> tile<13xf32> files ["act.rs"] {
  %2 = custom %0, %1 {name = "affine", symbol = "mylib_affine_f32_i64", ret = f32} : tile<13xf32> loc(2:5)
  return %2
}
"#;

#[test]
fn lanes_call_the_host_reference() {
    let m = parse_module(MODULE).unwrap();
    let engine = Engine::jit();
    let kernel = engine.compile_module(&m, "k", &[&AFFINE]).unwrap();
    for n in [1usize, 7, 13] {
        let x: Vec<f32> = (0..n).map(|i| i as f32 * 0.5 - 2.0).collect();
        let mut out = vec![0.0f32; n];
        let mut args = [Arg::from(&x), Arg::from(&mut out), Arg::from(n as i32)];
        engine
            .launch_compiled(&kernel, Grid::from(1u32), &mut args)
            .unwrap();
        let want: Vec<f32> = (0..n).map(|i| affine_ref(x[i], i as i64)).collect();
        assert_eq!(out, want, "n={n}");
    }
}

fn compile_error(customs: &[&'static CustomOpSource]) -> String {
    let m = parse_module(MODULE).unwrap();
    match Engine::jit().compile_module(&m, "k", customs) {
        Err(LaunchError::Compile { message, .. }) => message,
        other => panic!("expected a compile error, got {other:?}"),
    }
}

#[test]
fn an_unregistered_op_is_a_compile_error_at_the_op() {
    let message = compile_error(&[]);
    assert!(
        message.contains("act.rs:2:5")
            && message
                .contains("custom op `affine` (symbol `mylib_affine_f32_i64`) is not registered"),
        "{message}"
    );
}

#[test]
fn a_registration_of_another_signature_is_a_compile_error() {
    static NARROW: CustomOpSource = CustomOpSource {
        params: &[Dtype::F32, Dtype::I32],
        ..AFFINE
    };
    let message = compile_error(&[&NARROW]);
    assert!(
        message.contains(
            "custom op `affine` is called as (f32, i64) -> f32, but its registration at ops.rs:1:4 is (f32, i32) -> f32"
        ),
        "{message}"
    );
}
