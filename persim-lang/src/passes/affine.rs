//! Affine forms of `i32` buffer indices in terms of a loop's induction
//! variable: `index ≡ coef · iv + Σ cᵥ · v + konst (mod 2³²)`, where every
//! `v` is a value defined outside the loop (so it holds one value for the
//! whole loop) and all coefficients are taken modulo 2³².
//!
//! Index arithmetic in the IR wraps (`i32` `add`, `sub`, `mul`, `shl` are
//! computed modulo 2³²), so the form is exact as a congruence; clients that
//! need more than a congruence (disjointness of two iterations' elements,
//! see `fuse`) must bound the iteration space themselves.
//!
//! The form is found by walking the index's defining ops inside the loop:
//! `const`, `add`, `sub`, `mul` by a constant form, `shl` by a constant, the
//! induction variable itself, and values defined outside the loop as
//! symbolic terms. Anything else defined inside the loop (a load, an inner
//! loop's induction variable, a product of two variables) has no form.

use crate::ir::{Block, Dtype, Function, Opcode, Type, Value, ValueDef};
use std::collections::BTreeMap;

/// Deeper index expressions are not analysed (and get no form), which keeps
/// the recursion bounded on any input.
const MAX_DEPTH: u32 = 64;

/// `coef · iv + Σ terms + konst`, all modulo 2³².
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AffineIndex {
    pub coef: i32,
    /// Loop-invariant values with their (non-zero) coefficients.
    pub terms: BTreeMap<Value, i32>,
    pub konst: i32,
}

impl AffineIndex {
    fn constant(c: i32) -> AffineIndex {
        AffineIndex {
            coef: 0,
            terms: BTreeMap::new(),
            konst: c,
        }
    }

    fn is_constant(&self) -> Option<i32> {
        (self.coef == 0 && self.terms.is_empty()).then_some(self.konst)
    }

    fn add(mut self, other: AffineIndex, sign: i32) -> AffineIndex {
        self.coef = self.coef.wrapping_add(other.coef.wrapping_mul(sign));
        self.konst = self.konst.wrapping_add(other.konst.wrapping_mul(sign));
        for (v, c) in other.terms {
            let e = self.terms.entry(v).or_insert(0);
            *e = e.wrapping_add(c.wrapping_mul(sign));
        }
        self.terms.retain(|_, c| *c != 0);
        self
    }

    fn scale(mut self, k: i32) -> AffineIndex {
        self.coef = self.coef.wrapping_mul(k);
        self.konst = self.konst.wrapping_mul(k);
        for c in self.terms.values_mut() {
            *c = c.wrapping_mul(k);
        }
        self.terms.retain(|_, c| *c != 0);
        self
    }
}

/// The affine form of `index` in terms of `iv`, the induction variable of
/// the loop whose body is `body`; `None` if it has none (see the module
/// documentation).
pub fn affine_index(f: &Function, index: Value, iv: Value, body: Block) -> Option<AffineIndex> {
    let i32_ty = Type::scalar(Dtype::I32);
    if *f.ty(iv) != i32_ty {
        return None;
    }
    form(f, index, iv, body, &i32_ty, 0)
}

fn form(
    f: &Function,
    v: Value,
    iv: Value,
    body: Block,
    i32_ty: &Type,
    depth: u32,
) -> Option<AffineIndex> {
    if depth > MAX_DEPTH || f.ty(v) != i32_ty {
        return None;
    }
    if v == iv {
        return Some(AffineIndex {
            coef: 1,
            ..AffineIndex::constant(0)
        });
    }
    if !defined_in(f, v, body) {
        return Some(AffineIndex {
            terms: BTreeMap::from([(v, 1)]),
            ..AffineIndex::constant(0)
        });
    }
    let d = f.op(f.def_op(v)?);
    let sub = |i: usize| form(f, d.operands[i], iv, body, i32_ty, depth + 1);
    match d.opcode {
        Opcode::Const => Some(AffineIndex::constant(
            i32::try_from(d.attrs.int("value")?).ok()?,
        )),
        Opcode::Add => Some(sub(0)?.add(sub(1)?, 1)),
        Opcode::Sub => Some(sub(0)?.add(sub(1)?, -1)),
        Opcode::Mul => {
            let (a, b) = (sub(0)?, sub(1)?);
            match (a.is_constant(), b.is_constant()) {
                (_, Some(k)) => Some(a.scale(k)),
                (Some(k), _) => Some(b.scale(k)),
                _ => None,
            }
        }
        Opcode::Shl => {
            let k = sub(1)?.is_constant()?;
            // The shift amount is taken modulo the bit width.
            Some(sub(0)?.scale(1i32.wrapping_shl(k.rem_euclid(32) as u32)))
        }
        _ => None,
    }
}

/// Whether `v` is defined in `block` or in a region nested in it.
pub fn defined_in(f: &Function, v: Value, block: Block) -> bool {
    let mut b = match f.values[v].def {
        ValueDef::Arg(b, _) => b,
        ValueDef::Result(op, _) => match f.op(op).parent {
            Some(b) => b,
            None => return false,
        },
    };
    // Nesting is finite in valid IR; the bound keeps malformed input safe.
    for _ in 0..f.blocks.len() + 1 {
        if b == block {
            return true;
        }
        let Some(op) = f.blocks[b].parent else {
            return false;
        };
        let Some(up) = f.op(op).parent else {
            return false;
        };
        b = up;
    }
    false
}
