//! The network on chip: a 2-D mesh of directed links, plus the off-chip
//! memory ports of the shim tiles, moving flits of flows cycle by cycle.
//!
//! Model (chosen to be exact enough for scheduling and simple enough to state):
//! - A *flow* is one transfer (a DMA descriptor or a stream vector) along a
//!   fixed route of *resources*: dimension-order mesh links (X then Y, or Y
//!   then X when the descriptor says so), with
//!   the off-chip read port of the source shim in front and the write port of
//!   the destination shim behind when off-chip memory is involved.
//! - Data moves in flits of `noc.link_bytes_per_cycle` bytes; a DMA row is cut
//!   into flits and no flit spans two rows.
//! - Each resource passes at most one flit per cycle and at most its bytes per
//!   cycle on average (token bucket: an off-chip port at 32 B/cycle passes a
//!   64-byte flit every other cycle). A shim's read and write ports share one
//!   bucket, `offchip.bytes_per_cycle_per_shim` for both directions together,
//!   as a DRAM channel's bandwidth is (and as the roofline counts it). A flit that crosses a resource at cycle
//!   `t` is at the next one at `t + latency` (`noc.hop_latency` for links).
//! - Contention: when several flows want a resource in the same cycle it
//!   grants one, round-robin over flow ids, so two flows sharing a link each
//!   get half its bandwidth.
//! - Back-pressure: a flow buffers at most `noc.buffer_flits` flits before
//!   each resource, plus the flits still crossing the resource before it
//!   (its latency, so a long off-chip latency does not throttle bandwidth).
//!   Buffers are per flow, like one virtual channel per flow, so flows never
//!   block each other's buffers and the network cannot deadlock.
//!
//! Time of a flow of `F` flits over `h` links with nothing else on them:
//! the last flit arrives `(F - 1) + h * hop_latency` cycles after the first
//! one is injected.

use std::collections::VecDeque;

use super::dma::{Cursor, Descriptor};
use super::memory::Memories;
use crate::spatial::coord::{Direction, TileCoord};
use crate::spatial::machine::Machine;

/// A place a flit can wait for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    /// The link leaving `from` towards `dir`.
    Link { from: TileCoord, dir: Direction },
    /// The off-chip read port of the shim in column `col`.
    OffchipRead { col: u8 },
    /// The off-chip write port of the shim in column `col`.
    OffchipWrite { col: u8 },
    /// A tile's internal copy port (a DMA whose source and destination are
    /// the same tile's SRAM).
    Local { tile: TileCoord },
}

/// Where a flit's bytes go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sink {
    /// SRAM of a compute tile (by tile index) or off-chip memory (`None`).
    Memory(Option<usize>),
    /// A stream vector: no payload per flit; the vector is handed over at completion.
    Stream,
}

/// What to do when a flow has delivered all its flits.
#[derive(Clone, Debug, PartialEq)]
pub enum Completion {
    Dma {
        tile: usize,
        channel: usize,
    },
    Stream {
        from: TileCoord,
        to: TileCoord,
        /// The receiver's input FIFO (the direction the vector came from).
        dir: Direction,
        data: Vec<u32>,
    },
}

#[derive(Clone, Debug)]
struct Flit {
    ready: u64,
    bytes: u32,
    dst_addr: u64,
    data: Vec<u8>,
}

#[derive(Clone, Debug)]
enum Source {
    Dma {
        desc: Descriptor,
        cursor: Cursor,
        /// SRAM tile index, or `None` for off-chip memory.
        from: Option<usize>,
    },
    Stream {
        flits_left: u32,
    },
}

#[derive(Clone, Debug)]
struct Flow {
    id: u64,
    route: Vec<usize>,
    /// `queues[i]` waits for `route[i]`; the last queue holds flits in their
    /// final hop, delivered when ready.
    queues: Vec<VecDeque<Flit>>,
    source: Source,
    sink: Sink,
    start_at: u64,
    total: u64,
    delivered: u64,
    on_done: Completion,
}

#[derive(Clone, Debug)]
struct ResourceState {
    /// The resource whose token bucket this one draws from: itself, but a
    /// shim's write port draws from its read port's (one off-chip channel).
    bucket: usize,
    bytes_per_cycle: u64,
    latency: u64,
    /// Token bucket (bytes), refilled lazily.
    credit: u64,
    credit_at: u64,
    cap: u64,
    last_grant: u64,
    bytes: u64,
    flits: u64,
    /// Bytes per [`OFFCHIP_WINDOW`] cycles, kept for the off-chip ports
    /// only (a timeline per link would grow with every run's length).
    windows: Option<Vec<u64>>,
}

