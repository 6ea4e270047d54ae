//! The roofline of the machine: how fast a kernel can possibly run given its
//! FLOPs and off-chip bytes, and how close a measured run came.
//!
//! Bounds (per cycle of the PE clock):
//! - compute: `PEs · peak FLOPs per PE` of the kernel's unit (the matrix
//!   unit: `2 · matrix.macs_per_cycle`, since a MAC is 2 FLOPs);
//! - bandwidth: `shims · offchip.bytes_per_cycle_per_shim`, every shim port
//!   of the grid (or of the columns the kernel uses) streaming at once.
//!
//! The bound on cycles is `max(flops / compute, bytes / bandwidth)`; the
//! *ridge point* `compute / bandwidth` is the arithmetic intensity (FLOPs
//! per byte) above which a kernel is compute bound.

use std::fmt;

use super::kernel_graph::Unit;
use crate::spatial::machine::Machine;
use crate::spatial::sim::Stats;

/// Peak rates of a set of PEs and shim ports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Roofline {
    /// FLOPs per cycle.
    pub compute: f64,
    /// Off-chip bytes per cycle.
    pub bandwidth: f64,
    pub clock_mhz: u32,
}

/// Which roof a kernel hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limiter {
    Compute,
    Bandwidth,
}

/// A kernel's position under the roofline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    pub flops: u64,
    pub bytes: u64,
    /// FLOPs per off-chip byte.
    pub intensity: f64,
    pub compute_cycles: f64,
    pub memory_cycles: f64,
    /// The larger of the two: no run can take fewer cycles.
    pub cycles: f64,
    pub limiter: Limiter,
}

impl Roofline {
    /// The whole machine on `unit`.
    pub fn of(machine: &Machine, unit: Unit) -> Roofline {
        Roofline::of_part(machine, unit, machine.pe_count(), machine.grid.cols)
    }

    /// `pes` PEs using `shims` shim ports.
    pub fn of_part(machine: &Machine, unit: Unit, pes: u32, shims: u32) -> Roofline {
        Roofline {
            compute: f64::from(pes) * unit.peak_flops_per_cycle(machine),
            bandwidth: f64::from(shims * machine.offchip.bytes_per_cycle_per_shim),
            clock_mhz: machine.clock_mhz,
        }
    }

    /// FLOPs per byte where the two roofs meet.
    pub fn ridge(&self) -> f64 {
        self.compute / self.bandwidth
    }

    /// Attainable FLOPs per cycle at `intensity` FLOPs per byte.
    pub fn attainable(&self, intensity: f64) -> f64 {
        self.compute.min(self.bandwidth * intensity)
    }

    pub fn bound(&self, flops: u64, bytes: u64) -> Bound {
        let compute_cycles = flops as f64 / self.compute;
        let memory_cycles = bytes as f64 / self.bandwidth;
        Bound {
            flops,
            bytes,
            intensity: flops as f64 / bytes.max(1) as f64,
            compute_cycles,
            memory_cycles,
            cycles: compute_cycles.max(memory_cycles),
            limiter: if compute_cycles >= memory_cycles {
                Limiter::Compute
            } else {
                Limiter::Bandwidth
            },
        }
    }
}

impl Bound {
    /// Fraction of the roofline bound a run of `cycles` achieved (1 = on the
    /// roof; a run faster than the bound would mean the model is wrong, so
    /// the value is not clamped).
    pub fn achieved(&self, cycles: u64) -> f64 {
        self.cycles / cycles.max(1) as f64
    }

    /// [`achieved`](Bound::achieved) for a simulator run.
    pub fn achieved_by(&self, stats: &Stats) -> f64 {
        self.achieved(stats.cycles)
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} FLOPs, {} B ({:.2} FLOP/B): compute {:.0} cycles, memory {:.0} cycles -> {} bound, >= {:.0} cycles",
            self.flops,
            self.bytes,
            self.intensity,
            self.compute_cycles,
            self.memory_cycles,
            match self.limiter {
                Limiter::Compute => "compute",
                Limiter::Bandwidth => "bandwidth",
            },
            self.cycles
        )
    }
}
