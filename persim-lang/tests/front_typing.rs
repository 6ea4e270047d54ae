//! Type promotion (Triton's rules) and weak literals, observed on built IR.

mod front_util;

use front_util::*;
use persim_lang::front::promote::{promote, Side};
use persim_lang::ir::{Dtype, Opcode};

/// Build `out_elem = a <op> b` for parameters of the given types and return
/// the element type of the stored value.
fn result_of(params: &str, expr: &str) -> String {
    let src = format!(
        "fn k({params}, out: *mut f64) {{ let r = {expr}; let s = r.to::<f64>(); store(out, s); }}"
    );
    let f = build_ok(&src, &[]);
    let cast = *ops(&f, Opcode::Cast).last().expect("the final conversion");
    f.ty(f.op(cast).operands[0]).to_string()
}

#[test]
fn strong_promotion_table() {
    use Dtype::*;
    let cases = [
        (I32, U32, U32),
        (I64, U32, I64),
        (U8, I8, U8),
        (I16, U8, I16),
        (F16, BF16, F32),
        (BF16, F32, F32),
        (F32, F64, F64),
        (I64, F16, F16),
        (I1, I8, I8),
        (I1, F32, F32),
    ];
    for (a, b, want) in cases {
        assert_eq!(
            promote(Side::strong(a), Side::strong(b)),
            Side::strong(want),
            "{a} with {b}"
        );
    }
}

#[test]
fn promotion_applies_to_operators() {
    assert_eq!(result_of("a: i32, b: u32", "a + b"), "u32");
    assert_eq!(result_of("a: i64, b: u32", "a * b"), "i64");
    assert_eq!(result_of("a: f16, b: bf16", "a - b"), "f32");
    assert_eq!(result_of("a: u8, b: f16", "a / b"), "f16");
    assert_eq!(result_of("a: bool, b: i16", "a + b"), "i16");
    assert_eq!(result_of("a: i8, b: i8", "maximum(a, b)"), "i8");
}

#[test]
fn weak_literals_take_the_other_type() {
    assert_eq!(result_of("a: f16", "a * 2"), "f16");
    assert_eq!(result_of("a: f16", "a * 2.0"), "f16");
    assert_eq!(result_of("a: u8", "a + 1"), "u8");
    assert_eq!(result_of("a: i64", "a << 3"), "i64");
    assert_eq!(result_of("a: i32", "a * 0.5"), "f32");
    assert_eq!(result_of("a: bool", "a + 1"), "i32");
    assert_eq!(result_of("a: u16", "-1 + a.to::<i16>()"), "i16");
}

#[test]
fn suffixed_literals_are_strong() {
    assert_eq!(result_of("a: f16", "a * 2.0f32"), "f32");
    assert_eq!(result_of("a: u8", "a + 1i64"), "i64");
    assert_eq!(result_of("a: i8", "a + 2u8"), "u8");
}

#[test]
fn lone_literals_default_to_i32_and_f32() {
    let f = build_ok("fn k(o: *mut i32, p: *mut f32) { let a = 1 + 2; let b = 1 + 2.5; store(o, a); store(p, b); }", &[]);
    let consts = ops(&f, Opcode::Const);
    let types: Vec<String> = consts.iter().map(|&c| ty_str(&f, c)).collect();
    assert_eq!(types, ["i32", "f32"], "folded to one constant each");
    assert_eq!(
        f.op(consts[1]).attrs.get("value"),
        Some(&persim_lang::ir::Attr::Float(3.5))
    );
}

#[test]
fn weak_literal_must_fit() {
    let src = "fn k(x: *const u8, o: *mut u8) { store(o, load(x) + 256); }";
    let d = build_err(src, &[]);
    assert!(
        d.message.contains("`256` is out of range for `u8`"),
        "{}",
        d.message
    );
    assert_eq!(d.location, Some(loc_of(src, "256")));
}

#[test]
fn literal_constants_round_to_their_type() {
    let f = build_ok("fn k(o: *mut f16) { store(o, 0.1); }", &[]);
    let c = ops(&f, Opcode::Const)[0];
    let value = f.op(c).attrs.get("value").cloned();
    assert_eq!(
        value,
        Some(persim_lang::ir::Attr::Float(
            half::f16::from_f64(0.1).to_f64()
        ))
    );
    assert_eq!(ty_str(&f, c), "f16");
}

#[test]
fn integer_division_folds_with_c_semantics() {
    let f = build_ok("fn k(o: *mut i32) { store(o, -7 / 2 + -7 % 2); }", &[]);
    let c = ops(&f, Opcode::Const)[0];
    assert_eq!(
        f.op(c).attrs.get("value"),
        Some(&persim_lang::ir::Attr::Int(-4))
    );
    let d = build_err(
        "fn k(o: *mut i32, #[constexpr] Z: i32) { store(o, 1 / Z); }",
        &[("Z", 0)],
    );
    assert!(d.message.contains("division by zero"), "{}", d.message);
}

#[test]
fn casts_and_conversions() {
    let f = build_ok(
        "fn k(x: *const f32, o: *mut i8) { let v = load(x + arange(0, 4)); store(o + arange(0, 4), (v as i32).to::<i8>()); }",
        &[],
    );
    let casts: Vec<String> = ops(&f, Opcode::Cast)
        .iter()
        .map(|&c| ty_str(&f, c))
        .collect();
    assert_eq!(casts, ["tile<4xi32>", "tile<4xi8>"]);
    let d = build_err("fn k(x: *const f32) { let p = x as i64; }", &[]);
    assert!(d.message.contains("cannot cast pointers"), "{}", d.message);
}
