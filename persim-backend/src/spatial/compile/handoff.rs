//! Hand-offs: a tensor that one kernel of a graph writes and the next
//! reads, moved PE to PE over the NoC instead of through off-chip memory.
//!
//! **Which tensors.** Producer instance `i` writes its part of the tensor
//! with exactly one block `copy_out` and instance `i` of each consumer
//! reads the same elements with exactly one block `copy_in`: the same offset, count,
//! rows and row stride in the tensor, for every instance of the (equal)
//! grids. [`Transfer::of`] finds each kernel's copy of the tensor's
//! parameter and evaluates its operands per instance (the launch's
//! integer scalars are constants by then, `launch::specialize_scalars`);
//! [`Transfer::matches`] compares them. Anything else that touches the
//! parameter (another load or store, a copy inside a loop or a branch, an
//! operand computed from memory) keeps the tensor off-chip, and the graph
//! launch reports which condition failed and where.
//!
//! **Pairs.** Producer and consumer run their instances round robin over
//! the same number of PEs, so PE `j` of the producer and PE `j` of the
//! consumer run the same instances in the same order: a fixed pair, one
//! channel per pair, placed and routed by the graph launch. A tensor with
//! several readers is sent to each (a send site, slot and channel per
//! reader), as an AIE object FIFO with several consumers is.
//!
//! **Protocol** (locks FULL on the consumer, CREDIT on the producer, per
//! slot; `isel/handoff.rs` emits it). At its `copy_in` the consumer, its
//! buffer now free by program order, releases the producer's CREDIT and
//! acquires its own FULL. The producer's `copy_out` queues a descriptor
//! that *waits in the DMA channel* for CREDIT, writes the consumer's
//! buffer directly and releases the consumer's FULL: the producer runs
//! ahead into its next instance while the consumer computes this one, and
//! waits for the transfer only where any copy out is waited for (before
//! its buffer is reused, at the end of the instance). An instance whose
//! count is zero moves nothing on either side (the counts are equal).
//! Every lock stays balanced: per instance one CREDIT and one FULL each
//! way.

use std::collections::HashSet;

use persim_lang::ir::{Attr, Dtype, Function, Op, Opcode, Value};

use super::share::{credit_lock, evaluate, full_lock, STREAM_BYTES};
use crate::spatial::coord::TileCoord;
use crate::spatial::sim::dma::Descriptor;

/// At most this many hand-offs and shared-panel streams per kernel
/// together (each takes a slot of the stream state and its locks).
pub const MAX_SLOTS: usize = super::share::MAX_STREAMS;

/// What a hand-off site does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A `copy_out` that writes the consumer's buffer.
    Send,
    /// A `copy_in` that the producer fills; its CREDIT lock is the
    /// producer's slot's.
    Receive { producer_slot: usize },
}

/// One hand-off site of a kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Site {
    pub op: Op,
    /// The slot of this kernel's state and locks.
    pub slot: usize,
    pub role: Role,
}

/// A kernel's hand-off sites.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HandoffPlan {
    pub sites: Vec<Site>,
}

impl HandoffPlan {
    /// The sites of a copy: one receive, or one send per reader.
    pub fn sites_of(&self, op: Op) -> Vec<Site> {
        self.sites.iter().copied().filter(|s| s.op == op).collect()
    }
}

/// Where a slot's state sits relative to its base (`map.shared + slot ·
/// STREAM_BYTES`).
pub struct SlotLayout;

impl SlotLayout {
    /// A send's descriptor template.
    pub const DESCRIPTOR: i32 = 0;
    /// A receive's producer tile as `col | row << 8` (`lock.relx`'s form).
    pub const PRODUCER: i32 = 64;
}

/// The initial state of a send slot: the descriptor to `consumer`'s buffer
/// at `dst_addr` (rows `dst_stride` bytes apart), waiting for this slot's
/// CREDIT and releasing the consumer's FULL of `consumer_slot`.
pub fn send_state(
    tile: TileCoord,
    slot: usize,
    consumer: TileCoord,
    consumer_slot: usize,
    (dst_addr, dst_stride): (u32, u32),
    y_first: bool,
) -> Vec<u8> {
    let mut d = Descriptor::tile_2d(tile, 0, 4, consumer, dst_addr, dst_stride.max(4), 4, 1)
        .with_signal(consumer, full_lock(consumer_slot), 1)
        .waiting_for([Some(credit_lock(slot)), None]);
    if y_first {
        d = d.routed_y_first();
    }
    let mut bytes = vec![0u8; STREAM_BYTES as usize];
    bytes[..d.to_bytes().len()].copy_from_slice(&d.to_bytes());
    bytes
}

/// The initial state of a receive slot: its producer's tile.
pub fn receive_state(producer: TileCoord) -> Vec<u8> {
    let mut bytes = vec![0u8; STREAM_BYTES as usize];
    let word = u32::from(producer.col) | u32::from(producer.row) << 8;
    let at = SlotLayout::PRODUCER as usize;
    bytes[at..at + 4].copy_from_slice(&word.to_le_bytes());
    bytes
}

/// A kernel's one block copy of a tensor parameter, evaluated per instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    pub op: Op,
    pub dtype: Dtype,
    /// The SRAM buffer and the element index the copy starts at.
    pub buffer: Value,
    pub buffer_index: Option<i64>,
    /// The buffer's row stride in elements (2-D copies), when constant.
    pub buffer_stride: Option<i64>,
    /// Per instance: offset in the tensor, count per row, rows, and the
    /// tensor's row stride (0 for a 1-D copy).
    pub extents: Vec<[i64; 4]>,
}

