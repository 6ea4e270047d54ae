//! DMA: descriptors (their binary layout in SRAM) and the per-tile engines
//! that run them.
//!
//! A descriptor moves a 3-D strided block (`planes` x `rows` x `row_bytes`)
//! from one endpoint to another; an endpoint is a compute tile's SRAM or,
//! when its tile is a shim (row 0), off-chip memory reached through that
//! shim. The compiler picks the shim, and so the NoC path — e.g. the shim of
//! the destination's column for the shortest route. Like AIE buffer
//! descriptors, a descriptor can release a lock when its last byte has
//! landed, which is how double buffering is expressed: the consumer acquires
//! "full", the producer's DMA releases it.
//!
//! Each tile has `dma.channels_per_tile` channels; each runs its queue of up
//! to `dma.queue_depth` descriptors in order, one at a time: it spends
//! `dma.setup_cycles` fetching the next descriptor, then injects one flit per
//! cycle into the NoC (subject to back-pressure). A descriptor may first
//! acquire locks of its tile: the channel then waits at it until they are
//! available (AIE buffer descriptors acquire and release locks the same
//! way).
//!
//! A descriptor may run in *pieces* (whole rows, or whole planes when it
//! has several): the channel starts each piece as a descriptor of its own,
//! acquiring `wait_lock[0]` before every piece and `wait_lock[1]` before
//! the first only, releasing the second signal after every piece and the
//! first signal after the last. A chain of PEs forwarding a tile then
//! cuts through: each PE's forward of a piece waits for that piece to land
//! (one `wait_lock[0]` per piece, released by the incoming piece's second
//! signal), not for the whole tile, so a tile crosses `h` hops in about
//! one tile's time plus `h` pieces' instead of `h` tiles'.

use std::collections::VecDeque;

use super::locks::LockFile;
use crate::spatial::coord::TileCoord;
use crate::spatial::machine::Machine;

/// Size of an encoded descriptor in bytes.
pub const DESCRIPTOR_BYTES: usize = 64;

/// Flag bit: release `signal_lock` of `signal_tile` by `signal_value` when done.
pub const FLAG_SIGNAL: u8 = 1;

/// Flag bit: route rows first, then columns (see [`Descriptor::y_first`]).
pub const FLAG_Y_FIRST: u8 = 2;

/// Flag bit: also release `signal2_lock` of `signal2_tile` when done.
pub const FLAG_SIGNAL2: u8 = 4;

/// Flag bits: acquire `wait_lock[0]` / `wait_lock[1]` before starting.
pub const FLAG_WAIT: [u8; 2] = [8, 16];

const FLAGS: u8 = FLAG_SIGNAL | FLAG_Y_FIRST | FLAG_SIGNAL2 | FLAG_WAIT[0] | FLAG_WAIT[1];

