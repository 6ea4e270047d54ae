//! Mask tails (`split-mask-tails`): a vector loop whose lanes are masked by
//! `iv + lane < bound` runs as a main loop with the mask proved all-true and
//! a tail loop as written, for targets whose masked accesses cost more than
//! plain ones (`Target::mask_tails`: hosts, where every masked chunk pays an
//! index splat, an add and a compare, and a masked load or store is slower
//! than a plain one).
//!
//! A lowered row loop (Triton's `cols < n_cols` over a `BLOCK` wider than
//! the row) computes its mask in every chunk, although only the chunk that
//! straddles `n_cols` and those past it have a false lane. This is the
//! vectorizer's "main body plus epilogue" split, made on the tile IR where
//! the mask is still an affine comparison:
//!
//! ```text
//! for iv in lo..hi step s { ..cmp(arange(a, b) + splat(iv + t), splat(n), lt).. }
//! ```
//!
//! becomes
//!
//! ```text
//! sp = min(lo + s · ceil(max(lim + 1 - lo, 0) / s), hi)   with lim = n - t - (b - 1) - 1
//! for iv in lo..sp step s { ..true.. }                  (every lane < n)
//! for iv in sp..hi step s { ..cmp(..) as written.. }    (carried values pass through)
//! ```
//!
//! The split point is computed in `i64`, so it is exact for any `i32`
//! operands; the main loop is empty when the lowest lane of its first chunk
//! would wrap below `i32::MIN` (the comparison's `i32` arithmetic would
//! then not be the exact sum the proof reasons about).
//!
//! The standard pipeline runs the pass twice: on the tile loops before
//! `lower-tiles` (a chunk loop `for off in (0..n).step_by(BLOCK)` masked
//! by `off + arange(0, BLOCK) < n`, whose tile ops have no loops yet, so
//! it is innermost), and on the lowered loops after it (the tail chunk's
//! vector loops, a row narrower than its `BLOCK`). Split as tiles, the
//! main chunks lower to vector loops of a fixed count, which the host
//! backends unroll, keeping a chunk-wide accumulator in registers;
//! `lower-tiles` keeps the `mask_tail` mark, so nothing is split twice.
//!
//! Which comparisons qualify: `i32` `lt`/`le` (or `gt`/`ge` with the sides
//! swapped) whose difference of sides is `iv` plus loop-invariant scalars
//! plus a constant per lane (sums and differences of `arange`, `splat`s of
//! scalars, and constants). The comparisons with the same invariant part as
//! the first one found all fold; the split point is that of the strictest.
//! Only innermost loops with an `i32` induction variable and a constant
//! positive step are split, each once (the pair is marked `mask_tail`).

use super::canonicalize::materialize;
use super::rewrite::{deep_copy, for_loops, position, value};
use crate::interp::value::Scalar;
use crate::ir::{Attr, Builder, CmpPred, Dtype, Elem, Function, Op, Opcode, Type, Value};
use crate::target::Target;
use std::collections::{BTreeMap, HashMap, HashSet};

pub fn split_mask_tails(f: &mut Function, target: &Target) {
    if !target.mask_tails {
        return;
    }
    for lp in for_loops(f) {
        if let Some(plan) = plan(f, lp) {
            split(f, lp, &plan);
        }
    }
}

/// `Σ coef · value + iv_coef · iv` plus a per-lane constant in
/// `[cmin, cmax]`.
#[derive(Clone, Debug, Default)]
struct Linear {
    iv: i64,
    terms: BTreeMap<Value, i64>,
    cmin: i64,
    cmax: i64,
}

impl Linear {
    fn constant(c: i64) -> Linear {
        Linear {
            cmin: c,
            cmax: c,
            ..Linear::default()
        }
    }

    fn term(v: Value) -> Linear {
        Linear {
            terms: BTreeMap::from([(v, 1)]),
            ..Linear::default()
        }
    }

    /// `self + sign · other`.
    fn plus(mut self, other: Linear, sign: i64) -> Linear {
        self.iv += sign * other.iv;
        for (v, c) in other.terms {
            *self.terms.entry(v).or_insert(0) += sign * c;
        }
        self.terms.retain(|_, c| *c != 0);
        let (lo, hi) = if sign > 0 {
            (other.cmin, other.cmax)
        } else {
            (-other.cmax, -other.cmin)
        };
        self.cmin += lo;
        self.cmax += hi;
        self
    }
}

