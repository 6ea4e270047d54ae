//! Annealed placement of program instances in the simulator's launch path:
//! the same results as round robin, every instance placed once, the same
//! placement on every run, and malformed instance lists rejected.

mod sim_util;

use persim_backend::spatial::compile::{self, InstanceMap, Launch};
use persim_backend::spatial::coord::TileCoord;
use persim_backend::spatial::{Machine, PlacementPolicy, SimEngine, SimReport};
use persim_backend::{Arg, Grid};
use sim_util::*;

const ADD: &str = r#"
fn add(x: *const f32, y: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    store(out + offs, load(x + offs, mask) + load(y + offs, mask), mask);
}"#;

/// 3 x 2 compute tiles: grids larger and smaller than the mesh stay fast.
fn machine() -> Machine {
    Machine::from_toml("[grid]\ncols = 3\nrows = 2\n").unwrap()
}

fn add(engine: &SimEngine, n: usize, block: i64) -> (Vec<f32>, SimReport) {
    let mut rng = Rng::new(n as u64);
    let x = rng.vec_f32(n, -4.0, 4.0);
    let y = rng.vec_f32(n, -4.0, 4.0);
    let mut out = vec![0.0f32; n];
    let f = build_ok(ADD, &[("BLOCK", block)]);
    let report = engine
        .launch_ir(
            &f,
            Grid::from(n.div_ceil(block as usize)),
            &mut [
                Arg::from(&x[..]),
                Arg::from(&y[..]),
                Arg::from(&mut out[..]),
                Arg::from(n as i32),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let want: Vec<f32> = x.iter().zip(&y).map(|(a, b)| a + b).collect();
    assert_eq!(out, want, "n = {n}");
    (out, report)
}

#[test]
fn sim_annealed_placement_matches_round_robin() {
    let annealed = SimEngine::new(machine());
    let rr = SimEngine::new(machine()).with_round_robin();
    assert!(matches!(annealed.policy(), PlacementPolicy::Annealed(_)));
    for n in [16usize, 70, 16 * 13, 16 * 40 + 3] {
        let (a, ra) = add(&annealed, n, 16);
        let (b, rb) = add(&rr, n, 16);
        assert_eq!(a, b, "n = {n}");
        let instances = n.div_ceil(16) as u32;
        // Every instance runs exactly once, on a PE that ran code.
        let mut seen: Vec<u32> = ra
            .placement
            .lists
            .iter()
            .flat_map(|(_, l)| l.clone())
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..instances).collect::<Vec<_>>(), "n = {n}");
        for (tile, list) in &ra.placement.lists {
            assert!(!list.is_empty());
            assert!(ra.stats.pe(*tile).is_some(), "{tile} ran no code");
        }
        let anneal = ra.placement.anneal.expect("annealed policy reports costs");
        assert!(anneal.cost.total() <= anneal.initial.total() + 1e-6);
        // Balanced: no PE runs more instances than round robin's busiest.
        let busiest = |r: &SimReport| r.placement.lists.iter().map(|(_, l)| l.len()).max();
        assert!(busiest(&ra) <= busiest(&rb), "n = {n}");
        assert!(rb.placement.anneal.is_none());
    }
}

#[test]
fn sim_annealed_placement_is_deterministic() {
    let engine = SimEngine::new(machine());
    let (_, first) = add(&engine, 16 * 23, 16);
    let (_, second) = add(&SimEngine::new(machine()), 16 * 23, 16);
    assert_eq!(first.placement, second.placement);
    assert_eq!(first.stats.cycles, second.stats.cycles);
}

#[test]
fn sim_explicit_placement_is_round_robin_on_its_tiles() {
    let tiles = vec![TileCoord::new(2, 2), TileCoord::new(0, 1)];
    let engine = SimEngine::new(machine()).with_placement(tiles.clone());
    let (_, report) = add(&engine, 16 * 5, 16);
    assert_eq!(
        report.placement.lists,
        vec![(tiles[0], vec![0, 2, 4]), (tiles[1], vec![1, 3])]
    );
    let ran: Vec<TileCoord> = report.stats.pes.iter().map(|p| p.tile).collect();
    assert_eq!(ran.len(), 2);
}

#[test]
fn sim_instance_lists_are_checked() {
    let engine = SimEngine::new(machine());
    let f = engine.lower(&build_ok(ADD, &[("BLOCK", 16)])).unwrap();
    let words = [4096u64, 8192, 12288, 48];
    let compile = |lists: &[(TileCoord, Vec<u32>)]| {
        let launch = Launch {
            grid: [3, 1, 1],
            arg_words: &words,
            instances: InstanceMap::Listed(lists),
        };
        compile::compile(&f, engine.machine(), &launch)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let (a, b) = (TileCoord::new(0, 1), TileCoord::new(1, 1));
    assert!(compile(&[(a, vec![2, 0]), (b, vec![1])]).is_ok());
    let missing = compile(&[(a, vec![0]), (b, vec![1])]).unwrap_err();
    assert!(missing.contains("instance 2 is on no PE"), "{missing}");
    let twice = compile(&[(a, vec![0, 1]), (b, vec![1, 2])]).unwrap_err();
    assert!(twice.contains("instance 1 is listed on both"), "{twice}");
    let outside = compile(&[(a, vec![0, 1, 2, 7])]).unwrap_err();
    assert!(outside.contains("lists instance 7"), "{outside}");
    let shim = compile(&[(TileCoord::new(0, 0), vec![0, 1, 2])]).unwrap_err();
    assert!(shim.contains("not a compute tile"), "{shim}");
}