/// A DMA descriptor. Layout in SRAM (little-endian, 64 bytes):
///
/// | offset | type | field |
/// |---|---|---|
/// | 0 | u32 | `src_addr` |
/// | 4 | u32 | `dst_addr` |
/// | 8 | u8, u8 | `src` tile (col, row); row 0 = off-chip via that shim |
/// | 10 | u8, u8 | `dst` tile (col, row) |
/// | 12 | u32 | `row_bytes` (contiguous bytes per row, >= 1) |
/// | 16 | u32 | `rows` (>= 1) |
/// | 20 | u32 | `src_row_stride` (bytes between row starts) |
/// | 24 | u32 | `dst_row_stride` |
/// | 28 | u32 | `planes` (>= 1) |
/// | 32 | u32 | `src_plane_stride` |
/// | 36 | u32 | `dst_plane_stride` |
/// | 40 | u8, u8 | `signal_tile` (col, row) |
/// | 42 | u8 | `signal_lock` |
/// | 43 | u8 | flags: bit 0 = signal on completion; bit 1 = route Y first; bit 2 = second signal; bits 3, 4 = wait for `wait_lock[0]`, `[1]`; other bits 0 |
/// | 44 | u16 | `signal_value` |
/// | 46 | u8 | `pieces`: 0 or 1 = one piece (see the module documentation) |
/// | 47 | u8 | reserved, 0 |
/// | 48 | u8, u8 | `signal2_tile` (col, row) |
/// | 50 | u8 | `signal2_lock` |
/// | 51 | u8 | reserved, 0 |
/// | 52 | u16 | `signal2_value` |
/// | 54 | u8, u8 | `wait_lock[0]`, `wait_lock[1]` (locks of the channel's own tile) |
/// | 56 | 8 bytes | reserved, 0 |
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Descriptor {
    pub src: TileCoord,
    pub src_addr: u32,
    pub dst: TileCoord,
    pub dst_addr: u32,
    pub row_bytes: u32,
    pub rows: u32,
    pub src_row_stride: u32,
    pub dst_row_stride: u32,
    pub planes: u32,
    pub src_plane_stride: u32,
    pub dst_plane_stride: u32,
    /// Lock to release when the last byte has landed: (tile, lock, amount).
    pub signal: Option<(TileCoord, u8, u16)>,
    /// A second lock to release then (the destination's two consumers,
    /// its program and its own forward, each get theirs).
    pub signal2: Option<(TileCoord, u8, u16)>,
    /// Locks of the channel's own tile the descriptor acquires (one each)
    /// before it starts, as AIE buffer descriptors acquire theirs: the
    /// channel waits at this descriptor until all are available, so a
    /// forward can start the moment its data has landed and the receiver
    /// has room, whatever the PE's program is doing.
    pub wait: [Option<u8>; 2],
    /// Dimension order of the route: X then Y (`false`, the default), or Y
    /// then X. Wormhole's two NoCs route in opposite orders and its DMAs
    /// pick one per transfer; mlir-aie routes every flow as it likes. A
    /// read through another column's shim taken Y first climbs that
    /// column, so reads for several rows through different shims do not
    /// all climb the destination's column.
    pub y_first: bool,
    /// Pieces the channel runs the transfer in (1: whole; see the module
    /// documentation); at most one per row (per plane with several).
    pub pieces: u8,
}

impl Descriptor {
    /// A contiguous copy of `bytes` bytes.
    pub fn copy(
        src: TileCoord,
        src_addr: u32,
        dst: TileCoord,
        dst_addr: u32,
        bytes: u32,
    ) -> Descriptor {
        Descriptor::tile_2d(src, src_addr, bytes, dst, dst_addr, bytes, bytes, 1)
    }

    /// A 2-D tile of `rows` rows of `row_bytes`, with a row stride per side.
    pub fn tile_2d(
        src: TileCoord,
        src_addr: u32,
        src_row_stride: u32,
        dst: TileCoord,
        dst_addr: u32,
        dst_row_stride: u32,
        row_bytes: u32,
        rows: u32,
    ) -> Descriptor {
        Descriptor {
            src,
            src_addr,
            dst,
            dst_addr,
            row_bytes,
            rows,
            src_row_stride,
            dst_row_stride,
            planes: 1,
            src_plane_stride: 0,
            dst_plane_stride: 0,
            signal: None,
            signal2: None,
            wait: [None; 2],
            y_first: false,
            pieces: 1,
        }
    }

    /// Releases `lock` of `tile` by `amount` on completion.
    pub fn with_signal(mut self, tile: TileCoord, lock: u8, amount: u16) -> Descriptor {
        self.signal = Some((tile, lock, amount));
        self
    }

    /// Also releases `lock` of `tile` by `amount` on completion.
    pub fn with_signal2(mut self, tile: TileCoord, lock: u8, amount: u16) -> Descriptor {
        self.signal2 = Some((tile, lock, amount));
        self
    }

    /// Starts only after acquiring each of `locks` (of the channel's tile).
    pub fn waiting_for(mut self, locks: [Option<u8>; 2]) -> Descriptor {
        self.wait = locks;
        self
    }

    /// Whether `locks` hold what the descriptor acquires before it starts
    /// (one of each wait lock; a lock named twice needs 2).
    pub fn waits_met(&self, locks: &LockFile) -> bool {
        match self.wait {
            [Some(a), Some(b)] if a == b => locks.value(a) >= 2,
            [a, b] => a.into_iter().chain(b).all(|l| locks.value(l) >= 1),
        }
    }

