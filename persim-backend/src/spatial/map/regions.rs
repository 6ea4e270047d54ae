//! Region assignment: each kernel of a graph gets a rectangle of PEs whose
//! size follows its share of the work, measured in PE-cycles at the peak of
//! the kernel's unit ([`KernelGraph::pe_cycles`]) so a matmul and an
//! elementwise kernel are compared by time, not by FLOPs.
//!
//! Algorithm: slicing floorplan by recursive bisection of the kernels'
//! topological order. A rectangle holding a run of consecutive kernels is
//! cut across its longer side; the cut point in the run and the cut
//! position are chosen together to minimise the larger of the two halves'
//! work per PE (the pipeline's throughput is set by its slowest stage),
//! subject to each half having a PE per kernel. Which half comes first is
//! then chosen so the first half is nearest the previous kernel's region
//! and the second nearest the rectangle the following kernels will get
//! (a boustrophedon), so consecutive kernels — the producer/consumer pairs
//! of a chain — usually get adjacent rectangles and their streams cross one
//! boundary; when the cuts make that impossible the router takes the
//! longer way. Every cut position is tried, so a level over a run of `k`
//! kernels on a side of length `L` costs `O(k · L)`.

use super::kernel_graph::{GraphError, KernelGraph, KernelId};
use super::mesh::Rect;
use crate::spatial::machine::Machine;

/// The rectangle of each kernel, indexed by [`KernelId`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Regions {
    pub rects: Vec<Rect>,
}

impl Regions {
    pub fn of(&self, kernel: KernelId) -> Rect {
        self.rects[kernel.index()]
    }
}

/// Gives every kernel of `graph` a rectangle of `machine`'s compute tiles;
/// the rectangles tile the whole grid.
pub fn assign_regions(graph: &KernelGraph, machine: &Machine) -> Result<Regions, GraphError> {
    let order = graph.topological_order()?;
    let pes = machine.pe_count();
    if order.len() > pes as usize {
        return Err(GraphError::TooManyKernels {
            kernels: order.len(),
            pes,
        });
    }
    // Kernels without work still need a PE; give them a tiny positive work
    // so shares stay defined.
    let work: Vec<f64> = (0..graph.kernels.len())
        .map(|k| graph.pe_cycles(KernelId(k as u32), machine).max(1e-9))
        .collect();
    let mut rects = vec![Rect::whole(machine); graph.kernels.len()];
    bisect(&order, &work, Rect::whole(machine), None, None, &mut rects);
    Ok(Regions { rects })
}

/// Assigns `run` to `rect`; `prev` is the region of the kernel before the
/// run, `next` the rectangle of the kernels after it.
fn bisect(
    run: &[KernelId],
    work: &[f64],
    rect: Rect,
    prev: Option<Rect>,
    next: Option<Rect>,
    out: &mut [Rect],
) {
    if let [only] = run {
        out[only.index()] = rect;
        return;
    }
    // Cut across the longer side (columns when square: a vertical cut keeps
    // every part in touch with the shim row).
    let vertical = rect.cols >= rect.rows;
    let (long, short) = if vertical {
        (rect.cols, rect.rows)
    } else {
        (rect.rows, rect.cols)
    };
    let total: f64 = run.iter().map(|k| work[k.index()]).sum();
    let mut best: Option<(f64, usize, u32)> = None;
    let mut left = 0.0;
    for k in 1..run.len() {
        left += work[run[k - 1].index()];
        let right = total - left;
        let lo = (k as u32).div_ceil(short);
        let hi = long.saturating_sub(((run.len() - k) as u32).div_ceil(short));
        for a in lo.max(1)..=hi {
            let per_pe = (left / f64::from(a * short)).max(right / f64::from((long - a) * short));
            // Among (nearly) equal bottlenecks prefer the split of the run
            // nearest its middle: it keeps later pieces square.
            let better = match best {
                None => true,
                Some((b, bk, _)) => {
                    per_pe < b * (1.0 - 1e-9)
                        || (per_pe <= b * (1.0 + 1e-9)
                            && (2 * k).abs_diff(run.len()) < (2 * bk).abs_diff(run.len()))
                }
            };
            if better {
                best = Some((per_pe, k, a));
            }
        }
    }
    // A split always exists while the rectangle has a PE per kernel (see the
    // module doc); `assign_regions` checked that at the root and every cut
    // preserves it.
    let (_, k, a) = best.expect("a rectangle with a PE per kernel can be split");
    // The first `k` kernels get `a` lines at the low or at the high end of
    // the cut axis, whichever puts them nearer `prev` and the rest nearer
    // `next`.
    let layout = |first_at_high: bool| {
        let first_start = if first_at_high { long - a } else { 0 };
        let second_start = if first_at_high { 0 } else { a };
        let part = |start: u32, len: u32| {
            if vertical {
                Rect {
                    col: rect.col + start,
                    cols: len,
                    ..rect
                }
            } else {
                Rect {
                    row: rect.row + start,
                    rows: len,
                    ..rect
                }
            }
        };
        (part(first_start, a), part(second_start, long - a))
    };
    let gap = |r: Rect, other: Option<Rect>| other.map_or(0, |o| r.gap_to(&o));
    let score = |(first, second): (Rect, Rect)| gap(first, prev) + gap(second, next);
    let (low_first, high_first) = (layout(false), layout(true));
    let (first, second) = if score(high_first) < score(low_first) {
        high_first
    } else {
        low_first
    };
    bisect(&run[..k], work, first, prev, Some(second), out);
    let last = out[run[k - 1].index()];
    bisect(&run[k..], work, second, Some(last), next, out);
}
