//! The spatial compiler end to end: kernels from source text through the
//! frontend, the mid-end (with the machine's target), the compiler and the
//! simulator, checked against plain-Rust references on random data at
//! awkward sizes.

mod sim_util;

use std::cell::Cell;

use persim_backend::spatial::isa::Opcode;
use persim_backend::spatial::{LoopScheduling, Machine, SimEngine, SimReport};
use persim_backend::{Arg, Grid};
use persim_lang::ir::Opcode as IrOpcode;
use sim_util::*;

thread_local! {
    /// Loop scheduling other than the default, for the `sim_modulo_*` tests.
    static LOOPS: Cell<Option<LoopScheduling>> = const { Cell::new(None) };
}

/// A small machine keeps the simulated grid (and so the tests) fast.
fn engine() -> SimEngine {
    let machine = Machine::from_toml("[grid]\ncols = 2\nrows = 2\n").unwrap();
    let e = SimEngine::new(machine);
    match LOOPS.get() {
        Some(l) => e.with_loop_scheduling(l),
        None => e,
    }
}

fn run(src: &str, consts: &[(&str, i64)], grid: Grid, args: &mut [Arg<'_>]) -> SimReport {
    let f = build_ok(src, consts);
    match engine().launch_ir(&f, grid, args) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

const ADD: &str = r#"
fn add(x: *const f32, y: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let pid = program_id(0);
    let offs = pid * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let a = load(x + offs, mask);
    let b = load(y + offs, mask);
    store(out + offs, a + b, mask);
}"#;

#[test]
fn sim_vector_add_awkward_sizes() {
    let mut rng = Rng::new(1);
    for (n, block) in [(1usize, 16i64), (7, 16), (1000, 64), (1025, 128), (33, 32)] {
        let x = rng.vec_f32(n, -10.0, 10.0);
        let y = rng.vec_f32(n, -10.0, 10.0);
        let mut out = vec![0.0f32; n];
        let grid = Grid::from(n.div_ceil(block as usize));
        run(
            ADD,
            &[("BLOCK", block)],
            grid,
            &mut [
                Arg::from(&x[..]),
                Arg::from(&y[..]),
                Arg::from(&mut out[..]),
                Arg::from(n as i32),
            ],
        );
        let want: Vec<f32> = x.iter().zip(&y).map(|(a, b)| a + b).collect();
        assert_eq!(out, want, "n = {n}, BLOCK = {block}");
    }
}

const SOFTMAX: &str = r#"
fn softmax(out: *mut f32, inp: *const f32, in_stride: i32, out_stride: i32, n_rows: i32, n_cols: i32, #[constexpr] BLOCK: i32) {
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    for row in (program_id(0)..n_rows).step_by(num_programs(0)) {
        let x = load(inp + row * in_stride + cols, mask, f32::NEG_INFINITY);
        let z = x - max(x, 0);
        let num = exp(z);
        let den = sum(num, 0);
        store(out + row * out_stride + cols, num / den, mask);
    }
}"#;

fn softmax_ref(x: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut out = vec![0.0; rows * cols];
    for r in 0..rows {
        let row = &x[r * cols..(r + 1) * cols];
        let m = row.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
        let e: Vec<f64> = row.iter().map(|v| ((v - m) as f64).exp()).collect();
        let s: f64 = e.iter().sum();
        for c in 0..cols {
            out[r * cols + c] = (e[c] / s) as f32;
        }
    }
    out
}

/// Runs `SOFTMAX` built as `f` over `rows` rows of `cols` on `engine`
/// with `programs` instances; returns the output and the report.
fn launch_softmax(
    engine: &SimEngine,
    f: &persim_lang::ir::Function,
    programs: u32,
    x: &[f32],
    (rows, cols): (usize, usize),
) -> (Vec<f32>, SimReport) {
    let mut out = vec![0.0f32; rows * cols];
    let report = engine
        .launch_ir(
            f,
            Grid::from(programs),
            &mut [
                Arg::from(&mut out[..]),
                Arg::from(x),
                Arg::from(cols as i32),
                Arg::from(cols as i32),
                Arg::from(rows as i32),
                Arg::from(cols as i32),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    (out, report)
}

#[test]
fn sim_softmax_persistent_rows() {
    // Its masked loops unrolled 8 times keep more masks live than the PE's
    // 7 mask registers: some spill with `mst` and come back with `mld`.
    assert!(softmax_persistent_rows(), "no case spilled a mask");
}

/// Softmax at awkward sizes; returns whether a case spilled a mask.
fn softmax_persistent_rows() -> bool {
    let mut spilled_masks = false;
    let mut rng = Rng::new(2);
    for (rows, cols, block, programs) in [
        (5usize, 7usize, 16i64, 3u32),
        (9, 100, 128, 4),
        (3, 1, 16, 2),
        (2, 33, 48, 5),
    ] {
        let x = rng.vec_f32(rows * cols, -5.0, 5.0);
        let f = build_ok(SOFTMAX, &[("BLOCK", block)]);
        let (out, report) = launch_softmax(&engine(), &f, programs, &x, (rows, cols));
        assert_close(
            &out,
            &softmax_ref(&x, rows, cols),
            1e-5,
            &format!("softmax {rows}x{cols}"),
        );
        let has = |op: Opcode| {
            report
                .program
                .bundles
                .iter()
                .any(|b| b.insts.iter().any(|i| i.opcode == op))
        };
        spilled_masks |= has(Opcode::Mst) && has(Opcode::Mld);
    }
    spilled_masks
}

const MATMUL: &str = r#"
fn matmul(a: *const f32, b: *const f32, c: *mut f32, m: i32, n: i32, k: i32,
    stride_am: i32, stride_ak: i32, stride_bk: i32, stride_bn: i32, stride_cm: i32, stride_cn: i32,
    #[constexpr] BLOCK_M: i32, #[constexpr] BLOCK_N: i32, #[constexpr] BLOCK_K: i32) {
    let pid_m = program_id(0);
    let pid_n = program_id(1);
    let offs_am = (pid_m * BLOCK_M + arange(0, BLOCK_M)) % m;
    let offs_bn = (pid_n * BLOCK_N + arange(0, BLOCK_N)) % n;
    let offs_k = arange(0, BLOCK_K);
    let mut a_ptrs = a + offs_am.expand_dims(1) * stride_am + offs_k.expand_dims(0) * stride_ak;
    let mut b_ptrs = b + offs_k.expand_dims(1) * stride_bk + offs_bn.expand_dims(0) * stride_bn;
    let mut acc = zeros::<f32>([BLOCK_M, BLOCK_N]);
    for kb in 0..cdiv(k, BLOCK_K) {
        let k_left = k - kb * BLOCK_K;
        let a_tile = load(a_ptrs, offs_k.expand_dims(0) < k_left, 0.0);
        let b_tile = load(b_ptrs, offs_k.expand_dims(1) < k_left, 0.0);
        acc = dot(a_tile, b_tile, acc);
        a_ptrs += BLOCK_K * stride_ak;
        b_ptrs += BLOCK_K * stride_bk;
    }
    let offs_cm = pid_m * BLOCK_M + arange(0, BLOCK_M);
    let offs_cn = pid_n * BLOCK_N + arange(0, BLOCK_N);
    let c_ptrs = c + offs_cm.expand_dims(1) * stride_cm + offs_cn.expand_dims(0) * stride_cn;
    let c_mask = (offs_cm.expand_dims(1) < m) & (offs_cn.expand_dims(0) < n);
    store(c_ptrs, acc, c_mask);
}"#;

fn matmul_ref(a: &[f32], b: &[f32], m: usize, n: usize, k: usize) -> Vec<f32> {
    let mut c = vec![0.0f32; m * n];
    for i in 0..m {
        for j in 0..n {
            let mut s = 0.0f64;
            for kk in 0..k {
                s += a[i * k + kk] as f64 * b[kk * n + j] as f64;
            }
            c[i * n + j] = s as f32;
        }
    }
    c
}

fn run_matmul(m: usize, n: usize, k: usize, bm: i64, bn: i64, bk: i64, seed: u64) -> SimReport {
    let mut rng = Rng::new(seed);
    let a = rng.vec_f32(m * k, -1.0, 1.0);
    let b = rng.vec_f32(k * n, -1.0, 1.0);
    let mut c = vec![0.0f32; m * n];
    let grid = Grid::from((
        m.div_ceil(bm as usize) as u32,
        n.div_ceil(bn as usize) as u32,
    ));
    let report = run(
        MATMUL,
        &[("BLOCK_M", bm), ("BLOCK_N", bn), ("BLOCK_K", bk)],
        grid,
        &mut [
            Arg::from(&a[..]),
            Arg::from(&b[..]),
            Arg::from(&mut c[..]),
            Arg::from(m as i32),
            Arg::from(n as i32),
            Arg::from(k as i32),
            Arg::from(k as i32),
            Arg::from(1i32),
            Arg::from(n as i32),
            Arg::from(1i32),
            Arg::from(n as i32),
            Arg::from(1i32),
        ],
    );
    assert_close(
        &c,
        &matmul_ref(&a, &b, m, n, k),
        1e-4,
        &format!("matmul {m}x{n}x{k}"),
    );
    report
}

#[test]
fn sim_matmul_awkward_shapes() {
    run_matmul(16, 16, 16, 16, 16, 16, 3);
    run_matmul(7, 9, 5, 16, 16, 16, 4);
    run_matmul(33, 17, 20, 16, 16, 8, 5);
}

const REDUCE: &str = r#"
fn row_stats(x: *const f32, sums: *mut f32, maxs: *mut f32, mins: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let row = program_id(0);
    let cols = arange(0, BLOCK);
    let mask = cols < n;
    let v = load(x + row * n + cols, mask, 0.0);
    store(sums + row, sum(v, 0));
    let hi = load(x + row * n + cols, mask, f32::NEG_INFINITY);
    store(maxs + row, max(hi, 0));
    let lo = load(x + row * n + cols, mask, f32::INFINITY);
    store(mins + row, min(lo, 0));
}"#;

#[test]
fn sim_reductions_sum_max_min() {
    let mut rng = Rng::new(6);
    for (rows, n, block) in [
        (3usize, 1usize, 16i64),
        (4, 7, 16),
        (2, 1000, 1024),
        (3, 1025, 1040),
    ] {
        let x = rng.vec_f32(rows * n, -3.0, 3.0);
        let (mut s, mut hi, mut lo) = (vec![0.0f32; rows], vec![0.0f32; rows], vec![0.0f32; rows]);
        run(
            REDUCE,
            &[("BLOCK", block)],
            Grid::from(rows),
            &mut [
                Arg::from(&x[..]),
                Arg::from(&mut s[..]),
                Arg::from(&mut hi[..]),
                Arg::from(&mut lo[..]),
                Arg::from(n as i32),
            ],
        );
        for r in 0..rows {
            let row = &x[r * n..(r + 1) * n];
            let want: f64 = row.iter().map(|&v| v as f64).sum();
            assert!(
                (s[r] as f64 - want).abs() < 1e-3,
                "sum row {r}: {} vs {want}",
                s[r]
            );
            assert_eq!(
                hi[r],
                row.iter().cloned().fold(f32::NEG_INFINITY, f32::max),
                "max row {r}"
            );
            assert_eq!(
                lo[r],
                row.iter().cloned().fold(f32::INFINITY, f32::min),
                "min row {r}"
            );
        }
    }
}

const INT_OPS: &str = r#"
fn int_ops(x: *const i32, y: *const i32, out: *mut i32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let a = load(x + offs, mask, 0);
    let b = load(y + offs, mask, 1);
    let q = a / b + a % b;
    let r = where_(a > b, q * 3 - b, maximum(a, b) ^ (a << 2));
    let f = (a.to::<f32>() * 0.5).to::<i32>();
    store(out + offs, r + f + minimum(a, -b) + abs(a), mask);
}"#;

#[test]
fn sim_integer_ops_divide_lane_by_lane() {
    let mut rng = Rng::new(7);
    let n = 77usize;
    let x = rng.vec_i32(n, -1000, 1000);
    let y: Vec<i32> = rng
        .vec_i32(n, 1, 50)
        .iter()
        .zip(rng.vec_i32(n, 0, 2))
        .map(|(v, s)| if s == 0 { -v } else { *v })
        .collect();
    let mut out = vec![0i32; n];
    run(
        INT_OPS,
        &[("BLOCK", 32)],
        Grid::from(n.div_ceil(32)),
        &mut [
            Arg::from(&x[..]),
            Arg::from(&y[..]),
            Arg::from(&mut out[..]),
            Arg::from(n as i32),
        ],
    );
    for i in 0..n {
        let (a, b) = (x[i], y[i]);
        let q = a / b + a % b;
        let r = if a > b {
            q * 3 - b
        } else {
            a.max(b) ^ (a << 2)
        };
        let f = (a as f32 * 0.5) as i32;
        assert_eq!(
            out[i],
            r + f + a.min(-b) + a.abs(),
            "element {i}: a = {a}, b = {b}"
        );
    }
}

const CONTROL: &str = r#"
fn control(x: *const f32, out: *mut f32, n: i32, iters: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let mut v = load(x + offs, mask, 0.0);
    let mut i = 0;
    while i < iters {
        if i % 2 == 0 {
            v = v * 2.0;
        } else {
            v = v - 1.0;
        }
        i += 1;
    }
    for j in 0..iters {
        v = v + j.to::<f32>();
    }
    store(out + offs, v, mask);
}"#;

#[test]
fn sim_while_if_for_on_scalars_and_vectors() {
    let mut rng = Rng::new(8);
    for (n, iters) in [(7usize, 0i32), (50, 3), (20, 6)] {
        let x = rng.vec_f32(n, -2.0, 2.0);
        let mut out = vec![0.0f32; n];
        run(
            CONTROL,
            &[("BLOCK", 16)],
            Grid::from(n.div_ceil(16)),
            &mut [
                Arg::from(&x[..]),
                Arg::from(&mut out[..]),
                Arg::from(n as i32),
                Arg::from(iters),
            ],
        );
        let want: Vec<f32> = x
            .iter()
            .map(|&v0| {
                let mut v = v0;
                for i in 0..iters {
                    v = if i % 2 == 0 { v * 2.0 } else { v - 1.0 };
                }
                for j in 0..iters {
                    v += j as f32;
                }
                v
            })
            .collect();
        assert_eq!(out, want, "n = {n}, iters = {iters}");
    }
}

const GATHER: &str = r#"
fn gather(x: *const f32, idx: *const i32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = (offs < n) & (offs % 3 != 1);
    let i = load(idx + offs, offs < n, 0);
    let v = load(x + i, mask, -1.0);
    store(out + (n - 1 - offs), v, offs < n);
}"#;

#[test]
fn sim_gather_scatter_and_holes_in_masks() {
    let mut rng = Rng::new(9);
    let n = 45usize;
    let x = rng.vec_f32(n, -1.0, 1.0);
    let idx = rng.vec_i32(n, 0, n as i32);
    let mut out = vec![0.0f32; n];
    run(
        GATHER,
        &[("BLOCK", 16)],
        Grid::from(n.div_ceil(16)),
        &mut [
            Arg::from(&x[..]),
            Arg::from(&idx[..]),
            Arg::from(&mut out[..]),
            Arg::from(n as i32),
        ],
    );
    for o in 0..n {
        let want = if o % 3 != 1 { x[idx[o] as usize] } else { -1.0 };
        assert_eq!(out[n - 1 - o], want, "offset {o}");
    }
}

/// The figures of the final report, on the default 8x8 machine (printed
/// with `--nocapture`; tests never assert times, only that work was done).
#[test]
fn sim_performance_figures_on_the_default_machine() {
    let engine = SimEngine::default();
    let mut rng = Rng::new(10);
    let n = 64 * 1024;
    let (x, y) = (rng.vec_f32(n, -1.0, 1.0), rng.vec_f32(n, -1.0, 1.0));
    let mut out = vec![0.0f32; n];
    let f = build_ok(ADD, &[("BLOCK", 1024)]);
    let add = engine
        .launch_ir(
            &f,
            Grid::from(n / 1024),
            &mut [
                Arg::from(&x[..]),
                Arg::from(&y[..]),
                Arg::from(&mut out[..]),
                Arg::from(n as i32),
            ],
        )
        .unwrap();
    assert!(out
        .iter()
        .zip(x.iter().zip(&y))
        .all(|(o, (a, b))| *o == a + b));

    let (rows, cols) = (128usize, 1000usize);
    let xs = rng.vec_f32(rows * cols, -5.0, 5.0);
    let f = build_ok(SOFTMAX, &[("BLOCK", 1024)]);
    let (sm, softmax) = launch_softmax(&engine, &f, 64, &xs, (rows, cols));
    assert_close(&sm, &softmax_ref(&xs, rows, cols), 1e-5, "softmax");

    let (m, nn, k) = (128usize, 128usize, 128usize);
    let a = rng.vec_f32(m * k, -1.0, 1.0);
    let b = rng.vec_f32(k * nn, -1.0, 1.0);
    let mut c = vec![0.0f32; m * nn];
    let f = build_ok(MATMUL, &[("BLOCK_M", 16), ("BLOCK_N", 16), ("BLOCK_K", 32)]);
    let matmul = engine
        .launch_ir(
            &f,
            Grid::from((8u32, 8u32)),
            &mut [
                Arg::from(&a[..]),
                Arg::from(&b[..]),
                Arg::from(&mut c[..]),
                Arg::from(m as i32),
                Arg::from(nn as i32),
                Arg::from(k as i32),
                Arg::from(k as i32),
                Arg::from(1i32),
                Arg::from(nn as i32),
                Arg::from(1i32),
                Arg::from(nn as i32),
                Arg::from(1i32),
            ],
        )
        .unwrap();
    assert_close(&c, &matmul_ref(&a, &b, m, nn, k), 1e-4, "matmul");
    for (name, r) in [
        ("vector add 64Ki f32", &add),
        ("softmax 128x1000", &softmax),
        ("matmul 128x128x128", &matmul),
    ] {
        println!(
            "{name}: {} cycles, {} bundles / {} instructions per PE, MAC utilisation {:.2}% of active PEs' matrix peak\n{}",
            r.stats.cycles,
            r.bundles,
            r.insts,
            100.0 * r.stats.mac_utilization,
            r.stats.report()
        );
        assert!(r.stats.cycles > 0 && r.stats.insts > 0);
    }
    assert!(
        matmul.stats.macs >= (m * nn * k) as u64,
        "every product goes through vmac.f32"
    );
}

const UNSIGNED_MAX_MIN: &str = r#"
fn umaxmin(x: *const u32, y: *const u32, hi: *mut u32, lo: *mut u32, s: *mut u32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = arange(0, BLOCK);
    let mask = offs < n;
    let a = load(x + offs, mask);
    let b = load(y + offs, mask);
    store(hi + offs, maximum(a, b), mask);
    store(lo + offs, minimum(a, b), mask);
    let a0 = load(x);
    let b0 = load(y);
    store(s, maximum(a0, b0));
    store(s + 1, minimum(a0, b0));
}"#;

#[test]
fn sim_unsigned_maximum_minimum_order_above_the_sign_bit() {
    // Values on both sides of 2^31, where signed order differs.
    let x: Vec<u32> = vec![
        0,
        1,
        0x8000_0000,
        u32::MAX,
        7,
        0x7fff_ffff,
        0x8000_0001,
        3,
        9,
    ];
    let y: Vec<u32> = vec![
        u32::MAX,
        0,
        0x7fff_ffff,
        1,
        7,
        0x8000_0000,
        2,
        0xffff_fff0,
        9,
    ];
    let n = x.len();
    let (mut hi, mut lo, mut s) = (vec![0u32; n], vec![0u32; n], vec![0u32; 2]);
    run(
        UNSIGNED_MAX_MIN,
        &[("BLOCK", 16)],
        Grid::from(1u32),
        &mut [
            Arg::from(&x[..]),
            Arg::from(&y[..]),
            Arg::from(&mut hi[..]),
            Arg::from(&mut lo[..]),
            Arg::from(&mut s[..]),
            Arg::from(n as i32),
        ],
    );
    for i in 0..n {
        assert_eq!(hi[i], x[i].max(y[i]), "max lane {i}");
        assert_eq!(lo[i], x[i].min(y[i]), "min lane {i}");
    }
    assert_eq!(s, vec![x[0].max(y[0]), x[0].min(y[0])]);
}

const BOOLS: &str = r#"
fn bools(flags: *const bool, out: *mut bool, every: *mut bool, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let f = load(flags + offs, mask, true);
    store(out + offs, !f, mask);
    // Every third flag: a gather and a scatter of bytes.
    let third = offs * 3;
    let g = load(flags + third, third < n, false);
    store(every + third, g, third < n);
    let one = load(flags + program_id(0));
    store(out + n + program_id(0), one);
}"#;

#[test]
fn sim_bools_move_as_bytes() {
    let mut rng = Rng::new(9);
    for (n, block) in [(1usize, 16i64), (7, 16), (100, 32), (1025, 64)] {
        let grid = n.div_ceil(block as usize);
        let flags: Vec<bool> = rng.vec_i32(n, 0, 2).into_iter().map(|v| v == 1).collect();
        let mut out = vec![false; n + grid];
        let mut every = vec![false; n];
        run(
            BOOLS,
            &[("BLOCK", block)],
            Grid::from(grid),
            &mut [
                Arg::from(&flags[..]),
                Arg::from(&mut out[..]),
                Arg::from(&mut every[..]),
                Arg::from(n as i32),
            ],
        );
        for i in 0..n {
            assert_eq!(out[i], !flags[i], "n = {n}: out[{i}]");
            assert_eq!(every[i], i % 3 == 0 && flags[i], "n = {n}: every[{i}]");
        }
        for p in 0..grid {
            assert_eq!(out[n + p], flags[p], "n = {n}: flag of program {p}");
        }
    }
}

/// Runs `test` with every innermost loop the modulo scheduler can take
/// pipelined (no profitability test), unrolled `unroll` times first.
fn every_loop_pipelined(unroll: u32, test: fn()) {
    LOOPS.set(Some(LoopScheduling {
        unroll,
        modulo_max_cost_percent: Some(100_000),
        modulo_max_stages: 16,
    }));
    test();
    LOOPS.set(None);
}

/// Loops `modulo-schedule` pipelined when `src` is lowered by [`engine`].
fn pipelined_loops(src: &str, consts: &[(&str, i64)]) -> usize {
    let lowered = engine().lower(&build_ok(src, consts)).expect("lowers");
    lowered
        .all_ops()
        .into_iter()
        .filter(|&o| {
            lowered.op(o).opcode == IrOpcode::For && lowered.op(o).attrs.int("stages").is_some()
        })
        .count()
}

#[test]
fn sim_modulo_scheduled_loops_compute_what_they_did() {
    for unroll in [1, 8] {
        every_loop_pipelined(unroll, || {
            assert!(pipelined_loops(SOFTMAX, &[("BLOCK", 1024)]) > 0);
        });
        for test in [
            sim_vector_add_awkward_sizes,
            || {
                softmax_persistent_rows();
            },
            sim_reductions_sum_max_min,
            sim_integer_ops_divide_lane_by_lane,
            sim_while_if_for_on_scalars_and_vectors,
            sim_gather_scatter_and_holes_in_masks,
            sim_unsigned_maximum_minimum_order_above_the_sign_bit,
            sim_bools_move_as_bytes,
        ] {
            every_loop_pipelined(unroll, test);
        }
    }
}

#[test]
fn sim_counted_loops_run_as_hardware_loops() {
    // The same softmax on a PE with 32 scalar registers (one kept for
    // loop counts: its counted innermost loops become `loop`s) and on one
    // with 4 (no register to spare: branches), with equal results.
    let (rows, cols) = (6usize, 1000usize);
    let x = Rng::new(7).vec_f32(rows * cols, -5.0, 5.0);
    let f = build_ok(SOFTMAX, &[("BLOCK", 1024)]);
    let mut outs = Vec::new();
    for (toml, hardware) in [
        ("[grid]\ncols = 2\nrows = 2\n", true),
        (
            "[grid]\ncols = 2\nrows = 2\n[pe]\nscalar_registers = 4\n",
            false,
        ),
    ] {
        let engine = SimEngine::new(Machine::from_toml(toml).unwrap());
        let (out, report) = launch_softmax(&engine, &f, 3, &x, (rows, cols));
        let loops = report
            .program
            .bundles
            .iter()
            .flat_map(|b| &b.insts)
            .filter(|i| i.opcode == Opcode::Loop)
            .count();
        assert_eq!(loops > 0, hardware, "`loop` instructions: {loops}");
        assert_close(&out, &softmax_ref(&x, rows, cols), 1e-5, "softmax");
        outs.push(out);
    }
    assert_eq!(outs[0], outs[1], "hardware loops change no result");
}

const WIDE: &str = r#"
fn wide(x: *const i64, out: *mut i64, n: i64, #[constexpr] BLOCK: i32) {
    let cols = arange(0, BLOCK);
    let mut acc = load(x + cols);
    for i in 0..n {
        acc = acc * 2 + i;
    }
    store(out + cols, acc);
}"#;

/// A `for` over an `i64` range: the induction variable is a 64-bit splat
/// (its test a vector compare whose lane 0 `mext` hands the branch), the
/// values go beyond 32 bits.
#[test]
fn sim_64_bit_induction_variables_run() {
    let f = build_ok(WIDE, &[("BLOCK", 16)]);
    let x: Vec<i64> = (0..16).map(|i| 3_000_000_000 + 7 * i).collect();
    for n in [0i64, 1, 3] {
        let mut out = vec![0i64; 16];
        SimEngine::default()
            .launch_ir(
                &f,
                Grid::from(1u32),
                &mut [Arg::from(&x[..]), Arg::from(&mut out[..]), Arg::from(n)],
            )
            .unwrap();
        let want: Vec<i64> = x
            .iter()
            .map(|&v| (0..n).fold(v, |acc, i| acc * 2 + i))
            .collect();
        assert_eq!(out, want, "n={n}");
    }
}
