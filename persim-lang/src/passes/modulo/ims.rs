//! The minimum initiation interval and Rau's iterative modulo scheduler.

use super::ddg::{Edge, Graph};
use super::Slot;
use crate::target::IssueModel;

/// A modulo schedule: the initiation interval and each node's cycle within
/// one iteration (the first node at cycle 0).
#[derive(Clone, Debug)]
pub(crate) struct Schedule {
    pub ii: i64,
    pub cycle: Vec<i64>,
}

impl Schedule {
    pub fn stages(&self) -> u32 {
        let last = self.cycle.iter().copied().max().unwrap_or(0);
        (last / self.ii + 1) as u32
    }

    pub fn stage(&self, node: usize) -> i64 {
        self.cycle[node] / self.ii
    }
}

/// Placements per node the scheduler may make at one `II` before trying
/// the next (Rau's budget ratio).
const BUDGET_PER_NODE: usize = 6;

/// Resource-constrained lower bound: the busiest slot kind's uses per
/// cycle.
pub fn res_mii_of(nodes: &[(Option<Slot>, u32)], model: &IssueModel) -> i64 {
    Slot::ALL
        .iter()
        .map(|&s| {
            let uses = nodes.iter().filter(|n| n.0 == Some(s)).count() as u64;
            uses.div_ceil(u64::from(s.count(model))) as i64
        })
        .max()
        .unwrap_or(1)
        .max(1)
}

/// The longest path from each node to any sink, with edge weights
/// `latency − ii · distance`; `None` if a cycle has positive weight (then
/// no schedule has this `ii`).
fn heights(g: &Graph, ii: i64) -> Option<Vec<i64>> {
    let n = g.nodes.len();
    let mut h: Vec<i64> = g.nodes.iter().map(|&(_, l)| i64::from(l)).collect();
    for round in 0..=n {
        let mut changed = false;
        for e in &g.edges {
            let through = h[e.dst] + e.latency - ii * e.distance;
            if through > h[e.src] {
                h[e.src] = through;
                changed = true;
            }
        }
        if !changed {
            return Some(h);
        }
        if round == n {
            break;
        }
    }
    None
}

/// Recurrence-constrained lower bound: the least `ii` at which no
/// dependence cycle has positive weight.
pub fn rec_mii_of(g: &Graph, from: i64) -> i64 {
    let upper: i64 = g.edges.iter().map(|e| e.latency.max(0)).sum::<i64>().max(1);
    let mut ii = from.max(1);
    while ii < upper && heights(g, ii).is_none() {
        ii += 1;
    }
    ii
}

