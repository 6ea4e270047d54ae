//! Memory ops of one instance: global `load`/`store` through tiles of
//! pointers, and local buffers (`alloc`, `buf_load`, `buf_store`).

use super::{Instance, Res};
use crate::interp::error::{InterpError, InterpErrorKind};
use crate::interp::memory::GlobalFault;
use crate::interp::numeric::binary;
use crate::interp::value::{BufRef, Pointer, RtValue, Scalar, Tile};
use crate::ir::{Dtype, Elem, Op, Opcode, Shape, Type};

impl Instance<'_, '_, '_> {
    /// Whether a lane is active under an optional mask tile.
    pub(super) fn lane_active(&self, mask: Option<&Tile>, i: usize, what: &str) -> Res<bool> {
        match mask.map(|m| m.data[i]) {
            None | Some(Scalar::Int(1)) => Ok(true),
            Some(Scalar::Int(0)) => Ok(false),
            Some(Scalar::Undef) => Err(self.unspecified(what)),
            Some(x) => Err(self.invalid(format!("mask lane {x:?}"))),
        }
    }

    /// The pointer of an active lane, checked against the op's `arg`.
    pub(super) fn lane_pointer(&self, op: Op, x: Scalar) -> Res<Pointer> {
        let p = match x {
            Scalar::Ptr(p) => p,
            Scalar::Undef => return Err(self.unspecified("an address")),
            x => return Err(self.invalid(format!("{x:?} used as an address"))),
        };
        if let Some(declared) = self.f.ops[op].attrs.int("arg") {
            if declared != i64::from(p.arg) {
                return Err(self.error(InterpErrorKind::Provenance {
                    declared: u32::try_from(declared)
                        .map_or_else(|_| declared.to_string(), |a| self.arg_name(a)),
                    actual: self.arg_name(p.arg),
                }));
            }
        }
        Ok(p)
    }

    pub(super) fn fault(&self, f: GlobalFault, p: Pointer, store: bool) -> InterpError {
        let arg = self.arg_name(p.arg);
        self.error(match f {
            GlobalFault::OutOfBounds { index, len } => InterpErrorKind::OutOfBounds {
                arg,
                index,
                len,
                store,
            },
            GlobalFault::ReadOnly => InterpErrorKind::ReadOnly { arg },
            GlobalFault::Misaligned { offset } => {
                InterpErrorKind::Invalid(format!("misaligned access at byte {offset} of `{arg}`"))
            }
            GlobalFault::NoSuchArg => InterpErrorKind::Invalid(format!(
                "pointer into `{arg}`, which is not a pointer argument"
            )),
        })
    }

    pub(super) fn mask_of(&self, op: Op, index: usize, shape: &Shape) -> Res<Option<Tile>> {
        let Some(&m) = self.f.ops[op].operands.get(index) else {
            return Ok(None);
        };
        let m = self.tile(m)?;
        if m.shape != *shape {
            return Err(self.invalid("mask shape differs from the pointers' shape"));
        }
        Ok(Some(m.clone()))
    }

    pub(super) fn exec_load(&mut self, op: Op) -> Res<()> {
        let pv = self.operand(op, 0)?;
        let d = match self.f.ty(pv).elem() {
            Elem::Ptr(d) => d,
            e => return Err(self.invalid(format!("load through {e}"))),
        };
        let ptrs = self.tile(pv)?.clone();
        let mask = self.mask_of(op, 1, &ptrs.shape)?;
        let other = match self.f.ops[op].operands.get(2) {
            Some(&o) => Some(self.tile(o)?.clone()),
            None => None,
        };
        let zero = if d.is_float() {
            Scalar::Float(0.0)
        } else {
            Scalar::Int(0)
        };
        let mut data = Vec::with_capacity(ptrs.data.len());
        for (i, &x) in ptrs.data.iter().enumerate() {
            if !self.lane_active(mask.as_ref(), i, "a load mask")? {
                data.push(
                    other
                        .as_ref()
                        .and_then(|o| o.data.get(i).copied())
                        .unwrap_or(zero),
                );
                continue;
            }
            let p = self.lane_pointer(op, x)?;
            data.push(
                self.global
                    .load(p, d)
                    .map_err(|f| self.fault(f, p, false))?,
            );
        }
        self.set_tile(
            op,
            Tile {
                shape: ptrs.shape,
                data,
            },
        )
    }

    pub(super) fn exec_store(&mut self, op: Op) -> Res<()> {
        let pv = self.operand(op, 0)?;
        let d = match self.f.ty(pv).elem() {
            Elem::Ptr(d) => d,
            e => return Err(self.invalid(format!("store through {e}"))),
        };
        let ptrs = self.tile(pv)?.clone();
        let values = self.tile(self.operand(op, 1)?)?.clone();
        if values.shape != ptrs.shape {
            return Err(self.invalid("stored value's shape differs from the pointers' shape"));
        }
        let mask = self.mask_of(op, 2, &ptrs.shape)?;
        // Lanes are written in row-major order: with duplicate addresses the
        // last lane wins.
        for (i, (&x, &v)) in ptrs.data.iter().zip(&values.data).enumerate() {
            if !self.lane_active(mask.as_ref(), i, "a store mask")? {
                continue;
            }
            let p = self.lane_pointer(op, x)?;
            if v.is_undef() {
                return Err(self.unspecified("a stored value"));
            }
            self.global
                .check_store(p, d)
                .map_err(|f| self.fault(f, p, true))?;
            self.global.store(p, d, v).map_err(|m| self.invalid(m))?;
        }
        Ok(())
    }

    pub(super) fn exec_alloc(&mut self, op: Op) -> Res<()> {
        let (elem, len) = match self.f.ops[op].attrs.ty("ty") {
            Some(Type::Buf { elem, len }) => (*elem, *len),
            _ => return Err(self.invalid("`alloc` needs a buffer type `ty`")),
        };
        let offset = self.attr_int(op, "offset")?;
        let bytes = u64::from(len) * u64::from(elem.size_bytes());
        let end = u64::try_from(offset)
            .ok()
            .and_then(|o| o.checked_add(bytes));
        match end {
            Some(end) if end <= self.local.size() as u64 => {}
            _ => {
                return Err(self.invalid(format!(
                    "buffer of {bytes} bytes at offset {offset} exceeds local memory of {} bytes",
                    self.local.size()
                )))
            }
        }
        let b = BufRef {
            offset: offset as usize,
            len,
            elem,
        };
        self.set_results(op, vec![RtValue::Buf(b)])
    }

    /// Byte address of elements `idx .. idx+lanes` of `b`, bounds checked.
    fn buf_addr(&self, b: BufRef, idx: i128, lanes: u32) -> Res<usize> {
        let n = i128::from(lanes.max(1));
        if idx < 0 || idx + n > i128::from(b.len) {
            return Err(self.error(InterpErrorKind::BufferOutOfBounds {
                index: idx.clamp(i64::MIN.into(), i64::MAX.into()) as i64,
                lanes,
                len: b.len,
            }));
        }
        Ok(b.offset + idx as usize * b.elem.size_bytes() as usize)
    }

    pub(super) fn exec_buf_load(&mut self, op: Op) -> Res<()> {
        let b = self.buf(self.operand(op, 0)?)?;
        let idx = self.index_scalar(self.operand(op, 1)?, "a buffer index")?;
        let lanes =
            u32::try_from(self.attr_int(op, "lanes")?).map_err(|_| self.invalid("bad `lanes`"))?;
        let at = self.buf_addr(b, idx, lanes)?;
        let size = b.elem.size_bytes() as usize;
        let data = (0..lanes.max(1) as usize)
            .map(|i| {
                self.local
                    .read(at + i * size, b.elem)
                    .map_err(|m| self.invalid(m))
            })
            .collect::<Res<Vec<_>>>()?;
        let t = if lanes == 0 {
            Tile::scalar(data[0])
        } else {
            Tile::vector(data)
        };
        self.set_tile(op, t)
    }

    pub(super) fn exec_buf_store(&mut self, op: Op) -> Res<()> {
        let b = self.buf(self.operand(op, 0)?)?;
        let idx = self.index_scalar(self.operand(op, 1)?, "a buffer index")?;
        let t = self.tile(self.operand(op, 2)?)?.clone();
        let lanes = match t.shape.as_slice() {
            [] => 0,
            [n] => *n,
            _ => return Err(self.invalid("`buf_store` of a tile of rank > 1")),
        };
        let at = self.buf_addr(b, idx, lanes)?;
        let size = b.elem.size_bytes() as usize;
        for (i, &x) in t.data.iter().enumerate() {
            self.local
                .write(at + i * size, b.elem, x)
                .map_err(|m| self.invalid(m))?;
        }
        Ok(())
    }

    /// `copy_in` (`out == false`: global → buffer) or `copy_out`: element
    /// by element in increasing order, each checked like a lane of `load`
    /// or `store`.
    pub(super) fn exec_copy(&mut self, op: Op, out: bool) -> Res<()> {
        let [p, b, i, n] = if out { [0, 1, 2, 3] } else { [2, 0, 1, 3] };
        let ptr = self.tile(self.operand(op, p)?)?.data[0];
        let buf = self.buf(self.operand(op, b)?)?;
        let idx = self.index_scalar(self.operand(op, i)?, "a buffer index")?;
        let count = self.index_scalar(self.operand(op, n)?, "a copy count")?;
        // A 2-D block: `rows`, then the global and the buffer stride.
        let (rows, global_stride, buf_stride) = if self.f.ops[op].operands.len() == 7 {
            (
                self.index_scalar(self.operand(op, 4)?, "a copy row count")?,
                self.index_scalar(self.operand(op, 5)?, "a copy stride")?,
                self.index_scalar(self.operand(op, 6)?, "a copy stride")?,
            )
        } else {
            (1, 0, 0)
        };
        for r in 0..rows.max(0) {
            self.copy_row(
                op,
                out,
                ptr,
                buf,
                idx + r * buf_stride,
                count,
                r * global_stride,
            )?;
        }
        Ok(())
    }

    /// Row `r` of a block copy: `count` elements between global memory at
    /// `ptr + shift` elements and `buf[idx..]`.
    #[allow(clippy::too_many_arguments)] // one row of the op's operands, all distinct
    fn copy_row(
        &mut self,
        op: Op,
        out: bool,
        ptr: Scalar,
        buf: BufRef,
        idx: i128,
        count: i128,
        shift: i128,
    ) -> Res<()> {
        if count <= 0 {
            return Ok(());
        }
        let count = u32::try_from(count).map_err(|_| self.invalid("copy count too large"))?;
        let at = self.buf_addr(buf, idx, count)?;
        let Elem::Val(d) = buf.elem else {
            return Err(self.invalid("a copy moves data elements, not pointers"));
        };
        let base = self.lane_pointer(op, ptr)?;
        let size = d.size_bytes();
        let shift = i64::try_from(shift).map_err(|_| self.invalid("copy stride too large"))?;
        let base = Pointer {
            offset: base.offset + shift * i64::from(size),
            ..base
        };
        for k in 0..count {
            let q = Pointer {
                offset: base.offset + i64::from(k) * i64::from(size),
                ..base
            };
            let local = at + (k * size) as usize;
            if out {
                let v = self
                    .local
                    .read(local, buf.elem)
                    .map_err(|m| self.invalid(m))?;
                if v.is_undef() {
                    return Err(self.unspecified("a copied value"));
                }
                self.global
                    .check_store(q, d)
                    .map_err(|f| self.fault(f, q, true))?;
                self.global.store(q, d, v).map_err(|m| self.invalid(m))?;
            } else {
                let v = self
                    .global
                    .load(q, d)
                    .map_err(|f| self.fault(f, q, false))?;
                self.local
                    .write(local, buf.elem, v)
                    .map_err(|m| self.invalid(m))?;
            }
        }
        Ok(())
    }

    /// `copy_gather`: the `load` of operands 2.. (a lane-by-lane check of
    /// each active pointer), its lanes written to the buffer from `idx`.
    pub(super) fn exec_copy_gather(&mut self, op: Op) -> Res<()> {
        let buf = self.buf(self.operand(op, 0)?)?;
        let idx = self.index_scalar(self.operand(op, 1)?, "a buffer index")?;
        let pv = self.operand(op, 2)?;
        let ptrs = self.tile(pv)?.clone();
        let mask = self.mask_of(op, 3, &ptrs.shape)?;
        let other = match self.f.ops[op].operands.get(4) {
            Some(&o) => Some(self.tile(o)?.clone()),
            None => None,
        };
        let Elem::Val(d) = buf.elem else {
            return Err(self.invalid("a gather moves data elements, not pointers"));
        };
        let zero = if d.is_float() {
            Scalar::Float(0.0)
        } else {
            Scalar::Int(0)
        };
        let lanes = ptrs.data.len() as u32;
        let at = self.buf_addr(buf, idx, lanes)?;
        let size = d.size_bytes() as usize;
        for (i, &x) in ptrs.data.iter().enumerate() {
            let v = if self.lane_active(mask.as_ref(), i, "a gather mask")? {
                let p = self.lane_pointer(op, x)?;
                self.global
                    .load(p, d)
                    .map_err(|f| self.fault(f, p, false))?
            } else {
                other
                    .as_ref()
                    .and_then(|o| o.data.get(i).copied())
                    .unwrap_or(zero)
            };
            self.local
                .write(at + i * size, buf.elem, v)
                .map_err(|m| self.invalid(m))?;
        }
        Ok(())
    }

    /// `d = c + a·b` element by element, reading `c[i,j]` before writing
    /// `d[i,j]` and rounding each product and sum as `dot` does.
    pub(super) fn exec_buf_matmul(&mut self, op: Op) -> Res<()> {
        let bufs = (0..4)
            .map(|i| self.buf(self.operand(op, i)?))
            .collect::<Res<Vec<_>>>()?;
        let dim = |s: &Self, name: &str| -> Res<usize> {
            usize::try_from(s.attr_int(op, name)?).map_err(|_| s.invalid(format!("bad `{name}`")))
        };
        let (m, n, k) = (dim(self, "m")?, dim(self, "n")?, dim(self, "k")?);
        let (lda, ldb, ldc) = (dim(self, "lda")?, dim(self, "ldb")?, dim(self, "ldc")?);
        let row0 = match self.f.ops[op].attrs.int("row0") {
            None => 0,
            Some(r) => usize::try_from(r).map_err(|_| self.invalid("bad `row0`"))?,
        };
        let arow0 = match self.f.ops[op].attrs.int("arow0") {
            None => row0,
            Some(r) => usize::try_from(r).map_err(|_| self.invalid("bad `arow0`"))?,
        };
        let f32e = Elem::Val(Dtype::F32);
        let read = |s: &Self, b: BufRef, idx: usize| -> Res<Scalar> {
            let at = s.buf_addr(b, idx as i128, 0)?;
            s.local.read(at, f32e).map_err(|m| s.invalid(m))
        };
        for i in row0..row0 + m {
            for j in 0..n {
                let mut r = read(self, bufs[2], i * ldc + j)?;
                for kk in 0..k {
                    let x = read(self, bufs[0], (arow0 + i - row0) * lda + kk)?;
                    let y = read(self, bufs[1], kk * ldb + j)?;
                    let p = binary(Opcode::Mul, Dtype::F32, x, y).map_err(|m| self.invalid(m))?;
                    r = binary(Opcode::Add, Dtype::F32, r, p).map_err(|m| self.invalid(m))?;
                }
                let at = self.buf_addr(bufs[3], (i * ldc + j) as i128, 0)?;
                self.local.write(at, f32e, r).map_err(|m| self.invalid(m))?;
            }
        }
        Ok(())
    }
}
