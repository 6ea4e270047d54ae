//! Which PE runs which program instance of a launch.
//!
//! The annealed policy states the launch as a [`PlacementProblem`] and
//! hands it to [`map::place`](crate::spatial::map::place):
//!
//! - **Tasks** are the program instances, each with compute weight 1 (every
//!   instance runs the same code).
//! - **SRAM.** Instances on one PE run one after another and reuse the
//!   kernel's local memory, staging and spill slots, so those are paid once
//!   per PE, not per instance. What each instance keeps resident is its
//!   4-byte entry in the PE's instance table, which lives after the
//!   compiler's layout ([`MemoryMap::end`]). The annealer therefore sees
//!   PEs whose capacity is the SRAM left after that layout and tasks of 4
//!   bytes: every placement it considers is one the compiler can realise.
//! - **Edges** join each instance to off-chip memory through the shim of
//!   its column (the PE's DMA descriptors name that shim), weighted by the
//!   vector bytes of the kernel's global loads and stores — a static
//!   per-instance figure; since every instance gets the same weight, only
//!   the ratio to the balance term matters.
//! - **Balance.** A launch takes as long as its busiest PE, and one
//!   instance more on a PE costs a whole instance's run time, far more than
//!   the few cycles of NoC latency per hop it could save. The launch scales
//!   the configured balance weight by `max(1, rows · N / P)` (N instances,
//!   P PEs, rows of the mesh), which makes moving an instance off a PE with
//!   the average load never pay for itself in wire length: the annealer
//!   spreads instances evenly and puts the remainder nearest the shims.
//!
//! The round-robin policy is kept (explicit tile lists, or every PE) and is
//! evaluated under the same cost model so reports can compare the two.

use persim_lang::ir::{Function, Opcode};

use crate::spatial::compile::share::SharePlan;
use crate::spatial::compile::MemoryMap;
use crate::spatial::coord::TileCoord;
use crate::spatial::machine::Machine;
use crate::spatial::map::{
    place, AnnealConfig, Cost, CostModel, Endpoint, Placement, PlacementProblem,
};

/// How a launch assigns program instances to PEs.
#[derive(Clone, Debug, PartialEq)]
pub enum PlacementPolicy {
    /// PE `p` of the list runs instances `p, p + P, p + 2P, ...`.
    RoundRobin(Vec<TileCoord>),
    /// Simulated annealing over every compute tile (see the module doc for
    /// the problem it solves); deterministic for the config's seed.
    Annealed(AnnealConfig),
}

impl PlacementPolicy {
    /// The annealed policy with the default (fixed-seed) configuration.
    pub fn annealed() -> PlacementPolicy {
        PlacementPolicy::Annealed(AnnealConfig::default())
    }
}

/// What the annealer did for one launch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AnnealSummary {
    /// Cost of the annealer's greedy start.
    pub initial: Cost,
    /// Cost of the placement used.
    pub cost: Cost,
    /// Cost of round robin over every PE under the same model, for comparison.
    pub round_robin: Cost,
    pub temperatures: u32,
    pub moves: u64,
}

/// The placement of one launch.
#[derive(Clone, Debug, PartialEq)]
pub struct InstancePlacement {
    /// Per PE that runs instances: its tile and the instances it runs, in
    /// run order. Tiles appear in the order the compiler numbers PEs.
    pub lists: Vec<(TileCoord, Vec<u32>)>,
    /// `Some` for the annealed policy.
    pub anneal: Option<AnnealSummary>,
}

impl InstancePlacement {
    /// The tile that runs `instance`.
    pub fn tile_of(&self, instance: u32) -> Option<TileCoord> {
        self.lists
            .iter()
            .find(|(_, l)| l.contains(&instance))
            .map(|(t, _)| *t)
    }
}

/// Bytes one instance moves to or from off-chip memory, as the placement
/// weighs it: a vector's bytes per global load or store in the code (loop
/// trip counts are not known statically, and the weight is the same for
/// every instance), at least 1.
pub fn offchip_weight(f: &Function, machine: &Machine) -> u64 {
    let accesses = f
        .all_ops()
        .into_iter()
        .filter(|&op| matches!(f.op(op).opcode, Opcode::Load | Opcode::Store))
        .count() as u64;
    (accesses * u64::from(machine.vector_bytes())).max(1)
}

/// Round robin of `total` instances over `tiles`.
pub fn round_robin(tiles: &[TileCoord], total: u32) -> Vec<(TileCoord, Vec<u32>)> {
    let used = tiles.len().min(total as usize);
    (0..used)
        .map(|p| {
            let list = (p as u32..total).step_by(used).collect();
            (tiles[p], list)
        })
        .collect()
}

