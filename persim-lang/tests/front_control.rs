//! Control flow and the build-time check: IR `if`/`for`/`while` with their
//! carried values, compile-time conditions, provenance through loops, and
//! what `check` defers or rejects without constexpr values.

mod front_util;

use front_util::*;
use persim_lang::ir::{Attr, Opcode};

#[test]
fn runtime_if_yields_assigned_variables_and_its_value() {
    let src = "fn k(x: *const f32, o: *mut f32, c: bool) {
        let mut a = load(x);
        let mut hits = 0;
        let b = if c { a = a * 2.0; hits += 1; a + 1.0 } else { 0.0 };
        store(o, a + b + hits.to::<f32>());
    }";
    let f = build_ok(src, &[]);
    let ifs = ops(&f, Opcode::If);
    assert_eq!(ifs.len(), 1);
    let results: Vec<String> = f
        .op(ifs[0])
        .results
        .iter()
        .map(|&v| f.ty(v).to_string())
        .collect();
    assert_eq!(results, ["f32", "i32", "f32"], "a, hits, then the value");
    for &region in &f.op(ifs[0]).regions {
        let last = *f.block_ops(region).last().unwrap();
        assert_eq!(f.op(last).opcode, Opcode::Yield);
        assert_eq!(f.op(last).operands.len(), 3);
    }
    // The weak `0.0` of the else branch became an f32 constant inside it.
    let else_block = f.op(ifs[0]).regions[1];
    let first = f.block_ops(else_block)[0];
    assert_eq!(f.op(first).opcode, Opcode::Const);
}

#[test]
fn compile_time_if_keeps_only_the_taken_branch() {
    let src = "fn k(o: *mut f32, #[constexpr] BLOCK: i32) {
        let offs = arange(0, BLOCK);
        let v = if BLOCK > 16 { exp(offs.to::<f32>()) } else { sqrt(offs.to::<f32>()) };
        store(o + offs, v);
    }";
    let big = build_ok(src, &[("BLOCK", 32)]);
    assert_eq!(
        (
            count(&big, Opcode::Exp),
            count(&big, Opcode::Sqrt),
            count(&big, Opcode::If)
        ),
        (1, 0, 0)
    );
    let small = build_ok(src, &[("BLOCK", 8)]);
    assert_eq!(
        (count(&small, Opcode::Exp), count(&small, Opcode::Sqrt)),
        (0, 1)
    );
}

#[test]
fn check_visits_both_branches_of_an_unknown_constexpr_condition() {
    let src = "fn k(o: *mut f32, #[constexpr] BLOCK: i32) {
        if BLOCK > 16 { store(o, 1.0); } else { store(o, 1u8); }
    }";
    let d = check_err(src);
    assert!(
        d.message.contains("stored value has type `u8`"),
        "{}",
        d.message
    );
    // With BLOCK known the bad branch is dead and the kernel builds.
    build_ok(src, &[("BLOCK", 32)]);
}

#[test]
fn constexpr_dependent_constants_stay_compile_time_in_check() {
    let src = "fn k(o: *mut f32, #[constexpr] WIDE: bool) {
        let n = if WIDE { 64 } else { 16 };
        store(o + arange(0, n), 0.0);
    }";
    check(src).unwrap_or_else(|e| panic!("{}", e[0]));
    let f = build_ok(src, &[("WIDE", 1)]);
    assert_eq!(ty_str(&f, ops(&f, Opcode::Arange)[0]), "tile<64xi32>");
}

#[test]
fn check_defers_unknown_dims_but_not_known_ones() {
    check("fn k(o: *mut i32, #[constexpr] B: i32) { store(o + arange(0, B), arange(0, B) + arange(0, 8)); }")
        .unwrap_or_else(|e| panic!("{}", e[0]));
    let d = check_err("fn k(o: *mut i32, #[constexpr] B: i32) { let t = zeros::<i32>([B, 4]) + zeros::<i32>([B, 8]); }");
    assert!(d.message.contains("[?, 4] and [?, 8]"), "{}", d.message);
    // Element types and ranks are always checked.
    let d = check_err("fn k(o: *mut f32, #[constexpr] B: i32) { let t = dot(zeros([B, B]), zeros::<f16>([B, B])); }");
    assert!(d.message.contains("share an element type"), "{}", d.message);
    let d = check_err("fn k(o: *mut f32, #[constexpr] B: i32) { let t = sum(zeros([B]), 1); }");
    assert!(
        d.message.contains("out of range for a tile of rank 1"),
        "{}",
        d.message
    );
}

