//! The cycle-level simulator of the spatial machine.
//!
//! One call of [`Simulator::step`] is one cycle of the whole machine, in a
//! fixed order that makes runs deterministic and independent of the order
//! PEs are visited in:
//! 1. signals due this cycle land (lock releases, stream credits);
//! 2. every PE with code steps, in tile order (`pe.rs`); cross-tile effects
//!    are queued as signals for a later cycle, never applied at once;
//! 3. each idle DMA channel takes its next descriptor (`dma.rs`) once its
//!    tile's locks hold what the descriptor waits for; its first flit may
//!    enter the NoC `dma.setup_cycles` later;
//! 4. the NoC delivers, injects and arbitrates flits (`noc.rs`);
//! 5. finished flows complete: DMA channels free up and signal their lock
//!    (next cycle), stream vectors enter the receiver's FIFO;
//! 6. deadlock check (`deadlock.rs`).
//!
//! The run ends when every PE has halted and no traffic or signal is left.

pub mod deadlock;
pub mod dma;
pub mod error;
mod exec;
mod facts;
pub mod locks;
pub mod memory;
pub mod noc;
pub mod pe;
pub mod semantics;
pub mod stats;
pub mod wide;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::spatial::coord::TileCoord;
use crate::spatial::isa::SlotKind;
use crate::spatial::machine::Machine;
use crate::spatial::program::{PeProgram, Program};

pub use dma::Descriptor;
pub use error::{SimError, SimErrorKind, Site};
pub use noc::Resource;
pub use pe::{DebugEvent, PeStats, Wait};
pub use stats::{DmaReport, PeReport, Stats};

use locks::{Releaser, Signal, Signals};
use memory::Memories;
use noc::{Completion, Noc};
use pe::{Ctx, Pe};

/// A loaded machine, ready to run.
pub struct Simulator {
    machine: Machine,
    pes: Vec<Pe>,
    engines: Vec<dma::Engine>,
    mem: Memories,
    noc: Noc,
    signals: Signals,
    cycle: u64,
    /// For deadlock reports: which PEs' DMA descriptors released (tile, lock).
    dma_signallers: BTreeMap<(usize, u8), BTreeSet<usize>>,
    /// Indices of PEs that have code, in tile order.
    active: Vec<usize>,
    wall: Duration,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("machine", &self.machine.name)
            .field("cycle", &self.cycle)
            .finish_non_exhaustive()
    }
}

impl Simulator {
    /// Validates `program` against `machine` and loads it; every PE starts at
    /// bundle 0 with zeroed registers and memories.
    pub fn new(machine: &Machine, program: &Program) -> Result<Simulator, SimError> {
        program.validate(machine).map_err(|e| SimError {
            cycle: 0,
            site: None,
            kind: SimErrorKind::Program(e),
        })?;
        let mut pes = Vec::new();
        let mut active = Vec::new();
        for row in 1..=machine.grid.rows {
            for col in 0..machine.grid.cols {
                let tile = TileCoord::new(col as u8, row as u8);
                let index = pes.len();
                let code = program.tiles.get(&tile).cloned();
                let mut pe = Pe::new(machine, tile, index, code.clone().unwrap_or_default());
                if code.is_some() {
                    active.push(index);
                } else {
                    pe.halted = true;
                }
                pes.push(pe);
            }
        }
        Ok(Simulator {
            machine: machine.clone(),
            engines: (0..pes.len()).map(|_| dma::Engine::new(machine)).collect(),
            pes,
            mem: Memories::new(machine),
            noc: Noc::new(machine),
            signals: Signals::default(),
            cycle: 0,
            dma_signallers: BTreeMap::new(),
            active,
            wall: Duration::ZERO,
        })
    }

    pub fn machine(&self) -> &Machine {
        &self.machine
    }

    /// The current cycle (cycles completed so far).
    pub fn cycle(&self) -> u64 {
        self.cycle
    }

    /// Index of a compute tile, or an error message.
    fn index(&self, tile: TileCoord) -> Result<usize, String> {
        let g = &self.machine.grid;
        if tile.is_shim() || u32::from(tile.col) >= g.cols || u32::from(tile.row) > g.rows {
            return Err(format!("{tile} is not a compute tile"));
        }
        Ok((tile.row as usize - 1) * g.cols as usize + tile.col as usize)
    }

    /// Writes bytes into off-chip memory (inputs).
    pub fn write_offchip(&mut self, addr: u64, data: &[u8]) -> Result<(), String> {
        self.mem.offchip.write(addr, data)
    }

    /// Reads off-chip memory (outputs).
    pub fn read_offchip(&self, addr: u64, len: usize) -> Result<Vec<u8>, String> {
        let mut out = vec![0; len];
        self.mem.offchip.read(addr, &mut out)?;
        Ok(out)
    }

