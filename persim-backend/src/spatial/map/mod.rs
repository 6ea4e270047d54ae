//! Mapping for the spatial accelerator: where work runs on the mesh, how data
//! moves between PEs, what that costs, and pictures of it.
//!
//! # Bird's-eye view
//!
//! ```text
//!  PlacementProblem (tasks: SRAM, compute; edges: bytes) ──place──▶ Placement (task → PE)
//!
//!  KernelGraph (DAG: FLOPs, unit, off-chip in/out) ──assign_regions──▶ Regions (kernel → Rect)
//!        └──plan_channels──▶ ChannelPlan (src, dst, bytes, B/cycle) ──route──▶ Routes (links per channel)
//!        └──traffic──▶ TrafficReport (off-chip fused vs one by one, NoC bytes per link)
//!  Roofline (machine) ── bound(flops, bytes) ──▶ Bound ── achieved(Stats) ──▶ fraction of the roof
//!  MeshPicture + Routes ──mesh_svg──▶ SVG;   PeProgram (+ PeReport) ──schedule_svg──▶ SVG
//! ```
//!
//! The two entry points are independent: [`place`] puts individual tasks
//! (program instances, or a kernel's per-PE pieces restricted to its
//! region) on PEs; the kernel-graph path gives whole kernels rectangles and
//! routes the streams between them. Both read every number from the
//! [`Machine`](crate::spatial::Machine) descriptor — grid, SRAM, link width,
//! shim bandwidth, MAC rate — so they agree with the simulator.
//!
//! # Algorithms and why
//!
//! - **Placement** (`anneal.rs`): simulated annealing with VPR's adaptive
//!   schedule (T0 from the cost spread of random moves, cooling by
//!   acceptance rate, a move window that keeps acceptance near 44 %, exit
//!   when `T < 0.005 · cost / edges`). Cost = weighted Manhattan wire length
//!   (byte-hops, off-chip edges measured to the shim row) + a quadratic
//!   load-balance term in the same unit (`placement.rs`). Moves and swaps
//!   never exceed a PE's SRAM, so every intermediate placement is legal.
//!   Annealing because the objective is non-convex with capacity
//!   constraints, the instances are small (tens to hundreds of tasks), and
//!   the VPR schedule needs no per-problem tuning. Seeded SplitMix64
//!   (`rng.rs`): deterministic for a seed.
//! - **Regions** (`regions.rs`): slicing floorplan by recursive bisection
//!   of the topological order, each cut minimising the larger half's work
//!   per PE (work = PE-cycles at the peak of the kernel's unit), halves
//!   ordered boustrophedon-style so consecutive kernels usually touch.
//!   Rectangles because a kernel's tiles then form a mesh of their own,
//!   which is how the compiler lays out tiled loops.
//! - **Channels** (`channels.rs`): each stream is split across
//!   `max(|P|, |C|)` PE pairs at matching relative positions; off-chip
//!   loads and stores run per column through the shim. Demands are bytes
//!   per cycle over the estimated fused run time.
//! - **Routing** (`route.rs`): PathFinder negotiated congestion — present
//!   and history costs on links whose capacity is
//!   `noc.link_bytes_per_cycle`; unsplittable channels; dimension-order
//!   routes preferred on ties because they are what the simulator's DMA
//!   does (other routes are realised by forwarding at
//!   [`Route::waypoints`]). Failure names the overused links and the
//!   channels on them.
//! - **Traffic and roofline** (`traffic.rs`, `roofline.rs`): closed-form
//!   byte counts and the two classic roofs (unit peak × PEs; shim bandwidth
//!   × shims), with the achieved fraction of a simulated run.
//! - **Pictures** (`svg/`): hand-written SVG and a small well-formedness
//!   checker for tests.
//! - **Demo** (`demo.rs`): a placed and routed 3-stage pipeline streaming
//!   over the NoC versus the same stages through off-chip memory, on the
//!   simulator; `examples/sim_map_report.rs` prints it and writes pictures.
//!
//! **Invariant:** every result is a function of its inputs and the
//! configuration (seeds included): no hashing, host time or thread order.
//!
//! **Invariant:** bad input (a task too large for a PE, a region outside
//! the grid, a cyclic graph, a channel wider than a link) is an error value
//! naming the offending item, never a panic.

pub mod anneal;
pub mod channels;
pub mod demo;
pub mod kernel_graph;
pub mod mesh;
pub mod placement;
pub mod problem;
pub mod regions;
pub mod rng;
pub mod roofline;
pub mod route;
pub mod svg;
pub mod traffic;

pub use anneal::{place, AnnealConfig, PlaceResult};
pub use channels::{plan_channels, Channel, ChannelKind, ChannelPlan};
pub use demo::{run_pipeline_demo, PipelineOutcome, RunSummary};
pub use kernel_graph::{GraphError, Kernel, KernelGraph, KernelId, Stream, Unit};
pub use mesh::{Link, Mesh, Rect};
pub use placement::{Cost, CostModel, Placement};
pub use problem::{Edge, Endpoint, PlaceError, PlacementProblem, Task, TaskId};
pub use regions::{assign_regions, Regions};
pub use roofline::{Bound, Limiter, Roofline};
pub use route::{route, Overuse, Route, RouteConfig, RouteError, Routes};
pub use svg::{check_svg, mesh_svg, schedule_svg, MeshPicture};
pub use traffic::{traffic, KernelTraffic, TrafficReport};
