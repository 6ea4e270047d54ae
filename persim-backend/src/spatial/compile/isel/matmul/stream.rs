//! `buf_matmul` with `k` of one chunk, software-pipelined across strips.
//!
//! Every strip's work is a sequence of *windows*, one per column pair: the
//! pair's `k` steps on the matrix unit. The pairs alternate between two
//! accumulator sets (`a0,a1` and `a2,a3`), so while one set takes `mop`s
//! the other moves rows in the vector, load and store slots:
//!
//! ```text
//!  window j of strip s   (set j % 2 busy with k steps, the other set:)
//!    drain   pair j-1 (or strip s-1's last pair) → d       `mrow` + `vst`
//!    transpose  strip s+1's share of blocks → At[next]    `mset` + `mcol`
//!    fill    pair j+1 (or strip s+1's first pair) ← c      `vld` + `mset`
//! ```
//!
//! A strip's windows read its `a` transposed in one of two `At` buffers
//! while the next strip's blocks go into the other, so nothing but the
//! first strip's transposes and the last pair's drain is left outside the
//! matrix unit's time. The loop over strips carries the pipeline across
//! its back edge (the last pair's drain runs in the next strip's first
//! window); the first strip is emitted before the loop (it has no drain to
//! run), and the last strip's "next strip" work reads the last strip again
//! (its results go unused) instead of reading past `a` and `c`. With an odd
//! number of pairs the last and first pairs share a set: the first waits
//! for the last's drain.

use super::super::super::vcode::{VArg, VReg};
use super::super::Isel;
use super::moves::Move;
use super::Gemm;
use crate::spatial::isa::{Opcode, RegClass};

/// Where one strip's operands are: byte offsets of its rows of `c`/`d`
/// (`pc`) and of the next strip's (`pc_next`) and its rows of `a`
/// (`pa_next`), and the two `At` buffers.
#[derive(Clone, Copy)]
struct StripRegs {
    pc: VReg,
    pc_next: VReg,
    pa_next: VReg,
    at: VReg,
    at_next: VReg,
}

/// The shape shared by every strip.
struct Plan {
    kn: u32,
    /// Column byte offsets of each pair (one when the column count is odd).
    pairs: Vec<Vec<i32>>,
    /// `lanes x lanes` blocks of `k` in a strip.
    blocks: i32,
    /// Bytes between two strips' rows of `c`/`d`.
    stride_c: i32,
}

impl Plan {
    /// The accumulators of pair `j`, with their column offsets.
    fn pair(&self, j: usize) -> Vec<(u8, i32)> {
        let set = set_of(j);
        self.pairs[j]
            .iter()
            .enumerate()
            .map(|(i, &col)| (set[i], col))
            .collect()
    }

    /// Whether the last and first pairs share a set (an odd pair count).
    fn wraps_onto_itself(&self) -> bool {
        self.pairs.len() % 2 == 1
    }

    /// The blocks of the next strip transposed in window `j`: spread evenly.
    fn blocks_in(&self, j: usize) -> std::ops::Range<i32> {
        let p = self.pairs.len();
        let start = |w: usize| ((w * self.blocks as usize).div_ceil(p)) as i32;
        start(j)..start(j + 1)
    }
}

/// `k` steps of a strip's first window whose operands the strip before
/// loads. A load's latency is four cycles and a step two `mop`s, so two
/// would cover the latency; three measured best at 1024^3 (85 781 cycles,
/// against 86 007 with two, 85 908 with four and 86 460 with six, whose
/// registers the allocator spills).
const PRELOADED_STEPS: usize = 3;

fn set_of(j: usize) -> [u8; 2] {
    if j.is_multiple_of(2) {
        [0, 1]
    } else {
        [2, 3]
    }
}

