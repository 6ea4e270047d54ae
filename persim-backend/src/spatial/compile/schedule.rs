//! List scheduling of each basic block into VLIW bundles.
//!
//! The dependence graph is built on physical registers (scheduling runs after
//! allocation), with the machine's exposed latencies:
//! - true dependence: a reader issues `latency` cycles after the writer;
//! - anti dependence: a writer may share the reader's bundle (operands are
//!   read at issue, results land later);
//! - output dependence: the second write must land no earlier than the first
//!   and not in the same bundle (`max(1, lat1 - lat2)` cycles);
//! - memory and synchronization: loads may pass loads; a load after a store,
//!   and anything around a DMA or lock instruction, waits one cycle (a store
//!   is visible to the next bundle, `dma.start` reads its descriptor from
//!   SRAM at issue, `dma.wait` must precede the reads of what it waited for).
//!   Two SRAM accesses whose addresses are the same base register (not
//!   written in between) plus offsets whose byte ranges do not overlap are
//!   independent: that is what lets an unrolled loop body's copies, which
//!   the instruction selector addresses from one base, overlap. So are two
//!   whose SRAM spans are disjoint: absolute addresses (`r0`) have theirs,
//!   and the instruction selector gives the buffer an access stays within
//!   (`VInst::span`) where it knows it, as `buf_matmul` does for its
//!   operands, so its stores to one buffer do not hold back its loads from
//!   others.
//! - SRAM banks: two accesses taken to hit one bank (`bank_key`) do not
//!   share a bundle, since the simulator would stall the bundle for it.
//!
//! Ready instructions are placed cycle by cycle, highest critical path first,
//! as long as the bundle has a slot of their kind. The terminator goes last,
//! late enough that every result of the block has landed when the next
//! bundle issues (after a `j`, that includes the taken branch's bubble):
//! values never stay in flight into a successor, so a successor can be
//! scheduled knowing nothing of its predecessors (and the simulator never
//! sees an early read or an out-of-order write). The one exception is a
//! hardware loop's body, its own successor ([`schedule_loop_body`]): it
//! is scheduled knowing its start, and the exit path waits out what is
//! still in flight.

use super::vcode::SramSpan;
use crate::spatial::inst::{Bundle, Inst, Operand};
use crate::spatial::isa::{Opcode, RegClass, Role, SlotKind};
use crate::spatial::machine::Machine;
use crate::spatial::program::is_constant;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mem {
    None,
    Load,
    Store,
    Sync,
}

fn mem_kind(op: Opcode) -> Mem {
    use Opcode::*;
    match op {
        Lw | Mld | Vld | Vldp | Vbcast | VldBf16 | VldF16 | VldU8 | Vrecv => Mem::Load,
        Lb | Lbu | Lh | Lhu | VldI8 | VldI16 | VldU16 | Vld64 | Vbcast64 => Mem::Load,
        Sw | Mst | Vst | Vstp | VstBf16 | VstF16 | VstU8 | Vsend => Mem::Store,
        Sb | Sh | VstU16 | Vst64 | Vsts64 => Mem::Store,
        DmaStart | DmaWait | LockAcq | LockRel | LockRelRemote | LockRelIndirect | Dbg => Mem::Sync,
        AmoAddI | AmoAddF | AmoMaxI | AmoMaxU | AmoMaxF | AmoMinI | AmoMinU | AmoMinF | AmoXchg
        | AmoCas => Mem::Sync,
        AmoAddL | AmoAddD | AmoMaxL | AmoMaxUL | AmoMaxD | AmoMinL | AmoMinUL | AmoMinD
        | AmoXchgL | AmoCasL => Mem::Sync,
        _ => Mem::None,
    }
}

/// The SRAM bytes an access touches, as `(base register, its version,
/// offset, bytes)`; `None` when unknown (streams, pair addressing).
type Footprint = Option<(u8, u32, i64, i64)>;

fn footprint(inst: &Inst, machine: &Machine, versions: &[u32; 128]) -> Footprint {
    use Opcode::*;
    let vector = i64::from(machine.vector_bytes());
    let bytes = match inst.opcode {
        Lw | Sw | Mld | Mst | Vbcast => 4,
        Vbcast64 | Vsts64 => 8,
        Vld | Vst => vector,
        Vld64 | Vst64 => 2 * vector,
        VldBf16 | VldF16 | VstBf16 | VstF16 | VldI16 | VldU16 | VstU16 => vector / 2,
        VldU8 | VstU8 | VldI8 => vector / 4,
        Lh | Lhu | Sh => 2,
        Lb | Lbu | Sb => 1,
        _ => return None,
    };
    inst.operands().into_iter().find_map(|o| match o {
        Operand::Mem { base, offset } => Some((
            base,
            versions[reg_key(RegClass::Scalar, base)],
            i64::from(offset),
            bytes,
        )),
        _ => None,
    })
}

