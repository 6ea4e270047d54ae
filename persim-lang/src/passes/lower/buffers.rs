//! Buffers and chunk access: allocating local memory, reading a tile's
//! elements as `[L]` chunks or scalars whatever its [`Repr`], and writing a
//! result through a [`Dest`].

use super::emit::{Ix, LResult};
use super::layout::{Layout, Repr};
use super::Lower;
use crate::ir::{Attr, Attrs, Block, CmpPred, Elem, Op, Opcode, Shape, Type, Value};

/// Buffers start on this byte boundary (a cache line; also the widest
/// vector of any target in view).
const BUFFER_ALIGN: u64 = 64;

/// Where an op writes its result.
pub(super) struct Dest {
    shape: Shape,
    kind: DestKind,
}

enum DestKind {
    /// The result has shape `[L]` and is produced as one vector, once, in
    /// straight-line code of `block`.
    Vector { block: Block, value: Option<Value> },
    /// The result is written into `buf`; if `to_vector` (a `[L]` result
    /// written element by element) it is loaded back as a vector at the end.
    Buf { buf: Value, to_vector: bool },
}

/// Where a reduction along the innermost axis puts each row's values: one
/// buffer per value of the result shape, or, for a rank-0 result (one
/// row), the values themselves.
pub(super) struct RowResults {
    dests: Option<Vec<Dest>>,
    coefs: Vec<i64>,
    scalars: Option<Vec<Value>>,
}

impl RowResults {
    /// Record the values of the row at outer index `idx`.
    pub fn put(&mut self, s: &mut Lower<'_>, idx: &[Ix], values: &[Value]) -> LResult<()> {
        match &self.dests {
            Some(dests) => {
                let at = s.ix_dot(idx, &self.coefs)?;
                dests
                    .iter()
                    .zip(values)
                    .try_for_each(|(d, &x)| s.write_scalar(d, at, x))
            }
            None => {
                self.scalars = Some(values.to_vec());
                Ok(())
            }
        }
    }

    /// The results, one per value, once every row is recorded.
    pub fn finish(self, s: &mut Lower<'_>) -> LResult<Vec<Repr>> {
        match self.dests {
            Some(dests) => dests.into_iter().map(|d| s.finish(d)).collect(),
            None => self
                .scalars
                .map(|xs| xs.into_iter().map(Repr::Scalar).collect())
                .ok_or_else(|| s.internal("scalar reduction produced nothing")),
        }
    }

    /// The result of a reduction with one value per row.
    pub fn finish_one(self, s: &mut Lower<'_>) -> LResult<Repr> {
        self.finish(s)?
            .pop()
            .ok_or_else(|| s.internal("a reduction without a result"))
    }
}

