//! The compiler from lowered IR to the spatial machine.
//!
//! # Bird's-eye view
//!
//! ```text
//!  lowered Function + launch (grid, argument words, placement)
//!    │ memory_map.rs   SRAM layout: local memory (the IR's offsets), mask
//!    │                 buffers, staging vectors, DMA descriptor templates, spills
//!    ▼ isel/           instruction selection → VCode (virtual registers, CFG
//!    │                 with block parameters): arithmetic, local buffers,
//!    │                 global accesses as DMA transfers, structured control
//!    │                 flow as branches, a loop over the PE's program instances,
//!    │                 `buf_matmul` as `mop.f32` outer products (isel/matmul/)
//!    ▼ dce.rs          drop scalar arithmetic nothing reads (folded indices)
//!    ▼ cfg.rs          drop unreachable blocks, split critical edges
//!    ▼ regalloc.rs     regalloc2 (Ion) → machine instructions, spills to SRAM
//!    ▼ schedule.rs     list scheduling of each block into VLIW bundles with
//!    │                 the machine's exposed latencies and slot counts
//!    ▼ assemble.rs     block layout, branch targets, counted innermost loops
//!    │                 as hardware loops (`loop`) → PeProgram
//!  Program (the same code on every PE of the placement) + memory image
//!  (per-PE descriptor templates and first-instance word)
//! ```
//!
//! [`compile`] turns a lowered function and the launch's argument words
//! into a [`CompiledProgram`]; running it is [`super::launch`]'s job.
//!
//! Program instances reach PEs through an [`InstanceMap`]: round-robin over
//! a list of tiles (PE `p` runs instances `p, p + P, p + 2P, ...`), or an
//! explicit list per tile (what the launch path's annealed placement
//! produces), kept in an SRAM table after the spill slots. Either way a PE
//! runs its instances in sequence, reusing its SRAM.
//!
//! **Invariant:** no register value is in flight across a block boundary
//! (the scheduler lets every result land before the terminator's successor
//! starts), so blocks are scheduled independently and the simulator never
//! reports an early read or a write-order violation on compiled code.

mod assemble;
mod cfg;
mod dce;
pub mod error;
pub mod handoff;
pub mod isel;
mod layout;
pub mod memory_map;
pub mod regalloc;
mod remat;
mod rename;
pub mod schedule;
pub mod share;
pub mod vcode;

use persim_lang::ir::Function;
use persim_lang::target::{IssueModel, Target};

pub use error::CompileError;
pub use memory_map::MemoryMap;
pub use regalloc::AllocStats;

use self::isel::{InstanceSet, IselInput};
use crate::spatial::coord::TileCoord;
use crate::spatial::machine::Machine;
use crate::spatial::program::Program;
use crate::spatial::sim::dma::Descriptor;

/// The shim a PE's `tail` copies out go through: its column's, or in
/// every other row the mirrored column's. Those copies are a blocked
/// matmul's result leaving in blocks at the end of the run, when every
/// shim's write port is saturated from its column's first block on, so
/// the run ends when the column whose blocks come last is done. The
/// shared panels travel their chains from column 0, so the far columns'
/// blocks come up to a few hundred cycles later; with half of each
/// column's PEs writing through the mirrored column's shim, every shim
/// serves one early and one late column. The 1024³ matmul of `sim_bench`:
/// 82 823 → 82 543 cycles, its tutorial form 83 389 → 82 639. Every
/// other write keeps its column's shim: mirrored, the bandwidth-bound
/// kernels lost 1–3.5% (softmax 34 717 → 35 100, vector add 51 442 →
/// 53 192, axpy 50 158 → 51 586) to the longer routes.
pub fn tail_write_shim(machine: &Machine, tile: TileCoord) -> TileCoord {
    let cols = machine.grid.cols as u8;
    let col = if tile.row.is_multiple_of(2) {
        cols - 1 - tile.col
    } else {
        tile.col
    };
    TileCoord::new(col, 0)
}