/// Places the instances of lowered `f` over `grid` by `policy`.
pub fn place_instances(
    machine: &Machine,
    f: &Function,
    map: &MemoryMap,
    grid: [u32; 3],
    policy: &PlacementPolicy,
) -> Result<InstancePlacement, String> {
    // The launch checked that the product fits.
    let total = grid.iter().map(|&g| u64::from(g)).product::<u64>() as u32;
    let config = match policy {
        PlacementPolicy::RoundRobin(tiles) => {
            return Ok(InstancePlacement {
                lists: round_robin(tiles, total),
                anneal: None,
            })
        }
        PlacementPolicy::Annealed(config) => config,
    };
    if let Some(lists) = shared_panel_layout(machine, f, grid) {
        return Ok(InstancePlacement {
            lists,
            anneal: None,
        });
    }
    // The annealer sees only the SRAM the instance table may use.
    let mut table_machine = machine.clone();
    table_machine.pe.sram_bytes = machine.pe.sram_bytes.saturating_sub(map.end);
    let weight = offchip_weight(f, machine);
    let mut problem = PlacementProblem::new();
    for i in 0..total {
        let task = problem.add_task(format!("instance {i}"), 4, 1.0);
        // `Offchip` is `row` hops away: the shim of the PE's own column,
        // which its DMA descriptors name.
        problem.add_edge(Endpoint::Task(task), Endpoint::Offchip, weight);
    }
    let pes = f64::from(machine.pe_count());
    let scale = (f64::from(machine.grid.rows) * f64::from(total) / pes).max(1.0);
    let config = AnnealConfig {
        balance_weight: config.balance_weight * scale,
        ..config.clone()
    };
    let result = place(&table_machine, &problem, &config).map_err(|e| {
        format!(
            "placement of {total} program instances failed (each PE has {} bytes of SRAM left for its instance table): {e}",
            table_machine.pe.sram_bytes
        )
    })?;
    let model = CostModel::new(&problem, machine.pe_count(), config.balance_weight);
    let rr_tiles = crate::spatial::compile::default_placement(machine);
    let mut rr = vec![rr_tiles[0]; total as usize];
    for (tile, list) in round_robin(&rr_tiles, total) {
        for i in list {
            rr[i as usize] = tile;
        }
    }
    let round_robin_cost = model.evaluate(&problem, &Placement { tiles: rr });
    let mut lists: Vec<(TileCoord, Vec<u32>)> = Vec::new();
    for tile in rr_tiles {
        let list: Vec<u32> = (0..total)
            .filter(|&i| result.placement.tiles[i as usize] == tile)
            .collect();
        if !list.is_empty() {
            lists.push((tile, list));
        }
    }
    Ok(InstancePlacement {
        lists,
        anneal: Some(AnnealSummary {
            initial: result.initial_cost,
            cost: result.cost,
            round_robin: round_robin_cost,
            temperatures: result.temperatures,
            moves: result.moves,
        }),
    })
}

/// When the kernel shares panels (`compile/share.rs`): the grid laid on
/// the mesh, `program_id(1)` along rows and `program_id(0)` down columns
/// when it fits so (else the transpose, else row-major), so that groups
/// sharing along one axis are mesh rows or columns and each forward is one
/// hop. This beats annealing on wire length to the shims: a chain's hops,
/// not the distance to the shim, carry the traffic, and the layout is the
/// optimum for them. A 2-D grid larger than the mesh is folded onto it
/// (PE `(c, r)` runs `(r + i·rows, c + j·cols)` for every `i`, `j`, in
/// order) when each axis is a multiple of the mesh's side, so every PE
/// runs the same number of instances and keeps its place in its chains
/// at every position (other grids are annealed and share nothing).
fn shared_panel_layout(
    machine: &Machine,
    f: &Function,
    grid: [u32; 3],
) -> Option<Vec<(TileCoord, Vec<u32>)>> {
    let total = grid.iter().map(|&g| u64::from(g)).product::<u64>() as u32;
    if SharePlan::new(f, grid, machine).is_empty() {
        return None;
    }
    let (cols, rows) = (machine.grid.cols, machine.grid.rows);
    let [g0, g1, g2] = grid;
    // Per instance: its PE and its position in the PE's list.
    let place: Box<dyn Fn(u32) -> (TileCoord, u32)> = if total <= machine.pe_count() {
        Box::new(move |i: u32| {
            let (p0, p1) = (i % g0, (i / g0) % g1);
            let (col, row) = if g2 == 1 && g1 <= cols && g0 <= rows {
                (p1, p0)
            } else if g2 == 1 && g0 <= cols && g1 <= rows {
                (p0, p1)
            } else {
                (i % cols, i / cols)
            };
            (TileCoord::new(col as u8, (row + 1) as u8), 0)
        })
    } else if g2 == 1 && g0.is_multiple_of(rows) && g1.is_multiple_of(cols) {
        let per_row = g1 / cols;
        Box::new(move |i: u32| {
            let (p0, p1) = (i % g0, i / g0);
            let tile = TileCoord::new((p1 % cols) as u8, (p0 % rows + 1) as u8);
            (tile, (p0 / rows) * per_row + p1 / cols)
        })
    } else {
        return None;
    };
    let mut instances: Vec<u32> = (0..total).collect();
    instances.sort_by_key(|&i| {
        let (t, position) = place(i);
        (t.row, t.col, position)
    });
    let mut lists: Vec<(TileCoord, Vec<u32>)> = Vec::new();
    for i in instances {
        let t = place(i).0;
        match lists.last_mut() {
            Some((last, list)) if *last == t => list.push(i),
            _ => lists.push((t, vec![i])),
        }
    }
    // Row-major order of PEs, as the compiler numbers them.
    Some(lists)
}
