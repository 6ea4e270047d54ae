//! Ops that build or consume whole vectors: `arange`, `splat`, `select`
//! and `reduce` (values, and the positions of `argmax`/`argmin`).

use super::error::LlvmError;
use super::translate::Translator;
use inkwell::types::VectorType;
use inkwell::values::BasicValueEnum;
use inkwell::FloatPredicate;
use persim_lang::ir::{CmpPred, Dtype, Op, Opcode, ReduceKind};

impl<'a, 'ctx> Translator<'a, 'ctx> {
    pub fn arange(&mut self, op: Op) -> Result<(), LlvmError> {
        let lo = self.int_attr(op, "lo")?;
        let r = self.result(op)?;
        let n = match self.func.ty(r).shape() {
            Some(&[n]) => n,
            _ => return Err(self.error(op, "lowered `arange` makes one vector")),
        };
        let lanes: Vec<_> = (0..n as i64)
            .map(|i| self.i32c(lo.wrapping_add(i) as i32 as i64))
            .collect();
        self.set(r, VectorType::const_vector(&lanes).into());
        Ok(())
    }

    pub fn splat(&mut self, op: Op) -> Result<(), LlvmError> {
        let src = self.operands(op)[0];
        let x = self.get(op, src)?;
        let r = self.result(op)?;
        let n = match self.func.ty(r).shape() {
            Some(&[n]) => n,
            Some(&[]) => {
                self.set(r, x);
                return Ok(());
            }
            _ => return Err(self.error(op, "lowered `splat` makes one vector")),
        };
        // Vectors of pointers are addresses.
        let lane = match x {
            BasicValueEnum::PointerValue(p) => {
                self.b.build_ptr_to_int(p, self.cx.i64_type(), "")?.into()
            }
            x => x,
        };
        let v = self.splat_value(lane, n)?;
        self.set(r, v);
        self.splat_of.insert(r, x);
        Ok(())
    }

    pub fn select(&mut self, op: Op) -> Result<(), LlvmError> {
        let [c, a, b] = self.operands(op) else {
            return Err(self.error(op, "select takes three operands"));
        };
        let (c, a, b) = (self.get(op, *c)?, self.get(op, *a)?, self.get(op, *b)?);
        let v = self.select_value(c, a, b)?;
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }

    /// `reduce` of one vector to a scalar. Float lanes fold by halves
    /// ([`Translator::fold_halves`]): `max`/`min` give the same value in
    /// any order (NaN payloads aside); sums and products round in that
    /// order, a fixed one, as the reduction chains before them already
    /// do (`Target::reduce_chains`; within the conformance tolerances,
    /// not bit-equal to a sequential loop or to Cranelift's 4-lane
    /// folds). Integer reductions are associative and use LLVM's vector
    /// reductions.
    pub fn reduce(&mut self, op: Op) -> Result<(), LlvmError> {
        let src = self.operands(op)[0];
        let d = self.dtype(op, src)?;
        let kind = self
            .func
            .op(op)
            .attrs
            .reduce_kind()
            .ok_or_else(|| self.error(op, "missing reduction kind"))?;
        if self.func.ty(src).rank() != 1 || self.int_attr(op, "axis")? != 0 {
            return Err(self.error(op, "lowered `reduce` takes one vector along axis 0"));
        }
        if d == Dtype::I1 {
            return Err(self.error(op, "cannot reduce i1"));
        }
        let x = self.get(op, src)?;
        if kind.is_index() {
            let v = self.arg_reduce(kind, d, x)?;
            let r = self.result(op)?;
            self.set(r, v);
            return Ok(());
        }
        let v = if d.is_float() {
            let combine = match kind {
                ReduceKind::Sum => Opcode::Add,
                ReduceKind::Prod => Opcode::Mul,
                ReduceKind::Max => Opcode::Maximum,
                ReduceKind::Min => Opcode::Minimum,
                ReduceKind::Argmax | ReduceKind::Argmin => {
                    return Err(self.error(op, "index reductions are folded above"))
                }
            };
            self.fold_halves(op, combine, d, x)?
        } else {
            let name = match (kind, d.is_signed_int()) {
                (ReduceKind::Sum, _) => "llvm.vector.reduce.add",
                (ReduceKind::Prod, _) => "llvm.vector.reduce.mul",
                (ReduceKind::Argmax | ReduceKind::Argmin, _) => {
                    return Err(self.error(op, "index reductions are folded above"))
                }
                (ReduceKind::Max, true) => "llvm.vector.reduce.smax",
                (ReduceKind::Max, false) => "llvm.vector.reduce.umax",
                (ReduceKind::Min, true) => "llvm.vector.reduce.smin",
                (ReduceKind::Min, false) => "llvm.vector.reduce.umin",
            };
            self.intrinsic(name, &[x.get_type()], &[x])?
        };
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }

