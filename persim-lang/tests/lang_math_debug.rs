//! `assert`, `print` and `assume` before and after lowering: padded lanes
//! never fail an assertion nor get printed, a failing assertion names its
//! message, location and program, printed records are the same (and in the
//! same order) at every lane count, and a false `assume` is reported.

mod lower_util;

use lower_util::*;
use persim_lang::debug::{DevicePrint, PrintValue};
use persim_lang::interp::{run_grid_printing, InterpArg, InterpError, InterpErrorKind};
use persim_lang::ir::{Attr, Attrs, CmpPred, Dtype, Function, Opcode};

/// Every way the tests lower a function, the function itself first.
fn all_lowerings(f: &Function) -> Vec<(String, Function)> {
    let mut out = vec![("tile level".to_string(), f.clone())];
    for lanes in LANES {
        for (v, name) in VARIANTS.iter().enumerate() {
            out.push((format!("{name}, L = {lanes}"), lower_variant(f, lanes, v)));
        }
    }
    out
}

fn run(
    f: &Function,
    grid: [u32; 3],
    args: &[InterpArg],
) -> (Result<(), InterpError>, Vec<DevicePrint>) {
    let mut args = args.to_vec();
    let mut records = Vec::new();
    let r = run_grid_printing(f, grid, &mut args, &mut |p| records.push(p.clone()));
    (r, records)
}

/// Program `p` loads `x[p·n ..][..shape]` and asserts every element is
/// non-negative.
fn assert_kernel(shape: &[u32]) -> Function {
    let n: u32 = shape.iter().product();
    kernel("check", vec![ptr_param("x", Dtype::I32, false)], |b, a| {
        let offs = offsets(b, shape, &contiguous(shape));
        let p = pid(b, 0);
        let size = b.const_i32(n as i32);
        let base = bin(b, Opcode::Mul, p, size);
        let base = splat(b, base, shape);
        let offs = bin(b, Opcode::Add, offs, base);
        let px = ptrs(b, a[0], offs);
        let x = load(b, 0, px, None, None);
        let zero = b.const_i32(0);
        let zero = splat(b, zero, shape);
        let ok = cmp(b, CmpPred::Ge, x, zero);
        let message = Attrs::new().with("message", Attr::Str("x must be non-negative".into()));
        b.build(Opcode::Assert, &[ok], message, &[]).unwrap();
    })
}

#[test]
fn assertions_on_tiles_never_see_padded_lanes_and_name_the_failure() {
    for shape in [
        &[1u32][..],
        &[7],
        &[1000],
        &[1023],
        &[1025],
        &[3, 5],
        &[2, 3, 17],
    ] {
        let n: usize = shape.iter().map(|&d| d as usize).product();
        let f = assert_kernel(shape);
        let good = vec![InterpArg::slice(&vec![5i32; 3 * n])];
        let mut bad_data = vec![5i32; 3 * n];
        bad_data[n + n / 2] = -1;
        let bad = vec![InterpArg::slice(&bad_data)];
        for (name, g) in all_lowerings(&f) {
            let (r, _) = run(&g, [3, 1, 1], &good);
            r.unwrap_or_else(|e| panic!("{shape:?} ({name}): {e}"));
            let (r, _) = run(&g, [3, 1, 1], &bad);
            let err = r.expect_err("element n + n/2 is negative");
            assert_eq!(
                err.kind,
                InterpErrorKind::AssertionFailed {
                    message: "x must be non-negative".into()
                },
                "{shape:?} ({name})"
            );
            assert_eq!(err.program, [1, 0, 0], "{shape:?} ({name})");
            let line = f
                .all_ops()
                .into_iter()
                .find(|&op| f.op(op).opcode == Opcode::Assert)
                .map(|op| f.op(op).loc.line)
                .unwrap();
            assert_eq!(
                err.location,
                format!("check.rs:{line}:1"),
                "{shape:?} ({name})"
            );
        }
    }
}