impl Lower<'_> {
    /// Results of a reduction of a tile to shape `to` along its innermost
    /// axis, one per element type of `elems`.
    pub(super) fn row_results(&mut self, elems: &[Elem], to: &[u32]) -> LResult<RowResults> {
        let dests = if to.is_empty() {
            None
        } else {
            Some(
                elems
                    .iter()
                    .map(|&e| self.dest_scalars(e, to))
                    .collect::<LResult<Vec<_>>>()?,
            )
        };
        Ok(RowResults {
            dests,
            coefs: self.layout(to).coefs(),
            scalars: None,
        })
    }

    /// Whether tiles of this shape are held as one vector register.
    pub(super) fn is_vector_shape(&self, shape: &[u32]) -> bool {
        shape == [self.lanes]
    }

    pub(super) fn layout(&self, shape: &[u32]) -> Layout {
        Layout::new(shape, self.lanes).pow2_rows(self.pow2_rows)
    }

    /// A fresh buffer for a tile of `shape`, placed by the bump allocator.
    /// The `alloc` goes to the top of the current scope (see the module doc
    /// of `lower`), after the scope's earlier `alloc`s, and records the tile
    /// type for diagnostics.
    pub(super) fn alloc(&mut self, elem: Elem, shape: &[u32]) -> LResult<Value> {
        let len = self.layout(shape).len();
        let len = u32::try_from(len)
            .ok()
            .filter(|&l| l <= i32::MAX as u32)
            .ok_or_else(|| {
                self.error(format!(
                    "a tile of shape {shape:?} needs a buffer of {len} elements, \
                     more than an i32 index can address"
                ))
            })?;
        let offset = self.local_mem.next_multiple_of(BUFFER_ALIGN);
        self.local_mem = offset + u64::from(len) * u64::from(elem.size_bytes());
        let ty = Type::buf(elem, len);
        let attrs = Attrs::new()
            .with("ty", Attr::Type(ty.clone()))
            .with("offset", Attr::Int(offset as i64))
            .with("tile", Attr::Type(Type::tile(elem, shape)));
        let op = self
            .out
            .create_op(Opcode::Alloc, &[], attrs, &[], vec![ty], self.loc);
        let scope = self.scope;
        let at = self
            .out
            .block_ops(scope)
            .iter()
            .take_while(|&&o| self.out.ops[o].opcode == Opcode::Alloc)
            .count();
        self.out.insert_op(scope, at, op);
        Ok(self.out.ops[op].results[0])
    }

    /// The element kind of a lowered tile.
    pub(super) fn elem_of(&self, r: &Repr) -> Elem {
        match r {
            Repr::Scalar(v) | Repr::Vector(v) | Repr::Buf { buf: v, .. } => self.out.ty(*v).elem(),
            Repr::Splat { scalar, .. } => self.out.ty(*scalar).elem(),
            Repr::Affine(a) => self.affine_elem(a),
        }
    }

    /// `splat(x)` to one vector.
    pub(super) fn splat_vec(&mut self, x: Value) -> LResult<Value> {
        let attrs = Attrs::new().with("shape", Attr::Ints(vec![i64::from(self.lanes)]));
        self.emit(Opcode::Splat, &[x], attrs)
    }

    /// The `i1` vector whose first `n` lanes are true: the lanes of a row's
    /// partial last chunk that hold real elements.
    pub(super) fn lane_valid(&mut self, n: u32) -> LResult<Value> {
        let attrs = Attrs::new()
            .with("lo", Attr::Int(0))
            .with("hi", Attr::Int(i64::from(self.lanes)));
        let lanes = self.emit(Opcode::Arange, &[], attrs)?;
        let n = self.const_i32(n.into())?;
        let n = self.splat_vec(n)?;
        self.emit(
            Opcode::Cmp,
            &[lanes, n],
            Attrs::new().with("pred", Attr::Pred(CmpPred::Lt)),
        )
    }

    /// The `[L]` chunk of a tile starting at element index `at` of its layout.
    pub(super) fn read_chunk(&mut self, r: &Repr, at: Ix) -> LResult<Value> {
        match r {
            Repr::Vector(v) if at == Ix::Const(0) => Ok(*v),
            Repr::Splat { scalar, .. } => self.splat_vec(*scalar),
            Repr::Affine(a) => self.affine_chunk_at(a, at),
            Repr::Buf { buf, .. } => {
                let i = self.ix(at)?;
                let attrs = Attrs::new().with("lanes", Attr::Int(i64::from(self.lanes)));
                self.emit(Opcode::BufLoad, &[*buf, i], attrs)
            }
            r => Err(self.internal(format!("no vector at {at:?} of {r:?}"))),
        }
    }

    /// The element at index `at` of a tile's layout. Vectors must be made
    /// [`Lower::addressable`] first: the IR has no lane extraction.
    pub(super) fn read_scalar(&mut self, r: &Repr, at: Ix) -> LResult<Value> {
        match r {
            Repr::Scalar(v) if at == Ix::Const(0) => Ok(*v),
            Repr::Splat { scalar, .. } => Ok(*scalar),
            Repr::Affine(a) => self.affine_scalar_at(a, at),
            Repr::Buf { buf, .. } => {
                let i = self.ix(at)?;
                self.emit(
                    Opcode::BufLoad,
                    &[*buf, i],
                    Attrs::new().with("lanes", Attr::Int(0)),
                )
            }
            r => Err(self.internal(format!("no scalar access at {at:?} of {r:?}"))),
        }
    }

    pub(super) fn store_at(&mut self, buf: Value, at: Ix, v: Value) -> LResult<()> {
        let i = self.ix(at)?;
        self.emit_void(Opcode::BufStore, &[buf, i, v], Attrs::new())
    }

    /// A representation whose elements can be read one at a time: a vector
    /// register is spilled to a buffer.
    pub(super) fn addressable(&mut self, r: Repr) -> LResult<Repr> {
        match r {
            Repr::Vector(v) => {
                let shape = Shape::from_slice(&[self.lanes]);
                let buf = self.alloc(self.out.ty(v).elem(), &shape)?;
                self.store_at(buf, Ix::Const(0), v)?;
                Ok(Repr::Buf { buf, shape })
            }
            r => Ok(r),
        }
    }

    /// Copy a tile of `shape` into buffer `dst` (same layout), chunk by
    /// chunk; nothing to do if it already lives there.
    pub(super) fn copy_into(&mut self, dst: Value, shape: &[u32], src: &Repr) -> LResult<()> {
        if matches!(src, Repr::Buf { buf, .. } if *buf == dst) {
            return Ok(());
        }
        self.for_data_chunks(shape, &mut |s, at| {
            let v = s.read_chunk(src, at)?;
            s.store_at(dst, at, v)
        })
    }

    /// A destination written one `[L]` chunk at a time.
    pub(super) fn dest_chunks(&mut self, elem: Elem, shape: &[u32]) -> LResult<Dest> {
        let kind = if self.is_vector_shape(shape) {
            DestKind::Vector {
                block: self.block,
                value: None,
            }
        } else {
            DestKind::Buf {
                buf: self.alloc(elem, shape)?,
                to_vector: false,
            }
        };
        Ok(Dest {
            shape: Shape::from_slice(shape),
            kind,
        })
    }

    /// The destination of source op `op`'s result, written one `[L]` chunk
    /// at a time: an operand's buffer when the op may overwrite it in place
    /// (see `reuse`), else as [`Lower::dest_chunks`].
    pub(super) fn dest_chunks_of(&mut self, op: Op, elem: Elem, shape: &[u32]) -> LResult<Dest> {
        if !self.is_vector_shape(shape) {
            if let Some(buf) = self.in_place_buffer(op, elem, shape)? {
                return Ok(Dest {
                    shape: Shape::from_slice(shape),
                    kind: DestKind::Buf {
                        buf,
                        to_vector: false,
                    },
                });
            }
        }
        self.dest_chunks(elem, shape)
    }

    /// A destination written one element at a time.
    pub(super) fn dest_scalars(&mut self, elem: Elem, shape: &[u32]) -> LResult<Dest> {
        Ok(Dest {
            shape: Shape::from_slice(shape),
            kind: DestKind::Buf {
                buf: self.alloc(elem, shape)?,
                to_vector: self.is_vector_shape(shape),
            },
        })
    }

    /// The buffer a destination writes, if it is one.
    pub(super) fn dest_buffer(&self, d: &Dest) -> Option<Value> {
        match d.kind {
            DestKind::Buf { buf, .. } => Some(buf),
            DestKind::Vector { .. } => None,
        }
    }

    pub(super) fn write_chunk(&mut self, d: &mut Dest, at: Ix, v: Value) -> LResult<()> {
        match &mut d.kind {
            DestKind::Buf { buf, .. } => self.store_at(*buf, at, v),
            DestKind::Vector { block, value } => {
                if at != Ix::Const(0) || *block != self.block || value.is_some() {
                    return Err(self.internal("a vector result written twice or inside a loop"));
                }
                *value = Some(v);
                Ok(())
            }
        }
    }

    pub(super) fn write_scalar(&mut self, d: &Dest, at: Ix, v: Value) -> LResult<()> {
        match d.kind {
            DestKind::Buf { buf, .. } => self.store_at(buf, at, v),
            DestKind::Vector { .. } => Err(self.internal("scalar write into a vector result")),
        }
    }

    /// The result's representation once every element is written.
    pub(super) fn finish(&mut self, d: Dest) -> LResult<Repr> {
        match d.kind {
            DestKind::Vector { value: Some(v), .. } => Ok(Repr::Vector(v)),
            DestKind::Vector { value: None, .. } => {
                Err(self.internal("vector result never written"))
            }
            DestKind::Buf {
                buf,
                to_vector: true,
            } => Ok(Repr::Vector(self.read_chunk(
                &Repr::Buf {
                    buf,
                    shape: d.shape,
                },
                Ix::Const(0),
            )?)),
            DestKind::Buf { buf, .. } => Ok(Repr::Buf {
                buf,
                shape: d.shape,
            }),
        }
    }

    /// A buffer holding the tile, for ops that produce a new view of it:
    /// vectors and splats are stored into a fresh buffer.
    pub(super) fn materialize(&mut self, r: Repr, shape: &[u32]) -> LResult<(Value, Shape)> {
        match r {
            Repr::Buf { buf, shape } => Ok((buf, shape)),
            Repr::Scalar(_) => Err(self.internal("materializing a scalar")),
            r => {
                let buf = self.alloc(self.elem_of(&r), shape)?;
                self.copy_into(buf, shape, &r)?;
                Ok((buf, Shape::from_slice(shape)))
            }
        }
    }
}
