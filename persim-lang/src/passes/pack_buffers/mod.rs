//! `pack-buffers`: give the buffers of lowered IR offsets in local memory so
//! that buffers live at different times share bytes, record the bytes one
//! program instance needs in `local_mem`, and refuse a function that does
//! not fit the target's local memory.
//!
//! # Liveness rule
//!
//! Ops are numbered in program order ([`Function::walk`]: an op, then the
//! ops of its regions). The live interval of a buffer is the smallest range
//! of positions that contains
//!
//! - every `buf_load`, `buf_store`, `copy_in`, `copy_out` and `copy_gather`
//!   of the buffer
//!   (each reads or writes the buffer's elements where it stands), and
//! - the whole of every `for` or `while` that contains one of them and lies
//!   inside the block of the buffer's `alloc` (the loop's own position
//!   through the last position of its regions).
//!
//! A buffer with any other use escapes this reasoning and is live
//! throughout; a buffer without uses is live at its `alloc` only. Buffers
//! whose intervals are disjoint may share bytes; `assign` chooses the
//! offsets.
//!
//! # Why this is sound
//!
//! Sharing is wrong only if some buffer `b` is written between a write `W`
//! of buffer `a` and a read `R` of `a` that should see `W`'s data, at a byte
//! both use. Structured control flow runs ops in increasing position, except
//! that a loop starting its next iteration (a `while` also going from its
//! after-region back to its before-region) jumps back to its first
//! position, without leaving its own span. So the ops that run between `W`
//! and `R` lie between their positions, or inside a loop that iterates in
//! between and contains `W` or `R` — a loop containing neither is entered
//! and left between them. If that loop contains the `alloc` too, the
//! `alloc` runs again between `W` and `R`; by the lowered-IR contract
//! (`ARCHITECTURE.md`) a buffer's data does not outlive a new run of its
//! `alloc` — the lowering puts the buffer of a tile made in a loop body in
//! that body and writes it before reading it in every iteration — so `R`
//! does not need `W`'s data. Otherwise every position that runs between
//! them is in `a`'s interval, and `b`'s accesses would be too: the
//! intervals would not be disjoint.
//!
//! Positions ignore which branch of an `if` runs, and a loop is live as a
//! whole even for a buffer used in one iteration only: both cost memory,
//! never correctness. Reuse *within* an iteration comes from the lowering's
//! in-place writes and from buffers made inside the loop body.
//!
//! # Capacity
//!
//! With a bounded target ([`Target::local_mem_bytes`]) the packed peak must
//! fit; otherwise the pass fails at the program point of highest pressure,
//! naming the largest tile live there with its source location, and the
//! other buffers live there. The function is left unchanged on error.
//! [`local_memory_report`] reads the result.

mod assign;
mod capacity;
mod liveness;
mod report;

pub use capacity::PackError;
pub use report::{human_bytes, local_memory_report, BufferReport, LocalMemReport};

use crate::ir::{Attr, Function};
use crate::target::Target;
use assign::{assign, Request};
use liveness::buffer_lives;

/// Pack the buffers of lowered `f` by liveness (see the module doc), set
/// every `alloc`'s `offset` and the function's `local_mem`, and check the
/// target's capacity. Idempotent: the offsets depend only on the buffers'
/// sizes and lifetimes.
pub fn pack_buffers(f: &mut Function, target: &Target) -> Result<(), PackError> {
    if f.attrs.get("lanes").is_none() {
        return Err(PackError {
            location: format!("kernel `{}`", f.name),
            message: "`pack-buffers` needs lowered IR (no `lanes` attribute); run `lower-tiles` \
                      first"
                .into(),
        });
    }
    let lives = buffer_lives(f);
    let requests: Vec<Request> = lives
        .iter()
        .map(|l| Request {
            bytes: l.bytes,
            live: l.live,
        })
        .collect();
    let (offsets, peak) = assign(&requests);
    if let Some(capacity) = target.local_mem_bytes.filter(|&c| peak > c) {
        return Err(capacity::exceeded(
            f, &lives, &offsets, peak, capacity, target,
        ));
    }
    for (l, &offset) in lives.iter().zip(&offsets) {
        let offset = i64::try_from(offset).map_err(|_| PackError {
            location: f.describe_loc(f.ops[l.alloc].loc),
            message: format!("buffer offset {offset} does not fit an i64"),
        })?;
        f.ops[l.alloc].attrs.set("offset", Attr::Int(offset));
    }
    let peak = i64::try_from(peak).map_err(|_| PackError {
        location: format!("kernel `{}`", f.name),
        message: format!("{peak} bytes of local memory do not fit an i64"),
    })?;
    f.attrs.set("local_mem", Attr::Int(peak));
    Ok(())
}
