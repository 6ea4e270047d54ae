//! Whole-tile accesses through affine pointer tiles as block copies, for
//! DMA targets (`Target::bulk_copies` with `Target::affine_tiles`).
//!
//! A tile whose rows are walks (unit innermost stride) is one 2-D
//! `copy_in`/`copy_out` between global memory and the tile's buffer: one
//! descriptor instead of a transfer per row or per vector. A mask that
//! bounds the tile's indices (`idx_d < bound`, per dimension, `&`-ed —
//! the `k` tail of a matmul, a result tile's edges) narrows the block to
//! `clamp(bound - start, 0, dim)` rows and columns; a 2-D load's `other`
//! (a scalar) first fills the whole buffer when the block may be partial.

use super::emit::{Ix, LResult};
use super::layout::{AffineTile, Repr};
use super::Lower;
use crate::ir::{Attrs, CmpPred, Dtype, Opcode, Value};

/// Bounds the walk over the mask's definition.
const MAX_DEPTH: u32 = 16;

/// A block access's operands besides the pointers.
pub(super) struct BlockAccess<'r> {
    /// The source mask value, if any.
    pub mask: Option<Value>,
    /// The load's `other`, if any.
    pub other: Option<&'r Repr>,
    pub out: bool,
}

impl<'a> Lower<'a> {
    /// Emits the block copy of the access through `a` into (out of) `buf`
    /// for a tile of `shape`; false, with nothing emitted, when the target,
    /// the pointers, the mask or `other` do not qualify. An innermost
    /// stride known only at run time (Triton's `stride_ak`) is tested:
    /// `if stride == 1 { block copy } else { walk }`, `walk` emitting the
    /// access chunk by chunk.
    pub(super) fn block_copy(
        &mut self,
        a: &AffineTile,
        buf: Value,
        shape: &[u32],
        attrs: &Attrs,
        access: BlockAccess<'_>,
        walk: &mut dyn FnMut(&mut Lower<'a>) -> LResult<()>,
    ) -> LResult<bool> {
        let runtime_stride = match a.strides.last() {
            Some(Ix::Const(1)) => None,
            Some(&Ix::Dyn(s)) => Some(s),
            _ => return Ok(false),
        };
        let Some(base) = a.base.filter(|_| self.bulk_copies) else {
            return Ok(false);
        };
        if self.affine_elem(a).pointee() == Some(Dtype::I1) {
            return Ok(false);
        }
        let bounds = match access.mask {
            None => vec![None; shape.len()],
            // A masked row in a loop stays a walk: `bulk-copies` and
            // `double-buffer` overlap it with the loop's work.
            Some(_) if shape.len() < 2 && self.block != self.out.body => return Ok(false),
            Some(m) => {
                let mut b = vec![None; shape.len()];
                if self.index_bounds(m, &mut b, 0).is_none() {
                    return Ok(false);
                }
                b
            }
        };
        // A row with `other` stays a walk: `bulk-copies` copies it and
        // selects `other` as it reads (no fill).
        let fill = match access.other {
            None => None,
            Some(Repr::Splat { scalar, .. }) if shape.len() == 2 => Some(*scalar),
            Some(_) => return Ok(false),
        };
        let Some(stride) = runtime_stride else {
            self.emit_block(a, base, buf, shape, attrs, &access, &bounds, fill)?;
            return Ok(true);
        };
        let one = self.const_i32(1)?;
        let pred = Attrs::new().with("pred", crate::ir::Attr::Pred(CmpPred::Eq));
        let unit = self.emit(Opcode::Cmp, &[stride, one], pred)?;
        let then = self.out.new_block();
        let otherwise = self.out.new_block();
        self.emit_op(
            Opcode::If,
            &[unit],
            Attrs::new(),
            &[then, otherwise],
            Some(vec![]),
        )?;
        let outer = std::mem::replace(&mut self.block, then);
        self.emit_block(a, base, buf, shape, attrs, &access, &bounds, fill)?;
        self.emit_void(Opcode::Yield, &[], Attrs::new())?;
        self.block = otherwise;
        walk(self)?;
        self.emit_void(Opcode::Yield, &[], Attrs::new())?;
        self.block = outer;
        Ok(true)
    }

    /// The block copy itself (see [`Lower::block_copy`]).
    #[allow(clippy::too_many_arguments)] // the access's parts, each distinct
    fn emit_block(
        &mut self,
        a: &AffineTile,
        base: Value,
        buf: Value,
        shape: &[u32],
        attrs: &Attrs,
        access: &BlockAccess<'_>,
        bounds: &[Option<(Ix, Value)>],
        fill: Option<Value>,
    ) -> LResult<()> {
        // Rows and columns of the block: all, or as the mask bounds them.
        let mut counts = Vec::with_capacity(shape.len());
        let mut partial = None;
        for (d, &dim) in shape.iter().enumerate() {
            let full = self.const_i32(i64::from(dim))?;
            let Some((start, bound)) = bounds[d] else {
                counts.push(full);
                continue;
            };
            let start = self.ix(start)?;
            let left = self.binary(Opcode::Sub, bound, start)?;
            let zero = self.const_i32(0)?;
            let left = self.binary(Opcode::Maximum, left, zero)?;
            let count = self.binary(Opcode::Minimum, left, full)?;
            let short = self.emit(
                Opcode::Cmp,
                &[count, full],
                Attrs::new().with("pred", crate::ir::Attr::Pred(CmpPred::Lt)),
            )?;
            partial = Some(match partial {
                None => short,
                Some(p) => self.binary(Opcode::Or, p, short)?,
            });
            counts.push(count);
        }
        if let (Some(x), Some(partial)) = (fill, partial) {
            self.fill_if(partial, buf, shape, x)?;
        }
        let offset = self.ix(a.offset)?;
        let global = self.binary(Opcode::PtrAdd, base, offset)?;
        let zero = self.const_i32(0)?;
        let cols = *counts.last().unwrap_or(&zero);
        let mut operands = if access.out {
            vec![global, buf, zero, cols]
        } else {
            vec![buf, zero, global, cols]
        };
        if shape.len() == 2 {
            let stride = self.ix(a.strides[0])?;
            let pitch = self.const_i32(self.layout(shape).pitch() as i64)?;
            operands.extend([counts[0], stride, pitch]);
        }
        let opcode = if access.out {
            Opcode::CopyOut
        } else {
            Opcode::CopyIn
        };
        self.emit_void(opcode, &operands, attrs.clone())
    }

    /// Records in `bounds` the `(start, bound)` of each dimension that the
    /// mask `v` (source IR) limits to `start + i < bound`: an `&` of `<`
    /// comparisons of an affine index with one unit stride against a
    /// splat, broadcast to the tile's shape. `None` for any other mask.
    fn index_bounds(&self, v: Value, bounds: &mut [Option<(Ix, Value)>], depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let d = &self.src.ops[self.src.def_op(v)?];
        match d.opcode {
            Opcode::Broadcast => self.index_bounds(d.operands[0], bounds, depth + 1),
            Opcode::And => {
                self.index_bounds(d.operands[0], bounds, depth + 1)?;
                self.index_bounds(d.operands[1], bounds, depth + 1)
            }
            Opcode::Cmp if d.attrs.pred() == Some(CmpPred::Lt) => {
                let (Repr::Affine(idx), Repr::Splat { scalar, .. }) = (
                    self.repr(d.operands[0]).ok()?,
                    self.repr(d.operands[1]).ok()?,
                ) else {
                    return None;
                };
                if idx.base.is_some() || idx.strides.len() != bounds.len() {
                    return None;
                }
                let mut moving = idx
                    .strides
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| **s != Ix::Const(0));
                let (dim, stride) = moving.next()?;
                if *stride != Ix::Const(1) || moving.next().is_some() || bounds[dim].is_some() {
                    return None;
                }
                bounds[dim] = Some((idx.offset, scalar));
                Some(())
            }
            _ => None,
        }
    }

    /// `if partial { buf[..] = x }` over the tile's data chunks.
    fn fill_if(&mut self, partial: Value, buf: Value, shape: &[u32], x: Value) -> LResult<()> {
        let then = self.out.new_block();
        let otherwise = self.out.new_block();
        self.emit_op(
            Opcode::If,
            &[partial],
            Attrs::new(),
            &[then, otherwise],
            Some(vec![]),
        )?;
        let outer = std::mem::replace(&mut self.block, then);
        let v = self.splat_vec(x)?;
        self.for_data_chunks(shape, &mut |s, at| s.store_at(buf, at, v))?;
        self.emit_void(Opcode::Yield, &[], Attrs::new())?;
        self.block = otherwise;
        self.emit_void(Opcode::Yield, &[], Attrs::new())?;
        self.block = outer;
        Ok(())
    }
}
