//! Run statistics: cycles, per-PE and per-unit utilisation, bytes per NoC
//! resource, DMA traffic, and the simulator's own speed.
//!
//! Definitions (all per run):
//! - a PE's *utilisation* is the fraction of the run's cycles in which it
//!   issued a bundle;
//! - a slot kind's *utilisation* is instructions issued in that kind divided
//!   by `cycles x slots of that kind x PEs with code`;
//! - *MAC utilisation* is MACs performed divided by
//!   `cycles x matrix.macs_per_cycle x PEs with code`; *machine MAC
//!   utilisation* divides by every PE of the grid instead — the figure the
//!   matmul target (>= 80 % of peak) is measured by;
//! - a link's *utilisation* is the fraction of cycles in which it passed a flit;
//! - a shim's *timeline* is the bytes its off-chip port passed per window
//!   of `OFFCHIP_WINDOW` cycles, reads and writes apart, against the port's
//!   `offchip.bytes_per_cycle_per_shim` (which the two directions share).

use std::fmt::Write as _;
use std::time::Duration;

use super::noc::{Resource, ResourceTraffic, OFFCHIP_WINDOW};
use super::pe::PeStats;
use crate::spatial::coord::TileCoord;
use crate::spatial::isa::SlotKind;

/// One PE's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct PeReport {
    pub tile: TileCoord,
    pub stats: PeStats,
    /// Issue cycles / run cycles.
    pub utilization: f64,
}

/// One DMA channel's traffic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DmaReport {
    pub tile: TileCoord,
    pub channel: usize,
    pub descriptors: u64,
    pub bytes: u64,
}

/// Everything a run measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    pub cycles: u64,
    pub clock_mhz: u32,
    /// PEs that ran code, in tile order.
    pub pes: Vec<PeReport>,
    /// Per slot kind (indexed by `SlotKind::index`).
    pub slot_utilization: [f64; 5],
    pub macs: u64,
    /// MACs / (cycles x `matrix.macs_per_cycle` x PEs with code).
    pub mac_utilization: f64,
    /// MACs / (cycles x the whole machine's peak), the benchmark figure.
    pub machine_mac_utilization: f64,
    /// Resources that carried traffic.
    pub links: Vec<ResourceTraffic>,
    pub dma: Vec<DmaReport>,
    pub insts: u64,
    /// Host time the run took.
    pub wall: Duration,
}

impl Stats {
    /// The report of one PE.
    pub fn pe(&self, tile: TileCoord) -> Option<&PeReport> {
        self.pes.iter().find(|p| p.tile == tile)
    }

    /// Bytes that crossed `resource` (0 if none).
    pub fn bytes_on(&self, resource: Resource) -> u64 {
        self.links
            .iter()
            .find(|l| l.resource == resource)
            .map_or(0, |l| l.bytes)
    }

    /// Off-chip bytes of shim `col` per window of `OFFCHIP_WINDOW`
    /// cycles: (reads, writes), as long as the run's windows.
    pub fn shim_windows(&self, col: u8) -> (Vec<u64>, Vec<u64>) {
        let windows = self.cycles.div_ceil(OFFCHIP_WINDOW) as usize;
        let of = |resource: Resource| {
            let mut w = self
                .links
                .iter()
                .find(|l| l.resource == resource)
                .map_or_else(Vec::new, |l| l.windows.clone());
            w.resize(windows.max(w.len()), 0);
            w
        };
        (
            of(Resource::OffchipRead { col }),
            of(Resource::OffchipWrite { col }),
        )
    }

