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
//! Issue reads every operand first (checking each register's ready cycle, so
//! an early read is an error naming the producer), computes all results,
//! then writes them with their latencies: the instructions of one bundle see
//! the state from before the bundle, as on a real VLIW.

use std::collections::VecDeque;

use super::dma::{Descriptor, Engine, DESCRIPTOR_BYTES};
use super::error::{SimError, SimErrorKind, Site};
use super::locks::{LockFile, Releaser, Signal, Signals};
use super::memory::Sram;
use super::noc::Noc;
use super::semantics::{self, all_lanes, Vector};
use crate::spatial::coord::{Direction, TileCoord};
use crate::spatial::disasm::inst_text;
use crate::spatial::inst::Inst;
use crate::spatial::isa::{Opcode, RegClass, Role, SlotKind};
use crate::spatial::machine::Machine;
use crate::spatial::program::{is_constant, PeProgram};

/// When a register's pending value becomes readable, and who wrote it.
#[derive(Clone, Copy, Debug, Default)]
struct Ready {
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
}

#[derive(Clone, Copy, Debug)]
struct LoopFrame {
    start: u32,
    end: u32,
    remaining: i64,
}

enum Write {
    S(u8, u32, u32),
    V(u8, Box<Vector>, u32),
    M(u8, u32, u32),
}

enum AccOp {
    Zero(u8),
    Outer(u8, Box<(Vector, Vector)>),
}

struct Store {
    addr: u64,
    data: Vector,
    /// 0 = scalar word, otherwise the lane mask of a vector store.
    mask: u32,
}

/// Everything outside the PE that issuing a bundle may touch.
pub struct Ctx<'a> {
    pub now: u64,
    pub machine: &'a Machine,
    pub sram: &'a mut Sram,
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
    pub pc: u32,
    pub halted: bool,
    /// Set when the PE waited in the last cycle it was stepped.
    pub wait: Option<Wait>,
    sregs: [u32; 32],
    vregs: Vec<Vector>,
    mregs: [u32; 8],
    accs: Vec<Vec<f32>>,
    ready: [Vec<Ready>; 4],
    loops: Vec<LoopFrame>,
    stall_until: u64,
    stall: Stall,
    conflict_paid: bool,
    matrix_free_at: u64,
    pub locks: LockFile,
    /// Input stream FIFOs, by the direction the data comes from.
    pub fifos: [VecDeque<Vector>; 4],
    /// Free slots in the neighbour's FIFO, by the direction of the neighbour.
    pub credits: [u32; 4],
    pub stats: PeStats,
    lanes: u32,
}

fn class_index(c: RegClass) -> usize {
    match c {
        RegClass::Scalar => 0,
        RegClass::Vector => 1,
        RegClass::Mask => 2,
        RegClass::Acc => 3,
    }
}

