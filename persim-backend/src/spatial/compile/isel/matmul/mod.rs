//! `buf_matmul` on the matrix unit.
//!
//! `mop.f32 a, va, vb` adds the outer product `va ⊗ vb` (`lanes²` MACs) to
//! an accumulator: `va` must be a *column* of `a` (one element per row of
//! the result) and `vb` a row of `b`. Buffers are row-major, so `a` is
//! transposed first, beside the matrix unit: a `lanes x lanes` block goes
//! into an accumulator by rows (`mset`) and out by columns (`mcol`) into
//! the SRAM strip `At`. The work of one strip of `lanes` rows of the
//! result, for a chunk of at most [`K_CHUNK`] `k` steps, is made of
//! *accumulator jobs*, each on its own accumulator(s):
//!
//! ```text
//!  transpose   a[strip, kb..kb+lanes] → At        `vld` + `mset`, `mcol` + `vst`
//!  column pair (two column blocks, two accumulators)
//!    fill      acc row r ← `mset` c_row(r)        (exact, vector slot)
//!    k steps   acc_x += At[kk] ⊗ b[kk, x]; acc_y += At[kk] ⊗ b[kk, y]
//!    drain     d row r ← `mrow` acc, r            (vector + store slots)
//! ```
//!
//! Jobs on different accumulators are independent, so one pair's fill and
//! drain (vector, load and store slots) overlap the other pair's `mop`s
//! (MAC slot): with four accumulators two pairs are in flight. With `k` of
//! one chunk (every Triton matmul with `BLOCK_K <= 64`) and four
//! accumulators, [`stream`] software-pipelines this across strips. Else
//! (longer `k`, or fewer accumulators) the code here runs each strip's
//! chunks in turn: the transposes on the second pair's accumulators,
//! blocks 0 and 1 beside the first pair's fill, the later ones spread over
//! the first pair's `k` steps, each due before the first step that reads
//! it; a pair whose accumulators the next pair reuses (fewer than four)
//! drains before that pair fills. A strip's chunks past the first run in a
//! counted loop that reads the running result from `d`; a partial last
//! chunk follows it.
//!
//! Moves in and out of the accumulators are exact, so the products are
//! added to `c` in increasing `k` with the rounding of `dot`. Every SRAM
//! access carries the span of its buffer (`VInst::span`): the scheduler
//! then lets loads from `a`, `b`, `c` and `At` pass stores to `d` and `At`
//! through other base registers.

mod moves;
mod stream;

use std::collections::VecDeque;

use persim_lang::ir::{Op, Type};

use self::moves::Move;
use super::super::error::CResult;
use super::super::vcode::{BlockId, SramSpan, Term, VArg, VInst, VReg};
use super::Isel;
use crate::spatial::isa::{Opcode, RegClass};

use super::super::memory_map::MATMUL_K_CHUNK as K_CHUNK;

/// Addresses of one `buf_matmul`'s operands and its shape.
#[derive(Clone, Copy)]
struct Gemm {
    a: i32,
    b: i32,
    c: i32,
    d: i32,
    n: u32,
    lda: i32,
    ldb: i32,
    ldc: i32,
    strip: i32,
    /// The SRAM each operand's accesses stay within (`a` with a vector
    /// more: a partial chunk's transposes read whole vectors), and the two
    /// transposed strips.
    span_a: SramSpan,
    span_b: SramSpan,
    span_c: SramSpan,
    span_d: SramSpan,
    span_at: SramSpan,
}

/// One strip's chunk of `kn` `k` steps: `pa` addresses the strip's first
/// `a` element of the chunk (relative to `Gemm::a`), `pb` the chunk's
/// first `b` row (relative to `Gemm::b`), `pc` the strip's rows of `c`/`d`;
/// `src` is where the accumulators start from (`c` or `d`).
#[derive(Clone, Copy)]
struct Chunk {
    kn: u32,
    pa: VReg,
    pb: VReg,
    pc: VReg,
    src: i32,
}

/// Whether two pairs use no accumulator in common.
fn disjoint(a: &[(u8, i32)], b: &[(u8, i32)]) -> bool {
    a.iter().all(|&(x, _)| b.iter().all(|&(y, _)| x != y))
}

