//! What a simulated launch measured, per kernel: cycles, MAC utilisation,
//! off-chip bytes the DMA engines moved, and the run's place under the
//! machine's roofline.

use std::fmt;

use super::SimReport;
use crate::spatial::map::{Bound, Limiter, Roofline, Unit};
use crate::spatial::sim::noc::Resource;
use crate::spatial::sim::Stats;

/// One kernel's run against the roofline.
#[derive(Clone, Debug, PartialEq)]
pub struct KernelReport {
    pub kernel: String,
    pub cycles: u64,
    /// MACs over the whole machine's matrix peak for the run's cycles.
    pub mac_utilization: f64,
    /// The unit whose peak bounds compute: the matrix unit if the kernel
    /// used it, else the vector ALU.
    pub unit: Unit,
    /// Bytes read from and written to off-chip memory (the shims' ports),
    /// as the simulator counted them.
    pub offchip_bytes: u64,
    /// FLOPs: the caller's figure, else 2 per MAC of the run.
    pub flops: u64,
    pub bound: Bound,
    /// `bound.cycles / cycles`.
    pub achieved: f64,
}

/// Bytes that crossed the shims' off-chip ports in a run.
pub fn offchip_bytes(stats: &Stats) -> u64 {
    stats
        .links
        .iter()
        .filter(|l| {
            matches!(
                l.resource,
                Resource::OffchipRead { .. } | Resource::OffchipWrite { .. }
            )
        })
        .map(|l| l.bytes)
        .sum()
}

impl SimReport {
    /// This run against the machine's roofline. `flops` is the kernel's
    /// useful work if the caller knows it (vector kernels: the simulator
    /// cannot tell useful FLOPs from address arithmetic); otherwise 2 per
    /// MAC the matrix unit performed.
    pub fn kernel_report(&self, flops: Option<u64>) -> KernelReport {
        let stats = &self.stats;
        let unit = if stats.macs > 0 {
            Unit::Matrix
        } else {
            Unit::Vector
        };
        let flops = flops.unwrap_or(2 * stats.macs);
        let bytes = offchip_bytes(stats);
        let bound = Roofline::of(&self.machine, unit).bound(flops, bytes);
        KernelReport {
            kernel: self.kernel.clone(),
            cycles: stats.cycles,
            mac_utilization: stats.machine_mac_utilization,
            unit,
            offchip_bytes: bytes,
            flops,
            achieved: bound.achieved(stats.cycles),
            bound,
        }
    }
}

impl KernelReport {
    /// A table of several kernels, one row each, with a header.
    pub fn table(reports: &[KernelReport]) -> String {
        let mut out = header();
        for r in reports {
            out.push_str(&r.row());
        }
        out
    }

    fn row(&self) -> String {
        format!(
            "{:<28} {:>11} {:>8.2}% {:>7} {:>12} {:>14} {:>9.2} {:>10} {:>12.0} {:>8.2}%\n",
            self.kernel,
            self.cycles,
            100.0 * self.mac_utilization,
            match self.unit {
                Unit::Matrix => "matrix",
                Unit::Vector => "vector",
            },
            self.offchip_bytes,
            self.flops,
            self.bound.intensity,
            match self.bound.limiter {
                Limiter::Compute => "compute",
                Limiter::Bandwidth => "bandwidth",
            },
            self.bound.cycles,
            100.0 * self.achieved
        )
    }
}

fn header() -> String {
    format!(
        "{:<28} {:>11} {:>9} {:>7} {:>12} {:>14} {:>9} {:>10} {:>12} {:>9}\n",
        "kernel",
        "cycles",
        "MAC util",
        "unit",
        "off-chip B",
        "FLOPs",
        "FLOP/B",
        "bound by",
        "roof cycles",
        "of roof"
    )
}

impl fmt::Display for KernelReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", header(), self.row())
    }
}
