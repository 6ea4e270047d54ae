//! Graph launches on the simulator: compiled kernels whose intermediate
//! tensors are handed PE to PE over routed channels (`launch/graph.rs`,
//! `compile/handoff.rs`), checked against a plain-Rust reference and
//! against the same kernels run one by one through off-chip memory.

#[path = "../examples/common/mod.rs"]
mod common;
mod sim_util;

use common::graphs;
use common::kernels::{BIAS, RELU, SCALE};
use persim_backend::spatial::map::check_svg;
use persim_backend::spatial::{GraphMode, GraphReport, SimEngine, SimGraph, TensorId, TensorPath};
use persim_backend::{Arg, Grid};
use persim_lang::ir::Dtype;
use sim_util::*;

/// Reads its neighbour's element: instance `i` needs what instance `i + 1`
/// of the producer wrote, so no hand-off can carry it.
const SHIFTED: &str = r#"
fn shifted(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs + 1 < n;
    store(out + offs, load(x + offs + 1, mask), mask);
}"#;

/// Reads `x` and writes `out` (bound to one tensor by the refusal test).
const ADD2: &str = r#"
fn add2(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    store(out + offs, load(x + offs, mask) + 2.0, mask);
}"#;

fn reference(x: f32) -> f32 {
    (x * 2.0 + 1.0).max(0.0)
}

/// A graph whose first kernel scales `x` (blocks of `block`) into the
/// tensor `scaled`; the test adds the readers, each `(x, out, n)` over the
/// same grid.
fn scaled<'a>(x: &'a [f32], block: usize) -> (SimGraph<'a>, TensorId) {
    let n = x.len();
    let mut g = SimGraph::new();
    let t = g.tensor("scaled", Dtype::F32, n);
    g.kernel(
        build_ok(SCALE, &[("BLOCK", block as i64)]),
        Grid::from(n.div_ceil(block)),
        vec![Arg::from(x).into(), t.into(), Arg::from(n as i32).into()],
    );
    (g, t)
}

/// Adds reader `src` of tensor `t` writing `out` to `g` (see [`scaled`]).
fn read<'a>(
    g: &mut SimGraph<'a>,
    t: TensorId,
    src: &str,
    (n, block): (usize, usize),
    out: &'a mut [f32],
) {
    g.kernel(
        build_ok(src, &[("BLOCK", block as i64)]),
        Grid::from(n.div_ceil(block)),
        vec![t.into(), Arg::from(out).into(), Arg::from(n as i32).into()],
    );
}

/// scale → bias → relu over `x` with tensors between, in `mode`.
fn pipeline(
    engine: &SimEngine,
    x: &[f32],
    block: usize,
    mode: GraphMode,
) -> (Vec<f32>, GraphReport) {
    let mut out = vec![f32::NAN; x.len()];
    let mut g = graphs::pipeline(x, &mut out, block);
    let report = engine
        .launch_graph(&mut g, mode)
        .unwrap_or_else(|e| panic!("{e}"));
    drop(g);
    (out, report)
}

#[test]
fn sim_graph_hands_tensors_from_pe_to_pe() {
    let mut rng = Rng::new(7);
    let engine = SimEngine::default();
    for n in [1usize, 7, 1000, 1023, 1025, 4096 * 3 + 5] {
        let x = rng.vec_f32(n, -2.0, 2.0);
        let (streamed, report) = pipeline(&engine, &x, 256, GraphMode::Streamed);
        for i in 0..n {
            assert_eq!(streamed[i], reference(x[i]), "n = {n}, element {i}");
        }
        assert_eq!(report.phases.len(), 1, "n = {n}: {report}");
        for t in &report.tensors {
            assert!(
                matches!(t.path, TensorPath::HandedOff { channels, .. } if channels > 0),
                "n = {n}: {report}"
            );
        }
        // Off-chip: the input read once and the output written once.
        assert_eq!(
            report.offchip_bytes(),
            2 * 4 * n as u64,
            "n = {n}: {report}"
        );

        let (one_by_one, baseline) = pipeline(&engine, &x, 256, GraphMode::OneByOne);
        assert_eq!(one_by_one, streamed, "n = {n}");
        assert_eq!(baseline.phases.len(), 3);
        assert_eq!(
            baseline.offchip_bytes(),
            6 * 4 * n as u64,
            "n = {n}: {baseline}"
        );
    }
}

