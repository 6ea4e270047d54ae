//! The inliner: `call`s of device functions replaced by copies of their
//! bodies, bottom-up, under a size threshold.
//!
//! Device functions (`#[persim::func]`) reach the mid-end as functions of a
//! [`Module`] called with `call`. No backend calls device functions today:
//! the mid-end works on one call-free kernel at a time, and the spatial
//! target has no call stack at all. So [`inline_calls`] runs on the whole
//! module before the per-function pipeline
//! ([`Pipeline::run_module`](super::Pipeline::run_module)):
//!
//! 1. `verify_module` (calls match their callees' signatures);
//! 2. the call graph in bottom-up order (callees first); a cycle is an error
//!    located at the call that closes it, since inlining a recursive call
//!    never ends (`callgraph`);
//! 3. in that order, every call whose callee (already inlined into itself)
//!    has at most [`InlineOptions::threshold`] ops is replaced by a copy of
//!    the callee's body (`splice`);
//! 4. device functions no remaining call reaches are dropped.
//!
//! The threshold is the knob of every inliner: callees above it stay calls.
//! Because nothing downstream can lower a call yet, the standard pipeline
//! uses [`InlineOptions::ALL`] and `run_module` reports a call that stays
//! as an error naming the callee, its size and the threshold; a backend that
//! can call functions will lower the calls that stay instead.

mod callgraph;
mod splice;

use crate::ir::{verify_module, Module};
use std::fmt;

/// Settings of the inliner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InlineOptions {
    /// Inline a call when its callee, after its own calls are inlined, has
    /// at most this many ops (all ops reachable from its body, the final
    /// `return` included).
    pub threshold: usize,
}

impl InlineOptions {
    /// Inline every call, whatever its callee's size.
    pub const ALL: InlineOptions = InlineOptions {
        threshold: usize::MAX,
    };
}

impl Default for InlineOptions {
    fn default() -> InlineOptions {
        InlineOptions::ALL
    }
}

/// What [`inline_calls`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InlineStats {
    /// Calls replaced by the callee's body.
    pub inlined: usize,
    /// Calls left in place because their callee is above the threshold, as
    /// (caller, callee, callee ops).
    pub kept: Vec<(String, String, usize)>,
    /// Device functions dropped because nothing calls them any more.
    pub dropped: Vec<String>,
}

/// Why inlining failed: a module that does not verify, or recursion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineError {
    pub message: String,
    /// `file:line:col` of the offending op, or `@function`.
    pub location: String,
    /// The function holding the offending op.
    pub function: String,
}

impl fmt::Display for InlineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for InlineError {}

/// Inline calls into every function of `m` (see the module docs).
pub fn inline_calls(m: &mut Module, options: &InlineOptions) -> Result<InlineStats, InlineError> {
    verify_module(m).map_err(|e| InlineError {
        message: format!("verifier: {}", e.message),
        location: e.location,
        function: String::new(),
    })?;
    let order = callgraph::bottom_up(m)?;
    let mut stats = InlineStats::default();
    for i in order {
        let calls = callgraph::calls(&m.funcs[i]);
        for (op, name) in calls {
            let Some(callee) = m.get(&name) else {
                unreachable!("verify_module checked every callee exists")
            };
            let size = callee.op_count();
            if size > options.threshold {
                stats.kept.push((m.funcs[i].name.clone(), name, size));
                continue;
            }
            // The callee is never the caller (no cycles), so a copy of it
            // lets the caller be borrowed mutably.
            let callee = callee.clone();
            splice::inline_call(&mut m.funcs[i], op, &callee);
            stats.inlined += 1;
        }
    }
    stats.dropped = drop_uncalled(m);
    Ok(stats)
}

/// The first `call` left in `f` (program order): its callee and location.
pub fn first_call(f: &crate::ir::Function) -> Option<(String, String)> {
    let (op, callee) = callgraph::calls(f).into_iter().next()?;
    Some((callee, f.describe_loc(f.op(op).loc)))
}

/// Remove device functions that no remaining call reaches from a kernel;
/// returns their names. A module without kernels keeps everything.
fn drop_uncalled(m: &mut Module) -> Vec<String> {
    use crate::ir::FuncKind;
    if !m.funcs.iter().any(|f| f.kind == FuncKind::Kernel) {
        return Vec::new();
    }
    let mut live: Vec<bool> = m.funcs.iter().map(|f| f.kind == FuncKind::Kernel).collect();
    let mut work: Vec<usize> = (0..m.funcs.len()).filter(|&i| live[i]).collect();
    while let Some(i) = work.pop() {
        for (_, name) in callgraph::calls(&m.funcs[i]) {
            if let Some(j) = m.funcs.iter().position(|f| f.name == name) {
                if !live[j] {
                    live[j] = true;
                    work.push(j);
                }
            }
        }
    }
    let mut dropped = Vec::new();
    let mut keep = live.into_iter();
    m.funcs.retain(|f| {
        let alive = keep.next().unwrap_or(true);
        if !alive {
            dropped.push(f.name.clone());
        }
        alive
    });
    dropped
}
