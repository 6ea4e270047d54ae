//! Prologue, kernel and epilogue of a modulo-scheduled loop.
//!
//! Steps `σ = −S .. N − 1` run stage `s` of iteration `j = σ + S − 1 − s`
//! where `0 ≤ j < N`: steps below 0 are the prologue, `0 ..= N − S` the
//! kernel loop (every stage runs), the rest the epilogue. A value produced
//! by stage `s_v` and read by stage `s_u` of the same iteration is read
//! `s_u − s_v` steps after it was made; a carried value (read as a block
//! argument in iteration `j`, made by stage `s_w` in iteration `j − r`,
//! `r` the argument's hops) `s_u − s_w + r` steps after. Each value keeps
//! a history of its last instances, as deep as its farthest read:
//! straight-line values in the prologue and epilogue, the kernel's block
//! arguments in the loop. The loop's initial values enter the history as
//! the instances of iterations `−r .. −1` ([`Loop::before`]), in the steps
//! those would have run in (the first steps only do that).

use std::collections::HashMap;

use super::ddg::{Carried, Loop};
use super::ims::Schedule;
use crate::ir::{Attr, Attrs, Builder, Dtype, Function, Op, Opcode, Type, Value};

/// How many steps back each value is read (values read only in their own
/// step are absent).
fn depths(f: &Function, lp: &Loop, s: &Schedule) -> HashMap<Value, i64> {
    let stages = i64::from(s.stages());
    let node_of = &lp.node_of;
    let carried: HashMap<Value, Carried> = lp.carried.iter().map(|c| (c.arg, *c)).collect();
    let mut depth: HashMap<Value, i64> = HashMap::new();
    let mut need = |v: Value, d: i64| {
        if d > 0 {
            let e = depth.entry(v).or_insert(0);
            *e = (*e).max(d);
        }
    };
    for (u, &o) in lp.ops.iter().enumerate() {
        for &x in &f.op(o).operands {
            if let Some(&v) = node_of.get(&x) {
                if iv_offset(f, lp, lp.ops[v]).is_some() {
                    // Recomputed where it is read (see `Emitter::step`).
                    continue;
                }
                need(x, s.stage(u) - s.stage(v));
            } else if let Some(c) = carried.get(&x) {
                need(c.source, s.stage(u) - s.stage(c.node) + c.hops);
            }
        }
    }
    // The loop's results: the arguments of iteration N, after the last step.
    for c in &lp.carried {
        need(c.source, stages - 1 + c.hops - s.stage(c.node));
    }
    depth
}

/// Vector registers the kernel carries across its steps, and how many of
/// them shift from one history slot to the next (a register move each:
/// a value read one step later can stay in the register it was made in).
pub(super) fn carried_vectors(f: &Function, lp: &Loop, s: &Schedule) -> (u32, u32) {
    let vectors = depths(f, lp, s)
        .into_iter()
        .filter(|&(v, _)| super::is_vector(f.ty(v)))
        .map(|(_, d)| d as u32);
    vectors.fold((0, 0), |(all, shifts), d| (all + d, shifts + d - 1))
}

/// Whether every value the kernel carries has a type a placeholder
/// constant exists for (data, not pointers) and is not a mask tile: a core
/// has few mask registers (the spatial PE 7, which a body unrolled 8 times
/// already fills), and a carried mask that spills costs a store and a
/// load per step.
pub(super) fn supported(f: &Function, lp: &Loop, s: &Schedule) -> bool {
    depths(f, lp, s).keys().all(|&v| {
        let ty = f.ty(v);
        ty.dtype()
            .is_some_and(|d| !(d == Dtype::I1 && ty.is_tile()))
    })
}

/// Where a step is: a constant step index, or the kernel's step whose
/// first iteration's `iv` is this value.
#[derive(Clone, Copy)]
enum At {
    Step(i64),
    Kernel(Value),
}

struct Emitter<'l> {
    lp: &'l Loop,
    s: &'l Schedule,
    stages: i64,
    /// Nodes in the order a step issues them: by cycle modulo `II`.
    order: Vec<usize>,
    carried: HashMap<Value, Carried>,
    depth: HashMap<Value, i64>,
    /// Tracked values in a fixed order (the kernel's argument order).
    tracked: Vec<Value>,
}

type History = HashMap<Value, Vec<Option<Value>>>;

