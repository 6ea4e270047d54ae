//! The launch API: validation errors name what is wrong; the compiled-kernel
//! cache compiles each (kernel, constexprs, mode, which integer arguments
//! are 1) once.

mod common;

use common::*;
use persim_backend::{Arg, Engine, Grid, LaunchError};
use persim_lang::front::{Diagnostic, KernelSource, ParamKind, ParamSig};
use persim_lang::ir::{Dtype, Module};

static ADD: KernelSource = KernelSource {
    name: "add",
    file: "kernel.rs",
    text: "",
    locs: &[],
    params: &[
        ParamSig {
            name: "x",
            kind: ParamKind::Ptr {
                dtype: Dtype::F32,
                mutable: false,
            },
        },
        ParamSig {
            name: "y",
            kind: ParamKind::Ptr {
                dtype: Dtype::F32,
                mutable: false,
            },
        },
        ParamSig {
            name: "out",
            kind: ParamKind::Ptr {
                dtype: Dtype::F32,
                mutable: true,
            },
        },
        ParamSig {
            name: "n",
            kind: ParamKind::Scalar(Dtype::I32),
        },
        ParamSig {
            name: "BLOCK",
            kind: ParamKind::Constexpr(Dtype::I32),
        },
    ],
    deps: &[],
};

/// Stands in for the frontend: lowered vector add specialized on BLOCK.
fn specialize_add(src: &KernelSource, consts: &[(&str, i64)]) -> Result<Module, Diagnostic> {
    assert_eq!(src.name, "add");
    let block = consts
        .iter()
        .find(|(n, _)| *n == "BLOCK")
        .map(|c| c.1)
        .unwrap();
    Ok(Module::from(vector_add(4, block as u32, true, true)))
}

fn jit() -> Engine {
    Engine::jit().with_specializer(specialize_add)
}

fn launch_add(
    engine: &Engine,
    grid: Grid,
    consts: &[(&str, i64)],
    args: &mut [Arg<'_>],
) -> Result<(), LaunchError> {
    engine.launch(&ADD, grid, consts, args)
}

/// As Triton's JIT, the host JITs specialize on integer arguments equal to
/// 1 (a unit stride makes rows contiguous): `n = 1` compiles its own code,
/// which computes what the general code does, and is cached like any.
#[test]
fn an_integer_argument_of_one_is_specialized() {
    let engine = jit();
    let x: Vec<f32> = (0..64).map(|i| i as f32).collect();
    let y = vec![0.5f32; 64];
    for n in [1usize, 64, 1, 64] {
        let mut out = vec![-1.0f32; 64];
        launch_add(
            &engine,
            Grid::from(1u32),
            &[("BLOCK", 64)],
            &mut [
                Arg::from(&x),
                Arg::from(&y),
                Arg::from(&mut out),
                Arg::from(n as i32),
            ],
        )
        .unwrap();
        assert!(
            (0..64).all(|i| out[i] == if i < n { x[i] + 0.5 } else { -1.0 }),
            "n={n}"
        );
    }
    let stats = engine.stats();
    assert_eq!((stats.compiles, stats.cache_hits), (2, 2));
}

#[test]
fn launch_runs_and_the_cache_compiles_once() {
    let engine = jit();
    let n = 1000;
    let x: Vec<f32> = (0..n).map(|i| i as f32).collect();
    let y = vec![0.5f32; n];
    for block in [64, 64, 128, 64] {
        let mut out = vec![0.0f32; n];
        launch_add(
            &engine,
            Grid::from(n.div_ceil(block)),
            &[("BLOCK", block as i64)],
            &mut [
                Arg::from(&x),
                Arg::from(&y),
                Arg::from(&mut out),
                Arg::from(n as i32),
            ],
        )
        .unwrap();
        assert!((0..n).all(|i| out[i] == x[i] + 0.5));
    }
    let stats = engine.stats();
    assert_eq!((stats.compiles, stats.cache_hits, stats.cached), (2, 2, 2));
    let k = engine.compile(&ADD, &[("BLOCK", 64)]).unwrap();
    assert_eq!(engine.stats().compiles, 2, "second lookup compiles nothing");
    eprintln!(
        "vector add (L=4, BLOCK=64) compile time: {:?} ({:?})",
        k.compile_time(),
        k.compile_times()
    );
}

#[test]
fn checked_and_unchecked_are_cached_apart() {
    let a = jit();
    let b = jit().checked(true);
    for e in [&a, &b] {
        let x = vec![1.0f32; 8];
        let mut out = vec![0.0f32; 8];
        launch_add(
            e,
            Grid::from(1u32),
            &[("BLOCK", 8)],
            &mut [
                Arg::from(&x),
                Arg::from(&x),
                Arg::from(&mut out),
                Arg::from(8i32),
            ],
        )
        .unwrap();
        assert_eq!(out, vec![2.0; 8]);
        assert_eq!(e.stats().compiles, 1);
    }
    assert!(b.compile(&ADD, &[("BLOCK", 8)]).unwrap().is_checked());
    assert!(!a.compile(&ADD, &[("BLOCK", 8)]).unwrap().is_checked());
}

#[test]
fn concurrent_launches_compile_once() {
    let engine = jit();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                let x = vec![1.0f32; 100];
                let mut out = vec![0.0f32; 100];
                launch_add(
                    &engine,
                    Grid::from(2u32),
                    &[("BLOCK", 64)],
                    &mut [
                        Arg::from(&x),
                        Arg::from(&x),
                        Arg::from(&mut out),
                        Arg::from(100i32),
                    ],
                )
                .unwrap();
                assert_eq!(out, vec![2.0; 100]);
            });
        }
    });
    assert_eq!(engine.stats().compiles, 1);
    assert_eq!(engine.stats().cache_hits, 3);
}

