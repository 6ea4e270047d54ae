//! The frontend's checks of `cat`/`join`/`split`/`permute`, `static_range`,
//! atomics and block pointers: each rejected construct gets one error at
//! the offending token (at launch and at build time), and accepted ones
//! build the IR they should.

mod front_util;

use front_util::*;
use persim_lang::ir::Opcode;

/// `body` inside a kernel with a few typical parameters.
fn kernel(body: &str) -> String {
    format!(
        "fn k(x: *const f32, y: *mut f32, c: *mut i32, h: *mut f16, n: i32, big: i64,\n      #[constexpr] B: i32) {{\n{body}\n}}"
    )
}

/// The error of building `body` with `B = 16`, and that checking it
/// (constexprs unknown) gives the same message at the same place.
fn error(body: &str, needle: &str) -> String {
    let src = kernel(body);
    let built = build_err(&src, &[("B", 16)]);
    let want = loc_of(&src, needle);
    assert_eq!(
        built.location.as_deref(),
        Some(want.as_str()),
        "{}",
        built.message
    );
    let checked = check_err(&src);
    let at = checked.span.start();
    let (line, col) = pos(&src, needle);
    assert_eq!(
        (at.line as u32, at.column as u32 + 1),
        (line, col),
        "{}",
        checked.message
    );
    built.message
}

#[test]
fn shape_ops_reject_bad_operands() {
    let m = error(
        "let a = load(x + arange(0, 4)); let s = cat(a, 1.0);",
        "1.0",
    );
    assert!(m.contains("`cat` concatenates tiles"), "{m}");
    let m = error(
        "let a = load(x + arange(0, 4)); let b = c + arange(0, 4); let s = cat(a, b);",
        "cat(a",
    );
    assert!(m.contains("one element type"), "{m}");
    let m = error(
        "let a = load(x + arange(0, 4)); let t = a.expand_dims(0); let s = cat(a, t);",
        "cat(a",
    );
    assert!(m.contains("one rank"), "{m}");
    let m = error(
        "let a = load(x + arange(0, 4)); let s = cat(a, a, 1);",
        "1);",
    );
    assert!(m.contains("out of range"), "{m}");
    let m = error(
        "let a = load(x + arange(0, 4)); let b = load(x + arange(0, 3)); let j = join(a, b);",
        "join",
    );
    assert!(m.contains("do not broadcast"), "{m}");
    let m = error(
        "let a = load(x + arange(0, 4)); let p = permute(a, [0, 1]);",
        "[0, 1]",
    );
    assert!(m.contains("lists 1 axes"), "{m}");
}

#[test]
fn tuples_are_only_taken_apart() {
    let pairs = "let v = load(x + arange(0, 4).expand_dims(1) * 2 + arange(0, 2).expand_dims(0));";
    let m = error(&format!("{pairs} let s = split(v) + 1.0;"), "split(v)");
    assert!(m.contains("tuple of 2 tiles"), "{m}");
    let m = error(&format!("{pairs} let (a, b, c) = split(v);"), "(a, b, c)");
    assert!(m.contains("binds 3 values, but the tuple has 2"), "{m}");
    let m = error(&format!("{pairs} let (a, (b, d)) = split(v);"), "(b, d)");
    assert!(m.contains("plain variables"), "{m}");
    let m = error(&format!("{pairs} let mut a = v; a = split(v);"), "= split");
    assert!(m.contains("is a tuple"), "{m}");
    let m = error("let (a, b) = load(x);", "load(x)");
    assert!(m.contains("expected a tuple"), "{m}");
    // A tuple expression destructures too.
    let f = build_ok(
        &kernel("let (a, mut b) = (1.0, load(x)); b += a; store(y, b);"),
        &[("B", 16)],
    );
    assert_eq!(count(&f, Opcode::Store), 1);
}

#[test]
fn static_range_checks_its_bounds() {
    let m = error(
        "for i in static_range(0, B, 0) { store(y + i, 1.0); }",
        "0) {",
    );
    assert!(m.contains("nonzero step"), "{m}");
    let m = error("for i in static_range(0.5) { store(y, 1.0); }", "0.5");
    assert!(m.contains("integers"), "{m}");
    let m = error(
        "for i in static_range(0, 100000) { store(y, 1.0); }",
        "static_range",
    );
    assert!(m.contains("more than 4096"), "{m}");
    let m = error("let r = static_range(0, 4);", "static_range");
    assert!(
        m.contains("only allowed as the range of a `for` loop"),
        "{m}"
    );
    let m = error("for i in static_range(1, 2, 3, 4) { }", "static_range");
    assert!(m.contains("1 to 3 arguments"), "{m}");
}

#[test]
fn static_range_leaves_no_loop_and_makes_constants() {
    let src = kernel(
        "let mut acc = 0;\nfor i in static_range(B, 0, -4) { acc += i; }\nfor _ in static_range(3) { acc *= 2; }\nstore(c, acc + n);",
    );
    let f = build_ok(&src, &[("B", 16)]);
    assert_eq!(count(&f, Opcode::For), 0);
    // (16 + 12 + 8 + 4) * 8 folds to 320 before the one runtime add.
    let text = persim_lang::ir::print_function(&f);
    assert!(text.contains("value = 320"), "{text}");
    assert_eq!(count(&f, Opcode::Add), 1);
}

