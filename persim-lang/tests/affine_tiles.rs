//! Affine tiles (`Target::affine_tiles`) through the whole standard
//! pipeline: every kernel lowered with index and pointer tiles kept as
//! formulas (with and without block copies) must store exactly what it
//! stores with them in buffers, and what the tile-level reference stores,
//! at 1, 4 and 16 lanes and at awkward sizes; and the formulas must really
//! have replaced the pointer tiles (no pointer buffers; one 2-D `copy_in`
//! per tile load on a DMA target).

mod buf_kernels;
mod front_util;
mod lower_util;

use lower_util::*;
use persim_lang::interp::{run_grid, InterpArg};
use persim_lang::ir::{Elem, Function, Opcode, Type};
use persim_lang::passes::Pipeline;
use persim_lang::target::Target;

fn lowered(f: &Function, t: Target) -> Function {
    let mut g = f.clone();
    Pipeline::standard(t)
        .verify_each(true)
        .run(&mut g)
        .unwrap_or_else(|e| panic!("`{}`: {e}", f.name));
    g
}

fn count(f: &Function, opcode: Opcode, operands: Option<usize>) -> usize {
    f.all_ops()
        .into_iter()
        .filter(|&op| {
            let d = f.op(op);
            d.opcode == opcode && operands.is_none_or(|n| d.operands.len() == n)
        })
        .count()
}

/// Buffers of pointers the function allocates.
fn pointer_buffers(f: &Function) -> usize {
    f.all_ops()
        .into_iter()
        .filter(|&op| {
            let d = f.op(op);
            d.opcode == Opcode::Alloc
                && matches!(
                    f.ty(d.results[0]),
                    Type::Buf {
                        elem: Elem::Ptr(_),
                        ..
                    }
                )
        })
        .count()
}

/// Runs the reference, then for every lane count the lowering with
/// buffers and the affine lowerings (plain and with block copies); returns
/// the affine lowerings at 16 lanes.
fn check(f: &Function, grid: [u32; 3], args: &[InterpArg], tol: f64) -> (Function, Function) {
    let mut want = args.to_vec();
    run_grid(f, grid, &mut want).unwrap_or_else(|e| panic!("reference `{}`: {e}", f.name));
    let mut last = None;
    for lanes in LANES {
        let mut plain = args.to_vec();
        run_grid(&lowered(f, target(lanes)), grid, &mut plain)
            .unwrap_or_else(|e| panic!("`{}` (L = {lanes}): {e}", f.name));
        let affine = target(lanes).with_affine_tiles(true);
        let variants = [
            (lowered(f, affine.clone()), "affine"),
            (
                lowered(f, affine.with_bulk_copies(true)),
                "affine with copies",
            ),
        ];
        for (g, how) in &variants {
            let mut got = args.to_vec();
            run_grid(g, grid, &mut got)
                .unwrap_or_else(|e| panic!("`{}` {how} (L = {lanes}): {e}\n{}", f.name, dump(g)));
            let what = format!("`{}` {how} (L = {lanes})", f.name);
            compare(f, &want, &got, tol, &what);
            compare(f, &plain, &got, 0.0, &format!("{what} against buffers"));
        }
        let [(a, _), (b, _)] = variants;
        last = Some((a, b));
    }
    last.expect("LANES is not empty")
}

/// Triton's matmul with pointers recomputed every `k` step (no carried
/// pointer tiles, no masks): the pointer tiles are affine.
const MATMUL: &str = r#"
fn matmul(a: *const f32, b: *const f32, c: *mut f32, m: i32, n: i32, k: i32,
    #[constexpr] BLOCK_M: i32, #[constexpr] BLOCK_N: i32, #[constexpr] BLOCK_K: i32) {
    let offs_m = program_id(0) * BLOCK_M + arange(0, BLOCK_M);
    let offs_n = program_id(1) * BLOCK_N + arange(0, BLOCK_N);
    let offs_k = arange(0, BLOCK_K);
    let mut acc = zeros::<f32>([BLOCK_M, BLOCK_N]);
    for kb in 0..cdiv(k, BLOCK_K) {
        let kk = kb * BLOCK_K + offs_k;
        let a_tile = load(a + offs_m.expand_dims(1) * k + kk.expand_dims(0));
        let b_tile = load(b + kk.expand_dims(1) * n + offs_n.expand_dims(0));
        acc = dot(a_tile, b_tile, acc);
    }
    store(c + offs_m.expand_dims(1) * n + offs_n.expand_dims(0), acc);
}"#;

