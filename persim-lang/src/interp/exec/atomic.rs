//! Atomics: `atomic_add`, `atomic_max`, `atomic_min`, `atomic_xchg` and
//! `atomic_cas` through a tile (or scalar) of pointers.
//!
//! The interpreter runs program instances one after another, so an atomic
//! is a plain read-modify-write here; what makes it the specification is
//! the per-lane order (row-major, each lane seeing the writes of the lanes
//! before it, as the JIT's sequentially consistent instructions do) and the
//! combine functions, which are the elementwise ops' own semantics. A lane
//! is checked like a store (in bounds, mutable argument, defined value)
//! before it touches memory.

use super::{Instance, Res};
use crate::interp::memory::encode;
use crate::interp::numeric::binary;
use crate::interp::value::{Scalar, Tile};
use crate::ir::{Dtype, Elem, Op, Opcode};

/// Whether two elements of type `d` have the same bits in memory: what
/// `atomic_cas` compares (so `-0.0` differs from `0.0` and a NaN matches
/// itself, as on hardware).
fn same_bits(d: Dtype, a: Scalar, b: Scalar) -> Result<bool, String> {
    let (mut x, mut y) = (Vec::with_capacity(8), Vec::with_capacity(8));
    encode(d, a, &mut x)?;
    encode(d, b, &mut y)?;
    Ok(x == y)
}

impl Instance<'_, '_, '_> {
    pub(super) fn exec_atomic(&mut self, op: Op) -> Res<()> {
        let opcode = self.f.ops[op].opcode;
        let pv = self.operand(op, 0)?;
        let d = match self.f.ty(pv).elem() {
            Elem::Ptr(d) => d,
            e => return Err(self.invalid(format!("`{}` through {e}", opcode.name()))),
        };
        let ptrs = self.tile(pv)?.clone();
        // Value operands: `val`, or `cmp` then `val` for `atomic_cas`.
        let n_values = if opcode == Opcode::AtomicCas { 2 } else { 1 };
        let mut values = Vec::with_capacity(n_values);
        for i in 1..=n_values {
            let t = self.tile(self.operand(op, i)?)?.clone();
            if t.shape != ptrs.shape {
                return Err(self.invalid("atomic operand's shape differs from the pointers'"));
            }
            values.push(t);
        }
        let mask = self.mask_of(op, 1 + n_values, &ptrs.shape)?;
        let zero = if d.is_float() {
            Scalar::Float(0.0)
        } else {
            Scalar::Int(0)
        };
        let mut old = Vec::with_capacity(ptrs.data.len());
        for (i, &x) in ptrs.data.iter().enumerate() {
            if !self.lane_active(mask.as_ref(), i, "an atomic's mask")? {
                old.push(zero);
                continue;
            }
            let p = self.lane_pointer(op, x)?;
            let lane: Vec<Scalar> = values.iter().map(|t| t.data[i]).collect();
            if lane.iter().any(|v| v.is_undef()) {
                return Err(self.unspecified("an atomic's operand"));
            }
            self.global
                .check_store(p, d)
                .map_err(|f| self.fault(f, p, true))?;
            let current = self
                .global
                .load(p, d)
                .map_err(|f| self.fault(f, p, false))?;
            let new = match opcode {
                Opcode::AtomicAdd => binary(Opcode::Add, d, current, lane[0]),
                Opcode::AtomicMax => binary(Opcode::Maximum, d, current, lane[0]),
                Opcode::AtomicMin => binary(Opcode::Minimum, d, current, lane[0]),
                Opcode::AtomicXchg => Ok(lane[0]),
                Opcode::AtomicCas => {
                    same_bits(d, current, lane[0]).map(|same| if same { lane[1] } else { current })
                }
                o => Err(format!("`{}` is not an atomic", o.name())),
            }
            .map_err(|m| self.invalid(m))?;
            self.global.store(p, d, new).map_err(|m| self.invalid(m))?;
            old.push(current);
        }
        self.set_tile(
            op,
            Tile {
                shape: ptrs.shape,
                data: old,
            },
        )
    }
}
