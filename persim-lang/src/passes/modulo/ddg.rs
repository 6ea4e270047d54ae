//! The loop a schedule is made for, and its dependence graph.
//!
//! Nodes are the body's ops (the `yield` aside). Edges say "`dst` of
//! iteration `i + distance` issues at least `latency` cycles after `src` of
//! iteration `i`":
//! - a value read by a later op of the body: distance 0, the producer's
//!   latency;
//! - a carried value (block argument `k` is what `yield` operand `k` was in
//!   the previous iteration): distance 1 from the yielded value's producer,
//!   or `r` when the yields rotate it through `r − 1` other arguments
//!   first (the rotating accumulators of `Target::reduce_chains`);
//! - two accesses to one local buffer, one of them a store, that can touch
//!   the same element: at the distances where they can, one cycle (a store
//!   is visible to the next). Indices affine in `iv` with the same
//!   coefficient and loop-invariant terms (`passes::affine`) give those
//!   distances exactly; other indices are taken to touch anything, which
//!   chains the two accesses in body order, iteration after iteration.

use std::collections::HashMap;

use super::super::affine::{affine_index, AffineIndex};
use super::{cost, Slot};
use crate::ir::{Function, Op, Opcode, Value};
use crate::target::IssueModel;

/// Farthest dependence distance recorded: the pass never makes more stages
/// than this, so longer distances cannot constrain a schedule.
const MAX_DISTANCE: i64 = 16;

#[derive(Clone, Debug)]
pub(crate) struct Edge {
    pub src: usize,
    pub dst: usize,
    pub latency: i64,
    pub distance: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct Graph {
    /// Per node: its issue slot (if any) and latency.
    pub nodes: Vec<(Option<Slot>, u32)>,
    pub edges: Vec<Edge>,
}

/// An innermost loop that can be pipelined.
pub(crate) struct Loop {
    pub op: Op,
    pub lo: i64,
    pub step: i64,
    pub trips: i64,
    /// The body's ops but the `yield`, in order (node `i` is `ops[i]`).
    pub ops: Vec<Op>,
    pub iv: Value,
    /// The node making each value of the body.
    pub node_of: HashMap<Value, usize>,
    /// Per carried block argument, in order.
    pub carried: Vec<Carried>,
    /// The instances of body values before the first iteration that
    /// carried arguments read: `(value, iteration < 0, initial value)`.
    pub before: Vec<(Value, i64, Value)>,
    pub graph: Graph,
}

/// A carried block argument: in iteration `j ≥ hops` it is `source` of
/// iteration `j − hops` (`source` is made by node `node`); before, one of
/// the loop's initial values ([`Loop::before`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Carried {
    pub arg: Value,
    pub source: Value,
    pub node: usize,
    pub hops: i64,
}

