//! Launch arguments: what a caller hands a kernel, checked against the
//! kernel's signature before anything runs.

use persim_lang::ir::Dtype;
use std::marker::PhantomData;

/// Rust element types that can back a kernel pointer parameter or be passed
/// as a scalar.
pub trait Element: Copy + Send + Sync + 'static {
    const DTYPE: Dtype;
    /// The value's bits, zero-extended, as the kernel ABI passes scalars.
    fn to_bits(self) -> u64;
}

macro_rules! element {
    ($($t:ty => $d:ident, |$x:ident| $bits:expr;)*) => {$(
        impl Element for $t {
            const DTYPE: Dtype = Dtype::$d;
            fn to_bits(self) -> u64 { let $x = self; $bits }
        }
    )*};
}

element! {
    bool => I1, |x| x as u64;
    i8 => I8, |x| x as u8 as u64;
    i16 => I16, |x| x as u16 as u64;
    i32 => I32, |x| x as u32 as u64;
    i64 => I64, |x| x as u64;
    u8 => U8, |x| x as u64;
    u16 => U16, |x| x as u64;
    u32 => U32, |x| x as u64;
    u64 => U64, |x| x;
    half::f16 => F16, |x| x.to_bits() as u64;
    half::bf16 => BF16, |x| x.to_bits() as u64;
    f32 => F32, |x| x.to_bits() as u64;
    f64 => F64, |x| x.to_bits();
}

/// One launch argument. Built only from Rust borrows (`From<&[T]>`,
/// `From<&mut [T]>`, `From<T>` for scalars) or through the `unsafe`
/// [`Arg::from_raw_parts`]: safe code cannot forge a slice, so the no-alias
/// guarantee of the borrow checker carries over to the kernel (ARCHITECTURE.md,
/// "Launch arguments never alias when one is written").
#[derive(Debug)]
pub struct Arg<'a> {
    value: ArgValue,
    _borrow: PhantomData<&'a mut [u8]>,
}

/// What an [`Arg`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgValue {
    /// A slice for a pointer parameter. `mutable` slices may be written.
    Slice {
        addr: u64,
        len: usize,
        dtype: Dtype,
        mutable: bool,
    },
    /// A scalar by value (its bits, zero-extended).
    Scalar { bits: u64, dtype: Dtype },
}

impl<'a> Arg<'a> {
    pub fn value(&self) -> &ArgValue {
        &self.value
    }

    /// A slice argument from raw parts.
    ///
    /// # Safety
    /// `addr` must point to `len` initialized elements of `dtype`, valid for
    /// reads (and, when `mutable`, for writes) for `'a`, and a mutable slice
    /// must overlap no other argument of the same launch.
    pub unsafe fn from_raw_parts(addr: u64, len: usize, dtype: Dtype, mutable: bool) -> Arg<'a> {
        Arg::new(ArgValue::Slice {
            addr,
            len,
            dtype,
            mutable,
        })
    }

    /// A scalar argument of type `dtype` from its bit pattern (the low
    /// `dtype.bits()` bits are used). Safe: a scalar names no memory.
    pub fn scalar_bits(dtype: Dtype, bits: u64) -> Arg<'a> {
        Arg::new(ArgValue::Scalar { bits, dtype })
    }

    fn new(value: ArgValue) -> Arg<'a> {
        Arg {
            value,
            _borrow: PhantomData,
        }
    }

    /// The argument's type as a kernel signature would spell it.
    pub fn describe(&self) -> String {
        match self.value {
            ArgValue::Slice {
                dtype,
                mutable: true,
                ..
            } => format!("&mut [{dtype}]"),
            ArgValue::Slice { dtype, .. } => format!("&[{dtype}]"),
            ArgValue::Scalar { dtype, .. } => dtype.to_string(),
        }
    }
}

impl<'a, T: Element> From<&'a [T]> for Arg<'a> {
    fn from(s: &'a [T]) -> Arg<'a> {
        Arg::new(ArgValue::Slice {
            addr: s.as_ptr() as u64,
            len: s.len(),
            dtype: T::DTYPE,
            mutable: false,
        })
    }
}

impl<'a, T: Element> From<&'a Vec<T>> for Arg<'a> {
    fn from(s: &'a Vec<T>) -> Arg<'a> {
        Arg::from(s.as_slice())
    }
}

impl<'a, T: Element> From<&'a mut [T]> for Arg<'a> {
    fn from(s: &'a mut [T]) -> Arg<'a> {
        Arg::new(ArgValue::Slice {
            addr: s.as_mut_ptr() as u64,
            len: s.len(),
            dtype: T::DTYPE,
            mutable: true,
        })
    }
}

impl<'a, T: Element> From<&'a mut Vec<T>> for Arg<'a> {
    fn from(s: &'a mut Vec<T>) -> Arg<'a> {
        Arg::from(s.as_mut_slice())
    }
}

impl<T: Element> From<T> for Arg<'_> {
    fn from(x: T) -> Self {
        Arg::new(ArgValue::Scalar {
            bits: x.to_bits(),
            dtype: T::DTYPE,
        })
    }
}

/// The launch grid: number of program instances along up to three axes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Grid(pub [u32; 3]);

impl Grid {
    pub fn instances(self) -> u64 {
        self.0.iter().map(|&d| d as u64).product()
    }
}

impl From<u32> for Grid {
    fn from(x: u32) -> Grid {
        Grid([x, 1, 1])
    }
}

impl From<usize> for Grid {
    fn from(x: usize) -> Grid {
        Grid([u32::try_from(x).unwrap_or(u32::MAX), 1, 1])
    }
}

impl From<(u32, u32)> for Grid {
    fn from((x, y): (u32, u32)) -> Grid {
        Grid([x, y, 1])
    }
}

impl From<(u32, u32, u32)> for Grid {
    fn from((x, y, z): (u32, u32, u32)) -> Grid {
        Grid([x, y, z])
    }
}

impl From<[u32; 3]> for Grid {
    fn from(g: [u32; 3]) -> Grid {
        Grid(g)
    }
}