    /// Runs in `pieces` pieces (see the module documentation).
    pub fn in_pieces(mut self, pieces: u8) -> Descriptor {
        self.pieces = pieces.max(1);
        self
    }

    /// Splits off the first piece to start: the whole descriptor when it
    /// runs in one piece (`None` left), else the first `1/pieces` of its
    /// rows (planes when it has several) with the second signal only and
    /// both waits, leaving the rest in fewer pieces, waiting for
    /// `wait_lock[0]` only, with both signals.
    pub fn split_first_piece(self) -> (Descriptor, Option<Descriptor>) {
        let units = if self.planes > 1 {
            self.planes
        } else {
            self.rows
        };
        let pieces = u32::from(self.pieces).min(units);
        if pieces <= 1 {
            return (Descriptor { pieces: 1, ..self }, None);
        }
        let first = units / pieces;
        let (mut head, mut rest) = (self, self);
        head.pieces = 1;
        head.signal = None;
        rest.pieces = (pieces - 1) as u8;
        rest.wait[1] = None;
        if self.planes > 1 {
            head.planes = first;
            rest.planes -= first;
            rest.src_addr += first * self.src_plane_stride;
            rest.dst_addr += first * self.dst_plane_stride;
        } else {
            head.rows = first;
            rest.rows -= first;
            rest.src_addr += first * self.src_row_stride;
            rest.dst_addr += first * self.dst_row_stride;
        }
        (head, Some(rest))
    }

    /// Routes rows first, then columns.
    pub fn routed_y_first(mut self) -> Descriptor {
        self.y_first = true;
        self
    }

    /// Total payload bytes.
    pub fn bytes(&self) -> u64 {
        u64::from(self.row_bytes) * u64::from(self.rows) * u64::from(self.planes)
    }

    /// Flits the transfer needs with `flit_bytes` flits (no flit spans rows).
    pub fn flit_count(&self, flit_bytes: u32) -> u64 {
        u64::from(self.row_bytes.div_ceil(flit_bytes))
            * u64::from(self.rows)
            * u64::from(self.planes)
    }

    pub fn to_bytes(&self) -> [u8; DESCRIPTOR_BYTES] {
        let mut b = [0u8; DESCRIPTOR_BYTES];
        let mut put = |at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
        put(0, self.src_addr);
        put(4, self.dst_addr);
        put(12, self.row_bytes);
        put(16, self.rows);
        put(20, self.src_row_stride);
        put(24, self.dst_row_stride);
        put(28, self.planes);
        put(32, self.src_plane_stride);
        put(36, self.dst_plane_stride);
        b[8..12].copy_from_slice(&[self.src.col, self.src.row, self.dst.col, self.dst.row]);
        if let Some((tile, lock, value)) = self.signal {
            b[40..44].copy_from_slice(&[tile.col, tile.row, lock, FLAG_SIGNAL]);
            b[44..46].copy_from_slice(&value.to_le_bytes());
        }
        if self.y_first {
            b[43] |= FLAG_Y_FIRST;
        }
        if let Some((tile, lock, value)) = self.signal2 {
            b[48..51].copy_from_slice(&[tile.col, tile.row, lock]);
            b[52..54].copy_from_slice(&value.to_le_bytes());
            b[43] |= FLAG_SIGNAL2;
        }
        for (k, w) in self.wait.iter().enumerate() {
            if let Some(lock) = *w {
                b[54 + k] = lock;
                b[43] |= FLAG_WAIT[k];
            }
        }
        if self.pieces > 1 {
            b[46] = self.pieces;
        }
        b
    }

