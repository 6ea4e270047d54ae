//! Shared panels: one off-chip read per group of instances that copy the
//! same bytes, forwarded PE to PE over the NoC.
//!
//! In a blocked matmul every instance with the same `program_id(0)` copies
//! the same `A` tiles and every instance with the same `program_id(1)` the
//! same `B` tiles; read separately, an 8 x 8 grid reads each panel eight
//! times and the kernel is bound by off-chip bandwidth. Tenstorrent's
//! matmuls multicast the panels along a core row/column; here a group's
//! *leader* reads the tile from off-chip memory and the tile travels down a
//! chain of the group's PEs, each forwarding it to the next with a PE → PE
//! DMA while it computes.
//!
//! **Which copies.** An `async` `copy_in` (double buffering made it; its
//! waits are explicit `copy_wait`s) whose operands — source pointer, count,
//! rows, strides, buffer index — and enclosing control (loop bounds, `if`
//! conditions) do not depend on `program_id(a)` for some axis `a` with more
//! than one instance, reading an immutable parameter. The group of an
//! instance is every instance that differs from it only along such axes.
//! The protocol needs every member to run the same sequence of shared
//! copies and waits, so every `copy_wait` and `return` must also sit under
//! control that does not depend on those axes; otherwise nothing is shared.
//! Values read from memory count as depending on every axis.
//!
//! **When.** Members wait for each other, so two members of one group run
//! in sequence on one PE would deadlock. A PE runs its instances in order;
//! an instance's *position* is its index in its PE's list, and a group is
//! the instances alike in the shared bytes *and at the same position*:
//! every PE runs its position-0 members, then its position-1 members, so
//! each group's members run at once on distinct PEs. One program and one
//! stream state per PE serve every position, so each PE must have the same
//! role (leader, upstream, downstream, shim) at every position, as when
//! the grid is folded onto the mesh along the sharing axes (PE `(c, r)`
//! running `(r, c)`, `(r, c + cols)`, … of a matmul's grid); otherwise
//! nothing is shared.
//!
//! **Chains.** Members are ordered by their linear instance index (the
//! placement puts a grid's rows on mesh rows, so neighbours in the order are
//! neighbours on the mesh); the first member leads and the tile travels the
//! order. Every chain starting at the same end makes a PE's delay behind
//! its leaders grow by one hop per step along either chain, a wavefront:
//! each member then frees its buffer (for the upstream's next forward) one
//! hop after the upstream did. Leaders placed elsewhere (a diagonal, to use
//! the shim below each) made a member wait for a leader seven hops away on
//! its other chain, and its upstream in turn for its credit: 2.3x slower at
//! 1024^3. The shims still share the load: group `g` reads through the shim
//! of column `g mod cols` (dimension-order routing takes the shim row, then
//! the leader's column).

//! **Protocol** (locks FULL, CREDIT, ACK and FWD of each stream;
//! `isel/share.rs` emits it). At a copy site a member first makes sure no
//! forward out of the buffer is still running: forwards of a stream are
//! acknowledged in order, so it waits for every forward but the latest,
//! and for the latest too when that one left from this buffer. Then the
//! leader starts the off-chip read (its descriptor releases its own FULL
//! and FWD) and the others release their upstream's CREDIT (`lock.relx`:
//! "my buffer is free"), and a member with a downstream *queues* the
//! forward of this copy — after the read, so that on a one-channel machine
//! it waits behind it: its descriptor waits in the DMA channel for FWD (the
//! tile landed here) and CREDIT (the downstream's buffer is free), as an
//! AIE buffer descriptor acquires its locks, and releases the downstream's
//! FULL (and FWD, when that one forwards too). The copy is then
//! *pending*. Completing it — at the next `copy_wait`, at the next copy of
//! the same stream, or at the end of the instance — acquires FULL and
//! acknowledges it to the upstream (its ACK).
//!
//! So a tile moves down the chain as soon as it lands and the next buffer
//! is free, whatever each PE's program is doing. It moves in
//! [`forward_pieces`] pieces (`sim/dma.rs`): the reads of leaders that
//! forward and every forward run in pieces, FWD is released per piece
//! and each forward piece waits for its own FWD, so a piece goes on as
//! soon as it has landed (cut-through) and a tile crosses `h` hops in
//! about one tile's time plus `h` pieces', not `h` tiles'. CREDIT is
//! taken by the first piece, FULL released by the last. Forwarded by the program
//! at completion instead (the first design), a member could forward tile
//! `i` only when it started step `i`, so each member ran a forward's time
//! behind its upstream on both chains, and a PE's delay was the *sum* of
//! its hops along both (1024^3 f32: 14 600 lock-wait cycles on the last
//! PE). Waiting for acknowledgements instead of the forward channel keeps
//! a queued forward off the program's critical path. Every lock stays
//! balanced: per copy, each member receives one FULL (and one FWD when it
//! forwards) and sends one CREDIT and one ACK upstream.
//!
//! A shared copy's buffer must be written by nothing else (a fill of the
//! masked-off part, another copy) so that the acknowledgements cover every
//! write that could race a forward.

