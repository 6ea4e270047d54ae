//! Structured control flow: `for`, `if`, `while`. A `return` inside a region
//! ends the whole instance.

use super::{Flow, Instance, Res};
use crate::interp::value::{RtValue, Scalar, Tile};
use crate::ir::Op;

impl Instance<'_, '_, '_> {
    pub(super) fn exec_for(&mut self, op: Op) -> Res<Flow> {
        let lo = self.index_scalar(self.operand(op, 0)?, "a loop bound")?;
        let hi = self.index_scalar(self.operand(op, 1)?, "a loop bound")?;
        let step = self.index_scalar(self.operand(op, 2)?, "a loop step")?;
        if step <= 0 {
            return Err(self.invalid(format!("`for` step {step} is not positive")));
        }
        let body = self.region(op, 0)?;
        let mut carried = self.operand_values(op, 3)?;
        let mut i = lo;
        while i < hi {
            let mut args = vec![RtValue::Tile(Tile::scalar(Scalar::Int(i)))];
            args.extend(carried);
            carried = match self.exec_block(body, args)? {
                Flow::Yield(v) => v,
                Flow::Return => return Ok(Flow::Return),
                _ => return Err(self.invalid("`for` body must end with `yield`")),
            };
            i += step;
        }
        self.set_results(op, carried)?;
        Ok(Flow::Next)
    }

    pub(super) fn exec_if(&mut self, op: Op) -> Res<Flow> {
        let c = self.index_scalar(self.operand(op, 0)?, "an `if` condition")?;
        let branch = self.region(op, if c != 0 { 0 } else { 1 })?;
        match self.exec_block(branch, vec![])? {
            Flow::Yield(v) => self.set_results(op, v)?,
            Flow::Return => return Ok(Flow::Return),
            _ => return Err(self.invalid("`if` branch must end with `yield`")),
        }
        Ok(Flow::Next)
    }

    pub(super) fn exec_while(&mut self, op: Op) -> Res<Flow> {
        let (before, after) = (self.region(op, 0)?, self.region(op, 1)?);
        let mut carried = self.operand_values(op, 0)?;
        loop {
            match self.exec_block(before, carried)? {
                Flow::Condition(true, v) => match self.exec_block(after, v)? {
                    Flow::Yield(next) => carried = next,
                    Flow::Return => return Ok(Flow::Return),
                    _ => return Err(self.invalid("`while` after-region must end with `yield`")),
                },
                Flow::Condition(false, v) => {
                    self.set_results(op, v)?;
                    return Ok(Flow::Next);
                }
                Flow::Return => return Ok(Flow::Return),
                _ => return Err(self.invalid("`while` before-region must end with `condition`")),
            }
        }
    }
}
