//! `dot` on the matrix unit: the spatial target lowers an f32 `dot` of
//! lane-multiple `M`, `N` to `buf_matmul`, which the compiler selects as
//! `mop.f32` outer products. Results must equal a sequential f32 reference
//! bit for bit (non-finite elements of `a` included), across the k tail,
//! partial accumulator groups and several row strips.

mod sim_util;

use persim_backend::spatial::{Machine, SimEngine};
use persim_backend::{Arg, Grid};
use persim_lang::ir::Opcode;
use sim_util::*;

const MATMUL: &str = r#"
fn matmul(a: *const f32, b: *const f32, c: *mut f32, m: i32, n: i32, k: i32,
    #[constexpr] BLOCK_M: i32, #[constexpr] BLOCK_N: i32, #[constexpr] BLOCK_K: i32) {
    let offs_m = program_id(0) * BLOCK_M + arange(0, BLOCK_M);
    let offs_n = program_id(1) * BLOCK_N + arange(0, BLOCK_N);
    let offs_k = arange(0, BLOCK_K);
    let mut acc = zeros::<f32>([BLOCK_M, BLOCK_N]);
    for kb in 0..cdiv(k, BLOCK_K) {
        let kk = kb * BLOCK_K + offs_k;
        let a_tile = load(a + offs_m.expand_dims(1) * k + kk.expand_dims(0), kk.expand_dims(0) < k, 0.0);
        let b_tile = load(b + kk.expand_dims(1) * n + offs_n.expand_dims(0), kk.expand_dims(1) < k, 0.0);
        acc = dot(a_tile, b_tile, acc);
    }
    store(c + offs_m.expand_dims(1) * n + offs_n.expand_dims(0), acc);
}"#;

/// `c = a·b` with f32 products and sums in increasing k (what `dot` does;
/// the masked k tail adds `+0` products, which change nothing).
fn reference(a: &[f32], b: &[f32], m: usize, n: usize, k: usize) -> Vec<f32> {
    let mut c = vec![0.0f32; m * n];
    for i in 0..m {
        for j in 0..n {
            let mut s = 0.0f32;
            for kk in 0..k {
                s += a[i * k + kk] * b[kk * n + j];
            }
            c[i * n + j] = s;
        }
    }
    c
}

#[test]
fn sim_dot_on_the_matrix_unit_is_bit_exact() {
    // The default four accumulators (a strip's transposes then run on the
    // second pair's two, beside the first pair's fill and `k` steps), two
    // (they share the pairs', so run before them), and eight on 8 lanes.
    for machine in [
        "[grid]\ncols = 2\nrows = 2\n",
        "[grid]\ncols = 2\nrows = 2\n[pe]\naccumulators = 2\n",
        "[grid]\ncols = 2\nrows = 2\n[pe]\nvector_bits = 256\naccumulators = 8\n[matrix]\nmacs_per_cycle = 64\n",
    ] {
        dot_cases(&SimEngine::new(Machine::from_toml(machine).unwrap()));
    }
}

fn dot_cases(engine: &SimEngine) {
    let mut rng = Rng::new(21);
    // (m, n, k, BLOCK_M, BLOCK_N, BLOCK_K): a k tail (k % 16 != 0 and
    // k % BLOCK_K != 0), a partial group of accumulators (5 column blocks
    // on 4 accumulators), two row strips; full 64-step chunks of four
    // transposed blocks, then a chunk loop and a partial chunk; four strips
    // of four pairs (the pipelined form's steady state, `stream.rs`).
    for (m, n, k, bm, bn, bk) in [
        (32, 80, 37, 32, 80, 24),
        (16, 32, 16, 16, 16, 16),
        (64, 32, 50, 32, 32, 48),
        (32, 64, 64, 32, 64, 64),
        (16, 64, 300, 16, 64, 160),
        (64, 128, 70, 64, 128, 64),
    ] {
        let f = build_ok(MATMUL, &[("BLOCK_M", bm), ("BLOCK_N", bn), ("BLOCK_K", bk)]);
        let lowered = engine.lower(&f).unwrap();
        assert!(
            lowered
                .all_ops()
                .into_iter()
                .any(|op| lowered.op(op).opcode == Opcode::BufMatmul),
            "the dot was not lowered to buf_matmul"
        );
        let mut a = rng.vec_f32(m * k, -1.0, 1.0);
        // Non-finite elements of `a` stay in their own products (moving
        // `a` through the accumulators is exact): an infinity in row 0, a
        // NaN in the last row.
        a[1] = f32::INFINITY;
        a[m * k - 2] = f32::NAN;
        let b = rng.vec_f32(k * n, -1.0, 1.0);
        let mut c = vec![0.0f32; m * n];
        let grid = Grid::from(((m / bm as usize) as u32, (n / bn as usize) as u32));
        let report = engine
            .launch_ir(
                &f,
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
            .unwrap_or_else(|e| panic!("{e}"));
        let want = reference(&a, &b, m, n, k);
        for (i, (g, w)) in c.iter().zip(&want).enumerate() {
            assert!(
                g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()),
                "{m}x{n}x{k}: element {i}: {g} != {w}"
            );
        }
        assert!(
            want[..n].iter().all(|x| x.is_infinite()),
            "row 0 is infinite"
        );
        assert!(
            want[n..(m - 1) * n].iter().all(|x| x.is_finite()),
            "the middle rows are finite"
        );
        // Every product went through the matrix unit.
        assert!(
            report.stats.macs >= (m * n * k) as u64,
            "{} MACs",
            report.stats.macs
        );
    }
}

