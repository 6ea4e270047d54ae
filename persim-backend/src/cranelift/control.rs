//! Structured control flow: `for`, `if` and `while` become Cranelift blocks
//! whose parameters carry the loop-carried and yielded values (each IR value
//! flattened to its parts, see [`super::layout`]).
//!
//! `for iv in lo..hi step step` tests `lo < hi` once on entry; the latch
//! continues while `step < hi - iv` (unsigned, as `iv < hi` there), which is
//! `iv + step < hi` without overflow, so a loop ending near the type's
//! maximum terminates. The step must be positive: a negative step ends the
//! loop after one iteration, a zero step never ends it (as in Triton).

use super::error::CodegenError;
use super::translate::{RegionEnd, Translator};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self as cl, BlockArg, InstBuilder};
use persim_lang::ir::{Block, Op, Value};

fn block_args(parts: &[Vec<cl::Value>]) -> Vec<BlockArg> {
    parts.iter().flatten().map(|&v| BlockArg::from(v)).collect()
}

impl Translator<'_> {
    /// Add block parameters for values of the given IR values' types;
    /// returns each value's parts.
    fn add_params(
        &mut self,
        op: Op,
        block: cl::Block,
        types_of: &[Value],
    ) -> Result<Vec<Vec<cl::Value>>, CodegenError> {
        let mut all = Vec::with_capacity(types_of.len());
        for &v in types_of {
            let layout = self.layout_of(op, v)?;
            let ty = layout.part_type();
            let parts = (0..layout.parts())
                .map(|_| self.fb.append_block_param(block, ty))
                .collect();
            all.push(parts);
        }
        Ok(all)
    }

    /// Bind an IR block's arguments to Cranelift values.
    fn bind_args(
        &mut self,
        op: Op,
        block: Block,
        parts: Vec<Vec<cl::Value>>,
    ) -> Result<(), CodegenError> {
        let args = self.func.block_args(block);
        if args.len() != parts.len() {
            return Err(self.error(
                op,
                format!(
                    "region has {} arguments, {} values flow in",
                    args.len(),
                    parts.len()
                ),
            ));
        }
        for (&a, p) in args.iter().zip(parts) {
            self.set(a, p);
        }
        Ok(())
    }

    fn region(&self, op: Op, i: usize) -> Result<Block, CodegenError> {
        self.func
            .op(op)
            .regions
            .get(i)
            .copied()
            .ok_or_else(|| self.error(op, format!("missing region {i}")))
    }

    fn expect_yield(
        &self,
        op: Op,
        end: RegionEnd,
        arity: usize,
    ) -> Result<Option<Vec<Vec<cl::Value>>>, CodegenError> {
        match end {
            RegionEnd::Yield(v) if v.len() == arity => Ok(Some(v)),
            RegionEnd::Yield(v) => Err(self.error(
                op,
                format!("region yields {} values, expected {arity}", v.len()),
            )),
            RegionEnd::Returned => Ok(None),
            RegionEnd::Condition(..) => {
                Err(self.error(op, "`condition` outside a `while` before-region"))
            }
            RegionEnd::FellThrough => Err(self.error(op, "region does not end with `yield`")),
        }
    }

    fn set_results(&mut self, op: Op, parts: Vec<Vec<cl::Value>>) {
        let results = self.func.op(op).results.clone();
        for (r, p) in results.into_iter().zip(parts) {
            self.set(r, p);
        }
    }

    pub fn for_loop(&mut self, op: Op) -> Result<(), CodegenError> {
        let operands = self.operands(op).to_vec();
        let (lo, hi, step) = (operands[0], operands[1], operands[2]);
        let inits = &operands[3..];
        let d = self.dtype(op, lo)?;
        if !d.is_int() || !self.func.ty(lo).is_scalar() {
            return Err(self.error(
                op,
                format!(
                    "loop bounds must be integer scalars, got {}",
                    self.func.ty(lo)
                ),
            ));
        }
        let signed = d.is_signed_int();
        let region = self.region(op, 0)?;
        let lo_v = self.get(op, lo)?[0];
        let hi_v = self.get(op, hi)?[0];
        let step_v = self.get(op, step)?[0];
        let init_parts: Vec<Vec<cl::Value>> = inits
            .iter()
            .map(|&v| self.get(op, v))
            .collect::<Result<_, _>>()?;

        let body = self.fb.create_block();
        let iv_ty = self.fb.func.dfg.value_type(lo_v);
        let iv = self.fb.append_block_param(body, iv_ty);
        let carried = self.add_params(op, body, inits)?;
        let exit = self.fb.create_block();
        let results = self.add_params(op, exit, inits)?;

        let lt = if signed {
            IntCC::SignedLessThan
        } else {
            IntCC::UnsignedLessThan
        };
        let enter = self.fb.ins().icmp(lt, lo_v, hi_v);
        let mut body_args = vec![BlockArg::from(lo_v)];
        body_args.extend(block_args(&init_parts));
        self.fb
            .ins()
            .brif(enter, body, &body_args, exit, &block_args(&init_parts));

        self.fb.switch_to_block(body);
        let mut region_args = vec![vec![iv]];
        region_args.extend(carried);
        self.bind_args(op, region, region_args)?;
        let end = self.translate_region(region)?;
        if let Some(next) = self.expect_yield(op, end, inits.len())? {
            let remaining = self.fb.ins().isub(hi_v, iv);
            let more = self
                .fb
                .ins()
                .icmp(IntCC::UnsignedLessThan, step_v, remaining);
            let iv_next = self.fb.ins().iadd(iv, step_v);
            let mut args = vec![BlockArg::from(iv_next)];
            args.extend(block_args(&next));
            self.fb
                .ins()
                .brif(more, body, &args, exit, &block_args(&next));
        }
        self.fb.switch_to_block(exit);
        self.set_results(op, results);
        Ok(())
    }

    /// Branch conditions are scalar `i1` (an `i8` 0/1).
    fn expect_scalar_bool(&self, op: Op, v: Value) -> Result<(), CodegenError> {
        let ty = self.func.ty(v);
        if *ty != persim_lang::ir::Type::scalar(persim_lang::ir::Dtype::I1) {
            return Err(self.error(
                op,
                format!("branch condition must be a scalar i1, got {ty}"),
            ));
        }
        Ok(())
    }

    pub fn if_else(&mut self, op: Op) -> Result<(), CodegenError> {
        let cond_v = self.operands(op)[0];
        self.expect_scalar_bool(op, cond_v)?;
        let cond = self.get(op, cond_v)?[0];
        let then_region = self.region(op, 0)?;
        let else_region = self.region(op, 1)?;
        let results = self.func.op(op).results.to_vec();
        let then_b = self.fb.create_block();
        let else_b = self.fb.create_block();
        let merge = self.fb.create_block();
        let merged = self.add_params(op, merge, &results)?;
        self.fb.ins().brif(cond, then_b, &[], else_b, &[]);
        for (block, region) in [(then_b, then_region), (else_b, else_region)] {
            self.fb.switch_to_block(block);
            let end = self.translate_region(region)?;
            if let Some(vals) = self.expect_yield(op, end, results.len())? {
                self.fb.ins().jump(merge, &block_args(&vals));
            }
        }
        self.fb.switch_to_block(merge);
        self.set_results(op, merged);
        Ok(())
    }

    pub fn while_loop(&mut self, op: Op) -> Result<(), CodegenError> {
        let inits = self.operands(op).to_vec();
        let before_region = self.region(op, 0)?;
        let after_region = self.region(op, 1)?;
        let results = self.func.op(op).results.to_vec();
        let init_parts: Vec<Vec<cl::Value>> = inits
            .iter()
            .map(|&v| self.get(op, v))
            .collect::<Result<_, _>>()?;

        let before = self.fb.create_block();
        let before_params = self.add_params(op, before, &inits)?;
        let after = self.fb.create_block();
        let after_params = self.add_params(op, after, &results)?;
        let exit = self.fb.create_block();
        let exit_params = self.add_params(op, exit, &results)?;
        self.fb.ins().jump(before, &block_args(&init_parts));

        self.fb.switch_to_block(before);
        self.bind_args(op, before_region, before_params)?;
        match self.translate_region(before_region)? {
            RegionEnd::Condition(c, vals) if vals.len() == results.len() => {
                let cond_op = self.func.block_ops(before_region).last().copied();
                if let Some(cond_op) = cond_op {
                    let cv = self.operands(cond_op)[0];
                    self.expect_scalar_bool(cond_op, cv)?;
                }
                let args = block_args(&vals);
                self.fb.ins().brif(c, after, &args, exit, &args);
            }
            RegionEnd::Returned => {}
            _ => {
                return Err(self.error(
                    op,
                    "the before-region of `while` must end with `condition` forwarding one value per result",
                ))
            }
        }

        self.fb.switch_to_block(after);
        self.bind_args(op, after_region, after_params)?;
        let end = self.translate_region(after_region)?;
        if let Some(next) = self.expect_yield(op, end, inits.len())? {
            self.fb.ins().jump(before, &block_args(&next));
        }
        self.fb.switch_to_block(exit);
        self.set_results(op, exit_params);
        Ok(())
    }
}
