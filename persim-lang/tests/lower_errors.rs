//! Input the lowering refuses, with an error naming the op's location.

mod lower_util;

use lower_util::*;
use persim_lang::ir::{Attr, Attrs, Dtype, Opcode, Type};
use persim_lang::passes::lower::lower_tiles;
use persim_lang::passes::pack_buffers::pack_buffers;

fn simple() -> persim_lang::ir::Function {
    kernel(
        "simple",
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
        ],
        |b, a| {
            let x = load_tile(b, a, 0, &[1000]);
            let y = bin(b, Opcode::Add, x, x);
            store_tile(b, a, 1, y);
        },
    )
}

#[test]
fn zero_lanes_is_refused() {
    let e = lower_tiles(&simple(), &target(0)).unwrap_err();
    assert!(e.message.contains("0 lanes"), "{e}");
}

#[test]
fn local_memory_capacity_is_enforced_by_packing_with_a_location() {
    // The lowering itself does not bound local memory: packing may still
    // make a function fit.
    let small = target(4).with_local_mem(2 * 1024);
    let mut f = lower_tiles(&simple(), &small).unwrap();
    let e = pack_buffers(&mut f, &small).unwrap_err();
    assert!(e.message.contains("local memory exceeded"), "{e}");
    assert!(e.location.starts_with("simple.rs:"), "{e}");
    let roomy = target(4).with_local_mem(1 << 20);
    let mut f = lower_tiles(&simple(), &roomy).unwrap();
    pack_buffers(&mut f, &roomy).unwrap();
    assert!(f.attrs.int("local_mem").unwrap() <= 1 << 20);
}

#[test]
fn calls_are_refused_and_lowered_input_is_kept() {
    let f = kernel("caller", vec![], |b, _| {
        let attrs = Attrs::new().with("callee", Attr::Str("helper".into()));
        b.build_declared(Opcode::Call, &[], attrs, &[], vec![]);
    });
    let e = lower_tiles(&f, &target(4)).unwrap_err();
    assert!(e.message.contains("inlined"), "{e}");
    assert_eq!(e.location, "caller.rs:1:1");

    // Lowered for the same lanes: unchanged (the pass is idempotent).
    let lowered = lower_tiles(&simple(), &target(4)).unwrap();
    assert_eq!(lower_tiles(&lowered, &target(4)).unwrap(), lowered);
    // For other lanes: refused.
    let e = lower_tiles(&lowered, &target(8)).unwrap_err();
    assert!(e.message.contains("already lowered for 4 lanes"), "{e}");
    // Buffer ops without the `lanes` attribute: refused at the op.
    let mut stripped = lowered;
    stripped.attrs.0.retain(|(k, _)| *k != "lanes");
    let e = lower_tiles(&stripped, &target(4)).unwrap_err();
    assert!(e.message.contains("already lowered"), "{e}");
}

#[test]
fn ill_typed_input_is_refused() {
    // A result type that contradicts the op's typing rule.
    let mut f = simple();
    let add = f
        .all_ops()
        .into_iter()
        .find(|&op| f.ops[op].opcode == Opcode::Add && f.ty(f.ops[op].results[0]).rank() == 1)
        .unwrap();
    let r = f.ops[add].results[0];
    f.values[r].ty = Type::tile(persim_lang::ir::Elem::Val(Dtype::F32), &[999]);
    let e = lower_tiles(&f, &target(4)).unwrap_err();
    assert!(e.message.contains("ill-typed"), "{e}");

    // A tile-typed kernel parameter.
    let f = kernel(
        "tileparam",
        vec![persim_lang::ir::Param {
            name: "t".into(),
            ty: Type::tile(persim_lang::ir::Elem::Val(Dtype::F32), &[4]),
            mutable: false,
        }],
        |_, _| {},
    );
    let e = lower_tiles(&f, &target(4)).unwrap_err();
    assert!(e.message.contains("parameter `t`"), "{e}");
}

#[test]
fn lowering_is_deterministic_and_leaves_the_input_alone() {
    let f = simple();
    let before = f.clone();
    let a = lower_tiles(&f, &target(4)).unwrap();
    let b = lower_tiles(&f, &target(4)).unwrap();
    assert_eq!(f, before);
    assert_eq!(a, b);
}

#[test]
fn absurd_tile_sizes_are_errors_in_both_passes() {
    let f = kernel("huge", vec![ptr_param("out", Dtype::F32, true)], |b, a| {
        let one = b.const_float(1.0, Dtype::F32);
        let big = splat(b, one, &[65536, 65536]);
        let s = reduce(b, persim_lang::ir::ReduceKind::Sum, big, 1);
        let s = reduce(b, persim_lang::ir::ReduceKind::Sum, s, 0);
        store(b, 0, a[0], s, None);
    });
    let e = lower_tiles(&f, &target(4)).unwrap_err();
    assert!(e.message.contains("too large"), "{e}");
    assert_eq!(e.location, "huge.rs:2:1");
    let mut args = vec![persim_lang::interp::InterpArg::slice(&[0.0f32])];
    let e = persim_lang::interp::run_grid(&f, [1, 1, 1], &mut args).unwrap_err();
    assert!(e.to_string().contains("too large"), "{e}");
}