    /// Decodes and checks a descriptor against the machine: tiles inside the
    /// mesh, every byte of both sides inside its memory, signal lock valid.
    pub fn from_bytes(b: &[u8], machine: &Machine) -> Result<Descriptor, String> {
        if b.len() != DESCRIPTOR_BYTES {
            return Err(format!(
                "a descriptor is {DESCRIPTOR_BYTES} bytes, got {}",
                b.len()
            ));
        }
        let word = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        let flags = b[43];
        if flags & !FLAGS != 0 {
            return Err(format!("descriptor flags {flags:#04x} set unknown bits"));
        }
        if b[47] != 0 || b[51] != 0 || b[56..].iter().any(|&x| x != 0) {
            return Err("descriptor bytes 47, 51 and 56..64 are reserved and must be 0".into());
        }
        let signal = if flags & FLAG_SIGNAL != 0 {
            Some((
                TileCoord::new(b[40], b[41]),
                b[42],
                u16::from_le_bytes([b[44], b[45]]),
            ))
        } else {
            if b[40..43].iter().chain(&b[44..46]).any(|&x| x != 0) {
                return Err("descriptor signal fields are set but the signal flag is not".into());
            }
            None
        };
        let d = Descriptor {
            src_addr: word(0),
            dst_addr: word(4),
            src: TileCoord::new(b[8], b[9]),
            dst: TileCoord::new(b[10], b[11]),
            row_bytes: word(12),
            rows: word(16),
            src_row_stride: word(20),
            dst_row_stride: word(24),
            planes: word(28),
            src_plane_stride: word(32),
            dst_plane_stride: word(36),
            signal,
            y_first: flags & FLAG_Y_FIRST != 0,
            signal2: if flags & FLAG_SIGNAL2 != 0 {
                Some((
                    TileCoord::new(b[48], b[49]),
                    b[50],
                    u16::from_le_bytes([b[52], b[53]]),
                ))
            } else {
                if b[48..54].iter().any(|&x| x != 0) {
                    return Err(
                        "descriptor second-signal fields are set but its flag is not".into(),
                    );
                }
                None
            },
            wait: [0, 1].map(|k| (flags & FLAG_WAIT[k] != 0).then_some(b[54 + k])),
            pieces: b[46].max(1),
        };
        if (0..2).any(|k| flags & FLAG_WAIT[k] == 0 && b[54 + k] != 0) {
            return Err("descriptor wait lock is set but its flag is not".into());
        }
        d.check(machine)?;
        Ok(d)
    }

    /// Checks the descriptor against the machine (see [`Descriptor::from_bytes`]).
    pub fn check(&self, machine: &Machine) -> Result<(), String> {
        if self.row_bytes == 0 || self.rows == 0 || self.planes == 0 {
            return Err(format!(
                "descriptor moves nothing (row_bytes {}, rows {}, planes {})",
                self.row_bytes, self.rows, self.planes
            ));
        }
        for (side, tile, addr, rs, ps) in [
            (
                "source",
                self.src,
                self.src_addr,
                self.src_row_stride,
                self.src_plane_stride,
            ),
            (
                "destination",
                self.dst,
                self.dst_addr,
                self.dst_row_stride,
                self.dst_plane_stride,
            ),
        ] {
            if u32::from(tile.col) >= machine.grid.cols || u32::from(tile.row) > machine.grid.rows {
                return Err(format!("descriptor {side} tile {tile} is outside the mesh"));
            }
            let (limit, what) = if tile.is_shim() {
                (machine.offchip.bytes, "off-chip memory")
            } else {
                (u64::from(machine.pe.sram_bytes), "SRAM")
            };
            let end = u64::from(addr)
                + u64::from(self.planes - 1) * u64::from(ps)
                + u64::from(self.rows - 1) * u64::from(rs)
                + u64::from(self.row_bytes);
            if end > limit {
                return Err(format!(
                    "descriptor {side} {tile} [{addr:#x}, {end:#x}) runs past the {limit} bytes of {what}"
                ));
            }
        }
        for lock in self.wait.iter().flatten() {
            if u32::from(*lock) >= machine.pe.locks {
                return Err(format!(
                    "descriptor waits for l{lock} but tiles have {} locks",
                    machine.pe.locks
                ));
            }
        }
        for (tile, lock, _) in self.signal.iter().chain(&self.signal2) {
            let (tile, lock) = (*tile, *lock);
            if tile.is_shim()
                || u32::from(tile.col) >= machine.grid.cols
                || u32::from(tile.row) > machine.grid.rows
            {
                return Err(format!(
                    "descriptor signals a lock of {tile}, which is not a compute tile"
                ));
            }
            if u32::from(lock) >= machine.pe.locks {
                return Err(format!(
                    "descriptor signals l{lock} but tiles have {} locks",
                    machine.pe.locks
                ));
            }
        }
        Ok(())
    }
}