/// The SRAM bank an access is taken to hit, to keep two accesses to one
/// bank out of a bundle (the simulator stalls the whole bundle a cycle per
/// extra access). Absolute addresses (`r0`), and spans inside one
/// interleave window, give the bank itself; for
/// another base, equal keys (same base value, offsets whose
/// `bank_interleave_bytes` windows are equal modulo the bank count) are
/// taken as the same bank — exact when the base is a multiple of the
/// window, as the buffers' offsets from one base register mostly are — and
/// different keys as different banks.
type BankKey = (u8, u32, i64);

fn bank_key(fp: Footprint, span: Option<SramSpan>, machine: &Machine) -> Option<BankKey> {
    let (base, version, offset, _) = fp?;
    // A span inside one window names the bank, whatever the base.
    let interleave = machine.pe.bank_interleave_bytes.max(1);
    if let Some(SramSpan { lo, hi }) = span.filter(|s| s.hi > s.lo) {
        if lo / interleave == (hi - 1) / interleave {
            return Some((
                0,
                0,
                i64::from(lo / interleave % machine.pe.sram_banks.max(1)),
            ));
        }
    }
    let window = offset.div_euclid(i64::from(machine.pe.bank_interleave_bytes.max(1)));
    let bank = window.rem_euclid(i64::from(machine.pe.sram_banks.max(1)));
    Some(if base == 0 {
        (0, 0, bank)
    } else {
        (base, version, bank)
    })
}

/// The SRAM bytes an access stays within: the selector's span, else its
/// absolute address.
fn span_of(fp: Footprint, given: Option<SramSpan>) -> Option<SramSpan> {
    given.or_else(|| match fp {
        Some((0, _, offset, bytes)) => Some(SramSpan {
            lo: u32::try_from(offset).ok()?,
            hi: u32::try_from(offset + bytes).ok()?,
        }),
        _ => None,
    })
}

/// Whether two accesses may touch the same byte.
fn may_overlap(a: Footprint, b: Footprint) -> bool {
    match (a, b) {
        (Some((ba, va, oa, na)), Some((bb, vb, ob, nb))) if ba == bb && va == vb => {
            oa < ob + nb && ob < oa + na
        }
        _ => true,
    }
}

/// Whether every byte `inner` may touch is one `outer` touches.
fn covers(outer: Footprint, inner: Footprint) -> bool {
    match (outer, inner) {
        (Some((bo, vo, oo, no)), Some((bi, vi, oi, ni))) => {
            bo == bi && vo == vi && oo <= oi && oi + ni <= oo + no
        }
        _ => false,
    }
}

fn reg_key(class: RegClass, n: u8) -> usize {
    let c = match class {
        RegClass::Scalar => 0,
        RegClass::Vector => 1,
        RegClass::Mask => 2,
        RegClass::Acc => 3,
    };
    c * 32 + usize::from(n)
}

fn reads(inst: &Inst) -> impl Iterator<Item = usize> + '_ {
    inst.register_operands()
        .filter(|&(c, n, role)| !matches!(role, Role::Def | Role::Accumulate) && !is_constant(c, n))
        .map(|(c, n, _)| reg_key(c, n))
}

fn writes(inst: &Inst) -> impl Iterator<Item = usize> + '_ {
    inst.register_operands()
        .filter(|&(c, n, role)| !matches!(role, Role::Use) && !is_constant(c, n))
        .map(|(c, n, _)| reg_key(c, n))
}

/// A scheduled block: its bundles and where the terminator instruction is.
#[derive(Clone, Debug, Default)]
pub struct Scheduled {
    pub bundles: Vec<Bundle>,
    /// (bundle, index in bundle) of the terminator, when there is one.
    pub term_at: Option<(usize, usize)>,
}

