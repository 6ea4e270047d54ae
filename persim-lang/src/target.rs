//! What the mid-end needs to know of a target: a description, not a backend.

/// Parameters of a target that shape lowering and bufferization.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    /// Short name for diagnostics and dumps (`cranelift`, `llvm`, `spatial`).
    pub name: &'static str,
    /// Elements per hardware vector after lowering (for 32-bit elements).
    pub lanes: u32,
    /// Number of vector registers: sizes the register blocks of lowered
    /// `dot` loops (half of them hold accumulators).
    pub vector_registers: u32,
    /// Local memory of one program instance in bytes; `None` means unbounded
    /// (host targets use heap scratch).
    pub local_mem_bytes: Option<u64>,
    /// Pad the rows of every buffer to a power of two elements (at least
    /// one vector), for targets whose address generation wants shifts
    /// instead of multiplies or whose banks interleave on power-of-two
    /// strides. Off by default: it costs memory and buys nothing on hosts.
    pub pow2_rows: bool,
    /// Lower an all-`f32` `dot` whose `M` and `N` are multiples of `lanes`
    /// to one `buf_matmul` op on local buffers (a target with a matrix unit
    /// selects it as a whole) instead of loops of vector multiply-adds.
    pub matmul_op: bool,
    /// Each multiply-add step of a lowered `dot` is one `fma` (rounded
    /// once) instead of a rounded product and a rounded sum: for hosts with
    /// fused multiply-add, where it doubles the peak (Triton's `dot` on
    /// GPUs fuses as well). Results then differ from the interpreter's
    /// `dot` by rounding, within the conformance suite's tolerances.
    pub dot_fma: bool,
    /// Loads and stores of a loop that walk contiguous memory become one
    /// `copy_in` before the loop / `copy_out` after it (`bulk-copies`), for
    /// targets that reach global memory through a DMA engine, where one
    /// large transfer costs about what one vector's transfer does.
    pub bulk_copies: bool,
    /// Unroll innermost loops up to this many times (`unroll-loops`; 1 =
    /// off): for statically scheduled cores (VLIW) whose scheduler only
    /// overlaps work within a block. Hosts leave it to their compiler.
    pub unroll: u32,
    /// Keep index and pointer tiles that are affine in the tile indices
    /// (`arange`, `splat`, `+ - *` by scalars, `ptr_add`, broadcasts) as
    /// formulas instead of buffers: each reader computes its chunk, so a
    /// pointer tile costs no local memory and its loads show the walk
    /// (`bulk-copies` then moves whole rows). For targets whose local
    /// memory is small or whose global accesses want the walk visible.
    pub affine_tiles: bool,
    /// Independent accumulators an innermost reduction folds its chunks
    /// into (chunk `c` into accumulator `c mod n`, combined pairwise at the
    /// end), so an out-of-order core overlaps `n` fold chains instead of
    /// waiting out one op's latency per chunk. Exact for `max`/`min`; float
    /// sums and products then round in a different order (within the
    /// conformance tolerances). 1 keeps one chain.
    pub reduce_chains: u32,
    /// Peel a matmul `k` loop's last step and write the result tile out in
    /// blocks of rows as that step finishes them (`early-write-out`; needs
    /// `matmul_op` and `bulk_copies`): for a DMA target whose result copy
    /// would otherwise be a tail after the last product. Off where a
    /// result tile must leave in one copy (the spatial kernel graph's
    /// hand-offs).
    pub early_write_out: bool,
    /// Split a vector loop masked by `iv + lane < bound` into a main loop
    /// without the mask and a tail with it (`split-mask-tails`): for hosts,
    /// where each masked chunk pays for its mask. Off for DMA targets,
    /// whose copies take the bound whole.
    pub mask_tails: bool,
    /// How many programs ahead `prefetch-next-programs` prefetches each
    /// program-indexed global load (0: never). For hosts, whose workers
    /// run consecutive programs one after another: the loads of program
    /// `pid + n` are hinted while `pid` computes, so a row-per-program
    /// kernel's next rows stream in behind its arithmetic.
    pub prefetch_programs_ahead: u32,
    /// Whether those hints may name another program's rows: the rows of
    /// the programs `n` on (a row per program, or a persistent loop's
    /// last rows), whose hint is the next program's. Off, only a
    /// persistent loop's own rows `n` iterations on are hinted, and at
    /// its last rows the hint names the current row (for a store, the
    /// current output row, read for ownership before the store loop).
    /// Consecutive programs walk consecutive rows, one stream through
    /// memory; cores whose hardware prefetchers follow it lose by the
    /// hints (AMD Zen, ARCHITECTURE.md, "Performance gaps (LLVM backend)").
    pub prefetch_other_programs: bool,
    /// The issue model `modulo-schedule` software-pipelines innermost
    /// loops with; `None` leaves loops alone (hosts: their out-of-order
    /// cores overlap iterations themselves).
    pub modulo: Option<IssueModel>,
}

