//! Frontend values: what an expression evaluates to while the frontend
//! lowers a kernel.
//!
//! A value is either an IR value (absent during the build-time check, which
//! builds no IR) or a compile-time constant. Constants are kept out of the IR
//! until an op needs them so that literals can stay *weak* (take the type of
//! the other operand, as Python scalars do in Triton) and so that
//! `BLOCK * 2`-style arithmetic folds into shapes and `arange` bounds.

use super::aggregate::Aggregate;
use super::ty::TileTy;
use crate::ir::{self, Dtype};
use proc_macro2::Span;
use smallvec::SmallVec;

/// A compile-time constant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Konst {
    /// Any integer type; always within the range of the value's data type
    /// (`i128` holds both `i64` and `u64`).
    Int(i128),
    /// Float types, rounded to the value's data type unless the constant is
    /// weak (a weak literal keeps full `f64` precision until its type is known).
    Float(f64),
    Bool(bool),
    /// Depends on a constexpr whose value is not known (build-time check only).
    Unknown,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Repr {
    /// A compile-time scalar. `weak` marks an unsuffixed literal (or an
    /// expression of only such literals): it adopts the other operand's type.
    Const { value: Konst, weak: bool },
    /// A runtime value: the IR value that holds it, or `None` when no IR is
    /// being built (the build-time check, or a dry run of a loop body).
    Dyn(Option<ir::Value>),
    /// A frontend-only value made of several (a tuple, a block pointer);
    /// see [`super::aggregate`]. It has no IR type of its own.
    Aggregate(Box<Aggregate>),
}

/// The kernel parameters (by IR parameter index) a pointer value may derive
/// from; empty for data values. Kept sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance(SmallVec<[u32; 2]>);

impl Provenance {
    pub fn param(index: u32) -> Provenance {
        Provenance(smallvec::smallvec![index])
    }

    pub fn none() -> Provenance {
        Provenance::default()
    }

    /// The single parameter every pointer derives from, if there is one.
    pub fn single(&self) -> Option<u32> {
        match self.0.as_slice() {
            [i] => Some(*i),
            _ => None,
        }
    }

    pub fn params(&self) -> &[u32] {
        &self.0
    }

    pub fn union(&self, other: &Provenance) -> Provenance {
        let mut v = self.0.clone();
        for &p in &other.0 {
            if let Err(at) = v.binary_search(&p) {
                v.insert(at, p);
            }
        }
        Provenance(v)
    }

    pub fn contains_all(&self, other: &Provenance) -> bool {
        other.0.iter().all(|p| self.0.binary_search(p).is_ok())
    }
}

/// A lowered expression.
#[derive(Clone, Debug)]
pub struct Val {
    pub ty: TileTy,
    pub repr: Repr,
    pub prov: Provenance,
    /// The expression the value comes from, for diagnostics about it.
    pub span: Span,
}

impl Val {
    pub fn constant(dtype: Dtype, value: Konst, weak: bool, span: Span) -> Val {
        Val {
            ty: TileTy::scalar(dtype),
            repr: Repr::Const { value, weak },
            prov: Provenance::none(),
            span,
        }
    }

    pub fn dynamic(ty: TileTy, value: Option<ir::Value>, prov: Provenance, span: Span) -> Val {
        Val {
            ty,
            repr: Repr::Dyn(value),
            prov,
            span,
        }
    }

    pub fn konst(&self) -> Option<Konst> {
        match self.repr {
            Repr::Const { value, .. } => Some(value),
            Repr::Dyn(_) | Repr::Aggregate(_) => None,
        }
    }

    pub fn is_const(&self) -> bool {
        matches!(self.repr, Repr::Const { .. })
    }

    pub fn is_weak(&self) -> bool {
        matches!(self.repr, Repr::Const { weak: true, .. })
    }

    pub fn dtype(&self) -> Option<Dtype> {
        self.ty.dtype()
    }

    pub fn with_span(mut self, span: Span) -> Val {
        self.span = span;
        self
    }
}
