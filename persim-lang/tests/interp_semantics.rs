//! The interpreter as a specification: its results on small kernels, and the
//! errors it reports (out of bounds with the argument's name and the op's
//! location, read-only stores, provenance, unspecified values, bad input).

mod lower_util;

use lower_util::*;
use persim_lang::interp::{run_grid, run_program, InterpArg, InterpErrorKind};
use persim_lang::ir::{Attr, Attrs, CmpPred, Dtype, Elem, Function, Loc, Opcode, Type};

/// `out[i] = x[i + shift]` for `i < BLOCK`, unmasked.
fn shifted_copy(block: u32, shift: i32) -> Function {
    kernel(
        "shift",
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
        ],
        |b, a| {
            let offs = arange(b, shift as i64, shift as i64 + block as i64);
            let px = ptrs(b, a[0], offs);
            let x = load(b, 0, px, None, None);
            let r = arange(b, 0, block as i64);
            let po = ptrs(b, a[1], r);
            store(b, 1, po, x, None);
        },
    )
}

#[test]
fn out_of_bounds_names_argument_location_and_index() {
    let f = shifted_copy(8, 3);
    let mut args = vec![
        InterpArg::slice(&[0.0f32; 10]),
        InterpArg::slice(&[0.0f32; 8]),
    ];
    let e = run_grid(&f, [1, 1, 1], &mut args).unwrap_err();
    assert_eq!(
        e.kind,
        InterpErrorKind::OutOfBounds {
            arg: "x".into(),
            index: 10,
            len: 10,
            store: false
        }
    );
    // The load is the 4th op built (arange, splat, ptr_add, load).
    assert_eq!(e.location, "shift.rs:4:1");
    let msg = e.to_string();
    assert!(
        msg.contains("argument `x`") && msg.contains("index 10") && msg.contains("shift.rs:4:1"),
        "{msg}"
    );

    // Negative offsets too, and the lowered kernel reports the same error.
    let f = shifted_copy(8, -2);
    for lanes in LANES {
        let lowered = persim_lang::passes::lower::lower_tiles(&f, &target(lanes)).unwrap();
        let mut args = vec![
            InterpArg::slice(&[0.0f32; 10]),
            InterpArg::slice(&[0.0f32; 8]),
        ];
        let e = run_grid(&lowered, [1, 1, 1], &mut args).unwrap_err();
        match e.kind {
            InterpErrorKind::OutOfBounds { arg, index, .. } => {
                assert_eq!((arg.as_str(), index), ("x", -2));
            }
            k => panic!("{k:?}"),
        }
        assert_eq!(e.location, "shift.rs:4:1");
    }
}

#[test]
fn stores_report_bounds_and_read_only_arguments() {
    let f = shifted_copy(8, 0);
    let mut args = vec![
        InterpArg::slice(&[1.0f32; 8]),
        InterpArg::slice(&[0.0f32; 5]),
    ];
    let e = run_grid(&f, [1, 1, 1], &mut args).unwrap_err();
    assert!(matches!(
        e.kind,
        InterpErrorKind::OutOfBounds { ref arg, index: 5, len: 5, store: true } if arg == "out"
    ));
    let mut ro = f.clone();
    ro.params[1].mutable = false;
    let mut args = vec![
        InterpArg::slice(&[1.0f32; 8]),
        InterpArg::slice(&[0.0f32; 8]),
    ];
    let e = run_grid(&ro, [1, 1, 1], &mut args).unwrap_err();
    assert_eq!(e.kind, InterpErrorKind::ReadOnly { arg: "out".into() });
}

#[test]
fn provenance_attribute_is_checked() {
    let mut f = shifted_copy(4, 0);
    let load = f
        .all_ops()
        .into_iter()
        .find(|&op| f.ops[op].opcode == Opcode::Load)
        .unwrap();
    f.ops[load].attrs.set("arg", Attr::Int(1));
    let mut args = vec![
        InterpArg::slice(&[1.0f32; 4]),
        InterpArg::slice(&[0.0f32; 4]),
    ];
    let e = run_grid(&f, [1, 1, 1], &mut args).unwrap_err();
    assert_eq!(
        e.kind,
        InterpErrorKind::Provenance {
            declared: "out".into(),
            actual: "x".into()
        }
    );
}

