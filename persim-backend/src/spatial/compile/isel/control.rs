//! Structured control flow → blocks and branches.
//!
//! ```text
//!  for:   pre ─jump(lo, inits)─▶ header(iv, carried) ─bge iv, hi─▶ exit
//!                                  │ fall                 (results = carried)
//!                                  ▼
//!                                body ─ iv + step, yields ─jump─▶ header
//!  if:    pre ─beqz c─▶ else ─jump(yields)─▶ join(results)
//!           └─ fall ─▶ then ─jump(yields)──────┘
//!  while: pre ─jump(inits)─▶ before(carried) ─beqz c─▶ exit (results = condition values)
//!                              │ fall
//!                              ▼
//!                            after (args = condition values) ─jump(yields)─▶ before
//! ```
//!
//! Values flow through block parameters only where a block has several
//! predecessors; a loop's results are its header's parameters, which
//! dominate the exit. Branch successors never take arguments.

use persim_lang::ir::{Block, Op, Opcode as IrOp, Value};

use super::super::error::CResult;
use super::super::vcode::{VArg, VReg};
use super::Isel;
use crate::spatial::isa::{Opcode, RegClass};

impl Isel<'_> {
    /// Operands of the terminator (`yield` / `condition`) of a region block.
    fn terminator_operands(&self, b: Block) -> Vec<Value> {
        self.f
            .block_ops(b)
            .last()
            .filter(|&&op| matches!(self.f.op(op).opcode, IrOp::Yield | IrOp::Condition))
            .map(|&op| self.f.op(op).operands.to_vec())
            .unwrap_or_default()
    }

    fn regs(&self, values: &[Value]) -> CResult<Vec<VReg>> {
        values.iter().map(|&v| self.reg(v)).collect()
    }

    /// Fresh block parameters typed like `values`.
    fn params_like(&mut self, block: super::BlockId, values: &[Value]) -> CResult<Vec<VReg>> {
        let mut params = Vec::new();
        for &v in values {
            let class = self.class_of(self.f.ty(v))?;
            params.push(self.code.new_vreg(class));
        }
        self.code.block(block).params = params.clone();
        Ok(params)
    }

    pub(super) fn for_loop(&mut self, op: Op) -> CResult<()> {
        let data = self.f.op(op).clone();
        let (lo, hi, step) = (
            self.reg(data.operands[0])?,
            self.reg(data.operands[1])?,
            self.reg(data.operands[2])?,
        );
        if let Some(&s) = self.consts.get(&step) {
            if s <= 0 {
                return Err(self.err(format!(
                    "`for` with step {s}: only positive steps are supported"
                )));
            }
        }
        let inits = self.regs(&data.operands[3..])?;
        let body_ir = data.regions[0];
        let args = self.f.block_args(body_ir).to_vec();
        let header = self.code.new_block();
        let body = self.code.new_block();
        let exit = self.code.new_block();
        let mut pass = vec![lo];
        pass.extend(inits);
        self.jump(header, pass);
        let params = self.params_like(header, &args)?;
        for (&a, &p) in args.iter().zip(&params) {
            self.bind(a, p);
        }
        self.cur = header;
        // A 64-bit induction variable is a splat (`wide.rs`): its test is a
        // vector compare whose lane 0 the branch reads.
        let iv_elem = self.f.ty(args[0]).elem();
        let wide_iv = super::wide::is_wide(iv_elem);
        if wide_iv {
            let lt = match iv_elem {
                persim_lang::ir::Elem::Val(persim_lang::ir::Dtype::U64) => Opcode::VcmpltUL,
                _ => Opcode::VcmpltL,
            };
            let more = self.op1(lt, RegClass::Mask, &[VArg::Reg(params[0]), VArg::Reg(hi)]);
            let more = self.op1(
                Opcode::Mext,
                RegClass::Scalar,
                &[VArg::Reg(more), VArg::Lane(0)],
            );
            self.branch(Opcode::Beqz, &[more], exit, body);
        } else {
            self.branch(Opcode::Bge, &[params[0], hi], exit, body);
        }
        // A hardware loop for `assemble` if the body stays one block.
        let innermost = self
            .f
            .block_ops(body_ir)
            .iter()
            .all(|&o| self.f.op(o).regions.is_empty());
        if let (Some(&l), Some(&h), Some(&s), true) = (
            self.consts.get(&lo),
            self.consts.get(&hi),
            self.consts.get(&step),
            innermost,
        ) {
            let (l, h, s) = (i64::from(l), i64::from(h), i64::from(s));
            let trips = if h > l { (h - l + s - 1) / s } else { 0 };
            self.code.block(header).trips = u32::try_from(trips).ok();
        }
        self.cur = body;
        self.block(body_ir)?;
        let yields = self.regs(&self.terminator_operands(body_ir))?;
        let next = if wide_iv {
            self.op1(
                Opcode::VaddL,
                RegClass::Vector,
                &[VArg::Reg(params[0]), VArg::Reg(step)],
            )
        } else {
            self.op1(
                Opcode::Add,
                RegClass::Scalar,
                &[VArg::Reg(params[0]), VArg::Reg(step)],
            )
        };
        let mut pass = vec![next];
        pass.extend(yields);
        self.jump(header, pass);
        self.cur = exit;
        for (&r, &p) in data.results.iter().zip(&params[1..]) {
            self.bind(r, p);
        }
        self.loc = data.loc;
        Ok(())
    }

    pub(super) fn if_op(&mut self, op: Op) -> CResult<()> {
        let data = self.f.op(op).clone();
        let cond = self.reg(data.operands[0])?;
        if self.code.class(cond) != RegClass::Scalar {
            return Err(self.err("`if` on a vector condition"));
        }
        let then_b = self.code.new_block();
        let else_b = self.code.new_block();
        let join = self.code.new_block();
        self.branch(Opcode::Beqz, &[cond], else_b, then_b);
        for (region, block) in [(data.regions[0], then_b), (data.regions[1], else_b)] {
            self.cur = block;
            self.block(region)?;
            let yields = self.regs(&self.terminator_operands(region))?;
            self.jump(join, yields);
        }
        let params = self.params_like(join, &data.results)?;
        for (&r, &p) in data.results.iter().zip(&params) {
            self.bind(r, p);
        }
        self.cur = join;
        self.loc = data.loc;
        Ok(())
    }

    pub(super) fn while_loop(&mut self, op: Op) -> CResult<()> {
        let data = self.f.op(op).clone();
        let inits = self.regs(&data.operands)?;
        let (before_ir, after_ir) = (data.regions[0], data.regions[1]);
        let before = self.code.new_block();
        let after = self.code.new_block();
        let exit = self.code.new_block();
        self.jump(before, inits);
        let args = self.f.block_args(before_ir).to_vec();
        let params = self.params_like(before, &args)?;
        for (&a, &p) in args.iter().zip(&params) {
            self.bind(a, p);
        }
        self.cur = before;
        self.block(before_ir)?;
        let cond_ops = self.terminator_operands(before_ir);
        let Some((&c, vals)) = cond_ops.split_first() else {
            return Err(self.err("`while` before-region without `condition`"));
        };
        let c = self.reg(c)?;
        let vals = self.regs(vals)?;
        self.branch(Opcode::Beqz, &[c], exit, after);
        self.cur = after;
        for (&a, &v) in self.f.block_args(after_ir).to_vec().iter().zip(&vals) {
            self.bind(a, v);
        }
        self.block(after_ir)?;
        let yields = self.regs(&self.terminator_operands(after_ir))?;
        self.jump(before, yields);
        self.cur = exit;
        for (&r, &v) in data.results.iter().zip(&vals) {
            self.bind(r, v);
        }
        self.loc = data.loc;
        Ok(())
    }
}
