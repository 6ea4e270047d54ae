//! The input of placement: tasks with resource demands and the weighted edges
//! between them and off-chip memory.

use std::fmt;

use super::mesh::Rect;
use crate::spatial::coord::TileCoord;

/// Index of a task in its [`PlacementProblem`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub u32);

impl TaskId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Something that runs on one PE: a program instance, or one PE's share of
/// a kernel. Several tasks may share a PE while their SRAM fits.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// Name used in errors and pictures.
    pub name: String,
    /// Data memory the task keeps resident on its PE.
    pub sram_bytes: u64,
    /// Relative compute demand (e.g. cycles or FLOPs); only ratios matter.
    pub compute: f64,
    /// Compute tiles the task may use (`None`: all of them).
    pub region: Option<Rect>,
}

/// One end of an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    Task(TaskId),
    /// Off-chip memory through the nearest shim: the shim row is below row
    /// 1, so a tile at row `r` is `r` hops from it.
    Offchip,
    /// Off-chip memory through the shim of one column, tile `(col, 0)`.
    Shim(u8),
}

impl Endpoint {
    /// Hops between `tile` and this endpoint, where `task_tile` resolves tasks.
    pub fn hops_from(self, tile: TileCoord, task_tile: impl Fn(TaskId) -> TileCoord) -> u32 {
        match self {
            Endpoint::Task(t) => tile.hops_to(task_tile(t)),
            Endpoint::Offchip => u32::from(tile.row),
            Endpoint::Shim(col) => tile.hops_to(TileCoord::new(col, 0)),
        }
    }
}

/// Bytes exchanged between two endpoints (direction does not matter for
/// wire length).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub a: Endpoint,
    pub b: Endpoint,
    pub bytes: u64,
}

/// Tasks and edges; build it with the `add_*` methods.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlacementProblem {
    pub tasks: Vec<Task>,
    pub edges: Vec<Edge>,
}

impl PlacementProblem {
    pub fn new() -> PlacementProblem {
        PlacementProblem::default()
    }

    /// Adds a task that may go on any compute tile.
    pub fn add_task(&mut self, name: impl Into<String>, sram_bytes: u64, compute: f64) -> TaskId {
        self.tasks.push(Task {
            name: name.into(),
            sram_bytes,
            compute,
            region: None,
        });
        TaskId(self.tasks.len() as u32 - 1)
    }

    /// Restricts a task to a rectangle of compute tiles.
    pub fn restrict(&mut self, task: TaskId, region: Rect) {
        if let Some(t) = self.tasks.get_mut(task.index()) {
            t.region = Some(region);
        }
    }

    /// Adds `bytes` exchanged between two tasks.
    pub fn connect(&mut self, a: TaskId, b: TaskId, bytes: u64) {
        self.add_edge(Endpoint::Task(a), Endpoint::Task(b), bytes);
    }

    /// Adds `bytes` a task reads from or writes to off-chip memory.
    pub fn connect_offchip(&mut self, task: TaskId, bytes: u64) {
        self.add_edge(Endpoint::Task(task), Endpoint::Offchip, bytes);
    }

    pub fn add_edge(&mut self, a: Endpoint, b: Endpoint, bytes: u64) {
        self.edges.push(Edge { a, b, bytes });
    }

    pub fn task(&self, id: TaskId) -> &Task {
        &self.tasks[id.index()]
    }

    /// The id of the task called `name`, if any.
    pub fn find(&self, name: &str) -> Option<TaskId> {
        self.tasks
            .iter()
            .position(|t| t.name == name)
            .map(|i| TaskId(i as u32))
    }
}

/// Why a problem cannot be placed.
#[derive(Clone, Debug, PartialEq)]
pub enum PlaceError {
    /// An edge names a task that does not exist, or a shim column outside the mesh.
    BadEdge { edge: usize, message: String },
    /// A task's region is empty or reaches outside the compute tiles.
    BadRegion { task: String, region: Rect },
    /// A task's compute demand is negative or not finite.
    BadCompute { task: String, compute: f64 },
    /// One task needs more SRAM than a PE has.
    TaskTooLarge {
        task: String,
        sram_bytes: u64,
        pe_sram_bytes: u64,
    },
    /// The task fits no PE of its region once the larger tasks are placed.
    DoesNotFit {
        task: String,
        sram_bytes: u64,
        /// Largest free SRAM on any PE of its region at that point.
        largest_free: u64,
        /// SRAM all tasks sharing this region ask for, and what it has.
        region_demand: u64,
        region_capacity: u64,
    },
}

impl fmt::Display for PlaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlaceError::BadEdge { edge, message } => write!(f, "edge {edge}: {message}"),
            PlaceError::BadRegion { task, region } => write!(
                f,
                "task `{task}`: region {region} is empty or not inside the compute tiles"
            ),
            PlaceError::BadCompute { task, compute } => write!(
                f,
                "task `{task}`: compute demand must be finite and >= 0, got {compute}"
            ),
            PlaceError::TaskTooLarge {
                task,
                sram_bytes,
                pe_sram_bytes,
            } => write!(
                f,
                "task `{task}` needs {sram_bytes} bytes of SRAM but a PE has {pe_sram_bytes} (pe.sram_bytes)"
            ),
            PlaceError::DoesNotFit {
                task,
                sram_bytes,
                largest_free,
                region_demand,
                region_capacity,
            } => write!(
                f,
                "task `{task}` ({sram_bytes} bytes of SRAM) fits on no PE: the largest free SRAM left \
                 is {largest_free} bytes (tasks sharing its region need {region_demand} of {region_capacity} bytes)"
            ),
        }
    }
}

impl std::error::Error for PlaceError {}