impl Pe {
    pub fn new(machine: &Machine, tile: TileCoord, index: usize, program: PeProgram) -> Pe {
        let p = &machine.pe;
        let lanes = machine.lanes();
        let mut locks = LockFile::new(p.locks);
        for (&l, &v) in &program.lock_init {
            locks.set(l, u32::from(v));
        }
        let depth = machine.noc.stream_fifo_depth;
        Pe {
            tile,
            index,
            program,
            pc: 0,
            halted: false,
            wait: None,
            sregs: [0; 32],
            vregs: vec![[0; 32]; p.vector_registers as usize],
            mregs: [0; 8],
            accs: vec![vec![0.0; (lanes * lanes) as usize]; p.accumulators as usize],
            ready: [
                vec![Ready::default(); 32],
                vec![Ready::default(); 32],
                vec![Ready::default(); 8],
                vec![Ready::default(); 32],
            ],
            loops: Vec::new(),
            stall_until: 0,
            stall: Stall::Branch,
            conflict_paid: false,
            matrix_free_at: 0,
            locks,
            fifos: Default::default(),
            credits: [depth; 4],
            stats: PeStats::default(),
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

    /// A vector register's lanes.
    pub fn vreg(&self, n: u8) -> &[u32] {
        &self.vregs[usize::from(n)][..self.lanes as usize]
    }

    /// An accumulator, row-major `lanes x lanes`.
    pub fn acc(&self, n: u8) -> &[f32] {
        &self.accs[usize::from(n)]
    }

    fn mask(&self, n: u8) -> u32 {
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

    fn fail(&self, ctx: &Ctx, inst: &Inst, kind: SimErrorKind) -> SimError {
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
        let Some(bundle) = self.program.bundles.get(self.pc as usize) else {
            return Err(SimError {
                cycle: ctx.now,
                site: None,
                kind: SimErrorKind::Control(format!(
                    "tile {} ran past its last bundle ({}) without `halt`",
                    self.tile,
                    self.program.bundles.len()
                )),
            });
        };
        let bundle = bundle.clone();
        self.wait = self.blocking_wait(ctx.machine, ctx.dma, ctx.now, &bundle.insts)?;
        if let Some(wait) = self.wait {
            match wait {
                Wait::Lock { .. } => self.stats.wait_lock += 1,
                Wait::StreamSend { .. } | Wait::StreamRecv { .. } => self.stats.wait_stream += 1,
                Wait::DmaQueue { .. } | Wait::DmaIdle { .. } => self.stats.wait_dma += 1,
            }
            return Ok(());
        }
        if ctx.now < self.matrix_free_at
            && bundle
                .insts
                .iter()
                .any(|i| matches!(i.opcode, Opcode::Mop | Opcode::Mzero))
        {
            self.stats.stall_matrix += 1;
            return Ok(());
        }
        if !self.conflict_paid {
            let extra = self.bank_conflicts(ctx.machine, &bundle.insts);
            if extra > 0 {
                self.conflict_paid = true;
                self.stall = Stall::Bank;
                self.stall_until = ctx.now + extra;
                self.stats.stall_bank += 1;
                return Ok(());
            }
        }
        self.conflict_paid = false;
        self.check_reads(ctx, &bundle.insts)?;
        self.issue(ctx, &bundle.insts)
    }

    /// The first unmet blocking condition of the bundle, if any.
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
            let (addr, len) = match inst.opcode {
                Opcode::Lw | Opcode::Sw | Opcode::Vbcast => (self.address(inst), 4),
                Opcode::Vld | Opcode::Vst => (self.address(inst), machine.vector_bytes()),
                Opcode::Vldp | Opcode::Vstp => {
                    (u64::from(self.sreg(inst.fields[1])), machine.vector_bytes())
                }
                _ => continue,
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
    fn address(&self, inst: &Inst) -> u64 {
        u64::from(self.sreg(inst.fields[1]).wrapping_add(inst.imm))
    }

    fn check_reads(&self, ctx: &Ctx, insts: &[Inst]) -> Result<(), SimError> {
        for inst in insts {
            for (class, n, role) in inst.register_operands() {
                if matches!(role, Role::Def | Role::Accumulate) || is_constant(class, n) {
                    continue;
                }
                let r = self.ready[class_index(class)][usize::from(n)];
                if r.at > ctx.now {
                    return Err(self.fail(
                        ctx,
                        inst,
                        SimErrorKind::LatencyViolation {
                            register: format!("{}{n}", class.prefix()),
                            producer_bundle: r.by,
                            ready_at: r.at,
                        },
                    ));
                }
            }
        }
        Ok(())
    }

    fn issue(&mut self, ctx: &mut Ctx, insts: &[Inst]) -> Result<(), SimError> {
        let now = ctx.now;
        let m = ctx.machine;
        let lanes = self.lanes as usize;
        let vbytes = m.vector_bytes() as u64;
        let lat = |class| m.latency(class);
        let mut writes: Vec<Write> = Vec::new();
        let mut stores: Vec<Store> = Vec::new();
        let mut acc_ops: Vec<AccOp> = Vec::new();
        let mut branch: Option<u32> = None;
        let mut halt = false;
        let mut loop_frame: Option<(u32, i64)> = None;
        self.stats.issue_cycles += 1;
        for inst in insts {
            let f = inst.fields;
            let info = inst.info();
            if let Some(slot) = info.slot {
                self.stats.insts += 1;
                self.stats.slot_insts[slot.index()] += 1;
            }
            let mask = self.mask(inst.mask);
            let latency = info.latency.map_or(0, lat);
            let fail = |pe: &Pe, kind| pe.fail(ctx, inst, kind);
            let mem_err = |pe: &Pe, msg: String| pe.fail(ctx, inst, SimErrorKind::Memory(msg));
            match inst.opcode {
                Opcode::Nop => {}
                Opcode::Halt => halt = true,
                Opcode::J => branch = Some(inst.imm),
                Opcode::Beqz => {
                    if self.sreg(f[0]) == 0 {
                        branch = Some(inst.imm)
                    }
                }
                Opcode::Bnez => {
                    if self.sreg(f[0]) != 0 {
                        branch = Some(inst.imm)
                    }
                }
                Opcode::Blt => {
                    if (self.sreg(f[0]) as i32) < (self.sreg(f[1]) as i32) {
                        branch = Some(inst.imm)
                    }
                }
                Opcode::Bge => {
                    if (self.sreg(f[0]) as i32) >= (self.sreg(f[1]) as i32) {
                        branch = Some(inst.imm)
                    }
                }
                Opcode::Loop => loop_frame = Some((inst.imm, i64::from(self.sreg(f[0]) as i32))),
                Opcode::LockAcq => self.locks.acquire(f[0], u32::from(inst.count())),
                Opcode::LockRel => ctx.signals.send(
                    now + 1,
                    Signal::Release {
                        tile: self.index,
                        lock: f[0],
                        amount: u32::from(inst.count()),
                        by: Releaser::Pe(self.index),
                    },
                ),
                Opcode::LockRelRemote => {
                    let to = inst.tile();
                    let delay =
                        u64::from(m.noc.hop_latency) * (u64::from(self.tile.hops_to(to)) + 1);
                    ctx.signals.send(
                        now + delay,
                        Signal::Release {
                            tile: (ctx.tile_index)(to),
                            lock: f[0],
                            amount: u32::from(inst.count()),
                            by: Releaser::Pe(self.index),
                        },
                    );
                }
                Opcode::DmaStart => {
                    let addr = u64::from(self.sreg(f[1]));
                    let bytes = ctx
                        .sram
                        .read(addr, DESCRIPTOR_BYTES as u64)
                        .map_err(|e| mem_err(self, format!("reading the DMA descriptor: {e}")))?;
                    let desc = Descriptor::from_bytes(bytes, m)
                        .map_err(|e| fail(self, SimErrorKind::Descriptor(e)))?;
                    ctx.dma.channels[usize::from(f[0])].queue.push_back(desc);
                }
                Opcode::DmaWait => {}
                Opcode::Li => writes.push(Write::S(f[0], inst.imm, latency)),
                Opcode::Mov => writes.push(Write::S(f[0], self.sreg(f[1]), latency)),
                Opcode::Addi
                | Opcode::Andi
                | Opcode::Shli
                | Opcode::Shri
                | Opcode::Srai
                | Opcode::Slti
                | Opcode::Muli => {
                    let v = semantics::scalar(inst.opcode, self.sreg(f[1]), inst.imm);
                    writes.push(Write::S(f[0], v, latency));
                }
                Opcode::I2f | Opcode::F2i => {
                    let v = semantics::scalar(inst.opcode, self.sreg(f[1]), 0);
                    writes.push(Write::S(f[0], v, latency));
                }
                Opcode::Add
                | Opcode::Sub
                | Opcode::And
                | Opcode::Or
                | Opcode::Xor
                | Opcode::Shl
                | Opcode::Shr
                | Opcode::Sra
                | Opcode::Slt
                | Opcode::Sltu
                | Opcode::Seq
                | Opcode::Mul
                | Opcode::Div
                | Opcode::Rem
                | Opcode::Fadd
                | Opcode::Fsub
                | Opcode::Fmul
                | Opcode::Fdiv
                | Opcode::Fmin
                | Opcode::Fmax
                | Opcode::Flt
                | Opcode::Fle
                | Opcode::Feq => {
                    let v = semantics::scalar(inst.opcode, self.sreg(f[1]), self.sreg(f[2]));
                    writes.push(Write::S(f[0], v, latency));
                }
                Opcode::Lw => {
                    let addr = self.address(inst);
                    aligned(addr).map_err(|e| mem_err(self, e))?;
                    let v = ctx.sram.read_u32(addr).map_err(|e| mem_err(self, e))?;
                    writes.push(Write::S(f[0], v, latency));
                }
                Opcode::Vld | Opcode::Vldp | Opcode::Vbcast => {
                    let addr = if inst.opcode == Opcode::Vldp {
                        u64::from(self.sreg(f[1]))
                    } else {
                        self.address(inst)
                    };
                    aligned(addr).map_err(|e| mem_err(self, e))?;
                    let mut v: Vector = [0; 32];
                    if inst.opcode == Opcode::Vbcast {
                        if mask != 0 {
                            let x = ctx.sram.read_u32(addr).map_err(|e| mem_err(self, e))?;
                            for (i, lane) in v.iter_mut().enumerate().take(lanes) {
                                if mask >> i & 1 == 1 {
                                    *lane = x;
                                }
                            }
                        }
                    } else if mask == all_lanes(self.lanes) {
                        let bytes = ctx.sram.read(addr, vbytes).map_err(|e| mem_err(self, e))?;
                        for (lane, b) in v.iter_mut().zip(bytes.chunks_exact(4)) {
                            *lane = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                        }
                    } else {
                        for (i, lane) in v.iter_mut().enumerate().take(lanes) {
                            if mask >> i & 1 == 1 {
                                *lane = ctx
                                    .sram
                                    .read_u32(addr + 4 * i as u64)
                                    .map_err(|e| mem_err(self, e))?;
                            }
                        }
                    }
                    writes.push(Write::V(f[0], Box::new(v), latency));
                    if inst.opcode == Opcode::Vldp {
                        let next = self.sreg(f[1]).wrapping_add(inst.imm);
                        writes.push(Write::S(
                            f[1],
                            next,
                            lat(crate::spatial::isa::LatencyClass::ScalarAlu),
                        ));
                    }
                }
                Opcode::Vrecv => {
                    let dir = Direction::from_index(f[1]).expect("decoded direction");
                    let v = self.fifos[dir.index()]
                        .pop_front()
                        .expect("checked non-empty");
                    writes.push(Write::V(f[0], Box::new(v), latency));
                    let from = self
                        .tile
                        .neighbour(dir, m.grid.cols, m.grid.rows)
                        .expect("checked neighbour");
                    ctx.signals.send(
                        now + 1,
                        Signal::Credit {
                            tile: (ctx.tile_index)(from),
                            dir: dir.opposite(),
                        },
                    );
                }
                Opcode::Sw => {
                    let addr = self.address(inst);
                    aligned(addr).map_err(|e| mem_err(self, e))?;
                    ctx.sram.read(addr, 4).map_err(|e| mem_err(self, e))?;
                    let mut data = [0; 32];
                    data[0] = self.sreg(f[0]);
                    stores.push(Store {
                        addr,
                        data,
                        mask: 0,
                    });
                }
                Opcode::Vst | Opcode::Vstp => {
                    let addr = if inst.opcode == Opcode::Vstp {
                        u64::from(self.sreg(f[1]))
                    } else {
                        self.address(inst)
                    };
                    aligned(addr).map_err(|e| mem_err(self, e))?;
                    for i in 0..lanes {
                        if mask >> i & 1 == 1 {
                            ctx.sram
                                .read(addr + 4 * i as u64, 4)
                                .map_err(|e| mem_err(self, e))?;
                        }
                    }
                    stores.push(Store {
                        addr,
                        data: self.vregs[usize::from(f[0])],
                        mask,
                    });
                    if inst.opcode == Opcode::Vstp {
                        let next = self.sreg(f[1]).wrapping_add(inst.imm);
                        writes.push(Write::S(
                            f[1],
                            next,
                            lat(crate::spatial::isa::LatencyClass::ScalarAlu),
                        ));
                    }
                }
                Opcode::Vsend => {
                    let dir = Direction::from_index(f[0]).expect("decoded direction");
                    let to = self
                        .tile
                        .neighbour(dir, m.grid.cols, m.grid.rows)
                        .expect("checked neighbour");
                    self.credits[dir.index()] -= 1;
                    let data = self.vregs[usize::from(f[1])][..lanes].to_vec();
                    ctx.noc
                        .start_stream(self.tile, to, dir.opposite(), data, now);
                }
                Opcode::VcmpltF
                | Opcode::VcmpleF
                | Opcode::VcmpeqF
                | Opcode::VcmpltI
                | Opcode::VcmpleI
                | Opcode::VcmpeqI => {
                    let (a, b) = (
                        &self.vregs[usize::from(f[1])],
                        &self.vregs[usize::from(f[2])],
                    );
                    let mut bits = 0u32;
                    for i in 0..lanes {
                        if mask >> i & 1 == 1 && semantics::compare(inst.opcode, a[i], b[i]) {
                            bits |= 1 << i;
                        }
                    }
                    writes.push(Write::M(f[0], bits, latency));
                }
                Opcode::Vsel => {
                    let sel = self.mask(f[1]);
                    let (a, b) = (
                        &self.vregs[usize::from(f[2])],
                        &self.vregs[usize::from(f[3])],
                    );
                    let mut v: Vector = [0; 32];
                    for i in 0..lanes {
                        v[i] = if sel >> i & 1 == 1 { a[i] } else { b[i] };
                    }
                    writes.push(Write::V(f[0], Box::new(v), latency));
                }
                Opcode::Vsplat => {
                    let x = self.sreg(f[1]);
                    let mut v: Vector = [0; 32];
                    for (i, lane) in v.iter_mut().enumerate().take(lanes) {
                        if mask >> i & 1 == 1 {
                            *lane = x;
                        }
                    }
                    writes.push(Write::V(f[0], Box::new(v), latency));
                }
                Opcode::Viota => {
                    let mut v: Vector = [0; 32];
                    for (i, lane) in v.iter_mut().enumerate().take(lanes) {
                        if mask >> i & 1 == 1 {
                            *lane = i as u32;
                        }
                    }
                    writes.push(Write::V(f[0], Box::new(v), latency));
                }
                Opcode::Vext => writes.push(Write::S(
                    f[0],
                    self.vregs[usize::from(f[1])][usize::from(f[2])],
                    latency,
                )),
                Opcode::Vins => {
                    let mut v = self.vregs[usize::from(f[0])];
                    v[usize::from(f[2])] = self.sreg(f[1]);
                    writes.push(Write::V(f[0], Box::new(v), latency));
                }
                Opcode::RedsumF
                | Opcode::RedmaxF
                | Opcode::RedminF
                | Opcode::RedsumI
                | Opcode::RedmaxI
                | Opcode::RedminI => {
                    let v =
                        semantics::reduce(inst.opcode, &self.vregs[usize::from(f[1])], lanes, mask);
                    writes.push(Write::S(f[0], v, latency));
                }
                Opcode::Mlanes => {
                    let v = semantics::first_lanes(self.sreg(f[1]) as i32, self.lanes);
                    writes.push(Write::M(f[0], v, latency));
                }
                Opcode::Mand => {
                    writes.push(Write::M(f[0], self.mask(f[1]) & self.mask(f[2]), latency))
                }
                Opcode::Mor => {
                    writes.push(Write::M(f[0], self.mask(f[1]) | self.mask(f[2]), latency))
                }
                Opcode::Mnot => writes.push(Write::M(
                    f[0],
                    !self.mask(f[1]) & all_lanes(self.lanes),
                    latency,
                )),
                Opcode::VmacF => {
                    let (d, a, b) = (
                        &self.vregs[usize::from(f[0])],
                        &self.vregs[usize::from(f[1])],
                        &self.vregs[usize::from(f[2])],
                    );
                    let mut v: Vector = [0; 32];
                    for i in 0..lanes {
                        if mask >> i & 1 == 1 {
                            let p = f32::from_bits(a[i]) * f32::from_bits(b[i]);
                            v[i] = (f32::from_bits(d[i]) + p).to_bits();
                        }
                    }
                    self.stats.macs += u64::from(mask.count_ones());
                    writes.push(Write::V(f[0], Box::new(v), latency));
                }
                Opcode::Mop => {
                    let pair = (self.vregs[usize::from(f[1])], self.vregs[usize::from(f[2])]);
                    self.stats.macs += (lanes * lanes) as u64;
                    acc_ops.push(AccOp::Outer(f[0], Box::new(pair)));
                }
                Opcode::Mzero => acc_ops.push(AccOp::Zero(f[0])),
                Opcode::Mrow => {
                    let row = usize::from(f[2]);
                    let acc = &self.accs[usize::from(f[1])];
                    let mut v: Vector = [0; 32];
                    for (j, lane) in v.iter_mut().enumerate().take(lanes) {
                        *lane = acc[row * lanes + j].to_bits();
                    }
                    writes.push(Write::V(f[0], Box::new(v), latency));
                }
                op => {
                    // Elementwise vector arithmetic: unary ones ignore `vb`.
                    let unary = op.info().operands.len() == 2;
                    let a = &self.vregs[usize::from(f[1])];
                    let b = if unary {
                        a
                    } else {
                        &self.vregs[usize::from(f[2])]
                    };
                    let mut v: Vector = [0; 32];
                    for i in 0..lanes {
                        if mask >> i & 1 == 1 {
                            v[i] = semantics::lane(op, a[i], b[i]);
                        }
                    }
                    writes.push(Write::V(f[0], Box::new(v), latency));
                }
            }
        }
        self.apply(ctx, insts, writes, stores, acc_ops)?;
        self.advance(ctx, insts, branch, halt, loop_frame)
    }

    fn apply(
        &mut self,
        ctx: &mut Ctx,
        insts: &[Inst],
        writes: Vec<Write>,
        stores: Vec<Store>,
        acc_ops: Vec<AccOp>,
    ) -> Result<(), SimError> {
        let now = ctx.now;
        for w in writes {
            let (class, n, latency) = match &w {
                Write::S(n, _, l) => (RegClass::Scalar, *n, *l),
                Write::V(n, _, l) => (RegClass::Vector, *n, *l),
                Write::M(n, _, l) => (RegClass::Mask, *n, *l),
            };
            if is_constant(class, n) {
                continue;
            }
            self.set_ready(ctx, insts, class, n, now + u64::from(latency))?;
            match w {
                Write::S(n, v, _) => self.sregs[usize::from(n)] = v,
                Write::V(n, v, _) => self.vregs[usize::from(n)] = *v,
                Write::M(n, v, _) => self.mregs[usize::from(n)] = v,
            }
        }
        for s in stores {
            let result = if s.mask == 0 {
                ctx.sram.write_u32(s.addr, s.data[0])
            } else if s.mask == all_lanes(self.lanes) {
                let mut bytes = [0u8; 128];
                for (b, lane) in bytes
                    .chunks_exact_mut(4)
                    .zip(&s.data[..self.lanes as usize])
                {
                    b.copy_from_slice(&lane.to_le_bytes());
                }
                ctx.sram.write(s.addr, &bytes[..4 * self.lanes as usize])
            } else {
                (0..self.lanes as usize)
                    .filter(|i| s.mask >> i & 1 == 1)
                    .try_for_each(|i| ctx.sram.write_u32(s.addr + 4 * i as u64, s.data[i]))
            };
            result.expect("store bounds checked at issue");
        }
        let m = ctx.machine;
        if !acc_ops.is_empty() {
            self.matrix_free_at = now + u64::from(m.matrix_interval());
        }
        let lanes = self.lanes as usize;
        for op in acc_ops {
            let n = match op {
                AccOp::Zero(n) => {
                    self.accs[usize::from(n)].fill(0.0);
                    n
                }
                AccOp::Outer(n, pair) => {
                    let (a, b) = &*pair;
                    let acc = &mut self.accs[usize::from(n)];
                    for i in 0..lanes {
                        let x = f32::from_bits(a[i]);
                        let row = &mut acc[i * lanes..(i + 1) * lanes];
                        for (c, &y) in row.iter_mut().zip(&b[..lanes]) {
                            *c += x * f32::from_bits(y);
                        }
                    }
                    n
                }
            };
            let r = &mut self.ready[class_index(RegClass::Acc)][usize::from(n)];
            r.at = now + u64::from(m.latency.matrix);
            r.by = self.pc;
        }
        Ok(())
    }

    /// Records a new pending write, rejecting one that an older, slower write
    /// to the same register would overtake.
    fn set_ready(
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
        self.ready[class_index(class)][usize::from(n)] = Ready { at, by: self.pc };
        Ok(())
    }

    /// Moves to the next bundle: halt, taken branch, hardware loop or fall-through.
    fn advance(
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
                _ => false,
            })
    }

    /// The slot kinds used, for utilisation.
    pub fn slot_kinds() -> [SlotKind; 5] {
        SlotKind::ALL
    }
}

fn aligned(addr: u64) -> Result<(), String> {
    if addr.is_multiple_of(4) {
        Ok(())
    } else {
        Err(format!("address {addr:#x} is not 4-byte aligned"))
    }
}
