//! Placement by simulated annealing: known optima, determinism, capacity.

use persim_backend::spatial::map::{
    place, AnnealConfig, Endpoint, PlaceError, PlacementProblem, Rect, TaskId,
};
use persim_backend::spatial::{Machine, TileCoord};

fn machine(cols: u32, rows: u32) -> Machine {
    Machine::from_toml(&format!("[grid]\ncols = {cols}\nrows = {rows}\n")).unwrap()
}

const KIB: u64 = 1024;

/// A chain of `n` tasks, each as large as a PE's SRAM (so one per PE),
/// the first reading and the last writing off-chip.
fn chain(n: usize, sram: u64) -> (PlacementProblem, Vec<TaskId>) {
    let mut p = PlacementProblem::new();
    let ids: Vec<TaskId> = (0..n)
        .map(|i| p.add_task(format!("stage{i}"), sram, 1.0))
        .collect();
    for w in ids.windows(2) {
        p.connect(w[0], w[1], 1000);
    }
    p.connect_offchip(ids[0], 1000);
    p.connect_offchip(ids[n - 1], 1000);
    (p, ids)
}

#[test]
fn sim_chain_on_a_line_reaches_the_optimum() {
    // 8 stages on an 8x8 mesh, one per PE: the optimum is a path of 7 unit
    // hops with both ends on row 1 (1 hop to the shim row): 9000 byte-hops.
    let m = Machine::default_model();
    let (p, ids) = chain(8, 256 * KIB);
    let r = place(&m, &p, &AnnealConfig::default()).unwrap();
    assert_eq!(r.cost.wire, 9000, "{:?}", r.placement);
    assert!(r.cost.total() <= r.initial_cost.total());
    for w in ids.windows(2) {
        assert_eq!(r.placement.tile(w[0]).hops_to(r.placement.tile(w[1])), 1);
    }
    assert_eq!(r.placement.tile(ids[0]).row, 1);
    assert_eq!(r.placement.tile(ids[7]).row, 1);
}

#[test]
fn sim_chain_on_a_one_row_machine_is_laid_out_in_order() {
    // On a 6x1 mesh the only optima put the chain in column order (either way).
    let m = machine(6, 1);
    let (p, ids) = chain(6, 200 * KIB);
    let r = place(&m, &p, &AnnealConfig::default()).unwrap();
    let cols: Vec<u8> = ids.iter().map(|&t| r.placement.tile(t).col).collect();
    assert!(
        cols == [0, 1, 2, 3, 4, 5] || cols == [5, 4, 3, 2, 1, 0],
        "{cols:?}"
    );
    assert_eq!(r.cost.wire, 5 * 1000 + 2 * 1000);
}

#[test]
fn sim_grid_graph_is_embedded_without_stretch() {
    // A 4x4 grid graph on a 4x4 mesh, one task per PE: optimum = 24 edges of
    // one hop each.
    let m = machine(4, 4);
    let mut p = PlacementProblem::new();
    let id = |p: &mut PlacementProblem, r: usize, c: usize| {
        p.add_task(format!("t{r}{c}"), 256 * KIB, 1.0)
    };
    let mut ids = vec![];
    for r in 0..4 {
        for c in 0..4 {
            ids.push(id(&mut p, r, c));
        }
    }
    for r in 0..4 {
        for c in 0..4 {
            if c + 1 < 4 {
                p.connect(ids[r * 4 + c], ids[r * 4 + c + 1], 100);
            }
            if r + 1 < 4 {
                p.connect(ids[r * 4 + c], ids[(r + 1) * 4 + c], 100);
            }
        }
    }
    let r = place(&m, &p, &AnnealConfig::default()).unwrap();
    assert_eq!(
        r.cost.wire, 2400,
        "initial {} final {}",
        r.initial_cost, r.cost
    );
}

#[test]
fn sim_placement_is_deterministic_and_depends_on_the_seed() {
    let m = Machine::default_model();
    let mut p = PlacementProblem::new();
    let ids: Vec<TaskId> = (0..40)
        .map(|i| p.add_task(format!("t{i}"), 60 * KIB, 1.0 + (i % 3) as f64))
        .collect();
    for i in 0..40 {
        p.connect(ids[i], ids[(i * 7 + 3) % 40], 100 + i as u64);
        p.connect(ids[i], ids[(i + 1) % 40], 50);
    }
    let a = place(&m, &p, &AnnealConfig::default()).unwrap();
    let b = place(&m, &p, &AnnealConfig::default()).unwrap();
    assert_eq!(a, b);
    let other = AnnealConfig {
        seed: 99,
        ..AnnealConfig::default()
    };
    let c = place(&m, &p, &other).unwrap();
    assert_ne!(a.placement, c.placement);
    assert!(a.cost.total() < a.initial_cost.total());
    // SRAM is never exceeded.
    for (&tile, &used) in &a.placement.sram_used(&p) {
        assert!(used <= u64::from(m.pe.sram_bytes), "{tile}: {used}");
        assert!(!tile.is_shim());
    }
}

