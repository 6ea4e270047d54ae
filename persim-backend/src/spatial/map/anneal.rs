//! Placement by simulated annealing, with the adaptive schedule of VPR
//! (Betz & Rose, "VPR: A new packing, placement and routing tool for FPGA
//! research", 1997), which needs no per-problem tuning:
//!
//! - **Start:** a greedy feasible placement (largest SRAM first, each task on
//!   the least-loaded PE of its region with room), then `N` random moves all
//!   accepted; `T0 = 20 · σ(cost)` over those moves, hot enough that almost
//!   every move is accepted at first (at least 32 moves, so tiny problems
//!   are measured too).
//! - **Moves:** pick a task and a tile within `rlim` hops (per axis) of it,
//!   inside the task's region; move it there if the tile's SRAM has room,
//!   otherwise swap it with a random task of that tile if both fit. `rlim`
//!   starts at the mesh size and follows the acceptance rate `α`:
//!   `rlim ← rlim · (1 − 0.44 + α)`, clamped to `[1, mesh size]`, which keeps
//!   `α` near 0.44, where annealing makes the most progress per move.
//! - **Schedule:** `inner_num · N^(4/3)` moves per temperature (N = tasks);
//!   then `T ← T · {0.5 if α > 0.96, 0.9 if α > 0.8, 0.95 if α > 0.15, 0.8
//!   otherwise}` — fast through the hot and cold phases, slow where the
//!   structure forms.
//! - **Stop:** when `T < exit_factor · cost / edges` (a move that changes one
//!   edge's share of the cost is then almost never accepted), at zero cost,
//!   or after `max_temperatures`; then one greedy sweep at `T = 0`. The best
//!   placement seen is returned.
//!
//! Determinism: the only randomness is [`SplitMix64`] from the configured
//! seed, every collection is visited in index order, and costs are
//! recomputed exactly after each temperature so incremental float error
//! cannot accumulate.

use super::mesh::{Mesh, Rect};
use super::placement::{Cost, CostModel, Placement};
use super::problem::{Endpoint, PlaceError, PlacementProblem, TaskId};
use super::rng::SplitMix64;
use crate::spatial::coord::TileCoord;
use crate::spatial::machine::Machine;

/// Parameters of the annealer; [`Default`] is what the module doc describes.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnealConfig {
    pub seed: u64,
    /// `λ` of the balance term (see [`placement`](super::placement)); 0
    /// minimises wire length alone.
    pub balance_weight: f64,
    /// Moves per temperature are `inner_num · N^(4/3)`.
    pub inner_num: f64,
    /// `T0 = initial_temperature_factor · σ(cost of N random moves)`.
    pub initial_temperature_factor: f64,
    pub exit_factor: f64,
    pub max_temperatures: u32,
}

impl Default for AnnealConfig {
    fn default() -> AnnealConfig {
        AnnealConfig {
            seed: 0x5EED_CAFE,
            balance_weight: 1.0,
            inner_num: 10.0,
            initial_temperature_factor: 20.0,
            exit_factor: 0.005,
            max_temperatures: 1000,
        }
    }
}

/// A placement and how the annealer got there.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceResult {
    pub placement: Placement,
    /// Cost of the greedy start.
    pub initial_cost: Cost,
    pub cost: Cost,
    pub temperatures: u32,
    pub moves: u64,
    pub accepted: u64,
}