fn err_of(consts: &[(&str, i64)], grid: Grid, args: &mut [Arg<'_>]) -> LaunchError {
    let engine = jit();
    let e = launch_add(&engine, grid, consts, args).unwrap_err();
    assert_eq!(
        engine.stats().compiles,
        0,
        "nothing compiles or runs for a bad launch: {e}"
    );
    e
}

#[test]
fn wrong_argument_count() {
    let x = vec![0.0f32; 4];
    let e = err_of(
        &[("BLOCK", 4)],
        Grid::from(1u32),
        &mut [Arg::from(&x), Arg::from(&x)],
    );
    assert!(
        matches!(
            e,
            LaunchError::Arity {
                expected: 4,
                got: 2,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn wrong_element_type_names_the_argument() {
    let x = vec![0.0f32; 4];
    let wrong = vec![0.0f64; 4];
    let mut out = vec![0.0f32; 4];
    let e = err_of(
        &[("BLOCK", 4)],
        Grid::from(1u32),
        &mut [
            Arg::from(&x),
            Arg::from(&wrong),
            Arg::from(&mut out),
            Arg::from(4i32),
        ],
    );
    match e {
        LaunchError::ArgType {
            arg, expected, got, ..
        } => assert_eq!(
            (arg.as_str(), expected.as_str(), got.as_str()),
            ("y", "&[f32]", "&[f64]")
        ),
        e => panic!("{e}"),
    }
    let e = err_of(
        &[("BLOCK", 4)],
        Grid::from(1u32),
        &mut [
            Arg::from(&x),
            Arg::from(&x),
            Arg::from(&mut out),
            Arg::from(4u32),
        ],
    );
    assert!(
        matches!(e, LaunchError::ArgType { ref arg, ref got, .. } if arg == "n" && got == "u32"),
        "{e}"
    );
    let e = err_of(
        &[("BLOCK", 4)],
        Grid::from(1u32),
        &mut [
            Arg::from(1.0f32),
            Arg::from(&x),
            Arg::from(&mut out),
            Arg::from(4i32),
        ],
    );
    assert!(
        matches!(e, LaunchError::ArgType { ref arg, ref expected, .. } if arg == "x" && expected == "&[f32]"),
        "{e}"
    );
}

#[test]
fn shared_slice_for_a_mutable_parameter_is_refused() {
    let x = vec![0.0f32; 4];
    let e = err_of(
        &[("BLOCK", 4)],
        Grid::from(1u32),
        &mut [Arg::from(&x), Arg::from(&x), Arg::from(&x), Arg::from(4i32)],
    );
    match e {
        LaunchError::ArgType {
            arg, expected, got, ..
        } => assert_eq!(
            (arg.as_str(), expected.as_str(), got.as_str()),
            ("out", "&mut [f32]", "&[f32]")
        ),
        e => panic!("{e}"),
    }
}

#[test]
fn constexpr_mistakes_name_the_constexpr() {
    let x = vec![0.0f32; 4];
    let mut out = vec![0.0f32; 4];
    let cases: [(&[(&str, i64)], &str); 5] = [
        (&[], "missing constexpr `BLOCK`"),
        (&[("BLOCK", 4), ("WARPS", 2)], "unknown constexpr `WARPS`"),
        (
            &[("BLOCK", 4), ("BLOCK", 8)],
            "constexpr `BLOCK` given twice",
        ),
        (&[("BLOCK", 4), ("n", 8)], "`n` is a runtime parameter"),
        (&[("BLOCK", 1 << 40)], "does not fit i32"),
    ];
    for (consts, want) in cases {
        let e = err_of(
            consts,
            Grid::from(1u32),
            &mut [
                Arg::from(&x),
                Arg::from(&x),
                Arg::from(&mut out),
                Arg::from(4i32),
            ],
        );
        assert!(
            matches!(e, LaunchError::Constexpr { ref message, .. } if message.contains(want)),
            "{consts:?}: {e}"
        );
    }
}

#[test]
fn bad_grids_are_refused() {
    let x = vec![0.0f32; 4];
    let mut out = vec![0.0f32; 4];
    for grid in [
        [0, 1, 1],
        [4, 0, 1],
        [1, 1, 0],
        [u32::MAX, 1, 1],
        [65536, 65536, 2],
    ] {
        let e = err_of(
            &[("BLOCK", 4)],
            Grid(grid),
            &mut [
                Arg::from(&x),
                Arg::from(&x),
                Arg::from(&mut out),
                Arg::from(4i32),
            ],
        );
        assert!(matches!(e, LaunchError::Grid { .. }), "{grid:?}: {e}");
    }
}

/// IR that is not lowered and cannot be lowered yet, or that the backend
/// cannot compile, is an `Err` naming the op and location, not a panic.
#[test]
fn unsupported_ops_are_compile_errors() {
    use persim_lang::ir::{Attr, Attrs, Builder, Opcode};
    let mut f = lowered("bad", vec![ptr_param("x", Dtype::F32, false)], 4, 0);
    {
        let mut b = Builder::new(&mut f);
        b.at(9, 4);
        let one = b.const_float(1.0, Dtype::F32);
        let t = b.splat(one, &[4]).unwrap();
        b.value(
            Opcode::ExpandDims,
            &[t],
            Attrs::new().with("axis", Attr::Int(0)),
        )
        .unwrap();
        b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    }
    let e = Engine::jit().compile_ir(&f).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("kernel.rs:9:4") && text.contains("expand_dims"),
        "{text}"
    );
}

/// Malformed lowered IR (a vector branch condition) is an `Err` naming the
/// op and its location (the mid-end's verifier catches it before code
/// generation).
#[test]
fn vector_branch_condition_is_a_compile_error() {
    use persim_lang::ir::{Attrs, Builder, CmpPred, Opcode};
    let mut f = lowered("badif", vec![], 4, 0);
    {
        let mut b = Builder::new(&mut f);
        b.at(5, 8);
        let r = b.arange(0, 4);
        let c = b.cmp(CmpPred::Lt, r, r).unwrap();
        let (t, e) = (b.func.new_block(), b.func.new_block());
        b.build_declared(Opcode::If, &[c], Attrs::new(), &[t, e], vec![]);
        for blk in [t, e] {
            b.switch_to(blk);
            b.build(Opcode::Yield, &[], Attrs::new(), &[]).unwrap();
        }
        b.switch_to(b.func.body);
        b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    }
    let text = Engine::jit().compile_ir(&f).unwrap_err().to_string();
    assert!(
        text.contains("kernel.rs:5:8") && text.contains("i1 scalar"),
        "{text}"
    );
}
