//! Types of the kernel IR.
//!
//! A kernel value is a *tile*: a static-shape array of one element kind. A
//! scalar is simply a tile of rank 0, so every elementwise op has one typing
//! rule for scalars and tiles alike. After lowering, a second kind appears: a
//! *buffer* in a program instance's local memory.

use smallvec::SmallVec;
use std::fmt;

/// Element data types, named as in Triton (`i1` is Rust's `bool`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dtype {
    I1,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F16,
    BF16,
    F32,
    F64,
}

impl Dtype {
    pub const ALL: [Dtype; 13] = [
        Dtype::I1,
        Dtype::I8,
        Dtype::I16,
        Dtype::I32,
        Dtype::I64,
        Dtype::U8,
        Dtype::U16,
        Dtype::U32,
        Dtype::U64,
        Dtype::F16,
        Dtype::BF16,
        Dtype::F32,
        Dtype::F64,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dtype::I1 => "i1",
            Dtype::I8 => "i8",
            Dtype::I16 => "i16",
            Dtype::I32 => "i32",
            Dtype::I64 => "i64",
            Dtype::U8 => "u8",
            Dtype::U16 => "u16",
            Dtype::U32 => "u32",
            Dtype::U64 => "u64",
            Dtype::F16 => "f16",
            Dtype::BF16 => "bf16",
            Dtype::F32 => "f32",
            Dtype::F64 => "f64",
        }
    }

    pub fn from_name(s: &str) -> Option<Dtype> {
        Dtype::ALL.into_iter().find(|d| d.name() == s)
    }

    /// Size of one element in memory. `i1` is stored as one byte.
    pub fn size_bytes(self) -> u32 {
        match self {
            Dtype::I1 | Dtype::I8 | Dtype::U8 => 1,
            Dtype::I16 | Dtype::U16 | Dtype::F16 | Dtype::BF16 => 2,
            Dtype::I32 | Dtype::U32 | Dtype::F32 => 4,
            Dtype::I64 | Dtype::U64 | Dtype::F64 => 8,
        }
    }

    /// Width in bits of the value (1 for `i1`).
    pub fn bits(self) -> u32 {
        match self {
            Dtype::I1 => 1,
            d => d.size_bytes() * 8,
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, Dtype::F16 | Dtype::BF16 | Dtype::F32 | Dtype::F64)
    }

    pub fn is_int(self) -> bool {
        !self.is_float() && self != Dtype::I1
    }

    pub fn is_signed_int(self) -> bool {
        matches!(self, Dtype::I8 | Dtype::I16 | Dtype::I32 | Dtype::I64)
    }

    pub fn is_unsigned_int(self) -> bool {
        matches!(self, Dtype::U8 | Dtype::U16 | Dtype::U32 | Dtype::U64)
    }

    pub fn is_bool(self) -> bool {
        self == Dtype::I1
    }
}

impl fmt::Display for Dtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What one element of a tile is: a data value, or an address in global memory
/// of a data value. Pointers carry no mutability: that is a property of the
/// kernel parameter they come from (see [`crate::ir::Param`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Elem {
    Val(Dtype),
    Ptr(Dtype),
}

impl Elem {
    /// Size in memory; pointers are 64-bit addresses.
    pub fn size_bytes(self) -> u32 {
        match self {
            Elem::Val(d) => d.size_bytes(),
            Elem::Ptr(_) => 8,
        }
    }

    pub fn dtype(self) -> Option<Dtype> {
        match self {
            Elem::Val(d) => Some(d),
            Elem::Ptr(_) => None,
        }
    }

    pub fn pointee(self) -> Option<Dtype> {
        match self {
            Elem::Ptr(d) => Some(d),
            Elem::Val(_) => None,
        }
    }

    pub fn is_ptr(self) -> bool {
        matches!(self, Elem::Ptr(_))
    }
}

impl fmt::Display for Elem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Elem::Val(d) => write!(f, "{d}"),
            Elem::Ptr(d) => write!(f, "ptr<{d}>"),
        }
    }
}

/// A static tile shape, outermost dimension first (row-major). Empty for scalars.
pub type Shape = SmallVec<[u32; 4]>;

/// Number of elements of a shape (1 for scalars). Saturates at `u64::MAX`
/// so that absurd shapes from parsed text or attributes cannot overflow.
pub fn numel(shape: &[u32]) -> u64 {
    shape.iter().fold(1u64, |n, &d| n.saturating_mul(d as u64))
}

/// The type of an IR value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// A tile of static shape; rank 0 is a scalar.
    Tile { elem: Elem, shape: Shape },
    /// A buffer of `len` elements in a program instance's local memory. Only
    /// lowered IR has buffers.
    Buf { elem: Elem, len: u32 },
}

impl Type {
    pub fn scalar(d: Dtype) -> Type {
        Type::Tile {
            elem: Elem::Val(d),
            shape: Shape::new(),
        }
    }

    pub fn ptr(d: Dtype) -> Type {
        Type::Tile {
            elem: Elem::Ptr(d),
            shape: Shape::new(),
        }
    }

    pub fn tile(elem: Elem, shape: &[u32]) -> Type {
        Type::Tile {
            elem,
            shape: Shape::from_slice(shape),
        }
    }

    pub fn buf(elem: Elem, len: u32) -> Type {
        Type::Buf { elem, len }
    }

    pub fn elem(&self) -> Elem {
        match self {
            Type::Tile { elem, .. } | Type::Buf { elem, .. } => *elem,
        }
    }

    /// A buffer's size in bytes; `None` for a tile.
    pub fn buf_bytes(&self) -> Option<u64> {
        match self {
            Type::Buf { elem, len } => Some(u64::from(*len) * u64::from(elem.size_bytes())),
            Type::Tile { .. } => None,
        }
    }

    /// The tile shape; buffers have none.
    pub fn shape(&self) -> Option<&[u32]> {
        match self {
            Type::Tile { shape, .. } => Some(shape),
            Type::Buf { .. } => None,
        }
    }

    pub fn is_scalar(&self) -> bool {
        matches!(self, Type::Tile { shape, .. } if shape.is_empty())
    }

    pub fn is_tile(&self) -> bool {
        matches!(self, Type::Tile { .. })
    }

    pub fn is_buf(&self) -> bool {
        matches!(self, Type::Buf { .. })
    }

    pub fn rank(&self) -> usize {
        self.shape().map_or(0, <[u32]>::len)
    }

    pub fn numel(&self) -> u64 {
        match self {
            Type::Tile { shape, .. } => numel(shape),
            Type::Buf { len, .. } => *len as u64,
        }
    }

    /// Same shape, other element kind.
    pub fn with_elem(&self, elem: Elem) -> Type {
        match self {
            Type::Tile { shape, .. } => Type::Tile {
                elem,
                shape: shape.clone(),
            },
            Type::Buf { len, .. } => Type::Buf { elem, len: *len },
        }
    }

    /// Data type of the elements, if they are values (not pointers).
    pub fn dtype(&self) -> Option<Dtype> {
        self.elem().dtype()
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Tile { elem, shape } if shape.is_empty() => write!(f, "{elem}"),
            Type::Tile { elem, shape } => {
                f.write_str("tile<")?;
                for d in shape {
                    write!(f, "{d}x")?;
                }
                write!(f, "{elem}>")
            }
            Type::Buf { elem, len } => write!(f, "buf<{len}x{elem}>"),
        }
    }
}
