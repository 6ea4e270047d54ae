//! Custom ops in the interpreter: each lane calls the registered host
//! reference (through its bit-pattern entry point), before and after
//! lowering; a missing or mismatched registration is an error at the op.

mod lower_util;

use lower_util::*;
use persim_lang::front::{CustomOpSource, HostFn};
use persim_lang::interp::{run_grid_with, CustomOps, InterpArg, InterpErrorKind};
use persim_lang::ir::{Attr, Attrs, Dtype, Function, Opcode};
use persim_lang::passes::lower::lower_tiles;

fn fma_ref(x: f32, k: i32) -> f32 {
    x * 2.0 + k as f32
}

extern "C" fn fma_host(x: f32, k: i32) -> f32 {
    fma_ref(x, k)
}

fn fma_eval(args: &[u64]) -> u64 {
    assert_eq!(args.len(), 2);
    let x = f32::from_bits(args[0] as u32);
    let k = args[1] as u32 as i32;
    u64::from(fma_ref(x, k).to_bits())
}

static FMA: CustomOpSource = CustomOpSource {
    name: "fma2",
    symbol: "test_fma2",
    params: &[Dtype::F32, Dtype::I32],
    ret: Dtype::F32,
    // SAFETY: only the type is erased.
    host: unsafe { std::mem::transmute::<extern "C" fn(f32, i32) -> f32, HostFn>(fma_host) },
    eval: fma_eval,
    file: "ops.rs",
    line: 3,
    col: 8,
};

/// `out[i] = fma2(x[i], i - 3)` over a tile of `n` elements (no mask: `x`
/// and `out` hold exactly `n`).
fn custom_kernel(n: u32, symbol: &str) -> Function {
    kernel(
        "custom",
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
        ],
        |b, a| {
            let offs = arange(b, 0, n as i64);
            let px = ptrs(b, a[0], offs);
            let x = load(b, 0, px, None, None);
            let three = b.const_i32(3);
            let three = splat(b, three, &[n]);
            let k = bin(b, Opcode::Sub, offs, three);
            let attrs = Attrs::new()
                .with("name", Attr::Str("fma2".into()))
                .with("symbol", Attr::Str(symbol.into()))
                .with("ret", Attr::Dtype(Dtype::F32));
            let y = b.value(Opcode::Custom, &[x, k], attrs).unwrap();
            let po = ptrs(b, a[1], offs);
            store(b, 1, po, y, None);
        },
    )
}

fn run(f: &Function, n: usize, ops: &[&'static CustomOpSource]) -> Result<Vec<f32>, String> {
    let x: Vec<f32> = (0..n).map(|i| i as f32 * 0.25 - 1.0).collect();
    let mut args = vec![InterpArg::slice(&x), InterpArg::slice(&vec![0.0f32; n])];
    run_grid_with(f, [1, 1, 1], &mut args, CustomOps(ops)).map_err(|e| e.to_string())?;
    Ok(args[1].to_vec::<f32>().unwrap())
}

#[test]
fn lanes_call_the_reference_before_and_after_lowering() {
    for n in [1u32, 7, 13] {
        let f = custom_kernel(n, "test_fma2");
        let want: Vec<f32> = (0..n as i32)
            .map(|i| fma_ref(i as f32 * 0.25 - 1.0, i - 3))
            .collect();
        assert_eq!(run(&f, n as usize, &[&FMA]).unwrap(), want, "n={n}");
        // Lowered, `n` is padded to whole vectors: the reference also runs
        // on padded lanes (an unspecified lane gives an unspecified result
        // without a call), and their results are never stored.
        for lanes in LANES {
            let lowered = lower_tiles(&f, &target(lanes)).unwrap();
            assert_eq!(
                run(&lowered, n as usize, &[&FMA]).unwrap(),
                want,
                "n={n} lanes={lanes}"
            );
        }
    }
}

#[test]
fn a_missing_registration_is_an_error_at_the_op() {
    let f = custom_kernel(4, "test_fma2");
    let mut args = vec![
        InterpArg::slice(&[0.0f32; 4]),
        InterpArg::slice(&[0.0f32; 4]),
    ];
    let e = run_grid_with(&f, [1, 1, 1], &mut args, CustomOps(&[])).unwrap_err();
    assert!(matches!(e.kind, InterpErrorKind::Invalid(_)));
    assert_eq!(e.location, "custom.rs:8:1", "the 8th op built");
    assert!(
        e.to_string().contains(
            "custom op `fma2` (symbol `test_fma2`) has no host reference: pass its registration"
        ),
        "{e}"
    );
}

#[test]
fn a_registration_of_another_signature_is_refused() {
    static WRONG: CustomOpSource = CustomOpSource {
        params: &[Dtype::F32, Dtype::F32],
        ..FMA
    };
    let f = custom_kernel(4, "test_fma2");
    let e = run(&f, 4, &[&WRONG]).unwrap_err();
    assert!(
        e.contains("custom op `fma2` is called as (f32, i32) -> f32, but its registration (at ops.rs:3:8) is (f32, f32) -> f32"),
        "{e}"
    );
}
