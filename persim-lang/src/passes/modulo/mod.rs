//! Iterative modulo scheduling of innermost loops (`modulo-schedule`), for
//! statically scheduled targets (`Target::modulo`).
//!
//! The spatial core issues bundles in order with exposed latencies, and its
//! list scheduler only overlaps work within a block: one iteration of a
//! loop body waits out its whole dependence chain (load, arithmetic,
//! `exp`, store) before the branch, even unrolled. Software pipelining
//! overlaps iterations instead: iteration `i + 2` loads while `i + 1`
//! computes and `i` stores.
//!
//! The pass follows Rau's iterative modulo scheduling ("Iterative Modulo
//! Scheduling", 1994), on the lowered IR, where the dependences are exact:
//! SSA values, carried values (`yield` → block argument, distance 1), and
//! local-buffer accesses whose indices are `iv + c` (so the distance at
//! which two accesses can touch the same element is known; `ddg.rs`).
//! The issue model (slots per cycle by kind and latencies by op class)
//! comes from the target (`ims.rs`):
//!
//! 1. `MII = max(ResMII, RecMII)`: the busiest issue slot kind's ops per
//!    cycle, and the longest recurrence's latency per iteration of
//!    distance (found as the smallest `II` without a positive cycle of
//!    `latency − II · distance`).
//! 2. From `II = MII` up: ops by height (the longest path to the end of the
//!    iteration at this `II`), each placed at the first cycle from its
//!    earliest start whose slot is free in the modulo reservation table
//!    (`cycle mod II`), else forced in and its conflicts evicted, within a
//!    budget of placements.
//! 3. Stage of an op = `cycle / II`. The loop becomes a prologue (the
//!    first `S − 1` iterations' early stages), a kernel loop running all
//!    `S` stages of `N − S + 1` iterations (stage `s` of iteration
//!    `k + S − 1 − s` in kernel step `k`), and an epilogue (`emit.rs`).
//!    Values that live across steps are carried by the kernel's block
//!    arguments (modulo variable expansion on SSA).
//!
//! Within a step the ops are emitted in the order of their cycles modulo
//! `II`: every dependence is satisfied by the schedule's absolute cycles,
//! and each has a latency of at least one cycle, so that order respects
//! them all. The backend's list scheduler then packs each step's ops into
//! bundles; what the modulo schedule decides is which iteration each op
//! works on.
//!
//! Loops qualify when innermost, with constant bounds and step, at least
//! as many iterations as stages, only pure ops and local-buffer accesses
//! in the body (no global memory, DMA, atomics or debug ops), and body
//! results as their yields. A schedule of one stage (nothing to overlap),
//! more than `IssueModel::max_stages` stages, more carried vectors than
//! half the vector registers, or no estimated gain (`profitable`: the
//! list scheduler already overlaps the copies of an unrolled body) leaves
//! the loop as it is. The kernel loop is marked `stages = S`.

mod ddg;
mod emit;
mod ims;

use super::rewrite::for_loops;
use crate::ir::{Dtype, Function, Op, Opcode, Type};
use crate::target::{IssueModel, Target};

pub fn modulo_schedule(f: &mut Function, target: &Target) {
    let Some(model) = target.modulo else {
        return;
    };
    for lp in for_loops(f) {
        let Some(lp_plan) = ddg::Loop::analyze(f, lp, &model) else {
            continue;
        };
        let Some(schedule) = ims::schedule(&lp_plan.graph, &model) else {
            continue;
        };
        let stages = schedule.stages();
        if stages < 2 || stages > model.max_stages || lp_plan.trips < i64::from(stages) {
            continue;
        }
        let (carried, shifts) = emit::carried_vectors(f, &lp_plan, &schedule);
        if !emit::supported(f, &lp_plan, &schedule) || carried > target.vector_registers / 2 {
            continue;
        }
        if !profitable(&lp_plan, &schedule, shifts, &model) {
            continue;
        }
        emit::pipeline(f, &lp_plan, &schedule);
    }
}

