//! Reusing buffers that already exist: a result written over an operand,
//! a loop carrying its initial value in that value's own buffer.
//!
//! `inplace` decides, on the tile-level input, which *values* are not read
//! after an op. A buffer may hold several values — an `expand_dims` view
//! and its source, a loop's carried value and the loop's result, earlier
//! links of an in-place chain — so a buffer is reused only if every value
//! bound to it so far passes that test, and only if it has exactly the
//! element type and length the new tile needs (a `buf_store` must type-check
//! against it). Values bound to a buffer only later (the results of a loop
//! whose body is being lowered) hold what the loop writes last, after any
//! in-place write of an iteration.
//!
//! When in doubt this module answers "no": a new buffer costs memory, a
//! wrong reuse costs correctness.

use super::emit::LResult;
use super::inplace::{overwrite_rule, Overwrite};
use super::layout::Repr;
use super::Lower;
use crate::ir::{Elem, Op, Type, Value, ValueDef};

impl Lower<'_> {
    /// Whether no value living in `buf` is read after source op `op`.
    fn dead_after(&self, buf: Value, op: Op) -> bool {
        let (Some(analysis), Some(values)) = (&self.in_place, self.living_in.get(&buf)) else {
            return false;
        };
        values.iter().all(|&v| !analysis.read_after(v, op))
    }

    /// Whether `buf` is exactly a buffer for a tile of `elem` and `shape`.
    fn fits(&self, buf: Value, elem: Elem, shape: &[u32]) -> bool {
        let len = self.layout(shape).len();
        u32::try_from(len).is_ok_and(|len| *self.out.ty(buf) == Type::buf(elem, len))
    }

    /// The buffer of `v`, if it lives in one.
    fn buffer_of(&self, v: Value) -> LResult<Option<Value>> {
        Ok(match self.repr(v)? {
            Repr::Buf { buf, .. } => Some(buf),
            _ => None,
        })
    }

    /// An operand's buffer that the result of `op`, a tile of `elem` and
    /// `shape`, may be written into in place; `None` if there is none.
    pub(super) fn in_place_buffer(
        &self,
        op: Op,
        elem: Elem,
        shape: &[u32],
    ) -> LResult<Option<Value>> {
        let Some(analysis) = &self.in_place else {
            return Ok(None);
        };
        let operands = &self.src.ops[op].operands;
        // Operands read at other indices than the one written must not live
        // in the buffer overwritten.
        let mut read_elsewhere = Vec::new();
        if let Some(Overwrite::Operand(i)) = overwrite_rule(self.src.ops[op].opcode) {
            for (j, &v) in operands.iter().enumerate() {
                if j != i {
                    read_elsewhere.extend(self.buffer_of(v)?);
                }
            }
        }
        // Prefer a loop's carried value: its buffer is the loop's slot, so a
        // result yielded back needs no copy.
        let mut candidates = analysis.candidates(op);
        candidates.sort_by_key(|&i| !matches!(self.src.values[operands[i]].def, ValueDef::Arg(..)));
        for i in candidates {
            let Some(buf) = self.buffer_of(operands[i])? else {
                continue;
            };
            if self.fits(buf, elem, shape)
                && !read_elsewhere.contains(&buf)
                && self.dead_after(buf, op)
            {
                return Ok(Some(buf));
            }
        }
        Ok(None)
    }

    /// The buffer of `init`, an initial value of loop `op`, if the loop may
    /// carry the value in it: nothing living there is read after the loop
    /// starts, and no other carried value of the loop took it (`taken`).
    pub(super) fn carried_in_place(
        &self,
        op: Op,
        init: Value,
        taken: &[Value],
    ) -> LResult<Option<Value>> {
        if self.in_place.is_none() {
            return Ok(None);
        }
        let ty = self.src.ty(init);
        let Some(shape) = ty.shape() else {
            return Ok(None);
        };
        let Some(buf) = self.buffer_of(init)? else {
            return Ok(None);
        };
        let ok =
            self.fits(buf, ty.elem(), shape) && !taken.contains(&buf) && self.dead_after(buf, op);
        Ok(ok.then_some(buf))
    }
}