use std::collections::HashMap;

use persim_lang::ir::{Attr, Block, Effect, Function, Op, Opcode, Value};

use crate::spatial::coord::TileCoord;
use crate::spatial::machine::Machine;
use crate::spatial::sim::dma::{Descriptor, DESCRIPTOR_BYTES};

/// At most this many shared streams per kernel (each takes three locks and
/// [`STREAM_BYTES`] of SRAM).
pub const MAX_STREAMS: usize = 4;

/// SRAM bytes of one stream's per-PE state (see [`StreamLayout`]).
pub const STREAM_BYTES: u32 = 192;

/// Where a stream's state sits relative to its base address.
pub struct StreamLayout;

impl StreamLayout {
    /// The leader's off-chip read (a descriptor template).
    pub const READ: i32 = 0;
    /// The forward to the downstream member (a descriptor template).
    pub const FORWARD: i32 = 64;
    /// 1 on the leader, else 0.
    pub const LEADER: i32 = 128;
    /// 1 when the PE has a downstream member, else 0.
    pub const HAS_DOWN: i32 = 132;
    /// The upstream member's tile as `col | row << 8` (`lock.relx`'s form).
    pub const UPSTREAM: i32 = 136;
    /// 1 while a copy of the stream is started and not completed.
    pub const PENDING: i32 = 140;
    /// Forwards queued and not yet acknowledged by the downstream member.
    pub const OUTSTANDING: i32 = 144;
}

/// Pieces a shared tile travels a chain of `members` PEs in (see
/// `sim/dma.rs`). Each piece pays the channel's descriptor setup and a
/// lock hand-off per hop, so short chains lose what long ones gain, and
/// every member of a chain must use the same count (its FWD counts
/// pieces). The default machine's 1024^3 f32 matmul (chains of 8, 32 KiB
/// tiles): 94 727 cycles whole and 93 020 in 4 pieces when they came
/// (88c5f56); with `layout.rs` 92 128 in 2, 91 974 in 3, 92 194 in 4; at
/// 1b959af 85 529 in 2, 85 282 in 3, 85 338 in 4. The MLP graph of
/// `sim_map_report` (its second matmul on 16 PEs, chains of 4), streamed,
/// with `layout.rs`: 58 851 whole, 58 607 in 2, 59 347 in 3, 61 339 in 4.
pub fn forward_pieces(members: usize) -> u8 {
    if members >= 8 {
        3
    } else {
        2
    }
}

/// Locks per stream: FULL, CREDIT, ACK and FWD.
const LOCKS_PER_STREAM: usize = 4;

/// The lock a stream's arrivals release.
pub fn full_lock(stream: usize) -> u8 {
    (LOCKS_PER_STREAM * stream) as u8
}

/// The lock a stream's downstream member releases when its buffer is free.
pub fn credit_lock(stream: usize) -> u8 {
    (LOCKS_PER_STREAM * stream + 1) as u8
}

/// The lock a stream's downstream member releases when a forward landed.
pub fn ack_lock(stream: usize) -> u8 {
    (LOCKS_PER_STREAM * stream + 2) as u8
}

