//! `bulk-copies` through the whole standard pipeline: each kernel lowered
//! for a DMA target (`Target::bulk_copies`) must store exactly what it
//! stores lowered without block copies and what the tile-level reference
//! stores, at 1, 4 and 16 lanes and at sizes that leave partial vectors and
//! partial blocks; and the contiguous accesses must really have become
//! copies (what the spatial backend's bandwidth depends on). A persistent
//! loop over rows also gets its row copy double-buffered
//! (`double-buffer`).

mod buf_kernels;
mod front_util;
mod lower_util;

use lower_util::*;
use persim_lang::interp::{run_grid, InterpArg};
use persim_lang::ir::{Function, Opcode};
use persim_lang::passes::Pipeline;

fn lowered(f: &Function, lanes: u32, bulk: bool) -> Function {
    let mut g = f.clone();
    Pipeline::standard(target(lanes).with_bulk_copies(bulk))
        .verify_each(true)
        .run(&mut g)
        .unwrap_or_else(|e| panic!("`{}` (L = {lanes}, bulk {bulk}): {e}", f.name));
    g
}

fn count(f: &Function, opcode: Opcode) -> usize {
    f.all_ops()
        .into_iter()
        .filter(|&op| f.op(op).opcode == opcode)
        .count()
}

/// Runs the reference, then both lowerings for every lane count; returns
/// the copy-lowered function at 16 lanes for shape checks.
fn check(f: &Function, grid: [u32; 3], args: &[InterpArg], tol: f64) -> Function {
    let mut want = args.to_vec();
    run_grid(f, grid, &mut want).unwrap_or_else(|e| panic!("reference `{}`: {e}", f.name));
    let mut last = None;
    for lanes in LANES {
        let mut plain = args.to_vec();
        let vectors = lowered(f, lanes, false);
        run_grid(&vectors, grid, &mut plain)
            .unwrap_or_else(|e| panic!("`{}` (L = {lanes}): {e}", f.name));
        let copies = lowered(f, lanes, true);
        let mut got = args.to_vec();
        run_grid(&copies, grid, &mut got).unwrap_or_else(|e| {
            panic!(
                "`{}` with copies (L = {lanes}): {e}\n{}",
                f.name,
                dump(&copies)
            )
        });
        let what = format!("`{}` with copies (L = {lanes})", f.name);
        compare(f, &want, &got, tol, &what);
        compare(
            f,
            &plain,
            &got,
            0.0,
            &format!("{what} against vector accesses"),
        );
        last = Some(copies);
    }
    last.expect("LANES is not empty")
}

#[test]
fn vector_add_moves_blocks() {
    let mut rng = Rng::new(71);
    for (block, n) in [(7u32, 1u32), (16, 7), (64, 1000), (256, 1023), (256, 1025)] {
        let f = buf_kernels::vector_add(block);
        let mut out = vec![0.0f32; n as usize + 1];
        out[n as usize] = 777.0;
        let args = vec![
            InterpArg::slice(&rng.f32s(n as usize)),
            InterpArg::slice(&rng.f32s(n as usize)),
            InterpArg::slice(&out),
            InterpArg::scalar(n as i32),
        ];
        let g = check(&f, [n.div_ceil(block), 1, 1], &args, 0.0);
        if block <= 16 {
            continue; // one vector at 16 lanes: no loop to move out of
        }
        assert_eq!(
            (count(&g, Opcode::CopyIn), count(&g, Opcode::CopyOut)),
            (2, 1),
            "{}",
            dump(&g)
        );
        assert_eq!(count(&g, Opcode::Load) + count(&g, Opcode::Store), 0);
    }
}

#[test]
fn softmax_rows_move_as_blocks() {
    let mut rng = Rng::new(72);
    for (block, n_cols, rows) in [
        (8u32, 1u32, 2u32),
        (8, 7, 3),
        (1024, 1000, 2),
        (1024, 1023, 1),
    ] {
        let f = buf_kernels::softmax(block);
        let (in_stride, out_stride) = (n_cols + 3, n_cols + 1);
        let x: Vec<f32> = rng
            .f32s((rows * in_stride) as usize)
            .into_iter()
            .map(|v| v * 8.0)
            .collect();
        let args = vec![
            InterpArg::slice(&vec![0.0f32; (rows * out_stride) as usize]),
            InterpArg::slice(&x),
            InterpArg::scalar(in_stride as i32),
            InterpArg::scalar(out_stride as i32),
            InterpArg::scalar(n_cols as i32),
        ];
        let g = check(&f, [rows, 1, 1], &args, 1e-5);
        if block <= 16 {
            continue;
        }
        // The row load becomes a copy. The store stays a vector store here:
        // lowering reuses the `cols` buffer in place for the output offsets,
        // so they are read from a buffer, no walk the pass can see (the
        // spatial tests check the persistent softmax, whose stores move).
        assert_eq!(count(&g, Opcode::CopyIn), 1, "{}", dump(&g));
        assert_eq!(count(&g, Opcode::Load), 0);
    }
}

#[test]
fn matmul_with_pointer_tiles_stays_correct() {
    // Pointer tiles read from buffers are no contiguous walk the pass can
    // see: whatever it moves, the product must not change.
    let mut rng = Rng::new(73);
    let f = buf_kernels::matmul(4, 4, 4);
    let (args, grid) = buf_kernels::matmul_args(&mut rng, (5, 7, 9), (4, 4));
    check(&f, grid, &args, 0.0);
}

const PERSISTENT_SOFTMAX: &str = r#"
fn softmax(out: *mut f32, inp: *const f32, n_rows: i32, n_cols: i32, #[constexpr] BLOCK: i32) {
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    for row in (program_id(0)..n_rows).step_by(num_programs(0)) {
        let x = load(inp + row * n_cols + cols, mask, f32::NEG_INFINITY);
        let z = x - max(x, 0);
        let num = exp(z);
        let den = sum(num, 0);
        store(out + row * n_cols + cols, num / den, mask);
    }
}"#;

#[test]
fn persistent_softmax_double_buffers_its_rows() {
    let mut rng = Rng::new(74);
    let f = front_util::build_ok(PERSISTENT_SOFTMAX, &[("BLOCK", 64)]);
    // 1, 2, 3 and 4 rows per program (the last prefetch of each program
    // moves nothing), and a row entirely masked off (`n_cols = 0`).
    for (rows, cols) in [(3u32, 50u32), (7, 64), (12, 1), (5, 0)] {
        let x: Vec<f32> = rng
            .f32s((rows * cols) as usize)
            .into_iter()
            .map(|v| v * 8.0)
            .collect();
        let args = vec![
            InterpArg::slice(&vec![0.0f32; (rows * cols).max(1) as usize]),
            InterpArg::slice(&x),
            InterpArg::scalar(rows as i32),
            InterpArg::scalar(cols as i32),
        ];
        let g = check(&f, [3, 1, 1], &args, 1e-5);
        // Waits: this row's copy in, the last row's copy out before the
        // row buffer is written, the last copy out after the loop.
        assert_eq!(count(&g, Opcode::CopyWait), 3, "{}", dump(&g));
        let asynchronous = g
            .all_ops()
            .into_iter()
            .filter(|&o| g.op(o).opcode == Opcode::CopyIn && g.op(o).attrs.get("async").is_some())
            .count();
        assert_eq!(asynchronous, 2, "{}", dump(&g));
        let behind = g
            .all_ops()
            .into_iter()
            .filter(|&o| g.op(o).opcode == Opcode::CopyOut && g.op(o).attrs.get("async").is_some())
            .count();
        assert_eq!(behind, 1, "{}", dump(&g));
    }
}
