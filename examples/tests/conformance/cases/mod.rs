//! The cases, one module per family of primitives (as DESIGN.md §3 groups
//! them), plus the tutorials.

pub mod cast;
pub mod control;
pub mod creation;
pub mod dot;
pub mod functions;
pub mod math;
pub mod memory;
pub mod operators;
pub mod program;
pub mod promotion;
pub mod reduce;
pub mod reduce_scan_combine;
pub mod shape;
pub mod tutorials;