/// The mid-end's view of `machine`: its vector width, and its SRAM minus
/// what the compiler keeps for staging, descriptors and spills, so that
/// `pack-buffers` reports an overflow naming the tile that does not fit.
pub fn target(machine: &Machine) -> Target {
    Target {
        name: "spatial",
        lanes: machine.lanes(),
        vector_registers: machine.pe.vector_registers,
        local_mem_bytes: Some(u64::from(
            machine.pe.sram_bytes - memory_map::reserved_bytes(machine),
        )),
        pow2_rows: false,
        matmul_op: true,
        dot_fma: false,
        bulk_copies: true,
        affine_tiles: true,
        // 8 copies of an innermost body (from 4: softmax 1024x1000 38 159
        // -> 36 059 cycles, vector add 2^20 52 952 -> 51 748, matmul 1024^3
        // 97 149 -> 96 680; 16 was slower for softmax). Masks spill (`mst`),
        // so masked bodies take 8 too.
        unroll: 8,
        // Unrolled by a multiple of 4, the rotation of four accumulators is
        // renaming only, and the list scheduler overlaps four fold chains.
        reduce_chains: 4,
        // The DMA copies take a row's bound whole (`bulk-copies`), and the
        // unroller wants constant trip counts.
        // The result tile's tail after the last product overlaps the last
        // step (1024^3 matmul: 92 128 -> 88 976 cycles).
        early_write_out: true,
        mask_tails: false,
        prefetch_programs_ahead: 0,
        prefetch_other_programs: false,
        modulo: Some(issue_model(machine)),
    }
}

/// The PE's issue slots and latencies as `modulo-schedule` sees them.
fn issue_model(machine: &Machine) -> IssueModel {
    use crate::spatial::isa::SlotKind;
    let l = &machine.latency;
    IssueModel {
        scalar_slots: machine.slot_count(SlotKind::Scalar),
        load_slots: machine.slot_count(SlotKind::Load),
        store_slots: machine.slot_count(SlotKind::Store),
        vector_slots: machine.slot_count(SlotKind::VectorAlu),
        scalar_latency: l.scalar_alu,
        scalar_mul_latency: l.scalar_mul,
        load_latency: l.load,
        vector_int_latency: l.vector_alu,
        vector_fp_latency: l.vector_fp,
        vector_special_latency: l.vector_special,
        vector_reduce_latency: l.vector_reduce,
        max_stages: 8,
        max_cost_percent: 90,
    }
}

/// Which PE runs which program instance (instances are linear indices,
/// axis 0 fastest).
#[derive(Clone, Copy, Debug)]
pub enum InstanceMap<'a> {
    /// PE `p` of the list runs instances `p, p + P, p + 2P, ...`.
    RoundRobin(&'a [TileCoord]),
    /// Each listed tile runs its instances in the given order; together
    /// the lists name every instance exactly once. The lists occupy
    /// `4 · len` bytes of SRAM after the compiler's layout
    /// ([`MemoryMap::end`]).
    Listed(&'a [(TileCoord, Vec<u32>)]),
}

/// What a launch contributes to compilation.
#[derive(Clone, Debug)]
pub struct Launch<'a> {
    /// Program instances per grid axis.
    pub grid: [u32; 3],
    /// Per parameter: an off-chip byte address or a scalar's bits (all 64 of
    /// an `i64`/`u64`/`f64`, else the 32 its register holds).
    pub arg_words: &'a [u64],
    pub instances: InstanceMap<'a>,
}

/// SRAM bytes one PE starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SramInit {
    pub tile: TileCoord,
    pub addr: u32,
    pub bytes: Vec<u8>,
}

/// The result of compilation: the program, the SRAM image and figures.
#[derive(Clone, Debug)]
pub struct CompiledProgram {
    pub program: Program,
    pub sram: Vec<SramInit>,
    pub map: MemoryMap,
    pub alloc: AllocStats,
    /// Bundles of the (shared) PE program.
    pub bundles: usize,
    /// Instructions of the PE program (`nop` excluded).
    pub insts: usize,
    /// The `assert`/`print` sites its `dbg` instructions name.
    pub debug_sites: Vec<crate::abi::DebugSite>,
}

/// The default placement: every compute PE, row-major from `(0,1)`.
pub fn default_placement(machine: &Machine) -> Vec<TileCoord> {
    let mut tiles = Vec::new();
    for row in 1..=machine.grid.rows {
        for col in 0..machine.grid.cols {
            tiles.push(TileCoord::new(col as u8, row as u8));
        }
    }
    tiles
}

/// Compiles lowered `f` for `machine` and one launch.
pub fn compile(
    f: &Function,
    machine: &Machine,
    launch: &Launch<'_>,
) -> Result<CompiledProgram, CompileError> {
    compile_linked(f, machine, launch, &Handoffs::default())
}

/// A kernel's hand-offs in a graph launch (`handoff.rs`): its sites and
/// each PE's slot states.
#[derive(Clone, Debug, Default)]
pub struct Handoffs {
    pub plan: handoff::HandoffPlan,
    /// `(tile, slot, state)`: the bytes of a slot's state on a PE.
    pub states: Vec<(TileCoord, usize, Vec<u8>)>,
}

