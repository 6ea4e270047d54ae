//! The persim language: types, the kernel IR, its verifier and text format,
//! the frontend (Rust syntax → IR) and the mid-end passes.
//!
//! Architecture invariant: this crate knows nothing of any backend.

pub mod debug;
pub mod front;
pub mod interp;
pub mod ir;
pub mod passes;
pub mod target;