/// The lock a stream's arrivals release for the PE's queued forward (FULL
/// is the program's).
pub fn fwd_lock(stream: usize) -> u8 {
    (LOCKS_PER_STREAM * stream + 3) as u8
}

/// How a stream's instances form groups that copy the same bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// Bit `a` set: the copied bytes do not depend on `program_id(a)`; a
    /// group is the instances that differ only along those axes.
    Axes(u8),
    /// The copied bytes depend on the program ids only through this
    /// top-level scalar (Triton's grouped order: `pid_m`); a group is the
    /// instances where it has one value.
    Key(Value),
}

/// Copies of one parameter shared by the same groups of instances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stream {
    /// The parameter the copies read.
    pub arg: usize,
    pub grouping: Grouping,
    pub sites: Vec<Op>,
    /// Per instance (linear index): the group it belongs to.
    pub group_of: Vec<i64>,
}

/// The shared streams of a kernel for one grid.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharePlan {
    pub streams: Vec<Stream>,
}

/// Keyed grouping evaluates the key for every instance: at most this many.
const MAX_KEYED_INSTANCES: u32 = 4096;

impl SharePlan {
    /// Finds the shareable copies of lowered `f` over `grid`.
    pub fn new(f: &Function, grid: [u32; 3], machine: &Machine) -> SharePlan {
        let multi: u8 = (0..3).filter(|&a| grid[a] > 1).map(|a| 1u8 << a).sum();
        let max = MAX_STREAMS.min(machine.pe.locks as usize / LOCKS_PER_STREAM);
        if multi == 0 || max == 0 {
            return SharePlan::default();
        }
        let total: u32 = grid.iter().product();
        let v = Variance::of(f, None);
        let mut candidates: Vec<(Op, usize, Grouping)> = Vec::new();
        let mut unshared: Vec<(Op, usize)> = Vec::new();
        for op in f.all_ops() {
            let d = f.op(op);
            if d.opcode != Opcode::CopyIn || !matches!(d.attrs.get("async"), Some(Attr::Bool(true)))
            {
                continue;
            }
            let Some(arg) = d.attrs.int("arg").and_then(|a| usize::try_from(a).ok()) else {
                continue;
            };
            if f.params.get(arg).is_none_or(|p| p.mutable) {
                continue;
            }
            let axes = multi & !v.depends(f, op) & !v.barrier(f);
            if axes == 0 {
                unshared.push((op, arg));
            } else {
                candidates.push((op, arg, Grouping::Axes(axes)));
            }
        }
        let values = if !unshared.is_empty() && total <= MAX_KEYED_INSTANCES {
            (0..total).map(|i| evaluate(f, grid, i)).collect()
        } else {
            Vec::new()
        };
        for (key, _) in keys(&v, &values, total) {
            if unshared.is_empty() {
                break;
            }
            let vk = Variance::of(f, Some(key));
            if vk.barrier(f) & ALL_AXES != 0 {
                continue;
            }
            unshared.retain(|&(op, arg)| {
                let shared = vk.depends(f, op) & ALL_AXES == 0;
                if shared {
                    candidates.push((op, arg, Grouping::Key(key)));
                }
                !shared
            });
        }
        let mut streams: Vec<Stream> = Vec::new();
        for &(op, arg, grouping) in &candidates {
            if written_elsewhere(f, op, |user| {
                candidates
                    .iter()
                    .any(|&(o, a, g)| o == user && a == arg && g == grouping)
            }) {
                continue;
            }
            let count = streams.len();
            match streams
                .iter_mut()
                .find(|s| s.arg == arg && s.grouping == grouping)
            {
                Some(s) => s.sites.push(op),
                None if count < max => {
                    let group_of = (0..total)
                        .map(|i| match grouping {
                            Grouping::Axes(axes) => {
                                let mut p = pids(i, grid);
                                for (a, x) in p.iter_mut().enumerate() {
                                    if axes & (1 << a) != 0 {
                                        *x = 0;
                                    }
                                }
                                i64::from(p[0] + grid[0] * (p[1] + grid[1] * p[2]))
                            }
                            Grouping::Key(k) => values[i as usize][&k],
                        })
                        .collect();
                    streams.push(Stream {
                        arg,
                        grouping,
                        sites: vec![op],
                        group_of,
                    })
                }
                None => {}
            }
        }
        SharePlan { streams }
    }

