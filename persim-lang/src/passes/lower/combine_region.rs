//! `reduce_with` and `scan_with`: reductions and scans whose combining step
//! is a combine region (a user's `#[persim::func]`, inlined).
//!
//! The region computes on scalars; [`Lower::apply_region`] re-emits its ops
//! on the lowered arguments, which may be scalars or `[L]` vectors (scalar
//! operands, such as the region's constants, are splatted where they meet
//! a vector), so one region serves the scalar and the vector loops alike.
//!
//! Order of combination (the op leaves it unspecified, as Triton does):
//! - **scans**, and **reductions along any axis but the innermost**: the
//!   sequential order of the interpreter, so results are bit-identical to
//!   it — the scan drivers of `scan`, and an elementwise fold across rows;
//! - **reductions along the innermost axis**: lane `j` of a vector
//!   accumulator folds elements `j, j+L, j+2L, …` of the row's full
//!   chunks (starting from the first chunk: there is no identity), then the
//!   `L` lanes are folded in order, then the partial last chunk's elements
//!   one by one. This is the order of the built-in `sum`; it equals the
//!   sequential order for an associative and commutative combine, which is
//!   what Triton requires of one too. Padded lanes are never read.

use super::emit::{Ix, LResult};
use super::layout::Repr;
use super::Lower;
use crate::ir::{Attr, Block, Elem, Op, Opcode, Shape, Value};
use std::collections::HashMap;

impl<'a> Lower<'a> {
    /// The combine region of `op`, checked to be the op's one region.
    fn combine_region(&self, op: Op) -> LResult<Block> {
        match self.src.ops[op].regions.as_slice() {
            [r] => Ok(*r),
            _ => Err(self.internal("a combine op without its region")),
        }
    }

    /// The region's ops applied to `args` (the running values, then the
    /// element's), on scalars or on `[L]` vectors: its yielded values. The
    /// emitted ops keep the region ops' locations (the combine function's
    /// source, after inlining).
    pub(super) fn apply_region(&mut self, region: Block, args: &[Value]) -> LResult<Vec<Value>> {
        let at = self.loc;
        let result = self.apply_region_ops(region, args);
        self.loc = at;
        result
    }

    fn apply_region_ops(&mut self, region: Block, args: &[Value]) -> LResult<Vec<Value>> {
        let src = self.src;
        let vector = args.iter().any(|&a| !self.out.ty(a).is_scalar());
        let mut local: HashMap<Value, Value> = src
            .block_args(region)
            .iter()
            .copied()
            .zip(args.iter().copied())
            .collect();
        if local.len() != args.len() || args.len() != src.block_args(region).len() {
            return Err(self.internal("combine region applied to the wrong number of values"));
        }
        for &op in src.block_ops(region) {
            let d = &src.ops[op];
            if d.loc.is_known() {
                self.loc = d.loc;
            }
            let mut operands = Vec::with_capacity(d.operands.len());
            for &v in &d.operands {
                let x = match local.get(&v) {
                    Some(&x) => x,
                    None => self.scalar(v)?,
                };
                let x = if vector && self.out.ty(x).is_scalar() {
                    self.splat_vec(x)?
                } else {
                    x
                };
                operands.push(x);
            }
            match d.opcode {
                Opcode::Yield => return Ok(operands),
                Opcode::Call => {
                    return Err(
                        self.error("`call` in a combine region must be inlined before lowering")
                    )
                }
                opcode if opcode == Opcode::Const || opcode.is_elementwise() => {
                    let [r] = d.results.as_slice() else {
                        return Err(self.internal("a combine-region op with several results"));
                    };
                    let x = self.emit(opcode, &operands, d.attrs.clone())?;
                    local.insert(*r, x);
                }
                opcode => {
                    return Err(self.error(format!(
                        "`{}` cannot appear in a combine region",
                        opcode.name()
                    )))
                }
            }
        }
        Err(self.error("a combine region must end with `yield`"))
    }

    /// The operands of a combine op: their representations, element kinds
    /// and (common) shape, and the axis.
    fn combine_operands(&mut self, op: Op) -> LResult<(Vec<Repr>, Vec<Elem>, Shape, usize)> {
        let d = &self.src.ops[op];
        let operands = d.operands.clone();
        let axis = d.attrs.int("axis").unwrap_or(0) as usize;
        let shape = self.src_shape(operands[0])?;
        let reprs = operands
            .iter()
            .map(|&v| self.repr(v))
            .collect::<LResult<Vec<_>>>()?;
        let elems = operands.iter().map(|&v| self.src.ty(v).elem()).collect();
        Ok((reprs, elems, shape, axis))
    }

