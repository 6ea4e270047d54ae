//! The mesh picture: PEs as a utilisation heatmap, the tasks on each PE,
//! region outlines, and routed channels as polylines along the links.

use std::collections::BTreeMap;

use super::color::{category, dark, heat};
use super::writer::{num, Svg};
use crate::spatial::coord::TileCoord;
use crate::spatial::machine::Machine;
use crate::spatial::map::mesh::Rect;
use crate::spatial::map::placement::Placement;
use crate::spatial::map::problem::PlacementProblem;
use crate::spatial::map::route::Route;
use crate::spatial::sim::Stats;

/// Everything drawn on the mesh picture; fill the parts you have.
#[derive(Clone, Debug, Default)]
pub struct MeshPicture {
    pub title: String,
    /// Utilisation per compute tile, 0..=1 (missing tiles: idle).
    pub utilization: BTreeMap<TileCoord, f64>,
    /// Names listed inside each tile (e.g. its tasks).
    pub labels: BTreeMap<TileCoord, Vec<String>>,
    /// Named rectangles outlined (e.g. kernel regions).
    pub regions: Vec<(String, Rect)>,
    /// Routed channels with their names; names up to a `#` form one family,
    /// drawn in one colour with one legend entry.
    pub routes: Vec<(String, Route)>,
}

impl MeshPicture {
    /// Utilisation from a simulator run (issue cycles / run cycles per PE).
    pub fn utilization_from_stats(stats: &Stats) -> BTreeMap<TileCoord, f64> {
        stats.pes.iter().map(|p| (p.tile, p.utilization)).collect()
    }

    /// Utilisation from a placement: each PE's compute load over the
    /// largest load; and the task names per PE as labels.
    pub fn from_placement(
        problem: &PlacementProblem,
        placement: &Placement,
    ) -> (BTreeMap<TileCoord, f64>, BTreeMap<TileCoord, Vec<String>>) {
        let load = placement.load(problem);
        let max = load.values().copied().fold(0.0, f64::max);
        let util = load
            .iter()
            .map(|(&t, &l)| (t, if max > 0.0 { l / max } else { 0.0 }))
            .collect();
        let mut labels: BTreeMap<TileCoord, Vec<String>> = BTreeMap::new();
        for (task, &tile) in problem.tasks.iter().zip(&placement.tiles) {
            labels.entry(tile).or_default().push(task.name.clone());
        }
        (util, labels)
    }
}

const CELL: f64 = 96.0;
const IDLE: &str = "#f7f7f7";
const MARGIN: f64 = 40.0;
const LEGEND: f64 = 260.0;

