//! Off-chip traffic of a kernel graph run fused (intermediates streamed over
//! the NoC) versus kernel by kernel (every intermediate written off-chip by
//! its producer and read back by each consumer), and the NoC bytes per link
//! of the fused run.

use std::fmt;

use super::channels::ChannelPlan;
use super::kernel_graph::{KernelGraph, KernelId};
use super::mesh::{Link, Rect};
use super::regions::Regions;
use super::route::Routes;

/// One kernel's line of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct KernelTraffic {
    pub name: String,
    pub region: Rect,
    /// Off-chip bytes read (weights, graph inputs) in both executions.
    pub input_bytes: u64,
    /// Output bytes written off-chip when fused (graph outputs only).
    pub fused_writes: u64,
    /// Output bytes written off-chip, plus producers' outputs read back, when
    /// run one by one.
    pub unfused_writes: u64,
    pub unfused_reads: u64,
}

/// Off-chip and NoC bytes of one mapped kernel graph.
#[derive(Clone, Debug, PartialEq)]
pub struct TrafficReport {
    pub kernels: Vec<KernelTraffic>,
    pub offchip_fused: u64,
    pub offchip_unfused: u64,
    /// Intermediate bytes that stay on chip when fused.
    pub streamed_bytes: u64,
    /// Bytes over each link of the fused run (routed channels), link order.
    pub noc_link_bytes: Vec<(Link, u64)>,
    /// `Σ bytes · hops` over all routed channels.
    pub noc_byte_hops: u64,
    /// Estimated cycles of the fused run (from the channel plan).
    pub cycles: f64,
}

impl TrafficReport {
    /// Off-chip bytes saved by fusion, as a fraction of the unfused bytes.
    pub fn saving(&self) -> f64 {
        1.0 - self.offchip_fused as f64 / self.offchip_unfused.max(1) as f64
    }
}

/// The report for `graph` mapped onto `regions`, with `plan`'s channels
/// routed as `routes`.
pub fn traffic(
    graph: &KernelGraph,
    regions: &Regions,
    plan: &ChannelPlan,
    routes: &Routes,
) -> TrafficReport {
    let kernels: Vec<KernelTraffic> = (0..graph.kernels.len())
        .map(|k| {
            let id = KernelId(k as u32);
            let kernel = graph.kernel(id);
            let reads_back: u64 = graph
                .streams
                .iter()
                .filter(|s| s.to == id)
                .map(|s| graph.kernel(s.from).output_bytes)
                .sum();
            KernelTraffic {
                name: kernel.name.clone(),
                region: regions.of(id),
                input_bytes: kernel.input_bytes,
                fused_writes: if graph.writes_offchip(id) {
                    kernel.output_bytes
                } else {
                    0
                },
                unfused_writes: kernel.output_bytes,
                unfused_reads: kernel.input_bytes + reads_back,
            }
        })
        .collect();
    let offchip_fused = kernels.iter().map(|k| k.input_bytes + k.fused_writes).sum();
    let offchip_unfused = kernels
        .iter()
        .map(|k| k.unfused_reads + k.unfused_writes)
        .sum();
    let streamed_bytes = graph
        .streams
        .iter()
        .map(|s| graph.kernel(s.from).output_bytes)
        .sum();
    let mut per_link: Vec<(Link, u64)> = Vec::new();
    let mut noc_byte_hops = 0;
    for r in &routes.routes {
        let bytes = plan.channels[r.channel].bytes;
        noc_byte_hops += bytes * r.hops() as u64;
        for &link in &r.links {
            match per_link.binary_search_by(|(l, _)| l.cmp(&link)) {
                Ok(i) => per_link[i].1 += bytes,
                Err(i) => per_link.insert(i, (link, bytes)),
            }
        }
    }
    TrafficReport {
        kernels,
        offchip_fused,
        offchip_unfused,
        streamed_bytes,
        noc_link_bytes: per_link,
        noc_byte_hops,
        cycles: plan.cycles,
    }
}

/// Links listed by `Display`, busiest first (the struct holds all of them).
const SHOWN_LINKS: usize = 12;

impl fmt::Display for TrafficReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<16} {:<24} {:>12} {:>12} {:>12} {:>12}",
            "kernel", "region", "reads", "fused wr", "1-by-1 rd", "1-by-1 wr"
        )?;
        for k in &self.kernels {
            writeln!(
                f,
                "{:<16} {:<24} {:>12} {:>12} {:>12} {:>12}",
                k.name,
                k.region.to_string(),
                k.input_bytes,
                k.fused_writes,
                k.unfused_reads,
                k.unfused_writes
            )?;
        }
        writeln!(
            f,
            "off-chip bytes: fused {} vs one by one {} ({:.1}% saved); {} intermediate bytes streamed on chip",
            self.offchip_fused,
            self.offchip_unfused,
            100.0 * self.saving(),
            self.streamed_bytes
        )?;
        let busiest = self
            .noc_link_bytes
            .iter()
            .max_by_key(|(l, b)| (*b, std::cmp::Reverse(*l)));
        write!(
            f,
            "NoC: {} links used, {} byte-hops over ~{:.0} cycles",
            self.noc_link_bytes.len(),
            self.noc_byte_hops,
            self.cycles
        )?;
        if let Some((link, bytes)) = busiest {
            write!(f, "; busiest link {link} with {bytes} bytes")?;
        }
        writeln!(f)?;
        let mut busiest: Vec<&(Link, u64)> = self.noc_link_bytes.iter().collect();
        busiest.sort_by_key(|(l, b)| (std::cmp::Reverse(*b), *l));
        for (link, bytes) in busiest.iter().take(SHOWN_LINKS) {
            writeln!(f, "  {:<20} {:>12} B", link.to_string(), bytes)?;
        }
        if busiest.len() > SHOWN_LINKS {
            writeln!(f, "  ... and {} more links", busiest.len() - SHOWN_LINKS)?;
        }
        Ok(())
    }
}
