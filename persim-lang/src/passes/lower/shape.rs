//! Shape ops: `broadcast`, `expand_dims`, `reshape`, `trans`.
//!
//! Each first tries not to move data: a splat stays a splat whatever its
//! shape, and a view whose layout equals its source's aliases the source's
//! buffer. Otherwise data moves by whole rows of chunks when the innermost
//! dimension is kept, and element by element when it is not. Only real
//! elements are copied: padded lanes of a result are left unwritten.

use super::emit::{Ix, LResult};
use super::layout::Repr;
use super::Lower;
use crate::ir::{numel, Op, Shape};

impl Lower<'_> {
    pub(super) fn lower_broadcast(&mut self, op: Op) -> LResult<()> {
        let (x, result) = (self.src.ops[op].operands[0], self.result(op)?);
        let (from, to) = (self.src_shape(x)?, self.src_shape(result)?);
        let r = self.repr(x)?;
        if from == to {
            self.bind(result, r);
            return Ok(());
        }
        if let Repr::Splat { scalar, .. } = r {
            self.bind(result, Repr::Splat { scalar, shape: to });
            return Ok(());
        }
        let dims: Vec<Option<usize>> = (0..to.len()).map(Some).collect();
        if let Some(view) = self.affine_view(&r, &from, &to, &dims) {
            self.bind(result, view);
            return Ok(());
        }
        let r = self.addressable(r)?;
        if numel(&from) == 1 {
            let scalar = self.read_scalar(&r, Ix::Const(0))?;
            self.bind(result, Repr::Splat { scalar, shape: to });
            return Ok(());
        }
        let (ls, ld) = (self.layout(&from), self.layout(&to));
        let (scoef, dcoef) = (ls.coefs(), ld.coefs());
        let pitch = ld.pitch() as i64;
        let row_copy = ls.last() == ld.last();
        let mut dest = self.dest_chunks(self.elem_of(&r), &to)?;
        let lanes = i64::from(self.lanes);
        self.for_each_index(ld.outer(), &mut |s, idx| {
            let d_at = s.ix_linear(
                &idx.iter()
                    .copied()
                    .zip(dcoef.iter().copied())
                    .collect::<Vec<_>>(),
            )?;
            // A broadcast dimension (size 1 in the source) does not move the source.
            let src_terms: Vec<(Ix, i64)> = idx
                .iter()
                .zip(&from)
                .zip(&scoef)
                .filter(|((_, &n), _)| n != 1)
                .map(|((&i, _), &c)| (i, c))
                .collect();
            let s_at = s.ix_linear(&src_terms)?;
            if row_copy {
                s.for_range(0, pitch, lanes, |s, c| {
                    let (from, to) = (s.ix_add(s_at, c)?, s.ix_add(d_at, c)?);
                    let v = s.read_chunk(&r, from)?;
                    s.write_chunk(&mut dest, to, v)
                })
            } else {
                let x = s.read_scalar(&r, s_at)?;
                let v = s.splat_vec(x)?;
                s.for_range(0, pitch, lanes, |s, c| {
                    let to = s.ix_add(d_at, c)?;
                    s.write_chunk(&mut dest, to, v)
                })
            }
        })?;
        let r = self.finish(dest)?;
        self.bind(result, r);
        Ok(())
    }

    pub(super) fn lower_expand_dims(&mut self, op: Op) -> LResult<()> {
        let (x, result) = (self.src.ops[op].operands[0], self.result(op)?);
        let (from, to) = (self.src_shape(x)?, self.src_shape(result)?);
        let axis = self.src.ops[op].attrs.int("axis").unwrap_or(0) as usize;
        let r = match self.repr(x)? {
            Repr::Scalar(scalar) | Repr::Splat { scalar, .. } => {
                self.bind(result, Repr::Splat { scalar, shape: to });
                return Ok(());
            }
            r => r,
        };
        let dims: Vec<Option<usize>> = (0..to.len())
            .map(|d| match d.cmp(&axis) {
                std::cmp::Ordering::Less => Some(d),
                std::cmp::Ordering::Equal => None,
                std::cmp::Ordering::Greater => Some(d - 1),
            })
            .collect();
        if let Some(view) = self.affine_view(&r, &from, &to, &dims) {
            self.bind(result, view);
            return Ok(());
        }
        if axis < from.len() {
            // The innermost dimension and the row order are unchanged.
            let (buf, _) = self.materialize(r, &from)?;
            self.bind(result, Repr::Buf { buf, shape: to });
            return Ok(());
        }
        // A new innermost dimension of 1: every element starts a row.
        let r = self.addressable(r)?;
        let ls = self.layout(&from);
        let (n, spitch, dpitch) = (
            i64::from(ls.last()),
            ls.pitch() as i64,
            self.layout(&to).pitch() as i64,
        );
        let dest = self.dest_scalars(self.elem_of(&r), &to)?;
        self.for_range(0, ls.rows() as i64, 1, |s, row| {
            s.for_range(0, n, 1, |s, j| {
                let from = s.ix_linear(&[(row, spitch), (j, 1)])?;
                let to = s.ix_linear(&[(row, n * dpitch), (j, dpitch)])?;
                let x = s.read_scalar(&r, from)?;
                s.write_scalar(&dest, to, x)
            })
        })?;
        let r = self.finish(dest)?;
        self.bind(result, r);
        Ok(())
    }

    pub(super) fn lower_reshape(&mut self, op: Op) -> LResult<()> {
        let (x, result) = (self.src.ops[op].operands[0], self.result(op)?);
        let (from, to) = (self.src_shape(x)?, self.src_shape(result)?);
        let r = self.repr(x)?;
        let r = self.reshape_repr(r, &from, &to)?;
        self.bind(result, r);
        Ok(())
    }

    /// Reinterpret a tile of shape `from` as `to` in row-major order.
    fn reshape_repr(&mut self, r: Repr, from: &[u32], to: &[u32]) -> LResult<Repr> {
        if from == to {
            return Ok(r);
        }
        let r = match r {
            Repr::Scalar(scalar) | Repr::Splat { scalar, .. } if to.is_empty() => {
                return Ok(Repr::Scalar(scalar))
            }
            Repr::Scalar(scalar) | Repr::Splat { scalar, .. } => {
                return Ok(Repr::Splat {
                    scalar,
                    shape: Shape::from_slice(to),
                })
            }
            r => self.addressable(r)?,
        };
        if to.is_empty() {
            return Ok(Repr::Scalar(self.read_scalar(&r, Ix::Const(0))?));
        }
        let (ls, ld) = (self.layout(from), self.layout(to));
        let l = self.lanes;
        // Element f sits at (f / n)·pitch + f % n: the same place in both
        // layouts when the innermost sizes agree or both are unpadded.
        if ls.last() == ld.last() || (ls.last() % l == 0 && ld.last() % l == 0) {
            let (buf, _) = self.materialize(r, from)?;
            let view = Repr::Buf {
                buf,
                shape: Shape::from_slice(to),
            };
            return Ok(if self.is_vector_shape(to) {
                Repr::Vector(self.read_chunk(&view, Ix::Const(0))?)
            } else {
                view
            });
        }
        let (ns, nd) = (i64::from(ls.last()), i64::from(ld.last()));
        let (ps, pd) = (ls.pitch() as i64, ld.pitch() as i64);
        let dest = self.dest_scalars(self.elem_of(&r), to)?;
        self.for_range(0, ls.rows() as i64, 1, |s, row| {
            s.for_range(0, ns, 1, |s, j| {
                let flat = s.ix_linear(&[(row, ns), (j, 1)])?;
                let (drow, dcol) = s.ix_divmod(flat, nd)?;
                let from = s.ix_linear(&[(row, ps), (j, 1)])?;
                let to = s.ix_linear(&[(drow, pd), (dcol, 1)])?;
                let x = s.read_scalar(&r, from)?;
                s.write_scalar(&dest, to, x)
            })
        })?;
        self.finish(dest)
    }

    pub(super) fn lower_trans(&mut self, op: Op) -> LResult<()> {
        let (x, result) = (self.src.ops[op].operands[0], self.result(op)?);
        let (from, to) = (self.src_shape(x)?, self.src_shape(result)?);
        let perm: Vec<usize> = self.src.ops[op]
            .attrs
            .ints("perm")
            .unwrap_or_default()
            .iter()
            .map(|&p| p as usize)
            .collect();
        let r = self.repr(x)?;
        // Moving only dimensions of size 1 keeps the row-major order: a reshape.
        let moved: Vec<usize> = perm.iter().copied().filter(|&p| from[p] != 1).collect();
        if moved.windows(2).all(|w| w[0] < w[1]) || matches!(r, Repr::Splat { .. }) {
            let r = self.reshape_repr(r, &from, &to)?;
            self.bind(result, r);
            return Ok(());
        }
        let r = self.addressable(r)?;
        let (ls, ld) = (self.layout(&from), self.layout(&to));
        let (scoef, dcoef) = (ls.coefs(), ld.coefs());
        let rank = to.len();
        let lanes = i64::from(self.lanes);
        let elem = self.elem_of(&r);
        // Offset terms of a result index: result dimension k is source
        // dimension perm[k].
        let terms = |idx: &[Ix], coef: &dyn Fn(usize) -> i64| -> Vec<(Ix, i64)> {
            idx.iter().enumerate().map(|(k, &i)| (i, coef(k))).collect()
        };
        if perm[rank - 1] == rank - 1 {
            // The innermost dimension stays: move whole rows.
            let pitch = ld.pitch() as i64;
            let mut dest = self.dest_chunks(elem, &to)?;
            self.for_each_index(ld.outer(), &mut |s, idx| {
                let d_at = s.ix_linear(&terms(idx, &|k| dcoef[k]))?;
                let s_at = s.ix_linear(&terms(idx, &|k| scoef[perm[k]]))?;
                s.for_range(0, pitch, lanes, |s, c| {
                    let (from, to) = (s.ix_add(s_at, c)?, s.ix_add(d_at, c)?);
                    let v = s.read_chunk(&r, from)?;
                    s.write_chunk(&mut dest, to, v)
                })
            })?;
            let r = self.finish(dest)?;
            self.bind(result, r);
            return Ok(());
        }
        let dest = self.dest_scalars(elem, &to)?;
        self.for_each_index(&to, &mut |s, idx| {
            let d_at = s.ix_linear(&terms(idx, &|k| dcoef[k]))?;
            let s_at = s.ix_linear(&terms(idx, &|k| scoef[perm[k]]))?;
            let x = s.read_scalar(&r, s_at)?;
            s.write_scalar(&dest, d_at, x)
        })?;
        let r = self.finish(dest)?;
        self.bind(result, r);
        Ok(())
    }
}