/// A mask comparison of the loop, `small < big` (or `≤`): all its lanes
/// are true in iteration `iv` when `iv - Σ big - Σ small ≤ k`, i.e. when
/// `iv + Σ small_terms - big ≤ k`.
struct Mask {
    cmp: Op,
    /// The invariant scalars of `small` (besides `iv`), with coefficients.
    small: BTreeMap<Value, i64>,
    /// `big`: one invariant scalar, or none (a constant).
    big: Option<Value>,
    k: i64,
    /// The lowest lane constant of `small`: its lowest lane in the first
    /// chunk is `lo + Σ small + low` (see the module doc).
    low: i64,
}

impl Mask {
    fn same_sides(&self, other: &Mask) -> bool {
        self.small == other.small && self.big == other.big
    }
}

struct Plan {
    masks: Vec<Mask>,
    step: i64,
}

fn plan(f: &Function, lp: Op) -> Option<Plan> {
    let d = f.op(lp);
    if d.attrs.get("mask_tail").is_some() || d.attrs.get("unrolled").is_some() {
        return None;
    }
    let step_def = f.op(f.def_op(d.operands[2])?);
    let step = (step_def.opcode == Opcode::Const).then(|| step_def.attrs.int("value"))??;
    let body = d.regions[0];
    let iv = *f.block_args(body).first()?;
    if step <= 0 || *f.ty(iv) != Type::scalar(Dtype::I32) {
        return None;
    }
    let ops = f.block_ops(body);
    if ops.iter().any(|&o| !f.op(o).regions.is_empty()) {
        return None;
    }
    let inside: HashSet<Value> = f
        .block_args(body)
        .iter()
        .copied()
        .chain(ops.iter().flat_map(|&o| f.op(o).results.iter().copied()))
        .collect();
    let cx = Cx { f, iv, inside };
    let mut found: Vec<Mask> = ops.iter().filter_map(|&o| cx.mask(o)).collect();
    let first = found.first()?;
    let keep: Vec<bool> = found.iter().map(|m| m.same_sides(first)).collect();
    let mut keep = keep.into_iter();
    found.retain(|_| keep.next().unwrap_or(false));
    Some(Plan { masks: found, step })
}

struct Cx<'a> {
    f: &'a Function,
    iv: Value,
    inside: HashSet<Value>,
}

impl Cx<'_> {
    fn mask(&self, op: Op) -> Option<Mask> {
        let d = self.f.op(op);
        if d.opcode != Opcode::Cmp || self.f.ty(d.operands[0]).elem() != Elem::Val(Dtype::I32) {
            return None;
        }
        let (a, b) = (d.operands[0], d.operands[1]);
        // `small < big` (strict) or `small <= big`.
        let (small, big, strict) = match d.attrs.pred()? {
            CmpPred::Lt => (a, b, true),
            CmpPred::Le => (a, b, false),
            CmpPred::Gt => (b, a, true),
            CmpPred::Ge => (b, a, false),
            CmpPred::Eq | CmpPred::Ne => return None,
        };
        let s = self.linear(small, 0)?;
        let (big, big_c) = self.uniform(big)?;
        if s.iv != 1 {
            return None;
        }
        // Every lane true: iv + Σ small + cmax < big (or ≤).
        let k = big_c - s.cmax - i64::from(strict);
        Some(Mask {
            cmp: op,
            small: s.terms,
            big,
            k,
            low: s.cmin,
        })
    }

    /// A side the same in every lane and every iteration whose `i32` value
    /// is exact: a loop-invariant scalar (or its `splat`) or a constant.
    fn uniform(&self, v: Value) -> Option<(Option<Value>, i64)> {
        let f = self.f;
        let v = match f.def_op(v).map(|o| f.op(o)) {
            Some(d) if d.opcode == Opcode::Splat => d.operands[0],
            _ => v,
        };
        if let Some(d) = f.def_op(v).map(|o| f.op(o)) {
            if d.opcode == Opcode::Const {
                return Some((None, d.attrs.int("value")?));
            }
        }
        let invariant = !self.inside.contains(&v) && v != self.iv;
        (invariant && *f.ty(v) == Type::scalar(Dtype::I32)).then_some((Some(v), 0))
    }

    /// `v` as a linear form, or `None` if it is not one.
    fn linear(&self, v: Value, depth: u32) -> Option<Linear> {
        if v == self.iv {
            return Some(Linear {
                iv: 1,
                ..Linear::default()
            });
        }
        let f = self.f;
        let scalar_i32 = *f.ty(v) == Type::scalar(Dtype::I32);
        let outside = !self.inside.contains(&v);
        let Some(def) = f.def_op(v).filter(|_| depth < 16) else {
            return (scalar_i32 && outside).then(|| Linear::term(v));
        };
        let d = f.op(def);
        let sub = |i: usize| self.linear(d.operands[i], depth + 1);
        let form = match d.opcode {
            Opcode::Const => d.attrs.int("value").map(Linear::constant),
            Opcode::Arange => {
                let (lo, hi) = (d.attrs.int("lo")?, d.attrs.int("hi")?);
                (hi > lo).then(|| Linear {
                    cmin: lo,
                    cmax: hi - 1,
                    ..Linear::default()
                })
            }
            Opcode::Splat => sub(0),
            Opcode::Add => Some(sub(0)?.plus(sub(1)?, 1)),
            Opcode::Sub => Some(sub(0)?.plus(sub(1)?, -1)),
            _ => None,
        };
        form.or_else(|| (scalar_i32 && outside).then(|| Linear::term(v)))
    }
}

