//! The frontend's side of calls to device functions and custom ops, without
//! the macros: what the build-time check records for rustc (shadows), what
//! it defers to launch and what it still reports, and the errors of calls
//! that need no callee to be decided.

mod front_util;

use front_util::*;
use persim_lang::front::{self, path_key, ShadowArg};
use persim_lang::ir::{Dtype, Elem};

fn shadows(src: &str) -> Vec<(String, Vec<ShadowArg>)> {
    let checked = front::check_kernel(&parse(src)).unwrap_or_else(|e| panic!("{}", e[0]));
    checked
        .calls
        .iter()
        .map(|c| (path_key(&c.path), c.args.iter().map(|(a, _)| *a).collect()))
        .collect()
}

#[test]
fn calls_are_recorded_with_what_the_check_knows_of_their_arguments() {
    let src = "fn k(x: *const f32, out: *mut f32, n: i32, #[constexpr] B: i32) {
        let offs = arange(0, B);
        let v = load(x + offs);
        store(out + offs, act::silu(v, 2, 0.5, B * 2, n));
        crate::sink(out + offs, out, x);
    }";
    let tile = |d| ShadowArg::Tile {
        elem: Elem::Val(d),
        mutable: false,
    };
    assert_eq!(
        shadows(src),
        [
            (
                "act::silu".to_string(),
                vec![
                    tile(Dtype::F32),
                    ShadowArg::IntLit,
                    ShadowArg::FloatLit,
                    ShadowArg::Const(Dtype::I32),
                    ShadowArg::Scalar {
                        elem: Elem::Val(Dtype::I32),
                        mutable: false
                    },
                ]
            ),
            (
                "crate::sink".to_string(),
                vec![
                    ShadowArg::Tile {
                        elem: Elem::Ptr(Dtype::F32),
                        mutable: true
                    },
                    ShadowArg::Scalar {
                        elem: Elem::Ptr(Dtype::F32),
                        mutable: true
                    },
                    ShadowArg::Scalar {
                        elem: Elem::Ptr(Dtype::F32),
                        mutable: false
                    },
                ]
            ),
        ]
    );
}

#[test]
fn statements_using_a_result_are_deferred_and_the_rest_checked() {
    // `y` is only typed at launch: nothing that uses it is an error now.
    let src = "fn k(x: *const f32, out: *mut f32) {
        let offs = arange(0, 16);
        let mut y = silu(load(x + offs));
        y = exp(y.to::<i32>());
        if sum(y, 0) > 0.0 { store(out + offs, y); }
        let z = exp(offs);
    }";
    let d = check_err(src);
    assert_eq!(
        d.message,
        "`exp` needs a float argument, found `tile<16xi32>`; convert it with `.to::<f32>()`"
    );
    assert_eq!(locate(d.span), Some(pos(src, "offs);\n    }")));
}

#[test]
fn every_call_gets_a_shadow_even_in_a_deferred_statement() {
    // The right operand is never lowered (the left defers the statement),
    // but `gelu` still needs resolving by rustc: its arguments are unknown.
    let src = "fn k(x: *const f32, out: *mut f32) {
        let offs = arange(0, 16);
        let v = load(x + offs);
        store(out + offs, silu(v) + gelu(v, 1.0));
    }";
    let calls = shadows(src);
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].0, "gelu");
    assert_eq!(calls[1].1, [ShadowArg::Unknown, ShadowArg::Unknown]);
}

#[test]
fn syntax_in_deferred_statements_is_still_checked() {
    // The closure is in a statement the check skips (it uses `v`), so the
    // lowering never reaches it; the syntax walk reports it.
    let src = "fn k(x: *const f32, out: *mut f32) {
        let v = silu(load(x + arange(0, 4)));
        store(out, v + apply(|e| e * 2.0));
    }";
    let d = check_err(src);
    assert_eq!(d.message, "closures are not supported in kernels");
    assert_eq!(locate(d.span), Some(pos(src, "|e|")));
}

#[test]
fn an_argument_with_its_own_error_is_reported_now() {
    let src = "fn k(x: *const f32, out: *mut f32) {
        let offs = arange(0, 4);
        store(out + offs, silu(exp(offs)));
    }";
    let d = check_err(src);
    assert!(
        d.message.starts_with("`exp` needs a float argument"),
        "{}",
        d.message
    );
}