    pub fn is_empty(&self) -> bool {
        self.streams.is_empty()
    }

    /// The stream of a copy site.
    pub fn stream_of(&self, op: Op) -> Option<usize> {
        self.streams.iter().position(|s| s.sites.contains(&op))
    }
}

/// One PE's part in one stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Role {
    pub leader: bool,
    /// The shim the leader reads through.
    pub shim: TileCoord,
    pub upstream: Option<TileCoord>,
    pub downstream: Option<TileCoord>,
    /// The pieces the chain's tiles travel in ([`forward_pieces`]).
    pub pieces: u8,
}

/// Per stream, each PE's role; `at[i]` is the PE that runs instance `i`
/// and its position there, on a mesh of `cols` columns. Empty when a
/// group would have two members on one PE or a PE's role would differ
/// between positions (see the module documentation).
pub fn roles(
    plan: &SharePlan,
    at: &[(TileCoord, u32)],
    cols: u32,
) -> Vec<HashMap<TileCoord, Role>> {
    let mut all = Vec::new();
    for s in &plan.streams {
        let mut groups: std::collections::BTreeMap<(i64, u32), Vec<usize>> = Default::default();
        for (i, &(_, position)) in at.iter().enumerate() {
            groups.entry((s.group_of[i], position)).or_default().push(i);
        }
        // The shim follows the shared bytes, not the position.
        let mut keys: Vec<i64> = groups.keys().map(|k| k.0).collect();
        keys.dedup();
        let mut out: HashMap<TileCoord, Role> = HashMap::new();
        for ((key, _), members) in &groups {
            let g = keys.binary_search(key).expect("a group's key");
            let shim = TileCoord::new((g as u32 % cols) as u8, 0);
            let chain: Vec<TileCoord> = members.iter().map(|&i| at[i].0).collect();
            for (k, &tile) in chain.iter().enumerate() {
                let role = Role {
                    leader: k == 0,
                    shim,
                    upstream: k.checked_sub(1).map(|u| chain[u]),
                    downstream: chain.get(k + 1).copied(),
                    pieces: forward_pieces(chain.len()),
                };
                if chain[..k].contains(&tile) || out.insert(tile, role).is_some_and(|r| r != role) {
                    return Vec::new();
                }
            }
        }
        all.push(out);
    }
    all
}

/// Whether anything but a `buf_load`, a `buf_matmul` reading it, or a copy
/// `same_stream` accepts writes the buffer of copy `op`.
fn written_elsewhere(f: &Function, op: Op, same_stream: impl Fn(Op) -> bool) -> bool {
    let buf = f.op(op).operands[0];
    f.all_ops().into_iter().any(|user| {
        let d = f.op(user);
        let at: Vec<usize> = (0..d.operands.len())
            .filter(|&i| d.operands[i] == buf)
            .collect();
        !at.is_empty()
            && !match d.opcode {
                Opcode::BufLoad => true,
                Opcode::BufMatmul => at.iter().all(|&i| i < 2),
                Opcode::CopyIn => same_stream(user),
                _ => false,
            }
    })
}

/// Candidate keys: top-level scalars that depend on the program ids and
/// have a value for every instance, coarsest first (fewest distinct
/// values), those that group nothing left out.
fn keys(v: &Variance, values: &[HashMap<Value, i64>], total: u32) -> Vec<(Value, usize)> {
    let Some(first) = values.first() else {
        return Vec::new();
    };
    let mut keys: Vec<(Value, usize)> = first
        .keys()
        .copied()
        .filter(|&k| v.of_value(k) & ALL_AXES != 0)
        .filter_map(|k| {
            let mut seen: Vec<i64> = values
                .iter()
                .map(|m| m.get(&k).copied())
                .collect::<Option<_>>()?;
            seen.sort_unstable();
            seen.dedup();
            (seen.len() < total as usize).then_some((k, seen.len()))
        })
        .collect();
    // Deterministic: by distinct count, then by value number.
    keys.sort_by_key(|&(k, n)| (n, k));
    keys
}

