//! Vector plumbing: moving between a value's parts and its lanes, and the ops
//! that build or consume whole vectors (`arange`, `splat`, `select`,
//! `reduce`), plus the generic elementwise driver every lane-wise op uses.
//!
//! The driver's rule: when every operand and the result have native parts
//! of one shape and the op lowers natively for that lane type, the op is
//! applied part by part; otherwise lanes are extracted, the scalar op runs per
//! lane, and the result is reassembled.

use super::emit;
use super::error::CodegenError;
use super::layout::Layout;
use super::translate::Translator;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{self as cl, types, InstBuilder};
use persim_lang::ir::{CmpPred, Dtype, Op, Opcode, ReduceKind, Value};

impl Translator<'_> {
    /// The lanes of a value as scalar Cranelift values; `i1` lanes as `i8`
    /// 0/1 whatever the layout.
    pub fn lanes_of(&mut self, parts: &[cl::Value], layout: Layout) -> Vec<cl::Value> {
        if !layout.is_native() {
            return parts.to_vec();
        }
        let mut lanes = Vec::with_capacity(layout.lanes as usize);
        for &p in parts {
            for k in 0..layout.per_part {
                let x = self.fb.ins().extractlane(p, k as u8);
                let x = if layout.mask {
                    self.fb.ins().icmp_imm_s(IntCC::NotEqual, x, 0)
                } else {
                    x
                };
                lanes.push(x);
            }
        }
        lanes
    }

    /// Build a value of `layout` from scalar lanes (`i1` lanes as `i8` 0/1).
    pub fn assemble(&mut self, lanes: Vec<cl::Value>, layout: Layout) -> Vec<cl::Value> {
        if !layout.is_native() {
            return lanes;
        }
        let ty = layout.part_type();
        let mut parts = Vec::with_capacity(layout.parts());
        for chunk in lanes.chunks(layout.per_part as usize) {
            let mut v = None;
            for (k, &x) in chunk.iter().enumerate() {
                let x = if layout.mask {
                    self.bool_to_mask_lane(x, layout.lane)
                } else {
                    x
                };
                // `splat` rather than `scalar_to_vector`: x64 cannot move an
                // 8-bit GPR into a vector register with the latter.
                v = Some(match v {
                    None => self.fb.ins().splat(ty, x),
                    Some(v) => self.fb.ins().insertlane(v, x, k as u8),
                });
            }
            parts.push(v.expect("non-empty part"));
        }
        parts
    }

    /// `i8` 0/1 → an all-ones/zero lane of `lane` type.
    fn bool_to_mask_lane(&mut self, x: cl::Value, lane: cl::Type) -> cl::Value {
        let x = if lane.bits() > 8 {
            self.fb.ins().uextend(lane, x)
        } else {
            x
        };
        self.fb.ins().ineg(x)
    }

    /// Apply `f` elementwise. `native` says whether `f` may be applied to
    /// whole native parts (it must then be written for both scalar and vector
    /// Cranelift types).
    pub fn map_elementwise(
        &mut self,
        op: Op,
        operands: &[Value],
        result: Value,
        native: bool,
        mut f: impl FnMut(&mut Self, &[cl::Value]) -> Result<cl::Value, CodegenError>,
    ) -> Result<(), CodegenError> {
        let out = self.layout_of(op, result)?;
        let mut layouts = Vec::with_capacity(operands.len());
        let mut parts = Vec::with_capacity(operands.len());
        for &v in operands {
            layouts.push(self.layout_of(op, v)?);
            parts.push(self.get(op, v)?);
        }
        let all_native =
            out.is_native() && layouts.iter().all(|l| l.is_native() && l.same_shape(&out));
        let results = if native && all_native {
            let mut res = Vec::with_capacity(out.parts());
            for p in 0..out.parts() {
                let args: Vec<cl::Value> = parts.iter().map(|o| o[p]).collect();
                res.push(f(self, &args)?);
            }
            res
        } else {
            let lanes: Vec<Vec<cl::Value>> = parts
                .iter()
                .zip(&layouts)
                .map(|(p, l)| self.lanes_of(p, *l))
                .collect();
            let mut res = Vec::with_capacity(out.lanes as usize);
            for i in 0..out.lanes as usize {
                let args: Vec<cl::Value> = lanes.iter().map(|l| l[i]).collect();
                res.push(f(self, &args)?);
            }
            self.assemble(res, out)
        };
        self.set(result, results);
        Ok(())
    }

    pub fn arange(&mut self, op: Op) -> Result<(), CodegenError> {
        let lo = self.int_attr(op, "lo")?;
        let r = self.result(op)?;
        let out = self.layout_of(op, r)?;
        let lanes = (0..out.lanes as i64).map(|i| lo.wrapping_add(i) as i32);
        let parts = if out.is_native() {
            let lanes: Vec<i32> = lanes.collect();
            lanes
                .chunks(out.per_part as usize)
                .map(|c| {
                    let bytes = c.iter().flat_map(|x| x.to_le_bytes()).collect();
                    emit::vconst(&mut self.fb, out.part_type(), bytes)
                })
                .collect()
        } else {
            lanes
                .map(|x| self.fb.ins().iconst(types::I32, x as i64))
                .collect()
        };
        self.set(r, parts);
        Ok(())
    }

    pub fn splat(&mut self, op: Op) -> Result<(), CodegenError> {
        let src = self.operands(op)[0];
        let x = self.get(op, src)?[0];
        let r = self.result(op)?;
        let out = self.layout_of(op, r)?;
        let parts = if out.is_native() {
            let lane = if out.mask {
                self.bool_to_mask_lane(x, out.lane)
            } else {
                x
            };
            let v = self.fb.ins().splat(out.part_type(), lane);
            vec![v; out.parts()]
        } else {
            vec![x; out.lanes as usize]
        };
        self.set(r, parts);
        self.splat_of[r] = Some(x);
        Ok(())
    }

    pub fn select(&mut self, op: Op) -> Result<(), CodegenError> {
        let operands = self.operands(op).to_vec();
        let r = self.result(op)?;
        self.map_elementwise(op, &operands, r, true, |t, a| {
            Ok(emit::select(&mut t.fb, a[0], a[1], a[2]))
        })
    }

    /// `reduce` of one vector to a scalar, folding lanes in order
    /// (`((x0 ∘ x1) ∘ x2) ∘ ...`) so float sums are reproducible by a plain
    /// sequential loop.
    pub fn reduce(&mut self, op: Op) -> Result<(), CodegenError> {
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
        let combine = match kind {
            ReduceKind::Sum => Opcode::Add,
            ReduceKind::Prod => Opcode::Mul,
            ReduceKind::Max => Opcode::Maximum,
            ReduceKind::Min => Opcode::Minimum,
            ReduceKind::Argmax | ReduceKind::Argmin => Opcode::Cmp,
        };
        if d == Dtype::I1 {
            return Err(self.error(op, "cannot reduce i1"));
        }
        let layout = self.layout_of(op, src)?;
        let parts = self.get(op, src)?;
        let lanes = self.lanes_of(&parts, layout);
        let mut acc = lanes[0];
        if kind.is_index() {
            let mut pos = self.fb.ins().iconst(types::I32, 0);
            for (k, &x) in lanes.iter().enumerate().skip(1) {
                let take = self.arg_beats(kind, d, x, acc);
                acc = self.fb.ins().select(take, x, acc);
                let k = self.fb.ins().iconst(types::I32, k as i64);
                pos = self.fb.ins().select(take, k, pos);
            }
            acc = pos;
        } else {
            for &x in &lanes[1..] {
                acc = self.binary_value(op, combine, d, acc, x)?;
            }
        }
        let r = self.result(op)?;
        self.set(r, vec![acc]);
        Ok(())
    }

    /// Whether the scalar `x`, found after `best`, replaces it as the
    /// `argmax` (`argmin`) candidate: strictly greater (less), or NaN where
    /// `best` is not (the interpreter's `arg_beats`).
    fn arg_beats(
        &mut self,
        kind: ReduceKind,
        d: Dtype,
        x: cl::Value,
        best: cl::Value,
    ) -> cl::Value {
        let pred = if kind == ReduceKind::Argmax {
            CmpPred::Gt
        } else {
            CmpPred::Lt
        };
        let strictly = super::arith::compare_value(&mut self.fb, pred, d, x, best);
        if !d.is_float() {
            return strictly;
        }
        let x_nan = self.fb.ins().fcmp(FloatCC::Unordered, x, x);
        let best_number = self.fb.ins().fcmp(FloatCC::Ordered, best, best);
        let nan_over_number = self.fb.ins().band(x_nan, best_number);
        self.fb.ins().bor(strictly, nan_over_number)
    }

    /// `multiple_of` and `max_contiguous`: the operand itself, with what
    /// is known about it (a splatted scalar here; unit stride in
    /// `note_contiguity`).
    pub fn hint(&mut self, op: Op) -> Result<(), CodegenError> {
        let x = self.operands(op)[0];
        let r = self.result(op)?;
        let parts = self.get(op, x)?;
        self.set(r, parts);
        self.splat_of[r] = self.splat_of[x];
        Ok(())
    }
}
