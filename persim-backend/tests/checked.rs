//! Checked mode: out-of-bounds and read-only accesses become errors naming
//! the argument, the element index and the kernel source location, and the
//! faulting access never happens.

mod common;

use common::*;
use persim_backend::{Arg, Engine, LaunchError};
use persim_lang::ir::{Builder, Dtype, Opcode};

/// Unmasked vector add over a grid that overshoots `out`: the store of the
/// lowest failing instance is reported, at the first out-of-range index.
#[test]
fn out_of_bounds_store_is_reported_with_arg_index_and_location() {
    for threads in [1, 4] {
        let engine = Engine::jit().checked(true).threads(threads);
        let f = vector_add(4, 16, false, true);
        let kernel = engine.compile_ir(&f).unwrap();
        let n = 40; // 3 instances of 16 cover 48 elements
        let x = vec![1.0f32; 48];
        let y = vec![2.0f32; 48];
        let mut out = vec![0.0f32; n];
        let err = engine
            .launch_compiled(
                &kernel,
                3u32.into(),
                &mut [
                    Arg::from(&x),
                    Arg::from(&y),
                    Arg::from(&mut out),
                    Arg::from(n as i32),
                ],
            )
            .unwrap_err();
        match err {
            LaunchError::OutOfBounds {
                kernel,
                location,
                arg,
                index,
                len,
                store,
            } => {
                assert_eq!(kernel, "add");
                assert_eq!(location, "kernel.rs:12:5");
                assert_eq!(arg, "out");
                assert_eq!(index, 40);
                assert_eq!(len, 40);
                assert!(store);
            }
            e => panic!("unexpected {e}"),
        }
        // Everything in bounds was written; nothing past the end was.
        assert!(out.iter().all(|&v| v == 3.0), "threads={threads}");
    }
}

#[test]
fn out_of_bounds_load_names_the_loaded_argument() {
    let engine = Engine::jit().checked(true);
    let f = vector_add(4, 16, false, true);
    let kernel = engine.compile_ir(&f).unwrap();
    let x = vec![1.0f32; 10];
    let y = vec![2.0f32; 16];
    let mut out = vec![0.0f32; 16];
    let err = engine
        .launch_compiled(
            &kernel,
            1u32.into(),
            &mut [
                Arg::from(&x),
                Arg::from(&y),
                Arg::from(&mut out),
                Arg::from(16i32),
            ],
        )
        .unwrap_err();
    let text = err.to_string();
    match err {
        LaunchError::OutOfBounds {
            location,
            arg,
            index,
            len,
            store,
            ..
        } => {
            assert_eq!(
                (location.as_str(), arg.as_str(), index, len, store),
                ("kernel.rs:10:9", "x", 10, 10, false)
            );
        }
        e => panic!("unexpected {e}"),
    }
    assert!(
        text.contains("kernel.rs:10:9") && text.contains("`x`"),
        "{text}"
    );
    // The instance stopped before its first store: lanes 0..4 of the first
    // step were loaded fine and stored; the faulting step (8..12) stored nothing.
    assert_eq!(&out[..8], &[3.0; 8]);
    assert!(out[8..].iter().all(|&v| v == 0.0));
}

/// Masked-off lanes are never checked (nor touched): a masked vector add is
/// clean in checked mode at sizes that are not multiples of the block.
#[test]
fn masked_off_lanes_are_not_accesses() {
    let engine = Engine::jit().checked(true);
    let f = vector_add(16, 64, true, true);
    for n in [1, 7, 1000, 1023, 1025] {
        let (x, y, out) = run_vector_add(&engine, &f, n, 64, 3).unwrap();
        assert!((0..n).all(|i| out[i] == x[i] + y[i]));
    }
}

/// A store through a parameter the kernel declares read-only, given a
/// shared slice: `ReadOnly`, and the slice is unchanged.
#[test]
fn store_to_read_only_slice_is_reported() {
    let engine = Engine::jit().checked(true);
    let f = vector_add(4, 8, true, false);
    let kernel = engine.compile_ir(&f).unwrap();
    let x = vec![1.0f32; 8];
    let y = vec![2.0f32; 8];
    let out = vec![0.0f32; 8];
    let err = engine
        .launch_compiled(
            &kernel,
            1u32.into(),
            &mut [
                Arg::from(&x),
                Arg::from(&y),
                Arg::from(&out),
                Arg::from(8i32),
            ],
        )
        .unwrap_err();
    match err {
        LaunchError::ReadOnly {
            location,
            arg,
            index,
            ..
        } => {
            assert_eq!(
                (location.as_str(), arg.as_str(), index),
                ("kernel.rs:12:5", "out", 0)
            );
        }
        e => panic!("unexpected {e}"),
    }
    assert!(out.iter().all(|&v| v == 0.0));
}

