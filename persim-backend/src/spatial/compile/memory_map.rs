//! Where everything lives in a PE's SRAM.
//!
//! ```text
//!  0 ─────────── local memory of the running program instance (the IR's
//!                `alloc` offsets; instances of one PE run in sequence and
//!                reuse it)
//!  mask_base ─── mask buffers (`buf<N x i1>`), 4 bytes per element, each
//!                its own bytes (see `masks` below)
//!  matrix ────── for `buf_matmul`: two transposed row strips of `a`
//!                (k x lanes words each)
//!  staging ───── one vector of 64-bit lanes for global loads, one for stores
//!  pointers ──── the pointer vector of the access being transferred
//!  descriptors ─ DMA descriptor templates (load, store), the PE's first
//!                instance, the open run of merged gathers
//!  shared ────── per shared-panel stream: its descriptors, the PE's role
//!                and whether a copy is pending (`share.rs`)
//!  spills ────── register spill slots
//! ```
//!
//! Mask buffers get 4 bytes per element because the machine has no byte
//! stores: a mask is kept as 0/1 words. They never share bytes with other
//! buffers (a sound, if generous, choice: `pack-buffers` sized them at 1
//! byte per element), so the packed layout of every other buffer stays
//! valid; two mask buffers share bytes only when they sit in different
//! regions of one `if` (never live together).

use std::collections::BTreeMap;

use persim_lang::ir::{Dtype, Elem, Function, Op, Opcode, Type, Value};

use super::error::{CResult, CompileError};
use super::share::{MAX_STREAMS, STREAM_BYTES};
use crate::spatial::machine::Machine;
use crate::spatial::sim::dma::DESCRIPTOR_BYTES;

/// SRAM bytes the compiler keeps for itself besides local memory and mask
/// buffers: staging vectors, the pointer vector, descriptors, spill slots.
/// The mid-end's `Target` gets `sram_bytes` minus this.
pub fn reserved_bytes(machine: &Machine) -> u32 {
    let v = machine.vector_bytes();
    5 * v + 3 * DESCRIPTOR_BYTES as u32 + 64 + SHARED_BYTES + SPILL_BYTES
}

/// Bytes of shared-panel stream state (`share.rs`), kept whether or not a
/// launch shares, so the mid-end's budget does not depend on the grid.
const SHARED_BYTES: u32 = MAX_STREAMS as u32 * STREAM_BYTES;

/// `k` steps `buf_matmul` transposes and multiplies per chunk of
/// straight-line code; the transposed strip of `a` holds one chunk.
pub const MATMUL_K_CHUNK: u32 = 64;

/// Bytes of spill slots the compiler may use.
pub const SPILL_BYTES: u32 = 4096;

/// A local buffer's place in SRAM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BufPlace {
    pub addr: u32,
    /// Bytes per element in SRAM (4 for masks, else the element size).
    pub elem_bytes: u32,
    pub mask: bool,
}

/// The SRAM layout of one compiled kernel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryMap {
    pub local_mem: u32,
    pub buffers: BTreeMap<Value, BufPlace>,
    /// Two transposed `lanes`-row strips of `buf_matmul`'s `a`, each with
    /// room for the largest `k` up to [`MATMUL_K_CHUNK`] (rounded up to
    /// whole `lanes x lanes` blocks).
    pub a_strip: u32,
    pub load_staging: u32,
    pub store_staging: u32,
    pub pointers: u32,
    pub load_desc: u32,
    pub store_desc: u32,
    /// The template of the copies out marked `tail` (a blocked matmul's
    /// result written out in blocks, `early-write-out`): the same as
    /// `store_desc` but through the PE's tail shim (`tail_write_shim`).
    pub tail_store_desc: u32,
    /// A word the memory image sets per PE: the first instance the PE runs.
    pub pe_first: u32,
    /// The state of merged `copy_gather`s: the open run (source,
    /// destination, bytes; 0 = none), the channel the next run takes, and
    /// the end of the bytes written since the last close (5 words, zero in
    /// the image).
    pub gather_run: u32,
    /// The state of shared-panel stream `s` is at `shared + s * STREAM_BYTES`.
    pub shared: u32,
    pub spill_base: u32,
    pub end: u32,
}

