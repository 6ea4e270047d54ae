//! `dot(a[M,K], b[K,N], acc[M,N])`.
//!
//! For each row `m` and each `[L]` chunk of `N`, the accumulator chunk stays
//! in a register while `k` runs over the real `K` only (never a padded column
//! of `a`): `acc += splat(a[m,k]) * b[k, chunk]`. Products are added in
//! increasing `k`, the order the interpreter defines, so results match it bit
//! for bit (unless the target fuses, below). `a` and `b` elements are cast to `acc`'s type first when they
//! differ. Each accumulator chunk is read before the result chunk at the
//! same place is written, so the result may take `acc`'s buffer when nothing
//! reads `acc` afterwards and neither `a` nor `b` lives there (`reuse`).
//!
//! The loops are register-blocked: `mr` rows by `nr` chunks of the result
//! share one loop over `k` (`dot_blocking` sizes the block from the
//! target's vector registers), so each `b` chunk and each splat of `a` is
//! loaded once per `mr·nr` multiply-adds instead of once per one; rows and
//! chunks left over run in blocks of one row or one chunk. On a target
//! whose `dot` fuses (`Target::dot_fma`: hosts with FMA, like Triton's FFMA
//! path on GPUs) each step is one `fma`, rounded once.
//!
//! On a target with a matrix unit (`Target::matmul_op`), an all-`f32` `dot`
//! whose `M` and `N` are multiples of the lane count becomes one
//! `buf_matmul` on buffers instead (same rounding, same in-place rule): the
//! backend then sees the whole tile product and can feed its matrix unit.

use super::buffers::Dest;
use super::emit::{Ix, LResult};
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
        let d = DotLoops {
            a: &a,
            b: &b,
            acc: &acc,
            k,
            pa,
            pc,
            cast: (ab != out).then_some(out),
        };
        let chunks = pc / lanes;
        let (mr, nr) = self.dot_blocking(m, chunks);
        let (m_main, c_main) = (m - m % mr, (chunks - chunks % nr) * lanes);
        self.for_range(0, m_main, mr, |s, i| {
            s.for_range(0, c_main, nr * lanes, |s, c| {
                s.dot_block(&d, &mut dest, i, c, [mr, nr])
            })
        })?;
        if c_main < pc {
            self.for_range(0, m_main, mr, |s, i| {
                s.for_range(c_main, pc, lanes, |s, c| {
                    s.dot_block(&d, &mut dest, i, c, [mr, 1])
                })
            })?;
        }
        if m_main < m {
            self.for_range(m_main, m, 1, |s, i| {
                s.for_range(0, pc, lanes, |s, c| {
                    s.dot_block(&d, &mut dest, i, c, [1, 1])
                })
            })?;
        }
        let r = self.finish(dest)?;
        self.bind(result, r);
        Ok(())
    }
}

/// What every block of a lowered `dot` reads.
struct DotLoops<'r> {
    a: &'r Repr,
    b: &'r Repr,
    acc: &'r Repr,
    k: i64,
    /// Row pitches of `a` and of `b`/`acc`/the result.
    pa: i64,
    pc: i64,
    /// The accumulator's type when `a` and `b` differ from it.
    cast: Option<Dtype>,
}

impl Lower<'_> {
    /// Rows and chunks per register block: as many accumulators as half
    /// the target's vector registers (the rest hold `b`'s chunks, the
    /// splat of `a` and a product), at most two chunks wide so each
    /// splat of `a` feeds at least two multiply-adds.
    fn dot_blocking(&self, m: i64, chunks: i64) -> (i64, i64) {
        let budget = i64::from(self.vector_registers / 2).max(1);
        let nr = chunks.clamp(1, 2);
        let mr = (budget / nr).clamp(1, m.max(1));
        (mr, nr)
    }

    /// Rows `i .. i + mr` by chunks `c, c + L, .. c + (nr - 1)·L` of the
    /// result: `mr·nr` accumulators carried through one loop over `k`,
    /// each `b` chunk loaded once per `k` and each `a` element splat once.
    fn dot_block(
        &mut self,
        d: &DotLoops<'_>,
        dest: &mut Dest,
        i: Ix,
        c: Ix,
        [mr, nr]: [i64; 2],
    ) -> LResult<()> {
        let lanes = i64::from(self.lanes);
        let mut rows = Vec::new();
        let mut cols = Vec::new();
        for r in 0..mr {
            rows.push(self.ix_add(i, Ix::Const(r))?);
        }
        for j in 0..nr {
            cols.push(self.ix_add(c, Ix::Const(j * lanes))?);
        }
        let mut ats = Vec::new();
        for &row in &rows {
            for &col in &cols {
                ats.push(self.ix_linear(&[(row, d.pc), (col, 1)])?);
            }
        }
        let mut init = Vec::new();
        for &at in &ats {
            init.push(self.read_chunk(d.acc, at)?);
        }
        let sums = self.for_range_carry(0, d.k, 1, init, |s, kk, sums| {
            let mut ys = Vec::new();
            for &col in &cols {
                let at = s.ix_linear(&[(kk, d.pc), (col, 1)])?;
                let y = s.read_chunk(d.b, at)?;
                ys.push(s.dot_cast(d, y)?);
            }
            let mut next = Vec::with_capacity(sums.len());
            for &row in &rows {
                let at = s.ix_linear(&[(row, d.pa), (kk, 1)])?;
                let x = s.read_scalar(d.a, at)?;
                let x = s.dot_cast(d, x)?;
                let x = s.splat_vec(x)?;
                for &y in &ys {
                    let sum = sums[next.len()];
                    next.push(s.dot_step(sum, x, y)?);
                }
            }
            Ok(next)
        })?;
        for (at, v) in ats.into_iter().zip(sums) {
            self.write_chunk(dest, at, v)?;
        }
        Ok(())
    }

    fn dot_cast(&mut self, d: &DotLoops<'_>, v: Value) -> LResult<Value> {
        match d.cast {
            None => Ok(v),
            Some(to) => self.emit(Opcode::Cast, &[v], Attrs::new().with("to", Attr::Dtype(to))),
        }
    }

    /// `sum + x·y`: one `fma` for float accumulators on targets whose `dot`
    /// fuses (`Target::dot_fma`), else a (rounded or wrapping) product and
    /// sum.
    fn dot_step(&mut self, sum: Value, x: Value, y: Value) -> LResult<Value> {
        let float = self.out.ty(sum).dtype().is_some_and(|d| d.is_float());
        if self.dot_fma && float {
            return self.emit(Opcode::Fma, &[x, y, sum], Attrs::new());
        }
        let p = self.binary(Opcode::Mul, x, y)?;
        self.binary(Opcode::Add, sum, p)
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
