//! Shared panels (`compile/share.rs`): a double-buffered copy that every
//! instance of a group reads alike — a matmul's `A` tiles for instances
//! with the same `program_id(0)`, its `B` tiles for the same
//! `program_id(1)` — is read from off-chip memory once per group and
//! forwarded PE to PE. Results match the reference at awkward grid shapes,
//! off-chip reads drop to one read of each operand, and the compiler
//! falls back to separate reads when instances would share a PE or a copy
//! depends on the axis.

mod sim_util;

use persim_backend::spatial::sim::Resource;
use persim_backend::spatial::{Machine, PlacementPolicy, SimEngine, SimReport, TileCoord};
use persim_backend::{Arg, Grid};
use sim_util::*;

/// Each column of instances multiplies its own `A` (batched along
/// `program_id(1)`): only `B` is shared.
const BATCHED_A: &str = r#"
fn batched(a: *const f32, b: *const f32, c: *mut f32, m: i32, n: i32, k: i32,
    #[constexpr] BM: i32, #[constexpr] BN: i32, #[constexpr] BK: i32) {
    let offs_m = program_id(0) * BM + arange(0, BM);
    let offs_n = program_id(1) * BN + arange(0, BN);
    let offs_k = arange(0, BK);
    let a_batch = a + program_id(1) * m * k;
    let mut acc = zeros::<f32>([BM, BN]);
    for kb in 0..cdiv(k, BK) {
        let kk = kb * BK + offs_k;
        let a_tile = load(a_batch + offs_m.expand_dims(1) * k + kk.expand_dims(0));
        let b_tile = load(b + kk.expand_dims(1) * n + offs_n.expand_dims(0));
        acc = dot(a_tile, b_tile, acc);
    }
    store(c + offs_m.expand_dims(1) * n + offs_n.expand_dims(0), acc);
}"#;

const BLOCK: usize = 16;

fn mesh(cols: u32, rows: u32) -> Machine {
    Machine::from_toml(&format!("[grid]\ncols = {cols}\nrows = {rows}\n")).unwrap()
}

fn offchip_read(report: &SimReport) -> u64 {
    report
        .stats
        .links
        .iter()
        .filter(|l| matches!(l.resource, Resource::OffchipRead { .. }))
        .map(|l| l.bytes)
        .sum()
}

/// Runs `src` for `m x n x k` (16 x 16 x 16 blocks) with `a` of `batches`
/// matrices; checks `c` against the sequential reference (instance column
/// `j` uses batch `j` when `batches > 1`) and returns the report.
fn run(
    engine: &SimEngine,
    src: &str,
    shape: (usize, usize, usize),
    batches: usize,
    seed: u64,
) -> SimReport {
    let (m, n) = (shape.0 / BLOCK, shape.1 / BLOCK);
    run_on(
        engine,
        src,
        shape,
        batches,
        seed,
        Grid::from((m as u32, n as u32)),
    )
}

/// [`run`] over `grid` (the kernel maps instances to blocks itself).
fn run_on(
    engine: &SimEngine,
    src: &str,
    (m, n, k): (usize, usize, usize),
    batches: usize,
    seed: u64,
    grid: Grid,
) -> SimReport {
    let mut rng = Rng::new(seed);
    let a = rng.vec_f32(batches * m * k, -1.0, 1.0);
    let b = rng.vec_f32(k * n, -1.0, 1.0);
    let mut c = vec![0.0f32; m * n];
    let b16 = BLOCK as i64;
    let report = engine
        .launch_ir(
            &build_ok(src, &[("BM", b16), ("BN", b16), ("BK", b16)]),
            grid,
            &mut [
                Arg::from(&a[..]),
                Arg::from(&b[..]),
                Arg::from(&mut c[..]),
                Arg::from(m as i32),
                Arg::from(n as i32),
                Arg::from(k as i32),
            ],
        )
        .unwrap_or_else(|e| panic!("{m}x{n}x{k}: {e}"));
    for i in 0..m {
        for j in 0..n {
            let batch = if batches > 1 { j / BLOCK } else { 0 };
            let a = &a[batch * m * k..];
            let want = (0..k).fold(0.0f32, |acc, kk| acc + a[i * k + kk] * b[kk * n + j]);
            // `dot`'s rounding: products added to the accumulator in k order.
            assert_eq!(
                c[i * n + j].to_bits(),
                want.to_bits(),
                "{m}x{n}x{k}: c[{i}][{j}]"
            );
        }
    }
    report
}