#[test]
fn tuple_results_bind_deferred_names() {
    let src = "fn k(x: *const f32, out: *mut f32) {
        let (lo, hi) = min_max(load(x + arange(0, 8)));
        store(out, hi - lo);
        let (a, b) = (1.0, 2);
        store(out, a + b);
    }";
    let checked = front::check_kernel(&parse(src)).unwrap();
    assert_eq!(checked.calls.len(), 1);
    let d = check_err(
        "fn k(x: *const f32) {
        let (a, b) = (1.0, 2, 3);
    }",
    );
    assert_eq!(
        d.message,
        "this pattern binds 2 values, but the tuple has 3"
    );
}

#[test]
fn call_errors_decided_without_the_callee() {
    let d = check_err("fn k(x: *const f32) { let f = 1.0; let y = f(x); }");
    assert_eq!(d.message, "`f` is a variable, not a function");
    let d = check_err("fn k(x: *const f32) { let y = persim::load(x); }");
    assert_eq!(
        d.message,
        "primitives are called by their plain name (`load`, not `persim::load`)"
    );
    let d = check_err("fn k(x: *const f32) { let y = act::silu::<f32>(load(x)); }");
    assert_eq!(
        d.message,
        "device functions and custom ops take no type arguments: element types come from the arguments"
    );
    // A variable named like a primitive does not hide it.
    assert!(check("fn k(x: *const f32, out: *mut f32) { let offs = arange(0, 4); let max = max(load(x + offs), 0); store(out, max(load(x + offs), 0) + max); }").is_ok());
}

#[test]
fn build_without_records_cannot_resolve_calls() {
    let d = build_err(
        "fn k(x: *const f32, out: *mut f32) { store(out, silu(load(x))); }",
        &[],
    );
    assert!(
        d.message
            .starts_with("cannot resolve `silu`: calls are resolved through the records"),
        "{}",
        d.message
    );
}

fn check_func_err(src: &str) -> String {
    match front::check_func(&parse(src)) {
        Ok(_) => panic!("check succeeded, expected an error"),
        Err(mut e) => e.remove(0).message,
    }
}

#[test]
fn device_functions_with_declared_ranks_are_typed_at_build_time() {
    assert_eq!(
        check_func_err("fn f(x: Tile<f32, 1>) -> Tile<f32, 1> { x.to::<i32>() }"),
        "mismatched types: the returned value must be `Tile<f32, 1>`, found `tile<?xi32>`; convert it with `.to::<f32>()`"
    );
    assert_eq!(
        check_func_err("fn f(x: Tile<f32, 2>) -> f32 { sum(x, 0) }"),
        "mismatched types: the returned value must be a scalar (`f32`), found `tile<?xf32>`"
    );
    assert_eq!(
        check_func_err("fn f(x: Tile<f32, 1>) -> (f32, f32) { max(x, 0) }"),
        "expected 2 values, but this call returns 1"
    );
    assert_eq!(
        check_func_err("fn f(p: *const f32, v: f32) { store(p, v); }"),
        "cannot store through `p`: it is declared `*const f32`; declare it `*mut f32`"
    );
    assert_eq!(
        check_func_err("fn f(x: Tile<f32>) -> Tile<f32> { let y = x; }"),
        "`f` returns `Tile<f32>`: end its body with the value, without `;`"
    );
    // Without a rank (or with an element-type parameter) the body is typed
    // per call at launch: no error now.
    assert!(front::check_func(&parse("fn f(x: Tile<f32>) -> Tile<f32> { x.to::<i32>() }")).is_ok());
    assert!(front::check_func(&parse("fn f<T>(x: Tile<T, 1>) -> Tile<T, 1> { exp(x) }")).is_ok());
}

#[test]
fn device_function_returns() {
    let ok = |src: &str| front::check_func(&parse(src)).unwrap();
    ok("fn f(x: Tile<f32, 1>) -> Tile<f32, 1> { return x * 2.0; }");
    ok("fn f(x: Tile<f32, 1>) -> (f32, f32) { (min(x, 0), max(x, 0)) }");
    ok("fn f(p: Tile<*mut f32, 1>, v: Tile<f32, 1>) { store(p, v); return; }");
    assert_eq!(
        check_func_err("fn f(x: f32) -> f32 { if x > 0.0 { return x; } x }"),
        "`return` with a value is only allowed as the last statement of a device function; make the value the last expression of the body"
    );
    assert_eq!(
        check_func_err("fn f(x: f32) { return x; }"),
        "`f` declares no return type, so it returns no value"
    );
}
