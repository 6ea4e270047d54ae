//! Odd and wrong kernels give diagnostics, never panics, in both the
//! build-time check and a launch-time build.

mod front_util;

use front_util::*;

const BODIES: &[&str] = &[
    "let a = -(-2147483648);",
    "let a = i64::MIN / -1;",
    "let a = 1 << 200;",
    "let a = u64::MAX + 1;",
    "let a = !0u64;",
    "let a = 18446744073709551615u64;",
    "let a = 99999999999999999999;",
    "let a = 1e400;",
    "let a = 1e40f16;",
    "let a = 1.5u8;",
    "let a = 'c';",
    "let a = \"s\";",
    "let a = f32::PI;",
    "let a = usize::MAX;",
    "let a = abs(i32::MIN);",
    "let a = zeros([0]);",
    "let a = zeros([B, -1]);",
    "let a = arange(5, 5);",
    "let a = arange(0, 1 << 40);",
    "let a = reshape(arange(0, 16), [3, 5]);",
    "let a = trans(arange(0, 16));",
    "let a = trans(zeros([2, 3]), [0, 0]);",
    "let a = trans(zeros([2, 3]), [0, 2]);",
    "let a = expand_dims(arange(0, 4), -3);",
    "let a = broadcast_to(zeros([4, 1]), [4]);",
    "let a = sum(1.0, 0);",
    "let a = max(arange(0, 4) < 2, 0);",
    "let a = dot(zeros([4]), zeros([4]));",
    "let a = dot(zeros([4, 4]), zeros([4, 4]), 1.0);",
    "let a = dot(zeros([4, 4]), zeros([4, 4]), zeros([4, 5]));",
    "let a = where_(1, 2, 3);",
    "let a = where_(true, p, 1);",
    "let a = load(p, true, 0.5);",
    "let a = load(n);",
    "store(p, p);",
    "store(p + arange(0, 4), arange(0, 8).to::<f32>());",
    "let a = p + p;",
    "let a = p * 2;",
    "let a = p + 1.5;",
    "let a = -p;",
    "let a = *p;",
    "let a = cdiv(1.0, 2);",
    "let a = cast::<f32>(p);",
    "let a = zeros::<u8, u8>([4]);",
    "let a = program_id::<i32>(0);",
    "let a = program_id(n);",
    "for i in 0..=n {}",
    "for i in .. {}",
    "for i in (0..n).step_by(0) {}",
    "for i in 0.0..1.0 {}",
    "for (i, j) in 0..n {}",
    "for i in n {}",
    "while let Some(x) = n {}",
    "if let Some(x) = n {}",
    "let x; x = 1;",
    "let (a, b) = (1, 2);",
    "let a = if true { 1 };",
    "let a = if n > 0 { 1 } else { store(p, 1.0); };",
    "let a = { };",
    "let mut m = true; m = 1;",
    "let mut v = 1.0; v = 2;",
    "let mut v = 0; v = zeros([4]);",
    "n = 3;",
    "x = 3;",
    "'a: for i in 0..n {}",
    "let a = unsafe { 1 };",
    "let a = [1, 2];",
    "let a = 0..4;",
    "let a = (1, 2).0;",
    "let a = n?;",
    "fn inner() {}",
    "return;",
    "if n > 0 { return; }",
    "let a = B + 1; let t = arange(0, a) + arange(0, 4);",
    "let t = zeros::<f16>([B, B]); let u = dot(t, t);",
    "let mut q = p; while n > 0 { q = q + 1; }",
    "let a = exp(p);",
    "let a = maximum(p, 1);",
    "let a = 1 && true;",
    "let a = 1.0 ^ 2.0;",
    "let a = 1 << 1.0;",
];

#[test]
fn nothing_panics() {
    for body in BODIES {
        let src = format!("fn k(p: *mut f32, n: i32, x: f32, #[constexpr] B: i32) {{ {body} }}");
        let _ = check(&src);
        for b in [1, 4, 16] {
            if let Err(d) = build(&src, &[("B", b)]) {
                assert!(
                    !d.message.contains("internal error"),
                    "{body}: {}",
                    d.message
                );
                assert!(
                    d.location.is_some(),
                    "{body}: no location for {}",
                    d.message
                );
            }
        }
    }
}

#[test]
fn rejected_bodies_are_rejected_by_check_too() {
    // Errors that do not depend on constexpr values are found at build time.
    for body in [
        "store(p, p);",
        "let a = p * 2;",
        "for i in 0..=n {}",
        "n = 3;",
        "let a = 1.5u8;",
    ] {
        let src = format!("fn k(p: *mut f32, n: i32, x: f32, #[constexpr] B: i32) {{ {body} }}");
        assert!(check(&src).is_err(), "{body} passed the check");
    }
}
