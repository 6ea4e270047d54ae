//! One PE: register files, hazard tracking and the issue of one VLIW bundle.
//!
//! Per cycle a PE either issues its current bundle or does not, for one
//! stated reason (see [`PeStats`]):
//! 1. a timed stall (after a taken branch, or paying for a bank conflict);
//! 2. a wait: a blocking instruction in the bundle cannot proceed (lock not
//!    available, stream FIFO empty or full, DMA queue full or busy) — the
//!    whole bundle waits, as an AIE core stalls on a lock;
//! 3. the matrix unit is still busy with the previous `mop.f32`;
//! 4. bank conflicts: the bundle's memory accesses need one bank `k > 1`
//!    times; the PE stalls `k - 1` cycles, then issues.
//!
//! Before issue the PE checks that every register it reads is ready (an
//! early read is an error naming the producer); `exec.rs` then issues the
//! bundle, and `Pe::advance` moves to the next one (branches, hardware
//! loops, halt).

use std::collections::VecDeque;

use super::dma::Engine;
use super::error::{SimError, SimErrorKind, Site};
use super::exec::Scratch;
use super::facts::BundleFacts;
use super::locks::{LockFile, Signals};
use super::memory::{Offchip, Sram};
use super::noc::Noc;
use super::semantics::{self, all_lanes, Vector, VectorFile};
use crate::spatial::coord::{Direction, TileCoord};
use crate::spatial::disasm::inst_text;
use crate::spatial::inst::Inst;
use crate::spatial::isa::{Opcode, RegClass, Role};
use crate::spatial::machine::Machine;
use crate::spatial::program::PeProgram;

/// When a register's pending value becomes readable, and who wrote it.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Ready {
    at: u64,
    by: u32,
}

/// What a waiting PE waits for (the edges of the deadlock wait-for graph).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    Lock { lock: u8, need: u32, have: u32 },
    StreamSend { dir: Direction },
    StreamRecv { dir: Direction },
    DmaQueue { channel: u8 },
    DmaIdle { channel: u8 },
}

/// Why a PE did not issue in a cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stall {
    Branch,
    Bank,
}

/// Per-PE counters. Every cycle of the run falls in exactly one of: issue,
/// a stall or wait counter, or after halting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeStats {
    /// Cycles in which a bundle issued.
    pub issue_cycles: u64,
    /// Instructions issued, `nop` excluded.
    pub insts: u64,
    /// Instructions issued per slot kind (indexed by `SlotKind::index`).
    pub slot_insts: [u64; 5],
    /// Multiply-accumulates performed (matrix unit and `vmac.f32`).
    pub macs: u64,
    pub stall_branch: u64,
    pub stall_bank: u64,
    pub stall_matrix: u64,
    pub wait_lock: u64,
    pub wait_stream: u64,
    pub wait_dma: u64,
    /// Cycle after the one in which `halt` issued.
    pub halted_at: Option<u64>,
    /// How many times each bundle issued, by its index in the program: a
    /// profile, to find where a PE's issue cycles go.
    pub bundle_issues: Vec<u64>,
    /// Cycles each bundle waited on a lock, a stream or a DMA channel
    /// before issuing, by its index: where a PE's wait cycles go.
    pub bundle_waits: Vec<u64>,
    /// The `dbg` events this PE recorded, in issue order.
    pub debug: Vec<DebugEvent>,
}

/// What one `dbg` instruction recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebugEvent {
    pub cycle: u64,
    /// The instruction's immediate: the debug site.
    pub site: u32,
    /// The 9 words at the instruction's address.
    pub words: [u32; 9],
}

#[derive(Clone, Copy, Debug)]
struct LoopFrame {
    start: u32,
    end: u32,
    remaining: i64,
}

/// Everything outside the PE that issuing a bundle may touch.
pub struct Ctx<'a> {
    pub now: u64,
    pub machine: &'a Machine,
    pub sram: &'a mut Sram,
    /// Off-chip memory, for atomics (`amo.*`); everything else reaches it
    /// by DMA.
    pub offchip: &'a mut Offchip,
    pub dma: &'a mut Engine,
    pub noc: &'a mut Noc,
    pub signals: &'a mut Signals,
    /// Compute-tile index of each tile, to address signals.
    pub tile_index: &'a dyn Fn(TileCoord) -> usize,
}

