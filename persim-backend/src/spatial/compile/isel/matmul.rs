//! `buf_matmul` on the matrix unit.
//!
//! `mop.f32 a, va, vb` adds the outer product `va ⊗ vb` (`lanes²` MACs) to
//! an accumulator: `va` must be a *column* of `a` (one element per row of
//! the result) and `vb` a row of `b`. Buffers are row-major, so for each
//! strip of `lanes` rows of the result:
//!
//! ```text
//!  transpose   a[strip, k] → the SRAM strip `At` (k x lanes), one
//!              lanes x lanes block at a time: acc0 = Σ_r a_row(r) ⊗ e_r is
//!              the block transposed; `mrow` + `vst` write its rows
//!  per group of up to `pe.accumulators` column blocks:
//!    init      acc_b = Σ_r e_r ⊗ c_row(r)          (the accumulator = c)
//!    k loop    acc_b += At[kk] ⊗ b[kk, block b]     (lanes k steps per
//!              iteration, unrolled; the tail of k straight-line)
//!    store     d rows ← mrow acc_b, r
//! ```
//!
//! `e_r` are the unit vectors of the identity the memory image puts at
//! [`MemoryMap::identity`]. Multiplying by 1 and adding to +0 is exact, so
//! the products are added to `c` in increasing `k` with the rounding of
//! `dot`, for finite inputs. Two deviations, both from moving values
//! through the unit with `x * 0` and `+0 + x`: a −0 element of `a` or `c`
//! is read as +0, and an infinite or NaN element of `a` (`c`) turns its
//! whole row of `At` (column of the accumulator) into NaN.

use persim_lang::ir::Op;

use super::super::error::CResult;
use super::super::vcode::{BlockId, Term, VArg, VReg};
use super::Isel;
use crate::spatial::isa::{Opcode, RegClass};

/// k steps per iteration of the inner loop (times the column blocks of a
/// group: the `mop`s per iteration).
const K_UNROLL: u32 = 16;

