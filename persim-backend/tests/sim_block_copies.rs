//! Contiguous loads and stores reach off-chip memory as one DMA descriptor
//! per tile row (the mid-end's `bulk-copies`) or per 2-D tile (affine
//! pointer tiles, masks bounding rows and columns included), overlapped on
//! both channels and double-buffered across a loop's rows
//! (`double-buffer`), and still compute what the kernel says at sizes
//! that leave partial vectors and rows entirely masked off.

mod sim_util;

use persim_backend::spatial::{Machine, SimEngine, SimReport};
use persim_backend::{Arg, Grid};
use sim_util::*;

const ADD: &str = r#"
fn add(x: *const f32, y: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    store(out + offs, load(x + offs, mask) + load(y + offs, mask), mask);
}"#;

const SOFTMAX: &str = r#"
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

fn machine() -> Machine {
    Machine::from_toml("[grid]\ncols = 3\nrows = 2\n").unwrap()
}

fn descriptors(report: &SimReport) -> (u64, u64) {
    let all = report.stats.dma.iter().map(|d| d.descriptors).sum();
    let second = report
        .stats
        .dma
        .iter()
        .filter(|d| d.channel == 1)
        .map(|d| d.descriptors)
        .sum();
    (all, second)
}

#[test]
fn sim_vector_add_moves_one_descriptor_per_operand() {
    let mut rng = Rng::new(41);
    for n in [1usize, 7, 64 * 9 + 5, 1000, 1023, 1025] {
        let x = rng.vec_f32(n, -1.0, 1.0);
        let y = rng.vec_f32(n, -1.0, 1.0);
        let mut out = vec![0.0f32; n];
        let report = SimEngine::new(machine())
            .launch_ir(
                &build_ok(ADD, &[("BLOCK", 64)]),
                Grid::from(n.div_ceil(64)),
                &mut [
                    Arg::from(&x[..]),
                    Arg::from(&y[..]),
                    Arg::from(&mut out[..]),
                    Arg::from(n as i32),
                ],
            )
            .unwrap_or_else(|e| panic!("n = {n}: {e}"));
        for i in 0..n {
            assert_eq!(out[i], x[i] + y[i], "n = {n}: out[{i}]");
        }
        // Two copies in and one out per instance; the two loads overlap
        // on the second channel.
        let instances = n.div_ceil(64) as u64;
        assert_eq!(descriptors(&report), (3 * instances, instances), "n = {n}");
    }
}

#[test]
fn sim_softmax_rows_move_as_blocks() {
    let mut rng = Rng::new(42);
    for (rows, cols) in [(1usize, 1usize), (7, 7), (5, 1000), (3, 1023)] {
        let x = rng.vec_f32(rows * cols, -4.0, 4.0);
        let mut out = vec![0.0f32; rows * cols];
        let report = SimEngine::new(machine())
            .launch_ir(
                &build_ok(SOFTMAX, &[("BLOCK", 1024)]),
                Grid::from(4u32),
                &mut [
                    Arg::from(&mut out[..]),
                    Arg::from(&x[..]),
                    Arg::from(rows as i32),
                    Arg::from(cols as i32),
                ],
            )
            .unwrap_or_else(|e| panic!("{rows}x{cols}: {e}"));
        let mut want = vec![0.0f32; rows * cols];
        for r in 0..rows {
            let row = &x[r * cols..][..cols];
            let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let s: f32 = row.iter().map(|v| (v - m).exp()).sum();
            for c in 0..cols {
                want[r * cols + c] = (row[c] - m).exp() / s;
            }
        }
        assert_close(&out, &want, 1e-5, &format!("softmax {rows}x{cols}"));
        // One descriptor in and one out per row; the rows come in
        // double-buffered on the second channel, go out on the first.
        assert_eq!(
            descriptors(&report),
            (2 * rows as u64, rows as u64),
            "{rows}x{cols}"
        );
    }
}