impl Transfer {
    /// The copy of parameter `param` in `f` (a copy out when `out`), or
    /// why the parameter is not moved by exactly one such copy.
    pub fn of(f: &Function, param: usize, out: bool, grid: [u32; 3]) -> Result<Transfer, String> {
        let name = f
            .params
            .get(param)
            .map_or_else(|| format!("#{param}"), |p| p.name.clone());
        let Some(&root) = f.block_args(f.body).get(param) else {
            return Err(format!("`{}` has no parameter {param}", f.name));
        };
        let dtype = f
            .ty(root)
            .elem()
            .pointee()
            .ok_or_else(|| format!("`{name}` is not a pointer"))?;
        let want = if out { Opcode::CopyOut } else { Opcode::CopyIn };
        // Pointers derived from the parameter, each with its offset terms.
        let mut derived: Vec<(Value, Vec<Value>)> = vec![(root, Vec::new())];
        let mut seen: HashSet<Value> = HashSet::from([root]);
        let mut copy: Option<(Op, Vec<Value>)> = None;
        let mut k = 0;
        while k < derived.len() {
            let (ptr, terms) = derived[k].clone();
            k += 1;
            for op in f.all_ops() {
                let d = f.op(op);
                if !d.operands.contains(&ptr) {
                    continue;
                }
                let at = f.describe_loc(d.loc);
                match d.opcode {
                    Opcode::PtrAdd if d.operands[0] == ptr => {
                        let r = d.results[0];
                        if !f.ty(r).is_scalar() {
                            return Err(format!("`{name}` is accessed lane by lane at {at}"));
                        }
                        if seen.insert(r) {
                            let mut t = terms.clone();
                            t.push(d.operands[1]);
                            derived.push((r, t));
                        }
                    }
                    o if o == want && d.operands[if out { 0 } else { 2 }] == ptr => {
                        if copy.is_some() {
                            return Err(format!(
                                "`{name}` is copied more than once (again at {at})"
                            ));
                        }
                        if d.parent != Some(f.body) {
                            return Err(format!(
                                "`{name}`'s copy at {at} is inside a loop or a branch"
                            ));
                        }
                        if matches!(d.attrs.get("async"), Some(Attr::Bool(true))) {
                            return Err(format!("`{name}`'s copy at {at} is asynchronous"));
                        }
                        copy = Some((op, terms.clone()));
                    }
                    o => {
                        return Err(format!(
                            "`{name}` is also used by `{}` at {at}, not only by one block {}",
                            o.name(),
                            want.name()
                        ))
                    }
                }
            }
        }
        let (op, terms) = copy.ok_or_else(|| {
            format!(
                "`{name}` is not moved by a block {} (the mid-end made no block copy of it)",
                want.name()
            )
        })?;
        let d = f.op(op);
        let [b, i, n] = if out { [1, 2, 3] } else { [0, 1, 3] };
        let shape = d.operands.get(4..7);
        let total: u32 = grid.iter().product();
        let at = f.describe_loc(d.loc);
        let mut extents = Vec::with_capacity(total as usize);
        let mut fixed: Option<(Option<i64>, Option<i64>)> = None;
        for inst in 0..total {
            let known = evaluate(f, grid, inst);
            let get = |v: Value, what: &str| {
                known.get(&v).copied().ok_or_else(|| {
                    format!("`{name}`'s copy at {at}: its {what} is not computable from program ids and constants")
                })
            };
            let mut offset = 0i64;
            for &t in &terms {
                offset += get(t, "offset")?;
            }
            let count = get(d.operands[n], "count")?;
            let (rows, stride, bstride) = match shape {
                Some(&[r, g, s]) => (
                    get(r, "row count")?,
                    get(g, "row stride")?,
                    known.get(&s).copied(),
                ),
                _ => (1, 0, None),
            };
            let index = known.get(&d.operands[i]).copied();
            match fixed {
                None => fixed = Some((index, bstride)),
                Some(f) if f == (index, bstride) => {}
                Some(_) => {
                    return Err(format!(
                        "`{name}`'s copy at {at} fills its buffer differently per instance"
                    ))
                }
            }
            extents.push([offset, count, rows, stride]);
        }
        let (buffer_index, buffer_stride) = fixed.unwrap_or((None, None));
        Ok(Transfer {
            op,
            dtype,
            buffer: d.operands[b],
            buffer_index,
            buffer_stride,
            extents,
        })
    }

    /// Whether consumer copy `self` reads exactly what producer copy
    /// `from` writes, instance by instance; else the first difference.
    pub fn matches(&self, from: &Transfer) -> Result<(), String> {
        if self.dtype != from.dtype {
            return Err(format!(
                "the producer writes {} and the consumer reads {}",
                from.dtype, self.dtype
            ));
        }
        if self.extents.len() != from.extents.len() {
            return Err(format!(
                "the producer runs {} instances and the consumer {}",
                from.extents.len(),
                self.extents.len()
            ));
        }
        if let Some(i) = (0..self.extents.len()).find(|&i| self.extents[i] != from.extents[i]) {
            let show = |[o, c, r, s]: [i64; 4]| {
                format!("offset {o}, {c} elements x {r} rows (row stride {s})")
            };
            return Err(format!(
                "instance {i} writes {} but reads {}",
                show(from.extents[i]),
                show(self.extents[i])
            ));
        }
        if self.buffer_index.is_none() {
            return Err("the consumer's buffer position is not a constant".into());
        }
        if self.extents.iter().any(|e| e[2] > 1) && self.buffer_stride.is_none() {
            return Err("the consumer's buffer row stride is not a constant".into());
        }
        Ok(())
    }
}
