//! A placement (task → PE) and its cost.
//!
//! Cost = wire + balance, both in byte-hops so neither needs a unit
//! conversion:
//! - *wire* is the weighted Manhattan wire length `Σ bytes(e) · hops(e)`
//!   over all edges (off-chip edges measured to the shim row or to their
//!   shim), the NoC traffic the placement causes;
//! - *balance* is `λ · B · P · Σ_pe (load_pe / L)²`, with `B` the total edge
//!   bytes, `P` the machine's PE count, `L` the total compute and `λ` the
//!   configured [`balance_weight`](super::AnnealConfig::balance_weight). Its
//!   minimum (perfect spread) is `λ · B`, as if every byte moved one hop;
//!   everything on one PE costs `λ · B · P`. Without it, putting every task
//!   on one PE would have zero wire length and always win.

use std::collections::BTreeMap;
use std::fmt;

use super::problem::{Endpoint, PlacementProblem, TaskId};
use crate::spatial::coord::TileCoord;

/// Where each task runs, indexed by [`TaskId`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub tiles: Vec<TileCoord>,
}

impl Placement {
    pub fn tile(&self, task: TaskId) -> TileCoord {
        self.tiles[task.index()]
    }

    /// Tasks on `tile`, in id order.
    pub fn tasks_on(&self, tile: TileCoord) -> Vec<TaskId> {
        (0..self.tiles.len())
            .filter(|&i| self.tiles[i] == tile)
            .map(|i| TaskId(i as u32))
            .collect()
    }

    /// Compute demand per used tile.
    pub fn load(&self, problem: &PlacementProblem) -> BTreeMap<TileCoord, f64> {
        let mut load = BTreeMap::new();
        for (task, &tile) in problem.tasks.iter().zip(&self.tiles) {
            *load.entry(tile).or_insert(0.0) += task.compute;
        }
        load
    }

    /// SRAM bytes used per used tile.
    pub fn sram_used(&self, problem: &PlacementProblem) -> BTreeMap<TileCoord, u64> {
        let mut used = BTreeMap::new();
        for (task, &tile) in problem.tasks.iter().zip(&self.tiles) {
            *used.entry(tile).or_insert(0) += task.sram_bytes;
        }
        used
    }
}

/// The two terms of the cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    /// `Σ bytes · hops` over all edges.
    pub wire: u64,
    /// The load-balance term, in byte-hops.
    pub balance: f64,
}

impl Cost {
    pub fn total(&self) -> f64 {
        self.wire as f64 + self.balance
    }
}

impl fmt::Display for Cost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.0} (wire {} byte-hops + balance {:.0})",
            self.total(),
            self.wire,
            self.balance
        )
    }
}

/// The cost function of one problem on one machine.
#[derive(Clone, Debug)]
pub struct CostModel {
    /// Multiplies `Σ_pe load_pe²`: `λ · B · P / L²` (0 without compute).
    pub balance_scale: f64,
}

impl CostModel {
    pub fn new(problem: &PlacementProblem, pe_count: u32, balance_weight: f64) -> CostModel {
        let bytes: u64 = problem.edges.iter().map(|e| e.bytes).sum();
        let compute: f64 = problem.tasks.iter().map(|t| t.compute).sum();
        let balance_scale = if compute > 0.0 {
            balance_weight * bytes.max(1) as f64 * f64::from(pe_count) / (compute * compute)
        } else {
            0.0
        };
        CostModel { balance_scale }
    }

    /// Wire length of one edge when tasks sit on `tiles` (indexed by task).
    pub fn edge_wire(&self, problem: &PlacementProblem, edge: usize, tiles: &[TileCoord]) -> u64 {
        self.edge_wire_with(problem, edge, |t| tiles[t.index()])
    }

    /// Wire length of one edge with task positions given by `at`. Edges
    /// without a task end are rejected by `place`; they count 0 here.
    pub fn edge_wire_with(
        &self,
        problem: &PlacementProblem,
        edge: usize,
        at: impl Fn(TaskId) -> TileCoord,
    ) -> u64 {
        let e = &problem.edges[edge];
        let (task, other) = match (e.a, e.b) {
            (Endpoint::Task(t), other) | (other, Endpoint::Task(t)) => (t, other),
            _ => return 0,
        };
        e.bytes * u64::from(other.hops_from(at(task), at))
    }

    /// The full cost of a placement.
    pub fn evaluate(&self, problem: &PlacementProblem, placement: &Placement) -> Cost {
        let wire = (0..problem.edges.len())
            .map(|e| self.edge_wire(problem, e, &placement.tiles))
            .sum();
        let squares: f64 = placement.load(problem).values().map(|l| l * l).sum();
        Cost {
            wire,
            balance: self.balance_scale * squares,
        }
    }
}
