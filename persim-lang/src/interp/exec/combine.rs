//! `reduce_with` and `scan_with`: reductions and scans whose combining step
//! is a region (a user's `#[persim::func]`, inlined).
//!
//! The interpreter's order is sequential: a reduction is
//! `((x[0] ∘ x[1]) ∘ x[2]) ∘ …`, a scan's element `i` is the running value
//! combined with `x[i]` (running first), from the end when `reverse`. The
//! op leaves the order unspecified; the lowering keeps this order along any
//! axis but the innermost, where it folds lane-strided partial results (see
//! `passes::lower::combine_region`), as the built-in `sum` does.

use super::{Flow, Instance, Res};
use crate::interp::tile_ops::strides;
use crate::interp::value::{RtValue, Scalar, Tile};
use crate::ir::{numel, Attr, Block, Op, Shape};

impl Instance<'_, '_, '_> {
    pub(super) fn exec_reduce_with(&mut self, op: Op) -> Res<()> {
        let (tiles, shape, axis, region) = self.combine_inputs(op)?;
        let mut rest = shape.clone();
        let n = rest.remove(axis) as usize;
        let st = strides(&shape);
        let mut out: Vec<Vec<Scalar>> = vec![Vec::new(); tiles.len()];
        for base in line_starts(&shape, axis) {
            let at = |k: usize| base + k * st[axis];
            let mut acc: Vec<Scalar> = tiles.iter().map(|t| t.data[at(0)]).collect();
            for k in 1..n {
                let x: Vec<Scalar> = tiles.iter().map(|t| t.data[at(k)]).collect();
                acc = self.combine(region, &acc, &x)?;
            }
            for (o, a) in out.iter_mut().zip(acc) {
                o.push(a);
            }
        }
        let results = out
            .into_iter()
            .map(|data| {
                RtValue::Tile(Tile {
                    shape: rest.clone(),
                    data,
                })
            })
            .collect();
        self.set_results(op, results)
    }

    pub(super) fn exec_scan_with(&mut self, op: Op) -> Res<()> {
        let reverse = matches!(self.f.ops[op].attrs.get("reverse"), Some(Attr::Bool(true)));
        let (tiles, shape, axis, region) = self.combine_inputs(op)?;
        let n = shape[axis] as usize;
        let st = strides(&shape);
        let mut out: Vec<Vec<Scalar>> = tiles.iter().map(|t| t.data.clone()).collect();
        for base in line_starts(&shape, axis) {
            let order: Vec<usize> = if reverse {
                (0..n).rev().collect()
            } else {
                (0..n).collect()
            };
            let mut acc: Option<Vec<Scalar>> = None;
            for k in order {
                let at = base + k * st[axis];
                let x: Vec<Scalar> = tiles.iter().map(|t| t.data[at]).collect();
                let next = match acc {
                    Some(a) => self.combine(region, &a, &x)?,
                    None => x,
                };
                for (o, &v) in out.iter_mut().zip(&next) {
                    o[at] = v;
                }
                acc = Some(next);
            }
        }
        let results = out
            .into_iter()
            .map(|data| {
                RtValue::Tile(Tile {
                    shape: shape.clone(),
                    data,
                })
            })
            .collect();
        self.set_results(op, results)
    }

    /// The operand tiles (one shape), the shape, the axis and the region.
    fn combine_inputs(&self, op: Op) -> Res<(Vec<Tile>, Shape, usize, Block)> {
        let data = &self.f.ops[op];
        let tiles = data
            .operands
            .iter()
            .map(|&v| self.tile(v).cloned())
            .collect::<Res<Vec<Tile>>>()?;
        let shape = tiles
            .first()
            .map(|t| t.shape.clone())
            .ok_or_else(|| self.invalid("a combine op without operands"))?;
        if tiles
            .iter()
            .any(|t| t.shape != shape || t.data.len() as u64 != numel(&shape))
        {
            return Err(self.invalid("combined tiles of different shapes"));
        }
        let axis = usize::try_from(self.attr_int(op, "axis")?)
            .ok()
            .filter(|&a| a < shape.len())
            .ok_or_else(|| self.invalid(format!("axis out of range for {shape:?}")))?;
        Ok((tiles, shape, axis, self.region(op, 0)?))
    }

    /// Run the combine region on the running values and an element's.
    fn combine(&mut self, region: Block, acc: &[Scalar], x: &[Scalar]) -> Res<Vec<Scalar>> {
        let args = acc
            .iter()
            .chain(x)
            .map(|&s| RtValue::Tile(Tile::scalar(s)))
            .collect();
        let values = match self.exec_block(region, args)? {
            Flow::Yield(v) => v,
            _ => return Err(self.invalid("a combine region must end with `yield`")),
        };
        values
            .into_iter()
            .map(|v| match v {
                RtValue::Tile(t) if t.shape.is_empty() && t.data.len() == 1 => Ok(t.data[0]),
                _ => Err(self.invalid("a combine region must yield scalars")),
            })
            .collect()
    }
}

/// The flat index of element 0 of every line along `axis`.
fn line_starts(shape: &[u32], axis: usize) -> impl Iterator<Item = usize> + '_ {
    let st = strides(shape);
    let total = numel(shape) as usize;
    (0..total).filter(move |&i| (i / st[axis]).is_multiple_of(shape[axis] as usize))
}
