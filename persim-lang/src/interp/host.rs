//! Host-side arguments: Rust values and slices turned into what the
//! interpreter runs on, and read back.

use super::memory::{decode, encode};
use super::numeric::{round_float, wrap_int};
use super::value::Scalar;
use crate::ir::Dtype;
use half::{bf16, f16};

/// Rust types that correspond to a kernel element type.
pub trait HostElem: Copy {
    const DTYPE: Dtype;
    fn to_scalar(self) -> Scalar;
    /// The Rust value of an element of type [`Self::DTYPE`]; `None` for a
    /// pointer or unspecified element.
    fn from_scalar(x: Scalar) -> Option<Self>;
}

macro_rules! host_int {
    ($($t:ty => $d:ident),*) => {$(
        impl HostElem for $t {
            const DTYPE: Dtype = Dtype::$d;
            fn to_scalar(self) -> Scalar {
                Scalar::Int(self as i128)
            }
            fn from_scalar(x: Scalar) -> Option<Self> {
                x.as_int().map(|v| v as $t)
            }
        }
    )*};
}

host_int!(i8 => I8, i16 => I16, i32 => I32, i64 => I64, u8 => U8, u16 => U16, u32 => U32, u64 => U64);

impl HostElem for bool {
    const DTYPE: Dtype = Dtype::I1;
    fn to_scalar(self) -> Scalar {
        Scalar::Int(self as i128)
    }
    fn from_scalar(x: Scalar) -> Option<Self> {
        x.as_int().map(|v| v != 0)
    }
}

macro_rules! host_float {
    ($($t:ty => $d:ident, |$x:ident| $to:expr, |$y:ident| $from:expr;)*) => {$(
        impl HostElem for $t {
            const DTYPE: Dtype = Dtype::$d;
            fn to_scalar(self) -> Scalar {
                let $x = self;
                Scalar::Float($to)
            }
            fn from_scalar(x: Scalar) -> Option<Self> {
                x.as_float().map(|$y| $from)
            }
        }
    )*};
}

host_float! {
    f16 => F16, |x| x.to_f64(), |y| f16::from_f64(y);
    bf16 => BF16, |x| x.to_f64(), |y| bf16::from_f64(y);
    f32 => F32, |x| f64::from(x), |y| y as f32;
    f64 => F64, |x| x, |y| y;
}

/// One argument of an interpreted kernel, in parameter order.
#[derive(Clone, Debug, PartialEq)]
pub enum InterpArg {
    /// The global memory behind a pointer parameter: little-endian elements
    /// of the pointee type. Pointers into it are (argument, byte offset).
    Mem(Vec<u8>),
    /// A scalar parameter's value and type.
    Scalar(Dtype, Scalar),
}

impl InterpArg {
    /// Memory holding a copy of `xs`.
    pub fn slice<T: HostElem>(xs: &[T]) -> InterpArg {
        let mut bytes = Vec::with_capacity(xs.len() * T::DTYPE.size_bytes() as usize);
        for &x in xs {
            encode(T::DTYPE, x.to_scalar(), &mut bytes)
                .expect("a host value encodes as its own type");
        }
        InterpArg::Mem(bytes)
    }

    /// A scalar argument.
    pub fn scalar<T: HostElem>(x: T) -> InterpArg {
        InterpArg::Scalar(T::DTYPE, x.to_scalar())
    }

    /// Read memory back as elements of `T`; `None` for a scalar argument.
    /// Trailing bytes that do not fill an element are ignored.
    pub fn to_vec<T: HostElem>(&self) -> Option<Vec<T>> {
        let InterpArg::Mem(bytes) = self else {
            return None;
        };
        let size = T::DTYPE.size_bytes() as usize;
        bytes
            .chunks_exact(size)
            .map(|c| T::from_scalar(decode(T::DTYPE, c)))
            .collect()
    }

    /// The bytes of a memory argument.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            InterpArg::Mem(b) => Some(b),
            InterpArg::Scalar(..) => None,
        }
    }
}

/// Normalize a scalar argument to the value set of `d`, or say why it is not
/// a value of that type.
pub(crate) fn normalize_scalar(d: Dtype, x: Scalar) -> Result<Scalar, String> {
    match x {
        Scalar::Int(v) if !d.is_float() => Ok(Scalar::Int(wrap_int(d, v))),
        Scalar::Float(f) if d.is_float() => Ok(Scalar::Float(round_float(d, f))),
        x => Err(format!("{x:?} is not a value of type {d}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_round_trip() {
        let xs = [1.5f32, -0.0, f32::INFINITY];
        assert_eq!(InterpArg::slice(&xs).to_vec::<f32>().unwrap(), xs);
        let hs = [f16::from_f32(0.5), f16::MAX];
        assert_eq!(InterpArg::slice(&hs).to_vec::<f16>().unwrap(), hs);
        let bs = [true, false];
        assert_eq!(InterpArg::slice(&bs).to_vec::<bool>().unwrap(), bs);
        let us = [u64::MAX, 0];
        assert_eq!(InterpArg::slice(&us).to_vec::<u64>().unwrap(), us);
        assert_eq!(InterpArg::scalar(3i32).to_vec::<i32>(), None);
    }
}