impl Isel<'_> {
    pub(super) fn buf_matmul(&mut self, op: Op) -> CResult<()> {
        let data = self.f.op(op).clone();
        let attr = |name: &str| -> CResult<u32> {
            data.attrs
                .int(name)
                .and_then(|v| u32::try_from(v).ok())
                .filter(|&v| v > 0)
                .ok_or_else(|| self.err(format!("`buf_matmul` without a positive `{name}`")))
        };
        let (m, n, k) = (attr("m")?, attr("n")?, attr("k")?);
        let (lda, ldb, ldc) = (attr("lda")?, attr("ldb")?, attr("ldc")?);
        let lanes = self.lanes;
        if m % lanes != 0 || n % lanes != 0 {
            return Err(self.unsupported(
                op,
                &format!("m = {m} and n = {n} must be multiples of the {lanes} lanes"),
            ));
        }
        let accs = self.input.machine.pe.accumulators.min(32) as u8;
        if accs == 0 {
            return Err(self.unsupported(op, "the machine has no accumulators (pe.accumulators)"));
        }
        let mut addr = [0i32; 4];
        for (i, a) in addr.iter_mut().enumerate() {
            let buf = data.operands[i];
            let place = self.input.map.buffers.get(&buf).copied().ok_or_else(|| {
                self.err("internal error: `buf_matmul` buffer without an SRAM place")
            })?;
            *a = place.addr as i32;
        }
        let [a, b, c, d] = addr;
        let identity = self
            .input
            .map
            .identity
            .ok_or_else(|| self.err("internal error: no identity for `buf_matmul`"))?
            as i32;
        let strip = self.input.map.a_strip as i32;
        let vbytes = (lanes * 4) as i32;
        let lanes_i = lanes as i32;

        self.counted_loop(m / lanes, vec![], |s, row_block, _| {
            let a_row = s.mul_const(row_block, lanes_i * lda as i32 * 4);
            let c_row = s.mul_const(row_block, lanes_i * ldc as i32 * 4);
            // Transpose a[strip, 0..k] into At, block by block.
            let zero = s.li(0);
            s.counted_loop(k.div_ceil(lanes), vec![a_row, zero], |s, _, p| {
                let (pa, pt) = (p[0], p[1]);
                s.emit_args(Opcode::Mzero, &[VArg::Acc(0)]);
                for r in 0..lanes_i {
                    let x = s.vld(Some(pa), a + r * lda as i32 * 4);
                    let e = s.vld(None, identity + r * vbytes);
                    s.mop(0, x, e);
                }
                for i in 0..lanes {
                    let v = s.op1(
                        Opcode::Mrow,
                        RegClass::Vector,
                        &[VArg::Acc(0), VArg::Lane(i as u8)],
                    );
                    s.vst(v, Some(pt), strip + i as i32 * vbytes);
                }
                vec![s.addi(pa, vbytes), s.addi(pt, lanes_i * vbytes)]
            });
            // Column blocks, `accs` at a time.
            let blocks: Vec<u32> = (0..n / lanes).collect();
            for group in blocks.chunks(usize::from(accs)) {
                let col = |blk: u32| blk as i32 * vbytes;
                for (acc, &blk) in group.iter().enumerate() {
                    s.emit_args(Opcode::Mzero, &[VArg::Acc(acc as u8)]);
                    for r in 0..lanes_i {
                        let e = s.vld(None, identity + r * vbytes);
                        let row = s.vld(Some(c_row), c + r * ldc as i32 * 4 + col(blk));
                        s.mop(acc as u8, e, row);
                    }
                }
                let step = |s: &mut Isel<'_>, pt: VReg, pb: VReg, kk: i32| {
                    let va = s.vld(Some(pt), strip + kk * vbytes);
                    for (acc, &blk) in group.iter().enumerate() {
                        let vb = s.vld(Some(pb), b + kk * ldb as i32 * 4 + col(blk));
                        s.mop(acc as u8, va, vb);
                    }
                };
                let (zero_t, zero_b) = (s.li(0), s.li(0));
                let ends = s.counted_loop(k / K_UNROLL, vec![zero_t, zero_b], |s, _, p| {
                    for kk in 0..K_UNROLL as i32 {
                        step(s, p[0], p[1], kk);
                    }
                    vec![
                        s.addi(p[0], K_UNROLL as i32 * vbytes),
                        s.addi(p[1], K_UNROLL as i32 * ldb as i32 * 4),
                    ]
                });
                for kk in 0..(k % K_UNROLL) as i32 {
                    step(s, ends[0], ends[1], kk);
                }
                for (acc, &blk) in group.iter().enumerate() {
                    for r in 0..lanes {
                        let v = s.op1(
                            Opcode::Mrow,
                            RegClass::Vector,
                            &[VArg::Acc(acc as u8), VArg::Lane(r as u8)],
                        );
                        s.vst(v, Some(c_row), d + r as i32 * ldc as i32 * 4 + col(blk));
                    }
                }
            }
            vec![]
        });
        Ok(())
    }

    /// `for i in 0..trip` as blocks, carrying `init`; `body` gets `i` and
    /// the carried registers and returns their next values. Returns the
    /// carried registers' final values.
    fn counted_loop(
        &mut self,
        trip: u32,
        init: Vec<VReg>,
        mut body: impl FnMut(&mut Self, VReg, &[VReg]) -> Vec<VReg>,
    ) -> Vec<VReg> {
        let header: BlockId = self.code.new_block();
        let body_b = self.code.new_block();
        let exit = self.code.new_block();
        let zero = self.li(0);
        let mut pass = vec![zero];
        pass.extend(&init);
        self.jump(header, pass);
        let i = self.code.new_vreg(RegClass::Scalar);
        let carried: Vec<VReg> = init
            .iter()
            .map(|&r| self.code.new_vreg(self.code.class(r)))
            .collect();
        let mut params = vec![i];
        params.extend(&carried);
        self.code.block(header).params = params;
        self.cur = header;
        let end = self.li(trip as i32);
        self.branch(Opcode::Bge, &[i, end], exit, body_b);
        self.cur = body_b;
        let next = body(self, i, &carried);
        let i_next = self.addi(i, 1);
        let mut pass = vec![i_next];
        pass.extend(next);
        self.jump(header, pass);
        self.cur = exit;
        let cur = self.cur;
        debug_assert!(matches!(self.code.block(cur).term, Term::Halt));
        carried
    }

    fn vld(&mut self, base: Option<VReg>, offset: i32) -> VReg {
        self.op1(Opcode::Vld, RegClass::Vector, &[VArg::Mem { base, offset }])
    }

    fn vst(&mut self, v: VReg, base: Option<VReg>, offset: i32) {
        self.emit_args(Opcode::Vst, &[VArg::Reg(v), VArg::Mem { base, offset }]);
    }

    fn mop(&mut self, acc: u8, va: VReg, vb: VReg) {
        self.emit_args(Opcode::Mop, &[VArg::Acc(acc), VArg::Reg(va), VArg::Reg(vb)]);
    }

    fn addi(&mut self, r: VReg, imm: i32) -> VReg {
        self.op1(
            Opcode::Addi,
            RegClass::Scalar,
            &[VArg::Reg(r), VArg::Imm(imm)],
        )
    }

    fn mul_const(&mut self, r: VReg, k: i32) -> VReg {
        self.op1(
            Opcode::Muli,
            RegClass::Scalar,
            &[VArg::Reg(r), VArg::Imm(k)],
        )
    }
}