/// [`MATMUL`] with `k` a constexpr and no `k` masks, so the `k` loop's
/// bounds are constants in the IR `lower` returns (a launch specializes
/// integer arguments the same way).
const MATMUL_FIXED_K: &str = r#"
fn matmul_fixed_k(a: *const f32, b: *const f32, c: *mut f32, m: i32, n: i32,
    #[constexpr] K: i32, #[constexpr] BLOCK_M: i32, #[constexpr] BLOCK_N: i32,
    #[constexpr] BLOCK_K: i32) {
    let offs_m = program_id(0) * BLOCK_M + arange(0, BLOCK_M);
    let offs_n = program_id(1) * BLOCK_N + arange(0, BLOCK_N);
    let offs_k = arange(0, BLOCK_K);
    let mut acc = zeros::<f32>([BLOCK_M, BLOCK_N]);
    for kb in 0..K / BLOCK_K {
        let kk = kb * BLOCK_K + offs_k;
        let a_tile = load(a + offs_m.expand_dims(1) * K + kk.expand_dims(0));
        let b_tile = load(b + kk.expand_dims(1) * n + offs_n.expand_dims(0));
        acc = dot(a_tile, b_tile, acc);
    }
    store(c + offs_m.expand_dims(1) * n + offs_n.expand_dims(0), acc);
}"#;

/// `early-write-out`: the last `k` step's product runs in blocks of rows,
/// each copied out (asynchronously) as soon as it is final. Exact on a
/// grid the mesh holds (shared panels), on one folded onto it (each PE runs
/// several instances, so one instance's copies out must land before the
/// next one's zero fill) and with blocks of two strips.
#[test]
fn sim_last_k_step_written_out_in_blocks_is_exact() {
    let engine = SimEngine::new(Machine::from_toml("[grid]\ncols = 2\nrows = 2\n").unwrap());
    let mut rng = Rng::new(33);
    // (m, n, k, BLOCK_M, BLOCK_N, BLOCK_K): 2 x 2 instances of two strips
    // over three k steps; 4 x 4 instances folded onto the 2 x 2 mesh; two
    // steps of 256-row tiles (16 strips: 8 blocks of two); five steps of
    // them; four steps of 128-row tiles (8 blocks of one strip). The last
    // two interleave their last three steps, the last step's tiles fetched
    // a step early into buffers of their own and freed rows.
    for (m, n, k, bm, bn, bk) in [
        (64, 64, 48, 32, 32, 16),
        (128, 128, 32, 32, 32, 16),
        (512, 32, 64, 256, 16, 32),
        (512, 32, 80, 256, 16, 16),
        (256, 32, 64, 128, 16, 16),
    ] {
        let consts = [
            ("K", k as i64),
            ("BLOCK_M", bm as i64),
            ("BLOCK_N", bn as i64),
            ("BLOCK_K", bk as i64),
        ];
        let f = build_ok(MATMUL_FIXED_K, &consts);
        let lowered = engine.lower(&f).unwrap();
        let ops = lowered.all_ops();
        let blocks = ops
            .iter()
            .filter(|&&op| lowered.op(op).attrs.int("row0").is_some())
            .count();
        let async_outs = ops
            .iter()
            .filter(|&&op| {
                let d = lowered.op(op);
                d.opcode == Opcode::CopyOut && d.attrs.get("async").is_some()
            })
            .count();
        let want_outs = (bm / 16).min(8);
        // One version of each peeled step (the alternation's parity there
        // is computed and its `if` folds). With eight blocks and four or
        // more steps, the last three products in those blocks and the
        // fourth-to-last in two halves around the early copies of the last
        // step's tiles, which the last product reads from several buffers
        // (`interleave-three-final-steps`); with two steps, the
        // second-to-last product in the same blocks
        // (`interleave-final-steps`).
        let steps = k / bk;
        let (products, halves) = match (want_outs, steps) {
            (8, 4..) => (3, 2),
            (8, _) => (2, 0),
            _ => (1, 0),
        };
        assert_eq!(
            blocks,
            products * want_outs + halves,
            "{m}x{n}x{k}: products in blocks"
        );
        let pieces = ops
            .iter()
            .filter(|&&op| lowered.op(op).attrs.int("arow0").is_some())
            .count();
        let want_pieces = if products == 3 { want_outs } else { 0 };
        assert_eq!(pieces, want_pieces, "{m}x{n}x{k}: `a` rows read in place");
        assert_eq!(async_outs, want_outs, "{m}x{n}x{k}: a copy out per block");
        let a = rng.vec_f32(m * k, -1.0, 1.0);
        let b = rng.vec_f32(k * n, -1.0, 1.0);
        let mut c = vec![f32::NAN; m * n];
        let grid = Grid::from(((m / bm) as u32, (n / bn) as u32));
        engine
            .launch_ir(
                &f,
                grid,
                &mut [
                    Arg::from(&a[..]),
                    Arg::from(&b[..]),
                    Arg::from(&mut c[..]),
                    Arg::from(m as i32),
                    Arg::from(n as i32),
                ],
            )
            .unwrap_or_else(|e| panic!("{m}x{n}x{k}: {e}"));
        let want = reference(&a, &b, m, n, k);
        for (i, (g, w)) in c.iter().zip(&want).enumerate() {
            assert_eq!(g.to_bits(), w.to_bits(), "{m}x{n}x{k}: element {i}");
        }
    }
}