#[test]
fn sim_small_tasks_share_a_pe_when_balance_is_off() {
    // Without the balance term, two tasks that talk share one PE (zero wire).
    let m = Machine::default_model();
    let mut p = PlacementProblem::new();
    let a = p.add_task("a", 16 * KIB, 1.0);
    let b = p.add_task("b", 16 * KIB, 1.0);
    p.connect(a, b, 4096);
    let cfg = AnnealConfig {
        balance_weight: 0.0,
        ..AnnealConfig::default()
    };
    let r = place(&m, &p, &cfg).unwrap();
    assert_eq!(r.placement.tile(a), r.placement.tile(b));
    assert_eq!(r.cost.wire, 0);
    // With it, they are neighbours instead.
    let r = place(&m, &p, &AnnealConfig::default()).unwrap();
    assert_eq!(r.placement.tile(a).hops_to(r.placement.tile(b)), 1);
}

#[test]
fn sim_tasks_stay_in_their_regions_and_pulled_to_their_shim() {
    let m = Machine::default_model();
    let mut p = PlacementProblem::new();
    let t = p.add_task("reader", 1024, 1.0);
    p.add_edge(Endpoint::Task(t), Endpoint::Shim(6), 1000);
    let r = place(&m, &p, &AnnealConfig::default()).unwrap();
    assert_eq!(r.placement.tile(t), TileCoord::new(6, 1));
    let region = Rect {
        col: 0,
        row: 5,
        cols: 2,
        rows: 2,
    };
    p.restrict(t, region);
    let r = place(&m, &p, &AnnealConfig::default()).unwrap();
    assert_eq!(r.placement.tile(t), TileCoord::new(1, 5));
}

#[test]
fn sim_a_task_larger_than_a_pe_is_named() {
    let m = Machine::default_model();
    let mut p = PlacementProblem::new();
    p.add_task("small", 1024, 1.0);
    p.add_task("huge_weights", 300 * KIB, 1.0);
    let err = place(&m, &p, &AnnealConfig::default()).unwrap_err();
    assert!(matches!(err, PlaceError::TaskTooLarge { ref task, .. } if task == "huge_weights"));
    let text = err.to_string();
    assert!(text.contains("`huge_weights` needs 307200 bytes"), "{text}");
    assert!(text.contains("pe.sram_bytes"), "{text}");
}

#[test]
fn sim_a_region_too_small_for_its_tasks_names_the_task_that_does_not_fit() {
    let m = Machine::default_model();
    let mut p = PlacementProblem::new();
    let region = Rect {
        col: 2,
        row: 2,
        cols: 2,
        rows: 1,
    };
    for i in 0..3 {
        let t = p.add_task(format!("block{i}"), 200 * KIB, 1.0);
        p.restrict(t, region);
    }
    let err = place(&m, &p, &AnnealConfig::default()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("`block2`"), "{text}");
    assert!(text.contains("fits on no PE"), "{text}");
    assert!(text.contains("614400 of 524288 bytes"), "{text}");
}

#[test]
fn sim_bad_problems_are_errors() {
    let m = machine(4, 4);
    let mut p = PlacementProblem::new();
    let t = p.add_task("t", 1024, 1.0);
    p.restrict(
        t,
        Rect {
            col: 3,
            row: 1,
            cols: 2,
            rows: 1,
        },
    );
    assert!(matches!(
        place(&m, &p, &AnnealConfig::default()),
        Err(PlaceError::BadRegion { .. })
    ));
    let mut p = PlacementProblem::new();
    let t = p.add_task("t", 1024, 1.0);
    p.connect(t, TaskId(5), 10);
    let err = place(&m, &p, &AnnealConfig::default()).unwrap_err();
    assert!(err.to_string().contains("task 5 does not exist"), "{err}");
    let mut p = PlacementProblem::new();
    p.add_task("t", 1024, f64::NAN);
    assert!(matches!(
        place(&m, &p, &AnnealConfig::default()),
        Err(PlaceError::BadCompute { .. })
    ));
    let mut p = PlacementProblem::new();
    p.add_task("t", 1024, 1.0);
    p.add_edge(Endpoint::Offchip, Endpoint::Shim(1), 10);
    assert!(matches!(
        place(&m, &p, &AnnealConfig::default()),
        Err(PlaceError::BadEdge { .. })
    ));
    // No tasks: an empty placement.
    let r = place(&m, &PlacementProblem::new(), &AnnealConfig::default()).unwrap();
    assert!(r.placement.tiles.is_empty());
}