impl Emitter<'_> {
    /// Emits step `at` through `b`; returns the instances it made.
    fn step(&self, b: &mut Builder, at: At, hist: &History) -> HashMap<Value, Value> {
        let mut cur: HashMap<Value, Value> = HashMap::new();
        let iteration = |stage: i64| match at {
            At::Step(sigma) => Some(sigma + self.stages - 1 - stage),
            At::Kernel(_) => None,
        };
        // Instances of iterations before the first are initial values.
        for &(v, j, init) in &self.lp.before {
            if iteration(self.s.stage(self.lp.node_of[&v])) == Some(j) {
                cur.insert(v, init);
            }
        }
        for &u in &self.order {
            let su = self.s.stage(u);
            if let Some(j) = iteration(su) {
                if j < 0 || j >= self.lp.trips {
                    continue;
                }
            }
            let op = b.func.op(self.lp.ops[u]).clone();
            b.loc = op.loc;
            // `iv + c` is not made once and carried to later stages: each
            // reader makes its own for its iteration (below), so that the
            // addresses of every stage are the kernel's `iv` plus an
            // immediate offset (the backend then also knows which
            // accesses share an SRAM bank).
            if iv_offset(b.func, self.lp, self.lp.ops[u]).is_some() {
                continue;
            }
            let read = |v: Value, back: i64, cur: &HashMap<Value, Value>| -> Value {
                if back == 0 {
                    cur[&v]
                } else {
                    hist[&v][(back - 1) as usize].expect("a value read is made before")
                }
            };
            let mut operands = Vec::with_capacity(op.operands.len());
            for &x in &op.operands {
                let v = if x == self.lp.iv {
                    self.iv_of(b, at, su, 0)
                } else if let Some(c) = self
                    .lp
                    .node_of
                    .get(&x)
                    .and_then(|&v| iv_offset(b.func, self.lp, self.lp.ops[v]))
                {
                    self.iv_of(b, at, su, c)
                } else if let Some(&v) = self.lp.node_of.get(&x) {
                    read(x, su - self.s.stage(v), &cur)
                } else if let Some(c) = self.carried.get(&x) {
                    read(c.source, su - self.s.stage(c.node) + c.hops, &cur)
                } else {
                    x
                };
                operands.push(v);
            }
            let types = op.results.iter().map(|&r| b.func.ty(r).clone()).collect();
            let c = b.build_declared(op.opcode, &operands, op.attrs.clone(), &[], types);
            for (&old, &new) in op.results.iter().zip(&b.func.op(c).results.clone()) {
                cur.insert(old, new);
            }
        }
        cur
    }

    /// `iv + c` for the iteration stage `stage` works on in step `at`.
    fn iv_of(&self, b: &mut Builder, at: At, stage: i64, c: i64) -> Value {
        let ahead = (self.stages - 1 - stage) * self.lp.step + c;
        match at {
            At::Step(sigma) => {
                let j = sigma + self.stages - 1 - stage;
                b.const_i32((self.lp.lo + j * self.lp.step + c) as i32)
            }
            At::Kernel(kiv) if ahead == 0 => kiv,
            At::Kernel(kiv) => {
                let k = b.const_i32(ahead as i32);
                super::super::rewrite::value(b, Opcode::Add, &[kiv, k])
            }
        }
    }

    /// The history after a step that made `cur`.
    fn shift(&self, hist: &History, cur: &HashMap<Value, Value>) -> History {
        self.tracked
            .iter()
            .map(|&v| {
                let d = self.depth[&v] as usize;
                let mut h = Vec::with_capacity(d);
                h.push(cur.get(&v).copied());
                h.extend(hist[&v].iter().take(d - 1).copied());
                (v, h)
            })
            .collect()
    }

    /// The history's slots in kernel-argument order.
    fn slots<'h>(&self, hist: &'h History) -> impl Iterator<Item = (Value, Option<Value>)> + 'h {
        let order: Vec<Value> = self.tracked.clone();
        order
            .into_iter()
            .flat_map(move |v| hist[&v].iter().map(move |&x| (v, x)))
    }
}