impl Loop {
    pub fn analyze(f: &Function, lp: Op, model: &IssueModel) -> Option<Loop> {
        let d = f.op(lp);
        if d.opcode != Opcode::For || d.attrs.get("stages").is_some() {
            return None;
        }
        let k = |i: usize| -> Option<i64> {
            let c = f.op(f.def_op(*d.operands.get(i)?)?);
            (c.opcode == Opcode::Const).then(|| c.attrs.int("value"))?
        };
        let (lo, hi, step) = (k(0)?, k(1)?, k(2)?);
        if step <= 0 || hi <= lo {
            return None;
        }
        let trips = (hi - lo + step - 1) / step;
        let body = d.regions[0];
        let args = f.block_args(body);
        let iv = *args.first()?;
        let all = f.block_ops(body);
        let (&last, ops) = all.split_last()?;
        if f.op(last).opcode != Opcode::Yield || ops.is_empty() {
            return None;
        }
        let allowed = |o: Op| {
            let od = f.op(o);
            od.regions.is_empty()
                && (matches!(od.opcode, Opcode::BufLoad | Opcode::BufStore)
                    || (super::super::effects::is_movable(f, o)
                        && !matches!(od.opcode, Opcode::Assume)))
        };
        if !ops.iter().all(|&o| allowed(o)) {
            return None;
        }
        let index: HashMap<Op, usize> = ops.iter().enumerate().map(|(i, &o)| (o, i)).collect();
        let producer = |v: Value| f.def_op(v).and_then(|o| index.get(&o).copied());
        // Follow each argument's yields back to a value of the body.
        let yields = &f.op(last).operands;
        let inits = &d.operands[3..];
        let position: HashMap<Value, usize> =
            args[1..].iter().enumerate().map(|(k, &a)| (a, k)).collect();
        let mut carried = Vec::new();
        let mut before: HashMap<(Value, i64), Value> = HashMap::new();
        for (k, &arg) in args[1..].iter().enumerate() {
            let mut chain = vec![k];
            let mut y = *yields.get(k)?;
            while let Some(&m) = position.get(&y) {
                if chain.len() > yields.len() {
                    return None;
                }
                chain.push(m);
                y = yields[m];
            }
            let node = producer(y)?;
            let hops = chain.len() as i64;
            // Iteration j < hops reads the initial value of chain[j]: the
            // source's instance of iteration j − hops.
            for (p, &c) in chain.iter().enumerate() {
                let init = inits[c];
                let slot = before.entry((y, p as i64 - hops)).or_insert(init);
                if *slot != init {
                    return None;
                }
            }
            carried.push(Carried {
                arg,
                source: y,
                node,
                hops,
            });
        }
        let carried_of: HashMap<Value, (usize, i64)> =
            carried.iter().map(|c| (c.arg, (c.node, c.hops))).collect();
        let mut before: Vec<(Value, i64, Value)> = before
            .into_iter()
            .map(|((v, j), init)| (v, j, init))
            .collect();
        before.sort_by_key(|&(v, j, _)| (v, j));

        let nodes: Vec<(Option<Slot>, u32)> = ops.iter().map(|&o| cost(f, o, model)).collect();
        let mut edges = Vec::new();
        for (u, &o) in ops.iter().enumerate() {
            for &x in &f.op(o).operands {
                if let Some(v) = producer(x) {
                    edges.push(Edge {
                        src: v,
                        dst: u,
                        latency: i64::from(nodes[v].1),
                        distance: 0,
                    });
                } else if let Some(&(w, hops)) = carried_of.get(&x) {
                    edges.push(Edge {
                        src: w,
                        dst: u,
                        latency: i64::from(nodes[w].1),
                        distance: hops,
                    });
                }
            }
        }
        memory_edges(f, ops, iv, step, &mut edges);
        Some(Loop {
            op: lp,
            lo,
            step,
            trips,
            ops: ops.to_vec(),
            iv,
            node_of: ops
                .iter()
                .enumerate()
                .flat_map(|(i, &o)| f.op(o).results.iter().map(move |&r| (r, i)))
                .collect(),
            carried,
            before,
            graph: Graph { nodes, edges },
        })
    }
}

/// Ordering edges between the body's accesses to one buffer.
fn memory_edges(f: &Function, ops: &[Op], iv: Value, step: i64, edges: &mut Vec<Edge>) {
    let body = ops.first().and_then(|&o| f.op(o).parent);
    // (node, buffer, is store, index, elements)
    let accesses: Vec<(usize, Value, bool, Option<AffineIndex>, i64)> = ops
        .iter()
        .enumerate()
        .filter_map(|(i, &o)| {
            let d = f.op(o);
            let (store, data) = match d.opcode {
                Opcode::BufLoad => (false, d.results[0]),
                Opcode::BufStore => (true, d.operands[2]),
                _ => return None,
            };
            let width = f.ty(data).numel().max(1) as i64;
            let index = body.and_then(|b| affine_index(f, d.operands[1], iv, b));
            Some((i, d.operands[0], store, index, width))
        })
        .collect();
    for (a, (x, bx, sx, ix, wx)) in accesses.iter().enumerate() {
        for (y, by, sy, iy, wy) in &accesses[a + 1..] {
            let (x, y, wx, wy) = (*x, *y, *wx, *wy);
            if bx != by || !(*sx || *sy) {
                continue;
            }
            // x precedes y in the body. x(i) → y(i + δ) for δ ≥ 0, and
            // y(i) → x(i + δ) for δ ≥ 1, wherever they can meet.
            let mut edge = |src, dst, distance| {
                edges.push(Edge {
                    src,
                    dst,
                    latency: 1,
                    distance,
                })
            };
            match (ix, iy) {
                (Some(p), Some(q)) if p.coef == q.coef && p.terms == q.terms => {
                    // x(i) touches [p.konst + coef·s·i, .. + wx), y(i + δ)
                    // from q.konst + coef·s·(i + δ): they meet when the
                    // ranges offset by coef·s·δ overlap.
                    let shift = i64::from(p.coef) * step;
                    let meets = |from: i64, w1: i64, to: i64, w2: i64, delta: i64| {
                        let to = to + shift * delta;
                        from < to + w2 && to < from + w1
                    };
                    let (px, qy) = (i64::from(p.konst), i64::from(q.konst));
                    for delta in 0..=MAX_DISTANCE {
                        if meets(px, wx, qy, wy, delta) {
                            edge(x, y, delta);
                        }
                        if delta >= 1 && meets(qy, wy, px, wx, delta) {
                            edge(y, x, delta);
                        }
                    }
                }
                _ => {
                    edge(x, y, 0);
                    edge(y, x, 1);
                }
            }
        }
    }
}
