//! Differential tests of reductions and `dot`. Float sums along the
//! innermost axis are reassociated by the lowering (lane-parallel partial
//! sums) and compared within a tolerance; everything else must be exact.

mod lower_util;

use lower_util::*;
use persim_lang::interp::InterpArg;
use persim_lang::ir::{Dtype, ReduceKind};

fn reduce_kernel(
    d: Dtype,
    shape: &[u32],
    kind: ReduceKind,
    axis: u32,
) -> persim_lang::ir::Function {
    kernel(
        "red",
        vec![ptr_param("x", d, false), ptr_param("out", d, true)],
        |b, a| {
            let x = load_tile(b, a, 0, shape);
            let r = reduce(b, kind, x, axis);
            store_tile(b, a, 1, r);
        },
    )
}

fn check_reductions(shapes: &[&[u32]]) {
    let mut rng = Rng::new(10);
    for &shape in shapes {
        let n: u32 = shape.iter().product();
        for axis in 0..shape.len() as u32 {
            let m = n / shape[axis as usize];
            for kind in [ReduceKind::Sum, ReduceKind::Max, ReduceKind::Min] {
                let f = reduce_kernel(Dtype::F32, shape, kind, axis);
                let innermost_sum = kind == ReduceKind::Sum && axis as usize + 1 == shape.len();
                let tol = if innermost_sum { 1e-5 } else { 0.0 };
                let args = vec![
                    InterpArg::slice(&rng.f32s(n as usize)),
                    InterpArg::slice(&vec![0.0f32; m as usize]),
                ];
                check_lowering(&f, [1, 1, 1], &args, tol);
                let f = reduce_kernel(Dtype::I32, shape, kind, axis);
                let args = vec![
                    InterpArg::slice(&rng.i32s(n as usize, -1 << 30, 1 << 30)),
                    InterpArg::slice(&vec![0i32; m as usize]),
                ];
                check_lowering(&f, [1, 1, 1], &args, 0.0);
            }
        }
    }
}

#[test]
fn reductions_over_each_axis_of_1d_and_2d_tiles() {
    check_reductions(&[
        &[1],
        &[7],
        &[16],
        &[1000],
        &[1025],
        &[1, 1],
        &[3, 5],
        &[5, 17],
        &[16, 4],
        &[4, 16],
    ]);
}

#[test]
fn reductions_over_each_axis_of_3d_tiles() {
    check_reductions(&[&[2, 3, 5], &[3, 1, 7], &[4, 4, 4], &[1, 5, 33]]);
}

#[test]
fn reductions_of_extreme_values_use_exact_identities() {
    // All-negative rows (max must not see a 0 from a padded lane), all
    // positive (min), infinities and -0.0 sums.
    for (kind, x) in [
        (ReduceKind::Max, vec![-5.0f32, -3.0, -7.0, -1.5, -9.0]),
        (ReduceKind::Min, vec![5.0f32, 3.0, 7.0, 1.5, 9.0]),
        (ReduceKind::Max, vec![f32::NEG_INFINITY; 5]),
        (ReduceKind::Min, vec![f32::INFINITY; 5]),
        (ReduceKind::Sum, vec![-0.0f32; 5]),
        (ReduceKind::Max, vec![1.0, f32::NAN, 2.0, 3.0, 4.0]),
    ] {
        let f = reduce_kernel(Dtype::F32, &[5], kind, 0);
        let args = vec![InterpArg::slice(&x), InterpArg::slice(&[0.0f32])];
        let want = check_lowering(&f, [1, 1, 1], &args, 0.0);
        let got = want[1].to_vec::<f32>().unwrap()[0];
        let expected = match kind {
            ReduceKind::Max if x.iter().any(|v| v.is_nan()) => f32::NAN,
            ReduceKind::Max => x.iter().copied().fold(f32::NEG_INFINITY, f32::max),
            ReduceKind::Min => x.iter().copied().fold(f32::INFINITY, f32::min),
            _ => -0.0,
        };
        assert!(
            got.to_bits() == expected.to_bits() || (got.is_nan() && expected.is_nan()),
            "{kind:?} of {x:?}: {got}"
        );
    }
    // Unsigned and narrow integer extremes.
    for (d, kind) in [
        (Dtype::U8, ReduceKind::Min),
        (Dtype::I8, ReduceKind::Max),
        (Dtype::U32, ReduceKind::Min),
    ] {
        let f = reduce_kernel(d, &[3], kind, 0);
        let args = match d {
            Dtype::U8 => vec![
                InterpArg::slice(&[255u8, 254, 255]),
                InterpArg::slice(&[0u8]),
            ],
            Dtype::I8 => vec![
                InterpArg::slice(&[-128i8, -127, -128]),
                InterpArg::slice(&[0i8]),
            ],
            _ => vec![
                InterpArg::slice(&[u32::MAX, u32::MAX - 1, 7]),
                InterpArg::slice(&[0u32]),
            ],
        };
        check_lowering(&f, [1, 1, 1], &args, 0.0);
    }
}