#[test]
fn matmul_tiles_move_as_two_dimensional_copies() {
    let mut rng = Rng::new(91);
    for (bm, bn, bk, m, n, k) in [
        (4, 4, 4, 8, 8, 12),
        (16, 32, 8, 32, 64, 24),
        (8, 8, 8, 8, 8, 8),
    ] {
        let f = front_util::build_ok(MATMUL, &[("BLOCK_M", bm), ("BLOCK_N", bn), ("BLOCK_K", bk)]);
        let args = vec![
            InterpArg::slice(&rng.f32s((m * k) as usize)),
            InterpArg::slice(&rng.f32s((k * n) as usize)),
            InterpArg::slice(&vec![0.0f32; (m * n) as usize]),
            InterpArg::scalar(m as i32),
            InterpArg::scalar(n as i32),
            InterpArg::scalar(k as i32),
        ];
        let grid = [(m / bm) as u32, (n / bn) as u32, 1];
        let (affine, copies) = check(&f, grid, &args, 0.0);
        assert_eq!(pointer_buffers(&affine), 0, "{}", dump(&affine));
        // Both tile loads and the store: one 2-D block each. The loads are
        // double-buffered by alternation (`double-buffer`): the first
        // step's copies before the loop, then in each version of the body
        // the next step's copies into the other twin.
        assert_eq!(
            count(&copies, Opcode::CopyIn, Some(7)),
            6,
            "{}",
            dump(&copies)
        );
        let asynchronous = copies
            .all_ops()
            .into_iter()
            .filter(|&o| {
                copies.op(o).opcode == Opcode::CopyIn && copies.op(o).attrs.get("async").is_some()
            })
            .count();
        assert_eq!(asynchronous, 6, "{}", dump(&copies));
        assert_eq!(count(&copies, Opcode::If, None), 1, "{}", dump(&copies));
        assert_eq!(
            count(&copies, Opcode::CopyOut, Some(7)),
            1,
            "{}",
            dump(&copies)
        );
        assert_eq!(count(&copies, Opcode::Load, None), 0, "{}", dump(&copies));
        assert_eq!(count(&copies, Opcode::Store, None), 0, "{}", dump(&copies));
    }
}

#[test]
fn carried_pointer_tiles_and_masks_stay_correct() {
    // Triton's tutorial matmul: pointer tiles carried by the `k` loop and
    // a mask on the `k` tail.
    let mut rng = Rng::new(92);
    let f = buf_kernels::matmul(4, 4, 4);
    let (args, grid) = buf_kernels::matmul_args(&mut rng, (5, 7, 9), (4, 4));
    let (affine, copies) = check(&f, grid, &args, 0.0);
    // The carried pointer tiles move by a splat each step: the loop
    // carries their offsets, and no pointer tile is stored.
    assert_eq!(pointer_buffers(&affine), 0, "{}", dump(&affine));
    assert_eq!(pointer_buffers(&copies), 0, "{}", dump(&copies));
}

/// A transposing load (the inner dimension walks with stride `n`), a
/// masked 2-D load with `other`, index arithmetic on `arange` (`-`, `*`)
/// kept affine, and a row that is not a multiple of the lanes.
const SHAPES: &str = r#"
fn shapes(x: *const f32, out: *mut f32, n: i32, #[constexpr] R: i32, #[constexpr] C: i32) {
    let rows = arange(0, R);
    let cols = arange(0, C);
    let t = load(x + cols.expand_dims(0) * n + rows.expand_dims(1));
    let back = (C - 1) - cols;
    let m = (rows.expand_dims(1) < n) & (back.expand_dims(0) < n);
    let y = load(x + rows.expand_dims(1) * n + back.expand_dims(0), m, -1.0);
    let o = out + rows.expand_dims(1) * (2 * C) + cols.expand_dims(0) * 2;
    store(o, t, m);
    store(o + 1, y);
}"#;

#[test]
fn strided_reversed_and_masked_tiles_stay_correct() {
    let mut rng = Rng::new(93);
    for (r, c, n) in [(4i64, 7i64, 7i32), (5, 16, 9), (3, 33, 40), (1, 1, 1)] {
        let f = front_util::build_ok(SHAPES, &[("R", r), ("C", c)]);
        let side = (r.max(c) as usize).max(n as usize);
        let args = vec![
            InterpArg::slice(&rng.f32s(side * side)),
            InterpArg::slice(&vec![0.0f32; (r * c * 2) as usize]),
            InterpArg::scalar(n),
        ];
        let (affine, _) = check(&f, [1, 1, 1], &args, 0.0);
        assert_eq!(pointer_buffers(&affine), 0, "{}", dump(&affine));
    }
}

#[test]
fn vector_add_and_softmax_rows_stay_correct() {
    let mut rng = Rng::new(94);
    for (block, n) in [(8u32, 1usize), (16, 7), (64, 1000), (64, 1025)] {
        let f = buf_kernels::vector_add(block);
        let args = vec![
            InterpArg::slice(&rng.f32s(n)),
            InterpArg::slice(&rng.f32s(n)),
            InterpArg::slice(&vec![0.0f32; n]),
            InterpArg::scalar(n as i32),
        ];
        let (_, copies) = check(&f, [(n as u32).div_ceil(block), 1, 1], &args, 0.0);
        // Outside any loop, each masked row of several vectors is one copy
        // of `clamp(n - start)` elements: two in, one out, no vector access
        // left (a one-vector tile stays one vector access).
        if block <= 16 {
            continue;
        }
        assert_eq!(
            count(&copies, Opcode::CopyIn, Some(4)),
            2,
            "{}",
            dump(&copies)
        );
        assert_eq!(
            count(&copies, Opcode::CopyOut, Some(4)),
            1,
            "{}",
            dump(&copies)
        );
        assert_eq!(count(&copies, Opcode::Load, None), 0, "{}", dump(&copies));
    }
    for (block, n_cols, rows) in [(8u32, 7u32, 3u32), (1024, 1000, 2)] {
        let f = buf_kernels::softmax(block);
        let (in_stride, out_stride) = (n_cols + 3, n_cols + 1);
        let args = vec![
            InterpArg::slice(&vec![0.0f32; (rows * out_stride) as usize]),
            InterpArg::slice(&rng.f32s((rows * in_stride) as usize)),
            InterpArg::scalar(in_stride as i32),
            InterpArg::scalar(out_stride as i32),
            InterpArg::scalar(n_cols as i32),
        ];
        check(&f, [rows, 1, 1], &args, 1e-5);
    }
}