/// The architectural and timing state of one PE.
#[derive(Clone, Debug)]
pub struct Pe {
    pub tile: TileCoord,
    pub index: usize,
    pub program: PeProgram,
    /// Per bundle of `program`, what the issue checks look at.
    facts: Vec<BundleFacts>,
    pub pc: u32,
    pub halted: bool,
    /// Set when the PE waited in the last cycle it was stepped.
    pub wait: Option<Wait>,
    pub(super) sregs: [u32; 32],
    pub(super) vregs: VectorFile,
    pub(super) mregs: [u32; 8],
    pub(super) accs: Vec<Vec<f32>>,
    pub(super) ready: [Vec<Ready>; 4],
    loops: Vec<LoopFrame>,
    stall_until: u64,
    stall: Stall,
    conflict_paid: bool,
    pub(super) matrix_free_at: u64,
    pub locks: LockFile,
    /// Input stream FIFOs, by the direction the data comes from.
    pub fifos: [VecDeque<Vector>; 4],
    /// Free slots in the neighbour's FIFO, by the direction of the neighbour.
    pub credits: [u32; 4],
    pub stats: PeStats,
    pub(super) scratch: Scratch,
    pub(super) lanes: u32,
}

/// Register classes in the order of [`class_index`].
const CLASSES: [RegClass; 4] = [
    RegClass::Scalar,
    RegClass::Vector,
    RegClass::Mask,
    RegClass::Acc,
];

pub(super) fn class_index(c: RegClass) -> usize {
    match c {
        RegClass::Scalar => 0,
        RegClass::Vector => 1,
        RegClass::Mask => 2,
        RegClass::Acc => 3,
    }
}

impl Pe {
    pub fn new(machine: &Machine, tile: TileCoord, index: usize, program: PeProgram) -> Pe {
        let bundles = program.bundles.len();
        let p = &machine.pe;
        let lanes = machine.lanes();
        let mut locks = LockFile::new(p.locks);
        for (&l, &v) in &program.lock_init {
            locks.set(l, u32::from(v));
        }
        let depth = machine.noc.stream_fifo_depth;
        let idle = program.bundles.is_empty();
        let facts = program
            .bundles
            .iter()
            .map(|b| BundleFacts::of(machine, &b.insts))
            .collect();
        Pe {
            tile,
            index,
            program,
            facts,
            pc: 0,
            halted: false,
            wait: None,
            sregs: [0; 32],
            // Tiles without code keep only locks and stream FIFOs.
            vregs: VectorFile::new(
                if idle { 0 } else { p.vector_registers as usize },
                machine.lanes() as usize,
            ),
            mregs: [0; 8],
            accs: vec![
                vec![0.0; (lanes * lanes) as usize];
                if idle { 0 } else { p.accumulators as usize }
            ],
            ready: [32, 32, 8, 32].map(|n| vec![Ready::default(); if idle { 0 } else { n }]),
            loops: Vec::new(),
            stall_until: 0,
            stall: Stall::Branch,
            conflict_paid: false,
            matrix_free_at: 0,
            locks,
            fifos: Default::default(),
            credits: [depth; 4],
            stats: PeStats {
                bundle_issues: vec![0; bundles],
                bundle_waits: vec![0; bundles],
                ..PeStats::default()
            },
            scratch: Scratch::default(),
            lanes,
        }
    }

    /// A scalar register's value (`r0` is 0).
    pub fn sreg(&self, n: u8) -> u32 {
        if n == 0 {
            0
        } else {
            self.sregs[usize::from(n)]
        }
    }

    /// Sets a scalar register before the run (kernel arguments).
    pub fn set_sreg(&mut self, n: u8, value: u32) {
        if n != 0 {
            self.sregs[usize::from(n)] = value;
        }
    }

    /// A vector register's lanes (their low 32 bits).
    pub fn vreg(&self, n: u8) -> Vec<u32> {
        self.vregs[usize::from(n)][..self.lanes as usize]
            .iter()
            .map(|&x| x as u32)
            .collect()
    }

    /// An accumulator, row-major `lanes x lanes`.
    pub fn acc(&self, n: u8) -> &[f32] {
        &self.accs[usize::from(n)]
    }

    pub(super) fn mask(&self, n: u8) -> u32 {
        if n == 0 {
            all_lanes(self.lanes)
        } else {
            self.mregs[usize::from(n)]
        }
    }

    /// Whether the PE is executing (not halted, not waiting).
    pub fn running(&self) -> bool {
        !self.halted && self.wait.is_none()
    }

