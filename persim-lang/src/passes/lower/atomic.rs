//! Atomics (`atomic_add`, `atomic_max`, `atomic_min`, `atomic_xchg`,
//! `atomic_cas`) over tiles of pointers.
//!
//! Lowered like `load`: each `[L]` chunk becomes one vector atomic of the
//! same opcode, chunks in layout order, so lanes still update memory in
//! row-major order. A row's partial last chunk carries padded lanes whose
//! pointers are unspecified; its mask is the user's mask (if any) `and` the
//! lane-valid mask, so a padded lane never touches memory. The result is
//! never written in place over an operand: an atomic is not elementwise in
//! the sense of `inplace` (it must run exactly once, where it stands).

use super::emit::LResult;
use super::Lower;
use crate::ir::{Op, Opcode, Value};

impl Lower<'_> {
    pub(super) fn lower_atomic(&mut self, op: Op) -> LResult<()> {
        let result = self.result(op)?;
        let shape = self.src_shape(result)?;
        if shape.is_empty() {
            return self.clone_scalar_op(op);
        }
        let data = &self.src.ops[op];
        let (opcode, attrs) = (data.opcode, data.attrs.clone());
        // Pointers, then `val` (or `cmp`, `val`), then the optional mask.
        let n_values = if opcode == Opcode::AtomicCas { 2 } else { 1 };
        let operands = self.reprs(op)?;
        let mask = operands.get(1 + n_values).cloned();
        let elem = self.src.ty(result).elem();
        // Old values nobody reads (a histogram's) need no buffer.
        let used = self
            .src
            .all_ops()
            .iter()
            .any(|&o| self.src.ops[o].operands.contains(&result));
        let mut dest = if used {
            Some(self.dest_chunks(elem, &shape)?)
        } else {
            None
        };
        self.for_each_chunk(&shape, &mut |s, at, real| {
            let mut args: Vec<Value> = operands[..=n_values]
                .iter()
                .map(|r| s.read_chunk(r, at))
                .collect::<LResult<_>>()?;
            let m = mask.as_ref().map(|m| s.read_chunk(m, at)).transpose()?;
            args.extend(s.chunk_mask(m, real)?);
            let old = s.emit(opcode, &args, attrs.clone())?;
            match &mut dest {
                Some(dest) => s.write_chunk(dest, at, old),
                None => Ok(()),
            }
        })?;
        if let Some(dest) = dest {
            let r = self.finish(dest)?;
            self.bind(result, r);
        }
        Ok(())
    }
}
