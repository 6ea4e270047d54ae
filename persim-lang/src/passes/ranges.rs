//! Integer range analysis: for every integer-valued (scalar or tile) value,
//! an interval that contains every element it can hold in any program
//! instance. It is what lets the mid-end prove masks all-true or all-false:
//! after lowering, each vector chunk of a tile carries a lane-valid mask
//! `chunk_start + arange(0, L) < N`, and for every chunk but a ragged last
//! one that comparison is provably true.
//!
//! The analysis is a single forward walk (values are defined before use);
//! loop-carried values other than a `for` induction variable are unknown.
//!
//! **Hints.** `multiple_of(x, k)` rounds its result's range inward to
//! multiples of `k`. `assume(c)` contributes *facts*: when `c` is an
//! integer `cmp` (or an `and` of them), each compared value is narrowed by
//! the other side's range (`assume(n >= 1024)` gives `n ∈ [1024, MAX]`). A
//! fact about `v` holds for `v` everywhere only if the `assume` is in the
//! block that defines `v` (for a kernel parameter, the body): blocks are
//! straight-line, so then every run that defines `v` also reaches the
//! `assume`. An `assume` in a branch or a loop body about a value from
//! outside says nothing about other paths and is ignored. Facts are
//! gathered from a first walk and applied in a second, so the other side
//! of a comparison may itself be a computed value.

use crate::ir::{Block, CmpPred, Dtype, Function, Op, Opcode, Value, ValueDef};
use std::collections::HashMap;

/// A closed interval `[lo, hi]` of integer values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub lo: i128,
    pub hi: i128,
}

impl Range {
    pub fn point(v: i128) -> Range {
        Range { lo: v, hi: v }
    }

    /// Every value of an integer type.
    pub fn of_type(d: Dtype) -> Range {
        let bits = d.bits();
        if d.is_signed_int() {
            Range {
                lo: -(1i128 << (bits - 1)),
                hi: (1i128 << (bits - 1)) - 1,
            }
        } else {
            Range {
                lo: 0,
                hi: (1i128 << bits) - 1,
            }
        }
    }

    fn fits(self, d: Dtype) -> Option<Range> {
        let t = Range::of_type(d);
        (self.lo >= t.lo && self.hi <= t.hi).then_some(self)
    }

    /// The intersection, `None` if empty.
    fn meet(self, other: Range) -> Option<Range> {
        let r = Range {
            lo: self.lo.max(other.lo),
            hi: self.hi.min(other.hi),
        };
        (r.lo <= r.hi).then_some(r)
    }

    /// The multiples of `k` in the range, `None` if there are none.
    fn multiples_of(self, k: i128) -> Option<Range> {
        let lo = self.lo.div_euclid(k) * k + if self.lo.rem_euclid(k) == 0 { 0 } else { k };
        let hi = self.hi.div_euclid(k) * k;
        (lo <= hi).then_some(Range { lo, hi })
    }
}

/// Ranges of the integer values of one function.
pub struct Ranges {
    map: HashMap<Value, Range>,
    /// What `assume`s say about values (see the module doc).
    facts: HashMap<Value, Range>,
    /// The `divisor` of values made by `multiple_of`.
    divisors: HashMap<Value, i128>,
}

impl Ranges {
    pub fn analyze(f: &Function) -> Ranges {
        let first = Ranges::walk(f, HashMap::new());
        let facts = assumed_facts(f, &first);
        if facts.is_empty() {
            return first;
        }
        Ranges::walk(f, facts)
    }

    fn walk(f: &Function, facts: HashMap<Value, Range>) -> Ranges {
        let mut r = Ranges {
            map: HashMap::new(),
            facts,
            divisors: HashMap::new(),
        };
        for op in f.all_ops() {
            r.visit(f, op);
        }
        r
    }

    /// The range of `v`, if it is an integer value the analysis bounded more
    /// tightly than its type.
    pub fn get(&self, v: Value) -> Option<Range> {
        match (self.map.get(&v), self.facts.get(&v)) {
            (Some(&r), _) => Some(self.refine(v, r)),
            (None, Some(&r)) => Some(self.refine(v, r)),
            (None, None) => None,
        }
    }

    /// `r` narrowed by what hints say about `v`.
    fn refine(&self, v: Value, r: Range) -> Range {
        let r = match self.facts.get(&v) {
            Some(&fact) => r.meet(fact).unwrap_or(r),
            None => r,
        };
        match self.divisors.get(&v) {
            Some(&k) => r.multiples_of(k).unwrap_or(r),
            None => r,
        }
    }