impl MemoryMap {
    /// Lays out `f`'s buffers; fails naming the buffer that does not fit.
    pub fn new(f: &Function, machine: &Machine) -> CResult<MemoryMap> {
        let local_mem = f.attrs.int("local_mem").unwrap_or(0);
        let sram = machine.pe.sram_bytes;
        let local_mem = u32::try_from(local_mem)
            .ok()
            .filter(|&n| n <= sram)
            .ok_or_else(|| {
                CompileError::new(format!(
                    "the kernel needs {local_mem} bytes of local memory; a PE has {sram} bytes of SRAM (pe.sram_bytes)"
                ))
            })?;
        let mut next = align(local_mem, 64);
        let first_mask = next;
        // Mask buffers placed so far: their branch paths and ends.
        let mut masks: Vec<(Vec<(Op, usize)>, u32)> = Vec::new();
        let mut buffers = BTreeMap::new();
        for op in f.all_ops() {
            let data = f.op(op);
            if data.opcode != Opcode::Alloc {
                continue;
            }
            let v = data.results[0];
            let Type::Buf { elem, len } = f.ty(v).clone() else {
                return Err(CompileError::at(
                    f,
                    data.loc,
                    "`alloc` of a non-buffer type",
                ));
            };
            let offset = data.attrs.int("offset").unwrap_or(0) as u32;
            let place = match elem {
                Elem::Val(Dtype::I1) => {
                    // After every mask buffer that can be live with this one.
                    let path = uses_path(f, v);
                    let addr = masks
                        .iter()
                        .filter(|(other, _)| !exclusive(&path, other))
                        .map(|&(_, end)| end)
                        .max()
                        .unwrap_or(first_mask);
                    let bytes = u64::from(len) * 4;
                    let end = u64::from(addr) + bytes;
                    if end + u64::from(reserved_bytes(machine)) > u64::from(sram) {
                        let tile = data
                            .attrs
                            .get("tile")
                            .map_or_else(|| f.ty(v).to_string(), |t| t.to_string());
                        return Err(CompileError::at(
                            f,
                            data.loc,
                            format!(
                                "SRAM capacity exceeded: the mask buffer of `{tile}` ({bytes} bytes as 4-byte lanes) ends at byte {end}, \
                                 but a PE has {sram} bytes of SRAM (pe.sram_bytes) of which the compiler keeps {} for staging and spills",
                                reserved_bytes(machine)
                            ),
                        ));
                    }
                    let end = align(end as u32, 64);
                    next = next.max(end);
                    masks.push((path, end));
                    BufPlace {
                        addr,
                        elem_bytes: 4,
                        mask: true,
                    }
                }
                // Narrow elements keep their size (the mid-end packed them so).
                Elem::Ptr(_) => BufPlace {
                    addr: offset,
                    elem_bytes: 4,
                    mask: false,
                },
                Elem::Val(d) => BufPlace {
                    addr: offset,
                    elem_bytes: d.size_bytes(),
                    mask: false,
                },
            };
            buffers.insert(v, place);
        }
        let v = machine.vector_bytes();
        let max_k = f
            .all_ops()
            .into_iter()
            .filter(|&op| f.op(op).opcode == Opcode::BufMatmul)
            .map(|op| f.op(op).attrs.int("k").unwrap_or(0).max(0) as u64)
            .max()
            // A strip holds one chunk of `k` (`isel/matmul/`).
            .map(|k| k.min(u64::from(MATMUL_K_CHUNK)));
        let a_strip = match max_k {
            Some(k) => {
                let lanes = u64::from(machine.lanes());
                // Two strips: `isel/matmul/stream.rs` fills one while
                // reading the other.
                let strip = 2 * k.div_ceil(lanes) * lanes * u64::from(v);
                let a_strip = next;
                let end = u64::from(a_strip) + strip;
                if end + u64::from(reserved_bytes(machine)) > u64::from(sram) {
                    return Err(CompileError::new(format!(
                        "SRAM capacity exceeded: `buf_matmul` with k = {k} needs {strip} bytes for two transposed \
                         strips of `a`, ending at byte {end}; a PE has {sram} bytes of SRAM (pe.sram_bytes) of which the \
                         compiler keeps {} for staging and spills",
                        reserved_bytes(machine)
                    )));
                }
                next = align(end as u32, 64);
                a_strip
            }
            None => next,
        };
        let load_staging = next;
        // Each staging area holds a vector of 64-bit elements.
        let store_staging = load_staging + 2 * v;
        let pointers = store_staging + 2 * v;
        let load_desc = align(pointers + v, 64);
        let store_desc = load_desc + DESCRIPTOR_BYTES as u32;
        let tail_store_desc = store_desc + DESCRIPTOR_BYTES as u32;
        let pe_first = tail_store_desc + DESCRIPTOR_BYTES as u32;
        let gather_run = pe_first + 4;
        let shared = align(gather_run + 20, 64);
        let spill_base = shared + SHARED_BYTES;
        let end = spill_base + SPILL_BYTES;
        if end > sram {
            return Err(CompileError::new(format!(
                "SRAM capacity exceeded: local memory ({local_mem} bytes), mask buffers and the compiler's staging need {end} bytes, \
                 but a PE has {sram} (pe.sram_bytes)"
            )));
        }
        Ok(MemoryMap {
            local_mem,
            buffers,
            a_strip,
            load_staging,
            store_staging,
            pointers,
            load_desc,
            store_desc,
            tail_store_desc,
            pe_first,
            gather_run,
            shared,
            spill_base,
            end,
        })
    }