#[test]
fn sim_graph_streams_faster_than_one_by_one() {
    let n = 1 << 16;
    let x = Rng::new(3).vec_f32(n, -2.0, 2.0);
    let engine = SimEngine::default();
    let (_, streamed) = pipeline(&engine, &x, 1024, GraphMode::Streamed);
    let (_, one_by_one) = pipeline(&engine, &x, 1024, GraphMode::OneByOne);
    // Not a speed assertion about the host: simulated cycles are exact,
    // and a third of the off-chip traffic must cost fewer of them.
    assert!(
        streamed.cycles() < one_by_one.cycles(),
        "{streamed}\n{one_by_one}"
    );
    let routes = streamed.phases[0].routes.as_ref().expect("routed");
    assert_eq!(routes.routes.len(), 2 * streamed.phases[0].tiles[0].len());
    // The picture: every PE labelled with its kernel, every hand-off drawn.
    let svg = streamed.phases[0].mesh_svg(engine.machine());
    let summary = check_svg(&svg).unwrap_or_else(|e| panic!("{e}"));
    let pes: usize = streamed.phases[0].tiles.iter().map(Vec::len).sum();
    for kernel in ["scale", "bias", "relu"] {
        let labelled = summary
            .texts
            .iter()
            .filter(|t| t.as_str() == kernel)
            .count();
        assert_eq!(labelled, pes / 3, "{kernel}");
    }
}

#[test]
fn sim_graph_keeps_a_mismatched_tensor_off_chip_and_says_why() {
    let mut rng = Rng::new(11);
    for n in [7usize, 1000] {
        let x = rng.vec_f32(n, -2.0, 2.0);
        let mut out = vec![0.0f32; n];
        let report = {
            let (mut g, t) = scaled(&x, 64);
            read(&mut g, t, SHIFTED, (n, 64), &mut out);
            SimEngine::default()
                .launch_graph(&mut g, GraphMode::Streamed)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        for i in 0..n - 1 {
            assert_eq!(out[i], x[i + 1] * 2.0, "n = {n}, element {i}");
        }
        assert_eq!(report.phases.len(), 2, "{report}");
        match &report.tensors[0].path {
            TensorPath::OffChip { reason } => {
                assert!(reason.contains("instance"), "{reason}")
            }
            p => panic!("expected off-chip, got {p:?}"),
        }
    }
}

#[test]
fn sim_graph_errors_name_the_tensor() {
    let mut g = SimGraph::new();
    let t = g.tensor("orphan", Dtype::F32, 8);
    let x = [0.0f32; 8];
    g.kernel(
        build_ok(BIAS, &[("BLOCK", 8)]),
        Grid::from(1usize),
        vec![t.into(), Arg::from(&x[..]).into(), Arg::from(8i32).into()],
    );
    let e = SimEngine::default()
        .launch_graph(&mut g, GraphMode::Streamed)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("`orphan`") && e.contains("before a kernel writes it"),
        "{e}"
    );
}

/// The MLP block `gelu(x·w1 + b1)·w2` as three kernels: the first
/// product's tiles go straight to the bias+GELU PEs; the hidden tensor
/// feeds the second product's `k` loop and goes off-chip. The first
/// product takes two `k` steps, so a single launch would write its tiles
/// out in blocks (`early-write-out`); a hand-off keeps them whole.
#[test]
fn sim_graph_runs_an_mlp_block() {
    let (tokens, d, hidden, blk) = (64usize, 32usize, 64usize, 32usize);
    let mut rng = Rng::new(5);
    let x = rng.vec_f32(tokens * d, -1.0, 1.0);
    let w1 = rng.vec_f32(d * hidden, -0.5, 0.5);
    let b1 = rng.vec_f32(hidden, -0.5, 0.5);
    let w2 = rng.vec_f32(hidden * d, -0.5, 0.5);
    let gelu = |v: f32| v / (1.0 + (v * -1.702).exp());
    let mut h = vec![0.0f32; tokens * hidden];
    for i in 0..tokens {
        for j in 0..hidden {
            let s = (0..d).fold(0.0f32, |s, k| s + x[i * d + k] * w1[k * hidden + j]);
            h[i * hidden + j] = gelu(s + b1[j]);
        }
    }
    let engine = SimEngine::default();
    let run = |mode| {
        let mut y = vec![0.0f32; tokens * d];
        let operands = graphs::Mlp {
            dims: (tokens, d, hidden),
            x: &x,
            w1: &w1,
            b1: &b1,
            w2: &w2,
        };
        let mut g = graphs::mlp(operands, &mut y, (blk, blk, d / 2), (blk, blk, blk));
        let report = engine
            .launch_graph(&mut g, mode)
            .unwrap_or_else(|e| panic!("{e}"));
        drop(g);
        (y, report)
    };
    let (y, streamed) = run(GraphMode::Streamed);
    for i in 0..tokens {
        for j in 0..d {
            let want = (0..hidden).fold(0.0f32, |s, k| s + h[i * hidden + k] * w2[k * d + j]);
            let got = y[i * d + j];
            assert!(
                (got - want).abs() <= 1e-4 * (1.0 + want.abs()),
                "y[{i}][{j}] = {got}, want {want}"
            );
        }
    }
    assert!(
        matches!(streamed.tensors[0].path, TensorPath::HandedOff { .. }),
        "{streamed}"
    );
    match &streamed.tensors[1].path {
        // Its readers' grid differs (and each reads a whole row of it).
        TensorPath::OffChip { reason } => assert!(reason.contains("runs over"), "{reason}"),
        p => panic!("{p:?}"),
    }
    assert_eq!(streamed.phases.len(), 2, "{streamed}");
    let (y1, one_by_one) = run(GraphMode::OneByOne);
    assert_eq!(y1, y);
    // The first product's output never leaves the chip: 2 x its bytes saved.
    assert_eq!(
        one_by_one.offchip_bytes() - streamed.offchip_bytes(),
        2 * 4 * (tokens * hidden) as u64,
        "{streamed}\n{one_by_one}"
    );
}

