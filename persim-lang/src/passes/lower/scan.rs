//! Scans (`cumsum`, `cumprod`, and `scan` of `max`/`min`), forward and
//! reverse.
//!
//! Results are bit-identical to the interpreter's sequential definition:
//! - **innermost axis**: lowered IR cannot move values between lanes, so a
//!   row is scanned element by element — a scalar loop carrying the running
//!   value, reading each element before writing its result (padded lanes
//!   are never read, so they cannot leak into a result);
//! - **other axes**: elementwise across rows, one `[L]` chunk at a time:
//!   row `k`'s chunk is the running chunk combined with row `k`'s input.
//!   Padded lanes are computed along and never observed.
//!
//! Both drivers ([`Lower::scan_innermost`], [`Lower::scan_outer`]) take the
//! combining step as a closure over *lists* of values (the running values
//! first, then the new element's), on scalars or on `[L]` vectors, and
//! start from the first element rather than an identity. A scan with a
//! user combine function (`associative_scan`, possibly over several tiles)
//! is therefore the same drivers with a closure that inlines the combine
//! region on its arguments.

use super::emit::{Ix, LResult};
use super::layout::Repr;
use super::Lower;
use crate::ir::{Attr, Elem, Op, Opcode, Shape, Value};

/// One combining step: running values and the next element's values (on
/// scalars or on `[L]` vectors alike) → the new running values.
pub(super) type Combine<'c, 'a> =
    dyn FnMut(&mut Lower<'a>, &[Value], &[Value]) -> LResult<Vec<Value>> + 'c;

impl<'a> Lower<'a> {
    pub(super) fn lower_scan(&mut self, op: Op) -> LResult<()> {
        let data = &self.src.ops[op];
        let (x, result) = (data.operands[0], self.result(op)?);
        let kind = data
            .attrs
            .reduce_kind()
            .ok_or_else(|| self.error("`scan` without `kind`"))?;
        let reverse = matches!(data.attrs.get("reverse"), Some(Attr::Bool(true)));
        let axis = data.attrs.int("axis").unwrap_or(0) as usize;
        let shape = self.src_shape(x)?;
        let elem = self.src.ty(x).elem();
        let opcode = self.combine_op(kind)?;
        let src = self.repr(x)?;
        let mut combine = |s: &mut Lower<'a>, acc: &[Value], x: &[Value]| {
            Ok(vec![s.binary(opcode, acc[0], x[0])?])
        };
        let out = if axis + 1 == shape.len() {
            self.scan_innermost(&[src], &[elem], &shape, reverse, &mut combine)?
        } else {
            self.scan_outer(&[src], &[elem], &shape, axis, reverse, &mut combine)?
        };
        let [out] = <[Repr; 1]>::try_from(out).map_err(|_| self.internal("scan of one tile"))?;
        self.bind(result, out);
        Ok(())
    }

    /// The position visited `i`-th along an axis of `n` elements.
    fn scan_position(&mut self, i: Ix, n: i64, reverse: bool) -> LResult<Ix> {
        Ok(match (reverse, i) {
            (false, i) => i,
            (true, Ix::Const(c)) => Ix::Const(n - 1 - c),
            (true, Ix::Dyn(v)) => {
                let last = self.const_i32(n - 1)?;
                Ix::Dyn(self.binary(Opcode::Sub, last, v)?)
            }
        })
    }

    /// Scan the tiles `srcs` (one shape, element kinds `elems`) along their
    /// innermost axis, element by element.
    pub(super) fn scan_innermost(
        &mut self,
        srcs: &[Repr],
        elems: &[Elem],
        shape: &[u32],
        reverse: bool,
        combine: &mut Combine<'_, 'a>,
    ) -> LResult<Vec<Repr>> {
        let layout = self.layout(shape);
        let n = i64::from(layout.last());
        let coefs = layout.coefs();
        let srcs = srcs
            .iter()
            .map(|r| self.addressable(r.clone()))
            .collect::<LResult<Vec<_>>>()?;
        let dests = elems
            .iter()
            .map(|&e| self.dest_scalars(e, shape))
            .collect::<LResult<Vec<_>>>()?;
        self.for_each_index(layout.outer(), &mut |s, idx| {
            let row = s.ix_dot(idx, &coefs)?;
            let read = |s: &mut Lower<'a>, at: Ix| {
                srcs.iter()
                    .map(|r| s.read_scalar(r, at))
                    .collect::<LResult<Vec<_>>>()
            };
            let write = |s: &mut Lower<'a>, at: Ix, xs: &[Value]| {
                dests
                    .iter()
                    .zip(xs)
                    .try_for_each(|(d, &x)| s.write_scalar(d, at, x))
            };
            let p0 = s.scan_position(Ix::Const(0), n, reverse)?;
            let at = s.ix_add(row, p0)?;
            let first = read(s, at)?;
            write(s, at, &first)?;
            s.for_range_carry(1, n, 1, first, |s, i, acc| {
                let p = s.scan_position(i, n, reverse)?;
                let at = s.ix_add(row, p)?;
                let x = read(s, at)?;
                let next = combine(s, &acc, &x)?;
                write(s, at, &next)?;
                Ok(next)
            })?;
            Ok(())
        })?;
        dests.into_iter().map(|d| self.finish(d)).collect()
    }

    /// Scan the tiles `srcs` along an axis other than the innermost, one
    /// `[L]` chunk of every row at a time.
    pub(super) fn scan_outer(
        &mut self,
        srcs: &[Repr],
        elems: &[Elem],
        shape: &[u32],
        axis: usize,
        reverse: bool,
        combine: &mut Combine<'_, 'a>,
    ) -> LResult<Vec<Repr>> {
        let layout = self.layout(shape);
        let coefs = layout.coefs();
        let n = i64::from(shape[axis]);
        let step = coefs[axis];
        let pitch = layout.pitch() as i64;
        let lanes = i64::from(self.lanes);
        let mut dests = elems
            .iter()
            .map(|&e| self.dest_chunks(e, shape))
            .collect::<LResult<Vec<_>>>()?;
        // The outer dimensions other than `axis`; index `k` of this list is
        // source dimension `k`, or `k + 1` past the axis.
        let mut rest = Shape::from_slice(layout.outer());
        rest.remove(axis);
        let src_dim = |k: usize| if k < axis { k } else { k + 1 };
        self.for_each_index(&rest, &mut |s, idx| {
            let terms: Vec<(Ix, i64)> = idx
                .iter()
                .enumerate()
                .map(|(k, &i)| (i, coefs[src_dim(k)]))
                .collect();
            let base = s.ix_linear(&terms)?;
            s.for_range(0, pitch, lanes, |s, c| {
                let col = s.ix_add(base, c)?;
                let at_row = |s: &mut Lower<'a>, i: Ix| -> LResult<Ix> {
                    let p = s.scan_position(i, n, reverse)?;
                    let off = s.ix_mul(p, step)?;
                    s.ix_add(col, off)
                };
                let at = at_row(s, Ix::Const(0))?;
                let first = srcs
                    .iter()
                    .map(|r| s.read_chunk(r, at))
                    .collect::<LResult<Vec<_>>>()?;
                for (d, &v) in dests.iter_mut().zip(&first) {
                    s.write_chunk(d, at, v)?;
                }
                s.for_range_carry(1, n, 1, first, |s, i, acc| {
                    let at = at_row(s, i)?;
                    let x = srcs
                        .iter()
                        .map(|r| s.read_chunk(r, at))
                        .collect::<LResult<Vec<_>>>()?;
                    let next = combine(s, &acc, &x)?;
                    for (d, &v) in dests.iter_mut().zip(&next) {
                        s.write_chunk(d, at, v)?;
                    }
                    Ok(next)
                })?;
                Ok(())
            })
        })?;
        dests.into_iter().map(|d| self.finish(d)).collect()
    }
}
