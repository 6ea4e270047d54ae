//! The cases, one module per family of primitives (as DESIGN.md §3 groups
//! them), plus the tutorials.

pub mod atomics;
pub mod block_ptr;
pub mod cast;
pub mod control;
pub mod creation;
pub mod dot;
pub mod dtypes;
pub mod functions;
pub mod hints_debug;
pub mod math;
pub mod math_more;
pub mod memory;
pub mod operators;
pub mod program;
pub mod promotion;
pub mod reduce;
pub mod reduce_scan_combine;
pub mod scan;
pub mod shape;
pub mod shape_more;
pub mod tutorials;
