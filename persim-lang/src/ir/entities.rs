//! Entity references: `u32` indices into a [`crate::ir::Function`]'s arenas.
//!
//! A *region* of a structured op (the body of a `for`, a branch of an `if`) is
//! exactly one [`Block`] with arguments: persim has no unstructured control
//! flow, so MLIR's region/block split would only add an index with nothing to
//! index.

use cranelift_entity::entity_impl;

/// An SSA value: an op result or a block argument.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Value(u32);
entity_impl!(Value, "%");

/// An operation.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Op(u32);
entity_impl!(Op, "op");

/// A block: an ordered list of ops with arguments; also a region.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Block(u32);
entity_impl!(Block, "^bb");