/// The integer scalars of `f`'s body block (outside loops and branches)
/// computed for instance `i`: constants, program ids, the grid, and
/// `i32` arithmetic on them.
pub(super) fn evaluate(f: &Function, grid: [u32; 3], i: u32) -> HashMap<Value, i64> {
    let pid = pids(i, grid);
    let mut known: HashMap<Value, i64> = HashMap::new();
    for &op in f.block_ops(f.body) {
        let d = f.op(op);
        let [r] = d.results[..] else { continue };
        if *f.ty(r) != persim_lang::ir::Type::scalar(persim_lang::ir::Dtype::I32) {
            continue;
        }
        let axis = || d.attrs.int("axis").unwrap_or(0).clamp(0, 2) as usize;
        let arg = |k: usize| {
            d.operands
                .get(k)
                .and_then(|x| known.get(x))
                .map(|&x| x as i32)
        };
        let value = match d.opcode {
            Opcode::Const => d.attrs.int("value").map(|x| x as i32),
            Opcode::ProgramId => Some(pid[axis()] as i32),
            Opcode::NumPrograms => Some(grid[axis()] as i32),
            Opcode::Add => arg(0).zip(arg(1)).map(|(a, b)| a.wrapping_add(b)),
            Opcode::Sub => arg(0).zip(arg(1)).map(|(a, b)| a.wrapping_sub(b)),
            Opcode::Mul => arg(0).zip(arg(1)).map(|(a, b)| a.wrapping_mul(b)),
            Opcode::Div => arg(0)
                .zip(arg(1))
                .filter(|&(_, b)| b != 0)
                .map(|(a, b)| a.wrapping_div(b)),
            Opcode::Rem => arg(0)
                .zip(arg(1))
                .filter(|&(_, b)| b != 0)
                .map(|(a, b)| a.wrapping_rem(b)),
            Opcode::Minimum => arg(0).zip(arg(1)).map(|(a, b)| a.min(b)),
            Opcode::Maximum => arg(0).zip(arg(1)).map(|(a, b)| a.max(b)),
            _ => None,
        };
        if let Some(x) = value {
            known.insert(r, i64::from(x));
        }
    }
    known
}

/// The program ids of linear instance `i` (axis 0 fastest).
fn pids(i: u32, grid: [u32; 3]) -> [u32; 3] {
    [
        i % grid[0],
        (i / grid[0]) % grid[1],
        i / (grid[0] * grid[1]),
    ]
}

/// The initial bytes of a stream's state on `tile` (see [`StreamLayout`]);
/// `down_forwards`: whether the downstream member forwards in turn.
pub fn stream_state(stream: usize, tile: TileCoord, role: Role, down_forwards: bool) -> Vec<u8> {
    let mut bytes = vec![0u8; STREAM_BYTES as usize];
    // An arrival releases FULL for the program and, on a PE that forwards,
    // FWD for its queued forward.
    let arrival = |d: Descriptor, at: TileCoord, forwards: bool| {
        let d = d.with_signal(at, full_lock(stream), 1);
        if forwards {
            d.with_signal2(at, fwd_lock(stream), 1)
        } else {
            d
        }
    };
    // Y first: up the shim's column, then along the leader's row (see
    // "Chains" above).
    // A PE that forwards gets its tile in pieces and forwards each as it
    // lands (cut-through): every forward runs in pieces, since whoever
    // receives one forwards (its FWD counts pieces), and a leader's read
    // does when it forwards.
    let pieces = role.pieces;
    let forwards = role.downstream.is_some();
    let read = arrival(Descriptor::copy(role.shim, 0, tile, 0, 4), tile, forwards)
        .routed_y_first()
        .in_pieces(if forwards { pieces } else { 1 });
    bytes[StreamLayout::READ as usize..][..DESCRIPTOR_BYTES].copy_from_slice(&read.to_bytes());
    if let Some(down) = role.downstream {
        let fwd = arrival(Descriptor::copy(tile, 0, down, 0, 4), down, down_forwards)
            .waiting_for([Some(fwd_lock(stream)), Some(credit_lock(stream))])
            .in_pieces(pieces);
        bytes[StreamLayout::FORWARD as usize..][..DESCRIPTOR_BYTES]
            .copy_from_slice(&fwd.to_bytes());
    }
    let word = |b: &mut Vec<u8>, at: i32, w: u32| {
        b[at as usize..][..4].copy_from_slice(&w.to_le_bytes());
    };
    word(&mut bytes, StreamLayout::LEADER, u32::from(role.leader));
    word(
        &mut bytes,
        StreamLayout::HAS_DOWN,
        u32::from(role.downstream.is_some()),
    );
    let up = role
        .upstream
        .map_or(0, |t| u32::from(t.col) | u32::from(t.row) << 8);
    word(&mut bytes, StreamLayout::UPSTREAM, up);
    bytes
}