/// Schedules `insts` followed by the terminator `term` (a branch, `j` or
/// `halt`; `None` for a fall-through).
/// `spans[i]` is the SRAM span `insts[i]` stays within, when known.
pub fn schedule_block(
    machine: &Machine,
    insts: &[Inst],
    spans: &[Option<SramSpan>],
    term: Option<Inst>,
) -> Scheduled {
    schedule_core(machine, insts, spans, term, None, true).0
}

/// A hardware loop's body, scheduled knowing that it follows itself:
/// results may still be in flight at its end when the next iteration's
/// first reads of them come late enough, so the body need not wait every
/// latency out in `nop`s. Returns the body and how many cycles of results
/// are still in flight when the last iteration ends (the `nop`s the exit
/// path owes the blocks after the loop, which assume everything landed).
///
/// The body is scheduled once freely, then again with its first accesses
/// of each register held back behind that schedule's last writes, and the
/// second schedule is padded to whatever its own last writes still need;
/// the usual fully drained body is kept when it is no longer.
pub fn schedule_loop_body(
    machine: &Machine,
    insts: &[Inst],
    spans: &[Option<SramSpan>],
) -> (Scheduled, u64) {
    let (drained, _) = schedule_core(machine, insts, spans, None, None, true);
    let (free, first) = schedule_core(machine, insts, spans, None, None, false);
    let tail = first.tail_at(free.bundles.len() as u64);
    let (body, second) = schedule_core(machine, insts, spans, None, Some(&tail), false);
    let len = body.bundles.len() as u64;
    let pad = second.wrap_pad(len);
    if len + pad >= drained.bundles.len() as u64 {
        return (drained, 0);
    }
    let mut body = body;
    body.bundles.extend((0..pad).map(|_| Bundle::nop()));
    let exit = second.in_flight_after(len + pad);
    (body, exit)
}

/// Where each instruction of a scheduled block issued, to reason about the
/// block's tail when it repeats.
struct Placement {
    time: Vec<u64>,
    lat: Vec<u64>,
    /// Per register key: its last write in program order, if any.
    last_write: Vec<Option<usize>>,
    /// Per instruction: the register keys it reads before any write of
    /// them in the block, and those it writes first.
    entry_reads: Vec<Vec<usize>>,
    entry_writes: Vec<Vec<usize>>,
}

/// The last write of each register relative to the block's end: cycle of
/// issue minus the block's length (at most zero) and latency.
struct Tail {
    writes: Vec<Option<(i64, u64)>>,
}

impl Placement {
    fn tail_at(&self, len: u64) -> Tail {
        Tail {
            writes: self
                .last_write
                .iter()
                .map(|w| w.map(|i| (self.time[i] as i64 - len as i64, self.lat[i])))
                .collect(),
        }
    }

    /// `nop`s to add after a body of `len` cycles so that the next
    /// iteration's first accesses of each register come late enough.
    fn wrap_pad(&self, len: u64) -> u64 {
        let tail = self.tail_at(len);
        (0..self.time.len())
            .map(|j| {
                tail.earliest(&self.entry_reads[j], &self.entry_writes[j], self.lat[j])
                    - self.time[j] as i64
            })
            .max()
            .unwrap_or(0)
            .max(0) as u64
    }

    /// Cycles after a body of `len` cycles until every result has landed.
    fn in_flight_after(&self, len: u64) -> u64 {
        let tail = self.tail_at(len);
        tail.writes
            .iter()
            .flatten()
            .map(|&(rel, lat)| (rel + lat as i64).max(0) as u64)
            .max()
            .unwrap_or(0)
    }
}

impl Tail {
    /// Earliest cycle of the next iteration at which an instruction of
    /// latency `lat` may issue that reads `reads` before any write of them
    /// there and writes `writes` first: a read after this iteration's last
    /// write has landed, a first write landing after it (the
    /// output-dependence rule of [`schedule_block`]).
    fn earliest(&self, reads: &[usize], writes: &[usize], lat: u64) -> i64 {
        let read = reads
            .iter()
            .filter_map(|&r| self.writes[r].map(|(rel, wlat)| rel + wlat as i64));
        let write = writes.iter().filter_map(|&r| {
            self.writes[r].map(|(rel, wlat)| rel + wlat.saturating_sub(lat).max(1) as i64)
        });
        read.chain(write).max().unwrap_or(0)
    }
}