/// Whether the pipelined loop is estimated to take at most
/// `IssueModel::max_cost_percent` of the cycles of the loop as it is. The
/// backend list-schedules each block and lets every result land before
/// the branch, so an iteration of the loop as it is costs its body's list
/// schedule ([`ims::list_length`]) with its dependences of distance 0, and
/// a kernel step the same body with the dependences inside one step. A
/// value read one step after it is made stays in one register, which its
/// next instance overwrites: the reader issues no later than that write
/// (an anti-dependence), or, where the write must come first, a register
/// move is needed, as for every value shifting from one history slot to
/// the next (moves take vector slots). The prologue and epilogue together
/// cost about `S − 1` iterations of the loop as it is.
fn profitable(lp: &ddg::Loop, s: &ims::Schedule, shifts: u32, m: &IssueModel) -> bool {
    const BRANCH: i64 = 3;
    let g = &lp.graph;
    let flat_edges: Vec<ddg::Edge> = g
        .edges
        .iter()
        .filter(|e| e.distance == 0)
        .cloned()
        .collect();
    let flat = ims::list_length(g, m, &flat_edges) + BRANCH;
    let steps = |e: &ddg::Edge| s.stage(e.dst) - s.stage(e.src) + e.distance;
    let mut step_edges: Vec<ddg::Edge> =
        g.edges.iter().filter(|e| steps(e) == 0).cloned().collect();
    let mut moves = i64::from(shifts);
    for e in g.edges.iter().filter(|e| steps(e) == 1 && e.src != e.dst) {
        if reaches(&step_edges, e.src, e.dst) {
            moves += 1;
        } else {
            step_edges.push(ddg::Edge {
                src: e.dst,
                dst: e.src,
                latency: 0,
                distance: 0,
            });
        }
    }
    let step = ims::list_length(g, m, &step_edges) + BRANCH;
    let moves = moves.div_euclid(i64::from(Slot::Vector.count(m)));
    let stages = i64::from(s.stages());
    let pipelined = (step + moves) * (lp.trips - stages + 1) + flat * (stages - 1);
    let flat = flat * lp.trips;
    100 * pipelined <= i64::from(m.max_cost_percent) * flat
}

/// Whether `to` is reachable from `from` along `edges`.
fn reaches(edges: &[ddg::Edge], from: usize, to: usize) -> bool {
    let mut seen = std::collections::HashSet::from([from]);
    let mut work = vec![from];
    while let Some(x) = work.pop() {
        if x == to {
            return true;
        }
        for e in edges.iter().filter(|e| e.src == x) {
            if seen.insert(e.dst) {
                work.push(e.dst);
            }
        }
    }
    false
}

/// The issue slot kinds of [`IssueModel`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    Scalar,
    Load,
    Store,
    Vector,
}

impl Slot {
    pub(crate) const ALL: [Slot; 4] = [Slot::Scalar, Slot::Load, Slot::Store, Slot::Vector];

    pub(crate) fn count(self, m: &IssueModel) -> u32 {
        match self {
            Slot::Scalar => m.scalar_slots,
            Slot::Load => m.load_slots,
            Slot::Store => m.store_slots,
            Slot::Vector => m.vector_slots,
        }
        .max(1)
    }
}

/// The slot an op issues in (`None`: it costs no issue slot, as a constant
/// the backend folds into an immediate) and its result latency (at least
/// one cycle, so that the order within a kernel step follows the cycles).
pub(crate) fn cost(f: &Function, op: Op, m: &IssueModel) -> (Option<Slot>, u32) {
    let d = f.op(op);
    let tile = d
        .results
        .first()
        .or(d.operands.get(2))
        .is_some_and(|&v| f.ty(v).is_tile());
    let float = d
        .operands
        .first()
        .or(d.results.first())
        .and_then(|&v| f.ty(v).dtype())
        .is_some_and(Dtype::is_float);
    let constant = |v: &crate::ir::Value| {
        f.def_op(*v)
            .is_some_and(|o| f.op(o).opcode == Opcode::Const)
    };
    let (slot, latency) = match d.opcode {
        Opcode::Const => (None, 1),
        // `x + c` on a scalar is an address's immediate offset.
        Opcode::Add if !tile && d.operands.iter().any(constant) => (None, m.scalar_latency),
        Opcode::BufLoad => (Some(Slot::Load), m.load_latency),
        Opcode::BufStore => (Some(Slot::Store), 1),
        Opcode::Reduce => (Some(Slot::Vector), m.vector_reduce_latency),
        Opcode::Div
        | Opcode::Rem
        | Opcode::Sqrt
        | Opcode::Rsqrt
        | Opcode::Exp
        | Opcode::Log
        | Opcode::Sin
        | Opcode::Cos
        | Opcode::Erf
            if tile =>
        {
            (Some(Slot::Vector), m.vector_special_latency)
        }
        Opcode::Mul | Opcode::Div | Opcode::Rem if !tile => {
            (Some(Slot::Scalar), m.scalar_mul_latency)
        }
        _ if !tile => (Some(Slot::Scalar), m.scalar_latency),
        _ if float => (Some(Slot::Vector), m.vector_fp_latency),
        _ => (Some(Slot::Vector), m.vector_int_latency),
    };
    (slot, latency.max(1))
}

/// Whether `ty` is held in a vector register.
pub(crate) fn is_vector(ty: &Type) -> bool {
    ty.is_tile()
}