/// Places `problem` on `machine`'s compute tiles: every task on one PE of
/// its region, the SRAM of each PE never exceeded, minimising
/// [`Cost`](super::placement::Cost).
pub fn place(
    machine: &Machine,
    problem: &PlacementProblem,
    config: &AnnealConfig,
) -> Result<PlaceResult, PlaceError> {
    let mesh = Mesh::of(machine);
    let regions = validate(machine, &mesh, problem)?;
    let model = CostModel::new(problem, machine.pe_count(), config.balance_weight);
    let initial = greedy(machine, &mesh, problem, &regions)?;
    let mut state = State::new(
        &mesh,
        problem,
        &model,
        &regions,
        u64::from(machine.pe.sram_bytes),
        initial,
    );
    let initial_cost = state.cost();
    let mut result = PlaceResult {
        placement: state.placement(),
        initial_cost,
        cost: initial_cost,
        temperatures: 0,
        moves: 0,
        accepted: 0,
    };
    let n = problem.tasks.len();
    if n == 0 {
        return Ok(result);
    }
    // The greedy start competes for "best": the random walk below may
    // leave it, and on a problem where it is already optimal nothing
    // later may get back to it.
    let start = (state.total(), state.placement());
    let mut rng = SplitMix64::new(config.seed);
    let max_rlim = f64::from(mesh.cols.max(mesh.rows));
    let mut rlim = max_rlim;
    let moves_per_t = ((config.inner_num * (n as f64).powf(4.0 / 3.0)).ceil() as u64).max(1);

    // T0 from the spread of costs over a random walk of N moves (at least
    // 32, so the spread of a tiny problem is still measured).
    let walk = n.max(32);
    let mut samples = Vec::with_capacity(walk);
    for _ in 0..walk {
        if let Some(mv) = state.propose(&mut rng, rlim as u32) {
            state.apply(&mv);
        }
        samples.push(state.total());
    }
    let mean = samples.iter().sum::<f64>() / walk as f64;
    let var = samples.iter().map(|c| (c - mean) * (c - mean)).sum::<f64>() / walk as f64;
    let mut t = config.initial_temperature_factor * var.sqrt();
    state.resync();
    let mut best = (state.total(), state.placement());
    if start.0 <= best.0 {
        best = start;
    }
    let edges = problem.edges.len().max(1) as f64;

    while t > 0.0 && result.temperatures < config.max_temperatures {
        let (moves, accepted) = state.sweep(&mut rng, t, rlim as u32, moves_per_t);
        result.temperatures += 1;
        result.moves += moves;
        result.accepted += accepted;
        state.resync();
        if state.total() < best.0 {
            best = (state.total(), state.placement());
        }
        let alpha = accepted as f64 / moves.max(1) as f64;
        t *= if alpha > 0.96 {
            0.5
        } else if alpha > 0.8 {
            0.9
        } else if alpha > 0.15 {
            0.95
        } else {
            0.8
        };
        rlim = (rlim * (1.0 - 0.44 + alpha)).clamp(1.0, max_rlim);
        let cost = state.total();
        if cost <= 0.0 || t < config.exit_factor * cost / edges {
            break;
        }
    }
    // Greedy quench at T = 0 from the best placement.
    state = State::new(
        &mesh,
        problem,
        &model,
        &regions,
        u64::from(machine.pe.sram_bytes),
        best.1,
    );
    let (moves, accepted) = state.sweep(&mut rng, 0.0, 1, moves_per_t);
    result.moves += moves;
    result.accepted += accepted;
    state.resync();
    result.placement = state.placement();
    result.cost = state.cost();
    Ok(result)
}

/// Checks the problem; returns each task's region.
fn validate(
    machine: &Machine,
    mesh: &Mesh,
    problem: &PlacementProblem,
) -> Result<Vec<Rect>, PlaceError> {
    let whole = Rect::whole(machine);
    let mut regions = Vec::with_capacity(problem.tasks.len());
    for task in &problem.tasks {
        if !task.compute.is_finite() || task.compute < 0.0 {
            return Err(PlaceError::BadCompute {
                task: task.name.clone(),
                compute: task.compute,
            });
        }
        let region = task.region.unwrap_or(whole);
        let inside = region.area() > 0
            && region.row >= 1
            && region.col + region.cols <= mesh.cols
            && region.row + region.rows <= mesh.rows + 1;
        if !inside {
            return Err(PlaceError::BadRegion {
                task: task.name.clone(),
                region,
            });
        }
        if task.sram_bytes > u64::from(machine.pe.sram_bytes) {
            return Err(PlaceError::TaskTooLarge {
                task: task.name.clone(),
                sram_bytes: task.sram_bytes,
                pe_sram_bytes: u64::from(machine.pe.sram_bytes),
            });
        }
        regions.push(region);
    }
    for (i, e) in problem.edges.iter().enumerate() {
        let bad = |message: String| Err(PlaceError::BadEdge { edge: i, message });
        if !matches!(e.a, Endpoint::Task(_)) && !matches!(e.b, Endpoint::Task(_)) {
            return bad("an edge needs a task at one end at least".into());
        }
        for end in [e.a, e.b] {
            match end {
                Endpoint::Task(t) if t.index() >= problem.tasks.len() => {
                    return bad(format!(
                        "task {} does not exist ({} tasks)",
                        t.0,
                        problem.tasks.len()
                    ))
                }
                Endpoint::Shim(col) if u32::from(col) >= mesh.cols => {
                    return bad(format!(
                        "shim column {col} is outside the {} columns",
                        mesh.cols
                    ))
                }
                _ => {}
            }
        }
    }
    Ok(regions)
}