/// [`schedule_block`] with, for a loop body, `entry`: the previous
/// iteration's in-flight writes, which hold back the first accesses of
/// their registers; and `pad`: whether every result lands by the end.
fn schedule_core(
    machine: &Machine,
    insts: &[Inst],
    spans: &[Option<SramSpan>],
    term: Option<Inst>,
    entry: Option<&Tail>,
    pad: bool,
) -> (Scheduled, Placement) {
    let n = insts.len();
    let lat: Vec<u64> = insts
        .iter()
        .map(|i| u64::from(i.latency(machine)))
        .collect();
    // preds[j] = (i, min distance)
    let mut preds: Vec<Vec<(usize, u64)>> = vec![Vec::new(); n];
    let mut last_write: [Option<usize>; 128] = [None; 128];
    let mut reads_since: Vec<Vec<usize>> = vec![Vec::new(); 128];
    let mut mem_hist: Vec<(usize, Mem, Footprint, Option<SramSpan>)> = Vec::new();
    // Bumped at every write of a register: equal versions, equal values.
    let mut versions = [0u32; 128];
    // Per access: the SRAM bank it is taken to hit (see `bank_key`).
    let mut bank: Vec<Option<BankKey>> = vec![None; n];
    // Per instruction: registers it reads before, or writes before, any
    // write of them in the block (what a loop body's previous iteration
    // may still have in flight).
    let mut entry_reads: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut entry_writes: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (j, inst) in insts.iter().enumerate() {
        for r in reads(inst) {
            if let Some(i) = last_write[r] {
                preds[j].push((i, lat[i]));
            } else {
                entry_reads[j].push(r);
            }
        }
        for r in writes(inst) {
            if last_write[r].is_none() && !entry_writes[j].contains(&r) {
                entry_writes[j].push(r);
            }
            for &i in &reads_since[r] {
                if i != j {
                    preds[j].push((i, 0));
                }
            }
            if let Some(i) = last_write[r] {
                preds[j].push((i, lat[i].saturating_sub(lat[j]).max(1)));
            }
        }
        let mk = mem_kind(inst.opcode);
        if mk != Mem::None {
            let here = footprint(inst, machine, &versions);
            let span = span_of(here, spans.get(j).copied().flatten());
            bank[j] = bank_key(here, span, machine);
            for &(i, prev, there, there_span) in &mem_hist {
                let apart = match (span, there_span) {
                    (Some(a), Some(b)) => a.disjoint(b),
                    _ => false,
                };
                let d = match (prev, mk) {
                    (Mem::Load, Mem::Load) => None,
                    (Mem::Load | Mem::Store, Mem::Load | Mem::Store)
                        if apart || !may_overlap(here, there) =>
                    {
                        None
                    }
                    (Mem::Load, Mem::Store) => Some(0),
                    _ => Some(1),
                };
                if let Some(d) = d {
                    preds[j].push((i, d));
                }
            }
            // Older entries are implied transitively once a sync is
            // recorded, or a store whose bytes contain theirs.
            match mk {
                Mem::Sync => mem_hist.clear(),
                Mem::Store => mem_hist.retain(|&(_, _, there, _)| !covers(here, there)),
                _ => {}
            }
            mem_hist.push((j, mk, here, span));
        }
        for r in reads(inst) {
            reads_since[r].push(j);
        }
        for r in writes(inst) {
            last_write[r] = Some(j);
            reads_since[r].clear();
            versions[r] += 1;
        }
    }
    let earliest: Vec<i64> = (0..n)
        .map(|j| entry.map_or(0, |t| t.earliest(&entry_reads[j], &entry_writes[j], lat[j])))
        .collect();
    // Height: longest latency path to the end of the block.
    let mut succs: Vec<Vec<(usize, u64)>> = vec![Vec::new(); n];
    for (j, ps) in preds.iter().enumerate() {
        for &(i, d) in ps {
            succs[i].push((j, d));
        }
    }
    let mut height = vec![0u64; n];
    for i in (0..n).rev() {
        height[i] = succs[i]
            .iter()
            .map(|&(j, d)| d + height[j])
            .max()
            .unwrap_or(0)
            .max(lat[i]);
    }
    let mut time: Vec<Option<u64>> = vec![None; n];
    let mut remaining = n;
    let mut bundles: Vec<Vec<Inst>> = Vec::new();
    let mut used: Vec<[u32; 5]> = Vec::new();
    let mut banks_used: Vec<Vec<BankKey>> = Vec::new();
    let mut cycle = 0u64;
    let mut unsched_preds: Vec<usize> = preds.iter().map(Vec::len).collect();
    while remaining > 0 {
        let mut ready: Vec<usize> = (0..n)
            .filter(|&j| time[j].is_none() && unsched_preds[j] == 0)
            .filter(|&j| earliest[j] <= cycle as i64)
            .filter(|&j| preds[j].iter().all(|&(i, d)| time[i].unwrap() + d <= cycle))
            .collect();
        ready.sort_by_key(|&j| (std::cmp::Reverse(height[j]), j));
        for j in ready {
            let slot = insts[j].info().slot.unwrap_or(SlotKind::Scalar);
            let c = cycle as usize;
            if bundles.len() <= c {
                bundles.resize(c + 1, Vec::new());
                used.resize(c + 1, [0; 5]);
                banks_used.resize(c + 1, Vec::new());
            }
            if used[c][slot.index()] >= machine.slot_count(slot)
                || bank[j].is_some_and(|k| banks_used[c].contains(&k))
            {
                continue;
            }
            // Same-cycle edges (distance 0) need the predecessor placed already: it is.
            used[c][slot.index()] += 1;
            banks_used[c].extend(bank[j]);
            bundles[c].push(insts[j]);
            time[j] = Some(cycle);
            remaining -= 1;
            for &(k, _) in &succs[j] {
                unsched_preds[k] -= 1;
            }
        }
        // Distance-0 successors of instructions placed this cycle may join it.
        if (0..n).any(|j| {
            time[j].is_none()
                && unsched_preds[j] == 0
                && earliest[j] <= cycle as i64
                && preds[j].iter().all(|&(i, d)| time[i].unwrap() + d <= cycle)
        }) && used.get(cycle as usize).is_some_and(|u| {
            SlotKind::ALL
                .iter()
                .any(|&k| u[k.index()] < machine.slot_count(k))
        }) {
            let before = remaining;
            // Retry the same cycle once more with the newly ready ones.
            let ready: Vec<usize> = (0..n)
                .filter(|&j| time[j].is_none() && unsched_preds[j] == 0)
                .filter(|&j| earliest[j] <= cycle as i64)
                .filter(|&j| preds[j].iter().all(|&(i, d)| time[i].unwrap() + d <= cycle))
                .collect();
            for j in ready {
                let slot = insts[j].info().slot.unwrap_or(SlotKind::Scalar);
                let c = cycle as usize;
                if used[c][slot.index()] >= machine.slot_count(slot)
                    || bank[j].is_some_and(|k| banks_used[c].contains(&k))
                {
                    continue;
                }
                used[c][slot.index()] += 1;
                banks_used[c].extend(bank[j]);
                bundles[c].push(insts[j]);
                time[j] = Some(cycle);
                remaining -= 1;
                for &(k, _) in &succs[j] {
                    unsched_preds[k] -= 1;
                }
            }
            if remaining != before {
                continue;
            }
        }
        cycle += 1;
    }
    // Every result lands by the end of the block.
    let mut end = bundles.len() as u64;
    for j in 0..n {
        end = end.max(time[j].unwrap() + lat[j]);
    }
    let mut term_at = None;
    if let Some(t) = term {
        // The terminator issues in the last bundle: at least the last
        // instruction's cycle, and late enough that everything has landed
        // by the time the next bundle issues. That is the following cycle,
        // except after a `j`: always taken, it is followed by
        // `latency.branch_taken` cycles in which the PE issues nothing but
        // results still land (a loop's back edge need not wait them out
        // in `nop`s).
        let bubble = if t.opcode == Opcode::J {
            u64::from(machine.latency.branch_taken)
        } else {
            0
        };
        let last = bundles.len().max(1) as u64 - 1;
        let mut at = last.max(end.saturating_sub(1 + bubble));
        for r in reads(&t) {
            if let Some(i) = last_write[r] {
                at = at.max(time[i].unwrap() + lat[i]);
            }
        }
        let at = if bundles.is_empty() {
            end.saturating_sub(1 + bubble)
        } else {
            at
        };
        let idx = at as usize;
        if bundles.len() <= idx {
            bundles.resize(idx + 1, Vec::new());
        }
        // Slot of the terminator (scalar) may be taken: move it one later.
        let scalar_used = bundles[idx]
            .iter()
            .filter(|i| i.info().slot == Some(SlotKind::Scalar))
            .count() as u32;
        let idx = if scalar_used >= machine.slot_count(SlotKind::Scalar) {
            bundles.push(Vec::new());
            idx + 1
        } else {
            idx
        };
        bundles[idx].push(t);
        term_at = Some((idx, bundles[idx].len() - 1));
    } else if pad {
        bundles.resize(end as usize, Vec::new());
    }
    let placement = Placement {
        time: time.iter().map(|t| t.unwrap_or(0)).collect(),
        lat: lat.clone(),
        last_write: last_write.to_vec(),
        entry_reads,
        entry_writes,
    };
    let scheduled = Scheduled {
        bundles: bundles
            .into_iter()
            .map(|b| {
                if b.is_empty() {
                    Bundle::nop()
                } else {
                    Bundle::new(b)
                }
            })
            .collect(),
        term_at,
    };
    (scheduled, placement)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle_of(s: &Scheduled, opcode: Opcode) -> usize {
        s.bundles
            .iter()
            .position(|b| b.insts.iter().any(|i| i.opcode == opcode))
            .expect("instruction scheduled")
    }

    fn schedule(insts: &[Inst]) -> Scheduled {
        schedule_block(&Machine::default_model(), insts, &[], None)
    }

    fn vst(base: u8, offset: i32) -> Inst {
        Inst::new(Opcode::Vst, &[Operand::v(1), Operand::mem(base, offset)]).unwrap()
    }

    fn vld(base: u8, offset: i32) -> Inst {
        Inst::new(Opcode::Vld, &[Operand::v(2), Operand::mem(base, offset)]).unwrap()
    }

    #[test]
    fn a_load_passes_a_store_to_other_bytes_of_the_same_base() {
        // Another bank (32 KiB windows on the default machine): same bundle.
        let s = schedule(&[vst(1, 0), vld(1, 0x8000)]);
        assert_eq!(cycle_of(&s, Opcode::Vld), cycle_of(&s, Opcode::Vst));
    }

    #[test]
    fn accesses_to_one_bank_take_separate_bundles() {
        // Independent, but in one bank: together they would stall the bundle.
        let s = schedule(&[vst(1, 0), vld(1, 64)]);
        assert_ne!(cycle_of(&s, Opcode::Vld), cycle_of(&s, Opcode::Vst));
        let a = Inst::new(Opcode::Vld, &[Operand::v(3), Operand::mem(0, 0x100)]).unwrap();
        let b = Inst::new(Opcode::Vld, &[Operand::v(4), Operand::mem(0, 0x4_0100)]).unwrap();
        // Absolute addresses 8 windows apart: the same bank of 8.
        let at = |s: &Scheduled, inst: Inst| s.bundles.iter().position(|b| b.insts.contains(&inst));
        let s = schedule(&[a, b]);
        assert_eq!((at(&s, a), at(&s, b)), (Some(0), Some(1)));
        let c = Inst::new(Opcode::Vld, &[Operand::v(4), Operand::mem(0, 0x8100)]).unwrap();
        let s = schedule(&[a, c]);
        assert_eq!(
            (at(&s, a), at(&s, c)),
            (Some(0), Some(0)),
            "different banks share a bundle"
        );
    }

    #[test]
    fn a_load_of_overlapping_bytes_waits_for_the_store() {
        let s = schedule(&[vst(1, 0), vld(1, 32)]);
        assert!(cycle_of(&s, Opcode::Vld) > cycle_of(&s, Opcode::Vst));
        // Different base registers may alias: ordered too.
        let s = schedule(&[vst(1, 0), vld(2, 64)]);
        assert!(cycle_of(&s, Opcode::Vld) > cycle_of(&s, Opcode::Vst));
    }

    #[test]
    fn disjoint_spans_make_different_bases_independent() {
        // A store through r1, a load through r2, in spans of 0x1000 bytes
        // from `store_at` and `load_at`.
        let run = |store_at: u32, load_at: u32| {
            let span = |lo: u32| {
                Some(SramSpan {
                    lo,
                    hi: lo + 0x1000,
                })
            };
            let s = schedule_block(
                &Machine::default_model(),
                &[vst(1, 0), vld(2, 64)],
                &[span(store_at), span(load_at)],
                None,
            );
            (cycle_of(&s, Opcode::Vst), cycle_of(&s, Opcode::Vld))
        };
        // Different buffers (and banks): they share a bundle.
        let (st, ld) = run(0x8000, 0x10000);
        assert_eq!(ld, st);
        // Overlapping spans: ordered.
        let (st, ld) = run(0x8000, 0x8800);
        assert!(ld > st);
        // Disjoint spans in one bank: independent, but not in one bundle.
        let (st, ld) = run(0x8000, 0x9000);
        assert_ne!(ld, st);
        assert!(ld < st, "the load went first");
    }

    #[test]
    fn a_jump_counts_its_bubble_as_landing_time_and_a_branch_does_not() {
        let machine = Machine::default_model();
        let load = vld(1, 0);
        let landed = u64::from(load.latency(&machine));
        let bubble = u64::from(machine.latency.branch_taken);
        assert!(
            landed > bubble,
            "the test needs a load slower than the bubble"
        );
        let term_cycle = |term: Inst| {
            let s = schedule_block(&machine, &[load], &[], Some(term));
            s.term_at.expect("a terminator").0 as u64
        };
        // The next bundle issues `1 + bubble` cycles after a `j`, one cycle
        // after a `bnez` that falls through; the load lands by then.
        let j = Inst::new(Opcode::J, &[Operand::Target(0)]).unwrap();
        assert_eq!(term_cycle(j) + 1 + bubble, landed);
        let bnez = Inst::new(Opcode::Bnez, &[Operand::s(5), Operand::Target(0)]).unwrap();
        assert_eq!(term_cycle(bnez) + 1, landed);
    }

    #[test]
    fn a_rewritten_base_is_a_different_address() {
        let addi = Inst::new(
            Opcode::Addi,
            &[Operand::s(1), Operand::s(1), Operand::Imm(64)],
        )
        .unwrap();
        let s = schedule(&[vst(1, 0), addi, vld(1, 64)]);
        assert!(cycle_of(&s, Opcode::Vld) > cycle_of(&s, Opcode::Vst));
    }

    #[test]
    fn a_later_store_keeps_the_order_of_an_earlier_one_it_does_not_cover() {
        // st [0,64) ; st [0,4) ; ld [32,36) must stay after the first store.
        let sw = Inst::new(Opcode::Sw, &[Operand::s(3), Operand::mem(1, 0)]).unwrap();
        let lw = Inst::new(Opcode::Lw, &[Operand::s(4), Operand::mem(1, 32)]).unwrap();
        let s = schedule(&[vst(1, 0), sw, lw]);
        assert!(cycle_of(&s, Opcode::Lw) > cycle_of(&s, Opcode::Vst));
    }
}