/// [`compile`] for a kernel of a graph launch whose tensors `handoffs`
/// move PE to PE. Hand-offs and shared panels take state slots and locks
/// from the same pool: the hand-offs' slots follow the shared streams'
/// ([`first_handoff_slot`]).
pub fn compile_linked(
    f: &Function,
    machine: &Machine,
    launch: &Launch<'_>,
    handoffs: &Handoffs,
) -> Result<CompiledProgram, CompileError> {
    let total: u64 = launch.grid.iter().map(|&g| u64::from(g)).product();
    let total = u32::try_from(total)
        .ok()
        .filter(|&t| t > 0 && t < i32::MAX as u32)
        .ok_or_else(|| {
            CompileError::new(format!("a grid of {total} instances is not supported"))
        })?;
    let map = MemoryMap::new(f, machine)?;
    // Per used PE: its tile and the SRAM word at `pe_first`.
    let (pes, instances): (Vec<(TileCoord, u32)>, InstanceSet) = match launch.instances {
        InstanceMap::RoundRobin(tiles) => {
            check_tiles(machine, tiles.iter().copied())?;
            let used = tiles.len().min(total as usize);
            let pes = (0..used).map(|i| (tiles[i], i as u32)).collect();
            let set = InstanceSet::Strided {
                step: used as u32,
                total,
            };
            (pes, set)
        }
        InstanceMap::Listed(lists) => {
            check_tiles(machine, lists.iter().map(|(t, _)| *t))?;
            check_lists(machine, &map, lists, total)?;
            let pes = lists.iter().map(|(t, l)| (*t, l.len() as u32)).collect();
            (pes, InstanceSet::Listed { table: map.end })
        }
    };
    // Shared panels need every instance on its own PE (`share.rs`).
    let plan = share::SharePlan::new(f, launch.grid, machine);
    let linked = !handoffs.plan.sites.is_empty();
    let roles = match positions(launch.instances, total) {
        Some(at) if !plan.is_empty() => share::roles(&plan, &at, machine.grid.cols),
        _ => Vec::new(),
    };
    let shared = (!roles.is_empty()).then_some(&plan);
    let mut code = isel::select(
        f,
        IselInput {
            machine,
            map: &map,
            arg_words: launch.arg_words,
            grid: launch.grid,
            instances,
            shared,
            handoffs: linked.then_some(&handoffs.plan),
        },
    )?;
    dce::remove_dead_scalar_ops(&mut code);
    cfg::clean(&mut code);
    let (mut blocks, alloc) = remat::allocate(&mut code, machine, &map)?;
    rename::rename_vectors(&mut blocks, machine.pe.vector_registers);
    let trips: Vec<Option<u32>> = code.blocks.iter().map(|b| b.trips).collect();
    let (blocks, trips) = layout::lay_out(blocks, trips);
    let pe = assemble::assemble(machine, &blocks, &trips, regalloc::loop_register(machine));
    let bundles = pe.bundles.len();
    let insts = pe.inst_count();
    let mut program = Program::new();
    let mut sram = Vec::new();
    for (index, &(tile, first)) in pes.iter().enumerate() {
        program.tiles.insert(tile, pe.clone());
        let shim = TileCoord::new(tile.col, 0);
        let load = Descriptor::copy(shim, 0, tile, map.load_staging, 4);
        let store = Descriptor::copy(tile, map.store_staging, shim, 0, 4);
        let tail = Descriptor::copy(
            tile,
            map.store_staging,
            tail_write_shim(machine, tile),
            0,
            4,
        );
        sram.push(SramInit {
            tile,
            addr: map.load_desc,
            bytes: load.to_bytes().to_vec(),
        });
        sram.push(SramInit {
            tile,
            addr: map.store_desc,
            bytes: store.to_bytes().to_vec(),
        });
        sram.push(SramInit {
            tile,
            addr: map.tail_store_desc,
            bytes: tail.to_bytes().to_vec(),
        });
        for (s, roles) in roles.iter().enumerate() {
            if let Some(&role) = roles.get(&tile) {
                sram.push(SramInit {
                    tile,
                    addr: map.shared + s as u32 * share::STREAM_BYTES,
                    bytes: share::stream_state(
                        s,
                        tile,
                        role,
                        role.downstream
                            .and_then(|d| roles.get(&d))
                            .is_some_and(|r| r.downstream.is_some()),
                    ),
                });
            }
        }
        for (_, slot, bytes) in handoffs.states.iter().filter(|s| s.0 == tile) {
            sram.push(SramInit {
                tile,
                addr: map.shared + *slot as u32 * share::STREAM_BYTES,
                bytes: bytes.clone(),
            });
        }
        sram.push(SramInit {
            tile,
            addr: map.pe_first,
            bytes: first.to_le_bytes().to_vec(),
        });
        if let InstanceMap::Listed(lists) = launch.instances {
            let bytes = lists[index]
                .1
                .iter()
                .flat_map(|i| i.to_le_bytes())
                .collect();
            sram.push(SramInit {
                tile,
                addr: map.end,
                bytes,
            });
        }
    }
    program.validate(machine).map_err(|e| {
        CompileError::new(format!(
            "internal error: the compiled program is invalid: {e}"
        ))
    })?;
    Ok(CompiledProgram {
        program,
        sram,
        map,
        alloc,
        bundles,
        insts,
        debug_sites: code.debug_sites,
    })
}

