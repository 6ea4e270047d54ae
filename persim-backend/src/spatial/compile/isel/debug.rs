//! `assert` and `print`: `dbg` events the launch reports.
//!
//! Each op becomes a *debug site* (the JITs' [`DebugSite`]: location,
//! message or prefix, element type); the code writes an 8-word record to
//! the store staging area (free between global accesses, which wait for
//! their transfers) and issues `dbg site, record`. The record is
//! `[pid0, pid1, pid2, value, rank, index0, index1, index2]`; the launch
//! turns print events into the engine's print records and the assertion
//! event of the lowest-numbered instance into the launch's error, as the
//! JITs do.
//!
//! A failing `assert` ends its instance at once (as a `return`), as on the
//! JITs.

use persim_lang::ir::{Attr, Op};

use super::super::error::CResult;
use super::super::vcode::{VArg, VReg};
use super::Isel;
use crate::abi::{DebugSite, DebugSiteKind};
use crate::spatial::isa::{Opcode, RegClass};

/// Index dimensions a print record has room for.
const MAX_RANK: usize = 3;

impl Isel<'_> {
    fn debug_site(&mut self, op: Op, kind: DebugSiteKind) -> u32 {
        self.debug_sites.push(DebugSite {
            location: self.f.describe_loc(self.f.op(op).loc),
            kind,
        });
        (self.debug_sites.len() - 1) as u32
    }

    fn str_attr(&self, op: Op, key: &str) -> String {
        match self.f.op(op).attrs.get(key) {
            Some(Attr::Str(s)) => s.clone(),
            _ => String::new(),
        }
    }

    /// Writes the record `[pids, value, rank, index..., value's high half]`
    /// (the last word, 8, only for a 64-bit value) and issues `dbg`.
    fn debug_event(&mut self, site: u32, value: Option<VReg>, index: &[VReg], high: Option<VReg>) {
        let base = self.input.map.store_staging as i32;
        let pids = self
            .pids
            .map(|p| p.expect("program ids are set per instance"));
        let rank = self.li(index.len() as i32);
        let mut words: Vec<VArg> = pids.iter().map(|&p| VArg::Reg(p)).collect();
        words.push(value.map_or(VArg::Zero(RegClass::Scalar), VArg::Reg));
        words.push(VArg::Reg(rank));
        words.extend(index.iter().map(|&i| VArg::Reg(i)));
        let mut words: Vec<(usize, VArg)> = words.into_iter().enumerate().collect();
        if let Some(h) = high {
            words.push((8, VArg::Reg(h)));
        }
        for (k, w) in words {
            self.emit_args(
                Opcode::Sw,
                &[
                    w,
                    VArg::Mem {
                        base: None,
                        offset: base + 4 * k as i32,
                    },
                ],
            );
        }
        let at = self.li(base);
        self.emit_args(Opcode::Dbg, &[VArg::Imm(site as i32), VArg::Reg(at)]);
    }

    pub(super) fn device_assert(&mut self, op: Op) -> CResult<()> {
        let message = self.str_attr(op, "message");
        let site = self.debug_site(op, DebugSiteKind::Assert { message });
        let cond = self.reg(self.f.op(op).operands[0])?;
        // Nonzero when some lane (or the scalar) is false.
        let failed = if self.code.class(cond) == RegClass::Mask {
            let off = self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(cond)]);
            self.mask_bits(off)
        } else {
            self.op1(
                Opcode::Seq,
                RegClass::Scalar,
                &[VArg::Reg(cond), VArg::Zero(RegClass::Scalar)],
            )
        };
        let fail = self.code.new_block();
        let pass = self.code.new_block();
        self.branch(Opcode::Bnez, &[failed], fail, pass);
        self.cur = fail;
        self.debug_event(site, None, &[], None);
        let next = self.next_instance;
        self.jump(next, Vec::new());
        self.cur = pass;
        Ok(())
    }

    pub(super) fn device_print(&mut self, op: Op) -> CResult<()> {
        let prefix = self.str_attr(op, "prefix");
        let operands = self.f.op(op).operands.clone();
        let Some((&value, indices)) = operands.split_first() else {
            let site = self.debug_site(
                op,
                DebugSiteKind::Print {
                    prefix,
                    dtype: None,
                },
            );
            self.debug_event(site, None, &[], None);
            return Ok(());
        };
        let dtype = self.f.ty(value).elem().dtype();
        if indices.len() > MAX_RANK {
            return Err(self.unsupported(op, &format!("prints of tiles of rank above {MAX_RANK}")));
        }
        let site = self.debug_site(op, DebugSiteKind::Print { prefix, dtype });
        let x = self.reg(value)?;
        // A 64-bit value's halves: its low lane words and, shifted down, its
        // high ones (a 64-bit scalar is a splat: lane 0).
        let wide = super::wide::is_wide(self.f.ty(value).elem());
        let high = wide.then(|| {
            let k = self.splat_imm(32);
            self.op1(
                Opcode::VshrL,
                RegClass::Vector,
                &[VArg::Reg(x), VArg::Reg(k)],
            )
        });
        let lane_of = |s: &mut Self, v: VReg, lane: u8| {
            s.op1(
                Opcode::Vext,
                RegClass::Scalar,
                &[VArg::Reg(v), VArg::Lane(lane)],
            )
        };
        if self.f.ty(value).is_scalar() {
            let index = indices
                .iter()
                .map(|&i| self.reg(i))
                .collect::<CResult<Vec<_>>>()?;
            let (lo, hi) = match high {
                Some(h) => (lane_of(self, x, 0), Some(lane_of(self, h, 0))),
                None => (x, None),
            };
            self.debug_event(site, Some(lo), &index, hi);
            return Ok(());
        }
        // A vector: each lane with its lane number.
        let bits = (self.code.class(x) == RegClass::Mask).then(|| self.mask_bits(x));
        for lane in 0..self.lanes {
            let element = match bits {
                Some(b) => {
                    let shifted = self.op1(
                        Opcode::Shri,
                        RegClass::Scalar,
                        &[VArg::Reg(b), VArg::Imm(lane as i32)],
                    );
                    self.op1(
                        Opcode::Andi,
                        RegClass::Scalar,
                        &[VArg::Reg(shifted), VArg::Imm(1)],
                    )
                }
                None => self.op1(
                    Opcode::Vext,
                    RegClass::Scalar,
                    &[VArg::Reg(x), VArg::Lane(lane as u8)],
                ),
            };
            let hi = high.map(|h| lane_of(self, h, lane as u8));
            let k = self.li(lane as i32);
            self.debug_event(site, Some(element), &[k], hi);
        }
        Ok(())
    }
}
