//! `assert` and `print` on tiles. (`assume` takes a scalar and is copied
//! as it is; `multiple_of` and `max_contiguous` are elementwise.)
//!
//! - `assert` of a tile checks it one `[L]` chunk at a time; in a row's
//!   partial last chunk the padded lanes are replaced by `true` first, so
//!   their unspecified contents can never fail an assertion.
//! - `print` of a tile prints its elements one scalar at a time, in
//!   row-major order, each followed by its index in every dimension; padded
//!   lanes are never visited.

use super::emit::{Ix, LResult};
use super::layout::Repr;
use super::Lower;
use crate::ir::{Attr, Attrs, Dtype, Op, Opcode};

impl Lower<'_> {
    pub(super) fn lower_assert(&mut self, op: Op) -> LResult<()> {
        let data = &self.src.ops[op];
        let (cond, attrs) = (data.operands[0], data.attrs.clone());
        let shape = self.src_shape(cond)?;
        let repr = self.repr(cond)?;
        let whole = match &repr {
            Repr::Scalar(v) | Repr::Vector(v) => Some(*v),
            Repr::Splat { scalar, .. } => Some(*scalar),
            Repr::Buf { .. } | Repr::Affine(_) => None,
        };
        if let Some(v) = whole {
            return self.emit_void(Opcode::Assert, &[v], attrs);
        }
        let layout = self.layout(&shape);
        let (full, tail) = (i64::from(layout.full_chunks()), layout.tail());
        let lanes = i64::from(self.lanes);
        let coefs = layout.coefs();
        self.for_each_index(layout.outer(), &mut |s, idx| {
            let row = s.ix_dot(idx, &coefs)?;
            s.for_range(0, full * lanes, lanes, |s, c| {
                let at = s.ix_add(row, c)?;
                let v = s.read_chunk(&repr, at)?;
                s.emit_void(Opcode::Assert, &[v], attrs.clone())
            })?;
            if tail > 0 {
                let at = s.ix_add(row, Ix::Const(full * lanes))?;
                let v = s.read_chunk(&repr, at)?;
                let valid = s.lane_valid(tail)?;
                let yes = s.constant(Dtype::I1, Attr::Bool(true))?;
                let yes = s.splat_vec(yes)?;
                let v = s.emit(Opcode::Select, &[valid, v, yes], Attrs::new())?;
                s.emit_void(Opcode::Assert, &[v], attrs.clone())?;
            }
            Ok(())
        })
    }

    pub(super) fn lower_print(&mut self, op: Op) -> LResult<()> {
        let data = &self.src.ops[op];
        let Some(&value) = data.operands.first() else {
            return self.clone_scalar_op(op);
        };
        let attrs = data.attrs.clone();
        let shape = self.src_shape(value)?;
        if shape.is_empty() {
            return self.clone_scalar_op(op);
        }
        let repr = self.repr(value)?;
        let repr = self.addressable(repr)?;
        let layout = self.layout(&shape);
        let n = i64::from(layout.last());
        let coefs = layout.coefs();
        self.for_each_index(layout.outer(), &mut |s, idx| {
            let row = s.ix_dot(idx, &coefs)?;
            s.for_range(0, n, 1, |s, j| {
                let at = s.ix_add(row, j)?;
                let x = s.read_scalar(&repr, at)?;
                let mut operands = vec![x];
                for &i in idx.iter().chain([&j]) {
                    operands.push(s.ix(i)?);
                }
                s.emit_void(Opcode::Print, &operands, attrs.clone())
            })
        })
    }
}
