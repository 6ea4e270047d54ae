//! Routing channels on the mesh by negotiated congestion (PathFinder:
//! McMurchie & Ebeling, FPGA 1995).
//!
//! Every directed link carries `noc.link_bytes_per_cycle` bytes per cycle;
//! a channel needs its `demand` on every link of its route, and a channel is
//! not split across routes. Each iteration rips up and reroutes every
//! channel (largest demand first, then in order) by Dijkstra with the cost
//! of a link `l`
//!
//! ```text
//! cost(l) = (1 + h_l) · (1 + p · over_l),
//! over_l  = max(0, load_l + demand − capacity) / capacity
//! ```
//!
//! where `load_l` is what the other channels currently put on `l`, `p` the
//! present-congestion factor and `h_l` the link's history. After an
//! iteration every overused link's history grows by `history_factor ·
//! overuse / capacity` and `p` is multiplied by `present_growth`: channels
//! first take shortest paths, then the ones with the cheapest alternatives
//! move away from links that stay contested, until no link is overused.
//!
//! Among equal-cost routes the dimension-order (X then Y) route is preferred:
//! it is the route the simulator gives a DMA transfer, so an uncongested
//! channel can be realised by one descriptor; other routes are realised by
//! forwarding through [`Route::waypoints`].
//!
//! Determinism: channels, links and heap entries are visited in index order
//! with ties broken by index; nothing depends on hashing.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;

use super::channels::Channel;
use super::mesh::{Link, Mesh};
use crate::spatial::coord::{Direction, TileCoord};
use crate::spatial::machine::Machine;

/// Parameters of the router; [`Default`] is what the module doc describes.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteConfig {
    pub max_iterations: u32,
    /// `p` of the first iteration.
    pub present_factor: f64,
    pub present_growth: f64,
    pub history_factor: f64,
}

impl Default for RouteConfig {
    fn default() -> RouteConfig {
        RouteConfig {
            max_iterations: 60,
            present_factor: 0.5,
            present_growth: 1.6,
            history_factor: 0.3,
        }
    }
}

/// The route of one channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// Index of the channel in the routed list.
    pub channel: usize,
    pub src: TileCoord,
    pub dst: TileCoord,
    /// Links from `src` to `dst`, in order (empty when `src == dst`).
    pub links: Vec<Link>,
}

impl Route {
    pub fn hops(&self) -> usize {
        self.links.len()
    }

    /// The tiles visited, `src` first and `dst` last.
    pub fn tiles(&self) -> Vec<TileCoord> {
        std::iter::once(self.src)
            .chain(self.links.iter().map(|l| l.to()))
            .collect()
    }

    /// Tiles where the route must be re-injected so every piece between
    /// consecutive waypoints is a dimension-order (X then Y) route — the
    /// route the simulator's DMA takes. `[src, dst]` for an X-then-Y route.
    pub fn waypoints(&self) -> Vec<TileCoord> {
        let mut points = vec![self.src];
        // The current piece: its horizontal direction, then its vertical one.
        let (mut horizontal, mut vertical): (Option<Direction>, Option<Direction>) = (None, None);
        for link in &self.links {
            let is_horizontal = matches!(link.dir, Direction::East | Direction::West);
            let fits = if is_horizontal {
                vertical.is_none() && horizontal.is_none_or(|d| d == link.dir)
            } else {
                vertical.is_none_or(|d| d == link.dir)
            };
            if !fits {
                points.push(link.from);
                (horizontal, vertical) = (None, None);
            }
            if is_horizontal {
                horizontal = Some(link.dir);
            } else {
                vertical = Some(link.dir);
            }
        }
        if self.src != self.dst {
            points.push(self.dst);
        }
        points
    }

    /// Whether the route is the simulator's dimension-order route.
    pub fn is_dimension_order(&self) -> bool {
        self.waypoints().len() <= 2
    }
}