/// Largest SRAM first, each on the least-loaded tile of its region with room.
fn greedy(
    machine: &Machine,
    mesh: &Mesh,
    problem: &PlacementProblem,
    regions: &[Rect],
) -> Result<Placement, PlaceError> {
    let cap = u64::from(machine.pe.sram_bytes);
    let mut order: Vec<usize> = (0..problem.tasks.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(problem.tasks[i].sram_bytes), i));
    let mut used = vec![0u64; mesh.tile_count()];
    let mut load = vec![0f64; mesh.tile_count()];
    let mut tiles = vec![TileCoord::new(0, 1); problem.tasks.len()];
    for i in order {
        let task = &problem.tasks[i];
        let region = regions[i];
        let pick = region
            .tiles()
            .filter(|&t| used[mesh.tile_index(t)] + task.sram_bytes <= cap)
            .min_by(|&a, &b| {
                let (ia, ib) = (mesh.tile_index(a), mesh.tile_index(b));
                load[ia]
                    .total_cmp(&load[ib])
                    .then(used[ia].cmp(&used[ib]))
                    .then(ia.cmp(&ib))
            });
        let Some(tile) = pick else {
            let largest_free = region
                .tiles()
                .map(|t| cap - used[mesh.tile_index(t)])
                .max()
                .unwrap_or(0);
            let region_demand = problem
                .tasks
                .iter()
                .zip(regions)
                .filter(|(_, r)| overlaps(r, &region))
                .map(|(t, _)| t.sram_bytes)
                .sum();
            return Err(PlaceError::DoesNotFit {
                task: task.name.clone(),
                sram_bytes: task.sram_bytes,
                largest_free,
                region_demand,
                region_capacity: u64::from(region.area()) * cap,
            });
        };
        let k = mesh.tile_index(tile);
        used[k] += task.sram_bytes;
        load[k] += task.compute;
        tiles[i] = tile;
    }
    Ok(Placement { tiles })
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.col < b.col + b.cols
        && b.col < a.col + a.cols
        && a.row < b.row + b.rows
        && b.row < a.row + a.rows
}

/// A proposed change: one task to a tile, or two tasks trading tiles.
#[derive(Clone, Copy, Debug)]
enum Move {
    To(TaskId, TileCoord),
    Swap(TaskId, TaskId),
}

/// The annealer's working state, with per-tile sums kept incrementally.
struct State<'a> {
    mesh: &'a Mesh,
    problem: &'a PlacementProblem,
    model: &'a CostModel,
    regions: &'a [Rect],
    cap: u64,
    tiles: Vec<TileCoord>,
    used: Vec<u64>,
    load: Vec<f64>,
    on_tile: Vec<Vec<TaskId>>,
    task_edges: Vec<Vec<usize>>,
    wire: i64,
    squares: f64,
}

