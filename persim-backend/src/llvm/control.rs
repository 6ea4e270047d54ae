//! Structured control flow: `for`, `if` and `while` become LLVM blocks with
//! `phi` nodes for loop-carried and yielded values.
//!
//! `for iv in lo..hi step step` tests `lo < hi` once on entry; the latch
//! continues while `step < hi - iv` (unsigned, as `iv < hi` there), which is
//! `iv + step < hi` without overflow, so a loop ending near the type's
//! maximum terminates (the Cranelift backend's rule). The step must be
//! positive: a negative step ends the loop after one iteration, a zero
//! step never ends it (as in Triton).

use super::error::LlvmError;
use super::translate::{RegionEnd, Translator};
use inkwell::basic_block::BasicBlock;
use inkwell::values::{BasicValueEnum, InstructionOpcode as I, PhiValue};
use inkwell::IntPredicate;
use persim_lang::ir::{Block, Dtype, Op, Type, Value};

impl<'a, 'ctx> Translator<'a, 'ctx> {
    /// One `phi` per IR value of `types_of`, at the builder's position.
    fn phis(&mut self, op: Op, types_of: &[Value]) -> Result<Vec<PhiValue<'ctx>>, LlvmError> {
        types_of
            .iter()
            .map(|&v| {
                let ty = self.type_of(op, v)?;
                Ok(self.b.build_phi(ty, "")?)
            })
            .collect()
    }

    fn add_incoming(
        phis: &[PhiValue<'ctx>],
        vals: &[BasicValueEnum<'ctx>],
        from: BasicBlock<'ctx>,
    ) {
        for (p, v) in phis.iter().zip(vals) {
            p.add_incoming(&[(v, from)]);
        }
    }

    /// Bind an IR block's arguments to LLVM values.
    fn bind_args(
        &mut self,
        op: Op,
        block: Block,
        vals: Vec<BasicValueEnum<'ctx>>,
    ) -> Result<(), LlvmError> {
        let args = self.func.block_args(block);
        if args.len() != vals.len() {
            return Err(self.error(
                op,
                format!(
                    "region has {} arguments, {} values flow in",
                    args.len(),
                    vals.len()
                ),
            ));
        }
        for (&a, v) in args.iter().zip(vals) {
            self.set(a, v);
        }
        Ok(())
    }

    fn region(&self, op: Op, i: usize) -> Result<Block, LlvmError> {
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
        end: RegionEnd<'ctx>,
        arity: usize,
    ) -> Result<Option<Vec<BasicValueEnum<'ctx>>>, LlvmError> {
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

    fn set_results(&mut self, op: Op, vals: Vec<BasicValueEnum<'ctx>>) {
        let results = self.func.op(op).results.clone();
        for (r, v) in results.into_iter().zip(vals) {
            self.set(r, v);
        }
    }

    /// Poison values of the IR values' types (for code after a `return`
    /// that no path reaches).
    fn poisons(&self, op: Op, types_of: &[Value]) -> Result<Vec<BasicValueEnum<'ctx>>, LlvmError> {
        types_of
            .iter()
            .map(|&v| Ok(poison(self.type_of(op, v)?)))
            .collect()
    }

    pub fn for_loop(&mut self, op: Op) -> Result<(), LlvmError> {
        let operands = self.operands(op);
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
        let region = self.region(op, 0)?;
        let lo_v = self.get(op, lo)?;
        let hi_v = self.get(op, hi)?;
        let step_v = self.get(op, step)?;
        let init_vals: Vec<_> = inits
            .iter()
            .map(|&v| self.get(op, v))
            .collect::<Result<_, _>>()?;
        let results = self.func.op(op).results.to_vec();

        let body = self.block("for.body");
        let exit = self.block("for.exit");
        let lt = if d.is_signed_int() {
            IntPredicate::SLT
        } else {
            IntPredicate::ULT
        };
        let enter = self.icmp(lt, lo_v, hi_v)?.into_int_value();
        let pre = self.current_block()?;
        self.b.build_conditional_branch(enter, body, exit)?;

        self.b.position_at_end(body);
        let iv = self.b.build_phi(lo_v.get_type(), "iv")?;
        iv.add_incoming(&[(&lo_v, pre)]);
        let carried = self.phis(op, inits)?;
        Self::add_incoming(&carried, &init_vals, pre);
        self.b.position_at_end(exit);
        let exit_phis = self.phis(op, &results)?;
        Self::add_incoming(&exit_phis, &init_vals, pre);

        self.b.position_at_end(body);
        let mut region_args = vec![iv.as_basic_value()];
        region_args.extend(carried.iter().map(|p| p.as_basic_value()));
        self.bind_args(op, region, region_args)?;
        let end = self.translate_region(region)?;
        if let Some(next) = self.expect_yield(op, end, inits.len())? {
            let ivv = iv.as_basic_value();
            let remaining = self.b.build_binop(I::Sub, hi_v, ivv, "")?;
            let more = self
                .icmp(IntPredicate::ULT, step_v, remaining)?
                .into_int_value();
            let iv_next = self.b.build_binop(I::Add, ivv, step_v, "iv.next")?;
            let latch = self.current_block()?;
            iv.add_incoming(&[(&iv_next, latch)]);
            Self::add_incoming(&carried, &next, latch);
            Self::add_incoming(&exit_phis, &next, latch);
            self.b.build_conditional_branch(more, body, exit)?;
        }
        self.b.position_at_end(exit);
        self.set_results(op, exit_phis.iter().map(|p| p.as_basic_value()).collect());
        Ok(())
    }

    /// Branch conditions are scalar `i1`.
    fn expect_scalar_bool(&self, op: Op, v: Value) -> Result<(), LlvmError> {
        let ty = self.func.ty(v);
        if *ty != Type::scalar(Dtype::I1) {
            return Err(self.error(
                op,
                format!("branch condition must be a scalar i1, got {ty}"),
            ));
        }
        Ok(())
    }

    pub fn if_else(&mut self, op: Op) -> Result<(), LlvmError> {
        let cond_v = self.operands(op)[0];
        self.expect_scalar_bool(op, cond_v)?;
        let cond = self.get(op, cond_v)?.into_int_value();
        let regions = [self.region(op, 0)?, self.region(op, 1)?];
        let results = self.func.op(op).results.to_vec();
        let then_b = self.block("then");
        let else_b = self.block("else");
        let merge = self.block("endif");
        self.b.build_conditional_branch(cond, then_b, else_b)?;
        let mut incoming = Vec::new();
        for (block, region) in [then_b, else_b].into_iter().zip(regions) {
            self.b.position_at_end(block);
            let end = self.translate_region(region)?;
            if let Some(vals) = self.expect_yield(op, end, results.len())? {
                incoming.push((vals, self.current_block()?));
                self.b.build_unconditional_branch(merge)?;
            }
        }
        self.b.position_at_end(merge);
        let phis = self.phis(op, &results)?;
        for (vals, from) in &incoming {
            Self::add_incoming(&phis, vals, *from);
        }
        self.set_results(op, phis.iter().map(|p| p.as_basic_value()).collect());
        Ok(())
    }

    pub fn while_loop(&mut self, op: Op) -> Result<(), LlvmError> {
        let inits = self.operands(op);
        let before_region = self.region(op, 0)?;
        let after_region = self.region(op, 1)?;
        let results = self.func.op(op).results.to_vec();
        let init_vals: Vec<_> = inits
            .iter()
            .map(|&v| self.get(op, v))
            .collect::<Result<_, _>>()?;

        let before = self.block("while.before");
        let after = self.block("while.after");
        let exit = self.block("while.exit");
        let pre = self.current_block()?;
        self.b.build_unconditional_branch(before)?;
        self.b.position_at_end(before);
        let carried = self.phis(op, inits)?;
        Self::add_incoming(&carried, &init_vals, pre);
        self.bind_args(
            op,
            before_region,
            carried.iter().map(|p| p.as_basic_value()).collect(),
        )?;
        // The before-region's end is the only predecessor of both `after`
        // and `exit`, so the forwarded values need no phis there.
        let forwarded = match self.translate_region(before_region)? {
            RegionEnd::Condition(c, vals) if vals.len() == results.len() => {
                if let Some(&cond_op) = self.func.block_ops(before_region).last() {
                    let cv = self.operands(cond_op)[0];
                    self.expect_scalar_bool(cond_op, cv)?;
                }
                self.b.build_conditional_branch(c, after, exit)?;
                vals
            }
            RegionEnd::Returned => self.poisons(op, &results)?,
            _ => {
                return Err(self.error(
                    op,
                    "the before-region of `while` must end with `condition` forwarding one value per result",
                ))
            }
        };
        self.b.position_at_end(after);
        self.bind_args(op, after_region, forwarded.clone())?;
        let end = self.translate_region(after_region)?;
        if let Some(next) = self.expect_yield(op, end, inits.len())? {
            let from = self.current_block()?;
            Self::add_incoming(&carried, &next, from);
            self.b.build_unconditional_branch(before)?;
        }
        self.b.position_at_end(exit);
        self.set_results(op, forwarded);
        Ok(())
    }
}

fn poison(ty: inkwell::types::BasicTypeEnum<'_>) -> BasicValueEnum<'_> {
    use inkwell::types::BasicTypeEnum as T;
    match ty {
        T::IntType(t) => t.get_poison().into(),
        T::FloatType(t) => t.get_poison().into(),
        T::PointerType(t) => t.get_poison().into(),
        T::VectorType(t) => t.get_poison().into(),
        T::ArrayType(t) => t.get_poison().into(),
        T::StructType(t) => t.get_poison().into(),
        T::ScalableVectorType(t) => t.get_poison().into(),
    }
}