#[test]
fn sim_graph_refuses_a_kernel_reading_its_own_tensor() {
    let mut g = SimGraph::new();
    let t = g.tensor("loop", Dtype::F32, 8);
    g.kernel(
        build_ok(ADD2, &[("BLOCK", 8)]),
        Grid::from(1usize),
        vec![t.into(), t.into(), Arg::from(8i32).into()],
    );
    let e = SimEngine::default()
        .launch_graph(&mut g, GraphMode::Streamed)
        .unwrap_err()
        .to_string();
    assert!(e.contains("takes tensor `loop` twice"), "{e}");
}

/// Reads with `other`: lanes past `n` take 7, and the whole block is
/// stored (`out` has a whole number of blocks).
const PAD: &str = r#"
fn pad(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    store(out + offs, load(x + offs, offs < n, 7.0));
}"#;

#[test]
fn sim_graph_hand_off_keeps_the_readers_padding() {
    let engine = SimEngine::default();
    for n in [1usize, 100, 1000] {
        let x = Rng::new(n as u64).vec_f32(n, -1.0, 1.0);
        let mut out = vec![0.0f32; n.div_ceil(64) * 64];
        let report = {
            let (mut g, t) = scaled(&x, 64);
            read(&mut g, t, PAD, (n, 64), &mut out);
            engine
                .launch_graph(&mut g, GraphMode::Streamed)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        assert!(
            matches!(report.tensors[0].path, TensorPath::HandedOff { .. }),
            "{report}"
        );
        for (i, &v) in out.iter().enumerate() {
            let want = if i < n { x[i] * 2.0 } else { 7.0 };
            assert_eq!(v, want, "n = {n}, element {i}");
        }
    }
}

#[test]
fn sim_graph_hands_one_tensor_to_two_readers() {
    let engine = SimEngine::default();
    for n in [7usize, 1025, 3000] {
        let x = Rng::new(n as u64 + 1).vec_f32(n, -2.0, 2.0);
        let (mut biased, mut relued) = (vec![0.0f32; n], vec![0.0f32; n]);
        let report = {
            let (mut g, t) = scaled(&x, 256);
            read(&mut g, t, BIAS, (n, 256), &mut biased);
            read(&mut g, t, RELU, (n, 256), &mut relued);
            engine
                .launch_graph(&mut g, GraphMode::Streamed)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let pes = report.phases[0].tiles[0].len();
        // A channel per reader and pair.
        assert!(
            matches!(report.tensors[0].path, TensorPath::HandedOff { channels, .. } if channels == 2 * pes),
            "{report}"
        );
        assert_eq!(report.phases.len(), 1);
        // Off-chip: x read once, both outputs written once.
        assert_eq!(report.offchip_bytes(), 3 * 4 * n as u64, "{report}");
        for i in 0..n {
            assert_eq!(biased[i], x[i] * 2.0 + 1.0, "n = {n}, element {i}");
            assert_eq!(relued[i], (x[i] * 2.0).max(0.0), "n = {n}, element {i}");
        }
    }
}

#[test]
fn sim_graph_sends_a_tensor_with_too_many_readers_off_chip() {
    // Five readers need five send slots on the writer; a PE has four.
    let n = 300;
    let x = Rng::new(17).vec_f32(n, -2.0, 2.0);
    let mut outs = vec![vec![0.0f32; n]; 5];
    let report = {
        let (mut g, t) = scaled(&x, 64);
        for out in outs.iter_mut() {
            read(&mut g, t, BIAS, (n, 64), out);
        }
        SimEngine::default()
            .launch_graph(&mut g, GraphMode::Streamed)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    match &report.tensors[0].path {
        TensorPath::OffChip { reason } => assert!(reason.contains("no state slot"), "{reason}"),
        p => panic!("expected off-chip, got {p:?}"),
    }
    for out in &outs {
        for i in 0..n {
            assert_eq!(out[i], x[i] * 2.0 + 1.0, "element {i}");
        }
    }
}
