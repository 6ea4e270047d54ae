//! Frontend types: IR tile types whose dimensions may be unknown.
//!
//! At `cargo build` the macro checks a kernel before any constexpr value is
//! known, so `arange(0, BLOCK)` has a dimension nobody can name yet. Element
//! types and ranks never depend on constexpr values and are always known; a
//! [`Dim::Unknown`] only appears in that build-time check. At launch every
//! dimension is known and a [`TileTy`] converts to an IR [`Type`].

use crate::ir::{Dtype, Elem, Shape, Type};
use smallvec::SmallVec;
use std::fmt;

/// One tile dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dim {
    Known(u32),
    /// Depends on a constexpr whose value is not known yet (build-time check).
    Unknown,
}

impl Dim {
    pub fn known(self) -> Option<u32> {
        match self {
            Dim::Known(n) => Some(n),
            Dim::Unknown => None,
        }
    }

    /// Whether two dimensions may be equal: equal if both are known.
    pub fn agrees(self, other: Dim) -> bool {
        match (self, other) {
            (Dim::Known(a), Dim::Known(b)) => a == b,
            _ => true,
        }
    }
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dim::Known(n) => write!(f, "{n}"),
            Dim::Unknown => f.write_str("?"),
        }
    }
}

pub type Dims = SmallVec<[Dim; 4]>;

/// The frontend's view of a value's type: element kind and dimensions
/// (empty for scalars).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TileTy {
    pub elem: Elem,
    pub dims: Dims,
}

impl TileTy {
    pub fn new(elem: Elem, dims: &[Dim]) -> TileTy {
        TileTy {
            elem,
            dims: Dims::from_slice(dims),
        }
    }

    pub fn scalar(d: Dtype) -> TileTy {
        TileTy::new(Elem::Val(d), &[])
    }

    pub fn ptr(d: Dtype) -> TileTy {
        TileTy::new(Elem::Ptr(d), &[])
    }

    pub fn rank(&self) -> usize {
        self.dims.len()
    }

    pub fn is_scalar(&self) -> bool {
        self.dims.is_empty()
    }

    pub fn is_ptr(&self) -> bool {
        self.elem.is_ptr()
    }

    /// The data type, `None` for pointers.
    pub fn dtype(&self) -> Option<Dtype> {
        self.elem.dtype()
    }

    pub fn with_elem(&self, elem: Elem) -> TileTy {
        TileTy {
            elem,
            dims: self.dims.clone(),
        }
    }

    pub fn with_dtype(&self, d: Dtype) -> TileTy {
        self.with_elem(Elem::Val(d))
    }

    pub fn with_dims(&self, dims: &[Dim]) -> TileTy {
        TileTy::new(self.elem, dims)
    }

    /// Same element kind and rank, and every dimension known on both sides
    /// equal: the types may turn out equal once constexprs are known.
    pub fn agrees(&self, other: &TileTy) -> bool {
        self.elem == other.elem
            && self.rank() == other.rank()
            && self.dims.iter().zip(&other.dims).all(|(a, b)| a.agrees(*b))
    }

    /// The IR type; `None` while a dimension is unknown.
    pub fn to_ir(&self) -> Option<Type> {
        let shape: Option<Shape> = self.dims.iter().map(|d| d.known()).collect();
        Some(Type::Tile {
            elem: self.elem,
            shape: shape?,
        })
    }

    pub fn from_ir(t: &Type) -> Option<TileTy> {
        match t {
            Type::Tile { elem, shape } => Some(TileTy {
                elem: *elem,
                dims: shape.iter().map(|&d| Dim::Known(d)).collect(),
            }),
            Type::Buf { .. } => None,
        }
    }
}

/// Printed like IR types (`f32`, `ptr<f16>`, `tile<16x?xf32>`), with `?`
/// for an unknown dimension.
impl fmt::Display for TileTy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dims.is_empty() {
            return write!(f, "{}", self.elem);
        }
        f.write_str("tile<")?;
        for d in &self.dims {
            write!(f, "{d}x")?;
        }
        write!(f, "{}>", self.elem)
    }
}

/// Dimensions printed as a list, `[16, ?]`, for shape diagnostics.
pub fn dims_to_string(dims: &[Dim]) -> String {
    let parts: Vec<String> = dims.iter().map(Dim::to_string).collect();
    format!("[{}]", parts.join(", "))
}