/// The first state slot free for hand-offs in `f` launched over `grid`:
/// after the shared-panel streams it may have, which take the slots from 0.
pub fn first_handoff_slot(f: &Function, grid: [u32; 3], machine: &Machine) -> usize {
    share::SharePlan::new(f, grid, machine).streams.len()
}

/// Per instance: the PE that runs it and its index in that PE's list.
fn positions(instances: InstanceMap<'_>, total: u32) -> Option<Vec<(TileCoord, u32)>> {
    match instances {
        InstanceMap::RoundRobin(tiles) => {
            let n = tiles.len() as u32;
            (n > 0).then(|| {
                (0..total)
                    .map(|i| (tiles[(i % n) as usize], i / n))
                    .collect()
            })
        }
        InstanceMap::Listed(lists) => {
            let mut at = vec![None; total as usize];
            for (tile, list) in lists {
                for (k, &i) in list.iter().enumerate() {
                    *at.get_mut(i as usize)? = Some((*tile, k as u32));
                }
            }
            at.into_iter().collect()
        }
    }
}

/// Every tile is a compute tile of `machine`, listed once.
fn check_tiles(
    machine: &Machine,
    tiles: impl Iterator<Item = TileCoord>,
) -> Result<(), CompileError> {
    let mut seen: Vec<TileCoord> = Vec::new();
    for (i, t) in tiles.enumerate() {
        if t.is_shim()
            || u32::from(t.col) >= machine.grid.cols
            || u32::from(t.row) > machine.grid.rows
        {
            return Err(CompileError::new(format!(
                "placement entry {i}: {t} is not a compute tile"
            )));
        }
        if seen.contains(&t) {
            return Err(CompileError::new(format!(
                "placement entry {i}: {t} is listed twice"
            )));
        }
        seen.push(t);
    }
    if seen.is_empty() {
        return Err(CompileError::new("the placement names no PE"));
    }
    Ok(())
}

/// The lists name each of the `total` instances exactly once, and each
/// list fits the SRAM left after the compiler's layout.
fn check_lists(
    machine: &Machine,
    map: &MemoryMap,
    lists: &[(TileCoord, Vec<u32>)],
    total: u32,
) -> Result<(), CompileError> {
    let mut owner: Vec<Option<TileCoord>> = vec![None; total as usize];
    for (tile, list) in lists {
        let end = u64::from(map.end) + 4 * list.len() as u64;
        if end > u64::from(machine.pe.sram_bytes) {
            return Err(CompileError::new(format!(
                "the instance list of {tile} ({} instances) ends at SRAM byte {end}; a PE has {} (pe.sram_bytes)",
                list.len(),
                machine.pe.sram_bytes
            )));
        }
        for &i in list {
            let slot = owner.get_mut(i as usize).ok_or_else(|| {
                CompileError::new(format!(
                    "{tile} lists instance {i}, but the grid has {total}"
                ))
            })?;
            if let Some(other) = slot.replace(*tile) {
                return Err(CompileError::new(format!(
                    "instance {i} is listed on both {other} and {tile}"
                )));
            }
        }
    }
    if let Some(i) = owner.iter().position(Option::is_none) {
        return Err(CompileError::new(format!(
            "instance {i} is on no PE of the placement"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shim_takes_the_tail_of_one_near_and_one_far_column() {
        let machine = Machine::default_model();
        let cols = machine.grid.cols as u8;
        let mut served = vec![Vec::new(); cols as usize];
        for col in 0..cols {
            for row in 1..=machine.grid.rows as u8 {
                let shim = tail_write_shim(&machine, TileCoord::new(col, row));
                assert_eq!(shim.row, 0, "({col},{row}) writes through a shim");
                served[shim.col as usize].push(col);
            }
        }
        for (shim, cols_served) in served.iter().enumerate() {
            let far = cols - 1 - shim as u8;
            assert_eq!(cols_served.len(), machine.grid.rows as usize, "shim {shim}");
            assert!(
                cols_served.iter().all(|&c| c == shim as u8 || c == far),
                "shim {shim} serves {cols_served:?}"
            );
            assert!(
                cols_served.contains(&far),
                "shim {shim} serves {cols_served:?}"
            );
        }
    }
}