#[cfg(test)]
mod loop_body_tests {
    use super::*;

    /// `vld vd, 0(r1)`: latency 4, reads only a register nothing writes.
    fn load_into(vd: u8) -> Inst {
        Inst::new(Opcode::Vld, &[Operand::v(vd), Operand::mem(1, 0)]).unwrap()
    }

    #[test]
    fn a_result_no_iteration_reads_early_stays_in_flight_over_the_back_edge() {
        let machine = Machine::default_model();
        let body = [load_into(2)];
        let drained = schedule_block(&machine, &body, &[], None);
        assert_eq!(drained.bundles.len(), 4, "the load's latency waited out");
        // The next iteration only writes v2 again, which may issue a cycle
        // after (the loads land in order); the exit waits out the rest.
        let (s, exit) = schedule_loop_body(&machine, &body, &[]);
        assert_eq!((s.bundles.len(), exit), (1, 3));
    }

    #[test]
    fn a_result_the_next_iteration_reads_first_thing_is_waited_for() {
        let machine = Machine::default_model();
        // v3 = v2 + v2 first, then v2 loaded: the next iteration's add
        // reads this iteration's load, four cycles after it issued.
        let add = Inst::new(
            Opcode::VaddF,
            &[Operand::v(3), Operand::v(2), Operand::v(2)],
        )
        .unwrap();
        let body = [add, load_into(2)];
        let (s, exit) = schedule_loop_body(&machine, &body, &[]);
        let load_at = s
            .bundles
            .iter()
            .position(|b| b.insts.iter().any(|i| i.opcode == Opcode::Vld))
            .unwrap();
        assert!(
            s.bundles.len() - load_at >= 4,
            "the load issued at {load_at} of {} bundles lands before the next add",
            s.bundles.len()
        );
        // What the exit owes: the rest of the load's four cycles.
        let in_flight = s.bundles.len() as u64 - load_at as u64;
        assert_eq!(exit, 4u64.saturating_sub(in_flight));
    }
}