    /// `x`'s lanes combined by halves (`lo ∘ hi` on vectors of half the
    /// width, then again): log2(lanes) dependent vector steps instead of a
    /// chain of one per lane. In order, a softmax row's maximum took a
    /// tenth of its time on AVX-512 (16 scalar `maximum`s of eight
    /// instructions each) and its sum 6% (15 dependent adds). An odd lane
    /// left over at a step joins at the end.
    fn fold_halves(
        &self,
        op: Op,
        combine: Opcode,
        d: Dtype,
        x: BasicValueEnum<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        let mut v = x.into_vector_value();
        let mut odd = Vec::new();
        let mut n = v.get_type().get_size();
        while n > 1 {
            let half = n / 2;
            if n % 2 == 1 {
                odd.push(self.lane(v.into(), n - 1)?);
            }
            let part = |from: u32| {
                let picks: Vec<_> = (from..from + half).map(|i| self.i32c(i.into())).collect();
                let picks = inkwell::types::VectorType::const_vector(&picks);
                self.b
                    .build_shuffle_vector(v, v.get_type().get_poison(), picks, "")
            };
            let (lo, hi) = (part(0)?, part(half)?);
            v = self
                .binary_value(op, combine, d, lo.into(), hi.into())?
                .into_vector_value();
            n = half;
        }
        let mut acc = self.lane(v.into(), 0)?;
        for l in odd.into_iter().rev() {
            acc = self.binary_value(op, combine, d, acc, l)?;
        }
        Ok(acc)
    }

    /// `argmax`/`argmin` of one vector: the `i32` lane number of its first
    /// extreme. Lanes are folded in order keeping a candidate and its
    /// position, exactly as the Cranelift JIT (`cranelift/lanes.rs`) and
    /// the interpreter (`interp::numeric::arg_beats`) do, so every backend
    /// picks the same lane: ties keep the lowest index (and `-0.0` ties
    /// `+0.0`, as they compare equal), and the first NaN wins.
    fn arg_reduce(
        &self,
        kind: ReduceKind,
        d: Dtype,
        x: BasicValueEnum<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        let mut best = self.lane(x, 0)?;
        let mut pos: BasicValueEnum<'ctx> = self.i32c(0).into();
        for k in 1..self.lanes_of(x) {
            let l = self.lane(x, k)?;
            let take = self.arg_beats(kind, d, l, best)?;
            best = self.select_value(take, l, best)?;
            pos = self.select_value(take, self.i32c(i64::from(k)).into(), pos)?;
        }
        Ok(pos)
    }

    /// Whether the scalar `x`, found after `best`, replaces it as the
    /// `argmax` (`argmin`) candidate: strictly greater (less), or NaN where
    /// `best` is not.
    fn arg_beats(
        &self,
        kind: ReduceKind,
        d: Dtype,
        x: BasicValueEnum<'ctx>,
        best: BasicValueEnum<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        let pred = if kind == ReduceKind::Argmax {
            CmpPred::Gt
        } else {
            CmpPred::Lt
        };
        // Ordered comparisons: false when either side is NaN.
        let strictly = self.compare_value(pred, d, x, best)?;
        if !d.is_float() {
            return Ok(strictly);
        }
        let x_nan = self.fcmp(FloatPredicate::UNO, x, x)?;
        let best_number = self.fcmp(FloatPredicate::ORD, best, best)?;
        let nan_over_number =
            self.b
                .build_and(x_nan.into_int_value(), best_number.into_int_value(), "")?;
        Ok(self
            .b
            .build_or(strictly.into_int_value(), nan_over_number, "")?
            .into())
    }
}