/// Hands out accumulators round robin.
struct Accs {
    count: u8,
    next: u8,
}

impl Accs {
    fn take(&mut self) -> u8 {
        let a = self.next;
        self.next = (self.next + 1) % self.count;
        a
    }
}

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
        let count = self.input.machine.pe.accumulators.min(32) as u8;
        if count < 2 {
            return Err(self.unsupported(
                op,
                "the matrix unit needs at least 2 accumulators (pe.accumulators)",
            ));
        }
        let mut addr = [0i32; 4];
        let mut spans = [SramSpan { lo: 0, hi: 0 }; 4];
        for i in 0..4 {
            let buf = data.operands[i];
            let place = self.input.map.buffers.get(&buf).copied().ok_or_else(|| {
                self.err("internal error: `buf_matmul` buffer without an SRAM place")
            })?;
            let Type::Buf { len, .. } = self.f.ty(buf) else {
                return Err(self.err("internal error: `buf_matmul` of a non-buffer"));
            };
            addr[i] = place.addr as i32;
            spans[i] = SramSpan {
                lo: place.addr,
                hi: place.addr + len * place.elem_bytes,
            };
        }
        spans[0].hi += lanes * 4;
        // A block of rows of a larger product (`row0`, from
        // `early-write-out`): its rows of `a`, `c` and `d`; the spans stay
        // the whole buffers.
        let first_row = |name: &str, default: u32| match data.attrs.int(name) {
            None => Ok(default),
            Some(r) => u32::try_from(r)
                .map_err(|_| self.err(format!("`buf_matmul` with a negative `{name}` ({r})"))),
        };
        let row0 = first_row("row0", 0)?;
        // Its rows of `a` may start elsewhere (`arow0`: a tile in pieces).
        let arow0 = first_row("arow0", row0)?;
        let [a, b, c, d] = addr;
        let (a, c, d) = (
            a + (arow0 * lda * 4) as i32,
            c + (row0 * ldc * 4) as i32,
            d + (row0 * ldc * 4) as i32,
        );
        let strip = self.input.map.a_strip;
        let strip_bytes = k.min(K_CHUNK).div_ceil(lanes) * lanes * lanes * 4;
        let g = Gemm {
            a,
            b,
            c,
            d,
            n,
            lda: lda as i32,
            ldb: ldb as i32,
            ldc: ldc as i32,
            strip: strip as i32,
            span_a: spans[0],
            span_b: spans[1],
            span_c: spans[2],
            span_d: spans[3],
            span_at: SramSpan {
                lo: strip,
                hi: strip + 2 * strip_bytes,
            },
        };
        if count >= 4 && k <= K_CHUNK {
            self.buf_matmul_stream(&g, m, k);
            return Ok(());
        }
        let lanes_i = lanes as i32;
        let mut accs = Accs { count, next: 0 };
        let full = k / K_CHUNK;
        let tail = k % K_CHUNK;
        self.counted_loop(m / lanes, vec![], |s, row_block, _| {
            let a_row = s.mul_const(row_block, lanes_i * g.lda * 4);
            let c_row = s.mul_const(row_block, lanes_i * g.ldc * 4);
            // The first chunk reads `c`; later ones the running result in `d`.
            let first = full.min(1);
            let zero = s.li(0);
            let (mut pa, mut pb) = (a_row, zero);
            if first == 1 {
                let ch = Chunk {
                    kn: K_CHUNK,
                    pa,
                    pb,
                    pc: c_row,
                    src: g.c,
                };
                s.chunk(&g, &mut accs, ch);
                pa = s.addi(pa, K_CHUNK as i32 * 4);
                pb = s.addi(pb, K_CHUNK as i32 * g.ldb * 4);
            }
            if full > first {
                let ends = s.counted_loop(full - first, vec![pa, pb], |s, _, p| {
                    let ch = Chunk {
                        kn: K_CHUNK,
                        pa: p[0],
                        pb: p[1],
                        pc: c_row,
                        src: g.d,
                    };
                    s.chunk(&g, &mut accs, ch);
                    vec![
                        s.addi(p[0], K_CHUNK as i32 * 4),
                        s.addi(p[1], K_CHUNK as i32 * g.ldb * 4),
                    ]
                });
                (pa, pb) = (ends[0], ends[1]);
            }
            if tail > 0 {
                let src = if full == 0 { g.c } else { g.d };
                s.chunk(
                    &g,
                    &mut accs,
                    Chunk {
                        kn: tail,
                        pa,
                        pb,
                        pc: c_row,
                        src,
                    },
                );
            }
            vec![]
        });
        Ok(())
    }

    /// One strip's chunk (see [`Chunk`]).
    ///
    /// The code is emitted in software-pipelined order — the previous
    /// pair's drain and the next pair's fill spread over this pair's `k`
    /// steps — so that register allocation, which follows this order, does
    /// not tie them to each other, and the scheduler only has to keep it.
    fn chunk(&mut self, g: &Gemm, accs: &mut Accs, ch: Chunk) {
        let Chunk { kn, pb, .. } = ch;
        let lanes = self.lanes as i32;
        let vbytes = lanes * 4;
        // Column blocks two at a time (the last alone when n / lanes is odd).
        let cols: Vec<i32> = (0..(g.n / self.lanes) as i32).collect();
        let pairs: Vec<Vec<(u8, i32)>> = cols
            .chunks(2)
            .map(|p| p.iter().map(|&c| (accs.take(), c * vbytes)).collect())
            .collect();
        let fills = |s: &Self, pair: &[(u8, i32)]| s.fill_moves(g, pair, ch.pc, ch.src);
        let mut queue: VecDeque<Move> = fills(self, &pairs[0]).into();
        let mut timed = self.transposes(g, accs, &pairs, &ch, &mut queue);
        for (j, pair) in pairs.iter().enumerate() {
            let mine = |acc: u8| pair.iter().any(|&(a, _)| a == acc);
            // Whatever touches this pair's accumulators goes first.
            while queue.iter().any(|s| mine(s.acc())) {
                let side = queue.pop_front().expect("non-empty");
                self.emit_moves(&[side]);
            }
            // The next pair's fill overlaps these k steps unless it reuses
            // one of this pair's accumulators (fewer than four): then it
            // waits for this pair's drain.
            let mut after_drain = None;
            if let Some(next) = pairs.get(j + 1) {
                if !disjoint(next, pair) {
                    after_drain = Some(fills(self, next));
                } else if timed.is_empty() {
                    queue.extend(fills(self, next));
                } else {
                    // After the transposes on the same accumulators.
                    timed.extend(fills(self, next).into_iter().map(|f| (f, kn)));
                }
            }
            // Side work that leaves this pair alone overlaps its k steps.
            let overlap = queue.len();
            let mut done = 0;
            let (timed_total, mut timed_done) = (timed.len(), 0);
            for kk in 0..kn as i32 {
                // Timed work due before this step (a block of At it reads).
                while timed.front().is_some_and(|&(_, due)| due <= kk as u32) {
                    let (side, _) = timed.pop_front().expect("non-empty");
                    self.emit_moves(&[side]);
                    timed_done += 1;
                }
                let va = self.vld(None, g.strip + kk * vbytes, g.span_at);
                for &(acc, col) in pair {
                    let vb = self.vld(Some(pb), g.b + kk * g.ldb * 4 + col, g.span_b);
                    self.mop(acc, va, vb);
                }
                // The rest of the timed work spread evenly over the steps.
                let quota = (timed_total * (kk as usize + 1)).div_ceil(kn as usize);
                while timed_done < quota {
                    let (side, _) = timed.pop_front().expect("counted");
                    self.emit_moves(&[side]);
                    timed_done += 1;
                }
                let due = (overlap - done).div_ceil(kn as usize - kk as usize);
                for _ in 0..due {
                    let side = queue.pop_front().expect("counted");
                    self.emit_moves(&[side]);
                    done += 1;
                }
            }
            queue.extend(self.drain_moves(g, pair, ch.pc, 0));
            queue.extend(after_drain.into_iter().flatten());
        }
        let rest: Vec<Move> = queue.into();
        self.emit_moves(&rest);
    }

    /// Transpose a[strip, chunk] into At, one lanes x lanes block per
    /// accumulator. With a second pair on two other accumulators, the
    /// transposes use those two only: the first pair's fill (emitted here,
    /// from `queue`) overlaps the first two blocks' transposes, and the
    /// rest of the transposes and drains are returned as timed side work
    /// for the first pair's `k` steps, each block due before the first
    /// step that reads it. Else the transposes take every accumulator as it
    /// comes round, before the pairs, and nothing is timed.
    fn transposes(
        &mut self,
        g: &Gemm,
        accs: &mut Accs,
        pairs: &[Vec<(u8, i32)>],
        ch: &Chunk,
        queue: &mut VecDeque<Move>,
    ) -> VecDeque<(Move, u32)> {
        let mut timed = VecDeque::new();
        let blocks = ch.kn.div_ceil(self.lanes) as i32;
        let lanes = self.lanes as i32;
        match pairs.get(1) {
            Some(next) if next.len() == 2 && disjoint(next, &pairs[0]) => {
                let fill: Vec<Move> = queue.drain(..).collect();
                self.emit_moves(&fill);
                // Blocks 0 and 1 now, rows interleaved (the first `k` steps
                // wait for block 0's rows only; one block alone was measured
                // slower: its `mop`s wait on the fill's loads), the others in
                // turn on the two accumulators.
                let t = [next[0].0, next[1].0];
                let first: Vec<(u8, i32)> =
                    (0..blocks.min(2)).map(|b| (t[b as usize], b)).collect();
                self.transpose(g, &first, ch.pa);
                self.emit_moves(&self.block_columns(g, t[0], 0, None, g.strip));
                let due = |blk: i32| (blk * lanes) as u32;
                for blk in 1..blocks {
                    let acc = t[blk as usize % 2];
                    // Block 1 was transposed above; the others wait for the
                    // drain of the block before them on `acc`.
                    let mut moves = Vec::new();
                    if blk >= 2 {
                        moves.extend(self.block_rows(g, acc, blk, ch.pa));
                    }
                    moves.extend(self.block_columns(g, acc, blk, None, g.strip));
                    timed.extend(moves.into_iter().map(|mv| (mv, due(blk))));
                }
            }
            _ => {
                let order: Vec<(u8, i32)> = (0..blocks).map(|blk| (accs.take(), blk)).collect();
                for group in order.chunks(usize::from(accs.count)) {
                    self.transpose(g, group, ch.pa);
                    for &(acc, blk) in group {
                        self.emit_moves(&self.block_columns(g, acc, blk, None, g.strip));
                    }
                }
            }
        }
        timed
    }

    /// Blocks `group` (accumulator, block of `lanes` `k` columns) of the
    /// strip's `a` into their accumulators by rows, interleaved across the
    /// group; [`Isel::block_columns`] reads them out by columns.
    fn transpose(&mut self, g: &Gemm, group: &[(u8, i32)], pa: VReg) {
        let rows: Vec<Vec<Move>> = group
            .iter()
            .map(|&(acc, blk)| self.block_rows(g, acc, blk, pa))
            .collect();
        for r in 0..self.lanes as usize {
            for block in &rows {
                self.emit_moves(&block[r..=r]);
            }
        }
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
        // The bound before the header, which then holds only its `bge` and
        // its trip count: the shape `assemble` turns into a hardware loop
        // when the body stays one block (no `bge`, `j` and branch bubble
        // per iteration).
        let end = self.li(trip as i32);
        self.code.block(header).trips = Some(trip);
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

    /// A vector load that stays within `span`.
    fn vld(&mut self, base: Option<VReg>, offset: i32, span: SramSpan) -> VReg {
        let d = self.code.new_vreg(RegClass::Vector);
        let mut inst = VInst::new(Opcode::Vld, &[VArg::Reg(d), VArg::Mem { base, offset }]);
        inst.span = Some(span);
        self.emit(inst);
        d
    }

    /// A vector store that stays within `span`.
    fn vst(&mut self, v: VReg, base: Option<VReg>, offset: i32, span: SramSpan) {
        let mut inst = VInst::new(Opcode::Vst, &[VArg::Reg(v), VArg::Mem { base, offset }]);
        inst.span = Some(span);
        self.emit(inst);
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
