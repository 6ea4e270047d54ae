//! Value representation: how a lowered-IR value lives in Cranelift values.
//!
//! Lowered IR has scalars and vectors of exactly one length `L` (the function's
//! `lanes`). A value is kept as a list of *parts*, all of one Cranelift type:
//!
//! - a scalar is one part;
//! - a vector whose lanes fill whole 128-bit registers (`L × lane bytes` a
//!   multiple of 16, for a lane type Cranelift vectorizes) is `L × bytes / 16`
//!   native SIMD parts (`f32x4`, `i32x4`, `i64x2`, `f64x2`, `i16x8`, `i8x16`);
//! - any other vector is `L` scalar parts, one per lane.
//!
//! Register lane types: integers of the same width share one Cranelift type
//! (signedness lives in the IR dtype and picks the instruction); `f16` and
//! `bf16` are held in `f32`, rounded back after every op (see
//! [`super::half`]); pointers are `i64` addresses; a buffer is the `i64`
//! address of its first element.
//!
//! `i1` is special. A scalar `i1` is an `i8` holding 0 or 1 (what `icmp`
//! gives). An `i1` vector is a *lane mask*: when `L` is a power of two ≥ 2,
//! one native vector of `128 / L`-bit lanes (at least 8) holding all-ones or
//! zero, so that a 4-lane `f32`/`i32` compare produces the mask directly and
//! `select` is a `bitselect`; otherwise `L` scalar `i8` 0/1 parts.

use cranelift_codegen::ir::types::{self, Type as ClType};
use persim_lang::ir::{Dtype, Elem, Type};

/// How one IR value maps to Cranelift values. See the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Cranelift type of one lane.
    pub lane: ClType,
    /// Number of lanes (1 for scalars).
    pub lanes: u32,
    /// Lanes per part: 1 for scalar parts, else the native vector's lane count.
    pub per_part: u32,
    /// The value is an `i1` lane mask (all-ones/zero lanes when native).
    pub mask: bool,
}

/// The Cranelift register type holding one element of `elem`.
pub(crate) fn lane_type(elem: Elem) -> ClType {
    match elem {
        Elem::Ptr(_) => types::I64,
        Elem::Val(d) => dtype_lane(d),
    }
}

pub(crate) fn dtype_lane(d: Dtype) -> ClType {
    match d {
        Dtype::I1 | Dtype::I8 | Dtype::U8 => types::I8,
        Dtype::I16 | Dtype::U16 => types::I16,
        Dtype::I32 | Dtype::U32 => types::I32,
        Dtype::I64 | Dtype::U64 => types::I64,
        Dtype::F16 | Dtype::BF16 | Dtype::F32 => types::F32,
        Dtype::F64 => types::F64,
    }
}

impl Layout {
    pub fn scalar(lane: ClType) -> Layout {
        Layout {
            lane,
            lanes: 1,
            per_part: 1,
            mask: false,
        }
    }

    /// The layout of a value of IR type `ty`; `Err` for shapes lowered IR
    /// cannot have (rank above 1).
    pub fn of(ty: &Type) -> Result<Layout, String> {
        let (elem, shape) = match ty {
            Type::Buf { .. } => return Ok(Layout::scalar(types::I64)),
            Type::Tile { elem, shape } => (*elem, shape),
        };
        match shape.as_slice() {
            [] => Ok(Layout::scalar(lane_type(elem))),
            &[lanes] => Ok(Layout::vector(elem, lanes)),
            _ => Err(format!(
                "{ty} is not lowered: lowered IR has only scalars and 1-D vectors"
            )),
        }
    }

    /// Layout of a vector of `lanes` elements of `elem`.
    pub fn vector(elem: Elem, lanes: u32) -> Layout {
        if elem == Elem::Val(Dtype::I1) {
            return Layout::mask(lanes);
        }
        let lane = lane_type(elem);
        let per_part = 16 / lane.bytes();
        if lanes >= per_part && lanes.is_multiple_of(per_part) {
            Layout {
                lane,
                lanes,
                per_part,
                mask: false,
            }
        } else {
            Layout {
                lane,
                lanes,
                per_part: 1,
                mask: false,
            }
        }
    }

    /// The canonical lane-mask layout for `lanes` lanes.
    pub fn mask(lanes: u32) -> Layout {
        if lanes >= 2 && lanes.is_power_of_two() {
            let bits = (128 / lanes).max(8);
            let lane = ClType::int(bits as u16).expect("8..=64-bit lanes");
            Layout {
                lane,
                lanes,
                per_part: 128 / bits,
                mask: true,
            }
        } else {
            Layout {
                lane: types::I8,
                lanes,
                per_part: 1,
                mask: true,
            }
        }
    }

    /// Whether parts are native SIMD vectors.
    pub fn is_native(&self) -> bool {
        self.per_part > 1
    }

    pub fn parts(&self) -> usize {
        (self.lanes / self.per_part) as usize
    }

    /// Cranelift type of each part.
    pub fn part_type(&self) -> ClType {
        if self.per_part > 1 {
            self.lane.by(self.per_part).expect("128-bit vector type")
        } else {
            self.lane
        }
    }

    /// Same lanes and part structure: parts correspond one to one.
    pub fn same_shape(&self, other: &Layout) -> bool {
        self.lanes == other.lanes && self.per_part == other.per_part
    }
}
