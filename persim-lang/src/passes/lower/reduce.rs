//! Reductions.
//!
//! Along the innermost axis, a row is folded chunk by chunk into
//! `Target::reduce_chains` rotating vector accumulators, which are combined
//! pairwise and reduced to a scalar at the end; the
//! row's partial last chunk first has its padded lanes replaced by the
//! reduction's identity. Along any other axis the reduction is elementwise
//! across rows: chunk `c` of the result folds chunk `c` of every row being
//! reduced, in order, so the result is bit-identical to a sequential fold.
//! `argmax`/`argmin` are in `arg_reduce`.

use super::emit::{Ix, LResult};
use super::layout::Repr;
use super::Lower;
use crate::ir::{Attr, Attrs, Dtype, Elem, Op, Opcode, ReduceKind, Shape, Value};

/// Smallest and largest value of an integer type, as `i64` bit patterns.
pub(super) fn int_bounds(d: Dtype) -> (i64, i64) {
    let bits = d.bits();
    if d.is_signed_int() {
        (
            -(1i128 << (bits - 1)) as i64,
            ((1i128 << (bits - 1)) - 1) as i64,
        )
    } else {
        (0, ((1i128 << bits) - 1) as i64)
    }
}

/// The value `e` with `combine(e, x) == x` for every `x`. For float sums it
/// is `-0.0`, not `0.0`: `-0.0 + -0.0` is `-0.0`. Unsigned maxima are written
/// as their two's complement `i64` (`u64::MAX` is `-1`), as constants wrap
/// to their type.
/// `argmax` and `argmin` use the identity of `max` and `min`: a padded
/// lane holding it never beats a real element (it can only tie, and ties go
/// to the smaller index, which a real element always has).
pub(super) fn identity(kind: ReduceKind, d: Dtype) -> Attr {
    match (kind, d.is_float()) {
        (ReduceKind::Sum, true) => Attr::Float(-0.0),
        (ReduceKind::Sum, false) => Attr::Int(0),
        (ReduceKind::Prod, true) => Attr::Float(1.0),
        (ReduceKind::Prod, false) => Attr::Int(1),
        (ReduceKind::Max | ReduceKind::Argmax, true) => Attr::Float(f64::NEG_INFINITY),
        (ReduceKind::Min | ReduceKind::Argmin, true) => Attr::Float(f64::INFINITY),
        (ReduceKind::Max | ReduceKind::Argmax, false) => Attr::Int(int_bounds(d).0),
        (ReduceKind::Min | ReduceKind::Argmin, false) => Attr::Int(int_bounds(d).1),
    }
}

impl Lower<'_> {
    /// The op combining two partial results of a value reduction or scan.
    pub(super) fn combine_op(&self, kind: ReduceKind) -> LResult<Opcode> {
        crate::interp::numeric::reduce_op(kind)
            .ok_or_else(|| self.internal(format!("`{}` has no combining op", kind.name())))
    }
}