#[test]
fn atomics_check_types_and_mutability() {
    let m = error("let o = atomic_add(x, 1.0);", "x, 1.0");
    assert!(m.contains("declare it `*mut f32`"), "{m}");
    let m = error("let o = atomic_max(h, 1.0);", "h, 1.0");
    assert!(
        m.contains("`i32`, `u32`, `i64`, `u64`, `f32` and `f64`"),
        "{m}"
    );
    let m = error("let o = atomic_add(c, 1.5);", "1.5");
    assert!(m.contains("float literal"), "{m}");
    let m = error("let o = atomic_add(c, big);", "big)");
    assert!(m.contains("mismatched types"), "{m}");
    let m = error(
        "let o = atomic_cas(c + arange(0, 4), 0, 1, n > 0);",
        "atomic_cas",
    );
    assert!(m.contains("takes 3 arguments"), "{m}");
    let m = error(
        "let o = atomic_xchg(c, load(c + arange(0, 4)));",
        "atomic_xchg",
    );
    assert!(m.contains("cannot be broadcast"), "{m}");
}

#[test]
fn block_pointers_check_their_arguments() {
    let make = "let bp = make_block_ptr(y, [n, n], [n, 1], [0, 0], [B, B], [1, 0]);";
    let m = error(
        "let bp = make_block_ptr(y + arange(0, 4), [n], [1], [0], [4], [0]);",
        "y + arange",
    );
    assert!(m.contains("scalar pointer"), "{m}");
    let m = error(
        "let bp = make_block_ptr(y, [n], [1, 1], [0], [4], [0]);",
        "[1, 1]",
    );
    assert!(m.contains("needs 1 entries"), "{m}");
    let m = error(
        "let bp = make_block_ptr(y, [n], [1], [big], [4], [0]);",
        "big]",
    );
    assert!(
        m.contains("`i32` scalars") && m.contains(".to::<i32>()"),
        "{m}"
    );
    let m = error(
        "let bp = make_block_ptr(y, [n], [1.0], [0], [4], [0]);",
        "1.0",
    );
    assert!(m.contains("integer scalars"), "{m}");
    let m = error(
        "let bp = make_block_ptr(y, [n], [1], [0], [4], [1]);",
        "1]);",
    );
    assert!(m.contains("out of range"), "{m}");
    let m = error(
        "let bp = make_block_ptr(y, [n], [1], [0], [n], [0]);",
        "n], [0]);",
    );
    assert!(m.contains("known at compile time"), "{m}");
    let m = error(&format!("{make} let v = load(bp, [1, 1]);"), "1]);");
    assert!(m.contains("listed twice"), "{m}");
    let m = error(
        &format!("{make} let v = load(bp, [0], \"one\");"),
        "\"one\"",
    );
    assert!(m.contains("Padding::Zero"), "{m}");
    let m = error(
        "let bp = make_block_ptr(c, [n], [1], [0], [4], [0]); let v = load(bp, [0], Padding::Nan);",
        "Padding::Nan",
    );
    assert!(m.contains("NaN padding needs floats"), "{m}");
    let m = error(&format!("{make} let q = advance(bp, [1]);"), "[1]);");
    assert!(m.contains("needs 2 entries"), "{m}");
    let m = error("let q = advance(y, [1]);", "y, [1]");
    assert!(m.contains("moves a block pointer"), "{m}");
    let m = error(&format!("{make} let v = bp + 1;"), "bp + 1");
    assert!(
        m.contains("block pointer to `f32` with block [16, 16]"),
        "{m}"
    );
    let m = error(
        "let bp = make_block_ptr(x, [n], [1], [0], [4], [0]); store(bp, 1.0);",
        "bp, 1.0)",
    );
    assert!(m.contains("declare it `*mut f32`"), "{m}");
    let m = error(&format!("{make} store(bp, n, [0]);"), "n, [0]");
    assert!(m.contains("mismatched types"), "{m}");
    let m = error(
        &format!("{make} let mut q = bp; q = make_block_ptr(c, [n], [1], [0], [4], [0]);"),
        "= make_block_ptr(c",
    );
    assert!(
        m.contains("mismatched types: `q` is a block pointer to `f32`"),
        "{m}"
    );
    let m = error(&format!("{make} let t: *mut f32 = bp;"), "*mut f32 = bp");
    assert!(m.contains("no type annotation"), "{m}");
}

#[test]
fn block_pointers_in_control_flow_keep_their_origin() {
    let make = "let mut bp = make_block_ptr(y, [n, n], [n, 1], [0, 0], [B, B], [1, 0]);";
    let m = error(
        &format!(
            "{make} if n > 0 {{ bp = make_block_ptr(y, [n, n], [n, 1], [1, 1], [B, B], [1, 0]); }}"
        ),
        "if n",
    );
    assert!(m.contains("made anew in a loop or `if`"), "{m}");
    // Advancing in one branch, or in a `while`, is fine; the loop carries
    // the two offsets.
    let src = kernel(&format!(
        "{make}\nif n > 0 {{ bp = advance(bp, [1, 0]); }}\nlet mut k = 0;\nwhile k < n {{ bp = advance(bp, [0, B]); k += 1; }}\nstore(bp, 1.0, [0, 1]);"
    ));
    let f = build_ok(&src, &[("B", 16)]);
    let w = ops(&f, Opcode::While)[0];
    assert_eq!(f.op(w).results.len(), 3, "k and two offsets");
    let i = ops(&f, Opcode::If)[0];
    assert_eq!(f.op(i).results.len(), 2, "two offsets");
}