    /// Writes into a compute tile's SRAM (e.g. DMA descriptors, constants).
    pub fn write_sram(&mut self, tile: TileCoord, addr: u64, data: &[u8]) -> Result<(), String> {
        let i = self.index(tile)?;
        self.mem.srams[i].write(addr, data)
    }

    /// Reads a compute tile's SRAM.
    pub fn read_sram(&self, tile: TileCoord, addr: u64, len: usize) -> Result<Vec<u8>, String> {
        let i = self.index(tile)?;
        let mut out = vec![0; len];
        self.mem.srams[i].read_into(addr, &mut out)?;
        Ok(out)
    }

    /// Sets a scalar register before the run (kernel arguments, tile ids).
    pub fn set_sreg(&mut self, tile: TileCoord, reg: u8, value: u32) -> Result<(), String> {
        let i = self.index(tile)?;
        if u32::from(reg) >= self.machine.pe.scalar_registers {
            return Err(format!("r{reg} does not exist"));
        }
        self.pes[i].set_sreg(reg, value);
        Ok(())
    }

    /// A scalar register's value.
    pub fn sreg(&self, tile: TileCoord, reg: u8) -> Result<u32, String> {
        let pe = &self.pes[self.index(tile)?];
        if u32::from(reg) >= self.machine.pe.scalar_registers {
            return Err(format!("r{reg} does not exist"));
        }
        Ok(pe.sreg(reg))
    }

    /// A vector register's lanes (of a PE that runs code).
    pub fn vreg(&self, tile: TileCoord, reg: u8) -> Result<Vec<u32>, String> {
        let pe = &self.pes[self.index(tile)?];
        if pe.program.bundles.is_empty() {
            return Err(format!(
                "tile {tile} runs no code and has no register state"
            ));
        }
        if u32::from(reg) >= self.machine.pe.vector_registers {
            return Err(format!("v{reg} does not exist"));
        }
        Ok(pe.vreg(reg))
    }

    /// A lock's current value.
    pub fn lock(&self, tile: TileCoord, lock: u8) -> Result<u32, String> {
        let pe = &self.pes[self.index(tile)?];
        if u32::from(lock) >= self.machine.pe.locks {
            return Err(format!("l{lock} does not exist"));
        }
        Ok(pe.locks.value(lock))
    }

    /// The program a tile runs (empty if none).
    pub fn pe_program(&self, tile: TileCoord) -> Result<&PeProgram, String> {
        Ok(&self.pes[self.index(tile)?].program)
    }

    /// Whether the run is over: every PE halted and nothing in flight.
    pub fn finished(&self) -> bool {
        self.active.iter().all(|&i| self.pes[i].halted) && self.quiet()
    }

    /// Nothing in flight: no flit, no signal, and every DMA channel idle or
    /// waiting for a lock.
    fn quiet(&self) -> bool {
        !self.noc.busy()
            && self.signals.is_empty()
            && self
                .engines
                .iter()
                .zip(&self.pes)
                .all(|(e, pe)| e.channels.iter().all(|c| c.blocked_or_idle(&pe.locks)))
    }

    /// Runs until every PE halts and all traffic drains, or an error; at most
    /// `max_cycles` cycles in total.
    pub fn run(&mut self, max_cycles: u64) -> Result<Stats, SimError> {
        let start = Instant::now();
        let result = self.run_inner(max_cycles);
        self.wall += start.elapsed();
        result.map(|()| self.stats())
    }

    fn run_inner(&mut self, max_cycles: u64) -> Result<(), SimError> {
        while !self.finished() {
            if self.cycle >= max_cycles {
                return Err(SimError {
                    cycle: self.cycle,
                    site: None,
                    kind: SimErrorKind::CycleLimit(max_cycles),
                });
            }
            self.step()?;
        }
        Ok(())
    }

