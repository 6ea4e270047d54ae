//! The interpreter's two memories.
//!
//! *Global* memory is one little-endian byte vector per pointer argument; an
//! address is a [`Pointer`] (argument, byte offset), so every access is
//! checked against that argument's length. *Local* memory (lowered IR's
//! buffers) is a byte array in which every byte also records whether it was
//! ever written and whether it is part of a stored pointer, in the manner of
//! Miri's provenance bytes: a pointer round-trips through a buffer exactly
//! (with its argument), and bytes never written read as [`Scalar::Undef`].

use super::numeric::{round_float, wrap_int};
use super::value::{Pointer, Scalar};
use crate::ir::{Dtype, Elem};
use half::{bf16, f16};
use std::collections::HashMap;

/// Encode a data element as little-endian bytes of its type.
pub(crate) fn encode(d: Dtype, x: Scalar, out: &mut Vec<u8>) -> Result<(), String> {
    let bits: u64 = match (x, d) {
        (Scalar::Int(v), d) if !d.is_float() => v as u64,
        (Scalar::Float(f), Dtype::F16) => {
            f16::from_f64(round_float(Dtype::F16, f)).to_bits().into()
        }
        (Scalar::Float(f), Dtype::BF16) => {
            bf16::from_f64(round_float(Dtype::BF16, f)).to_bits().into()
        }
        (Scalar::Float(f), Dtype::F32) => (f as f32).to_bits().into(),
        (Scalar::Float(f), Dtype::F64) => f.to_bits(),
        (x, d) => return Err(format!("cannot store {x:?} as {d}")),
    };
    out.extend_from_slice(&bits.to_le_bytes()[..d.size_bytes() as usize]);
    Ok(())
}

/// Decode a data element from little-endian bytes of its type.
pub(crate) fn decode(d: Dtype, bytes: &[u8]) -> Scalar {
    let mut raw = [0u8; 8];
    raw[..bytes.len()].copy_from_slice(bytes);
    let bits = u64::from_le_bytes(raw);
    match d {
        Dtype::I1 => Scalar::Int((bits != 0) as i128),
        Dtype::F16 => Scalar::Float(f16::from_bits(bits as u16).to_f64()),
        Dtype::BF16 => Scalar::Float(bf16::from_bits(bits as u16).to_f64()),
        Dtype::F32 => Scalar::Float(f32::from_bits(bits as u32).into()),
        Dtype::F64 => Scalar::Float(f64::from_bits(bits)),
        d => Scalar::Int(wrap_int(d, i128::from(bits))),
    }
}

/// Why a global access failed; the caller adds location and program id.
#[derive(Debug)]
pub(crate) enum GlobalFault {
    /// Element `index` is outside the argument's `len` elements.
    OutOfBounds { index: i64, len: usize },
    /// A store through a parameter not declared mutable.
    ReadOnly,
    /// The offset is not a multiple of the element size.
    Misaligned { offset: i64 },
    /// The pointer names no pointer argument.
    NoSuchArg,
}

/// Global memory: the bytes behind each pointer parameter (`None` for
/// scalar parameters), and whether the kernel may write them.
pub(crate) struct Global<'a> {
    pub regions: Vec<Option<&'a mut Vec<u8>>>,
    pub mutable: Vec<bool>,
}

impl Global<'_> {
    /// Byte range of the element at `p` of type `d`, checked.
    fn range(&self, p: Pointer, d: Dtype) -> Result<std::ops::Range<usize>, GlobalFault> {
        let bytes = self
            .regions
            .get(p.arg as usize)
            .and_then(Option::as_ref)
            .ok_or(GlobalFault::NoSuchArg)?;
        let size = d.size_bytes() as i64;
        let len = bytes.len() / size as usize;
        if p.offset.rem_euclid(size) != 0 {
            return Err(GlobalFault::Misaligned { offset: p.offset });
        }
        let index = p.offset.div_euclid(size);
        if index < 0 || index as u64 >= len as u64 {
            return Err(GlobalFault::OutOfBounds { index, len });
        }
        let start = p.offset as usize;
        Ok(start..start + size as usize)
    }

    pub fn load(&self, p: Pointer, d: Dtype) -> Result<Scalar, GlobalFault> {
        let r = self.range(p, d)?;
        let bytes = self.regions[p.arg as usize]
            .as_ref()
            .ok_or(GlobalFault::NoSuchArg)?;
        Ok(decode(d, &bytes[r]))
    }

    pub fn store(&mut self, p: Pointer, d: Dtype, x: Scalar) -> Result<(), String> {
        let r = self.range(p, d).map_err(|f| format!("{f:?}"))?;
        let mut enc = Vec::with_capacity(8);
        encode(d, x, &mut enc)?;
        let bytes = self.regions[p.arg as usize]
            .as_mut()
            .ok_or("store through a scalar argument")?;
        bytes[r].copy_from_slice(&enc);
        Ok(())
    }

    /// Check that a store at `p` is allowed, before any lane is written.
    pub fn check_store(&self, p: Pointer, d: Dtype) -> Result<(), GlobalFault> {
        self.range(p, d)?;
        if !self.mutable.get(p.arg as usize).copied().unwrap_or(false) {
            return Err(GlobalFault::ReadOnly);
        }
        Ok(())
    }
}