/// The width, in cycles, of the windows an off-chip port's traffic is
/// counted in ([`ResourceTraffic::windows`]): short against a kernel's
/// run, long against one DMA row.
pub const OFFCHIP_WINDOW: u64 = 1024;

/// Traffic one resource carried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceTraffic {
    pub resource: Resource,
    pub bytes: u64,
    /// Cycles in which it passed a flit.
    pub busy_cycles: u64,
    /// For an off-chip port, the bytes it passed in each window of
    /// [`OFFCHIP_WINDOW`] cycles from cycle 0, up to its last busy one:
    /// when in the run the shims are the limit (empty for links).
    pub windows: Vec<u64>,
}

/// The whole network.
#[derive(Clone, Debug)]
pub struct Noc {
    cols: u32,
    mesh_rows: u32,
    flit_bytes: u32,
    buffer: usize,
    resources: Vec<ResourceState>,
    flows: Vec<Flow>,
    next_id: u64,
    requests: Vec<(usize, usize, usize)>,
}

impl Noc {
    pub fn new(machine: &Machine) -> Noc {
        let cols = machine.grid.cols;
        let mesh_rows = machine.grid.rows + 1;
        let flit = u64::from(machine.noc.link_bytes_per_cycle);
        let mut noc = Noc {
            cols,
            mesh_rows,
            flit_bytes: machine.noc.link_bytes_per_cycle,
            buffer: machine.noc.buffer_flits as usize,
            resources: Vec::new(),
            flows: Vec::new(),
            next_id: 0,
            requests: Vec::new(),
        };
        let count = noc.resource_count();
        for id in 0..count {
            let (bw, latency) = match noc.resource(id) {
                Resource::Link { .. } => (flit, u64::from(machine.noc.hop_latency)),
                Resource::OffchipRead { .. } => (
                    u64::from(machine.offchip.bytes_per_cycle_per_shim),
                    u64::from(machine.offchip.read_latency),
                ),
                Resource::OffchipWrite { .. } => (
                    u64::from(machine.offchip.bytes_per_cycle_per_shim),
                    u64::from(machine.offchip.write_latency),
                ),
                Resource::Local { .. } => (flit, 1),
            };
            let cap = bw.max(flit);
            let windows = match noc.resource(id) {
                Resource::OffchipRead { .. } | Resource::OffchipWrite { .. } => Some(Vec::new()),
                _ => None,
            };
            let bucket = match noc.resource(id) {
                Resource::OffchipWrite { col } => noc.id(Resource::OffchipRead { col }),
                _ => id,
            };
            noc.resources.push(ResourceState {
                bucket,
                bytes_per_cycle: bw,
                latency,
                credit: cap,
                credit_at: 0,
                cap,
                last_grant: u64::MAX,
                bytes: 0,
                flits: 0,
                windows,
            });
        }
        noc
    }

    fn nodes(&self) -> usize {
        (self.cols * self.mesh_rows) as usize
    }

    fn resource_count(&self) -> usize {
        self.nodes() * 4 + 2 * self.cols as usize + self.nodes()
    }

    fn node(&self, t: TileCoord) -> usize {
        t.row as usize * self.cols as usize + t.col as usize
    }

    fn tile_of_node(&self, n: usize) -> TileCoord {
        TileCoord::new(
            (n % self.cols as usize) as u8,
            (n / self.cols as usize) as u8,
        )
    }

    /// Resource number of `r`.
    pub fn id(&self, r: Resource) -> usize {
        let nodes = self.nodes();
        let cols = self.cols as usize;
        match r {
            Resource::Link { from, dir } => self.node(from) * 4 + dir.index(),
            Resource::OffchipRead { col } => nodes * 4 + col as usize,
            Resource::OffchipWrite { col } => nodes * 4 + cols + col as usize,
            Resource::Local { tile } => nodes * 4 + 2 * cols + self.node(tile),
        }
    }

    /// The resource with number `id`.
    pub fn resource(&self, id: usize) -> Resource {
        let nodes = self.nodes();
        let cols = self.cols as usize;
        if id < nodes * 4 {
            Resource::Link {
                from: self.tile_of_node(id / 4),
                dir: Direction::from_index((id % 4) as u8).expect("4 directions"),
            }
        } else if id < nodes * 4 + cols {
            Resource::OffchipRead {
                col: (id - nodes * 4) as u8,
            }
        } else if id < nodes * 4 + 2 * cols {
            Resource::OffchipWrite {
                col: (id - nodes * 4 - cols) as u8,
            }
        } else {
            Resource::Local {
                tile: self.tile_of_node(id - nodes * 4 - 2 * cols),
            }
        }
    }