    pub(super) fn lower_scan_with(&mut self, op: Op) -> LResult<()> {
        let region = self.combine_region(op)?;
        let reverse = matches!(
            self.src.ops[op].attrs.get("reverse"),
            Some(Attr::Bool(true))
        );
        let (srcs, elems, shape, axis) = self.combine_operands(op)?;
        let mut combine = |s: &mut Lower<'a>, acc: &[Value], x: &[Value]| {
            let args: Vec<Value> = acc.iter().chain(x).copied().collect();
            s.apply_region(region, &args)
        };
        let outs = if axis + 1 == shape.len() {
            self.scan_innermost(&srcs, &elems, &shape, reverse, &mut combine)?
        } else {
            self.scan_outer(&srcs, &elems, &shape, axis, reverse, &mut combine)?
        };
        self.bind_results(op, outs)
    }

    pub(super) fn lower_reduce_with(&mut self, op: Op) -> LResult<()> {
        let region = self.combine_region(op)?;
        let (srcs, elems, from, axis) = self.combine_operands(op)?;
        let mut to = from.clone();
        to.remove(axis);
        let outs = if axis + 1 == from.len() {
            self.reduce_with_innermost(region, srcs, &elems, &from, &to)?
        } else {
            self.reduce_with_outer(region, &srcs, &elems, &from, &to, axis)?
        };
        self.bind_results(op, outs)
    }

    fn bind_results(&mut self, op: Op, outs: Vec<Repr>) -> LResult<()> {
        let results = self.src.ops[op].results.clone();
        if results.len() != outs.len() {
            return Err(self.internal("combine op results out of step"));
        }
        for (r, out) in results.into_iter().zip(outs) {
            self.bind(r, out);
        }
        Ok(())
    }

    /// Fold each row: full chunks lane-strided into vectors, the vectors'
    /// lanes in order, then the partial chunk's elements (module doc).
    fn reduce_with_innermost(
        &mut self,
        region: Block,
        srcs: Vec<Repr>,
        elems: &[Elem],
        from: &[u32],
        to: &[u32],
    ) -> LResult<Vec<Repr>> {
        let ls = self.layout(from);
        let (full, n) = (i64::from(ls.full_chunks()), i64::from(ls.last()));
        let lanes = i64::from(self.lanes);
        let scoef = ls.coefs();
        let srcs = if full * lanes < n {
            srcs.into_iter()
                .map(|r| self.addressable(r))
                .collect::<LResult<Vec<_>>>()?
        } else {
            srcs
        };
        // Where a vector accumulator's lanes are read back one by one.
        let lane_shape = [self.lanes];
        let scratch = if full > 0 {
            elems
                .iter()
                .map(|&e| self.alloc(e, &lane_shape))
                .collect::<LResult<Vec<_>>>()?
        } else {
            Vec::new()
        };
        let mut results = self.row_results(elems, to)?;
        self.for_each_index(ls.outer(), &mut |s, idx| {
            let row = s.ix_dot(idx, &scoef)?;
            let read_scalars = |s: &mut Lower<'a>, at: Ix| {
                srcs.iter()
                    .map(|r| s.read_scalar(r, at))
                    .collect::<LResult<Vec<_>>>()
            };
            let (acc, next) = if full > 0 {
                let first = srcs
                    .iter()
                    .map(|r| s.read_chunk(r, row))
                    .collect::<LResult<Vec<_>>>()?;
                let folded =
                    s.for_range_carry(lanes, full * lanes, lanes, first, |s, c, acc| {
                        let at = s.ix_add(row, c)?;
                        let x = srcs
                            .iter()
                            .map(|r| s.read_chunk(r, at))
                            .collect::<LResult<Vec<_>>>()?;
                        let args: Vec<Value> = acc.iter().chain(&x).copied().collect();
                        s.apply_region(region, &args)
                    })?;
                for (&buf, &v) in scratch.iter().zip(&folded) {
                    s.store_at(buf, Ix::Const(0), v)?;
                }
                let lanes_of = |s: &mut Lower<'a>, j: Ix| {
                    scratch
                        .iter()
                        .map(|&buf| {
                            let r = Repr::Buf {
                                buf,
                                shape: Shape::from_slice(&lane_shape),
                            };
                            s.read_scalar(&r, j)
                        })
                        .collect::<LResult<Vec<_>>>()
                };
                let first = lanes_of(s, Ix::Const(0))?;
                let acc = s.for_range_carry(1, lanes, 1, first, |s, j, acc| {
                    let x = lanes_of(s, j)?;
                    let args: Vec<Value> = acc.iter().chain(&x).copied().collect();
                    s.apply_region(region, &args)
                })?;
                (acc, full * lanes)
            } else {
                (read_scalars(s, row)?, 1)
            };
            let acc = s.for_range_carry(next, n, 1, acc, |s, k, acc| {
                let at = s.ix_add(row, k)?;
                let x = read_scalars(s, at)?;
                let args: Vec<Value> = acc.iter().chain(&x).copied().collect();
                s.apply_region(region, &args)
            })?;
            results.put(s, idx, &acc)
        })?;
        results.finish(self)
    }

    /// Fold across rows, one `[L]` chunk of the result at a time, in order.
    fn reduce_with_outer(
        &mut self,
        region: Block,
        srcs: &[Repr],
        elems: &[Elem],
        from: &[u32],
        to: &[u32],
        axis: usize,
    ) -> LResult<Vec<Repr>> {
        let (ls, ld) = (self.layout(from), self.layout(to));
        let (scoef, dcoef) = (ls.coefs(), ld.coefs());
        let n = i64::from(from[axis]);
        let step = scoef[axis];
        let pitch = ld.pitch() as i64;
        let lanes = i64::from(self.lanes);
        let mut dests = elems
            .iter()
            .map(|&e| self.dest_chunks(e, to))
            .collect::<LResult<Vec<_>>>()?;
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
                let first = srcs
                    .iter()
                    .map(|r| s.read_chunk(r, base))
                    .collect::<LResult<Vec<_>>>()?;
                let folded = s.for_range_carry(1, n, 1, first, |s, k, acc| {
                    let off = s.ix_mul(k, step)?;
                    let at = s.ix_add(base, off)?;
                    let x = srcs
                        .iter()
                        .map(|r| s.read_chunk(r, at))
                        .collect::<LResult<Vec<_>>>()?;
                    let args: Vec<Value> = acc.iter().chain(&x).copied().collect();
                    s.apply_region(region, &args)
                })?;
                let to = s.ix_add(d_at, c)?;
                for (d, &v) in dests.iter_mut().zip(&folded) {
                    s.write_chunk(d, to, v)?;
                }
                Ok(())
            })
        })?;
        dests.into_iter().map(|d| self.finish(d)).collect()
    }
}