/// Replaces `lp`'s loop by its software-pipelined form.
pub(super) fn pipeline(f: &mut Function, lp: &Loop, s: &Schedule) {
    let stages = i64::from(s.stages());
    let ii = s.ii;
    let mut order: Vec<usize> = (0..lp.ops.len()).collect();
    order.sort_by_key(|&i| (s.cycle[i].rem_euclid(ii), i));
    let loop_op = f.op(lp.op).clone();
    let depth = depths(f, lp, s);
    let mut tracked: Vec<Value> = depth.keys().copied().collect();
    tracked.sort_by_key(|v| (lp.node_of[v], *v));
    let em = Emitter {
        lp,
        s,
        stages,
        order,
        carried: lp.carried.iter().map(|c| (c.arg, *c)).collect(),
        depth,
        tracked,
    };
    let parent = loop_op.parent.expect("a loop sits in a block");
    let at = |f: &Function| super::super::rewrite::position(f, parent, lp.op);

    // Prologue.
    let mut hist: History = em
        .tracked
        .iter()
        .map(|&v| (v, vec![None; em.depth[&v] as usize]))
        .collect();
    let mut b = Builder::before(f, parent, at(f));
    b.loc = loop_op.loc;
    let first = lp.before.iter().map(|b| b.1).min().unwrap_or(-1);
    for sigma in (first - stages + 1)..0 {
        let cur = em.step(&mut b, At::Step(sigma), &hist);
        hist = em.shift(&hist, &cur);
    }
    // The kernel's initial arguments (placeholders for slots no kernel
    // step reads before they are made).
    let mut inits = Vec::new();
    let mut types = Vec::new();
    for (v, x) in em.slots(&hist) {
        let ty = b.func.ty(v).clone();
        inits.push(x.unwrap_or_else(|| zero(&mut b, &ty)));
        types.push(ty);
    }
    let kernel_trips = lp.trips - stages + 1;
    let lo = b.const_i32(lp.lo as i32);
    let hi = b.const_i32((lp.lo + kernel_trips * lp.step) as i32);
    let step = b.const_i32(lp.step as i32);

    // The kernel.
    let block = f.new_block();
    let kiv = f.add_block_arg(block, Type::scalar(Dtype::I32));
    let mut k_hist: History = HashMap::new();
    for &v in &em.tracked {
        let mut h = Vec::new();
        for _ in 0..em.depth[&v] {
            let ty = f.ty(v).clone();
            h.push(Some(f.add_block_arg(block, ty)));
        }
        k_hist.insert(v, h);
    }
    let mut kb = Builder::at_end(f, block);
    kb.loc = loop_op.loc;
    let cur = em.step(&mut kb, At::Kernel(kiv), &k_hist);
    let next = em.shift(&k_hist, &cur);
    let yields: Vec<Value> = em
        .slots(&next)
        .map(|(_, x)| x.expect("every stage runs in the kernel"))
        .collect();
    kb.build_declared(Opcode::Yield, &yields, Attrs::new(), &[], vec![]);

    let mut b = Builder::before(f, parent, at(f));
    b.loc = loop_op.loc;
    let mut operands = vec![lo, hi, step];
    operands.extend(inits);
    let mut attrs = loop_op.attrs.clone();
    attrs.set("stages", Attr::Int(stages));
    let kernel = b.build_declared(Opcode::For, &operands, attrs, &[block], types);
    let results = b.func.op(kernel).results.clone();
    let mut results = results.into_iter();
    hist = em
        .tracked
        .iter()
        .map(|&v| {
            let h = (0..em.depth[&v]).map(|_| results.next()).collect();
            (v, h)
        })
        .collect();

    // Epilogue.
    for sigma in kernel_trips..lp.trips {
        let cur = em.step(&mut b, At::Step(sigma), &hist);
        hist = em.shift(&hist, &cur);
    }

    // The loop's results: the arguments iteration N would have had.
    for (c, &r) in lp.carried.iter().zip(&loop_op.results) {
        let back = stages - 1 + c.hops - s.stage(c.node);
        let v = hist[&c.source][(back - 1) as usize].expect("the last iterations' yields");
        f.replace_uses(r, v);
    }
    f.detach_op(lp.op);
}

/// `c` if `op` is `iv + c` (or `c + iv`) and not yielded (its readers
/// then make their own; see `Emitter::step`).
fn iv_offset(f: &Function, lp: &Loop, op: Op) -> Option<i64> {
    let d = f.op(op);
    if d.opcode != Opcode::Add
        || d.operands.len() != 2
        || lp
            .carried
            .iter()
            .any(|c| Some(&c.source) == d.results.first())
    {
        return None;
    }
    let constant = |v: Value| {
        let c = f.op(f.def_op(v)?);
        (c.opcode == Opcode::Const).then(|| c.attrs.int("value"))?
    };
    match (d.operands[0], d.operands[1]) {
        (a, b) if a == lp.iv => constant(b),
        (a, b) if b == lp.iv => constant(a),
        _ => None,
    }
}

/// A zero of `ty` (a data type: see [`supported`]).
fn zero(b: &mut Builder, ty: &Type) -> Value {
    let dt = ty.dtype().expect("a data type");
    let scalar = b.const_of(0.0, dt);
    match ty.shape() {
        Some(shape) if !shape.is_empty() => b.splat(scalar, shape).expect("a splat"),
        _ => scalar,
    }
}