/// Which `program_id` axes each value and each op's enclosing control
/// depend on (bit `a` = axis `a`), to a fixpoint over loop-carried values.
struct Variance {
    values: HashMap<Value, u8>,
    control: HashMap<Op, u8>,
    /// A value whose dependence stands for all of its own: it gets
    /// [`CUT`] instead of the axes it is computed from.
    cut: Option<Value>,
}

const ALL_AXES: u8 = 0b111;

/// The pseudo-axis of [`Variance::cut`].
const CUT: u8 = 0b1000;

impl Variance {
    fn of(f: &Function, cut: Option<Value>) -> Variance {
        let mut v = Variance {
            values: HashMap::new(),
            control: HashMap::new(),
            cut,
        };
        while v.visit(f, f.body, 0) {}
        v
    }

    /// What copy `op`'s operands and enclosing control depend on.
    fn depends(&self, f: &Function, op: Op) -> u8 {
        f.op(op)
            .operands
            .iter()
            .fold(self.control(op), |m, &x| m | self.of_value(x))
    }

    /// What the control around the `copy_wait`s and `return`s depends on:
    /// members of a group must reach those together.
    fn barrier(&self, f: &Function) -> u8 {
        f.all_ops()
            .into_iter()
            .filter(|&op| {
                let d = f.op(op);
                d.opcode == Opcode::Return
                    || (d.opcode == Opcode::CopyWait
                        && !matches!(d.attrs.get("out"), Some(Attr::Bool(true))))
            })
            .map(|op| self.control(op))
            .fold(0, |a, b| a | b)
    }

    fn of_value(&self, x: Value) -> u8 {
        self.values.get(&x).copied().unwrap_or(0)
    }

    fn control(&self, op: Op) -> u8 {
        self.control.get(&op).copied().unwrap_or(0)
    }

    /// Adds `m` to `x`; whether that changed anything.
    fn add(&mut self, x: Value, m: u8) -> bool {
        let m = if self.cut == Some(x) { CUT } else { m };
        let e = self.values.entry(x).or_default();
        let grew = *e | m != *e;
        *e |= m;
        grew
    }

