//! How a tile lives after lowering: its representation and, for buffers, its
//! memory layout.
//!
//! Layout is row-major with the innermost dimension padded to a multiple of
//! the lane count `L`, so that every row starts on a vector boundary and a row
//! is a whole number of `[L]` chunks. The price is padded lanes at the end of
//! each row when the innermost dimension is not a multiple of `L`; their
//! contents are unspecified and every op that could observe them masks them.
//!
//! A target may ask for rows padded further, to a power of two elements
//! (`Target::pow2_rows`): the pitch becomes the next power of two of the
//! innermost dimension (at least one vector). The rows are then *sparse*:
//! whole chunks at the end of each row hold no element, and loops over a
//! tile's data visit rows × data chunks instead of the flat buffer
//! (`Layout::dense`).

use super::emit::Ix;
use crate::ir::{Shape, Value};

/// The canonical buffer layout of a tile shape of rank >= 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Layout {
    shape: Shape,
    lanes: u32,
    pow2_rows: bool,
}

impl Layout {
    pub fn new(shape: &[u32], lanes: u32) -> Layout {
        Layout {
            shape: Shape::from_slice(shape),
            lanes,
            pow2_rows: false,
        }
    }

    /// The layout with rows padded to a power of two elements.
    pub fn pow2_rows(self, on: bool) -> Layout {
        Layout {
            pow2_rows: on,
            ..self
        }
    }

    /// Innermost dimension (1 for a scalar).
    pub fn last(&self) -> u32 {
        self.shape.last().copied().unwrap_or(1)
    }

    /// The dimensions before the innermost one.
    pub fn outer(&self) -> &[u32] {
        &self.shape[..self.shape.len().saturating_sub(1)]
    }

    /// Elements per row in memory: the innermost dimension rounded up to a
    /// multiple of the lane count (and, for `pow2_rows`, to a power of two
    /// first; with a lane count that is not a power of two the result is
    /// the multiple of it above that power of two).
    pub fn pitch(&self) -> u64 {
        let lanes = u64::from(self.lanes);
        let last = u64::from(self.last());
        let last = if self.pow2_rows {
            last.next_power_of_two()
        } else {
            last
        };
        last.div_ceil(lanes) * lanes
    }

    /// Chunks of a row that hold at least one element.
    pub fn data_chunks(&self) -> u32 {
        self.last().div_ceil(self.lanes)
    }

    /// Whether every chunk of the buffer holds data, so a loop over the flat
    /// buffer visits exactly the data chunks.
    pub fn dense(&self) -> bool {
        self.pitch() == u64::from(self.data_chunks()) * u64::from(self.lanes)
    }

    /// Number of rows: the product of the outer dimensions. Saturates, so
    /// that absurd shapes reach the allocator's size check instead of
    /// overflowing.
    pub fn rows(&self) -> u64 {
        self.outer()
            .iter()
            .fold(1u64, |n, &d| n.saturating_mul(d.into()))
    }

    /// Buffer length in elements (saturating, as [`Layout::rows`]).
    pub fn len(&self) -> u64 {
        self.rows().saturating_mul(self.pitch())
    }

    /// Chunks of a row that hold `L` real elements.
    pub fn full_chunks(&self) -> u32 {
        self.last() / self.lanes
    }

    /// Real elements in the row's last chunk if it is partial, else 0.
    pub fn tail(&self) -> u32 {
        self.last() % self.lanes
    }

    /// Element offset per unit of each index: `offset(i) = Σ i_k·coef_k`.
    /// The innermost index counts elements; an outer one counts rows of
    /// `pitch` elements.
    pub fn coefs(&self) -> Vec<i64> {
        let pitch = self.pitch() as i64;
        let mut c: Vec<i64> = row_major_strides(self.outer())
            .into_iter()
            .map(|s| s * pitch)
            .collect();
        c.push(1);
        c
    }
}

/// Row-major strides of a shape, in units of its innermost element.
pub(super) fn row_major_strides(dims: &[u32]) -> Vec<i64> {
    let mut s = vec![1i64; dims.len()];
    for i in (0..dims.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * i64::from(dims[i + 1]);
    }
    s
}

/// What a source tile value became in the lowered function.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Repr {
    /// A rank-0 value: the same value, lowered.
    Scalar(Value),
    /// A tile of shape exactly `[L]`: one vector register.
    Vector(Value),
    /// A tile whose elements all equal a scalar. Nothing is stored; readers
    /// splat the scalar where they need a vector, so `x - splat(m)` costs no
    /// buffer and no fill loop.
    Splat { scalar: Value, shape: Shape },
    /// A tile in a local buffer, laid out as [`Layout`] says for `shape`.
    /// Two tiles of different shapes may share one buffer when their layouts
    /// agree (`expand_dims` before the last axis, some reshapes).
    Buf { buf: Value, shape: Shape },
    /// A rank-1 or rank-2 index or pointer tile kept as a formula
    /// (`Target::affine_tiles`, see `affine.rs`). Nothing is stored.
    Affine(AffineTile),
}

/// The tile whose element at index `i` is `offset + Σ_d i_d · strides[d]`
/// (`i32`), or that many elements past the pointer `base` (a pointer
/// tile). Offsets and strides are `i32` scalars of the lowered function
/// or constants.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct AffineTile {
    pub base: Option<Value>,
    pub offset: Ix,
    pub strides: Vec<Ix>,
    pub shape: Shape,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_padded_to_whole_vectors() {
        let l = Layout::new(&[3, 5, 7], 4);
        assert_eq!((l.rows(), l.pitch(), l.len()), (15, 8, 120));
        assert_eq!((l.full_chunks(), l.tail()), (1, 3));
        assert_eq!(l.coefs(), vec![40, 8, 1]);
        let v = Layout::new(&[16], 16);
        assert_eq!((v.rows(), v.pitch(), v.tail()), (1, 16, 0));
        let sparse = Layout::new(&[3, 5], 4).pow2_rows(true);
        assert_eq!(
            (sparse.pitch(), sparse.data_chunks(), sparse.dense()),
            (8, 2, true)
        );
        let sparse = Layout::new(&[2, 9], 4).pow2_rows(true);
        assert_eq!(
            (sparse.pitch(), sparse.data_chunks(), sparse.dense()),
            (16, 3, false)
        );
        assert_eq!(Layout::new(&[1000], 4).pow2_rows(true).pitch(), 1024);
        assert_eq!(Layout::new(&[3], 4).pow2_rows(true).pitch(), 4);
        let one = Layout::new(&[7], 1);
        assert_eq!((one.pitch(), one.full_chunks(), one.tail()), (7, 7, 0));
    }
}