/// Cycles a block of the graph's nodes takes when list-scheduled as the
/// backend does (cycle by cycle, highest first, as slots allow), until its
/// last result lands: the backend lets every value land before a block's
/// branch. `edges` order the ops within the block (acyclic; their
/// distances are ignored).
pub(crate) fn list_length(g: &Graph, model: &IssueModel, edges: &[Edge]) -> i64 {
    let n = g.nodes.len();
    let mut height: Vec<i64> = g.nodes.iter().map(|&(_, l)| i64::from(l)).collect();
    for _ in 0..n {
        let mut changed = false;
        for e in edges {
            if height[e.dst] + e.latency > height[e.src] {
                height[e.src] = height[e.dst] + e.latency;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut time: Vec<Option<i64>> = vec![None; n];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(height[i]), i));
    let mut placed = 0;
    let mut cycle = 0i64;
    while placed < n {
        let mut used = [0u32; 4];
        for &i in &order {
            if time[i].is_some() {
                continue;
            }
            let ready = edges
                .iter()
                .filter(|e| e.dst == i)
                .all(|e| time[e.src].is_some_and(|t| t + e.latency <= cycle));
            let slot = g.nodes[i].0;
            let free = slot.is_none_or(|s| {
                let k = Slot::ALL.iter().position(|&x| x == s).expect("a slot kind");
                used[k] < s.count(model)
            });
            if ready && free {
                if let Some(s) = slot {
                    used[Slot::ALL.iter().position(|&x| x == s).expect("a slot kind")] += 1;
                }
                time[i] = Some(cycle);
                placed += 1;
            }
        }
        cycle += 1;
    }
    (0..n)
        .map(|i| time[i].unwrap_or(0) + i64::from(g.nodes[i].1))
        .max()
        .unwrap_or(0)
}

/// Iterative modulo scheduling from `MII` up to the length of one
/// iteration scheduled alone (beyond it, pipelining gains nothing).
pub(crate) fn schedule(g: &Graph, model: &IssueModel) -> Option<Schedule> {
    let mii = rec_mii_of(g, res_mii_of(&g.nodes, model));
    let flat: i64 = g
        .nodes
        .iter()
        .map(|&(_, l)| i64::from(l))
        .sum::<i64>()
        .max(1);
    (mii..flat).find_map(|ii| schedule_at(g, model, ii))
}

fn schedule_at(g: &Graph, model: &IssueModel, ii: i64) -> Option<Schedule> {
    let n = g.nodes.len();
    let height = heights(g, ii)?;
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, e) in g.edges.iter().enumerate() {
        preds[e.dst].push(k);
        succs[e.src].push(k);
    }
    let slots = |s: Slot| s.count(model) as usize;
    // The modulo reservation table: per slot kind and cycle mod ii, the
    // nodes issued there.
    let mut mrt: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); ii as usize]; Slot::ALL.len()];
    let kind = |s: Slot| Slot::ALL.iter().position(|&k| k == s).expect("a slot kind");
    let mut cycle: Vec<Option<i64>> = vec![None; n];
    let mut last_tried: Vec<Option<i64>> = vec![None; n];
    let mut budget = n * BUDGET_PER_NODE;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(height[i]), i));
    let unscheduled = |cycle: &[Option<i64>]| order.iter().copied().find(|&i| cycle[i].is_none());
    while let Some(op) = unscheduled(&cycle) {
        if budget == 0 {
            return None;
        }
        budget -= 1;
        let estart = preds[op]
            .iter()
            .filter_map(|&k| {
                let e = &g.edges[k];
                cycle[e.src].map(|t| t + e.latency - ii * e.distance)
            })
            .max()
            .unwrap_or(0)
            .max(0);
        let slot = g.nodes[op].0;
        let free = |t: i64, mrt: &Vec<Vec<Vec<usize>>>| {
            slot.is_none_or(|s| mrt[kind(s)][t.rem_euclid(ii) as usize].len() < slots(s))
        };
        let t = (estart..estart + ii)
            .find(|&t| free(t, &mrt))
            .unwrap_or(match last_tried[op] {
                Some(prev) if prev >= estart => prev + 1,
                _ => estart,
            });
        last_tried[op] = Some(t);
        // Evict what conflicts: an op holding the slot, and scheduled
        // neighbours whose dependences `op` at `t` would break.
        if let Some(s) = slot {
            let row = &mut mrt[kind(s)][t.rem_euclid(ii) as usize];
            if row.len() >= slots(s) {
                let victim = row.remove(0);
                cycle[victim] = None;
            }
        }
        for &k in &succs[op] {
            let e = &g.edges[k];
            if let Some(ts) = cycle[e.dst] {
                if e.dst != op && ts < t + e.latency - ii * e.distance {
                    unschedule(e.dst, &mut cycle, &mut mrt, g, ii, kind);
                }
            }
        }
        for &k in &preds[op] {
            let e = &g.edges[k];
            if let Some(tp) = cycle[e.src] {
                if e.src != op && t < tp + e.latency - ii * e.distance {
                    unschedule(e.src, &mut cycle, &mut mrt, g, ii, kind);
                }
            }
        }
        cycle[op] = Some(t);
        if let Some(s) = slot {
            mrt[kind(s)][t.rem_euclid(ii) as usize].push(op);
        }
    }
    let cycle: Vec<i64> = cycle.into_iter().map(|t| t.expect("all placed")).collect();
    let first = cycle.iter().copied().min().unwrap_or(0);
    let cycle = cycle.into_iter().map(|t| t - first).collect();
    let s = Schedule { ii, cycle };
    debug_assert!(valid(g, model, &s));
    Some(s)
}

fn unschedule(
    node: usize,
    cycle: &mut [Option<i64>],
    mrt: &mut [Vec<Vec<usize>>],
    g: &Graph,
    ii: i64,
    kind: impl Fn(Slot) -> usize,
) {
    if let Some(t) = cycle[node].take() {
        if let Some(s) = g.nodes[node].0 {
            mrt[kind(s)][t.rem_euclid(ii) as usize].retain(|&x| x != node);
        }
    }
}

/// Every dependence and every slot count holds.
pub(crate) fn valid(g: &Graph, model: &IssueModel, s: &Schedule) -> bool {
    let deps = g
        .edges
        .iter()
        .all(|e| s.cycle[e.dst] >= s.cycle[e.src] + e.latency - s.ii * e.distance);
    let slots = Slot::ALL.iter().all(|&k| {
        (0..s.ii).all(|r| {
            let used = (0..g.nodes.len())
                .filter(|&i| g.nodes[i].0 == Some(k) && s.cycle[i].rem_euclid(s.ii) == r)
                .count();
            used <= k.count(model) as usize
        })
    });
    deps && slots
}