/// Every channel's route and the load they put on the links.
#[derive(Clone, Debug, PartialEq)]
pub struct Routes {
    pub routes: Vec<Route>,
    /// Bytes per cycle on each used link, in link order.
    pub link_load: Vec<(Link, f64)>,
    /// Bytes per cycle a link carries.
    pub capacity: f64,
    /// PathFinder iterations used.
    pub iterations: u32,
}

impl Routes {
    /// Demand on `link` (0 if unused).
    pub fn load(&self, link: Link) -> f64 {
        self.link_load
            .iter()
            .find(|(l, _)| *l == link)
            .map_or(0.0, |&(_, d)| d)
    }

    /// Highest load over capacity of any link.
    pub fn max_utilization(&self) -> f64 {
        self.link_load
            .iter()
            .map(|&(_, d)| d / self.capacity)
            .fold(0.0, f64::max)
    }

    /// Total links over all routes.
    pub fn total_hops(&self) -> usize {
        self.routes.iter().map(Route::hops).sum()
    }
}

/// A link that stayed overused.
#[derive(Clone, Debug, PartialEq)]
pub struct Overuse {
    pub link: Link,
    pub load: f64,
    pub capacity: f64,
    /// Names of the channels routed over it.
    pub channels: Vec<String>,
}

/// Why routing failed.
#[derive(Clone, Debug, PartialEq)]
pub enum RouteError {
    /// A channel's endpoint is not a tile of the mesh, or its demand is not
    /// a finite number >= 0.
    BadChannel { channel: String, message: String },
    /// One channel needs more than a link carries.
    DemandExceedsLink {
        channel: String,
        demand: f64,
        capacity: f64,
    },
    /// Links still overused after the last iteration.
    Congested {
        iterations: u32,
        overused: Vec<Overuse>,
    },
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::BadChannel { channel, message } => {
                write!(f, "channel `{channel}`: {message}")
            }
            RouteError::DemandExceedsLink {
                channel,
                demand,
                capacity,
            } => write!(
                f,
                "channel `{channel}` needs {demand:.2} B/cycle but a link carries {capacity} \
                 (noc.link_bytes_per_cycle); split it into narrower channels"
            ),
            RouteError::Congested {
                iterations,
                overused,
            } => {
                write!(
                    f,
                    "no congestion-free routing after {iterations} iterations; overused links:"
                )?;
                for o in overused {
                    write!(
                        f,
                        "\n  {} carries {:.2} of {} B/cycle ({})",
                        o.link,
                        o.load,
                        o.capacity,
                        o.channels.join(", ")
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for RouteError {}

/// Routes every channel on `machine`'s mesh without overusing a link.
pub fn route(
    machine: &Machine,
    channels: &[Channel],
    config: &RouteConfig,
) -> Result<Routes, RouteError> {
    let mesh = Mesh::of(machine);
    let capacity = f64::from(machine.noc.link_bytes_per_cycle);
    for c in channels {
        let bad = |message: String| {
            Err(RouteError::BadChannel {
                channel: c.name.clone(),
                message,
            })
        };
        for end in [c.src, c.dst] {
            if !mesh.contains(end) {
                return bad(format!(
                    "tile {end} is outside the {}x{} mesh (shim row 0 included)",
                    mesh.cols,
                    mesh.rows + 1
                ));
            }
        }
        if !c.demand.is_finite() || c.demand < 0.0 {
            return bad(format!("demand must be finite and >= 0, got {}", c.demand));
        }
        if c.demand > capacity {
            return Err(RouteError::DemandExceedsLink {
                channel: c.name.clone(),
                demand: c.demand,
                capacity,
            });
        }
    }
    let mut order: Vec<usize> = (0..channels.len()).collect();
    order.sort_by(|&a, &b| {
        channels[b]
            .demand
            .total_cmp(&channels[a].demand)
            .then(a.cmp(&b))
    });

    let slots = mesh.link_slots();
    let mut load = vec![0.0f64; slots];
    let mut history = vec![0.0f64; slots];
    let mut paths: Vec<Vec<usize>> = vec![Vec::new(); channels.len()];
    let mut present = config.present_factor;
    let mut iterations = 0;
    loop {
        iterations += 1;
        for &i in &order {
            let c = &channels[i];
            for &l in &paths[i] {
                load[l] -= c.demand;
            }
            let cost = |l: usize| {
                let over = (load[l] + c.demand - capacity).max(0.0) / capacity;
                (1.0 + history[l]) * (1.0 + present * over)
            };
            paths[i] = shortest(&mesh, c.src, c.dst, cost);
            for &l in &paths[i] {
                load[l] += c.demand;
            }
        }
        // A small tolerance keeps exact fits (e.g. two halves of a link)
        // from counting as overuse through rounding.
        let overused: Vec<usize> = (0..slots)
            .filter(|&l| load[l] > capacity * (1.0 + 1e-9))
            .collect();
        if overused.is_empty() {
            break;
        }
        if iterations >= config.max_iterations {
            let overused = overused
                .into_iter()
                .map(|l| Overuse {
                    link: mesh.link_at(l),
                    load: load[l],
                    capacity,
                    channels: (0..channels.len())
                        .filter(|&i| paths[i].contains(&l))
                        .map(|i| channels[i].name.clone())
                        .collect(),
                })
                .collect();
            return Err(RouteError::Congested {
                iterations,
                overused,
            });
        }
        for &l in &overused {
            history[l] += config.history_factor * (load[l] - capacity) / capacity;
        }
        present *= config.present_growth;
    }
    let routes = paths
        .iter()
        .enumerate()
        .map(|(i, p)| Route {
            channel: i,
            src: channels[i].src,
            dst: channels[i].dst,
            links: p.iter().map(|&l| mesh.link_at(l)).collect(),
        })
        .collect();
    let link_load = (0..slots)
        .filter(|&l| load[l] > 0.0)
        .map(|l| (mesh.link_at(l), load[l]))
        .collect();
    Ok(Routes {
        routes,
        link_load,
        capacity,
        iterations,
    })
}

/// The cheapest path from `a` to `b` under `cost` (per link index), as link
/// indices; the dimension-order path when it is as cheap as any.
fn shortest(mesh: &Mesh, a: TileCoord, b: TileCoord, cost: impl Fn(usize) -> f64) -> Vec<usize> {
    if a == b {
        return Vec::new();
    }
    let xy: Vec<usize> = mesh
        .xy_route(a, b)
        .into_iter()
        .map(|l| {
            mesh.link_index(l)
                .expect("dimension-order links are inside the mesh")
        })
        .collect();
    let xy_cost: f64 = xy.iter().map(|&l| cost(l)).sum();
    let n = mesh.tile_count();
    let mut dist = vec![f64::INFINITY; n];
    let mut via: Vec<Option<usize>> = vec![None; n];
    let mut heap = BinaryHeap::new();
    let (start, goal) = (mesh.tile_index(a), mesh.tile_index(b));
    dist[start] = 0.0;
    // Non-negative f64 order is the order of their bit patterns.
    heap.push(Reverse((0f64.to_bits(), start)));
    while let Some(Reverse((bits, u))) = heap.pop() {
        let d = f64::from_bits(bits);
        if d > dist[u] {
            continue;
        }
        if u == goal {
            break;
        }
        for link in mesh.out_links(mesh.tile_at(u)) {
            let l = mesh
                .link_index(link)
                .expect("out_links are inside the mesh");
            let v = mesh.tile_index(link.to());
            let nd = d + cost(l);
            if nd < dist[v] {
                dist[v] = nd;
                via[v] = Some(l);
                heap.push(Reverse((nd.to_bits(), v)));
            }
        }
    }
    if xy_cost <= dist[goal] * (1.0 + 1e-12) {
        return xy;
    }
    let mut path = Vec::new();
    let mut at = goal;
    while let Some(l) = via[at] {
        path.push(l);
        at = mesh.tile_index(mesh.link_at(l).from);
    }
    path.reverse();
    path
}
