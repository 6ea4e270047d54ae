//! `structurally_equal`: equal modulo numbering, and the first difference
//! otherwise.

mod text_samples;

use persim_lang::ir::*;
use text_samples::*;

/// `add(a, b)` then `mul(sum, b)` over two `i32` parameters.
fn two_ops() -> Function {
    let mut f = Function::new(
        "k",
        vec![param("a", i32_ty(), false), param("b", i32_ty(), false)],
    );
    let (a, b) = (f.param_value(0), f.param_value(1));
    let mut bld = Builder::new(&mut f);
    let sum = bld.binary(Opcode::Add, a, b).unwrap();
    bld.binary(Opcode::Mul, sum, b).unwrap();
    bld.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

fn diff(a: &Function, b: &Function) -> String {
    structurally_equal(a, b).expect_err("functions should differ")
}

#[test]
fn equal_modulo_arena_order() {
    let f = two_ops();
    // Same program, built back to front so the arenas are ordered otherwise.
    let mut g = Function::new(
        "k",
        vec![param("a", i32_ty(), false), param("b", i32_ty(), false)],
    );
    let unused = g.new_block();
    let _ = unused;
    let (a, b) = (g.param_value(0), g.param_value(1));
    let mut bld = Builder::new(&mut g);
    bld.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    let body = g.body;
    let mut bld = Builder::before(&mut g, body, 0);
    let sum = bld.binary(Opcode::Add, a, b).unwrap();
    bld.binary(Opcode::Mul, sum, b).unwrap();
    structurally_equal(&f, &g).unwrap();
    structurally_equal(&g, &f).unwrap();
}

#[test]
fn every_sample_equals_itself_and_differs_from_the_others() {
    let samples = all_samples();
    for (i, a) in samples.iter().enumerate() {
        for (j, b) in samples.iter().enumerate() {
            assert_eq!(
                structurally_equal(a, b).is_ok(),
                i == j,
                "{} vs {}",
                a.name,
                b.name
            );
        }
    }
}

#[test]
fn swapped_operands_differ() {
    let f = two_ops();
    let mut g = two_ops();
    let add = g.all_ops()[0];
    g.ops[add].operands.swap(0, 1);
    assert_eq!(
        diff(&f, &g),
        "body, op 0 (`add`): operand 0 refers to different values"
    );
}

#[test]
fn rewired_use_differs() {
    let f = two_ops();
    let mut g = two_ops();
    let ops = g.all_ops();
    let a = g.param_value(0);
    g.ops[ops[1]].operands[0] = a;
    assert_eq!(
        diff(&f, &g),
        "body, op 1 (`mul`): operand 0 refers to different values"
    );
}

#[test]
fn attributes_compare_as_sets_with_nan_equal_to_nan() {
    let mut f = Function::new("k", vec![]);
    let mut b = Builder::new(&mut f);
    b.const_float(f64::NAN, Dtype::F32);
    let mut g = f.clone();
    let op = g.all_ops()[0];
    g.ops[op].attrs.0.reverse();
    let other_nan = f64::from_bits(f64::NAN.to_bits() | 1);
    g.ops[op].attrs.set("value", Attr::Float(other_nan));
    structurally_equal(&f, &g).unwrap();
    g.ops[op].attrs.set("value", Attr::Float(1.0));
    assert_eq!(
        diff(&f, &g),
        "body, op 0 (`const`): attributes: `value` is nan vs 1.0"
    );
}

#[test]
fn signed_zeros_differ() {
    let mut f = Function::new("k", vec![]);
    Builder::new(&mut f).const_float(0.0, Dtype::F64);
    let mut g = Function::new("k", vec![]);
    Builder::new(&mut g).const_float(-0.0, Dtype::F64);
    assert_eq!(
        diff(&f, &g),
        "body, op 0 (`const`): attributes: `value` is 0.0 vs -0.0"
    );
}

/// The documented ambiguity of attribute values: a scalar `Attr::Type`
/// comes back from text as an `Attr::Dtype`, and the comparison says so.
#[test]
fn scalar_type_attribute_is_reported_after_a_round_trip() {
    let mut f = Function::new("k", vec![]);
    let attrs = Attrs::new()
        .with("ty", Attr::Type(f32_ty()))
        .with("offset", Attr::Int(0));
    Builder::new(&mut f).build_declared(Opcode::Alloc, &[], attrs, &[], vec![f32_ty()]);
    // `ty = f32` reads back as a dtype, which `alloc`'s typing rule refuses.
    let e = parse_function(&print_function(&f)).unwrap_err();
    assert_eq!(e.to_string(), "2:8: `alloc`: missing type attribute `ty`");
    let mut h = f.clone();
    let op = h.all_ops()[0];
    h.ops[op].attrs.set("ty", Attr::Dtype(Dtype::F32));
    assert_eq!(
        diff(&f, &h),
        "body, op 0 (`alloc`): attributes: `ty` is Type(Tile { elem: Val(F32), shape: [] }) \
         vs Dtype(F32)"
    );
}

#[test]
fn unknown_locations_are_equal_known_ones_compare() {
    let f = two_ops();
    let mut g = two_ops();
    let ops = g.all_ops();
    g.ops[ops[0]].loc = Loc::new(3, 0, 9);
    structurally_equal(&f, &g).unwrap();
    g.ops[ops[0]].loc = Loc::new(0, 2, 9);
    assert!(diff(&f, &g).starts_with("body, op 0 (`add`): location"));
}

#[test]
fn signature_differences() {
    let f = two_ops();
    let mut g = two_ops();
    g.name = "j".into();
    assert_eq!(diff(&f, &g), "name: `k` vs `j`");
    let mut g = two_ops();
    g.params[1].mutable = true;
    assert!(diff(&f, &g).starts_with("parameter 1: "));
    let mut g = two_ops();
    g.consts.push(("N".into(), 1));
    assert_eq!(diff(&f, &g), "consts: [] vs [(\"N\", 1)]");
    let mut g = two_ops();
    g.files.push("a.rs".into());
    assert_eq!(diff(&f, &g), "files: [] vs [\"a.rs\"]");
    let mut g = two_ops();
    g.attrs.set("lanes", Attr::Int(4));
    assert_eq!(diff(&f, &g), "function attributes: 0 attributes vs 1");
}

#[test]
fn nested_differences_name_their_path() {
    let f = control_flow();
    let mut g = control_flow();
    // The `cast` inside the inner `for`, inside the `if`, inside the outer `for`.
    let cast = g
        .all_ops()
        .into_iter()
        .find(|&op| g.op(op).opcode == Opcode::Cast)
        .unwrap();
    g.ops[cast].loc.col += 1;
    assert_eq!(
        diff(&f, &g),
        "body, op 4 (`for`), region 0, op 1 (`if`), region 0, op 0 (`for`), region 0, op 0 \
         (`cast`): location Loc { file: 0, line: 5, col: 5 } vs Loc { file: 0, line: 5, col: 6 }"
    );
}