#[test]
fn sim_shared_panels_read_each_operand_once() {
    let engine = SimEngine::new(mesh(4, 4));
    // (m, n, k): grids 4x3, 1x8 (wider than the mesh: laid row-major),
    // 4x4 with ten k steps, 2x1, 3x4 with two k steps.
    for (i, &(m, n, k)) in [
        (64, 48, 32),
        (16, 128, 48),
        (64, 64, 160),
        (32, 16, 64),
        (48, 64, 32),
    ]
    .iter()
    .enumerate()
    {
        let report = run(&engine, TILE_MATMUL, (m, n, k), 1, 90 + i as u64);
        assert_eq!(
            offchip_read(&report),
            4 * (m * k + k * n) as u64,
            "{m}x{n}x{k}: each element of A and B crosses the shims once"
        );
    }
}

#[test]
fn sim_shared_panels_on_one_dma_channel() {
    // Reads, queued forwards (waiting in the channel for their locks) and
    // the result's copy out all on one channel: the leader's read must be
    // queued before the forward that waits for it.
    // Queues of one descriptor too, where `dma.start` waits for the
    // queued forward to start.
    for dma in [
        "channels_per_tile = 1",
        "channels_per_tile = 1\nqueue_depth = 1",
        "queue_depth = 1",
    ] {
        let machine =
            Machine::from_toml(&format!("[grid]\ncols = 4\nrows = 4\n[dma]\n{dma}\n")).unwrap();
        let (m, n, k) = (64, 64, 64);
        let report = run(&SimEngine::new(machine), TILE_MATMUL, (m, n, k), 1, 12);
        assert_eq!(offchip_read(&report), 4 * (m * k + k * n) as u64, "{dma}");
    }
}

#[test]
fn sim_shared_panels_follow_any_placement() {
    // Instances placed against the grid (reversed, then strided): chains
    // take several hops and cross, and still deliver every tile in order.
    let (m, n, k) = (64, 48, 48);
    let all: Vec<TileCoord> = (1..=4u8)
        .flat_map(|row| (0..4u8).map(move |col| TileCoord::new(col, row)))
        .collect();
    let reversed: Vec<TileCoord> = all.iter().rev().copied().collect();
    let strided: Vec<TileCoord> = (0..16).map(|i| all[(i * 7) % 16]).collect();
    for tiles in [reversed, strided] {
        let engine = SimEngine::new(mesh(4, 4)).with_policy(PlacementPolicy::RoundRobin(tiles));
        let report = run(&engine, TILE_MATMUL, (m, n, k), 1, 7);
        assert_eq!(offchip_read(&report), 4 * (m * k + k * n) as u64);
    }
}

#[test]
fn sim_a_single_k_step_reads_per_instance() {
    // With `k` known at launch (scalar arguments are specialized) one `k`
    // step leaves no loop: nothing is prefetched, so nothing is shared.
    let shape = (48, 64, 16);
    let report = run(&SimEngine::new(mesh(4, 4)), TILE_MATMUL, shape, 1, 13);
    assert_eq!(offchip_read(&report), unshared_reads(shape));
}

/// Off-chip bytes read when every instance reads its own `A` and `B` tiles.
fn unshared_reads((m, n, k): (usize, usize, usize)) -> u64 {
    let (gm, gn) = (m / BLOCK, n / BLOCK);
    4 * (m * k * gn + k * n * gm) as u64
}

#[test]
fn sim_shared_panels_need_a_pe_per_group_member() {
    // 12 instances on 4 PEs, a 4x3 grid whose 3 columns do not fold onto
    // 2: annealed lists put members of a group one after another on one
    // PE (they would wait for each other) or give a PE different roles,
    // so every instance reads its own tiles.
    let shape = (64, 48, 32);
    let report = run(&SimEngine::new(mesh(2, 2)), TILE_MATMUL, shape, 1, 8);
    assert_eq!(offchip_read(&report), unshared_reads(shape));
}

#[test]
fn sim_shared_panels_fold_a_grid_larger_than_the_mesh() {
    // 4x4 and 4x6 grids on 2x2 PEs: PE (c, r) runs (r + 2i, c + 2j) in
    // order, so each group's members run at once on distinct PEs and a PE
    // keeps its place in its chains; A's panel `p0` is read once per
    // position along axis 1 and B's once per position along axis 0.
    for (i, &(m, n, k)) in [(64, 64, 32), (64, 96, 48)].iter().enumerate() {
        let report = run(
            &SimEngine::new(mesh(2, 2)),
            TILE_MATMUL,
            (m, n, k),
            1,
            30 + i as u64,
        );
        let (gm, gn) = (m / BLOCK, n / BLOCK);
        let want = 4 * (m * k * (gn / 2) + k * n * (gm / 2)) as u64;
        assert_eq!(offchip_read(&report), want, "{m}x{n}x{k}");
        assert!(want < unshared_reads((m, n, k)));
    }
}