/// What one byte of local memory holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    /// Never written (or last written with an unspecified value).
    Undef,
    Data,
    /// Byte `n` (0..8) of a pointer stored at the address `n` bytes lower.
    Ptr(u8),
}

/// A program instance's local memory, fresh and unwritten at instance start.
///
/// Buffers packed by liveness share bytes, so a buffer may read bytes it
/// never wrote that hold another buffer's data or pointers (in padded lanes,
/// say). Such bytes — data read as a pointer, part of a pointer read as
/// data — read as [`Scalar::Undef`], like bytes never written: unspecified,
/// and an error only once they reach something observable.
///
/// Bytes are kept as data plus a tag per byte; a stored pointer's value is
/// kept beside them, keyed by its first byte. The tags alone decide whether
/// an 8-byte read is one intact pointer: every write re-tags the bytes it
/// covers, so `Ptr(0..8)` in sequence can only come from the last pointer
/// stored at that address.
pub(crate) struct Local {
    data: Vec<u8>,
    tags: Vec<Tag>,
    pointers: HashMap<usize, Pointer>,
}

impl Local {
    pub fn new(size: usize) -> Local {
        Local {
            data: vec![0; size],
            tags: vec![Tag::Undef; size],
            pointers: HashMap::new(),
        }
    }

    pub fn size(&self) -> usize {
        self.data.len()
    }

    /// Read one element of kind `elem` at byte `at` (bounds checked by the caller).
    pub fn read(&self, at: usize, elem: Elem) -> Result<Scalar, String> {
        let size = elem.size_bytes() as usize;
        let tags = self
            .tags
            .get(at..at + size)
            .ok_or("read outside local memory")?;
        if tags.contains(&Tag::Undef) {
            return Ok(Scalar::Undef);
        }
        match elem {
            Elem::Val(d) if tags.iter().all(|&t| t == Tag::Data) => {
                Ok(decode(d, &self.data[at..at + size]))
            }
            Elem::Val(_) => Ok(Scalar::Undef),
            Elem::Ptr(_) => {
                let intact = tags
                    .iter()
                    .enumerate()
                    .all(|(i, &t)| t == Tag::Ptr(i as u8));
                match self.pointers.get(&at) {
                    Some(&p) if intact => Ok(Scalar::Ptr(p)),
                    _ => Ok(Scalar::Undef),
                }
            }
        }
    }

    /// Write one element of kind `elem` at byte `at`.
    pub fn write(&mut self, at: usize, elem: Elem, x: Scalar) -> Result<(), String> {
        let size = elem.size_bytes() as usize;
        let tags = self
            .tags
            .get_mut(at..at + size)
            .ok_or("write outside local memory")?;
        match (elem, x) {
            (_, Scalar::Undef) => tags.fill(Tag::Undef),
            (Elem::Ptr(_), Scalar::Ptr(p)) => {
                for (i, t) in tags.iter_mut().enumerate() {
                    *t = Tag::Ptr(i as u8);
                }
                self.pointers.insert(at, p);
            }
            (Elem::Val(d), x) => {
                let mut enc = Vec::with_capacity(size);
                encode(d, x, &mut enc)?;
                tags.fill(Tag::Data);
                self.data[at..at + size].copy_from_slice(&enc);
            }
            (e, x) => return Err(format!("cannot store {x:?} as {e}")),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_round_trip_through_bytes() {
        for (d, x) in [
            (Dtype::I8, Scalar::Int(-5)),
            (Dtype::U16, Scalar::Int(65535)),
            (Dtype::I64, Scalar::Int(i64::MIN as i128)),
            (Dtype::U64, Scalar::Int(u64::MAX as i128)),
            (Dtype::I1, Scalar::Int(1)),
            (Dtype::F16, Scalar::Float(-1.5)),
            (Dtype::BF16, Scalar::Float(3.0)),
            (Dtype::F32, Scalar::Float(0.1f32 as f64)),
            (Dtype::F64, Scalar::Float(0.1)),
        ] {
            let mut b = Vec::new();
            encode(d, x, &mut b).unwrap();
            assert_eq!(b.len(), d.size_bytes() as usize);
            assert_eq!(decode(d, &b), x, "{d}");
        }
    }

    #[test]
    fn local_memory_tracks_unwritten_bytes_and_pointers() {
        let mut m = Local::new(32);
        let f32e = Elem::Val(Dtype::F32);
        assert_eq!(m.read(0, f32e), Ok(Scalar::Undef));
        m.write(0, f32e, Scalar::Float(2.0)).unwrap();
        assert_eq!(m.read(0, f32e), Ok(Scalar::Float(2.0)));
        let p = Pointer { arg: 2, offset: -8 };
        let pe = Elem::Ptr(Dtype::F32);
        m.write(8, pe, Scalar::Ptr(p)).unwrap();
        assert_eq!(m.read(8, pe), Ok(Scalar::Ptr(p)));
        // Bytes of a pointer read as data: unspecified, not an error.
        assert_eq!(m.read(8, f32e), Ok(Scalar::Undef));
        // Half unwritten: unspecified.
        assert_eq!(m.read(4, pe), Ok(Scalar::Undef));
        // Half overwritten with data: no longer a pointer.
        m.write(12, f32e, Scalar::Float(1.0)).unwrap();
        assert_eq!(m.read(8, pe), Ok(Scalar::Undef));
        assert!(m.read(30, f32e).is_err());
    }
}