    /// Dimension-order route from `src` to `dst` (tiles of the mesh; a shim
    /// endpoint means off-chip memory behind that shim): columns then rows,
    /// or rows then columns when `y_first`.
    pub fn route(&self, src: TileCoord, dst: TileCoord, y_first: bool) -> Vec<usize> {
        let mut route = Vec::new();
        if src.is_shim() {
            route.push(self.id(Resource::OffchipRead { col: src.col }));
        }
        if src == dst && !src.is_shim() {
            route.push(self.id(Resource::Local { tile: src }));
        }
        let mut at = src;
        for rows_now in [y_first, !y_first] {
            loop {
                let (here, there, up, down) = if rows_now {
                    (at.row, dst.row, Direction::North, Direction::South)
                } else {
                    (at.col, dst.col, Direction::East, Direction::West)
                };
                let dir = match there.cmp(&here) {
                    std::cmp::Ordering::Greater => up,
                    std::cmp::Ordering::Less => down,
                    std::cmp::Ordering::Equal => break,
                };
                route.push(self.id(Resource::Link { from: at, dir }));
                at = at
                    .neighbour(dir, self.cols, self.mesh_rows - 1)
                    .expect("route stays inside the mesh");
            }
        }
        if dst.is_shim() {
            route.push(self.id(Resource::OffchipWrite { col: dst.col }));
        }
        route
    }

    /// Starts a DMA flow for `desc`; its first flit may enter at `start_at`.
    pub fn start_dma(&mut self, desc: Descriptor, start_at: u64, tile: usize, channel: usize) {
        let route = self.route(desc.src, desc.dst, desc.y_first);
        let total = desc.flit_count(self.flit_bytes);
        let tile_index = |t: TileCoord| {
            (!t.is_shim()).then(|| (t.row as usize - 1) * self.cols as usize + t.col as usize)
        };
        let (from, to) = (tile_index(desc.src), tile_index(desc.dst));
        self.push_flow(
            route,
            Source::Dma {
                desc,
                cursor: Cursor::default(),
                from,
            },
            Sink::Memory(to),
            start_at,
            total,
            Completion::Dma { tile, channel },
        );
    }

    /// Sends one stream vector from `from` to its neighbour `to`.
    pub fn start_stream(
        &mut self,
        from: TileCoord,
        to: TileCoord,
        dir: Direction,
        data: Vec<u32>,
        now: u64,
    ) {
        let dir_link = direction_between(from, to);
        let route = vec![self.id(Resource::Link {
            from,
            dir: dir_link,
        })];
        let flits = ((data.len() * 4) as u32).div_ceil(self.flit_bytes);
        self.push_flow(
            route,
            Source::Stream { flits_left: flits },
            Sink::Stream,
            now,
            u64::from(flits),
            Completion::Stream {
                from,
                to,
                dir,
                data,
            },
        );
    }

    fn push_flow(
        &mut self,
        route: Vec<usize>,
        source: Source,
        sink: Sink,
        start_at: u64,
        total: u64,
        on_done: Completion,
    ) {
        let queues = vec![VecDeque::new(); route.len() + 1];
        self.flows.push(Flow {
            id: self.next_id,
            route,
            queues,
            source,
            sink,
            start_at,
            total,
            delivered: 0,
            on_done,
        });
        self.next_id += 1;
    }

    /// Whether any flow is in flight.
    pub fn busy(&self) -> bool {
        !self.flows.is_empty()
    }

    /// Advances the network by one cycle; finished flows' completions are
    /// appended to `done`.
    pub fn step(
        &mut self,
        now: u64,
        mem: &mut Memories,
        done: &mut Vec<Completion>,
    ) -> Result<(), String> {
        if self.flows.is_empty() {
            return Ok(());
        }
        self.deliver(now, mem)?;
        self.inject(now, mem)?;
        self.arbitrate(now);
        let mut i = 0;
        while i < self.flows.len() {
            if self.flows[i].delivered == self.flows[i].total {
                done.push(self.flows.remove(i).on_done);
            } else {
                i += 1;
            }
        }
        Ok(())
    }

    fn deliver(&mut self, now: u64, mem: &mut Memories) -> Result<(), String> {
        for flow in &mut self.flows {
            let last = flow.queues.len() - 1;
            while flow.queues[last].front().is_some_and(|f| f.ready <= now) {
                let flit = flow.queues[last].pop_front().expect("front exists");
                match flow.sink {
                    Sink::Memory(Some(tile)) => mem.srams[tile].write(flit.dst_addr, &flit.data)?,
                    Sink::Memory(None) => mem.offchip.write(flit.dst_addr, &flit.data)?,
                    Sink::Stream => {}
                }
                flow.delivered += 1;
            }
        }
        Ok(())
    }

