//! Hints, assertions and printing. Hints are checked: a false promise is
//! undefined behaviour for compiled code, so the specification reports it
//! instead of letting a run depend on it. `max_contiguous` is not checked:
//! whether runs of consecutive values line up with its groups depends on
//! how a tile is split into vectors, which is not the kernel's business.

use super::{Instance, Res};
use crate::debug::{DevicePrint, PrintValue};
use crate::interp::error::InterpErrorKind;
use crate::interp::tile_ops::unravel;
use crate::interp::value::Scalar;
use crate::ir::{Attr, Dtype, Op, Opcode};

impl Instance<'_, '_, '_> {
    /// `multiple_of` and `max_contiguous`: the operand itself.
    pub(super) fn exec_hint(&mut self, op: Op) -> Res<()> {
        let x = self.operand(op, 0)?;
        let t = self.tile(x)?.clone();
        if self.f.ops[op].opcode == Opcode::MultipleOf {
            let k = i128::from(self.attr_int(op, "divisor")?);
            let bad = t
                .data
                .iter()
                .find(|s| matches!(s, Scalar::Int(v) if k == 0 || v % k != 0));
            if let Some(Scalar::Int(v)) = bad {
                return Err(self.error(InterpErrorKind::HintViolated(format!(
                    "`multiple_of({k})` on the value {v}"
                ))));
            }
        }
        self.set_tile(op, t)
    }

    pub(super) fn exec_assume(&mut self, op: Op) -> Res<()> {
        let c = self.index_scalar(self.operand(op, 0)?, "an `assume` condition")?;
        if c == 0 {
            return Err(self.error(InterpErrorKind::HintViolated(
                "the `assume` condition is false".into(),
            )));
        }
        Ok(())
    }

    pub(super) fn exec_assert(&mut self, op: Op) -> Res<()> {
        let t = self.tile(self.operand(op, 0)?)?;
        if t.data.iter().any(|s| s.is_undef()) {
            return Err(self.unspecified("an assertion condition"));
        }
        if t.data.contains(&Scalar::Int(0)) {
            let message = match self.f.ops[op].attrs.get("message") {
                Some(Attr::Str(m)) => m.clone(),
                _ => String::new(),
            };
            return Err(self.error(InterpErrorKind::AssertionFailed { message }));
        }
        Ok(())
    }

    /// One record per element, in row-major order; a scalar with index
    /// operands (lowered IR) prints as that element of its tile.
    pub(super) fn exec_print(&mut self, op: Op) -> Res<()> {
        let data = &self.f.ops[op];
        let prefix = match data.attrs.get("prefix") {
            Some(Attr::Str(p)) => p.clone(),
            _ => return Err(self.invalid("missing `prefix`")),
        };
        let location = self.f.describe_loc(data.loc);
        let mut records = Vec::new();
        let record = |index: Vec<u32>, value: Option<PrintValue>| DevicePrint {
            location: location.clone(),
            program: self.program,
            index,
            prefix: prefix.clone(),
            value,
        };
        match data.operands.split_first() {
            None => records.push(record(Vec::new(), None)),
            Some((&v, indices)) => {
                let d = self.dtype(v)?;
                let t = self.tile(v)?;
                let explicit = indices
                    .iter()
                    .map(|&i| {
                        let i = self.index_scalar(i, "a print index")?;
                        u32::try_from(i).map_err(|_| self.invalid(format!("print index {i}")))
                    })
                    .collect::<Res<Vec<u32>>>()?;
                for (i, &x) in t.data.iter().enumerate() {
                    let index = if t.shape.is_empty() {
                        explicit.clone()
                    } else {
                        unravel(i, &t.shape).into_iter().map(|k| k as u32).collect()
                    };
                    let value =
                        print_value(d, x).ok_or_else(|| self.unspecified("a printed value"))?;
                    records.push(record(index, Some(value)));
                }
            }
        }
        for r in &records {
            (self.printer)(r);
        }
        Ok(())
    }
}

/// The printed form of an element of type `d`; `None` if unspecified.
fn print_value(d: Dtype, x: Scalar) -> Option<PrintValue> {
    Some(match x {
        Scalar::Int(v) if d == Dtype::I1 => PrintValue::Bool(v != 0),
        Scalar::Int(v) => PrintValue::Int(v),
        Scalar::Float(f) => PrintValue::Float(f, d),
        Scalar::Ptr(_) | Scalar::Undef => return None,
    })
}