#[test]
fn for_loop_with_step_and_carried_scalar() {
    let src = "fn k(x: *const i64, o: *mut i64, n: i64) {
        let mut total = 0;
        for i in (0..n).step_by(2) {
            total = total + load(x + i);
        }
        store(o, total);
    }";
    // `total` starts as the weak literal 0 and so is `i32`: adding an `i64`
    // changes its type, which a loop-carried variable may not do.
    let d = build_err(src, &[]);
    assert!(
        d.message.contains("`total` has type `i32`"),
        "{}",
        d.message
    );
    let fixed = src.replace("let mut total = 0;", "let mut total = 0i64;");
    let f = build_ok(&fixed, &[]);
    let for_op = ops(&f, Opcode::For)[0];
    let operand_types: Vec<String> = f
        .op(for_op)
        .operands
        .iter()
        .map(|&v| f.ty(v).to_string())
        .collect();
    assert_eq!(
        operand_types,
        ["i64", "i64", "i64", "i64"],
        "bounds follow `n`; one carried value"
    );
}

#[test]
fn while_loop_structure() {
    let src = "fn k(o: *mut i32, start: i32) {
        let mut x = start;
        let mut steps = 0;
        while x > 1 { x = x / 2; steps += 1; }
        store(o, steps);
    }";
    let f = build_ok(src, &[]);
    let w = ops(&f, Opcode::While)[0];
    assert_eq!(f.op(w).operands.len(), 2);
    assert_eq!(f.op(w).results.len(), 2);
    let [before, after] = [f.op(w).regions[0], f.op(w).regions[1]];
    let cond = *f.block_ops(before).last().unwrap();
    assert_eq!(f.op(cond).opcode, Opcode::Condition);
    assert_eq!(f.op(cond).operands.len(), 3);
    assert_eq!(f.block_args(after).len(), 2);
    let store = ops(&f, Opcode::Store)[0];
    assert_eq!(f.op(store).operands[1], f.op(w).results[1]);
}

#[test]
fn provenance_widens_through_loops_and_selects() {
    let src = "fn k(a: *const f32, b: *const f32, o: *mut f32, n: i32) {
        let mut p = a;
        for i in 0..n {
            store(o + i, load(p + i));
            p = b;
        }
        let q = where_(n > 0, a, b);
        store(o, load(q));
        store(o, load(a));
    }";
    let f = build_ok(src, &[]);
    let loads = ops(&f, Opcode::Load);
    assert_eq!(
        f.op(loads[0]).attrs.get("arg"),
        None,
        "`p` may be `a` or `b`"
    );
    assert_eq!(f.op(loads[1]).attrs.get("arg"), None);
    assert_eq!(f.op(loads[2]).attrs.get("arg"), Some(&Attr::Int(0)));
    for s in ops(&f, Opcode::Store) {
        assert_eq!(f.op(s).attrs.get("arg"), Some(&Attr::Int(2)));
    }
}

#[test]
fn store_through_a_pointer_that_may_be_read_only() {
    let src = "fn k(a: *const f32, o: *mut f32, n: i32) {
        let mut p = o;
        for i in 0..n { p = a; }
        store(p, 1.0);
    }";
    let d = build_err(src, &[]);
    assert!(
        d.message.contains("cannot store through `a`"),
        "{}",
        d.message
    );
    assert_eq!(d.location, Some(loc_of(src, "p, 1.0")));
}

#[test]
fn shadowing_and_blocks() {
    let src = "fn k(o: *mut i32) {
        let x = 1;
        let x = x * 3;
        let y = { let x = 4; x * 2 };
        store(o, x + y);
    }";
    let f = build_ok(src, &[]);
    let consts = ops(&f, Opcode::Const);
    assert_eq!(consts.len(), 1, "integer constants fold");
    assert_eq!(f.op(consts[0]).attrs.get("value"), Some(&Attr::Int(11)));
}
