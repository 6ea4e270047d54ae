//! Block pointers from kernel source: built by the frontend, run in the
//! interpreter before and after lowering (L = 1, 4, 16, every buffer-reuse
//! variant) and compared with plain Rust. The interpreter's bounds checks
//! make every boundary-check mistake an error, not a wrong number.

mod front_util;
mod lower_util;

use front_util::build_ok;
use lower_util::{check_lowering, Rng};
use persim_lang::interp::InterpArg;

/// Block pointers carried by a runtime loop and advanced each iteration.
const MATMUL: &str = r#"
fn mm(a: *const f32, b: *const f32, c: *mut f32, M: i32, N: i32, K: i32,
      #[constexpr] BM: i32, #[constexpr] BN: i32, #[constexpr] BK: i32) {
    let pm = program_id(0);
    let pn = program_id(1);
    let mut a_bp = make_block_ptr(a, [M, K], [K, 1], [pm * BM, 0], [BM, BK], [1, 0]);
    let mut b_bp = make_block_ptr(b, [K, N], [N, 1], [0, pn * BN], [BK, BN], [1, 0]);
    let mut acc = zeros([BM, BN]);
    for _ in 0..cdiv(K, BK) {
        let x = load(a_bp, [0, 1], Padding::Zero);
        let y = load(b_bp, [0, 1], "zero");
        acc = dot(x, y, acc);
        a_bp = advance(a_bp, [0, BK]);
        b_bp = advance(b_bp, [BK, 0]);
    }
    let c_bp = make_block_ptr(c, [M, N], [N, 1], [pm * BM, pn * BN], [BM, BN], [1, 0]);
    store(c_bp, acc, [0, 1]);
}"#;

#[test]
fn matmul_with_block_pointers_at_odd_sizes() {
    let mut rng = Rng::new(31);
    for ((m, n, k), (bm, bn, bk)) in [
        ((1, 1, 1), (1, 1, 1)),
        ((7, 5, 3), (4, 8, 4)),
        ((17, 9, 13), (8, 4, 5)),
        ((16, 16, 16), (16, 16, 16)),
        ((5, 11, 20), (3, 7, 16)),
    ] {
        let (a, b) = (rng.f32s(m * k), rng.f32s(k * n));
        let f = build_ok(
            MATMUL,
            &[("BM", bm as i64), ("BN", bn as i64), ("BK", bk as i64)],
        );
        let args = vec![
            InterpArg::slice(&a),
            InterpArg::slice(&b),
            InterpArg::slice(&vec![0.0f32; m * n]),
            InterpArg::scalar(m as i32),
            InterpArg::scalar(n as i32),
            InterpArg::scalar(k as i32),
        ];
        let grid = [
            (m as u32).div_ceil(bm as u32),
            (n as u32).div_ceil(bn as u32),
            1,
        ];
        let got = check_lowering(&f, grid, &args, 1e-6)[2]
            .to_vec::<f32>()
            .unwrap();
        for i in 0..m {
            for j in 0..n {
                let want: f32 = (0..k).map(|t| a[i * k + t] * b[t * n + j]).sum();
                let g = got[i * n + j];
                assert!(
                    (g - want).abs() <= 1e-4 * want.abs().max(1.0),
                    "{m}x{n}x{k} at ({i}, {j}): {g} vs {want}"
                );
            }
        }
    }
}

/// A block straddling every edge (offsets may be negative): checked
/// dimensions pad with NaN, the unchecked column dimension stays inside.
const PADDING: &str = r#"
fn pad(x: *const f32, out: *mut f32, rows_only: *mut f32, M: i32, N: i32, r0: i32, c0: i32,
       #[constexpr] BM: i32, #[constexpr] BN: i32, #[constexpr] NC: i32) {
    let bp = make_block_ptr(x, [M, N], [N, 1], [r0, c0], [BM, BN], [0, 1]);
    let v = load(bp, [1, 0], Padding::Nan);
    let o = make_block_ptr(out, [BM, BN], [BN, 1], [0, 0], [BM, BN], [1, 0]);
    store(o, v);
    let inside = make_block_ptr(x, [M, N], [N, 1], [r0, 0], [BM, NC], [1, 0]);
    let w = load(inside, [0]);
    store(make_block_ptr(rows_only, [BM, NC], [NC, 1], [0, 0], [BM, NC], [1, 0]), w, []);
}"#;