impl<'a> State<'a> {
    fn new(
        mesh: &'a Mesh,
        problem: &'a PlacementProblem,
        model: &'a CostModel,
        regions: &'a [Rect],
        cap: u64,
        placement: Placement,
    ) -> State<'a> {
        let mut task_edges = vec![Vec::new(); problem.tasks.len()];
        for (i, e) in problem.edges.iter().enumerate() {
            for end in [e.a, e.b] {
                if let Endpoint::Task(t) = end {
                    if task_edges[t.index()].last() != Some(&i) {
                        task_edges[t.index()].push(i);
                    }
                }
            }
        }
        let mut state = State {
            mesh,
            problem,
            model,
            regions,
            cap,
            tiles: placement.tiles,
            used: Vec::new(),
            load: Vec::new(),
            on_tile: Vec::new(),
            task_edges,
            wire: 0,
            squares: 0.0,
        };
        state.resync();
        state
    }

    /// Recomputes every sum from the task positions.
    fn resync(&mut self) {
        let n = self.mesh.tile_count();
        self.used = vec![0; n];
        self.load = vec![0.0; n];
        self.on_tile = vec![Vec::new(); n];
        for (i, task) in self.problem.tasks.iter().enumerate() {
            let k = self.mesh.tile_index(self.tiles[i]);
            self.used[k] += task.sram_bytes;
            self.load[k] += task.compute;
            self.on_tile[k].push(TaskId(i as u32));
        }
        self.wire = (0..self.problem.edges.len())
            .map(|e| self.model.edge_wire(self.problem, e, &self.tiles) as i64)
            .sum();
        self.squares = self.load.iter().map(|l| l * l).sum();
    }

    fn total(&self) -> f64 {
        self.wire as f64 + self.model.balance_scale * self.squares
    }

    fn cost(&self) -> Cost {
        Cost {
            wire: self.wire as u64,
            balance: self.model.balance_scale * self.squares,
        }
    }

    fn placement(&self) -> Placement {
        Placement {
            tiles: self.tiles.clone(),
        }
    }

    /// A random legal move within `rlim` hops per axis, or `None` when the
    /// drawn one is illegal (the caller counts it as rejected).
    fn propose(&self, rng: &mut SplitMix64, rlim: u32) -> Option<Move> {
        let t = TaskId(rng.below(self.tiles.len()) as u32);
        let from = self.tiles[t.index()];
        let region = self.regions[t.index()];
        let window = |at: u32, lo: u32, len: u32| {
            let min = at.saturating_sub(rlim).max(lo);
            let max = (at + rlim).min(lo + len - 1);
            (min, max)
        };
        let (c0, c1) = window(u32::from(from.col), region.col, region.cols);
        let (r0, r1) = window(u32::from(from.row), region.row, region.rows);
        let col = c0 + rng.below((c1 - c0 + 1) as usize) as u32;
        let row = r0 + rng.below((r1 - r0 + 1) as usize) as u32;
        let to = TileCoord::new(col as u8, row as u8);
        if to == from {
            return None;
        }
        let size = self.problem.tasks[t.index()].sram_bytes;
        let k = self.mesh.tile_index(to);
        if self.used[k] + size <= self.cap {
            return Some(Move::To(t, to));
        }
        let there = &self.on_tile[k];
        if there.is_empty() {
            return None;
        }
        let u = there[rng.below(there.len())];
        let u_size = self.problem.tasks[u.index()].sram_bytes;
        let kf = self.mesh.tile_index(from);
        let fits = self.regions[u.index()].contains(from)
            && self.used[kf] - size + u_size <= self.cap
            && self.used[k] - u_size + size <= self.cap;
        fits.then_some(Move::Swap(t, u))
    }

    /// The tasks a move relocates, with their new tiles.
    fn relocations(&self, mv: &Move) -> ([(TaskId, TileCoord); 2], usize) {
        match *mv {
            Move::To(t, to) => ([(t, to), (t, to)], 1),
            Move::Swap(t, u) => ([(t, self.tiles[u.index()]), (u, self.tiles[t.index()])], 2),
        }
    }

    /// Cost change of a move: (wire, Σ load²).
    fn delta(&self, mv: &Move) -> (i64, f64) {
        let (moved, n) = self.relocations(mv);
        let moved = &moved[..n];
        let mut edges: Vec<usize> = moved
            .iter()
            .flat_map(|(t, _)| self.task_edges[t.index()].iter().copied())
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let after = |t: TaskId| {
            moved
                .iter()
                .find(|(m, _)| *m == t)
                .map_or(self.tiles[t.index()], |&(_, to)| to)
        };
        let wire: i64 = edges
            .iter()
            .map(|&e| {
                self.model.edge_wire_with(self.problem, e, after) as i64
                    - self.model.edge_wire(self.problem, e, &self.tiles) as i64
            })
            .sum();
        // Load changes on (at most) two tiles.
        let mut touched: Vec<(usize, f64)> = Vec::with_capacity(2);
        for &(t, to) in moved {
            let c = self.problem.tasks[t.index()].compute;
            for (k, d) in [
                (self.mesh.tile_index(self.tiles[t.index()]), -c),
                (self.mesh.tile_index(to), c),
            ] {
                match touched.iter_mut().find(|(j, _)| *j == k) {
                    Some((_, acc)) => *acc += d,
                    None => touched.push((k, d)),
                }
            }
        }
        let squares = touched
            .iter()
            .map(|&(k, d)| {
                let l = self.load[k];
                (l + d) * (l + d) - l * l
            })
            .sum();
        (wire, squares)
    }

    fn apply(&mut self, mv: &Move) {
        let (wire, squares) = self.delta(mv);
        let (moved, n) = self.relocations(mv);
        for &(t, to) in &moved[..n] {
            let task = &self.problem.tasks[t.index()];
            let kf = self.mesh.tile_index(self.tiles[t.index()]);
            let kt = self.mesh.tile_index(to);
            self.used[kf] -= task.sram_bytes;
            self.load[kf] -= task.compute;
            self.on_tile[kf].retain(|&x| x != t);
            self.used[kt] += task.sram_bytes;
            self.load[kt] += task.compute;
            self.on_tile[kt].push(t);
            self.tiles[t.index()] = to;
        }
        self.wire += wire;
        self.squares += squares;
    }

    /// `count` move attempts at temperature `t`; returns (attempts, accepted).
    fn sweep(&mut self, rng: &mut SplitMix64, t: f64, rlim: u32, count: u64) -> (u64, u64) {
        let mut accepted = 0;
        for _ in 0..count {
            let Some(mv) = self.propose(rng, rlim) else {
                continue;
            };
            let (wire, squares) = self.delta(&mv);
            let d = wire as f64 + self.model.balance_scale * squares;
            let take = if t > 0.0 {
                d <= 0.0 || rng.unit() < (-d / t).exp()
            } else {
                d < 0.0
            };
            if take {
                self.apply(&mv);
                accepted += 1;
            }
        }
        (count, accepted)
    }
}
