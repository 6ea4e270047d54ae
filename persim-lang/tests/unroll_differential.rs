//! `unroll-loops` through the whole standard pipeline: every kernel
//! lowered with innermost loops unrolled (up to 4 and 2 times) stores
//! bit for bit what it stores without unrolling (carried values chain copy
//! to copy, so even float sums keep their order), at 1, 4 and 16 lanes.

mod buf_kernels;
mod lower_util;

use lower_util::*;
use persim_lang::interp::{run_grid, InterpArg};
use persim_lang::ir::{Function, Opcode};
use persim_lang::passes::Pipeline;

fn lowered(f: &Function, lanes: u32, unroll: u32) -> Function {
    let mut g = f.clone();
    Pipeline::standard(target(lanes).with_unroll(unroll))
        .verify_each(true)
        .run(&mut g)
        .unwrap_or_else(|e| panic!("`{}` (L = {lanes}, unroll {unroll}): {e}", f.name));
    g
}

/// Returns how many loops were unrolled at 4 lanes with factor 4.
fn check(f: &Function, grid: [u32; 3], args: &[InterpArg]) -> usize {
    let mut unrolled = 0;
    for lanes in LANES {
        let mut want = args.to_vec();
        run_grid(&lowered(f, lanes, 1), grid, &mut want)
            .unwrap_or_else(|e| panic!("`{}` (L = {lanes}): {e}", f.name));
        for factor in [2, 4] {
            let g = lowered(f, lanes, factor);
            let mut got = args.to_vec();
            run_grid(&g, grid, &mut got).unwrap_or_else(|e| {
                panic!(
                    "`{}` unrolled {factor} (L = {lanes}): {e}\n{}",
                    f.name,
                    dump(&g)
                )
            });
            compare(
                f,
                &want,
                &got,
                0.0,
                &format!("`{}` unrolled {factor} (L = {lanes})", f.name),
            );
            if lanes == 4 && factor == 4 {
                unrolled = g
                    .all_ops()
                    .into_iter()
                    .filter(|&o| {
                        g.op(o).opcode == Opcode::For && g.op(o).attrs.int("unrolled").is_some()
                    })
                    .count();
            }
        }
    }
    unrolled
}

#[test]
fn softmax_unrolled_keeps_every_bit() {
    let mut rng = Rng::new(81);
    for (block, n_cols) in [(64u32, 50u32), (1024, 1000)] {
        let f = buf_kernels::softmax(block);
        let args = buf_kernels::softmax_args(&mut rng, n_cols);
        assert!(
            check(&f, [2, 1, 1], &args) > 0,
            "no loop of softmax unrolled"
        );
    }
}

#[test]
fn matmul_and_control_flow_unrolled_keep_every_bit() {
    let mut rng = Rng::new(82);
    let (m, n, k) = (9u32, 16u32, 24u32);
    let f = buf_kernels::matmul(8, 16, 8);
    let args = vec![
        InterpArg::slice(&rng.f32s((m * k) as usize)),
        InterpArg::slice(&rng.f32s((k * n) as usize)),
        InterpArg::slice(&vec![0.0f32; (m * n) as usize]),
        InterpArg::scalar(m as i32),
        InterpArg::scalar(n as i32),
        InterpArg::scalar(k as i32),
        InterpArg::scalar(k as i32),
        InterpArg::scalar(1),
        InterpArg::scalar(n as i32),
        InterpArg::scalar(1),
        InterpArg::scalar(n as i32),
        InterpArg::scalar(1),
    ];
    assert!(check(&f, [m.div_ceil(8), n.div_ceil(16), 1], &args) > 0);
    let f = buf_kernels::if_in_loop(37);
    let args = vec![
        InterpArg::slice(&rng.f32s(37)),
        InterpArg::slice(&[0.0f32; 37]),
        InterpArg::scalar(5),
    ];
    check(&f, [1, 1, 1], &args);
}