fn split(f: &mut Function, lp: Op, plan: &Plan) {
    let parent = f.op(lp).parent.expect("a loop sits in a block");
    let loc = f.op(lp).loc;
    let (lo, hi) = (f.op(lp).operands[0], f.op(lp).operands[1]);
    let first = &plan.masks[0];
    let k = plan.masks.iter().map(|m| m.k).min().expect("a mask");
    let low = plan.masks.iter().map(|m| m.low).min().expect("a mask");

    let at = position(f, parent, lp);
    let mut b = Builder::before(f, parent, at);
    b.loc = loc;
    let wide = |b: &mut Builder, v: Value| b.cast(v, Dtype::I64).expect("i32 to i64");
    let konst = |b: &mut Builder, c: i64| b.const_int(c, Dtype::I64);
    // Σ small, in i64.
    let mut small = konst(&mut b, 0);
    for (&v, &c) in &first.small {
        let w = wide(&mut b, v);
        let c = konst(&mut b, c);
        let t = value(&mut b, Opcode::Mul, &[w, c]);
        small = value(&mut b, Opcode::Add, &[small, t]);
    }
    let lo64 = wide(&mut b, lo);
    let hi64 = wide(&mut b, hi);
    let step = konst(&mut b, plan.step);
    let zero = konst(&mut b, 0);
    // Main iterations: iv = lo + j·step with iv ≤ big + k - Σ small, so
    // j < (big + k + step - Σ small - lo) / step.
    let mut end = konst(&mut b, k + plan.step);
    if let Some(big) = first.big {
        let big = wide(&mut b, big);
        end = value(&mut b, Opcode::Add, &[end, big]);
    }
    let end = value(&mut b, Opcode::Sub, &[end, small]);
    let span = value(&mut b, Opcode::Sub, &[end, lo64]);
    let span = value(&mut b, Opcode::Maximum, &[span, zero]);
    let count = value(&mut b, Opcode::Div, &[span, step]);
    // The `i32` lanes of `small` are its exact values only while they do
    // not wrap below `i32::MIN`; the lowest is in the first chunk.
    let lowest = value(&mut b, Opcode::Add, &[lo64, small]);
    let low_c = konst(&mut b, low);
    let lowest = value(&mut b, Opcode::Add, &[lowest, low_c]);
    let min32 = konst(&mut b, i64::from(i32::MIN));
    let fits = b.cmp(CmpPred::Ge, lowest, min32).expect("i64 compare");
    let count = value(&mut b, Opcode::Select, &[fits, count, zero]);
    let advance = value(&mut b, Opcode::Mul, &[count, step]);
    let sp = value(&mut b, Opcode::Add, &[lo64, advance]);
    let sp = value(&mut b, Opcode::Minimum, &[sp, hi64]);
    let sp = b.cast(sp, Dtype::I32).expect("i64 to i32");

    // The main loop: a copy with the masks true, feeding the original.
    let mut map: HashMap<Value, Value> = HashMap::new();
    let main = deep_copy(f, lp, &mut map);
    let at = position(f, parent, lp);
    f.insert_op(parent, at, main);
    f.ops[main].operands[1] = sp;
    f.ops[main].attrs.set("mask_tail", Attr::Str("main".into()));
    for m in &plan.masks {
        let copy = map[&f.op(m.cmp).results[0]];
        let cmp = f.def_op(copy).expect("a copied compare");
        let ty = f.ty(copy).clone();
        let t = materialize(f, cmp, Scalar::Int(1), ty);
        f.replace_uses(copy, t);
        f.detach_op(cmp);
    }
    let carried = f.op(main).results.clone();
    let operands = &mut f.ops[lp].operands;
    operands[0] = sp;
    for (slot, v) in operands.iter_mut().skip(3).zip(carried) {
        *slot = v;
    }
    f.ops[lp].attrs.set("mask_tail", Attr::Str("tail".into()));
}
