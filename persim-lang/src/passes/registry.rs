//! Every mid-end pass by name, for pipelines, file tests and dumps.

use crate::ir::Function;
use crate::target::Target;

/// A pass: a free function over the IR, with a name.
pub struct Pass {
    pub name: &'static str,
    pub run: fn(&mut Function, &Target) -> Result<(), String>,
    /// True if this pass produces lowered IR (verified by `verify_lowered`
    /// from here on).
    pub lowers: bool,
    pub doc: &'static str,
}

pub static PASSES: &[Pass] = &[
    Pass {
        name: "canonicalize",
        run: |f, _| {
            super::canonicalize::canonicalize(f);
            Ok(())
        },
        lowers: false,
        doc: "fold constants, apply algebraic identities, simplify constant control flow",
    },
    Pass {
        name: "prove-masks",
        run: |f, _| {
            super::masks::prove_masks(f);
            Ok(())
        },
        lowers: false,
        doc: "replace integer comparisons decided by range analysis with constants",
    },
    Pass {
        name: "dce",
        run: |f, _| {
            super::dce::dce(f);
            Ok(())
        },
        lowers: false,
        doc: "remove unused ops without side effects",
    },
    Pass {
        name: "cse",
        run: |f, _| {
            super::cse::cse(f);
            Ok(())
        },
        lowers: false,
        doc: "merge identical movable ops",
    },
    Pass {
        name: "licm",
        run: |f, _| {
            super::licm::licm(f);
            Ok(())
        },
        lowers: false,
        doc: "hoist loop-invariant movable ops out of loops",
    },
    Pass {
        name: "fuse-loops",
        run: |f, _| {
            super::fuse::fuse_loops(f);
            Ok(())
        },
        lowers: false,
        doc: "fuse adjacent loops over one iteration space whose dependences have distance 0",
    },
    Pass {
        name: "prefetch-next-programs",
        run: |f, t| {
            super::prefetch::prefetch_next_programs(f, t);
            Ok(())
        },
        lowers: false,
        doc: "prefetch the tiles the next programs load: outside loops, in row loops, in a row's first walk (hosts)",
    },
    Pass {
        name: "prefetch-in-compute-loops",
        run: |f, _| {
            super::prefetch_in_compute::prefetch_in_compute_loops(f);
            Ok(())
        },
        lowers: false,
        doc: "move a prefetch out of a loop that waits on memory into a sibling loop over the same space that only computes",
    },
    Pass {
        name: "early-write-out",
        run: |f, t| {
            super::early_write_out::early_write_out(f, t);
            Ok(())
        },
        lowers: false,
        doc: "peel a matmul loop's last step and write its result out in blocks of rows as that step finishes them",
    },
    Pass {
        name: "interleave-three-final-steps",
        run: |f, t| {
            super::interleave_three_final_steps::interleave_three_final_steps(f, t);
            Ok(())
        },
        lowers: false,
        doc: "run a matmul's last three steps' products block by block before the write-out, the last step's tiles fetched a step early into buffers of their own and freed rows",
    },
    Pass {
        name: "interleave-final-steps",
        run: |f, t| {
            super::interleave_final_steps::interleave_final_steps(f, t);
            Ok(())
        },
        lowers: false,
        doc: "run the second-to-last matmul step's product block by block, each just before the last step's block of the same rows",
    },
    Pass {
        name: "fetch-last-operand-early",
        run: |f, t| {
            super::fetch_last_operand_early::fetch_last_operand_early(f, t);
            Ok(())
        },
        lowers: false,
        doc: "start the last matmul step's b copy in the middle of the third-to-last step, into a buffer of its own",
    },
    Pass {
        name: "split-mask-tails",
        run: |f, t| {
            super::mask_tails::split_mask_tails(f, t);
            Ok(())
        },
        lowers: false,
        doc: "split a loop masked by `iv + lane < bound` into an unmasked main loop and a masked tail (hosts)",
    },
    Pass {
        name: "bulk-copies",
        run: |f, t| {
            super::bulk::bulk_copies(f, t);
            Ok(())
        },
        lowers: false,
        doc: "turn a loop's contiguous global loads/stores into one copy before/after it (DMA targets)",
    },
    Pass {
        name: "version-wraps",
        run: |f, t| {
            super::version_wraps::version_wraps(f, t);
            Ok(())
        },
        lowers: false,
        doc: "split the kernel on `(s + arange) % m` not wrapping, so that the index tile stays affine (affine-tile targets)",
    },
    Pass {
        name: "double-buffer",
        run: |f, t| {
            super::double_buffer::double_buffer(f, t);
            Ok(())
        },
        lowers: false,
        doc: "double-buffer a loop's copies: start the next copy in, leave the copy out in flight (DMA targets)",
    },
    Pass {
        name: "unroll-loops",
        run: |f, t| {
            super::unroll::unroll_loops(f, t);
            Ok(())
        },
        lowers: false,
        doc: "unroll short innermost loops with constant trip counts (statically scheduled targets)",
    },
    Pass {
        name: "modulo-schedule",
        run: |f, t| {
            super::modulo::modulo_schedule(f, t);
            Ok(())
        },
        lowers: false,
        doc: "software-pipeline innermost loops by iterative modulo scheduling (statically scheduled targets)",
    },
    Pass {
        name: "rematerialize",
        run: |f, _| {
            super::remat::rematerialize(f);
            Ok(())
        },
        lowers: false,
        doc: "recompute loads of buffers filled by a short pure function of the chunk index",
    },
    Pass {
        name: "forward-stores",
        run: |f, _| {
            super::forward::forward_stores(f);
            Ok(())
        },
        lowers: false,
        doc: "replace buffer loads of values stored or loaded earlier in the same block",
    },
    Pass {
        name: "dead-buffers",
        run: |f, _| {
            super::dead_buffers::dead_buffers(f);
            Ok(())
        },
        lowers: false,
        doc: "delete local buffers that are never read, with their stores; shrink local_mem",
    },
    Pass {
        name: "dead-stores",
        run: |f, _| {
            super::dead_stores::dead_stores(f);
            Ok(())
        },
        lowers: false,
        doc: "delete a loop's stores into a local buffer whose elements nothing reads afterwards",
    },
    Pass {
        name: "lower-tiles",
        run: |f, t| {
            *f = super::lower::lower_tiles(f, t).map_err(|e| e.to_string())?;
            Ok(())
        },
        lowers: true,
        doc: "lower tile ops to loops of target-width vectors over local buffers, in place \
              where no later read needs the old value",
    },
    Pass {
        name: "pack-buffers",
        run: |f, t| super::pack_buffers::pack_buffers(f, t).map_err(|e| e.to_string()),
        lowers: true,
        doc: "pack local buffers into shared memory by liveness; check the target's capacity",
    },
];

pub fn pass_by_name(name: &str) -> Option<&'static Pass> {
    PASSES.iter().find(|p| p.name == name)
}