    /// Each shim that carried off-chip traffic, a line for its reads and
    /// one for its writes: per `cell` windows of `OFFCHIP_WINDOW` cycles,
    /// the percent of `bytes_per_cycle` (the port's bandwidth, both
    /// directions together) used. Shows when in a run the shims are the
    /// limit: a matmul's `c` written out at the end, say.
    pub fn shim_timeline(&self, bytes_per_cycle: u32, cell: usize) -> String {
        let cell = cell.max(1);
        let capacity = OFFCHIP_WINDOW * cell as u64 * u64::from(bytes_per_cycle.max(1));
        let mut cols: Vec<u8> = self
            .links
            .iter()
            .filter_map(|l| match l.resource {
                Resource::OffchipRead { col } | Resource::OffchipWrite { col } => Some(col),
                _ => None,
            })
            .collect();
        cols.sort_unstable();
        cols.dedup();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "off-chip port use, % of {bytes_per_cycle} B/cycle per {} cycles:",
            OFFCHIP_WINDOW * cell as u64
        );
        for col in cols {
            let (read, write) = self.shim_windows(col);
            for (name, w) in [("read", read), ("write", write)] {
                let _ = write!(out, "  shim {col} {name:<5}");
                for chunk in w.chunks(cell) {
                    let bytes: u64 = chunk.iter().sum();
                    let _ = write!(out, " {:>3}", 100 * bytes / capacity);
                }
                out.push('\n');
            }
        }
        out
    }

    /// Utilisation of one slot kind.
    pub fn slot(&self, kind: SlotKind) -> f64 {
        self.slot_utilization[kind.index()]
    }

    /// Simulated instructions per host second.
    pub fn insts_per_second(&self) -> f64 {
        self.insts as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    /// Simulated cycles per host second.
    pub fn cycles_per_second(&self) -> f64 {
        self.cycles as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    /// A human-readable report.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let us = self.cycles as f64 / f64::from(self.clock_mhz);
        let _ = writeln!(
            out,
            "cycles: {} ({us:.3} us at {} MHz); instructions: {}; MACs: {} ({:.1}% of the active PEs' matrix peak, {:.1}% of the machine's)",
            self.cycles,
            self.clock_mhz,
            self.insts,
            self.macs,
            100.0 * self.mac_utilization,
            100.0 * self.machine_mac_utilization
        );
        let _ = write!(out, "slot utilisation:");
        for kind in SlotKind::ALL {
            let _ = write!(out, " {} {:.1}%", kind.name(), 100.0 * self.slot(kind));
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "{:<9} {:>7} {:>10} {:>10} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
            "tile", "util", "issue", "insts", "branch", "bank", "matrix", "lock", "stream", "dma"
        );
        for p in &self.pes {
            let s = &p.stats;
            let _ = writeln!(
                out,
                "{:<9} {:>6.1}% {:>10} {:>10} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
                p.tile.to_string(),
                100.0 * p.utilization,
                s.issue_cycles,
                s.insts,
                s.stall_branch,
                s.stall_bank,
                s.stall_matrix,
                s.wait_lock,
                s.wait_stream,
                s.wait_dma
            );
        }
        if !self.links.is_empty() {
            let _ = writeln!(out, "NoC traffic:");
            for l in &self.links {
                let util = l.busy_cycles as f64 / self.cycles.max(1) as f64;
                let name = match l.resource {
                    Resource::Link { from, dir } => format!("link {from} {dir}"),
                    Resource::OffchipRead { col } => format!("off-chip read, shim {col}"),
                    Resource::OffchipWrite { col } => format!("off-chip write, shim {col}"),
                    Resource::Local { tile } => format!("local copy {tile}"),
                };
                let _ = writeln!(
                    out,
                    "  {name:<28} {:>10} B  busy {:>5.1}%",
                    l.bytes,
                    100.0 * util
                );
            }
        }
        for d in &self.dma {
            let _ = writeln!(
                out,
                "DMA {} ch{}: {} descriptors, {} B",
                d.tile, d.channel, d.descriptors, d.bytes
            );
        }
        let _ = writeln!(
            out,
            "simulator speed: {:.2} M instructions/s, {:.2} M cycles/s ({:.3} s)",
            self.insts_per_second() / 1e6,
            self.cycles_per_second() / 1e6,
            self.wall.as_secs_f64()
        );
        out
    }
}