fn dot_kernel(ab: Dtype, out: Dtype, m: u32, k: u32, n: u32) -> persim_lang::ir::Function {
    kernel(
        "mm",
        vec![
            ptr_param("a", ab, false),
            ptr_param("b", ab, false),
            ptr_param("c", out, false),
            ptr_param("out", out, true),
        ],
        |b, a| {
            let x = load_tile(b, a, 0, &[m, k]);
            let y = load_tile(b, a, 1, &[k, n]);
            let acc = load_tile(b, a, 2, &[m, n]);
            let r = dot(b, x, y, acc);
            store_tile(b, a, 3, r);
        },
    )
}

#[test]
fn dot_with_odd_sizes_matches_bit_for_bit() {
    let mut rng = Rng::new(11);
    for (m, k, n) in [
        (1, 1, 1),
        (3, 5, 7),
        (5, 17, 3),
        (4, 4, 16),
        (7, 1, 9),
        (2, 33, 5),
        // Register blocks with leftover rows and chunks (L = 4: 4 x 2
        // chunk blocks, then single rows, then single chunks).
        (9, 3, 21),
        (6, 2, 12),
        (13, 7, 40),
    ] {
        let f = dot_kernel(Dtype::F32, Dtype::F32, m, k, n);
        let args = vec![
            InterpArg::slice(&rng.f32s((m * k) as usize)),
            InterpArg::slice(&rng.f32s((k * n) as usize)),
            InterpArg::slice(&rng.f32s((m * n) as usize)),
            InterpArg::slice(&vec![0.0f32; (m * n) as usize]),
        ];
        let want = check_lowering(&f, [1, 1, 1], &args, 0.0);
        // And against a plain Rust matmul with the same summation order.
        let (x, y, c) = (
            args[0].to_vec::<f32>().unwrap(),
            args[1].to_vec::<f32>().unwrap(),
            args[2].to_vec::<f32>().unwrap(),
        );
        let got = want[3].to_vec::<f32>().unwrap();
        for i in 0..m as usize {
            for j in 0..n as usize {
                let mut r = c[i * n as usize + j];
                for kk in 0..k as usize {
                    r += x[i * k as usize + kk] * y[kk * n as usize + j];
                }
                assert_eq!(got[i * n as usize + j], r, "({m},{k},{n}) at [{i},{j}]");
            }
        }
    }
}

#[test]
fn dot_casts_narrow_inputs_to_the_accumulator() {
    let mut rng = Rng::new(12);
    let (m, k, n) = (3u32, 6u32, 5u32);
    let f = dot_kernel(Dtype::I8, Dtype::I32, m, k, n);
    let bytes = |rng: &mut Rng, len: u32| -> Vec<i8> {
        (0..len).map(|_| rng.i32_in(-128, 128) as i8).collect()
    };
    let args = vec![
        InterpArg::slice(&bytes(&mut rng, m * k)),
        InterpArg::slice(&bytes(&mut rng, k * n)),
        InterpArg::slice(&rng.i32s((m * n) as usize, -100, 100)),
        InterpArg::slice(&vec![0i32; (m * n) as usize]),
    ];
    check_lowering(&f, [1, 1, 1], &args, 0.0);
    let f = dot_kernel(Dtype::F16, Dtype::F32, m, k, n);
    let halfs = |rng: &mut Rng, len: u32| -> Vec<half::f16> {
        rng.f32s(len as usize)
            .into_iter()
            .map(half::f16::from_f32)
            .collect()
    };
    let args = vec![
        InterpArg::slice(&halfs(&mut rng, m * k)),
        InterpArg::slice(&halfs(&mut rng, k * n)),
        InterpArg::slice(&rng.f32s((m * n) as usize)),
        InterpArg::slice(&vec![0.0f32; (m * n) as usize]),
    ];
    check_lowering(&f, [1, 1, 1], &args, 0.0);
}