    fn site(&self, inst: &Inst) -> Site {
        Site {
            tile: self.tile,
            bundle: self.pc,
            line: self.program.lines.get(self.pc as usize).copied(),
            inst: inst_text(inst),
        }
    }

    pub(super) fn fail(&self, ctx: &Ctx, inst: &Inst, kind: SimErrorKind) -> SimError {
        self.fail_at(ctx.now, inst, kind)
    }

    fn fail_at(&self, now: u64, inst: &Inst, kind: SimErrorKind) -> SimError {
        SimError {
            cycle: now,
            site: Some(self.site(inst)),
            kind,
        }
    }

    /// Advances the PE by one cycle.
    pub fn step(&mut self, ctx: &mut Ctx) -> Result<(), SimError> {
        if self.halted {
            return Ok(());
        }
        if ctx.now < self.stall_until {
            match self.stall {
                Stall::Branch => self.stats.stall_branch += 1,
                Stall::Bank => self.stats.stall_bank += 1,
            }
            return Ok(());
        }
        if self.pc as usize >= self.program.bundles.len() {
            return Err(SimError {
                cycle: ctx.now,
                site: None,
                kind: SimErrorKind::Control(format!(
                    "tile {} ran past its last bundle ({}) without `halt`",
                    self.tile,
                    self.program.bundles.len()
                )),
            });
        }
        // Borrow the code out of `self` for the bundle's duration (no copy).
        let bundles = std::mem::take(&mut self.program.bundles);
        let result = self.step_bundle(ctx, &bundles[self.pc as usize].insts);
        self.program.bundles = bundles;
        result
    }

    fn step_bundle(&mut self, ctx: &mut Ctx, insts: &[Inst]) -> Result<(), SimError> {
        let facts = std::mem::take(&mut self.facts);
        let result = self.try_issue(ctx, insts, &facts[self.pc as usize]);
        self.facts = facts;
        result
    }

    fn try_issue(
        &mut self,
        ctx: &mut Ctx,
        insts: &[Inst],
        facts: &BundleFacts,
    ) -> Result<(), SimError> {
        self.wait = if facts.blocking {
            self.blocking_wait(ctx.machine, ctx.dma, ctx.now, insts)?
        } else {
            None
        };
        if let Some(wait) = self.wait {
            match wait {
                Wait::Lock { .. } => self.stats.wait_lock += 1,
                Wait::StreamSend { .. } | Wait::StreamRecv { .. } => self.stats.wait_stream += 1,
                Wait::DmaQueue { .. } | Wait::DmaIdle { .. } => self.stats.wait_dma += 1,
            }
            if let Some(n) = self.stats.bundle_waits.get_mut(self.pc as usize) {
                *n += 1;
            }
            return Ok(());
        }
        if facts.matrix && ctx.now < self.matrix_free_at {
            self.stats.stall_matrix += 1;
            return Ok(());
        }
        if !self.conflict_paid && facts.memory {
            let extra = self.bank_conflicts(ctx.machine, insts);
            if extra > 0 {
                self.conflict_paid = true;
                self.stall = Stall::Bank;
                self.stall_until = ctx.now + extra;
                self.stats.stall_bank += 1;
                return Ok(());
            }
        }
        self.conflict_paid = false;
        self.check_reads(ctx, insts, facts)?;
        self.issue(ctx, insts)
    }

    /// Whether the PE still cannot issue its bundle (for deadlock detection:
    /// a wait recorded earlier in the cycle may have been met since).
    pub fn still_waits(&self, machine: &Machine, dma: &Engine) -> bool {
        if self.halted || self.wait.is_none() {
            return false;
        }
        let bundle = &self.program.bundles[self.pc as usize];
        matches!(
            self.blocking_wait(machine, dma, 0, &bundle.insts),
            Ok(Some(_))
        )
    }

