//! `argmax` and `argmin`: reductions that carry positions.
//!
//! Lowered IR has no lane extraction, so a position cannot be read out of
//! a vector by lane number; the lowering keeps a vector of candidate values
//! and a vector of their positions side by side instead.
//!
//! - **Innermost axis.** Lane `j` of the accumulators holds the best of row
//!   elements `j, j + L, j + 2L, …` seen so far (visited in increasing
//!   position, a later element replacing the candidate only if it *beats*
//!   it, so lane `j` keeps its first extreme). The row's partial last chunk
//!   has its padded lanes replaced by the identity of `max` (`min`), which
//!   can never beat a real element and only ties one of smaller position.
//!   At the end: `m = max(acc)` (`min`), the lanes equal to `m` (or NaN, if
//!   `m` is NaN) are the row's extremes, and the smallest position among
//!   them — `min(select(is_extreme, pos, i32::MAX))` — is the answer.
//! - **Other axes.** Elementwise across rows, as for the other reductions:
//!   chunk `c` of every row is compared in order with the running best,
//!   whose position is the row number.
//!
//! "Beats" is the interpreter's rule (`interp::numeric::arg_beats`):
//! strictly greater (less), or NaN where the candidate is not.

use super::emit::{Ix, LResult};
use super::layout::Repr;
use super::reduce::identity;
use super::Lower;
use crate::ir::{Attr, Attrs, CmpPred, Dtype, Elem, Opcode, ReduceKind, Shape, Value};

