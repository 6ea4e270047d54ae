//! Ops that combine or separate tiles: `cat`, `join`, `split`.
//!
//! `cat` along an outer axis keeps the innermost dimension, so both operands
//! move by whole rows of chunks. Along the innermost axis each result row is
//! a row of `a` then a row of `b`: `a`'s chunks go to aligned places (its
//! padded lanes land where `b`'s elements go next, and are overwritten), `b`'s
//! full chunks are stored at the unaligned index `len(a_row) + c`, and `b`'s
//! partial last chunk is copied element by element so nothing is written past
//! the result's row.
//!
//! `join` and `split` move elements between a tile and the innermost
//! dimension of size 2 of another, which the padded layout keeps one row (of
//! one whole chunk) per pair: they copy element by element.

use super::emit::{Ix, LResult};
use super::layout::Repr;
use super::Lower;
use crate::ir::{Op, Shape};

impl Lower<'_> {
    pub(super) fn lower_cat(&mut self, op: Op) -> LResult<()> {
        let d = &self.src.ops[op];
        let (a, b) = (d.operands[0], d.operands[1]);
        let axis = d
            .attrs
            .int("axis")
            .and_then(|a| usize::try_from(a).ok())
            .ok_or_else(|| self.error("`cat` without a valid `axis`"))?;
        let result = self.result(op)?;
        let (sa, sb, to) = (
            self.src_shape(a)?,
            self.src_shape(b)?,
            self.src_shape(result)?,
        );
        let (ra, rb) = (self.repr(a)?, self.repr(b)?);
        let elem = self.elem_of(&ra);
        let mut dest = self.dest_scalars(elem, &to)?;
        let lanes = i64::from(self.lanes);
        let dcoef = self.layout(&to).coefs();
        if axis + 1 < to.len() {
            // An outer axis: `b`'s rows start `sa[axis]` rows further on.
            for (r, shape, shift) in [(&ra, &sa, 0), (&rb, &sb, sa[axis])] {
                let ls = self.layout(shape);
                let (scoef, pitch) = (ls.coefs(), ls.pitch() as i64);
                self.for_each_index(ls.outer(), &mut |s, idx| {
                    let s_at = s.ix_linear(&terms(idx, &scoef))?;
                    let d_at = s.ix_linear(&terms(idx, &dcoef))?;
                    let d_at = s.ix_add(d_at, Ix::Const(i64::from(shift) * dcoef[axis]))?;
                    s.for_range(0, pitch, lanes, |s, c| {
                        let (from, to) = (s.ix_add(s_at, c)?, s.ix_add(d_at, c)?);
                        let v = s.read_chunk(r, from)?;
                        s.write_chunk(&mut dest, to, v)
                    })
                })?;
            }
        } else {
            let (la, lb) = (self.layout(&sa), self.layout(&sb));
            let (acoef, bcoef) = (la.coefs(), lb.coefs());
            let (na, a_pitch) = (i64::from(la.last()), la.pitch() as i64);
            let full_b = i64::from(lb.full_chunks()) * lanes;
            let nb = i64::from(lb.last());
            let rb = if full_b < nb {
                self.addressable(rb)?
            } else {
                rb
            };
            self.for_each_index(self.layout(&to).outer(), &mut |s, idx| {
                let d_row = s.ix_linear(&terms(idx, &dcoef))?;
                let a_row = s.ix_linear(&terms(idx, &acoef))?;
                let b_row = s.ix_linear(&terms(idx, &bcoef))?;
                s.for_range(0, a_pitch, lanes, |s, c| {
                    let (from, to) = (s.ix_add(a_row, c)?, s.ix_add(d_row, c)?);
                    let v = s.read_chunk(&ra, from)?;
                    s.write_chunk(&mut dest, to, v)
                })?;
                let d_b = s.ix_add(d_row, Ix::Const(na))?;
                s.for_range(0, full_b, lanes, |s, c| {
                    let (from, to) = (s.ix_add(b_row, c)?, s.ix_add(d_b, c)?);
                    let v = s.read_chunk(&rb, from)?;
                    s.write_chunk(&mut dest, to, v)
                })?;
                s.for_range(full_b, nb, 1, |s, j| {
                    let (from, to) = (s.ix_add(b_row, j)?, s.ix_add(d_b, j)?);
                    let x = s.read_scalar(&rb, from)?;
                    s.write_scalar(&dest, to, x)
                })
            })?;
        }
        let r = self.finish(dest)?;
        self.bind(result, r);
        Ok(())
    }

    pub(super) fn lower_join(&mut self, op: Op) -> LResult<()> {
        let d = &self.src.ops[op];
        let (a, b) = (d.operands[0], d.operands[1]);
        let result = self.result(op)?;
        let (from, to) = (self.src_shape(a)?, self.src_shape(result)?);
        let ra = self.repr(a)?;
        let ra = self.addressable(ra)?;
        let rb = self.repr(b)?;
        let rb = self.addressable(rb)?;
        let dest = self.dest_scalars(self.elem_of(&ra), &to)?;
        let (scoef, dcoef) = (self.layout(&from).coefs(), self.layout(&to).coefs());
        self.for_each_index(&from, &mut |s, idx| {
            let s_at = s.ix_linear(&terms(idx, &scoef))?;
            let d_at = s.ix_linear(&terms(idx, &dcoef))?;
            for (k, r) in [&ra, &rb].into_iter().enumerate() {
                let x = s.read_scalar(r, s_at)?;
                let at = s.ix_add(d_at, Ix::Const(k as i64))?;
                s.write_scalar(&dest, at, x)?;
            }
            Ok(())
        })?;
        let r = self.finish(dest)?;
        self.bind(result, r);
        Ok(())
    }

    pub(super) fn lower_split(&mut self, op: Op) -> LResult<()> {
        let x = self.src.ops[op].operands[0];
        let results = self.src.ops[op].results.clone();
        let [r0, r1] = results.as_slice() else {
            return Err(self.internal("`split` without two results"));
        };
        let (from, to) = (self.src_shape(x)?, self.src_shape(*r0)?);
        let rx = self.repr(x)?;
        if let Repr::Splat { scalar, .. } = rx {
            let half = if to.is_empty() {
                Repr::Scalar(scalar)
            } else {
                Repr::Splat {
                    scalar,
                    shape: Shape::from_slice(&to),
                }
            };
            self.bind(*r0, half.clone());
            self.bind(*r1, half);
            return Ok(());
        }
        let rx = self.addressable(rx)?;
        if to.is_empty() {
            for (k, r) in [r0, r1].into_iter().enumerate() {
                let v = self.read_scalar(&rx, Ix::Const(k as i64))?;
                self.bind(*r, Repr::Scalar(v));
            }
            return Ok(());
        }
        let elem = self.elem_of(&rx);
        let dests = [self.dest_scalars(elem, &to)?, self.dest_scalars(elem, &to)?];
        let (scoef, dcoef) = (self.layout(&from).coefs(), self.layout(&to).coefs());
        self.for_each_index(&to, &mut |s, idx| {
            let s_at = s.ix_linear(&terms(idx, &scoef))?;
            let d_at = s.ix_linear(&terms(idx, &dcoef))?;
            for (k, dest) in dests.iter().enumerate() {
                let at = s.ix_add(s_at, Ix::Const(k as i64))?;
                let v = s.read_scalar(&rx, at)?;
                s.write_scalar(dest, d_at, v)?;
            }
            Ok(())
        })?;
        let [d0, d1] = dests;
        for (r, dest) in [(r0, d0), (r1, d1)] {
            let repr = self.finish(dest)?;
            self.bind(*r, repr);
        }
        Ok(())
    }
}

/// `(index, coefficient)` pairs of the leading indices `idx` of a layout
/// with coefficients `coef`.
fn terms(idx: &[Ix], coef: &[i64]) -> Vec<(Ix, i64)> {
    idx.iter().copied().zip(coef.iter().copied()).collect()
}
