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
//!
//! On a target with a matrix unit (`Target::matmul_op`), an all-`f32` `dot`
//! whose `M` and `N` are multiples of the lane count becomes one
//! `buf_matmul` on buffers instead (same rounding, same in-place rule): the
//! backend then sees the whole tile product and can feed its matrix unit.

use super::emit::LResult;
use super::layout::Repr;
use super::Lower;
use crate::ir::{Attr, Attrs, Dtype, Elem, Op, Opcode, Value};

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
        if self.matmul_op
            && ab == Dtype::F32
            && out == Dtype::F32
            && sc[0] % self.lanes == 0
            && sc[1] % self.lanes == 0
            && matches!(b, Repr::Buf { .. })
            && matches!(a, Repr::Buf { .. })
        {
            return self.lower_dot_as_matmul(
                op,
                result,
                [a, b, acc],
                [m, k, sc[1].into()],
                [pa, pc],
            );
        }
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

impl Lower<'_> {
    /// `dot` as one `buf_matmul`: the accumulator is first copied into the
    /// destination unless it already lives there or is a buffer of its own
    /// (`d` may be `c`, never `a` or `b`).
    fn lower_dot_as_matmul(
        &mut self,
        op: Op,
        result: Value,
        [a, b, acc]: [Repr; 3],
        [m, k, n]: [i64; 3],
        [pa, pc]: [i64; 2],
    ) -> LResult<()> {
        let sc = [m as u32, n as u32];
        let dest = self.dest_chunks_of(op, Elem::Val(Dtype::F32), &sc)?;
        let d = self
            .dest_buffer(&dest)
            .ok_or_else(|| self.internal("a matrix `dot` result is not a buffer"))?;
        let c = match &acc {
            Repr::Buf { buf, .. } => *buf,
            other => {
                self.copy_into(d, &sc, other)?;
                d
            }
        };
        let (Repr::Buf { buf: ab, .. }, Repr::Buf { buf: bb, .. }) = (&a, &b) else {
            return Err(self.internal("matrix `dot` operands are not buffers"));
        };
        let attrs = Attrs::new()
            .with("m", Attr::Int(m))
            .with("n", Attr::Int(n))
            .with("k", Attr::Int(k))
            .with("lda", Attr::Int(pa))
            .with("ldb", Attr::Int(pc))
            .with("ldc", Attr::Int(pc));
        self.emit_void(Opcode::BufMatmul, &[*ab, *bb, c, d], attrs)?;
        let r = self.finish(dest)?;
        self.bind(result, r);
        Ok(())
    }
}
