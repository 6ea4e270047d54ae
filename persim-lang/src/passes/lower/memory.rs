//! Global `load` and `store` over tiles of pointers.
//!
//! Each `[L]` chunk becomes one vector `load`/`store` of a `tile<L x ptr>`.
//! A row's partial last chunk carries padded lanes whose pointers are
//! unspecified, so its mask is the user's mask (if any) `and` the lane-valid
//! mask: a padded lane is never dereferenced. The op's `arg` attribute is
//! kept for checked mode. Through an affine pointer tile (`affine.rs`)
//! the chunks are visited row by row, each row's pointers computed from
//! the row's start, so every row shows its walk.

use super::block_copy::BlockAccess;
use super::emit::{Ix, LResult};
use super::layout::{AffineTile, Repr};
use super::Lower;
use crate::ir::{Attrs, Op, Opcode, Value};

/// Body of a loop over chunks: the chunk's start index and, for a partial
/// last chunk, its number of real lanes.
type ChunkBody<'b, 'a> = dyn FnMut(&mut Lower<'a>, Ix, Option<u32>) -> LResult<()> + 'b;

/// Body of an access's loop over chunks: the chunk's pointers, layout
/// index, real lanes of a partial chunk.
type PointerChunkBody<'b, 'a> =
    dyn FnMut(&mut Lower<'a>, Value, Ix, Option<u32>) -> LResult<()> + 'b;

/// Body of a row-by-row loop over chunks: the row's pointers, column,
/// layout index, real lanes of a partial chunk.
type RowChunkBody<'b, 'a> =
    dyn FnMut(&mut Lower<'a>, &AffineTile, Ix, Ix, Option<u32>) -> LResult<()> + 'b;

impl<'a> Lower<'a> {
    /// Visit every chunk of a tile of `shape`, telling partial ones apart.
    pub(super) fn for_each_chunk(
        &mut self,
        shape: &[u32],
        body: &mut ChunkBody<'_, 'a>,
    ) -> LResult<()> {
        let l = self.layout(shape);
        let lanes = i64::from(self.lanes);
        let (pitch, full, tail) = (l.pitch() as i64, i64::from(l.full_chunks()), l.tail());
        if tail == 0 && l.dense() {
            return self.for_range(0, l.len() as i64, lanes, |s, at| body(s, at, None));
        }
        self.for_range(0, l.rows() as i64, 1, |s, row| {
            let row = s.ix_mul(row, pitch)?;
            s.for_range(0, full * lanes, lanes, |s, c| {
                let at = s.ix_add(row, c)?;
                body(s, at, None)
            })?;
            if tail == 0 {
                return Ok(());
            }
            let at = s.ix_add(row, Ix::Const(full * lanes))?;
            body(s, at, Some(tail))
        })
    }

    /// As [`Lower::for_each_chunk`] for an access through the affine
    /// pointer tile `a`, row by row even when the layout is dense: each
    /// row's start is computed once, before its chunks, and the body gets
    /// the row as a rank-1 affine tile, the chunk's column and layout
    /// index, so that every row is visibly a walk.
    fn for_each_row_chunk(
        &mut self,
        a: &AffineTile,
        shape: &[u32],
        body: &mut RowChunkBody<'_, 'a>,
    ) -> LResult<()> {
        let l = self.layout(shape);
        let lanes = i64::from(self.lanes);
        let (pitch, full, tail) = (l.pitch() as i64, i64::from(l.full_chunks()), l.tail());
        let rank2 = shape.len() == 2;
        self.for_range(0, l.rows() as i64, 1, |s, row| {
            let start = s.ix_mul(row, pitch)?;
            let row_tile = s.affine_row(a, rank2.then_some(row))?;
            s.for_range(0, full * lanes, lanes, |s, c| {
                let at = s.ix_add(start, c)?;
                body(s, &row_tile, c, at, None)
            })?;
            if tail == 0 {
                return Ok(());
            }
            let c = Ix::Const(full * lanes);
            let at = s.ix_add(start, c)?;
            body(s, &row_tile, c, at, Some(tail))
        })
    }

    /// Visit every chunk of a tile of `shape` that holds data: the flat
    /// buffer when the layout is dense, rows × data chunks when its rows are
    /// padded past the data (`pow2_rows`). Partial chunks are not told
    /// apart: for ops whose padded lanes nothing observes.
    pub(super) fn for_data_chunks(
        &mut self,
        shape: &[u32],
        body: &mut dyn FnMut(&mut Lower<'a>, Ix) -> LResult<()>,
    ) -> LResult<()> {
        let l = self.layout(shape);
        let lanes = i64::from(self.lanes);
        if l.dense() {
            return self.for_range(0, l.len() as i64, lanes, |s, at| body(s, at));
        }
        let (pitch, chunks) = (l.pitch() as i64, i64::from(l.data_chunks()));
        self.for_range(0, l.rows() as i64, 1, |s, row| {
            let row = s.ix_mul(row, pitch)?;
            s.for_range(0, chunks * lanes, lanes, |s, c| {
                let at = s.ix_add(row, c)?;
                body(s, at)
            })
        })
    }

    /// The mask of a chunk: the user's chunk mask, narrowed to the real lanes
    /// of a partial chunk.
    pub(super) fn chunk_mask(
        &mut self,
        user: Option<Value>,
        real_lanes: Option<u32>,
    ) -> LResult<Option<Value>> {
        let Some(n) = real_lanes else {
            return Ok(user);
        };
        let valid = self.lane_valid(n)?;
        Ok(Some(match user {
            Some(m) => self.binary(Opcode::And, m, valid)?,
            None => valid,
        }))
    }

    pub(super) fn reprs(&self, op: Op) -> LResult<Vec<Repr>> {
        self.src.ops[op]
            .operands
            .iter()
            .map(|&v| self.repr(v))
            .collect()
    }

    pub(super) fn lower_load(&mut self, op: Op) -> LResult<()> {
        let result = self.result(op)?;
        let shape = self.src_shape(result)?;
        if shape.is_empty() {
            return self.clone_scalar_op(op);
        }
        let attrs: Attrs = self.src.ops[op].attrs.clone();
        let operands = self.reprs(op)?;
        let (ptrs, mask, other) = (&operands[0], operands.get(1), operands.get(2));
        let mut dest = self.dest_chunks_of(op, self.src.ty(result).elem(), &shape)?;
        let buf = self.dest_buffer(&dest);
        let mut walk = |s: &mut Self| -> LResult<()> {
            let mut body = |s: &mut Self, p: Value, at: Ix, real: Option<u32>| {
                let m = mask.map(|m| s.read_chunk(m, at)).transpose()?;
                let m = s.chunk_mask(m, real)?;
                let o = other.map(|o| s.read_chunk(o, at)).transpose()?;
                let args: Vec<Value> = [Some(p), m, o].into_iter().flatten().collect();
                let v = s.emit(Opcode::Load, &args, attrs.clone())?;
                s.write_chunk(&mut dest, at, v)
            };
            s.walk_chunks(ptrs, &shape, &mut body)
        };
        let copied = match (ptrs, buf) {
            (Repr::Affine(a), Some(buf)) => {
                let access = BlockAccess {
                    mask: self.src.ops[op].operands.get(1).copied(),
                    other,
                    out: false,
                };
                self.block_copy(a, buf, &shape, &attrs, access, &mut walk)?
            }
            _ => false,
        };
        if !copied {
            walk(self)?;
        }
        let r = self.finish(dest)?;
        self.bind(result, r);
        Ok(())
    }

    pub(super) fn lower_store(&mut self, op: Op) -> LResult<()> {
        let shape = self.src_shape(self.src.ops[op].operands[0])?;
        if shape.is_empty() {
            return self.clone_scalar_op(op);
        }
        let attrs: Attrs = self.src.ops[op].attrs.clone();
        let operands = self.reprs(op)?;
        let (ptrs, value, mask) = (&operands[0], &operands[1], operands.get(2));
        let mut walk = |s: &mut Self| -> LResult<()> {
            let mut body = |s: &mut Self, p: Value, at: Ix, real: Option<u32>| {
                let v = s.read_chunk(value, at)?;
                let m = mask.map(|m| s.read_chunk(m, at)).transpose()?;
                let m = s.chunk_mask(m, real)?;
                let args: Vec<Value> = [Some(p), Some(v), m].into_iter().flatten().collect();
                s.emit_void(Opcode::Store, &args, attrs.clone())
            };
            s.walk_chunks(ptrs, &shape, &mut body)
        };
        if let (Repr::Affine(a), Repr::Buf { buf, .. }) = (ptrs, value) {
            let access = BlockAccess {
                mask: self.src.ops[op].operands.get(2).copied(),
                other: None,
                out: true,
            };
            if self.block_copy(a, *buf, &shape, &attrs, access, &mut walk)? {
                return Ok(());
            }
        }
        walk(self)
    }

    /// A `prefetch` of a tile: one per chunk of its pointers.
    pub(super) fn lower_prefetch(&mut self, op: Op) -> LResult<()> {
        let shape = self.src_shape(self.src.ops[op].operands[0])?;
        if shape.is_empty() {
            return self.clone_scalar_op(op);
        }
        let attrs: Attrs = self.src.ops[op].attrs.clone();
        let ptrs = self.reprs(op)?.swap_remove(0);
        let mut body = |s: &mut Self, p: Value, _: Ix, _: Option<u32>| {
            s.emit_void(Opcode::Prefetch, &[p], attrs.clone())
        };
        self.walk_chunks(&ptrs, &shape, &mut body)
    }

    /// Every chunk of an access through `ptrs`: row by row (each row a
    /// walk) for affine pointers, else as [`Lower::for_each_chunk`];
    /// `body` gets the chunk's pointers, layout index and real lanes.
    fn walk_chunks(
        &mut self,
        ptrs: &Repr,
        shape: &[u32],
        body: &mut PointerChunkBody<'_, 'a>,
    ) -> LResult<()> {
        if let Repr::Affine(a) = ptrs {
            self.for_each_row_chunk(a, shape, &mut |s, row, col, at, real| {
                let p = s.affine_chunk(row, None, col)?;
                body(s, p, at, real)
            })
        } else {
            self.for_each_chunk(shape, &mut |s, at, real| {
                let p = s.read_chunk(ptrs, at)?;
                body(s, p, at, real)
            })
        }
    }
}