    /// Simulates one cycle of the whole machine.
    pub fn step(&mut self) -> Result<(), SimError> {
        let now = self.cycle;
        let fail = |kind| SimError {
            cycle: now,
            site: None,
            kind,
        };
        while let Some(signal) = self.signals.pop_due(now) {
            match signal {
                Signal::Release {
                    tile,
                    lock,
                    amount,
                    by,
                } => self.pes[tile].locks.release(lock, amount).map_err(|m| {
                    let who = match by {
                        Releaser::Pe(i) => format!("a lock release by {}", self.pes[i].tile),
                        Releaser::Dma { tile, channel } => {
                            format!("a DMA descriptor of {} ch{channel}", self.pes[tile].tile)
                        }
                    };
                    fail(SimErrorKind::Lock(format!(
                        "tile {}: {m} ({who})",
                        self.pes[tile].tile
                    )))
                })?,
                Signal::Credit { tile, dir } => self.pes[tile].credits[dir.index()] += 1,
            }
        }
        let cols = self.machine.grid.cols as usize;
        let tile_index = move |t: TileCoord| (t.row as usize - 1) * cols + t.col as usize;
        for &i in &self.active {
            let mut ctx = Ctx {
                now,
                machine: &self.machine,
                sram: &mut self.mem.srams[i],
                offchip: &mut self.mem.offchip,
                dma: &mut self.engines[i],
                noc: &mut self.noc,
                signals: &mut self.signals,
                tile_index: &tile_index,
            };
            self.pes[i].step(&mut ctx)?;
        }
        let setup = u64::from(self.machine.dma.setup_cycles);
        for &i in &self.active {
            for (c, channel) in self.engines[i].channels.iter_mut().enumerate() {
                if channel.startable(&self.pes[i].locks) {
                    let desc = channel
                        .take_next_piece()
                        .expect("a startable channel has one");
                    for &lock in desc.wait.iter().flatten() {
                        self.pes[i].locks.acquire(lock, 1);
                    }
                    for (tile, lock, _) in desc.signal.iter().chain(&desc.signal2) {
                        self.dma_signallers
                            .entry((tile_index(*tile), *lock))
                            .or_default()
                            .insert(i);
                    }
                    self.noc.start_dma(desc, now + setup, i, c);
                    channel.active = Some(desc);
                }
            }
        }
        let mut done = Vec::new();
        self.noc
            .step(now, &mut self.mem, &mut done)
            .map_err(|m| fail(SimErrorKind::Memory(m)))?;
        for completion in done {
            match completion {
                Completion::Dma { tile, channel } => {
                    let ch = &mut self.engines[tile].channels[channel];
                    let desc = ch.active.take().expect("a completed DMA was active");
                    ch.bytes += desc.bytes();
                    for (to, lock, amount) in desc.signal.into_iter().chain(desc.signal2) {
                        let delay = u64::from(self.machine.noc.hop_latency)
                            * u64::from(desc.dst.hops_to(to));
                        self.signals.send(
                            now + 1 + delay,
                            Signal::Release {
                                tile: tile_index(to),
                                lock,
                                amount: u32::from(amount),
                                by: Releaser::Dma { tile, channel },
                            },
                        );
                    }
                }
                Completion::Stream { to, dir, data, .. } => {
                    let mut v = [0u64; 32];
                    for (lane, &x) in v.iter_mut().zip(&data) {
                        *lane = u64::from(x);
                    }
                    self.pes[tile_index(to)].fifos[dir.index()].push_back(v);
                }
            }
        }
        self.cycle += 1;
        let stuck = self.active.iter().all(|&i| !self.pes[i].running());
        let waiting = self.active.iter().any(|&i| !self.pes[i].halted);
        if stuck
            && waiting
            && self.quiet()
            && self.active.iter().all(|&i| {
                self.pes[i].halted || self.pes[i].still_waits(&self.machine, &self.engines[i])
            })
        {
            return Err(SimError {
                cycle: now,
                site: None,
                kind: SimErrorKind::Deadlock(deadlock::report(
                    &self.pes,
                    &self.engines,
                    &self.dma_signallers,
                    &self.machine,
                    now,
                )),
            });
        }
        Ok(())
    }

    /// Statistics of the run so far.
    pub fn stats(&self) -> Stats {
        let cycles = self.cycle;
        let denom = |per_pe: u64| (cycles * per_pe * self.active.len() as u64).max(1) as f64;
        let pes: Vec<PeReport> = self
            .active
            .iter()
            .map(|&i| PeReport {
                tile: self.pes[i].tile,
                stats: self.pes[i].stats.clone(),
                utilization: self.pes[i].stats.issue_cycles as f64 / cycles.max(1) as f64,
            })
            .collect();
        let mut slot_utilization = [0.0; 5];
        for kind in SlotKind::ALL {
            let used: u64 = pes.iter().map(|p| p.stats.slot_insts[kind.index()]).sum();
            slot_utilization[kind.index()] =
                used as f64 / denom(u64::from(self.machine.slot_count(kind)));
        }
        let macs: u64 = pes.iter().map(|p| p.stats.macs).sum();
        let dma = self
            .active
            .iter()
            .flat_map(|&i| {
                self.engines[i]
                    .channels
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.descriptors > 0)
                    .map(move |(c, ch)| DmaReport {
                        tile: self.pes[i].tile,
                        channel: c,
                        descriptors: ch.descriptors,
                        bytes: ch.bytes,
                    })
            })
            .collect();
        Stats {
            cycles,
            clock_mhz: self.machine.clock_mhz,
            insts: pes.iter().map(|p| p.stats.insts).sum(),
            pes,
            slot_utilization,
            macs,
            mac_utilization: macs as f64 / denom(u64::from(self.machine.matrix.macs_per_cycle)),
            machine_mac_utilization: macs as f64
                / (cycles * self.machine.peak_macs_per_cycle()).max(1) as f64,
            links: self.noc.traffic(),
            dma,
            wall: self.wall,
        }
    }
}