impl Lower<'_> {
    pub(super) fn arg_reduce(
        &mut self,
        r: Repr,
        from: &[u32],
        to: &[u32],
        axis: usize,
        kind: ReduceKind,
        d: Dtype,
    ) -> LResult<Repr> {
        if axis + 1 == from.len() {
            self.arg_reduce_innermost(r, from, to, kind, d)
        } else {
            self.arg_reduce_outer(r, from, to, axis, kind, d)
        }
    }

    fn cmp_vec(&mut self, pred: CmpPred, a: Value, b: Value) -> LResult<Value> {
        self.emit(
            Opcode::Cmp,
            &[a, b],
            Attrs::new().with("pred", Attr::Pred(pred)),
        )
    }

    /// The lanes where `x` beats `best` (see the module doc).
    fn beats(&mut self, kind: ReduceKind, d: Dtype, x: Value, best: Value) -> LResult<Value> {
        let pred = if kind == ReduceKind::Argmax {
            CmpPred::Gt
        } else {
            CmpPred::Lt
        };
        let strictly = self.cmp_vec(pred, x, best)?;
        if !d.is_float() {
            return Ok(strictly);
        }
        let x_nan = self.cmp_vec(CmpPred::Ne, x, x)?;
        let best_number = self.cmp_vec(CmpPred::Eq, best, best)?;
        let nan_over_number = self.binary(Opcode::And, x_nan, best_number)?;
        self.binary(Opcode::Or, strictly, nan_over_number)
    }

    /// Replace the candidates by `x` (at positions `pos`) where it beats them.
    fn take_better(
        &mut self,
        kind: ReduceKind,
        d: Dtype,
        acc: [Value; 2],
        x: Value,
        pos: Value,
    ) -> LResult<[Value; 2]> {
        let take = self.beats(kind, d, x, acc[0])?;
        let best = self.emit(Opcode::Select, &[take, x, acc[0]], Attrs::new())?;
        let at = self.emit(Opcode::Select, &[take, pos, acc[1]], Attrs::new())?;
        Ok([best, at])
    }

    /// The `i32` vector of positions `start, start + 1, …` of one chunk.
    fn positions(&mut self, start: Ix) -> LResult<Value> {
        let lanes = i64::from(self.lanes);
        let arange = |s: &mut Self, lo: i64| {
            let attrs = Attrs::new()
                .with("lo", Attr::Int(lo))
                .with("hi", Attr::Int(lo + lanes));
            s.emit(Opcode::Arange, &[], attrs)
        };
        match start {
            Ix::Const(c) => arange(self, c),
            Ix::Dyn(c) => {
                let base = arange(self, 0)?;
                let c = self.splat_vec(c)?;
                self.binary(Opcode::Add, base, c)
            }
        }
    }

    /// The smallest position among the lanes holding the extreme of `acc`.
    fn first_extreme(&mut self, kind: ReduceKind, d: Dtype, acc: [Value; 2]) -> LResult<Value> {
        let value_kind = if kind == ReduceKind::Argmax {
            ReduceKind::Max
        } else {
            ReduceKind::Min
        };
        let m = self.reduce_vector(value_kind, acc[0])?;
        let m = self.splat_vec(m)?;
        let mut extreme = self.cmp_vec(CmpPred::Eq, acc[0], m)?;
        if d.is_float() {
            // `m` is NaN exactly when some lane is; then the NaN lanes are
            // the extremes and `acc == m` holds nowhere.
            let nan = self.cmp_vec(CmpPred::Ne, acc[0], acc[0])?;
            extreme = self.binary(Opcode::Or, extreme, nan)?;
        }
        let none = self.const_i32(i64::from(i32::MAX))?;
        let none = self.splat_vec(none)?;
        let pos = self.emit(Opcode::Select, &[extreme, acc[1], none], Attrs::new())?;
        self.reduce_vector(ReduceKind::Min, pos)
    }

    fn arg_reduce_innermost(
        &mut self,
        r: Repr,
        from: &[u32],
        to: &[u32],
        kind: ReduceKind,
        d: Dtype,
    ) -> LResult<Repr> {
        let ls = self.layout(from);
        let (full, tail) = (i64::from(ls.full_chunks()), ls.tail());
        let lanes = i64::from(self.lanes);
        let scoef = ls.coefs();
        let mut results = self.row_results(&[Elem::Val(Dtype::I32)], to)?;
        self.for_each_index(ls.outer(), &mut |s, idx| {
            let row = s.ix_dot(idx, &scoef)?;
            let mut acc: Option<[Value; 2]> = None;
            if full > 0 {
                let first = s.read_chunk(&r, row)?;
                let pos = s.positions(Ix::Const(0))?;
                let folded =
                    s.for_range_carry(lanes, full * lanes, lanes, vec![first, pos], |s, c, a| {
                        let at = s.ix_add(row, c)?;
                        let x = s.read_chunk(&r, at)?;
                        let pos = s.positions(c)?;
                        Ok(s.take_better(kind, d, [a[0], a[1]], x, pos)?.to_vec())
                    })?;
                acc = Some([folded[0], folded[1]]);
            }
            if tail > 0 {
                let start = full * lanes;
                let at = s.ix_add(row, Ix::Const(start))?;
                let x = s.read_chunk(&r, at)?;
                let valid = s.lane_valid(tail)?;
                let e = s.constant(d, identity(kind, d))?;
                let e = s.splat_vec(e)?;
                let x = s.emit(Opcode::Select, &[valid, x, e], Attrs::new())?;
                let pos = s.positions(Ix::Const(start))?;
                acc = Some(match acc {
                    Some(a) => s.take_better(kind, d, a, x, pos)?,
                    None => [x, pos],
                });
            }
            let acc = acc.ok_or_else(|| s.internal("reduction of an empty row"))?;
            let x = s.first_extreme(kind, d, acc)?;
            results.put(s, idx, &[x])
        })?;
        results.finish_one(self)
    }

    fn arg_reduce_outer(
        &mut self,
        r: Repr,
        from: &[u32],
        to: &[u32],
        axis: usize,
        kind: ReduceKind,
        d: Dtype,
    ) -> LResult<Repr> {
        let (ls, ld) = (self.layout(from), self.layout(to));
        let (scoef, dcoef) = (ls.coefs(), ld.coefs());
        let n = i64::from(from[axis]);
        let step = scoef[axis];
        let pitch = ld.pitch() as i64;
        let lanes = i64::from(self.lanes);
        let mut dest = self.dest_chunks(Elem::Val(Dtype::I32), to)?;
        let src_dim = |k: usize| if k < axis { k } else { k + 1 };
        let outer: Shape = Shape::from_slice(ld.outer());
        self.for_each_index(&outer, &mut |s, idx| {
            let dterms: Vec<(Ix, i64)> = idx.iter().copied().zip(dcoef.iter().copied()).collect();
            let sterms: Vec<(Ix, i64)> = idx
                .iter()
                .enumerate()
                .map(|(k, &i)| (i, scoef[src_dim(k)]))
                .collect();
            let (d_at, s_at) = (s.ix_linear(&dterms)?, s.ix_linear(&sterms)?);
            s.for_range(0, pitch, lanes, |s, c| {
                let base = s.ix_add(s_at, c)?;
                let first = s.read_chunk(&r, base)?;
                let zero = s.const_i32(0)?;
                let zero = s.splat_vec(zero)?;
                let folded = s.for_range_carry(1, n, 1, vec![first, zero], |s, k, a| {
                    let off = s.ix_mul(k, step)?;
                    let at = s.ix_add(base, off)?;
                    let x = s.read_chunk(&r, at)?;
                    let row = s.ix(k)?;
                    let pos = s.splat_vec(row)?;
                    Ok(s.take_better(kind, d, [a[0], a[1]], x, pos)?.to_vec())
                })?;
                let to = s.ix_add(d_at, c)?;
                s.write_chunk(&mut dest, to, folded[1])
            })
        })?;
        self.finish(dest)
    }
}