impl Lower<'_> {
    pub(super) fn lower_reduce(&mut self, op: Op) -> LResult<()> {
        let data = &self.src.ops[op];
        let (x, result) = (data.operands[0], self.result(op)?);
        let kind = data
            .attrs
            .reduce_kind()
            .ok_or_else(|| self.error("`reduce` without `kind`"))?;
        let axis = data.attrs.int("axis").unwrap_or(0) as usize;
        let (from, to) = (self.src_shape(x)?, self.src_shape(result)?);
        let d = self
            .src
            .ty(x)
            .dtype()
            .ok_or_else(|| self.error("reduction of pointers"))?;
        let r = match self.repr(x)? {
            Repr::Vector(v) => {
                let s = self.reduce_vector(kind, v)?;
                self.bind(result, Repr::Scalar(s));
                return Ok(());
            }
            r => r,
        };
        let r = if kind.is_index() {
            self.arg_reduce(r, &from, &to, axis, kind, d)?
        } else if axis + 1 == from.len() {
            self.reduce_innermost(r, &from, &to, kind, d)?
        } else {
            self.reduce_outer(r, &from, &to, axis, kind, d)?
        };
        self.bind(result, r);
        Ok(())
    }

    pub(super) fn reduce_vector(&mut self, kind: ReduceKind, v: Value) -> LResult<Value> {
        let attrs = Attrs::new()
            .with("kind", Attr::Reduce(kind))
            .with("axis", Attr::Int(0));
        self.emit(Opcode::Reduce, &[v], attrs)
    }

    /// Fold chunks `0 .. full` of the row at `row` with `op`, starting
    /// from the identity `unit` (exact for every kind: `-0.0 + x`,
    /// `maximum(-inf, x)`, `1 · x` are `x`). Starting at chunk 0 with the
    /// loop bounds of elementwise loops over the same tile lets
    /// `fuse-loops` put the reduction in the loop that computes its input
    /// (softmax's load and `max`, its `exp` and `sum`), one pass over the
    /// row instead of two.
    fn fold_chunks(
        &mut self,
        r: &Repr,
        row: Ix,
        full: i64,
        op: Opcode,
        unit: (Dtype, Attr),
    ) -> LResult<Value> {
        let lanes = i64::from(self.lanes);
        let chains = i64::from(self.reduce_chains).clamp(1, full.max(1)) as usize;
        let e = self.constant(unit.0, unit.1)?;
        let e = self.splat_vec(e)?;
        // The accumulators rotate: each chunk folds into the oldest, which
        // moves to the back, so chunk `c` lands in chain `c mod chains`
        // and one chain's op waits on the op `chains` chunks earlier.
        let accs =
            self.for_range_carry(0, full * lanes, lanes, vec![e; chains], |s, c, mut acc| {
                let at = s.ix_add(row, c)?;
                let v = s.read_chunk(r, at)?;
                let folded = s.binary(op, acc[0], v)?;
                acc.remove(0);
                acc.push(folded);
                Ok(acc)
            })?;
        self.combine_pairwise(op, accs)
    }

    /// `op` over `values` as a balanced tree, in a fixed order.
    fn combine_pairwise(&mut self, op: Opcode, mut values: Vec<Value>) -> LResult<Value> {
        while values.len() > 1 {
            let mut next = Vec::with_capacity(values.len().div_ceil(2));
            let mut it = values.into_iter();
            while let Some(a) = it.next() {
                next.push(match it.next() {
                    Some(b) => self.binary(op, a, b)?,
                    None => a,
                });
            }
            values = next;
        }
        values
            .pop()
            .ok_or_else(|| self.internal("a reduction without accumulators"))
    }

    fn reduce_innermost(
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
        let mut results = self.row_results(&[Elem::Val(d)], to)?;
        let op = self.combine_op(kind)?;
        self.for_each_index(ls.outer(), &mut |s, idx| {
            let row = s.ix_dot(idx, &scoef)?;
            let mut acc = None;
            if full > 0 {
                acc = Some(s.fold_chunks(&r, row, full, op, (d, identity(kind, d)))?);
            }
            if tail > 0 {
                let at = s.ix_add(row, Ix::Const(full * lanes))?;
                let v = s.read_chunk(&r, at)?;
                let valid = s.lane_valid(tail)?;
                let e = s.constant(d, identity(kind, d))?;
                let e = s.splat_vec(e)?;
                let v = s.emit(Opcode::Select, &[valid, v, e], Attrs::new())?;
                acc = Some(match acc {
                    Some(a) => s.binary(op, a, v)?,
                    None => v,
                });
            }
            let acc = acc.ok_or_else(|| s.internal("reduction of an empty row"))?;
            let x = s.reduce_vector(kind, acc)?;
            results.put(s, idx, &[x])
        })?;
        results.finish_one(self)
    }

    fn reduce_outer(
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
        let op = self.combine_op(kind)?;
        let mut dest = self.dest_chunks(Elem::Val(d), to)?;
        // Result outer dimension k is source dimension k, or k + 1 past the axis.
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
                let folded = s.for_range_carry(1, n, 1, vec![first], |s, k, acc| {
                    let off = s.ix_mul(k, step)?;
                    let at = s.ix_add(base, off)?;
                    let v = s.read_chunk(&r, at)?;
                    Ok(vec![s.binary(op, acc[0], v)?])
                })?;
                let to = s.ix_add(d_at, c)?;
                s.write_chunk(&mut dest, to, folded[0])
            })
        })?;
        self.finish(dest)
    }
}
