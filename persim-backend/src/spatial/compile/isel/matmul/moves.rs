//! Rows moved between SRAM and the accumulators: `buf_matmul`'s fills,
//! drains and transposes, built as data so that both schedules (`mod.rs`,
//! `stream.rs`) can order and spread them before emitting them.

use super::super::super::vcode::{SramSpan, VArg, VReg};
use super::super::Isel;
use super::Gemm;
use crate::spatial::isa::{Opcode, RegClass};

/// A row moved between SRAM and an accumulator: into it (`vld` + `mset`),
/// or out of it (`mrow`, or `mcol` for a column, + `vst`), at `base +
/// offset` (`base` `None`: an absolute address).
#[derive(Clone, Copy)]
pub(super) enum Move {
    In {
        acc: u8,
        row: u8,
        base: Option<VReg>,
        offset: i32,
        span: SramSpan,
    },
    Out {
        acc: u8,
        row: u8,
        column: bool,
        base: Option<VReg>,
        offset: i32,
        span: SramSpan,
    },
}

impl Move {
    pub(super) fn acc(self) -> u8 {
        match self {
            Move::In { acc, .. } | Move::Out { acc, .. } => acc,
        }
    }
}

impl Isel<'_> {
    pub(super) fn emit_moves(&mut self, moves: &[Move]) {
        for &mv in moves {
            match mv {
                Move::In {
                    acc,
                    row,
                    base,
                    offset,
                    span,
                } => {
                    let v = self.vld(base, offset, span);
                    self.emit_args(
                        Opcode::Mset,
                        &[VArg::Acc(acc), VArg::Lane(row), VArg::Reg(v)],
                    );
                }
                Move::Out {
                    acc,
                    row,
                    column,
                    base,
                    offset,
                    span,
                } => {
                    let opcode = if column { Opcode::Mcol } else { Opcode::Mrow };
                    let v = self.op1(opcode, RegClass::Vector, &[VArg::Acc(acc), VArg::Lane(row)]);
                    self.vst(v, base, offset, span);
                }
            }
        }
    }

    /// A pair's rows of `src` (`c`, or `d` for a later chunk; at `pc`) into
    /// its accumulators, row by row.
    pub(super) fn fill_moves(&self, g: &Gemm, pair: &[(u8, i32)], pc: VReg, src: i32) -> Vec<Move> {
        let span = if src == g.c { g.span_c } else { g.span_d };
        (0..self.lanes as u8)
            .flat_map(|row| {
                pair.iter().map(move |&(acc, col)| Move::In {
                    acc,
                    row,
                    base: Some(pc),
                    offset: src + i32::from(row) * g.ldc * 4 + col,
                    span,
                })
            })
            .collect()
    }

    /// A pair's accumulators to its rows of `d` (at `pc + shift`).
    pub(super) fn drain_moves(
        &self,
        g: &Gemm,
        pair: &[(u8, i32)],
        pc: VReg,
        shift: i32,
    ) -> Vec<Move> {
        (0..self.lanes as u8)
            .flat_map(|row| {
                pair.iter().map(move |&(acc, col)| Move::Out {
                    acc,
                    row,
                    column: false,
                    base: Some(pc),
                    offset: g.d + i32::from(row) * g.ldc * 4 + col + shift,
                    span: g.span_d,
                })
            })
            .collect()
    }

    /// Block `blk` of the strip of `a` at `pa` into `acc` by rows.
    pub(super) fn block_rows(&self, g: &Gemm, acc: u8, blk: i32, pa: VReg) -> Vec<Move> {
        let vbytes = self.lanes as i32 * 4;
        (0..self.lanes as u8)
            .map(|row| Move::In {
                acc,
                row,
                base: Some(pa),
                offset: g.a + i32::from(row) * g.lda * 4 + blk * vbytes,
                span: g.span_a,
            })
            .collect()
    }

    /// The block in `acc` out by columns: block `blk` of At at `at + offset`
    /// (`at` `None`: the absolute address `offset`).
    pub(super) fn block_columns(
        &self,
        g: &Gemm,
        acc: u8,
        blk: i32,
        at: Option<VReg>,
        offset: i32,
    ) -> Vec<Move> {
        let lanes = self.lanes as i32;
        (0..self.lanes as u8)
            .map(|row| Move::Out {
                acc,
                row,
                column: true,
                base: at,
                offset: offset + (blk * lanes + i32::from(row)) * lanes * 4,
                span: g.span_at,
            })
            .collect()
    }

    /// Block `blk` of `a` transposed through `acc` into At.
    pub(super) fn transpose_moves(
        &self,
        g: &Gemm,
        acc: u8,
        blk: i32,
        pa: VReg,
        at: Option<VReg>,
        offset: i32,
    ) -> Vec<Move> {
        let mut moves = self.block_rows(g, acc, blk, pa);
        moves.extend(self.block_columns(g, acc, blk, at, offset));
        moves
    }
}
