//! `dot(a[M,K], b[K,N], acc[M,N])`.
//!
//! For each row `m` and each `[L]` chunk of `N`, the accumulator chunk stays
//! in a register while `k` runs over the real `K` only (never a padded column
//! of `a`): `acc += splat(a[m,k]) * b[k, chunk]`. Products are added in
//! increasing `k`, the order the interpreter defines, so results match it bit
//! for bit. `a` and `b` elements are cast to `acc`'s type first when they
//! differ. Each accumulator chunk is read before the result chunk at the
//! same place is written, so the result may take `acc`'s buffer when nothing
//! reads `acc` afterwards and neither `a` nor `b` lives there (`reuse`).

use super::emit::LResult;
use super::Lower;
use crate::ir::{Attr, Attrs, Elem, Op, Opcode, Value};

impl Lower<'_> {
    pub(super) fn lower_dot(&mut self, op: Op) -> LResult<()> {
        let operands = self.src.ops[op].operands.clone();
        let result = self.result(op)?;
        let (sa, sc) = (self.src_shape(operands[0])?, self.src_shape(operands[2])?);
        let dtype = |s: &Self, v: Value| {
            s.src
                .ty(v)
                .dtype()
                .ok_or_else(|| s.error("`dot` of pointers"))
        };
        let (ab, out) = (dtype(self, operands[0])?, dtype(self, operands[2])?);
        let a = self.repr(operands[0])?;
        let a = self.addressable(a)?;
        let (b, acc) = (self.repr(operands[1])?, self.repr(operands[2])?);
        let (m, k) = (i64::from(sa[0]), i64::from(sa[1]));
        let (pa, pc) = (
            self.layout(&sa).pitch() as i64,
            self.layout(&sc).pitch() as i64,
        );
        let lanes = i64::from(self.lanes);
        let cast = |s: &mut Self, v: Value| -> LResult<Value> {
            if ab == out {
                return Ok(v);
            }
            s.emit(
                Opcode::Cast,
                &[v],
                Attrs::new().with("to", Attr::Dtype(out)),
            )
        };
        let mut dest = self.dest_chunks_of(op, Elem::Val(out), &sc)?;
        self.for_range(0, m, 1, |s, i| {
            s.for_range(0, pc, lanes, |s, c| {
                let row = s.ix_mul(i, pc)?;
                let at = s.ix_add(row, c)?;
                let init = s.read_chunk(&acc, at)?;
                let sum = s.for_range_carry(0, k, 1, vec![init], |s, kk, sum| {
                    let a_at = s.ix_linear(&[(i, pa), (kk, 1)])?;
                    let x = s.read_scalar(&a, a_at)?;
                    let x = cast(s, x)?;
                    let x = s.splat_vec(x)?;
                    let b_row = s.ix_mul(kk, pc)?;
                    let b_at = s.ix_add(b_row, c)?;
                    let y = s.read_chunk(&b, b_at)?;
                    let y = cast(s, y)?;
                    let p = s.binary(Opcode::Mul, x, y)?;
                    Ok(vec![s.binary(Opcode::Add, sum[0], p)?])
                })?;
                s.write_chunk(&mut dest, at, sum[0])
            })
        })?;
        let r = self.finish(dest)?;
        self.bind(result, r);
        Ok(())
    }
}