/// With `Target::matmul_op`, an f32 `dot` of lane-multiple `M` and `N`
/// becomes one `buf_matmul`, which the interpreter runs with the same
/// rounding as `dot`: bit for bit, with and without in-place reuse and
/// packing.
#[test]
fn dot_as_buf_matmul_matches_bit_for_bit() {
    use persim_lang::interp::run_grid;
    use persim_lang::ir::{verify_lowered, Opcode};
    use persim_lang::passes::lower::{lower_tiles_with, LowerOptions};
    use persim_lang::passes::pack_buffers::pack_buffers;
    let mut rng = Rng::new(13);
    for (lanes, m, k, n) in [
        (4, 4, 3, 8),
        (4, 8, 9, 4),
        (16, 16, 5, 32),
        (16, 32, 17, 16),
    ] {
        let f = dot_kernel(Dtype::F32, Dtype::F32, m, k, n);
        let args = vec![
            InterpArg::slice(&rng.f32s((m * k) as usize)),
            InterpArg::slice(&rng.f32s((k * n) as usize)),
            InterpArg::slice(&rng.f32s((m * n) as usize)),
            InterpArg::slice(&vec![0.0f32; (m * n) as usize]),
        ];
        let mut want = args.clone();
        run_grid(&f, [1, 1, 1], &mut want).unwrap();
        let t = persim_lang::target::Target {
            matmul_op: true,
            ..target(lanes)
        };
        for (variant, in_place, packed) in [(0, false, false), (1, true, false), (2, true, true)] {
            let mut g = lower_tiles_with(&f, &t, LowerOptions { in_place }).unwrap();
            if packed {
                pack_buffers(&mut g, &t).unwrap();
            }
            verify_lowered(&g, lanes).unwrap_or_else(|e| panic!("{e}\n{}", dump(&g)));
            let matmuls = g
                .all_ops()
                .into_iter()
                .filter(|&op| g.ops[op].opcode == Opcode::BufMatmul)
                .count();
            assert_eq!(matmuls, 1, "{}", dump(&g));
            let mut got = args.clone();
            run_grid(&g, [1, 1, 1], &mut got).unwrap();
            compare(
                &f,
                &want,
                &got,
                0.0,
                &format!("({m},{k},{n}) L = {lanes}, {}", VARIANTS[variant]),
            );
        }
    }
    // Not eligible (N is not a multiple of the lanes): the loop nest.
    let f = dot_kernel(Dtype::F32, Dtype::F32, 4, 3, 5);
    let t = persim_lang::target::Target {
        matmul_op: true,
        ..target(4)
    };
    let g = lower_tiles_with(&f, &t, LowerOptions::default()).unwrap();
    assert!(g
        .all_ops()
        .into_iter()
        .all(|op| g.ops[op].opcode != Opcode::BufMatmul));
}

/// The `k` loop of a lowered `dot` carries a register block of
/// accumulators: half the target's 16 vector registers, two chunks wide.
#[test]
fn dot_loops_are_register_blocked() {
    use persim_lang::ir::Opcode;
    let f = dot_kernel(Dtype::F32, Dtype::F32, 8, 5, 8);
    let g = lower_variant(&f, 4, 0);
    let carries: Vec<usize> = g
        .all_ops()
        .into_iter()
        .filter(|&op| g.ops[op].opcode == Opcode::For)
        .map(|op| g.ops[op].operands.len() - 3)
        .filter(|&n| n > 0)
        .collect();
    assert_eq!(carries, vec![8], "{}", dump(&g));
}

/// With `Target::dot_fma`, each step is one `fma` (no separate multiply),
/// and results agree with the interpreter's twice-rounded `dot` within
/// rounding.
#[test]
fn fused_dot_uses_fma_and_matches_within_rounding() {
    use persim_lang::interp::run_grid;
    use persim_lang::ir::{verify_lowered, Opcode};
    use persim_lang::passes::lower::{lower_tiles_with, LowerOptions};
    let mut rng = Rng::new(13);
    for (m, k, n) in [(1, 1, 1), (9, 3, 21), (16, 33, 16), (13, 7, 40)] {
        let f = dot_kernel(Dtype::F32, Dtype::F32, m, k, n);
        let args = vec![
            InterpArg::slice(&rng.f32s((m * k) as usize)),
            InterpArg::slice(&rng.f32s((k * n) as usize)),
            InterpArg::slice(&rng.f32s((m * n) as usize)),
            InterpArg::slice(&vec![0.0f32; (m * n) as usize]),
        ];
        let mut want = args.clone();
        run_grid(&f, [1, 1, 1], &mut want).unwrap();
        for lanes in LANES {
            let t = target(lanes).with_dot_fma(true);
            let g = lower_tiles_with(&f, &t, LowerOptions { in_place: true }).unwrap();
            verify_lowered(&g, lanes).unwrap_or_else(|e| panic!("{e}\n{}", dump(&g)));
            let float_ops = |o: Opcode| {
                g.all_ops()
                    .into_iter()
                    .filter(|&op| g.ops[op].opcode == o)
                    .filter(|&op| g.ty(g.ops[op].results[0]).dtype() == Some(Dtype::F32))
                    .count()
            };
            assert!(float_ops(Opcode::Fma) > 0, "{}", dump(&g));
            assert_eq!(float_ops(Opcode::Mul), 0, "{}", dump(&g));
            let mut got = args.clone();
            run_grid(&g, [1, 1, 1], &mut got).unwrap();
            compare(
                &f,
                &want,
                &got,
                1e-5,
                &format!("fused ({m},{k},{n}) L = {lanes}"),
            );
        }
    }
    // Integer dots never fuse: they stay exact.
    let f = dot_kernel(Dtype::I32, Dtype::I32, 5, 3, 7);
    let t = target(4).with_dot_fma(true);
    let g = lower_tiles_with(&f, &t, LowerOptions::default()).unwrap();
    assert!(g
        .all_ops()
        .into_iter()
        .all(|op| g.ops[op].opcode != Opcode::Fma));
}