#[test]
fn sim_block_copies_on_a_single_channel_machine() {
    // With one DMA channel the copies queue on it in order.
    let machine =
        Machine::from_toml("[grid]\ncols = 2\nrows = 2\n[dma]\nchannels_per_tile = 1\n").unwrap();
    let n = 1000;
    let mut rng = Rng::new(43);
    let x = rng.vec_f32(n, -1.0, 1.0);
    let y = rng.vec_f32(n, -1.0, 1.0);
    let mut out = vec![0.0f32; n];
    let report = SimEngine::new(machine)
        .launch_ir(
            &build_ok(ADD, &[("BLOCK", 128)]),
            Grid::from(n.div_ceil(128)),
            &mut [
                Arg::from(&x[..]),
                Arg::from(&y[..]),
                Arg::from(&mut out[..]),
                Arg::from(n as i32),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    for i in 0..n {
        assert_eq!(out[i], x[i] + y[i], "out[{i}]");
    }
    assert_eq!(descriptors(&report), (3 * n.div_ceil(128) as u64, 0));

    // Double buffering with one channel: prefetches, copies out and their
    // waits share it.
    let machine =
        Machine::from_toml("[grid]\ncols = 2\nrows = 1\n[dma]\nchannels_per_tile = 1\n").unwrap();
    let (rows, cols) = (9usize, 300usize);
    let x = rng.vec_f32(rows * cols, -4.0, 4.0);
    let mut out = vec![0.0f32; rows * cols];
    SimEngine::new(machine)
        .launch_ir(
            &build_ok(SOFTMAX, &[("BLOCK", 512)]),
            Grid::from(2u32),
            &mut [
                Arg::from(&mut out[..]),
                Arg::from(&x[..]),
                Arg::from(rows as i32),
                Arg::from(cols as i32),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    for r in 0..rows {
        let row = &x[r * cols..][..cols];
        let m = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let s: f32 = row.iter().map(|v| (v - m).exp()).sum();
        for c in 0..cols {
            let want = (row[c] - m).exp() / s;
            let got = out[r * cols + c];
            assert!(
                (got - want).abs() <= 1e-5 * want.abs().max(1.0),
                "[{r}][{c}]: {got} vs {want}"
            );
        }
    }
}

const ROW_SUMS: &str = r#"
fn row_sums(x: *const f32, out: *mut f32, m: i32, n: i32, stride: i32,
    #[constexpr] BM: i32, #[constexpr] BN: i32) {
    let rows = arange(0, BM);
    let cols = arange(0, BN);
    let mask = (rows.expand_dims(1) < m) & (cols.expand_dims(0) < n);
    let tile = load(x + rows.expand_dims(1) * stride + cols.expand_dims(0), mask, 0.0);
    store(out + rows, sum(tile, 1), rows < m);
}"#;

#[test]
fn sim_masked_tile_moves_as_one_block() {
    // A 2-D tile load masked to `m` rows and `n` columns (masked-off
    // elements 0.0) is one 2-D descriptor of the rows and columns the mask
    // leaves (the buffer filled with 0.0 first, since the block may be
    // partial); the row sums go out as one more.
    let mut rng = Rng::new(44);
    for (m, n) in [(16usize, 64usize), (13, 50), (1, 1), (16, 7)] {
        let stride = 70;
        let x = rng.vec_f32(m * stride, -1.0, 1.0);
        let mut out = vec![0.0f32; m];
        let report = SimEngine::new(machine())
            .launch_ir(
                &build_ok(ROW_SUMS, &[("BM", 16), ("BN", 64)]),
                Grid::from(1u32),
                &mut [
                    Arg::from(&x[..]),
                    Arg::from(&mut out[..]),
                    Arg::from(m as i32),
                    Arg::from(n as i32),
                    Arg::from(stride as i32),
                ],
            )
            .unwrap_or_else(|e| panic!("{m}x{n}: {e}"));
        for r in 0..m {
            let want: f32 = x[r * stride..][..n].iter().sum();
            assert!(
                (out[r] - want).abs() <= 1e-5 * want.abs().max(1.0),
                "{m}x{n}: row {r}: {} vs {want}",
                out[r]
            );
        }
        // One 2-D descriptor in, one out (16 lanes, one vector).
        assert_eq!(descriptors(&report).0, 2, "{m}x{n}");
    }
}

#[test]
fn sim_affine_tiles_move_as_one_descriptor_each() {
    // Pointer tiles affine in the tile indices (`Target::affine_tiles`)
    // are never stored: each unmasked tile load or store is one 2-D
    // descriptor (rows with the global stride `k` or `n`).
    let mut rng = Rng::new(45);
    let (m, n, k) = (64usize, 64usize, 48usize);
    let (bm, bn, bk) = (32usize, 32usize, 16usize);
    let a = rng.vec_f32(m * k, -1.0, 1.0);
    let b = rng.vec_f32(k * n, -1.0, 1.0);
    let mut c = vec![0.0f32; m * n];
    let report = SimEngine::new(machine())
        .launch_ir(
            &build_ok(
                TILE_MATMUL,
                &[("BM", bm as i64), ("BN", bn as i64), ("BK", bk as i64)],
            ),
            Grid::from(((m / bm) as u32, (n / bn) as u32)),
            &mut [
                Arg::from(&a[..]),
                Arg::from(&b[..]),
                Arg::from(&mut c[..]),
                Arg::from(m as i32),
                Arg::from(n as i32),
                Arg::from(k as i32),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    for i in 0..m {
        for j in 0..n {
            let want = (0..k).fold(0.0f32, |acc, kk| acc + a[i * k + kk] * b[kk * n + j]);
            let got = c[i * n + j];
            assert!(
                (got - want).abs() <= 1e-5 * want.abs().max(1.0),
                "[{i}][{j}]: {got} vs {want}"
            );
        }
    }
    let instances = (m / bm * (n / bn)) as u64;
    let steps = (k / bk) as u64;
    // The result leaves as one descriptor per block of rows of the last
    // step (`early-write-out`: a block per strip of 16 rows).
    let result_blocks = (bm / 16) as u64;
    assert_eq!(
        descriptors(&report).0,
        instances * (2 * steps + result_blocks)
    );
}

const WRAPPED_GATHER: &str = r#"
fn wrapped(x: *const f32, out: *mut f32, m: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let rows = offs % m;
    store(out + offs, load(x + rows) * 2.0);
}"#;

#[test]
fn sim_wrapped_index_tiles_are_exact_in_both_versions() {
    // `version-wraps` runs the kernel without the `%` where no lane wraps
    // (one 2-D copy) and as written elsewhere (a gather): instances below
    // `m` take the first version, the ones past it the second.
    let mut rng = Rng::new(46);
    for m in [1usize, 7, 16, 33, 100] {
        let grid = m.div_ceil(16) + 1;
        let x = rng.vec_f32(m, -1.0, 1.0);
        let mut out = vec![0.0f32; grid * 16];
        SimEngine::new(machine())
            .launch_ir(
                &build_ok(WRAPPED_GATHER, &[("BLOCK", 16)]),
                Grid::from(grid as u32),
                &mut [
                    Arg::from(&x[..]),
                    Arg::from(&mut out[..]),
                    Arg::from(m as i32),
                ],
            )
            .unwrap_or_else(|e| panic!("m = {m}: {e}"));
        for (i, &o) in out.iter().enumerate() {
            assert_eq!(o, x[i % m] * 2.0, "m = {m}: out[{i}]");
        }
    }
}
