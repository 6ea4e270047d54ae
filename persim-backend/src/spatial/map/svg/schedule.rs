//! The schedule picture of one PE: its bundles in issue order (x) against
//! the VLIW slots (y), each instruction a box coloured by its unit.
//!
//! x is the bundle index — the cycle it issues in a run without stalls or
//! loop repetitions; zero-overhead loop bodies are bracketed above. When a
//! simulator report for the PE is given, its measured issue, stall and wait
//! cycles are printed under the title (the simulator keeps counters, not a
//! per-cycle trace).

use super::color::category;
use super::writer::{num, Svg};
use crate::spatial::disasm::inst_text;
use crate::spatial::isa::{Opcode, SlotKind};
use crate::spatial::machine::Machine;
use crate::spatial::program::PeProgram;
use crate::spatial::sim::PeReport;

const COL: f64 = 34.0;
const ROW: f64 = 22.0;
const LEFT: f64 = 110.0;
const TOP: f64 = 96.0;
/// Bundles drawn at most; longer programs are cut with a note.
pub const MAX_BUNDLES: usize = 300;

/// The colour of a slot kind (same index as the mesh palette).
pub fn unit_color(kind: SlotKind) -> &'static str {
    category(kind.index())
}

/// Renders `pe`'s bundles against `machine`'s slots.
pub fn schedule_svg(
    machine: &Machine,
    title: &str,
    pe: &PeProgram,
    report: Option<&PeReport>,
) -> String {
    let rows: Vec<(SlotKind, u32)> = SlotKind::ALL
        .iter()
        .flat_map(|&k| (0..machine.slot_count(k)).map(move |i| (k, i)))
        .collect();
    let shown = pe.bundles.len().min(MAX_BUNDLES);
    let width = LEFT + COL * shown.max(8) as f64 + 40.0;
    let height = TOP + ROW * rows.len() as f64 + 90.0;
    let mut svg = Svg::new(width, height);
    svg.text(10.0, 22.0, 16.0, &[("font-weight", "bold".into())], title);
    let mut subtitle = format!(
        "{} bundles, {} instructions",
        pe.bundles.len(),
        pe.inst_count()
    );
    if shown < pe.bundles.len() {
        subtitle.push_str(&format!(" (first {shown} shown)"));
    }
    svg.text(10.0, 40.0, 11.0, &[], &subtitle);
    if let Some(r) = report {
        let s = &r.stats;
        svg.text(
            10.0,
            56.0,
            11.0,
            &[],
            &format!(
                "measured: {} issue cycles ({:.1}% of the run); stalls: branch {}, bank {}, matrix {}; waits: lock {}, stream {}, dma {}",
                s.issue_cycles,
                100.0 * r.utilization,
                s.stall_branch,
                s.stall_bank,
                s.stall_matrix,
                s.wait_lock,
                s.wait_stream,
                s.wait_dma
            ),
        );
    }
    // Slot rows.
    svg.open("g", &[("id", "slots".into())]);
    for (y, &(kind, i)) in rows.iter().enumerate() {
        let y = TOP + ROW * y as f64;
        svg.text(
            10.0,
            y + ROW * 0.7,
            11.0,
            &[],
            &format!("{} {i}", kind.name()),
        );
        svg.leaf(
            "line",
            &[
                ("x1", num(LEFT)),
                ("y1", num(y + ROW)),
                ("x2", num(LEFT + COL * shown as f64)),
                ("y2", num(y + ROW)),
                ("stroke", "#e0e0e0".into()),
            ],
        );
    }
    svg.close();
    // Bundle axis.
    svg.open("g", &[("id", "axis".into())]);
    let step = if shown > 60 { 10 } else { 5 };
    for b in (0..shown).step_by(step) {
        svg.text(
            LEFT + COL * b as f64 + 2.0,
            TOP + ROW * rows.len() as f64 + 16.0,
            10.0,
            &[],
            &b.to_string(),
        );
    }
    svg.text(
        LEFT,
        TOP + ROW * rows.len() as f64 + 32.0,
        11.0,
        &[],
        "bundle (issue cycle without stalls)",
    );
    svg.close();
    // Loop brackets.
    svg.open("g", &[("id", "loops".into())]);
    let mut depth_at = vec![0usize; shown + 1];
    for (b, bundle) in pe.bundles.iter().enumerate().take(shown) {
        for inst in bundle.real_insts().filter(|i| i.opcode == Opcode::Loop) {
            let Some(end) = inst.target() else { continue };
            let (start, end) = (b + 1, (end as usize).min(shown));
            if start >= end {
                continue;
            }
            let level = depth_at[start..end].iter().copied().max().unwrap_or(0);
            for d in &mut depth_at[start..end] {
                *d = level + 1;
            }
            let y = TOP - 8.0 - 10.0 * level as f64;
            let (x0, x1) = (
                LEFT + COL * start as f64 + 2.0,
                LEFT + COL * end as f64 - 2.0,
            );
            svg.open("g", &[("class", "loop".into())]);
            svg.text_elem(
                "title",
                &[],
                &format!(
                    "zero-overhead loop: bundles {start}..{end}, `{}`",
                    inst_text(inst)
                ),
            );
            svg.leaf(
                "polyline",
                &[
                    (
                        "points",
                        format!(
                            "{},{} {},{} {},{} {},{}",
                            num(x0),
                            num(y + 6.0),
                            num(x0),
                            num(y),
                            num(x1),
                            num(y),
                            num(x1),
                            num(y + 6.0)
                        ),
                    ),
                    ("fill", "none".into()),
                    ("stroke", "#555".into()),
                ],
            );
            svg.close();
        }
    }
    svg.close();
    // Instructions.
    svg.open("g", &[("id", "bundles".into())]);
    for (b, bundle) in pe.bundles.iter().enumerate().take(shown) {
        let mut used = [0u32; 5];
        for inst in bundle.real_insts() {
            let Some(kind) = inst.info().slot else {
                continue;
            };
            let i = used[kind.index()];
            used[kind.index()] += 1;
            let Some(row) = rows.iter().position(|&r| r == (kind, i)) else {
                continue;
            };
            let (x, y) = (LEFT + COL * b as f64, TOP + ROW * row as f64);
            svg.open("g", &[("class", format!("inst {}", kind.name()))]);
            svg.text_elem("title", &[], &format!("bundle {b}: {}", inst_text(inst)));
            svg.leaf(
                "rect",
                &[
                    ("x", num(x + 1.0)),
                    ("y", num(y + 1.0)),
                    ("width", num(COL - 2.0)),
                    ("height", num(ROW - 2.0)),
                    ("rx", "3".into()),
                    ("fill", unit_color(kind).into()),
                ],
            );
            let label: String = inst.opcode.mnemonic().chars().take(5).collect();
            svg.text(
                x + 3.0,
                y + ROW * 0.68,
                9.0,
                &[("fill", "white".into())],
                &label,
            );
            svg.close();
        }
    }
    svg.close();
    // Legend.
    let ly = TOP + ROW * rows.len() as f64 + 56.0;
    svg.open("g", &[("id", "legend".into())]);
    for (k, kind) in SlotKind::ALL.iter().enumerate() {
        let x = LEFT + 110.0 * k as f64;
        svg.leaf(
            "rect",
            &[
                ("x", num(x)),
                ("y", num(ly)),
                ("width", "14".into()),
                ("height", "14".into()),
                ("fill", unit_color(*kind).into()),
            ],
        );
        svg.text(x + 20.0, ly + 11.0, 11.0, &[], kind.name());
    }
    svg.close();
    svg.finish()
}