    /// Spill slot `n` (4-byte units) as an absolute address.
    pub fn spill_slot(&self, n: usize, bytes: usize) -> CResult<u32> {
        let addr = self.spill_base as usize + 4 * n;
        if addr + bytes > (self.spill_base + SPILL_BYTES) as usize {
            return Err(CompileError::new(format!(
                "register spills need more than the {SPILL_BYTES} bytes of spill space"
            )));
        }
        Ok(addr as u32)
    }
}

/// The `if` regions enclosing `op`, outermost first: (the `if`, which region).
fn branch_path(f: &Function, op: Op) -> Vec<(Op, usize)> {
    let mut path = Vec::new();
    let mut block = f.op(op).parent;
    while let Some(b) = block {
        let Some(owner) = f.blocks[b].parent else {
            break;
        };
        let d = f.op(owner);
        if d.opcode == Opcode::If {
            let region = d.regions.iter().position(|&r| r == b).unwrap_or(0);
            path.push((owner, region));
        }
        block = d.parent;
    }
    path.reverse();
    path
}

/// The `if` regions enclosing every use of buffer `v` (the common prefix
/// of its uses' paths; allocs themselves sit at the top of the kernel).
fn uses_path(f: &Function, v: Value) -> Vec<(Op, usize)> {
    let mut common: Option<Vec<(Op, usize)>> = None;
    for op in f.all_ops() {
        if !f.op(op).operands.contains(&v) {
            continue;
        }
        let path = branch_path(f, op);
        common = Some(match common {
            None => path,
            Some(c) => c
                .iter()
                .zip(&path)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    common.unwrap_or_default()
}

/// Whether two ops sit in different regions of one `if`, so that they never
/// run in the same pass through it: their buffers may share bytes. (Mask
/// buffers get their own bytes otherwise; kernel versions made by
/// `version-wraps` would each add theirs.)
fn exclusive(a: &[(Op, usize)], b: &[(Op, usize)]) -> bool {
    a.iter()
        .zip(b)
        .find(|(x, y)| x != y)
        .is_some_and(|(x, y)| x.0 == y.0)
}

fn align(x: u32, a: u32) -> u32 {
    x.div_ceil(a) * a
}

#[cfg(test)]
mod tests {
    use super::*;
    use persim_lang::ir::parse_function;

    #[test]
    fn mask_buffers_of_different_branches_share_bytes() {
        // `%2` and `%3` are used only in the two branches of one `if`;
        // `%4` both before it and in a branch, so it is live with either.
        let f = parse_function(
            "kernel @k(%0 c: i1) attrs {lanes = 16, local_mem = 64} {
              %2 = alloc {ty = buf<16xi1>, offset = 0} : buf<16xi1>
              %3 = alloc {ty = buf<16xi1>, offset = 16} : buf<16xi1>
              %4 = alloc {ty = buf<16xi1>, offset = 32} : buf<16xi1>
              %5 = const {value = 0, ty = i32} : i32
              %6 = const {value = true, ty = i1} : i1
              %7 = splat %6 {shape = [16]} : tile<16xi1>
              buf_store %4, %5, %7
              if %0 {
                buf_store %2, %5, %7
                buf_store %4, %5, %7
                yield
              } {
                buf_store %3, %5, %7
                yield
              }
              return
            }",
        )
        .unwrap();
        let map = MemoryMap::new(&f, &Machine::default_model()).unwrap();
        let addr = |i: usize| {
            map.buffers[&f
                .block_ops(f.body)
                .iter()
                .map(|&o| f.op(o).results[0])
                .nth(i)
                .unwrap()]
                .addr
        };
        assert_eq!(addr(0), addr(1), "exclusive branches share");
        assert_ne!(addr(2), addr(0));
        assert_ne!(addr(2), addr(1));
    }
}