#[test]
fn grid_program_ids_and_masked_stores() {
    // out[pid1 * 3 + pid0] = pid0 * 10 + pid1 on a 3 x 2 grid, with a mask
    // that skips program (1, 1): its slot keeps the sentinel.
    let f = kernel("ids", vec![ptr_param("out", Dtype::I32, true)], |b, a| {
        let (p0, p1) = (pid(b, 0), pid(b, 1));
        let three = b.const_i32(3);
        let ten = b.const_i32(10);
        let row = bin(b, Opcode::Mul, p1, three);
        let at = bin(b, Opcode::Add, row, p0);
        let v = bin(b, Opcode::Mul, p0, ten);
        let v = bin(b, Opcode::Add, v, p1);
        let four = b.const_i32(4);
        let keep = cmp(b, CmpPred::Ne, at, four);
        let at = splat(b, at, &[1]);
        let v = splat(b, v, &[1]);
        let keep = splat(b, keep, &[1]);
        let p = ptrs(b, a[0], at);
        store(b, 0, p, v, Some(keep));
    });
    let mut args = vec![InterpArg::slice(&[-1i32; 6])];
    run_grid(&f, [3, 2, 1], &mut args).unwrap();
    assert_eq!(args[0].to_vec::<i32>().unwrap(), vec![0, 10, 20, 1, -1, 21]);
    // One instance alone.
    let mut args = vec![InterpArg::slice(&[-1i32; 6])];
    run_program(&f, [2, 0, 0], [3, 2, 1], &mut args).unwrap();
    assert_eq!(
        args[0].to_vec::<i32>().unwrap(),
        vec![-1, -1, 20, -1, -1, -1]
    );
    let e = run_program(&f, [3, 0, 0], [3, 2, 1], &mut args).unwrap_err();
    assert!(matches!(e.kind, InterpErrorKind::Arguments(_)));
}

#[test]
fn arguments_are_checked() {
    let f = shifted_copy(4, 0);
    let mut too_few = vec![InterpArg::slice(&[1.0f32; 4])];
    let e = run_grid(&f, [1, 1, 1], &mut too_few).unwrap_err();
    assert!(matches!(e.kind, InterpErrorKind::Arguments(ref m) if m.contains("takes 2 arguments")));
    let mut wrong = vec![InterpArg::scalar(1.0f32), InterpArg::slice(&[0.0f32; 4])];
    let e = run_grid(&f, [1, 1, 1], &mut wrong).unwrap_err();
    assert!(matches!(e.kind, InterpErrorKind::Arguments(ref m) if m.contains("`x`")));
    let mut ok = vec![
        InterpArg::slice(&[1.0f32; 4]),
        InterpArg::slice(&[0.0f32; 4]),
    ];
    let e = run_grid(&f, [0, 1, 1], &mut ok).unwrap_err();
    assert!(matches!(e.kind, InterpErrorKind::Arguments(ref m) if m.contains("grid axis 0")));
}