    /// The first unmet blocking condition of the bundle, if any; only
    /// instructions for which [`can_block`] holds are looked at.
    fn blocking_wait(
        &self,
        machine: &Machine,
        dma: &Engine,
        now: u64,
        insts: &[Inst],
    ) -> Result<Option<Wait>, SimError> {
        let mut need = [0u32; 32];
        for inst in insts {
            match inst.opcode {
                Opcode::LockAcq => {
                    let lock = inst.fields[0];
                    need[usize::from(lock)] += u32::from(inst.count());
                    let have = self.locks.value(lock);
                    if have < need[usize::from(lock)] {
                        return Ok(Some(Wait::Lock {
                            lock,
                            need: need[usize::from(lock)],
                            have,
                        }));
                    }
                }
                Opcode::Vsend | Opcode::Vrecv => {
                    // `vsend dir, va` / `vrecv vd, dir`.
                    let field = usize::from(inst.opcode == Opcode::Vrecv);
                    let dir = Direction::from_index(inst.fields[field]).expect("decoded direction");
                    let m = machine;
                    match self.tile.neighbour(dir, m.grid.cols, m.grid.rows) {
                        Some(n) if !n.is_shim() => {}
                        _ => {
                            return Err(self.fail_at(
                                now,
                                inst,
                                SimErrorKind::Stream(format!(
                                    "tile {} has no compute neighbour to the {dir}",
                                    self.tile
                                )),
                            ))
                        }
                    }
                    if inst.opcode == Opcode::Vsend && self.credits[dir.index()] == 0 {
                        return Ok(Some(Wait::StreamSend { dir }));
                    }
                    if inst.opcode == Opcode::Vrecv && self.fifos[dir.index()].is_empty() {
                        return Ok(Some(Wait::StreamRecv { dir }));
                    }
                }
                Opcode::DmaStart if !dma.has_room(usize::from(inst.fields[0])) => {
                    return Ok(Some(Wait::DmaQueue {
                        channel: inst.fields[0],
                    }));
                }
                Opcode::DmaWait if !dma.channels[usize::from(inst.fields[0])].idle() => {
                    return Ok(Some(Wait::DmaIdle {
                        channel: inst.fields[0],
                    }));
                }
                _ => {}
            }
        }
        Ok(None)
    }

    /// Extra cycles the bundle's memory accesses need because they share banks.
    fn bank_conflicts(&self, machine: &Machine, insts: &[Inst]) -> u64 {
        let mut uses = [0u8; 64];
        let mut any = false;
        for inst in insts {
            let Some((len, offset)) = sram_access(machine, inst.opcode) else {
                continue;
            };
            let addr = if offset {
                self.address(inst)
            } else {
                u64::from(self.sreg(inst.fields[1]))
            };
            any = true;
            let first = (addr / u64::from(machine.pe.bank_interleave_bytes)) as u32;
            let last =
                ((addr + u64::from(len) - 1) / u64::from(machine.pe.bank_interleave_bytes)) as u32;
            let mut seen = 0u64;
            for chunk in first..=last.min(first + machine.pe.sram_banks - 1) {
                let bank = chunk % machine.pe.sram_banks;
                if seen >> bank & 1 == 0 {
                    seen |= 1 << bank;
                    uses[bank as usize] += 1;
                }
            }
        }
        if !any {
            return 0;
        }
        u64::from(uses.iter().copied().max().unwrap_or(0).saturating_sub(1))
    }

    /// `base + offset` of the instruction's memory operand. Every `offset(rN)`
    /// instruction has one register operand before it, so the base is field B.
    pub(super) fn address(&self, inst: &Inst) -> u64 {
        u64::from(self.sreg(inst.fields[1]).wrapping_add(inst.imm))
    }

    fn check_reads(&self, ctx: &Ctx, insts: &[Inst], facts: &BundleFacts) -> Result<(), SimError> {
        for &(k, class, n) in &facts.reads {
            let r = self.ready[usize::from(class)][usize::from(n)];
            if r.at > ctx.now {
                let inst = &insts[usize::from(k)];
                return Err(self.fail(
                    ctx,
                    inst,
                    SimErrorKind::LatencyViolation {
                        register: format!("{}{n}", CLASSES[usize::from(class)].prefix()),
                        producer_bundle: r.by,
                        ready_at: r.at,
                    },
                ));
            }
        }
        Ok(())
    }

    /// Records when register `n` of `class` becomes readable, written by the current bundle.
    pub(super) fn mark_ready(&mut self, class: RegClass, n: u8, at: u64) {
        self.ready[class_index(class)][usize::from(n)] = Ready { at, by: self.pc };
    }

    /// Records a new pending write, rejecting one that an older, slower write
    /// to the same register would overtake.
    pub(super) fn set_ready(
        &mut self,
        ctx: &Ctx,
        insts: &[Inst],
        class: RegClass,
        n: u8,
        at: u64,
    ) -> Result<(), SimError> {
        let r = self.ready[class_index(class)][usize::from(n)];
        if r.at > at {
            let inst = insts
                .iter()
                .find(|i| {
                    i.register_operands()
                        .any(|(c, k, role)| c == class && k == n && role != Role::Use)
                })
                .unwrap_or(&insts[0]);
            return Err(self.fail(
                ctx,
                inst,
                SimErrorKind::WriteOrder {
                    register: format!("{}{n}", class.prefix()),
                    producer_bundle: r.by,
                    pending_until: r.at,
                    new_ready_at: at,
                },
            ));
        }
        self.mark_ready(class, n, at);
        Ok(())
    }