    fn of(&self, f: &Function, v: Value) -> Option<Range> {
        let base = self.map.get(&v).copied().or_else(|| {
            let d = f.ty(v).dtype()?;
            (d.is_int() || d.is_bool()).then(|| Range::of_type(d))
        })?;
        Some(self.refine(v, base))
    }

    fn visit(&mut self, f: &Function, op: Op) {
        let d = f.op(op);
        // Whatever the loop carries (a float accumulator, say), its
        // induction variable is an integer with a range.
        if d.opcode == Opcode::For {
            self.induction_variable(f, op);
        }
        let Some(&result) = d.results.first() else {
            return;
        };
        let Some(dt) = f.ty(result).dtype().filter(|d| d.is_int() || d.is_bool()) else {
            return;
        };
        if d.opcode == Opcode::MultipleOf {
            if let Some(k) = d.attrs.int("divisor").filter(|&k| k > 0) {
                self.divisors.insert(result, i128::from(k));
            }
        }
        let arg = |i: usize| self.of(f, d.operands[i]);
        let range = match d.opcode {
            Opcode::Const => d.attrs.int("value").map(|v| Range::point(v as i128)),
            Opcode::Arange => match (d.attrs.int("lo"), d.attrs.int("hi")) {
                (Some(lo), Some(hi)) => Some(Range {
                    lo: lo as i128,
                    hi: hi as i128 - 1,
                }),
                _ => None,
            },
            Opcode::ProgramId => Some(Range {
                lo: 0,
                hi: i32::MAX as i128 - 1,
            }),
            Opcode::NumPrograms => Some(Range {
                lo: 1,
                hi: i32::MAX as i128,
            }),
            Opcode::Splat
            | Opcode::Broadcast
            | Opcode::ExpandDims
            | Opcode::Reshape
            | Opcode::Trans => arg(0),
            Opcode::Add => combine(arg(0), arg(1), |a, b| {
                Some((a.lo.checked_add(b.lo)?, a.hi.checked_add(b.hi)?))
            }),
            Opcode::Sub => combine(arg(0), arg(1), |a, b| {
                Some((a.lo.checked_sub(b.hi)?, a.hi.checked_sub(b.lo)?))
            }),
            Opcode::Mul => combine(arg(0), arg(1), |a, b| {
                let c = [
                    a.lo.checked_mul(b.lo)?,
                    a.lo.checked_mul(b.hi)?,
                    a.hi.checked_mul(b.lo)?,
                    a.hi.checked_mul(b.hi)?,
                ];
                Some((*c.iter().min()?, *c.iter().max()?))
            }),
            // Non-negative operands only: then truncation is flooring.
            Opcode::Div => combine(arg(0), arg(1), |a, b| {
                (a.lo >= 0 && b.lo >= 1).then(|| (a.lo / b.hi, a.hi / b.lo))
            }),
            Opcode::Rem => combine(arg(0), arg(1), |a, b| {
                (a.lo >= 0 && b.lo >= 1).then(|| (0, a.hi.min(b.hi - 1)))
            }),
            Opcode::Maximum => combine(arg(0), arg(1), |a, b| {
                Some((a.lo.max(b.lo), a.hi.max(b.hi)))
            }),
            Opcode::Minimum => combine(arg(0), arg(1), |a, b| {
                Some((a.lo.min(b.lo), a.hi.min(b.hi)))
            }),
            Opcode::Cmp => decide(f, self, op).map(|b| Range::point(b as i128)),
            // `refine` rounds a `multiple_of` result to its divisor.
            Opcode::MultipleOf | Opcode::MaxContiguous => arg(0),
            Opcode::Cast => {
                let from = f.ty(d.operands[0]).dtype();
                match from {
                    Some(s) if s.is_int() || s.is_bool() => arg(0),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(r) = range.and_then(|r| r.fits(dt)) {
            self.map.insert(result, r);
        }
    }

    /// A `for` induction variable with a positive constant step lies in
    /// `[lo.min, hi.max - 1]`.
    fn induction_variable(&mut self, f: &Function, op: Op) {
        let d = f.op(op);
        let body = d.regions[0];
        let iv = f.block_args(body)[0];
        let step = self.get(d.operands[2]);
        let (Some(lo), Some(hi), Some(step)) =
            (self.of(f, d.operands[0]), self.of(f, d.operands[1]), step)
        else {
            return;
        };
        if step.lo > 0 {
            debug_assert!(matches!(f.values[iv].def, ValueDef::Arg(..)));
            self.map.insert(
                iv,
                Range {
                    lo: lo.lo,
                    hi: hi.hi - 1,
                },
            );
        }
    }
}

/// The facts the `assume`s of `f` give, with `ranges` for the other side
/// of each comparison.
fn assumed_facts(f: &Function, ranges: &Ranges) -> HashMap<Value, Range> {
    let mut facts: HashMap<Value, Range> = HashMap::new();
    for op in f.all_ops() {
        let d = f.op(op);
        if d.opcode != Opcode::Assume {
            continue;
        }
        let Some(block) = d.parent else { continue };
        let mut conds = vec![d.operands[0]];
        while let Some(c) = conds.pop() {
            let Some(def) = f.def_op(c) else { continue };
            let cd = f.op(def);
            match cd.opcode {
                Opcode::And => conds.extend(cd.operands.iter().copied()),
                Opcode::Cmp => {
                    for (v, r) in compared(f, ranges, def) {
                        if defined_in(f, v) == Some(block) {
                            let r = match facts.get(&v) {
                                Some(&old) => old.meet(r).unwrap_or(old),
                                None => r,
                            };
                            facts.insert(v, r);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    facts
}

/// What `a <pred> b` being true says about `a` and `b`.
fn compared(f: &Function, ranges: &Ranges, cmp: Op) -> Vec<(Value, Range)> {
    let d = f.op(cmp);
    let (a, b) = (d.operands[0], d.operands[1]);
    let is_int = f.ty(a).dtype().is_some_and(|t| t.is_int() || t.is_bool());
    let (Some(pred), true) = (d.attrs.pred(), is_int) else {
        return Vec::new();
    };
    let (Some(ra), Some(rb)) = (ranges.of(f, a), ranges.of(f, b)) else {
        return Vec::new();
    };
    let at_most = |hi: i128| Range { lo: i128::MIN, hi };
    let at_least = |lo: i128| Range { lo, hi: i128::MAX };
    match pred {
        CmpPred::Lt => vec![(a, at_most(rb.hi - 1)), (b, at_least(ra.lo + 1))],
        CmpPred::Le => vec![(a, at_most(rb.hi)), (b, at_least(ra.lo))],
        CmpPred::Gt => vec![(a, at_least(rb.lo + 1)), (b, at_most(ra.hi - 1))],
        CmpPred::Ge => vec![(a, at_least(rb.lo)), (b, at_most(ra.hi))],
        CmpPred::Eq => vec![(a, rb), (b, ra)],
        CmpPred::Ne => Vec::new(),
    }
}

/// The block whose ops can see `v` first: its op's block, or the block it
/// is an argument of.
fn defined_in(f: &Function, v: Value) -> Option<Block> {
    match f.values[v].def {
        ValueDef::Result(op, _) => f.op(op).parent,
        ValueDef::Arg(block, _) => Some(block),
    }
}

/// Interval arithmetic on two ranges; `None` (unknown) when either is
/// unknown or the bounds overflow even `i128` (64-bit operands).
fn combine(
    a: Option<Range>,
    b: Option<Range>,
    f: impl Fn(Range, Range) -> Option<(i128, i128)>,
) -> Option<Range> {
    let (lo, hi) = f(a?, b?)?;
    Some(Range { lo, hi })
}

/// The value every element of an integer `cmp` takes, if the ranges decide it.
pub fn decide(f: &Function, ranges: &Ranges, op: Op) -> Option<bool> {
    let d = f.op(op);
    if d.opcode != Opcode::Cmp {
        return None;
    }
    let dt = f.ty(d.operands[0]).dtype()?;
    if !(dt.is_int() || dt.is_bool()) {
        return None;
    }
    let a = ranges.of(f, d.operands[0])?;
    let b = ranges.of(f, d.operands[1])?;
    use crate::ir::CmpPred::*;
    let lt = |x: Range, y: Range| {
        if x.hi < y.lo {
            Some(true)
        } else if x.lo >= y.hi {
            Some(false)
        } else {
            None
        }
    };
    let le = |x: Range, y: Range| {
        if x.hi <= y.lo {
            Some(true)
        } else if x.lo > y.hi {
            Some(false)
        } else {
            None
        }
    };
    let eq = || {
        if a.lo == a.hi && b.lo == b.hi && a.lo == b.lo {
            Some(true)
        } else if a.hi < b.lo || b.hi < a.lo {
            Some(false)
        } else {
            None
        }
    };
    match d.attrs.pred()? {
        Lt => lt(a, b),
        Le => le(a, b),
        Gt => lt(b, a),
        Ge => le(b, a),
        Eq => eq(),
        Ne => eq().map(|x| !x),
    }
}
