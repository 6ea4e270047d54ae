//! The error when packed buffers do not fit the target's local memory: it
//! names the largest tile live where the pressure is highest, where it
//! comes from, and what else is live there.

use super::liveness::BufferLife;
use super::report::{human_bytes, max_live_within};
use crate::ir::Function;
use crate::target::Target;
use std::cmp::Reverse;
use std::fmt;

/// `pack-buffers` could not do its job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    /// `file:line:col` of the op the offending buffer is for, or
    /// `kernel `name`` when the fault is not one buffer's.
    pub location: String,
    pub message: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for PackError {}

/// How many other live buffers the message lists by name.
const LISTED: usize = 6;

/// The error for buffers placed at `offsets` that need `peak` bytes, more
/// than the target's `capacity`.
///
/// It points at the program point of highest pressure: where the most bytes
/// are live, if that alone exceeds the capacity; otherwise (the packing
/// left holes) the worst point in the lifetime of the buffer placed
/// highest. It names the largest buffer live there and lists the others.
pub(super) fn exceeded(
    f: &Function,
    lives: &[BufferLife],
    offsets: &[u64],
    peak: u64,
    capacity: u64,
    target: &Target,
) -> PackError {
    let (max_live, mut point) = max_live_within(lives, None);
    if max_live <= capacity {
        let top = (0..lives.len()).max_by_key(|&i| (offsets[i] + lives[i].bytes, Reverse(i)));
        if let Some(top) = top {
            point = max_live_within(lives, Some(lives[top].live)).1;
        }
    }
    let mut here: Vec<&BufferLife> = lives.iter().filter(|l| l.live.contains(point)).collect();
    // Largest first; among equals, the earliest made.
    here.sort_by_key(|l| (Reverse(l.bytes), l.live.start));
    let sizes = format!(
        "peak {} > capacity {} (target {})",
        human_bytes(peak),
        human_bytes(capacity),
        target.name
    );
    let Some((culprit, others)) = here.split_first() else {
        return PackError {
            location: format!("kernel `{}`", f.name),
            message: format!("local memory exceeded: {sizes}"),
        };
    };
    let mut live_here: Vec<String> = others
        .iter()
        .take(LISTED)
        .map(|l| {
            format!(
                "{} ({}) from {}",
                describe(f, l),
                human_bytes(l.bytes),
                f.describe_loc(f.ops[l.alloc].loc)
            )
        })
        .collect();
    if others.len() > LISTED {
        live_here.push(format!("and {} more", others.len() - LISTED));
    }
    if live_here.is_empty() {
        live_here.push("nothing else".into());
    }
    let loc = f.ops[culprit.alloc].loc;
    PackError {
        location: if loc.is_known() {
            f.describe_loc(loc)
        } else {
            format!("kernel `{}`", f.name)
        },
        message: format!(
            "local memory exceeded: {} ({}) does not fit; {sizes}; live here: {}",
            describe(f, culprit),
            human_bytes(culprit.bytes),
            live_here.join(", ")
        ),
    }
}

/// The tile a buffer holds if the `alloc` records it, else the buffer type.
fn describe(f: &Function, l: &BufferLife) -> String {
    match f.ops[l.alloc].attrs.ty("tile") {
        Some(t) => t.to_string(),
        None => f.ty(l.buf).to_string(),
    }
}