    /// Moves to the next bundle: halt, taken branch, hardware loop or fall-through.
    pub(super) fn advance(
        &mut self,
        ctx: &Ctx,
        insts: &[Inst],
        branch: Option<u32>,
        halt: bool,
        loop_frame: Option<(u32, i64)>,
    ) -> Result<(), SimError> {
        if halt {
            self.halted = true;
            self.stats.halted_at = Some(ctx.now + 1);
            return Ok(());
        }
        if let Some(target) = branch {
            // Leaving a hardware loop's body ends that loop ("break").
            while self
                .loops
                .last()
                .is_some_and(|l| target < l.start || target >= l.end)
            {
                self.loops.pop();
            }
            self.pc = target;
            let bubble = u64::from(ctx.machine.latency.branch_taken);
            if bubble > 0 {
                self.stall = Stall::Branch;
                self.stall_until = ctx.now + 1 + bubble;
            }
            return Ok(());
        }
        if let Some((end, count)) = loop_frame {
            if count <= 0 {
                self.pc = end;
                return Ok(());
            }
            if self.loops.len() >= ctx.machine.pe.loop_depth as usize {
                let inst = insts
                    .iter()
                    .find(|i| i.opcode == Opcode::Loop)
                    .expect("loop issued");
                return Err(self.fail(
                    ctx,
                    inst,
                    SimErrorKind::Control(format!(
                        "hardware loops nest deeper than pe.loop_depth = {}",
                        ctx.machine.pe.loop_depth
                    )),
                ));
            }
            self.loops.push(LoopFrame {
                start: self.pc + 1,
                end,
                remaining: count,
            });
        }
        self.pc += 1;
        while let Some(top) = self.loops.last_mut() {
            if self.pc != top.end {
                break;
            }
            if top.remaining > 1 {
                top.remaining -= 1;
                self.pc = top.start;
                break;
            }
            self.loops.pop();
        }
        Ok(())
    }

    /// Whether this PE's program can release lock `lock` of tile `tile`
    /// (for the deadlock report).
    pub fn may_release(&self, tile: TileCoord, lock: u8) -> bool {
        self.program
            .bundles
            .iter()
            .flat_map(|b| &b.insts)
            .any(|i| match i.opcode {
                Opcode::LockRel => tile == self.tile && i.fields[0] == lock,
                Opcode::LockRelRemote => i.tile() == tile && i.fields[0] == lock,
                // The partner is in a register: any tile may be it.
                Opcode::LockRelIndirect => i.fields[1] == lock,
                _ => false,
            })
    }
}

/// Whether an instruction with opcode `op` can make its bundle wait (see
/// `Pe::blocking_wait`).
pub(super) fn can_block(op: Opcode) -> bool {
    matches!(
        op,
        Opcode::LockAcq | Opcode::Vsend | Opcode::Vrecv | Opcode::DmaStart | Opcode::DmaWait
    )
}

/// The bytes an instruction with opcode `op` reads or writes in SRAM, and
/// whether its address is `offset(base)` (else the base register alone);
/// `None` for instructions that touch no SRAM bank.
pub(super) fn sram_access(machine: &Machine, op: Opcode) -> Option<(u32, bool)> {
    Some(match op {
        Opcode::Lw | Opcode::Sw | Opcode::Mld | Opcode::Mst | Opcode::Vbcast => (4, true),
        Opcode::Vld | Opcode::Vst => (machine.vector_bytes(), true),
        Opcode::Vbcast64 | Opcode::Vsts64 => (8, true),
        Opcode::Vld64 | Opcode::Vst64 => (2 * machine.vector_bytes(), true),
        op if semantics::narrow_width(op).is_some() => {
            let width = semantics::narrow_width(op).unwrap_or(4);
            // A vector access touches every lane's element.
            let lanes_or_one = if op.info().maskable {
                u64::from(machine.lanes())
            } else {
                1
            };
            ((width * lanes_or_one) as u32, true)
        }
        Opcode::Vldp | Opcode::Vstp => (machine.vector_bytes(), false),
        _ => return None,
    })
}