/// Prints `x` (a tile of `shape`), the program id, and a lone prefix.
fn print_kernel(shape: &[u32], d: Dtype) -> Function {
    kernel("show", vec![ptr_param("x", d, false)], |b, a| {
        let x = load_tile(b, a, 0, shape);
        let prefix = |p: &str| Attrs::new().with("prefix", Attr::Str(p.into()));
        b.build(Opcode::Print, &[x], prefix("x"), &[]).unwrap();
        let p = pid(b, 0);
        b.build(Opcode::Print, &[p], prefix("pid: "), &[]).unwrap();
        b.build(Opcode::Print, &[], prefix("done"), &[]).unwrap();
    })
}

#[test]
fn printed_records_are_the_same_at_every_lane_count() {
    let mut rng = Rng::new(51);
    for shape in [&[1u32][..], &[7], &[16], &[1025], &[3, 5], &[2, 3, 17]] {
        let n: usize = shape.iter().map(|&d| d as usize).product();
        let xs = rng.f32s(n);
        let f = print_kernel(shape, Dtype::F32);
        let args = vec![InterpArg::slice(&xs)];
        let (r, want) = run(&f, [2, 1, 1], &args);
        r.unwrap();
        // Per program: every element in row-major order, then the scalar,
        // then the lone prefix.
        assert_eq!(want.len(), 2 * (n + 2));
        for (p, program) in want.chunks(n + 2).enumerate() {
            for (i, r) in program[..n].iter().enumerate() {
                let mut index = Vec::new();
                let mut rest = i;
                for &d in shape.iter().rev() {
                    index.insert(0, (rest % d as usize) as u32);
                    rest /= d as usize;
                }
                assert_eq!(r.index, index);
                assert_eq!(
                    r.value,
                    Some(PrintValue::Float(f64::from(xs[i]), Dtype::F32))
                );
                assert_eq!(r.program, [p as u32, 0, 0]);
                assert_eq!(r.prefix, "x");
            }
            assert_eq!(program[n].value, Some(PrintValue::Int(p as i128)));
            assert!(program[n].index.is_empty());
            assert_eq!(program[n + 1].value, None);
            let line = program[n + 1].to_string();
            assert!(line.starts_with("show.rs:"), "{line}");
            assert!(line.ends_with(&format!(": pid ({p}, 0, 0) done")), "{line}");
        }
        for (name, g) in all_lowerings(&f).into_iter().skip(1) {
            let (r, got) = run(&g, [2, 1, 1], &args);
            r.unwrap_or_else(|e| panic!("{shape:?} ({name}): {e}"));
            assert_eq!(got, want, "{shape:?} ({name})");
        }
    }
    // Booleans and half precision print in their own type.
    let f = print_kernel(&[3], Dtype::F16);
    let hs = [
        half::f16::from_f32(0.1),
        half::f16::from_f32(-2.5),
        half::f16::INFINITY,
    ];
    let (r, recs) = run(&f, [1, 1, 1], &[InterpArg::slice(&hs)]);
    r.unwrap();
    let shown: Vec<String> = recs[..3]
        .iter()
        .map(|r| r.value.unwrap().to_string())
        .collect();
    assert_eq!(shown, ["0.1", "-2.5", "inf"]);
}

#[test]
fn a_false_assumption_is_reported() {
    let f = kernel("assume", vec![scalar_param("n", Dtype::I32)], |b, a| {
        let zero = b.const_i32(0);
        let positive = cmp(b, CmpPred::Gt, a[0], zero);
        b.build(Opcode::Assume, &[positive], Attrs::new(), &[])
            .unwrap();
    });
    for (name, g) in all_lowerings(&f) {
        let (r, _) = run(&g, [1, 1, 1], &[InterpArg::scalar(3i32)]);
        r.unwrap_or_else(|e| panic!("{name}: {e}"));
        let (r, _) = run(&g, [1, 1, 1], &[InterpArg::scalar(0i32)]);
        let err = r.expect_err("0 > 0 is false");
        assert!(
            matches!(err.kind, InterpErrorKind::HintViolated(_)),
            "{name}: {err}"
        );
    }
}