/// What `modulo-schedule` knows of a statically scheduled core: issue slots
/// per cycle by kind and result latencies by op class, in cycles. The
/// spatial backend fills it from its machine descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IssueModel {
    pub scalar_slots: u32,
    pub load_slots: u32,
    pub store_slots: u32,
    pub vector_slots: u32,
    pub scalar_latency: u32,
    pub scalar_mul_latency: u32,
    pub load_latency: u32,
    pub vector_int_latency: u32,
    pub vector_fp_latency: u32,
    /// Division, square root, `exp`, `log` and the other special functions.
    pub vector_special_latency: u32,
    pub vector_reduce_latency: u32,
    /// Most stages a pipelined loop may have (each stage's values stay live
    /// one more iteration).
    pub max_stages: u32,
    /// A loop is pipelined when its estimated cycles pipelined are at most
    /// this percentage of its cycles as it is (90: a 10% gain at least;
    /// tests take a large value to pipeline every loop they can).
    pub max_cost_percent: u32,
}

impl Target {
    /// The Cranelift JIT: 128-bit SIMD, i.e. 4 lanes of 32 bits.
    pub fn cranelift() -> Target {
        Target {
            name: "cranelift",
            lanes: 4,
            vector_registers: 16,
            local_mem_bytes: None,
            pow2_rows: false,
            matmul_op: false,
            dot_fma: false,
            bulk_copies: false,
            unroll: 1,
            affine_tiles: false,
            reduce_chains: 1,
            early_write_out: false,
            mask_tails: true,
            prefetch_programs_ahead: 2,
            prefetch_other_programs: true,
            modulo: None,
        }
    }

    /// This target with buffer rows padded to powers of two (see
    /// [`Target::pow2_rows`]).
    pub fn with_pow2_rows(self, on: bool) -> Target {
        Target {
            pow2_rows: on,
            ..self
        }
    }

    /// The LLVM backend on a host whose vectors hold `lanes` 32-bit
    /// elements (16 with AVX-512, 8 with AVX2, 4 with SSE or NEON): one
    /// lowered vector is one hardware register for 32-bit data.
    pub fn llvm_host(lanes: u32) -> Target {
        Target {
            name: "llvm",
            lanes,
            vector_registers: if lanes >= 16 { 32 } else { 16 },
            local_mem_bytes: None,
            pow2_rows: false,
            matmul_op: false,
            dot_fma: false,
            bulk_copies: false,
            unroll: 1,
            // Tiles as formulas: a carried pointer tile (Triton's
            // `a_ptrs += BLOCK_K * stride`) costs no 8-byte pointer per
            // element to load, test for contiguity and advance each step.
            affine_tiles: true,
            // A vector add's or max's latency is 3–4 cycles on current
            // x86 and Arm cores, with two such ops issued per cycle.
            reduce_chains: 4,
            early_write_out: false,
            mask_tails: true,
            // Two rows ahead: a 4 KB softmax row's prefetch then has a
            // whole row of arithmetic to land behind (in a fixed-distance
            // trial one row ahead gained less, four no more).
            prefetch_programs_ahead: 2,
            prefetch_other_programs: true,
            modulo: None,
        }
    }

    /// This target with `dot` fused or not (see [`Target::dot_fma`]).
    pub fn with_dot_fma(self, on: bool) -> Target {
        Target {
            dot_fma: on,
            ..self
        }
    }

    /// This target with block copies or not (see [`Target::bulk_copies`]).
    /// Block copies take a row's bound whole, so they turn
    /// [`Target::mask_tails`] off.
    pub fn with_bulk_copies(self, on: bool) -> Target {
        Target {
            bulk_copies: on,
            mask_tails: self.mask_tails && !on,
            ..self
        }
    }

    /// This target with affine tiles kept as formulas or not (see
    /// [`Target::affine_tiles`]).
    pub fn with_affine_tiles(self, on: bool) -> Target {
        Target {
            affine_tiles: on,
            ..self
        }
    }

    /// This target with loops unrolled up to `factor` times (see
    /// [`Target::unroll`]).
    pub fn with_unroll(self, factor: u32) -> Target {
        Target {
            unroll: factor,
            ..self
        }
    }

    /// This target prefetching `n` programs ahead (see
    /// [`Target::prefetch_programs_ahead`]).
    pub fn with_prefetch_programs_ahead(self, n: u32) -> Target {
        Target {
            prefetch_programs_ahead: n,
            ..self
        }
    }

    /// This target with hints of other programs' rows or not (see
    /// [`Target::prefetch_other_programs`]).
    pub fn with_prefetch_other_programs(self, on: bool) -> Target {
        Target {
            prefetch_other_programs: on,
            ..self
        }
    }

    /// This target with early write-out or not (see
    /// [`Target::early_write_out`]).
    pub fn with_early_write_out(self, on: bool) -> Target {
        Target {
            early_write_out: on,
            ..self
        }
    }

    /// This target with mask tails split or not (see [`Target::mask_tails`]).
    pub fn with_mask_tails(self, on: bool) -> Target {
        Target {
            mask_tails: on,
            ..self
        }
    }

    /// This target with innermost loops modulo-scheduled for `model` (see
    /// [`Target::modulo`]).
    pub fn with_modulo(self, model: Option<IssueModel>) -> Target {
        Target {
            modulo: model,
            ..self
        }
    }

    /// This target with `n` reduction chains (see [`Target::reduce_chains`]).
    pub fn with_reduce_chains(self, n: u32) -> Target {
        Target {
            reduce_chains: n.max(1),
            ..self
        }
    }

    /// This target with `bytes` of local memory per program instance, which
    /// `pack-buffers` then enforces: for a target whose memory is
    /// configured, and for tests of capacity errors.
    pub fn with_local_mem(self, bytes: u64) -> Target {
        Target {
            local_mem_bytes: Some(bytes),
            ..self
        }
    }
}
