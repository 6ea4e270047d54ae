//! The mid-end: passes are free functions over the IR.

pub mod lower;