/// One flit's worth of a descriptor: addresses on both sides and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub src: u64,
    pub dst: u64,
    pub len: u32,
}

/// Position of the next flit within a descriptor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    plane: u32,
    row: u32,
    offset: u32,
}

impl Cursor {
    /// The next chunk of at most `max` bytes (never spanning rows), or `None` when done.
    pub fn next(&mut self, d: &Descriptor, max: u32) -> Option<Chunk> {
        if self.plane >= d.planes {
            return None;
        }
        let len = (d.row_bytes - self.offset).min(max);
        let base = |addr: u32, ps: u32, rs: u32| {
            u64::from(addr)
                + u64::from(self.plane) * u64::from(ps)
                + u64::from(self.row) * u64::from(rs)
                + u64::from(self.offset)
        };
        let chunk = Chunk {
            src: base(d.src_addr, d.src_plane_stride, d.src_row_stride),
            dst: base(d.dst_addr, d.dst_plane_stride, d.dst_row_stride),
            len,
        };
        self.offset += len;
        if self.offset == d.row_bytes {
            self.offset = 0;
            self.row += 1;
            if self.row == d.rows {
                self.row = 0;
                self.plane += 1;
            }
        }
        Some(chunk)
    }
}

/// One channel: a queue of descriptors and the one in progress.
#[derive(Clone, Debug, Default)]
pub struct Channel {
    pub queue: VecDeque<Descriptor>,
    /// The descriptor whose flow is in the NoC.
    pub active: Option<Descriptor>,
    pub bytes: u64,
    pub descriptors: u64,
}

impl Channel {
    pub fn idle(&self) -> bool {
        self.queue.is_empty() && self.active.is_none()
    }

    /// Takes the next piece to start (see [`Descriptor::split_first_piece`]):
    /// the head descriptor stays queued until its last piece starts.
    pub fn take_next_piece(&mut self) -> Option<Descriptor> {
        let head = self.queue.pop_front()?;
        let (piece, rest) = head.split_first_piece();
        match rest {
            Some(rest) => self.queue.push_front(rest),
            None => self.descriptors += 1,
        }
        Some(piece)
    }

    /// The next descriptor, when the channel is free and `locks` hold what
    /// it waits for.
    pub fn startable(&self, locks: &LockFile) -> bool {
        self.active.is_none() && self.queue.front().is_some_and(|d| d.waits_met(locks))
    }

    /// Idle, or stopped at a descriptor whose locks `locks` do not hold:
    /// nothing moves until a lock is released.
    pub fn blocked_or_idle(&self, locks: &LockFile) -> bool {
        self.active.is_none() && !self.startable(locks)
    }

    /// The locks the head descriptor waits for, when it waits.
    pub fn waits_for(&self, locks: &LockFile) -> Option<Vec<u8>> {
        let d = self.queue.front()?;
        (self.active.is_none() && !self.startable(locks))
            .then(|| d.wait.iter().flatten().copied().collect())
    }
}

/// The DMA engine of one compute tile.
#[derive(Clone, Debug)]
pub struct Engine {
    pub channels: Vec<Channel>,
    pub queue_depth: usize,
}

impl Engine {
    pub fn new(machine: &Machine) -> Engine {
        Engine {
            channels: vec![Channel::default(); machine.dma.channels_per_tile as usize],
            queue_depth: machine.dma.queue_depth as usize,
        }
    }

    /// Whether channel `c` can take another descriptor.
    pub fn has_room(&self, c: usize) -> bool {
        self.channels[c].queue.len() < self.queue_depth
    }

    pub fn idle(&self) -> bool {
        self.channels.iter().all(Channel::idle)
    }
}