/// A hand-written lowered kernel: `buf<8xf32>` of which only the first 4
/// elements are written, then elements `from .. from + 4` stored to `out`.
fn partial_buffer(from: i64) -> Function {
    let mut f = Function::new("partial", vec![ptr_param("out", Dtype::F32, true)]);
    f.files.push("partial.rs".into());
    let out = f.param_value(0);
    let mut b = persim_lang::ir::Builder::new(&mut f);
    b.loc = Loc::new(0, 7, 3);
    let ty = Type::buf(Elem::Val(Dtype::F32), 8);
    let buf = b
        .value(
            Opcode::Alloc,
            &[],
            Attrs::new()
                .with("ty", Attr::Type(ty))
                .with("offset", Attr::Int(0)),
        )
        .unwrap();
    let one = b.const_float(1.0, Dtype::F32);
    let ones = splat(&mut b, one, &[4]);
    let zero = b.const_i32(0);
    b.build(Opcode::BufStore, &[buf, zero, ones], Attrs::new(), &[])
        .unwrap();
    let at = b.const_i32(from as i32);
    let v = b
        .value(
            Opcode::BufLoad,
            &[buf, at],
            Attrs::new().with("lanes", Attr::Int(4)),
        )
        .unwrap();
    let r = arange(&mut b, 0, 4);
    let p = ptrs(&mut b, out, r);
    store(&mut b, 0, p, v, None);
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

#[test]
fn never_written_local_memory_must_not_be_observed() {
    let mut args = vec![InterpArg::slice(&[0.0f32; 4])];
    run_grid(&partial_buffer(0), [1, 1, 1], &mut args).unwrap();
    assert_eq!(args[0].to_vec::<f32>().unwrap(), vec![1.0; 4]);
    // Lanes 4..8 were never written: storing them is an error.
    let e = run_grid(&partial_buffer(2), [1, 1, 1], &mut args).unwrap_err();
    assert!(
        matches!(e.kind, InterpErrorKind::Unspecified { ref what } if what == "a stored value")
    );
    assert_eq!(e.location, "partial.rs:7:3");
    // And reading past the buffer is a bounds error, not a panic.
    let e = run_grid(&partial_buffer(6), [1, 1, 1], &mut args).unwrap_err();
    assert_eq!(
        e.kind,
        InterpErrorKind::BufferOutOfBounds {
            index: 6,
            lanes: 4,
            len: 8
        }
    );
}

#[test]
fn ill_formed_functions_are_errors_not_panics() {
    // A kernel without `return`, and one using an undefined value.
    let mut f = shifted_copy(4, 0);
    let body = f.body;
    let ret = *f.blocks[body].ops.last().unwrap();
    f.detach_op(ret);
    let mut args = vec![
        InterpArg::slice(&[1.0f32; 4]),
        InterpArg::slice(&[0.0f32; 4]),
    ];
    let e = run_grid(&f, [1, 1, 1], &mut args).unwrap_err();
    assert!(matches!(e.kind, InterpErrorKind::Invalid(_)), "{e}");

    let mut f = shifted_copy(4, 0);
    let first = f.blocks[f.body].ops[0];
    f.detach_op(first);
    let e = run_grid(&f, [1, 1, 1], &mut args).unwrap_err();
    assert!(
        matches!(e.kind, InterpErrorKind::Invalid(ref m) if m.contains("before it is defined")),
        "{e}"
    );
}

#[test]
fn numeric_corner_cases_through_whole_kernels() {
    // Integer division by zero never traps; float to int saturates; f16
    // arithmetic rounds to f16.
    let f = kernel(
        "corners",
        vec![
            ptr_param("a", Dtype::I32, false),
            ptr_param("q", Dtype::I32, true),
            ptr_param("x", Dtype::F32, false),
            ptr_param("c", Dtype::I8, true),
            ptr_param("h", Dtype::F16, true),
        ],
        |b, a| {
            let x = load_tile(b, a, 0, &[4]);
            let zero = b.const_i32(0);
            let zero = splat(b, zero, &[4]);
            let q = bin(b, Opcode::Div, x, zero);
            store_tile(b, a, 1, q);
            let y = load_tile(b, a, 2, &[4]);
            let c = b.cast(y, Dtype::I8).unwrap();
            store_tile(b, a, 3, c);
            let h = b.cast(y, Dtype::F16).unwrap();
            let h = bin(b, Opcode::Add, h, h);
            store_tile(b, a, 4, h);
        },
    );
    let mut args = vec![
        InterpArg::slice(&[7i32, -7, 0, i32::MIN]),
        InterpArg::slice(&[9i32; 4]),
        InterpArg::slice(&[1e9f32, -1e9, f32::NAN, 100.7]),
        InterpArg::slice(&[0i8; 4]),
        InterpArg::slice(&[half::f16::ZERO; 4]),
    ];
    run_grid(&f, [1, 1, 1], &mut args).unwrap();
    assert_eq!(args[1].to_vec::<i32>().unwrap(), vec![0; 4]);
    assert_eq!(args[3].to_vec::<i8>().unwrap(), vec![127, -128, 0, 100]);
    let h = args[4].to_vec::<half::f16>().unwrap();
    assert_eq!(h[0], half::f16::INFINITY);
    assert_eq!(
        h[3],
        half::f16::from_f32(100.7) + half::f16::from_f32(100.7)
    );
}