    fn inject(&mut self, now: u64, mem: &Memories) -> Result<(), String> {
        let flit_bytes = self.flit_bytes;
        for flow in &mut self.flows {
            if now < flow.start_at || flow.queues[0].len() >= self.buffer {
                continue;
            }
            let flit = match &mut flow.source {
                Source::Dma { desc, cursor, from } => match cursor.next(desc, flit_bytes) {
                    Some(chunk) => {
                        let mut data = vec![0; chunk.len as usize];
                        match from {
                            Some(t) => mem.srams[*t].read_into(chunk.src, &mut data)?,
                            None => mem.offchip.read(chunk.src, &mut data)?,
                        }
                        Flit {
                            ready: now,
                            bytes: chunk.len,
                            dst_addr: chunk.dst,
                            data,
                        }
                    }
                    None => continue,
                },
                Source::Stream { flits_left } => {
                    if *flits_left == 0 {
                        continue;
                    }
                    *flits_left -= 1;
                    Flit {
                        ready: now,
                        bytes: flit_bytes,
                        dst_addr: 0,
                        data: Vec::new(),
                    }
                }
            };
            flow.queues[0].push_back(flit);
        }
        Ok(())
    }

    fn arbitrate(&mut self, now: u64) {
        self.requests.clear();
        for (fi, flow) in self.flows.iter().enumerate() {
            for stage in 0..flow.route.len() {
                let Some(f) = flow.queues[stage].front() else {
                    continue;
                };
                // Flits still crossing the resource sit in its pipeline, not
                // in the next router's buffer: room = buffer + latency.
                let capacity = self.buffer + self.resources[flow.route[stage]].latency as usize;
                let room = stage + 1 == flow.route.len() || flow.queues[stage + 1].len() < capacity;
                if f.ready <= now && room {
                    self.requests.push((flow.route[stage], fi, stage));
                }
            }
        }
        // Group by resource; within a group flows are in id order.
        self.requests.sort_unstable();
        let mut i = 0;
        while i < self.requests.len() {
            let r = self.requests[i].0;
            let mut j = i;
            while j < self.requests.len() && self.requests[j].0 == r {
                j += 1;
            }
            let group = &self.requests[i..j];
            let last = self.resources[r].last_grant;
            let pick = group
                .iter()
                .find(|&&(_, fi, _)| last != u64::MAX && self.flows[fi].id > last)
                .unwrap_or(&group[0]);
            let (_, fi, stage) = *pick;
            let bytes = u64::from(
                self.flows[fi].queues[stage]
                    .front()
                    .expect("requested")
                    .bytes,
            );
            let bucket = self.resources[r].bucket;
            let pool = &mut self.resources[bucket];
            pool.credit =
                (pool.credit + pool.bytes_per_cycle * (now - pool.credit_at)).min(pool.cap);
            pool.credit_at = now;
            if pool.credit >= bytes {
                pool.credit -= bytes;
                let res = &mut self.resources[r];
                res.last_grant = self.flows[fi].id;
                res.bytes += bytes;
                res.flits += 1;
                if let Some(windows) = &mut res.windows {
                    let w = (now / OFFCHIP_WINDOW) as usize;
                    if windows.len() <= w {
                        windows.resize(w + 1, 0);
                    }
                    windows[w] += bytes;
                }
                let latency = res.latency;
                let flow = &mut self.flows[fi];
                let mut flit = flow.queues[stage].pop_front().expect("requested");
                flit.ready = now + latency;
                flow.queues[stage + 1].push_back(flit);
            }
            i = j;
        }
    }

    /// Traffic per resource that carried any, in resource order.
    pub fn traffic(&self) -> Vec<ResourceTraffic> {
        self.resources
            .iter()
            .enumerate()
            .filter(|(_, r)| r.flits > 0)
            .map(|(id, r)| ResourceTraffic {
                resource: self.resource(id),
                bytes: r.bytes,
                busy_cycles: r.flits,
                windows: r.windows.clone().unwrap_or_default(),
            })
            .collect()
    }
}

/// The direction of the link from `a` to its neighbour `b`.
pub fn direction_between(a: TileCoord, b: TileCoord) -> Direction {
    if b.row > a.row {
        Direction::North
    } else if b.row < a.row {
        Direction::South
    } else if b.col > a.col {
        Direction::East
    } else {
        Direction::West
    }
}