#[test]
fn sim_copies_that_depend_on_the_axis_are_not_shared() {
    // `A` depends on program_id(1) through the batch offset: each instance
    // reads its own A tiles; B is still shared along program_id(0).
    let (m, n, k) = (32, 48, 32);
    let report = run(
        &SimEngine::new(mesh(4, 4)),
        BATCHED_A,
        (m, n, k),
        n / BLOCK,
        9,
    );
    assert_eq!(
        offchip_read(&report),
        4 * (m * k * (n / BLOCK) + k * n) as u64
    );
}

#[test]
fn sim_shared_panels_on_a_slow_network() {
    // 4-byte links and a fast shim: a forward takes longer than a k step,
    // so a buffer's next tile arrives only if the protocol waits for the
    // forward out of it (acknowledgements) and for the downstream's credit.
    let machine = Machine::from_toml(
        "[grid]\ncols = 4\nrows = 4\n[noc]\nlink_bytes_per_cycle = 4\n[offchip]\nbytes_per_cycle_per_shim = 64\n",
    )
    .unwrap();
    let (m, n, k) = (64, 64, 128);
    let report = run(&SimEngine::new(machine), TILE_MATMUL, (m, n, k), 1, 10);
    assert_eq!(offchip_read(&report), 4 * (m * k + k * n) as u64);
}

/// Every instance sums the same rows of `w` and scales the sum by its own
/// factor (`out[p] = (p + 1) * sum of rows`): the row
/// copies, which `double-buffer` prefetches one row ahead, are shared by
/// all instances.
const SUM_ROWS: &str = r#"
fn sum_rows(w: *const f32, out: *mut f32, n_rows: i32, #[constexpr] BLOCK: i32) {
    let cols = arange(0, BLOCK);
    let pid = program_id(0);
    let s = (pid + 1) as f32;
    let mut acc = zeros::<f32>([BLOCK]);
    for row in 0..n_rows {
        let x = load(w + row * BLOCK + cols);
        acc = acc + x;
    }
    store(out + pid * BLOCK + cols, acc * s);
}"#;

#[test]
fn sim_shared_rows_in_a_loop() {
    // Slow links: a forward outlasts the work on a row, so a buffer is
    // refilled only after the forward out of it has been acknowledged.
    let machine =
        Machine::from_toml("[grid]\ncols = 4\nrows = 2\n[noc]\nlink_bytes_per_cycle = 4\n")
            .unwrap();
    let mut rng = Rng::new(11);
    for (instances, rows, block) in [(8usize, 7usize, 64usize), (5, 2, 32), (3, 33, 256)] {
        let w = rng.vec_f32(rows * block, -1.0, 1.0);
        let mut out = vec![0.0f32; instances * block];
        let report = SimEngine::new(machine.clone())
            .launch_ir(
                &build_ok(SUM_ROWS, &[("BLOCK", block as i64)]),
                Grid::from(instances as u32),
                &mut [
                    Arg::from(&w[..]),
                    Arg::from(&mut out[..]),
                    Arg::from(rows as i32),
                ],
            )
            .unwrap_or_else(|e| panic!("{e}"));
        for p in 0..instances {
            let s = (p + 1) as f32;
            for j in 0..block {
                let want = (0..rows).fold(0.0f32, |acc, r| acc + w[r * block + j]) * s;
                assert_eq!(out[p * block + j], want, "instance {p}, column {j}");
            }
        }
        assert_eq!(
            offchip_read(&report),
            (4 * rows * block) as u64,
            "{instances} x {rows} x {block}"
        );
    }
}

/// A single-buffered prefetch written as lowered IR: each step waits for
/// its 256-element row, adds its last 16 elements to the sum, then starts
/// the next row into the same buffer. With the buffer shared, the forward
/// of a row out of it may still be reading it when the next row is due:
/// the copy must wait for the downstream member's acknowledgement first.
const SINGLE_BUFFER: &str = "
kernel @sum_tails(%0 w: ptr<f32>, %1 out: ptr<f32> mut, %2 n_rows: i32) attrs {lanes = 16, local_mem = 1088} {
  %3 = alloc {ty = buf<16xf32>, offset = 1024} : buf<16xf32>
  %4 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  %7 = const {value = 16, ty = i32} : i32
  %24 = const {value = 256, ty = i32} : i32
  %25 = const {value = 240, ty = i32} : i32
  %8 = const {value = 0.0, ty = f32} : f32
  %9 = splat %8 {shape = [16]} : tile<16xf32>
  buf_store %3, %5, %9
  %10 = cmp %5, %2 {pred = lt} : i1
  %11 = select %10, %24, %5 : i32
  copy_in %4, %5, %0, %11 {arg = 0, async = true}
  for %5, %2, %6 {
  ^(%12: i32):
    copy_wait
    %13 = buf_load %4, %25 {lanes = 16} : tile<16xf32>
    %14 = buf_load %3, %5 {lanes = 16} : tile<16xf32>
    %15 = add %14, %13 : tile<16xf32>
    buf_store %3, %5, %15
    %16 = add %12, %6 : i32
    %17 = mul %16, %24 : i32
    %18 = ptr_add %0, %17 : ptr<f32>
    %19 = cmp %16, %2 {pred = lt} : i1
    %20 = select %19, %24, %5 : i32
    copy_in %4, %5, %18, %20 {arg = 0, async = true}
    yield
  }
  copy_wait
  %21 = program_id {axis = 0} : i32
  %22 = mul %21, %7 : i32
  %23 = ptr_add %1, %22 : ptr<f32>
  copy_out %23, %3, %5, %7 {arg = 1}
  return
}
";

