//! Pictures of a compiled kernel's run, drawn with [`map::svg`]: the mesh
//! as a per-PE utilisation heatmap with each PE's DMA route to its shim,
//! and one PE's VLIW schedule.

use std::collections::BTreeMap;

use super::SimReport;
use crate::spatial::coord::TileCoord;
use crate::spatial::map::svg::{mesh_svg, schedule_svg, MeshPicture};
use crate::spatial::map::{Mesh, Route};

impl SimReport {
    /// The mesh: each PE coloured by its utilisation (issue cycles / run
    /// cycles), labelled with its instance count and DMA bytes, and the
    /// dimension-order route of its DMA transfers to the shim of its column
    /// (the route the simulator gives them) for every PE that moved bytes.
    pub fn placement_svg(&self) -> String {
        let mesh = Mesh::of(&self.machine);
        let mut labels: BTreeMap<TileCoord, Vec<String>> = BTreeMap::new();
        for (tile, list) in &self.placement.lists {
            let n = list.len();
            let label = if n == 1 {
                "1 instance".to_string()
            } else {
                format!("{n} instances")
            };
            labels.entry(*tile).or_default().push(label);
        }
        let mut routes = Vec::new();
        for d in &self.stats.dma {
            if d.bytes == 0 || d.tile.is_shim() {
                continue;
            }
            labels
                .entry(d.tile)
                .or_default()
                .push(format!("DMA {} B", d.bytes));
            let shim = TileCoord::new(d.tile.col, 0);
            routes.push((
                format!("DMA to shim#{}", d.tile),
                Route {
                    channel: routes.len(),
                    src: d.tile,
                    dst: shim,
                    links: mesh.xy_route(d.tile, shim),
                },
            ));
        }
        let mut title = format!("{}: {} cycles", self.kernel, self.stats.cycles);
        if let Some(a) = &self.placement.anneal {
            title.push_str(&format!(
                ", annealed placement cost {:.0} (start {:.0})",
                a.cost.total(),
                a.initial.total()
            ));
        }
        let picture = MeshPicture {
            title,
            utilization: MeshPicture::utilization_from_stats(&self.stats),
            labels,
            regions: Vec::new(),
            routes,
        };
        mesh_svg(&self.machine, &picture)
    }

    /// The bundles of the program `pe` ran, with its run statistics; `None`
    /// if no program ran on `pe`.
    pub fn schedule_svg(&self, pe: TileCoord) -> Option<String> {
        let report = self.stats.pe(pe)?;
        let title = format!("{} on {pe}", self.kernel);
        Some(schedule_svg(
            &self.machine,
            &title,
            &self.program,
            Some(report),
        ))
    }
}