#[test]
fn boundary_checks_pad_with_nan_or_zero() {
    let (m, n) = (5usize, 7usize);
    let x: Vec<f32> = (0..m * n).map(|v| v as f32).collect();
    for (r0, c0, bm, bn) in [
        (0, 0, 5, 7),
        (-2, 3, 4, 8),
        (3, -1, 4, 4),
        (4, 6, 1, 3),
        (-9, 0, 2, 2),
    ] {
        let consts = [("BM", bm as i64), ("BN", bn as i64), ("NC", n as i64)];
        let f = build_ok(PADDING, &consts);
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&vec![0.0f32; (bm * bn) as usize]),
            InterpArg::slice(&vec![-1.0f32; bm as usize * n]),
            InterpArg::scalar(m as i32),
            InterpArg::scalar(n as i32),
            InterpArg::scalar(r0),
            InterpArg::scalar(c0),
        ];
        let got = check_lowering(&f, [1, 1, 1], &args, 0.0);
        let out = got[1].to_vec::<f32>().unwrap();
        let rows = got[2].to_vec::<f32>().unwrap();
        let at = |r: i32, c: i32| -> Option<f32> {
            ((0..m as i32).contains(&r) && (0..n as i32).contains(&c))
                .then(|| x[r as usize * n + c as usize])
        };
        for i in 0..bm {
            for j in 0..bn {
                let g = out[(i * bn + j) as usize];
                match at(r0 + i, c0 + j) {
                    Some(want) => assert_eq!(g, want, "({r0}, {c0}) + ({i}, {j})"),
                    None => assert!(g.is_nan(), "({r0}, {c0}) + ({i}, {j}): {g}"),
                }
            }
            for j in 0..n as i32 {
                let want = at(r0 + i, j).unwrap_or(0.0);
                assert_eq!(rows[i as usize * n + j as usize], want, "row {i}");
            }
        }
    }
}

/// A 3-D block of a column-major tensor with `i64` strides, advanced inside
/// an `if` and a `while`, stored with a partial boundary check.
const BLOCK_3D: &str = r#"
fn b3(x: *const i32, out: *mut i32, A: i64, B: i64, C: i64, shift: i32,
      #[constexpr] BA: i32, #[constexpr] BB: i32, #[constexpr] BC: i32) {
    let mut bp = make_block_ptr(x, [A, B, C], [1, A, A * B], [0, 0, 0], [BA, BB, BC], [0, 1, 2]);
    if shift > 0 {
        bp = advance(bp, [1, 0, 0]);
    }
    let mut steps = 0;
    while steps < shift {
        bp = advance(bp, [0, 0, 1]);
        steps += 1;
    }
    let v = load(bp, [0, 1, 2]);
    let o = make_block_ptr(out, [BA, BB, BC], [BB * BC, BC, 1], [0, 0, 0], [BA, BB, BC], [2, 1, 0]);
    store(o, v + 1, [2]);
}"#;

#[test]
fn three_d_block_pointers_through_if_and_while() {
    let mut rng = Rng::new(33);
    let (a, b, c) = (3usize, 4usize, 5usize);
    let x = rng.i32s(a * b * c, -1000, 1000);
    for (shift, (ba, bb, bc)) in [
        (0, (3, 4, 5)),
        (1, (2, 5, 3)),
        (2, (4, 1, 7)),
        (3, (1, 16, 2)),
    ] {
        let f = build_ok(
            BLOCK_3D,
            &[("BA", ba as i64), ("BB", bb as i64), ("BC", bc as i64)],
        );
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&vec![7i32; ba * bb * bc]),
            InterpArg::scalar(a as i64),
            InterpArg::scalar(b as i64),
            InterpArg::scalar(c as i64),
            InterpArg::scalar(shift),
        ];
        let got = check_lowering(&f, [1, 1, 1], &args, 0.0)[1]
            .to_vec::<i32>()
            .unwrap();
        let (o0, o2) = ((shift > 0) as usize, shift as usize);
        for i in 0..ba {
            for j in 0..bb {
                for k in 0..bc {
                    let (p, q, r) = (i + o0, j, k + o2);
                    let want = if p < a && q < b && r < c {
                        x[p + q * a + r * a * b] + 1
                    } else {
                        1
                    };
                    assert_eq!(
                        got[(i * bb + j) * bc + k],
                        want,
                        "shift {shift} at ({i}, {j}, {k})"
                    );
                }
            }
        }
    }
}

#[test]
fn a_loop_carries_a_block_pointer_as_its_offsets() {
    let f = build_ok(MATMUL, &[("BM", 4), ("BN", 4), ("BK", 4)]);
    let text = persim_lang::ir::print_function(&f);
    let header = text
        .lines()
        .find(|l| l.contains("= for "))
        .unwrap_or_else(|| panic!("no loop:\n{text}"));
    // The accumulator and two offsets per block pointer: five results.
    let results = header.split('=').next().unwrap().split(',').count();
    assert_eq!(results, 5, "{header}");
}