impl Isel<'_> {
    /// `buf_matmul` with `k <= MATMUL_K_CHUNK` on four or more accumulators.
    pub(super) fn buf_matmul_stream(&mut self, g: &Gemm, m: u32, kn: u32) {
        let lanes = self.lanes as i32;
        let vbytes = lanes * 4;
        let cols: Vec<i32> = (0..(g.n / self.lanes) as i32).map(|c| c * vbytes).collect();
        let plan = Plan {
            kn,
            pairs: cols.chunks(2).map(<[i32]>::to_vec).collect(),
            blocks: kn.div_ceil(self.lanes) as i32,
            stride_c: lanes * g.ldc * 4,
        };
        let strips = (m / self.lanes) as i32;
        let stride_a = lanes * g.lda * 4;
        let strip_bytes = plan.blocks * lanes * vbytes;
        let next0 = 1.min(strips - 1);
        let first = StripRegs {
            pc: self.li(0),
            pc_next: self.li(next0 * plan.stride_c),
            pa_next: self.li(next0 * stride_a),
            at: self.li(g.strip),
            at_next: self.li(g.strip + strip_bytes),
        };
        // Strip 0's `a` into At[0], on the second set (the first set fills):
        // block 0 now, the others first thing in the first window, each
        // done well before the step that reads it (they lead its side
        // work, spread evenly over its steps).
        let pa0 = self.li(0);
        let mut head = Vec::new();
        for blk in 0..plan.blocks {
            let acc = set_of(1)[blk as usize % 2];
            head.extend(self.transpose_moves(g, acc, blk, pa0, Some(first.at), 0));
        }
        let rest = head.split_off(2 * self.lanes as usize);
        self.emit_moves(&head);
        self.strip(g, &plan, first, Some(rest), None);
        if strips > 1 {
            // The loop carries the `At` buffers and the first
            // `PRELOADED_STEPS` `k` steps' operands of the strip it enters,
            // loaded at the end of the strip before: the body then starts on `mop`s instead of
            // waiting out a load's latency (a hardware loop's body cannot
            // overlap its own iterations).
            let mut carried = vec![first.at_next, first.at];
            carried.extend(self.first_operands(g, &plan, first.at_next));
            self.counted_loop((strips - 1) as u32, carried, |s, i, at| {
                let strip = s.addi(i, 1);
                // The next strip, or this one again for the last strip.
                let after = s.addi(strip, 1);
                let more = s.op1(
                    Opcode::Slti,
                    RegClass::Scalar,
                    &[VArg::Reg(after), VArg::Imm(strips)],
                );
                let next = s.op1(
                    Opcode::Add,
                    RegClass::Scalar,
                    &[VArg::Reg(strip), VArg::Reg(more)],
                );
                let regs = StripRegs {
                    pc: s.mul_const(strip, plan.stride_c),
                    pc_next: s.mul_const(next, plan.stride_c),
                    pa_next: s.mul_const(next, stride_a),
                    at: at[0],
                    at_next: at[1],
                };
                s.strip(g, &plan, regs, None, Some(&at[2..]));
                // The last strip's next is itself again: its `At` buffer
                // holds a strip of `a`, so these loads stay in bounds.
                let mut next_carried = vec![at[1], at[0]];
                next_carried.extend(s.first_operands(g, &plan, at[1]));
                next_carried
            });
        }
        // The last pair's drain.
        let last = plan.pairs.len() - 1;
        let pc = self.li((strips - 1) * plan.stride_c);
        let drain = self.drain_moves(g, &plan.pair(last), pc, 0);
        self.emit_moves(&drain);
    }

    /// One strip's windows with their side work (see the module doc).
    /// `first`: the first strip's own transposes after block 0 (it has no
    /// previous pair to drain); `None` for the strips in the loop.
    ///
    /// `preloaded`: window 0's first `k` steps' operands, from
    /// [`Self::first_operands`].
    fn strip(
        &mut self,
        g: &Gemm,
        plan: &Plan,
        r: StripRegs,
        first: Option<Vec<Move>>,
        preloaded: Option<&[VReg]>,
    ) {
        let (first, mut head) = match first {
            Some(moves) => (true, moves),
            None => (false, Vec::new()),
        };
        let count = plan.pairs.len();
        let prev_drain =
            |s: &mut Self| s.drain_moves(g, &plan.pair(count - 1), r.pc, -plan.stride_c);
        // Work on the first pair's set before its k steps.
        let mut before = Vec::new();
        if !first && plan.wraps_onto_itself() {
            before.extend(prev_drain(self));
        }
        if first || plan.wraps_onto_itself() {
            before.extend(self.fill_moves(g, &plan.pair(0), r.pc, g.c));
        }
        self.emit_moves(&before);
        for j in 0..count {
            let other = set_of(j + 1);
            let mut side = std::mem::take(&mut head);
            if j > 0 {
                side.extend(self.drain_moves(g, &plan.pair(j - 1), r.pc, 0));
            } else if !first && !plan.wraps_onto_itself() {
                side.extend(prev_drain(self));
            }
            for blk in plan.blocks_in(j) {
                let acc = other[blk as usize % 2];
                side.extend(self.transpose_moves(g, acc, blk, r.pa_next, Some(r.at_next), 0));
            }
            if j + 1 < count {
                side.extend(self.fill_moves(g, &plan.pair(j + 1), r.pc, g.c));
            } else if !plan.wraps_onto_itself() {
                side.extend(self.fill_moves(g, &plan.pair(0), r.pc_next, g.c));
            }
            let pre = if j == 0 { preloaded } else { None };
            self.window(g, plan, &plan.pair(j), r.at, &side, pre);
        }
    }

    /// The first [`PRELOADED_STEPS`] `k` steps' operands of a strip whose
    /// `a` is transposed at `at`: per step its `a` row, then pair 0's `b`
    /// rows.
    fn first_operands(&mut self, g: &Gemm, plan: &Plan, at: VReg) -> Vec<VReg> {
        let vbytes = self.lanes as i32 * 4;
        let mut v = Vec::new();
        for kk in 0..PRELOADED_STEPS.min(plan.kn as usize) as i32 {
            v.push(self.vld(Some(at), kk * vbytes, g.span_at));
            for &(_, col) in &plan.pair(0) {
                v.push(self.vld(None, g.b + kk * g.ldb * 4 + col, g.span_b));
            }
        }
        v
    }

    /// Pair `pair`'s k steps, reading `a` transposed at `at`, with `side`
    /// spread evenly over them; `preloaded`: the first steps' operands
    /// (per step the `a` row, then each column's `b` row).
    fn window(
        &mut self,
        g: &Gemm,
        plan: &Plan,
        pair: &[(u8, i32)],
        at: VReg,
        side: &[Move],
        preloaded: Option<&[VReg]>,
    ) {
        let vbytes = self.lanes as i32 * 4;
        let kn = plan.kn as usize;
        let mut done = 0;
        let per_step = 1 + pair.len();
        for kk in 0..kn {
            let pre = preloaded.and_then(|p| p.get(kk * per_step..(kk + 1) * per_step));
            let va = match pre {
                Some(p) => p[0],
                None => self.vld(Some(at), kk as i32 * vbytes, g.span_at),
            };
            for (c, &(acc, col)) in pair.iter().enumerate() {
                let vb = match pre {
                    Some(p) => p[1 + c],
                    None => self.vld(None, g.b + kk as i32 * g.ldb * 4 + col, g.span_b),
                };
                self.mop(acc, va, vb);
            }
            let quota = (side.len() * (kk + 1)).div_ceil(kn);
            self.emit_moves(&side[done..quota]);
            done = quota;
        }
    }
}
