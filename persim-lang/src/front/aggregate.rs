//! Frontend-only values made of several values: tuples and block pointers.
//!
//! Neither has an IR type, so neither ever reaches the IR as one value.
//! A *tuple* only lives between a call returning several tiles (`split`)
//! and the `let (a, b) = ..` that takes it apart. A *block pointer*
//! (Triton's `make_block_ptr`) is the scalars describing a block of a
//! tensor in memory; `load` and `store` expand it into a tile of pointers and
//! a boundary mask (see `primitives::block_ptr`). Keeping it in the frontend
//! costs the mid-end nothing: what it sees is ordinary pointer arithmetic,
//! which it already lowers, proves masks of and fuses.
//!
//! `lower_value` refuses aggregates, so operators and primitives never see
//! one by accident; only `let`, assignment, the block-pointer primitives and
//! control flow handle them. Control flow carries a block pointer as its
//! offsets alone (the IR values it is made of that `advance` changes): its
//! base, shape, strides, block shape and order are fixed when it is made, so
//! a loop or `if` may move it with `advance` but not rebuild it
//! ([`check_carried`]).

use super::diag::Diagnostic;
use super::ty::{dims_to_string, Dims, TileTy};
use super::value::{Repr, Val};
use crate::ir::{Dtype, Elem};
use proc_macro2::Span;
use std::sync::atomic::{AtomicU32, Ordering};

// Always boxed (in `Repr::Aggregate`), so the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Aggregate {
    Tuple(Vec<Val>),
    BlockPtr(BlockPtr),
}

/// A block of a tensor in global memory: `block` elements starting at
/// `offsets` of a tensor of `shape` elements whose dimension `d` advances
/// `strides[d]` elements, at `base`. (Triton's `order` is checked when the
/// block pointer is made and not kept: it is a layout hint for Triton's GPU
/// code generator, and persim's layout is its own.)
#[derive(Clone, Debug)]
pub struct BlockPtr {
    /// Which `make_block_ptr` evaluation this is; `advance` keeps it. Loops
    /// and `if`s compare it to tell an advanced block pointer from a new one.
    pub id: u32,
    pub base: Val,
    pub shape: Vec<Val>,
    pub strides: Vec<Val>,
    /// `i32` scalars, one per dimension.
    pub offsets: Vec<Val>,
    pub block: Dims,
}

impl PartialEq for BlockPtr {
    /// The same block pointer at the same offsets.
    fn eq(&self, other: &BlockPtr) -> bool {
        self.id == other.id
            && self.offsets.len() == other.offsets.len()
            && self
                .offsets
                .iter()
                .zip(&other.offsets)
                .all(|(a, b)| a.ty == b.ty && a.repr == b.repr)
    }
}

impl PartialEq for Val {
    fn eq(&self, other: &Val) -> bool {
        self.ty == other.ty && self.repr == other.repr && self.prov == other.prov
    }
}

static NEXT_ID: AtomicU32 = AtomicU32::new(0);

impl BlockPtr {
    /// A fresh identity for a block pointer being made.
    pub fn new_id() -> u32 {
        NEXT_ID.fetch_add(1, Ordering::Relaxed)
    }

    pub fn rank(&self) -> usize {
        self.block.len()
    }

    pub fn pointee(&self) -> Dtype {
        self.base
            .ty
            .elem
            .pointee()
            .expect("a block pointer's base is a pointer")
    }

    /// `block pointer to f32 with block [16, 32]`, for messages.
    pub fn describe(&self) -> String {
        format!(
            "block pointer to `{}` with block {}",
            super::dtype_syntax::source_name(self.pointee()),
            dims_to_string(&self.block)
        )
    }
}

impl Val {
    pub fn tuple(items: Vec<Val>, span: Span) -> Val {
        let ty = items
            .first()
            .map_or_else(|| TileTy::scalar(Dtype::I1), |v| v.ty.clone());
        Val {
            ty,
            repr: Repr::Aggregate(Box::new(Aggregate::Tuple(items))),
            prov: Default::default(),
            span,
        }
    }

    /// A block pointer value. Its `ty` (pointers shaped like the block) and
    /// provenance (the base's) describe what loading it dereferences.
    pub fn block_ptr(bp: BlockPtr, span: Span) -> Val {
        Val {
            ty: TileTy::new(Elem::Ptr(bp.pointee()), &bp.block),
            prov: bp.base.prov.clone(),
            repr: Repr::Aggregate(Box::new(Aggregate::BlockPtr(bp))),
            span,
        }
    }

    pub fn as_block_ptr(&self) -> Option<&BlockPtr> {
        match &self.repr {
            Repr::Aggregate(a) => match &**a {
                Aggregate::BlockPtr(bp) => Some(bp),
                Aggregate::Tuple(_) => None,
            },
            _ => None,
        }
    }

    pub fn as_tuple(&self) -> Option<&[Val]> {
        match &self.repr {
            Repr::Aggregate(a) => match &**a {
                Aggregate::Tuple(items) => Some(items),
                Aggregate::BlockPtr(_) => None,
            },
            _ => None,
        }
    }

    pub fn is_aggregate(&self) -> bool {
        matches!(self.repr, Repr::Aggregate(_))
    }

    /// The values this value is carried as through control flow: itself,
    /// or a block pointer's offsets.
    pub fn parts(&self) -> Vec<Val> {
        match self.as_block_ptr() {
            Some(bp) => bp.offsets.clone(),
            None => vec![self.clone()],
        }
    }

    /// This value with its [`Val::parts`] replaced by the next ones of
    /// `parts`.
    pub fn with_parts(&self, parts: &mut impl Iterator<Item = Val>) -> Val {
        match self.as_block_ptr() {
            Some(bp) => {
                let mut bp = bp.clone();
                for o in bp.offsets.iter_mut() {
                    *o = parts.next().expect("one part per offset");
                }
                Val::block_ptr(bp, self.span)
            }
            None => parts.next().expect("one part per value"),
        }
    }

    /// Why this value cannot be used as a single value, if it is an
    /// aggregate.
    pub fn aggregate_misuse(&self) -> Option<String> {
        if let Some(bp) = self.as_block_ptr() {
            return Some(format!(
                "this is a {}, not a tile: read it with `load(bp, [..])`, write it with \
                 `store(bp, value, [..])`, move it with `advance(bp, [..])`",
                bp.describe()
            ));
        }
        self.as_tuple().map(|items| {
            format!(
                "this is a tuple of {} tiles: take it apart with `let (a, b) = ..;`",
                items.len()
            )
        })
    }
}

/// Check that `v`, the value of variable `name` at the end of a loop body or
/// an `if` branch, can be carried where it held `init`: a tile for a tile;
/// for a block pointer, the same block pointer, perhaps advanced.
pub fn check_carried(init: &Val, v: &Val, name: &str, span: Span) -> Result<(), Diagnostic> {
    match (init.as_block_ptr(), v.as_block_ptr()) {
        (None, None) => Ok(()),
        (Some(a), Some(b)) if a.id == b.id => Ok(()),
        (Some(_), Some(_)) => Err(Diagnostic::new(
            span,
            format!(
                "block pointer `{name}` is made anew in a loop or `if`: there it can only be \
                 moved with `{name} = advance({name}, [..])` (its base, shape and strides stay \
                 those it was made with)"
            ),
        )),
        _ => Err(Diagnostic::new(
            span,
            format!("`{name}` is a block pointer on one path and a tile on another"),
        )),
    }
}
