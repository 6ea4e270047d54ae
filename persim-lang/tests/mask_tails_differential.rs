//! `split-mask-tails` through the whole standard pipeline: every kernel
//! lowered with its masked loops split into an unmasked main loop and a
//! masked tail stores bit for bit what it stores without the split (the
//! carried values pass from one loop to the other, so sums keep their
//! order), at 1, 4 and 16 lanes and at row lengths around the chunk and
//! block widths. The interpreter fails a launch on any access outside an
//! argument, so a main loop that ran one chunk too far would fail here.

mod buf_kernels;
mod lower_util;

use lower_util::*;
use persim_lang::interp::{run_grid, InterpArg};
use persim_lang::ir::{Attr, Function, Op, Opcode};
use persim_lang::passes::Pipeline;

fn lowered(f: &Function, lanes: u32, tails: bool) -> Function {
    let mut g = f.clone();
    Pipeline::standard(target(lanes).with_mask_tails(tails))
        .verify_each(true)
        .run(&mut g)
        .unwrap_or_else(|e| panic!("`{}` (L = {lanes}, tails {tails}): {e}", f.name));
    g
}

/// The main loops `split-mask-tails` made.
fn mains(g: &Function) -> Vec<Op> {
    g.all_ops()
        .into_iter()
        .filter(|&o| {
            g.op(o).opcode == Opcode::For
                && g.op(o).attrs.get("mask_tail") == Some(&Attr::Str("main".into()))
        })
        .collect()
}

/// Whether some op inside loop `lp` satisfies `pred`.
fn contains(g: &Function, lp: Op, pred: impl Fn(Op) -> bool) -> bool {
    let mut found = false;
    g.walk(g.op(lp).regions[0], &mut |o| found |= pred(o));
    found
}

/// The main loops `split-mask-tails` made, and whether any of them still
/// compares.
fn main_loops(g: &Function) -> (usize, bool) {
    let mains = mains(g);
    let compares = mains
        .iter()
        .any(|&lp| contains(g, lp, |o| g.op(o).opcode == Opcode::Cmp));
    (mains.len(), compares)
}

/// Runs `f` split and unsplit at every lane count; returns the main loops
/// made at 4 lanes.
fn check(f: &Function, grid: [u32; 3], args: &[InterpArg]) -> usize {
    let mut mains = 0;
    for lanes in LANES {
        let mut want = args.to_vec();
        run_grid(&lowered(f, lanes, false), grid, &mut want)
            .unwrap_or_else(|e| panic!("`{}` (L = {lanes}): {e}", f.name));
        let g = lowered(f, lanes, true);
        let mut got = args.to_vec();
        run_grid(&g, grid, &mut got)
            .unwrap_or_else(|e| panic!("`{}` split (L = {lanes}): {e}\n{}", f.name, dump(&g)));
        let what = format!("`{}` split (L = {lanes})", f.name);
        compare(f, &want, &got, 0.0, &what);
        let (n, compares) = main_loops(&g);
        assert!(
            !compares,
            "{what}: a main loop still compares\n{}",
            dump(&g)
        );
        if lanes == 4 {
            mains = n;
        }
    }
    mains
}

#[test]
fn vector_add_split_keeps_every_bit() {
    let mut rng = Rng::new(91);
    let block = 256;
    let f = buf_kernels::vector_add(block);
    for n in [1usize, 7, 255, 256, 1000, 1023, 1025] {
        let args = vec![
            InterpArg::slice(&rng.f32s(n)),
            InterpArg::slice(&rng.f32s(n)),
            InterpArg::slice(&vec![f32::NAN; n]),
            InterpArg::scalar(n as i32),
        ];
        let grid = [(n as u32).div_ceil(block), 1, 1];
        assert!(check(&f, grid, &args) > 0, "vector add (n = {n}) not split");
    }
}

#[test]
fn softmax_split_keeps_every_bit() {
    let mut rng = Rng::new(92);
    for (block, n_cols) in [
        (64u32, 50u32),
        (64, 64),
        (1024, 1),
        (1024, 7),
        (1024, 1000),
        (1024, 1023),
    ] {
        let f = buf_kernels::softmax(block);
        let args = buf_kernels::softmax_args(&mut rng, n_cols);
        assert!(
            check(&f, [2, 1, 1], &args) > 0,
            "softmax ({block}, {n_cols}) not split"
        );
    }
}

#[test]
fn matmul_with_edge_tiles_keeps_every_bit() {
    let mut rng = Rng::new(93);
    for (m, n, k) in [(9u32, 16u32, 24u32), (7, 13, 5), (1, 1, 1)] {
        let f = buf_kernels::matmul(8, 16, 8);
        let (args, grid) = buf_kernels::matmul_args(&mut rng, (m, n, k), (8, 16));
        check(&f, grid, &args);
    }
}

/// Whether some main loop contains a loop with a constant bound: the split
/// was made on the tile loop, before `lower-tiles`, so the vector loops of
/// its unmasked chunks run a fixed count (which the host backends unroll,
/// keeping a chunk-wide accumulator in registers).
fn main_loop_has_fixed_inner_loop(g: &Function) -> bool {
    mains(g).into_iter().any(|lp| {
        contains(g, lp, |o| {
            let inner = g.op(o);
            inner.opcode == Opcode::For
                && g.def_op(inner.operands[1])
                    .is_some_and(|c| g.op(c).opcode == Opcode::Const)
        })
    })
}

#[test]
fn chunked_row_sum_splits_its_tile_loop_and_keeps_every_bit() {
    let mut rng = Rng::new(94);
    let block = 16;
    let f = buf_kernels::chunked_row_sum(block);
    for n in [1usize, 7, 15, 16, 17, 100, 1023, 1025] {
        let rows = 3;
        let args = vec![
            InterpArg::slice(&rng.f32s(rows * n)),
            InterpArg::slice(&vec![f32::NAN; rows]),
            InterpArg::scalar(n as i32),
        ];
        assert!(
            check(&f, [rows as u32, 1, 1], &args) > 0,
            "chunked row sum (n = {n}) not split"
        );
    }
    let g = lowered(&f, 4, true);
    assert!(
        main_loop_has_fixed_inner_loop(&g),
        "the chunk loop was not split before lowering\n{}",
        dump(&g)
    );
}
