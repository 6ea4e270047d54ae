//! Emitting counted loops. A loop that runs once is not emitted: its body is
//! inlined with a constant index. That keeps `[L]` tiles and single rows free
//! of loop overhead, and it is what lets a result of shape `[L]` stay an SSA
//! vector (it is then produced exactly once, in straight-line code).

use super::emit::{Ix, LResult};
use super::Lower;
use crate::ir::{Attrs, Dtype, Opcode, Type, Value};

/// A loop body over indices of several dimensions.
pub(super) type IndexBody<'b, 'a> = dyn FnMut(&mut Lower<'a>, &[Ix]) -> LResult<()> + 'b;

impl<'a> Lower<'a> {
    /// `for i in (lo..hi).step_by(step)` carrying `init`; `body` gets the
    /// index and the carried values and returns the next carried values.
    /// Returns the final carried values.
    pub(super) fn for_range_carry(
        &mut self,
        lo: i64,
        hi: i64,
        step: i64,
        init: Vec<Value>,
        body: impl FnOnce(&mut Self, Ix, Vec<Value>) -> LResult<Vec<Value>>,
    ) -> LResult<Vec<Value>> {
        if step <= 0 {
            return Err(self.internal(format!("loop step {step}")));
        }
        let trips = if hi > lo {
            (hi - lo + step - 1) / step
        } else {
            0
        };
        match trips {
            0 => Ok(init),
            1 => body(self, Ix::Const(lo), init),
            _ => {
                let bounds = [
                    self.const_i32(lo)?,
                    self.const_i32(hi)?,
                    self.const_i32(step)?,
                ];
                let block = self.out.new_block();
                let iv = self.out.add_block_arg(block, Type::scalar(Dtype::I32));
                let types: Vec<Type> = init.iter().map(|&v| self.out.ty(v).clone()).collect();
                let args: Vec<Value> = types
                    .iter()
                    .map(|t| self.out.add_block_arg(block, t.clone()))
                    .collect();
                let mut operands = bounds.to_vec();
                operands.extend(init);
                let op = self.emit_op(Opcode::For, &operands, Attrs::new(), &[block], None)?;
                let outer = std::mem::replace(&mut self.block, block);
                let next = body(self, Ix::Dyn(iv), args)?;
                let next_types: Vec<Type> = next.iter().map(|&v| self.out.ty(v).clone()).collect();
                if next_types != types {
                    return Err(self.internal("loop yields other types than it carries"));
                }
                self.emit_void(Opcode::Yield, &next, Attrs::new())?;
                self.block = outer;
                Ok(self.out.ops[op].results.to_vec())
            }
        }
    }

    /// `for i in (lo..hi).step_by(step)` without carried values.
    pub(super) fn for_range(
        &mut self,
        lo: i64,
        hi: i64,
        step: i64,
        body: impl FnOnce(&mut Self, Ix) -> LResult<()>,
    ) -> LResult<()> {
        self.for_range_carry(lo, hi, step, vec![], |s, i, _| {
            body(s, i)?;
            Ok(vec![])
        })?;
        Ok(())
    }

    /// Nested loops over every index of `dims` (outermost first); `body`
    /// receives one index per dimension.
    pub(super) fn for_each_index(
        &mut self,
        dims: &[u32],
        body: &mut IndexBody<'_, 'a>,
    ) -> LResult<()> {
        let mut prefix = Vec::with_capacity(dims.len());
        self.nest(dims, &mut prefix, body)
    }

    fn nest(
        &mut self,
        dims: &[u32],
        prefix: &mut Vec<Ix>,
        body: &mut IndexBody<'_, 'a>,
    ) -> LResult<()> {
        match dims.split_first() {
            None => body(self, prefix),
            Some((&d, rest)) => self.for_range(0, d.into(), 1, |s, i| {
                prefix.push(i);
                s.nest(rest, prefix, body)?;
                prefix.pop();
                Ok(())
            }),
        }
    }
}