/// Renders `picture` for `machine`'s mesh (north up, the shim row at the
/// bottom).
pub fn mesh_svg(machine: &Machine, picture: &MeshPicture) -> String {
    let cols = f64::from(machine.grid.cols);
    let rows = f64::from(machine.grid.rows + 1);
    let top = MARGIN + 24.0;
    let width = MARGIN * 2.0 + cols * CELL + LEGEND;
    let families = families(&picture.routes);
    let legend_rows = 6.0 + families.len() as f64 + picture.regions.len() as f64;
    let height = (top + rows * CELL + MARGIN).max(top + legend_rows * 20.0 + 120.0);
    let mut svg = Svg::new(width, height);
    svg.open("defs", &[]);
    svg.open(
        "linearGradient",
        &[
            ("id", "heat".into()),
            ("x1", "0".into()),
            ("x2", "1".into()),
        ],
    );
    for k in 0..=4 {
        let x = f64::from(k) / 4.0;
        svg.leaf("stop", &[("offset", num(x)), ("stop-color", heat(x))]);
    }
    svg.close();
    svg.open(
        "marker",
        &[
            ("id", "arrow".into()),
            ("viewBox", "0 0 10 10".into()),
            ("refX", "9".into()),
            ("refY", "5".into()),
            ("markerWidth", "5".into()),
            ("markerHeight", "5".into()),
            ("orient", "auto-start-reverse".into()),
        ],
    );
    svg.leaf(
        "path",
        &[
            ("d", "M 0 0 L 10 5 L 0 10 z".into()),
            ("fill", "context-stroke".into()),
        ],
    );
    svg.close();
    svg.close();
    svg.text(
        MARGIN,
        MARGIN,
        16.0,
        &[("font-weight", "bold".into())],
        &picture.title,
    );

    let origin = |t: TileCoord| {
        (
            MARGIN + f64::from(t.col) * CELL,
            top + (rows - 1.0 - f64::from(t.row)) * CELL,
        )
    };
    // Tiles.
    svg.open("g", &[("id", "tiles".into())]);
    for row in 0..=machine.grid.rows {
        for col in 0..machine.grid.cols {
            let t = TileCoord::new(col as u8, row as u8);
            let (x, y) = origin(t);
            let cell = [
                ("x", num(x + 2.0)),
                ("y", num(y + 2.0)),
                ("width", num(CELL - 4.0)),
                ("height", num(CELL - 4.0)),
                ("rx", "4".into()),
            ];
            if t.is_shim() {
                let mut a = cell.to_vec();
                a.extend([("fill", "#d9d9d9".into()), ("stroke", "#969696".into())]);
                svg.leaf("rect", &a);
                svg.text(x + 8.0, y + 18.0, 11.0, &[], &format!("shim {col}"));
                svg.text(
                    x + 8.0,
                    y + 32.0,
                    9.0,
                    &[("fill", "#636363".into())],
                    "off-chip port",
                );
                continue;
            }
            let u = picture.utilization.get(&t).copied();
            let mut a = cell.to_vec();
            a.extend([
                // PEs without a figure are idle: plain, not "0 %".
                ("fill", u.map_or(IDLE.to_string(), heat)),
                ("stroke", "#969696".into()),
                ("class", "pe".into()),
            ]);
            svg.open("g", &[]);
            svg.text_elem(
                "title",
                &[],
                &format!(
                    "PE {t}: {}",
                    u.map_or("idle".to_string(), |u| format!(
                        "{:.1}% utilised",
                        100.0 * u
                    ))
                ),
            );
            svg.leaf("rect", &a);
            let ink = if u.is_some_and(dark) {
                "white"
            } else {
                "black"
            };
            svg.text(
                x + 8.0,
                y + 18.0,
                11.0,
                &[("fill", ink.into())],
                &t.to_string(),
            );
            if let Some(u) = u {
                svg.text(
                    x + CELL - 10.0,
                    y + 18.0,
                    11.0,
                    &[("fill", ink.into()), ("text-anchor", "end".into())],
                    &format!("{:.0}%", 100.0 * u),
                );
            }
            if let Some(names) = picture.labels.get(&t) {
                for (k, name) in names.iter().take(3).enumerate() {
                    let shown = if k == 2 && names.len() > 3 {
                        format!("+{} more", names.len() - 2)
                    } else {
                        shorten(name, 13)
                    };
                    svg.text(
                        x + 8.0,
                        y + 36.0 + 14.0 * k as f64,
                        10.0,
                        &[("fill", ink.into())],
                        &shown,
                    );
                }
            }
            svg.close();
        }
    }
    svg.close();
    // Region outlines.
    svg.open("g", &[("id", "regions".into()), ("fill", "none".into())]);
    for (k, (name, r)) in picture.regions.iter().enumerate() {
        let (x, y) = origin(TileCoord::new(r.col as u8, (r.row + r.rows - 1) as u8));
        svg.open("g", &[]);
        svg.text_elem("title", &[], &format!("region {name}: {r}"));
        svg.leaf(
            "rect",
            &[
                ("x", num(x + 1.0)),
                ("y", num(y + 1.0)),
                ("width", num(f64::from(r.cols) * CELL - 2.0)),
                ("height", num(f64::from(r.rows) * CELL - 2.0)),
                ("stroke", category(k + 5).into()),
                ("stroke-width", "3".into()),
                ("stroke-dasharray", "8 4".into()),
            ],
        );
        svg.close();
    }
    svg.close();
    // Routes: polylines through tile centres, each family shifted a little
    // so parallel channels stay visible.
    svg.open("g", &[("id", "routes".into()), ("fill", "none".into())]);
    for (name, route) in &picture.routes {
        let family = family_of(name);
        let f = families.iter().position(|x| x == family).unwrap_or(0);
        let shift = ((f % 7) as f64 - 3.0) * 4.0;
        let points: Vec<String> = route
            .tiles()
            .into_iter()
            .map(|t| {
                let (x, y) = origin(t);
                format!(
                    "{},{}",
                    num(x + CELL / 2.0 + shift),
                    num(y + CELL * 0.62 + shift)
                )
            })
            .collect();
        if points.len() < 2 {
            continue;
        }
        svg.open("g", &[("class", "channel".into())]);
        svg.text_elem("title", &[], &format!("{name}: {} hops", route.hops()));
        svg.leaf(
            "polyline",
            &[
                ("points", points.join(" ")),
                ("stroke", category(f).into()),
                ("stroke-width", "2".into()),
                ("stroke-opacity", "0.8".into()),
                ("marker-end", "url(#arrow)".into()),
            ],
        );
        svg.close();
    }
    svg.close();
    // Legend.
    let lx = MARGIN * 1.5 + cols * CELL;
    let mut ly = top + 10.0;
    svg.open("g", &[("id", "legend".into())]);
    svg.text(
        lx,
        ly,
        13.0,
        &[("font-weight", "bold".into())],
        "PE utilisation",
    );
    ly += 8.0;
    svg.leaf(
        "rect",
        &[
            ("x", num(lx)),
            ("y", num(ly)),
            ("width", "200".into()),
            ("height", "14".into()),
            ("fill", "url(#heat)".into()),
            ("stroke", "#969696".into()),
        ],
    );
    ly += 28.0;
    for (k, label) in ["0%", "50%", "100%"].iter().enumerate() {
        let anchor = ["start", "middle", "end"][k];
        svg.text(
            lx + 100.0 * k as f64,
            ly,
            10.0,
            &[("text-anchor", anchor.into())],
            label,
        );
    }
    ly += 26.0;
    if !families.is_empty() {
        svg.text(lx, ly, 13.0, &[("font-weight", "bold".into())], "Channels");
        ly += 18.0;
        for (f, family) in families.iter().enumerate() {
            let count = picture
                .routes
                .iter()
                .filter(|(n, _)| family_of(n) == family)
                .count();
            svg.leaf(
                "line",
                &[
                    ("x1", num(lx)),
                    ("y1", num(ly - 4.0)),
                    ("x2", num(lx + 24.0)),
                    ("y2", num(ly - 4.0)),
                    ("stroke", category(f).into()),
                    ("stroke-width", "3".into()),
                ],
            );
            svg.text(lx + 30.0, ly, 11.0, &[], &format!("{family} ({count})"));
            ly += 20.0;
        }
    }
    if !picture.regions.is_empty() {
        ly += 6.0;
        svg.text(lx, ly, 13.0, &[("font-weight", "bold".into())], "Regions");
        ly += 18.0;
        for (k, (name, _)) in picture.regions.iter().enumerate() {
            svg.leaf(
                "rect",
                &[
                    ("x", num(lx)),
                    ("y", num(ly - 10.0)),
                    ("width", "24".into()),
                    ("height", "10".into()),
                    ("fill", "none".into()),
                    ("stroke", category(k + 5).into()),
                    ("stroke-width", "2".into()),
                    ("stroke-dasharray", "4 2".into()),
                ],
            );
            svg.text(lx + 30.0, ly, 11.0, &[], name);
            ly += 20.0;
        }
    }
    svg.close();
    svg.finish()
}

/// A channel's family: its name up to `#`.
fn family_of(name: &str) -> &str {
    name.split('#').next().unwrap_or(name)
}

/// Families in order of first appearance.
fn families(routes: &[(String, Route)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (name, _) in routes {
        let f = family_of(name);
        if !out.iter().any(|x| x == f) {
            out.push(f.to_string());
        }
    }
    out
}

fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let head: String = name.chars().take(max - 1).collect();
        format!("{head}…")
    }
}