/// Without an `arg` attribute the access may hit any argument's slice; a
/// miss is reported against the nearest slice.
#[test]
fn accesses_without_provenance_check_against_all_slices() {
    let params = vec![
        ptr_param("a", Dtype::I32, false),
        ptr_param("b", Dtype::I32, true),
        scalar_param("i", Dtype::I32),
    ];
    let mut f = lowered("anyarg", params, 4, 0);
    {
        let mut bld = Builder::new(&mut f);
        bld.at(2, 3);
        let (a, bp, i) = (
            bld.func.param_value(0),
            bld.func.param_value(1),
            bld.func.param_value(2),
        );
        let pa = bld.ptr_add(a, i);
        let v = bld.load(pa, None, None, None);
        bld.at(4, 3);
        let pb = bld.ptr_add(bp, i);
        bld.store(pb, v, None, None);
        bld.build(Opcode::Return, &[], Default::default(), &[])
            .unwrap();
    }
    let engine = Engine::jit().checked(true);
    let k = engine.compile_ir(&f).unwrap();
    let a = vec![5i32; 4];
    let mut b = vec![0i32; 4];
    engine
        .launch_compiled(
            &k,
            1u32.into(),
            &mut [Arg::from(&a), Arg::from(&mut b), Arg::from(2i32)],
        )
        .unwrap();
    assert_eq!(b[2], 5);
    // Far past `b` (and `a`): reported against the nearest slice.
    let err = engine
        .launch_compiled(
            &k,
            1u32.into(),
            &mut [Arg::from(&a), Arg::from(&mut b), Arg::from(1 << 20)],
        )
        .unwrap_err();
    assert!(
        matches!(err, LaunchError::OutOfBounds { store: false, ref location, .. } if location == "kernel.rs:2:3"),
        "{err}"
    );
}

/// The reported failure is the lowest failing instance's whatever the
/// thread count: every instance writes out of bounds at its own index.
#[test]
fn reported_failure_is_deterministic_across_threads() {
    let params = vec![ptr_param("out", Dtype::I32, true)];
    let mut f = lowered("spray", params, 4, 0);
    {
        let mut b = Builder::new(&mut f);
        b.at(7, 7);
        let out = b.func.param_value(0);
        let pid = b.pid(0);
        let big = b.const_i32(1000);
        let idx = b.op(Opcode::Add, &[pid, big]);
        let p = b.ptr_add(out, idx);
        b.store(p, pid, None, Some(0));
        b.build(Opcode::Return, &[], Default::default(), &[])
            .unwrap();
    }
    for threads in [1, 2, 4] {
        let engine = Engine::jit().checked(true).threads(threads);
        let k = engine.compile_ir(&f).unwrap();
        for _ in 0..5 {
            let mut out = vec![0i32; 10];
            let err = engine
                .launch_compiled(&k, 5000u32.into(), &mut [Arg::from(&mut out)])
                .unwrap_err();
            assert!(
                matches!(err, LaunchError::OutOfBounds { index: 1000, .. }),
                "threads={threads}: {err}"
            );
        }
    }
}

/// Local-buffer indices are checked too: a scalar store or a vector load
/// reaching outside the buffer is reported, not performed.
#[test]
fn local_buffer_indices_are_checked() {
    use persim_lang::ir::{Attr, Attrs, Elem, Type};
    let params = vec![
        scalar_param("i", Dtype::I32),
        ptr_param("out", Dtype::F32, true),
    ];
    let mut f = lowered("bufidx", params, 4, 64);
    {
        let mut b = Builder::new(&mut f);
        let (i, out) = (b.func.param_value(0), b.func.param_value(1));
        let attrs = Attrs::new()
            .with("ty", Attr::Type(Type::buf(Elem::Val(Dtype::F32), 8)))
            .with("offset", Attr::Int(0));
        let buf = b.value(Opcode::Alloc, &[], attrs).unwrap();
        b.at(3, 1);
        let one = b.const_float(1.0, Dtype::F32);
        b.build(Opcode::BufStore, &[buf, i, one], Attrs::new(), &[])
            .unwrap();
        b.at(4, 1);
        let v = b
            .value(
                Opcode::BufLoad,
                &[buf, i],
                Attrs::new().with("lanes", Attr::Int(4)),
            )
            .unwrap();
        let r = b.arange(0, 4);
        let p = b.ptrs(out, r);
        b.store(p, v, None, Some(1));
        b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    }
    let engine = Engine::jit().checked(true);
    let k = engine.compile_ir(&f).unwrap();
    let mut out = vec![0.0f32; 4];
    engine
        .launch_compiled(&k, 1u32.into(), &mut [Arg::from(4i32), Arg::from(&mut out)])
        .unwrap();
    assert_eq!(out[0], 1.0);
    for (i, line, index) in [(8, 3, 8), (-1, 3, -1), (6, 4, 6)] {
        let err = engine
            .launch_compiled(&k, 1u32.into(), &mut [Arg::from(i), Arg::from(&mut out)])
            .unwrap_err();
        match err {
            LaunchError::OutOfBounds {
                location,
                arg,
                index: got,
                len,
                ..
            } => {
                assert_eq!(
                    (location, arg.as_str(), got, len),
                    (format!("kernel.rs:{line}:1"), "<local buffer>", index, 8),
                    "i={i}"
                );
            }
            e => panic!("i={i}: {e}"),
        }
    }
}
