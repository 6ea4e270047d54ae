//! Elementwise ops (arithmetic, comparisons, casts, `select`, `ptr_add`) and
//! the creation ops `arange` and `splat`.
//!
//! Operands of an elementwise op share one shape, hence one layout, so the
//! op is a single flat loop over the buffer's chunks: rows do not matter and
//! padded lanes are computed along (no op traps, and nobody reads them).
//! Each chunk is read before it is written, so the result may be written
//! over an operand nothing reads afterwards (`inplace`, `reuse`).

use super::emit::{Ix, LResult};
use super::layout::Repr;
use super::Lower;
use crate::ir::{Attr, Attrs, Dtype, Elem, Op, Opcode, Shape};

impl Lower<'_> {
    /// The shape of a source value (empty for scalars).
    pub(super) fn src_shape(&self, v: crate::ir::Value) -> LResult<Shape> {
        self.src
            .ty(v)
            .shape()
            .map(Shape::from_slice)
            .ok_or_else(|| self.error(format!("{v} is a buffer in tile-level input")))
    }

    /// The single result of a source op.
    pub(super) fn result(&self, op: Op) -> LResult<crate::ir::Value> {
        match self.src.ops[op].results.as_slice() {
            [r] => Ok(*r),
            rs => Err(self.error(format!(
                "`{}` with {} results",
                self.src.ops[op].opcode.name(),
                rs.len()
            ))),
        }
    }

    pub(super) fn lower_elementwise(&mut self, op: Op) -> LResult<()> {
        let src = self.src;
        let data = &src.ops[op];
        let result = self.result(op)?;
        let shape = self.src_shape(result)?;
        if shape.is_empty() {
            return self.clone_scalar_op(op);
        }
        let operands = data
            .operands
            .iter()
            .map(|&v| self.repr(v))
            .collect::<LResult<Vec<_>>>()?;
        let (opcode, attrs) = (data.opcode, data.attrs.clone());
        // f(splat(a), splat(b)) == splat(f(a, b)): compute once on scalars.
        let scalars: Option<Vec<_>> = operands
            .iter()
            .map(|r| match r {
                Repr::Splat { scalar, .. } => Some(*scalar),
                _ => None,
            })
            .collect();
        if let Some(scalars) = scalars {
            let scalar = self.emit(opcode, &scalars, attrs)?;
            self.bind(result, Repr::Splat { scalar, shape });
            return Ok(());
        }
        let elem = src.ty(result).elem();
        if let Some(r) = self.affine_elementwise(opcode, &operands, &shape, elem)? {
            self.bind(result, r);
            return Ok(());
        }
        let mut dest = self.dest_chunks_of(op, elem, &shape)?;
        self.for_data_chunks(&shape, &mut |s, at| {
            let chunks = operands
                .iter()
                .map(|r| s.read_chunk(r, at))
                .collect::<LResult<Vec<_>>>()?;
            let v = s.emit(opcode, &chunks, attrs.clone())?;
            s.write_chunk(&mut dest, at, v)
        })?;
        let r = self.finish(dest)?;
        self.bind(result, r);
        Ok(())
    }

    /// `arange(lo, hi)`: chunk `c` is `arange(lo, lo + L) + c`. A constant
    /// chunk start folds into the `arange` bounds.
    pub(super) fn lower_arange(&mut self, op: Op) -> LResult<()> {
        let result = self.result(op)?;
        let attrs = &self.src.ops[op].attrs;
        let lo = attrs
            .int("lo")
            .ok_or_else(|| self.error("`arange` without `lo`"))?;
        let shape = self.src_shape(result)?;
        if let Some(r) = self.affine_arange(lo, &shape) {
            self.bind(result, r);
            return Ok(());
        }
        let lanes = i64::from(self.lanes);
        let arange = |s: &mut Self, from: i64| {
            let attrs = Attrs::new()
                .with("lo", Attr::Int(from))
                .with("hi", Attr::Int(from + lanes));
            s.emit(Opcode::Arange, &[], attrs)
        };
        let pitch = self.layout(&shape).pitch() as i64;
        let mut dest = self.dest_chunks(Elem::Val(Dtype::I32), &shape)?;
        self.for_range(0, pitch, lanes, |s, at| {
            let v = match at {
                Ix::Const(c) => arange(s, lo + c)?,
                Ix::Dyn(c) => {
                    let base = arange(s, lo)?;
                    let c = s.splat_vec(c)?;
                    s.binary(Opcode::Add, base, c)?
                }
            };
            s.write_chunk(&mut dest, at, v)
        })?;
        let r = self.finish(dest)?;
        self.bind(result, r);
        Ok(())
    }

    /// `splat` stores nothing: readers splat the scalar where they need it.
    pub(super) fn lower_splat(&mut self, op: Op) -> LResult<()> {
        let result = self.result(op)?;
        let scalar = self.scalar(self.src.ops[op].operands[0])?;
        let shape = self.src_shape(result)?;
        self.bind(result, Repr::Splat { scalar, shape });
        Ok(())
    }
}