    /// One pass over `b` under control mask `ctrl`; whether anything grew.
    fn visit(&mut self, f: &Function, b: Block, ctrl: u8) -> bool {
        let mut grew = false;
        for &op in f.block_ops(b) {
            let d = f.op(op);
            let c = self.control.entry(op).or_default();
            grew |= *c | ctrl != *c;
            *c |= ctrl;
            let operands = |s: &Self, range: std::ops::Range<usize>| {
                d.operands[range.start.min(d.operands.len())..range.end.min(d.operands.len())]
                    .iter()
                    .fold(0u8, |m, &x| m | s.of_value(x))
            };
            match d.opcode {
                Opcode::ProgramId => {
                    let axis = d.attrs.int("axis").unwrap_or(0).clamp(0, 2);
                    grew |= self.add(d.results[0], ctrl | 1 << axis);
                }
                Opcode::For => {
                    // for lb, ub, step, inits...: the body's control is the bounds'.
                    let inner = ctrl | operands(self, 0..3);
                    let body = d.regions[0];
                    let args = f.block_args(body);
                    let yields = yield_operands(f, body);
                    grew |= self.add(args[0], inner);
                    for (i, &r) in d.results.iter().enumerate() {
                        let m = inner
                            | d.operands.get(3 + i).map_or(0, |&x| self.of_value(x))
                            | yields.get(i).map_or(0, |&x| self.of_value(x));
                        if let Some(&a) = args.get(1 + i) {
                            grew |= self.add(a, m);
                        }
                        grew |= self.add(r, m);
                    }
                    grew |= self.visit(f, body, inner);
                }
                Opcode::If => {
                    let inner = ctrl | operands(self, 0..1);
                    for &r in &d.regions {
                        grew |= self.visit(f, r, inner);
                    }
                    for (i, &r) in d.results.iter().enumerate() {
                        let m = d.regions.iter().fold(inner, |m, &reg| {
                            m | yield_operands(f, reg)
                                .get(i)
                                .map_or(0, |&x| self.of_value(x))
                        });
                        grew |= self.add(r, m);
                    }
                }
                Opcode::While => {
                    // Anything in or out of a while may depend on how long it runs.
                    let mut inner = ctrl | operands(self, 0..usize::MAX);
                    for &r in &d.regions {
                        f.walk(r, &mut |o| {
                            if matches!(f.op(o).opcode, Opcode::Condition | Opcode::Yield) {
                                inner |= f
                                    .op(o)
                                    .operands
                                    .iter()
                                    .fold(0, |m, &x| m | self.of_value(x));
                            }
                        });
                    }
                    for &r in &d.regions {
                        for &a in f.block_args(r) {
                            grew |= self.add(a, inner);
                        }
                        grew |= self.visit(f, r, inner);
                    }
                    for &r in &d.results {
                        grew |= self.add(r, inner);
                    }
                }
                _ => {
                    let m = match d.opcode.effect() {
                        Effect::Pure | Effect::Instance | Effect::Control => {
                            ctrl | operands(self, 0..usize::MAX)
                        }
                        // Memory may differ between instances.
                        _ => ALL_AXES,
                    };
                    for &r in &d.results {
                        grew |= self.add(r, m);
                    }
                    for &r in &d.regions {
                        grew |= self.visit(f, r, ctrl);
                    }
                }
            }
        }
        grew
    }
}

/// The operands of the `yield` ending `b` (none if it has no yield).
fn yield_operands(f: &Function, b: Block) -> Vec<Value> {
    f.block_ops(b)
        .last()
        .map(|&op| f.op(op))
        .filter(|d| d.opcode == Opcode::Yield)
        .map(|d| d.operands.to_vec())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan of one stream whose group is every instance, so the chain
    /// runs through all `members` PEs of one mesh row.
    fn chain_roles(members: u32) -> HashMap<TileCoord, Role> {
        let plan = SharePlan {
            streams: vec![Stream {
                arg: 0,
                grouping: Grouping::Axes(1),
                sites: Vec::new(),
                group_of: vec![0; members as usize],
            }],
        };
        let at: Vec<(TileCoord, u32)> = (0..members)
            .map(|i| (TileCoord::new(i as u8, 1), 0))
            .collect();
        roles(&plan, &at, 8).remove(0)
    }

    #[test]
    fn long_chains_forward_in_more_pieces_than_short_ones() {
        for (members, pieces) in [(2, 2), (4, 2), (8, 3)] {
            let roles = chain_roles(members);
            assert_eq!(roles.len(), members as usize);
            for (tile, role) in &roles {
                assert_eq!(role.pieces, pieces, "{members} members, {tile:?}");
                // Every forward and the leader's read carry the count (the
                // receiver's FWD counts pieces, so a chain must agree).
                let state = stream_state(0, *tile, *role, true);
                if role.downstream.is_some() {
                    assert_eq!(state[StreamLayout::FORWARD as usize + 46], pieces);
                }
                if role.leader {
                    assert_eq!(state[StreamLayout::READ as usize + 46], pieces);
                }
            }
        }
    }
}
