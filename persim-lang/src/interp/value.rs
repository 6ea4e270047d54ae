//! Run-time values of the interpreter.
//!
//! Values are kept in their mathematical form (an integer, a float, a pointer
//! with its provenance) rather than as raw bits, so every op's semantics reads
//! as arithmetic and every memory access knows which argument it touches.

use crate::ir::{Elem, Shape};

/// An address in global memory: the pointer parameter it derives from and a
/// byte offset into that parameter's memory.
///
/// Provenance is explicit (not a flat address) so that an out-of-bounds
/// access can always name the argument, even when the offset is wildly off.
/// Offsets wrap at 64 bits, as hardware address arithmetic does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pointer {
    /// Index of the kernel parameter (in `Function::params`).
    pub arg: u32,
    /// Offset in bytes from the start of that parameter's memory.
    pub offset: i64,
}

/// One element of a tile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    /// An integer or `i1` as its value in the element type's range: signed
    /// types sign-extended, unsigned types and `i1` zero-extended.
    Int(i128),
    /// A float as the `f64` that holds the element type's value exactly.
    Float(f64),
    /// A pointer element.
    Ptr(Pointer),
    /// The unspecified contents of local memory that was never written, such
    /// as the padded lanes of a lowered buffer. Ops propagate it; a program
    /// that lets it decide anything observable (a stored value, an address, a
    /// mask, a branch) is rejected, which is how the interpreter checks that
    /// padded lanes are never observed.
    Undef,
}

impl Scalar {
    pub fn as_int(self) -> Option<i128> {
        match self {
            Scalar::Int(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_float(self) -> Option<f64> {
        match self {
            Scalar::Float(x) => Some(x),
            _ => None,
        }
    }

    pub fn is_undef(self) -> bool {
        matches!(self, Scalar::Undef)
    }
}

/// A tile value: row-major elements of a static shape (rank 0 = scalar).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Tile {
    pub shape: Shape,
    pub data: Vec<Scalar>,
}

impl Tile {
    pub fn scalar(x: Scalar) -> Tile {
        Tile {
            shape: Shape::new(),
            data: vec![x],
        }
    }

    pub fn vector(data: Vec<Scalar>) -> Tile {
        Tile {
            shape: Shape::from_slice(&[data.len() as u32]),
            data,
        }
    }
}

/// A buffer in the program instance's local memory (lowered IR only).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct BufRef {
    /// Byte offset in local memory.
    pub offset: usize,
    /// Number of elements.
    pub len: u32,
    pub elem: Elem,
}

/// What an SSA value holds at run time.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RtValue {
    Tile(Tile),
    Buf(BufRef),
}
