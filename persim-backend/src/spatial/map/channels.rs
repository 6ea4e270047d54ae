//! Channels: the NoC flows a mapped kernel graph needs, with the bandwidth
//! each one must sustain.
//!
//! Model (the fused, streaming execution of the graph):
//! - The graph runs as a pipeline for `cycles` = the slowest region's time,
//!   `max_k pe_cycles(k) / area(k)`, or the time the busiest shim port
//!   (`offchip.bytes_per_cycle_per_shim`) needs for the off-chip bytes
//!   through it if that is longer. Every channel spreads its
//!   bytes evenly over that time, so its *demand* is `bytes / cycles` in
//!   bytes per cycle, directly comparable with `noc.link_bytes_per_cycle`.
//! - A stream between a producer region P and a consumer region C becomes
//!   `max(|P|, |C|)` channels: each PE of the larger region exchanges its
//!   slice of the tensor with the PE of the smaller region at the same
//!   relative position, so the channels run side by side instead of
//!   funnelling into one PE.
//! - A kernel's off-chip input is loaded through the shim of each column of
//!   its region, up to the region's lowest PE in that column; an output that
//!   goes off-chip is stored the same way down. These share the mesh with
//!   the streams, so routing accounts for them.

use std::fmt;

use super::kernel_graph::{GraphError, KernelGraph, KernelId};
use super::mesh::Rect;
use super::regions::Regions;
use crate::spatial::coord::TileCoord;
use crate::spatial::machine::Machine;

/// What a channel carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelKind {
    /// Part of the output of `from` on its way to `to`.
    Stream { from: KernelId, to: KernelId },
    /// Off-chip input of a kernel.
    Load { kernel: KernelId },
    /// Off-chip output of a kernel.
    Store { kernel: KernelId },
    /// Built by hand ([`Channel::new`]).
    Other,
}

/// A point-to-point flow to be routed on the mesh.
#[derive(Clone, Debug, PartialEq)]
pub struct Channel {
    /// Name used in errors and pictures (`matmul_up->bias_gelu#3`).
    pub name: String,
    pub kind: ChannelKind,
    /// Source and destination tiles; a shim tile (row 0) is an off-chip port.
    pub src: TileCoord,
    pub dst: TileCoord,
    /// Bytes carried over the whole run.
    pub bytes: u64,
    /// Bytes per cycle the channel must sustain.
    pub demand: f64,
}

impl Channel {
    pub fn new(name: impl Into<String>, src: TileCoord, dst: TileCoord, demand: f64) -> Channel {
        Channel {
            name: name.into(),
            kind: ChannelKind::Other,
            src,
            dst,
            bytes: 0,
            demand,
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} -> {} ({:.2} B/cycle)",
            self.name, self.src, self.dst, self.demand
        )
    }
}

/// The channels of a mapped graph and the run time their demands assume.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelPlan {
    pub channels: Vec<Channel>,
    /// Estimated cycles of the fused run.
    pub cycles: f64,
}

/// Derives the channels of `graph` mapped onto `regions`.
pub fn plan_channels(
    graph: &KernelGraph,
    regions: &Regions,
    machine: &Machine,
) -> Result<ChannelPlan, GraphError> {
    graph.topological_order()?;
    let compute = (0..graph.kernels.len())
        .map(|k| {
            let id = KernelId(k as u32);
            graph.pe_cycles(id, machine) / f64::from(regions.of(id).area())
        })
        .fold(0.0, f64::max);
    // Off-chip bytes through each column's shim port (loads and stores are
    // spread evenly over the columns of the kernel's region).
    let mut per_shim = vec![0f64; machine.grid.cols as usize];
    for k in 0..graph.kernels.len() {
        let id = KernelId(k as u32);
        let kernel = graph.kernel(id);
        let rect = regions.of(id);
        let stored = if graph.writes_offchip(id) {
            kernel.output_bytes
        } else {
            0
        };
        for col in rect.col..rect.col + rect.cols {
            per_shim[col as usize] += (kernel.input_bytes + stored) as f64 / f64::from(rect.cols);
        }
    }
    let port = f64::from(machine.offchip.bytes_per_cycle_per_shim);
    let offchip = per_shim.iter().fold(0.0, |m: f64, &b| m.max(b / port));
    let cycles = compute.max(offchip).max(1.0);

    let mut channels = Vec::new();
    for s in &graph.streams {
        let (p, c) = (regions.of(s.from), regions.of(s.to));
        let lanes = p.area().max(c.area());
        let bytes = graph.kernel(s.from).output_bytes;
        let name = format!("{}->{}", graph.kernel(s.from).name, graph.kernel(s.to).name);
        for (i, (src, dst)) in pair_tiles(p, c).into_iter().enumerate() {
            let share = split(bytes, lanes, i as u32);
            channels.push(Channel {
                name: format!("{name}#{i}"),
                kind: ChannelKind::Stream {
                    from: s.from,
                    to: s.to,
                },
                src,
                dst,
                bytes: share,
                demand: share as f64 / cycles,
            });
        }
    }
    for k in 0..graph.kernels.len() {
        let id = KernelId(k as u32);
        let kernel = graph.kernel(id);
        let rect = regions.of(id);
        let stores = graph.writes_offchip(id);
        for (i, col) in (rect.col..rect.col + rect.cols).enumerate() {
            let shim = TileCoord::new(col as u8, 0);
            let bottom = TileCoord::new(col as u8, rect.row as u8);
            let mut push = |kind, label: &str, total: u64, src, dst| {
                let share = split(total, rect.cols, i as u32);
                if share > 0 {
                    channels.push(Channel {
                        name: format!("{}.{label}#{i}", kernel.name),
                        kind,
                        src,
                        dst,
                        bytes: share,
                        demand: share as f64 / cycles,
                    });
                }
            };
            push(
                ChannelKind::Load { kernel: id },
                "load",
                kernel.input_bytes,
                shim,
                bottom,
            );
            if stores {
                push(
                    ChannelKind::Store { kernel: id },
                    "store",
                    kernel.output_bytes,
                    bottom,
                    shim,
                );
            }
        }
    }
    Ok(ChannelPlan { channels, cycles })
}

/// Share `i` of `total` split `parts` ways, the remainder spread over the
/// first shares so the shares add up to `total`.
fn split(total: u64, parts: u32, i: u32) -> u64 {
    let parts = u64::from(parts.max(1));
    total / parts + u64::from(u64::from(i) < total % parts)
}

/// Pairs every tile of the larger rectangle with the tile of the smaller at
/// the same relative position, as (tile of `p`, tile of `c`).
fn pair_tiles(p: Rect, c: Rect) -> Vec<(TileCoord, TileCoord)> {
    let (big, small, p_is_big) = if p.area() >= c.area() {
        (p, c, true)
    } else {
        (c, p, false)
    };
    let scale =
        |x: u32, from: u32, to: u32| ((u64::from(x) * u64::from(to)) / u64::from(from)) as u32;
    big.tiles()
        .map(|t| {
            let dc = u32::from(t.col) - big.col;
            let dr = u32::from(t.row) - big.row;
            let other = TileCoord::new(
                (small.col + scale(dc, big.cols, small.cols)) as u8,
                (small.row + scale(dr, big.rows, small.rows)) as u8,
            );
            if p_is_big {
                (t, other)
            } else {
                (other, t)
            }
        })
        .collect()
}