#[test]
fn sim_shared_single_buffer_waits_for_the_forward_out_of_it() {
    // 4-byte links: a forward reads its 1 KiB over 256 cycles, longer
    // than the leader's next off-chip read takes to land.
    let machine =
        Machine::from_toml("[grid]\ncols = 4\nrows = 2\n[noc]\nlink_bytes_per_cycle = 4\n")
            .unwrap();
    let f = persim_lang::ir::parse_function(SINGLE_BUFFER).unwrap();
    let mut rng = Rng::new(12);
    // Placed against the chain order, so that forwards cross and share
    // links (each at a fraction of the link's rate).
    let tiles: Vec<TileCoord> = [
        (0u8, 1u8),
        (3, 2),
        (1, 1),
        (2, 2),
        (2, 1),
        (1, 2),
        (3, 1),
        (0, 2),
    ]
    .iter()
    .map(|&(c, r)| TileCoord::new(c, r))
    .collect();
    for (instances, rows) in [(8usize, 9usize), (3, 1), (6, 40)] {
        let w = rng.vec_f32(rows * 256, -1.0, 1.0);
        let mut out = vec![0.0f32; instances * 16];
        let report = SimEngine::new(machine.clone())
            .with_policy(PlacementPolicy::RoundRobin(tiles.clone()))
            .launch_ir(
                &f,
                Grid::from(instances as u32),
                &mut [
                    Arg::from(&w[..]),
                    Arg::from(&mut out[..]),
                    Arg::from(rows as i32),
                ],
            )
            .unwrap_or_else(|e| panic!("{e}"));
        for p in 0..instances {
            for j in 0..16 {
                let want = (0..rows).fold(0.0f32, |acc, r| acc + w[r * 256 + 240 + j]);
                assert_eq!(
                    out[p * 16 + j],
                    want,
                    "{instances} x {rows}: instance {p}, column {j}"
                );
            }
        }
        assert_eq!(
            offchip_read(&report),
            (4 * rows * 256) as u64,
            "{instances} x {rows}"
        );
    }
}

/// A 1-D grid where every four consecutive instances compute one row
/// block of `c` (`pid / 4`) and each its own column block (`pid % 4`):
/// the `A` tiles depend on the program id only through `pid / 4`, so the
/// instances with one value of it share them (a keyed group, as Triton's
/// grouped ordering makes them); the `B` tiles through `pid % 4`.
const GROUPED_1D: &str = r#"
fn grouped(a: *const f32, b: *const f32, c: *mut f32, m: i32, n: i32, k: i32,
    #[constexpr] BM: i32, #[constexpr] BN: i32, #[constexpr] BK: i32) {
    let pid = program_id(0);
    let pid_m = pid / 4;
    let pid_n = pid % 4;
    let offs_m = pid_m * BM + arange(0, BM);
    let offs_n = pid_n * BN + arange(0, BN);
    let offs_k = arange(0, BK);
    let mut acc = zeros::<f32>([BM, BN]);
    for kb in 0..cdiv(k, BK) {
        let kk = kb * BK + offs_k;
        let a_tile = load(a + offs_m.expand_dims(1) * k + kk.expand_dims(0));
        let b_tile = load(b + kk.expand_dims(1) * n + offs_n.expand_dims(0));
        acc = dot(a_tile, b_tile, acc);
    }
    store(c + offs_m.expand_dims(1) * n + offs_n.expand_dims(0), acc);
}"#;

#[test]
fn sim_keyed_groups_share_on_a_1d_grid() {
    let (m, n, k) = (48, 64, 48);
    let grid = Grid::from(((m / BLOCK) * (n / BLOCK)) as u32);
    let report = run_on(
        &SimEngine::new(mesh(4, 4)),
        GROUPED_1D,
        (m, n, k),
        1,
        14,
        grid,
    );
    assert_eq!(offchip_read(&report), 4 * (m * k + k * n) as u64);
}
