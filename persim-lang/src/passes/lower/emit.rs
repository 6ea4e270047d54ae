//! Emitting typed ops into the function being built, and index arithmetic
//! that folds while it is constant.
//!
//! Every op is typed by the op table's rule when it is emitted: a lowering
//! bug becomes an "internal lowering error" naming the source location, not
//! ill-typed IR for a backend to trip over.

use super::{Lower, LowerError};
use crate::ir::{infer_types, Attr, Attrs, Block, Dtype, Op, Opcode, Type, Value};

pub(super) type LResult<T> = Result<T, LowerError>;

/// An `i32` index into a buffer: a constant while it can be folded, else a
/// value. Loops with one trip give constant indices, so a `[L]` tile or a
/// single-row tile is lowered without any index arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ix {
    Const(i64),
    Dyn(Value),
}

impl Lower<'_> {
    /// Emit an op with the given regions; result types follow the op
    /// table's rule, or are `declared` for ops whose rule does not give them.
    pub(super) fn emit_op(
        &mut self,
        opcode: Opcode,
        operands: &[Value],
        attrs: Attrs,
        regions: &[Block],
        declared: Option<Vec<Type>>,
    ) -> LResult<Op> {
        let inferred = infer_types(&self.out, opcode, operands, &attrs)
            .map_err(|e| self.internal(format!("built an ill-typed op: {e}")))?;
        let types = match (inferred, declared) {
            (Some(t), None) => t,
            (None, Some(t)) => t,
            (Some(t), Some(d)) if t == d => t,
            (i, d) => {
                return Err(self.internal(format!(
                    "`{}` result types: rule {i:?}, declared {d:?}",
                    opcode.name()
                )))
            }
        };
        let op = self
            .out
            .create_op(opcode, operands, attrs, regions, types, self.loc);
        self.out.append_op(self.block, op);
        Ok(op)
    }

    /// Emit a single-result op and return its result.
    pub(super) fn emit(
        &mut self,
        opcode: Opcode,
        operands: &[Value],
        attrs: Attrs,
    ) -> LResult<Value> {
        let op = self.emit_op(opcode, operands, attrs, &[], None)?;
        match self.out.ops[op].results.as_slice() {
            [r] => Ok(*r),
            rs => Err(self.internal(format!("`{}` gave {} results", opcode.name(), rs.len()))),
        }
    }

    /// Emit an op without results (`store`, `buf_store`, terminators).
    pub(super) fn emit_void(
        &mut self,
        opcode: Opcode,
        operands: &[Value],
        attrs: Attrs,
    ) -> LResult<()> {
        let op = self.emit_op(opcode, operands, attrs, &[], None)?;
        if !self.out.ops[op].results.is_empty() {
            return Err(self.internal(format!("`{}` has results", opcode.name())));
        }
        Ok(())
    }

    pub(super) fn binary(&mut self, opcode: Opcode, a: Value, b: Value) -> LResult<Value> {
        self.emit(opcode, &[a, b], Attrs::new())
    }

    /// A scalar constant of type `d`.
    pub(super) fn constant(&mut self, d: Dtype, value: Attr) -> LResult<Value> {
        let attrs = Attrs::new().with("value", value).with("ty", Attr::Dtype(d));
        self.emit(Opcode::Const, &[], attrs)
    }

    pub(super) fn const_i32(&mut self, v: i64) -> LResult<Value> {
        let v = i32::try_from(v)
            .map_err(|_| self.error(format!("index {v} does not fit in an i32")))?;
        self.constant(Dtype::I32, Attr::Int(v.into()))
    }

    /// The value of an index.
    pub(super) fn ix(&mut self, i: Ix) -> LResult<Value> {
        match i {
            Ix::Const(c) => self.const_i32(c),
            Ix::Dyn(v) => Ok(v),
        }
    }

    pub(super) fn ix_add(&mut self, a: Ix, b: Ix) -> LResult<Ix> {
        Ok(match (a, b) {
            (Ix::Const(x), Ix::Const(y)) => Ix::Const(x + y),
            (Ix::Const(0), y) | (y, Ix::Const(0)) => y,
            _ => {
                let (x, y) = (self.ix(a)?, self.ix(b)?);
                Ix::Dyn(self.binary(Opcode::Add, x, y)?)
            }
        })
    }

    pub(super) fn ix_mul(&mut self, a: Ix, k: i64) -> LResult<Ix> {
        Ok(match a {
            Ix::Const(x) => Ix::Const(x * k),
            _ if k == 0 => Ix::Const(0),
            _ if k == 1 => a,
            Ix::Dyn(v) => {
                let k = self.const_i32(k)?;
                Ix::Dyn(self.binary(Opcode::Mul, v, k)?)
            }
        })
    }

    /// `Σ index·stride` over `terms`.
    pub(super) fn ix_linear(&mut self, terms: &[(Ix, i64)]) -> LResult<Ix> {
        let mut acc = Ix::Const(0);
        for &(i, k) in terms {
            let t = self.ix_mul(i, k)?;
            acc = self.ix_add(acc, t)?;
        }
        Ok(acc)
    }

    /// `Σ idx[i]·coefs[i]`: the element offset of a multi-index in a layout
    /// (`Layout::coefs`).
    pub(super) fn ix_dot(&mut self, idx: &[Ix], coefs: &[i64]) -> LResult<Ix> {
        let terms: Vec<(Ix, i64)> = idx.iter().copied().zip(coefs.iter().copied()).collect();
        self.ix_linear(&terms)
    }

    /// `a / k` and `a % k` for a non-negative index and a positive constant.
    pub(super) fn ix_divmod(&mut self, a: Ix, k: i64) -> LResult<(Ix, Ix)> {
        Ok(match a {
            Ix::Const(x) => (Ix::Const(x / k), Ix::Const(x % k)),
            _ if k == 1 => (a, Ix::Const(0)),
            Ix::Dyn(v) => {
                let kv = self.const_i32(k)?;
                let q = self.binary(Opcode::Div, v, kv)?;
                let r = self.binary(Opcode::Rem, v, kv)?;
                (Ix::Dyn(q), Ix::Dyn(r))
            }
        })
    }
}
