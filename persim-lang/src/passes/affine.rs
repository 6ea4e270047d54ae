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
//! `const` (wherever defined), `add`, `sub`, `mul` by a constant form, `shl`
//! by a constant, the induction variable itself, and other values defined
//! outside the loop as symbolic terms. Anything else defined inside the loop (a load, an inner
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
    pub(super) fn constant(c: i32) -> AffineIndex {
        AffineIndex {
            coef: 0,
            terms: BTreeMap::new(),
            konst: c,
        }
    }

    fn is_constant(&self) -> Option<i32> {
        (self.coef == 0 && self.terms.is_empty()).then_some(self.konst)
    }

    pub(super) fn add(mut self, other: AffineIndex, sign: i32) -> AffineIndex {
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
    let def = f.def_op(v).map(|op| f.op(op));
    if let Some(d) = def.filter(|d| d.opcode == Opcode::Const) {
        // Wherever it is defined: a constant multiplier must be known.
        return Some(AffineIndex::constant(
            i32::try_from(d.attrs.int("value")?).ok()?,
        ));
    }
    if !defined_in(f, v, body) {
        return Some(AffineIndex {
            terms: BTreeMap::from([(v, 1)]),
            ..AffineIndex::constant(0)
        });
    }
    let d = def?;
    let sub = |i: usize| form(f, d.operands[i], iv, body, i32_ty, depth + 1);
    match d.opcode {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{parse_function, Op};

    /// The forms of the indices of every `buf_load` in `body_text`, placed
    /// in `for %iv in 0..64 step 4` of a kernel with an `i32` parameter
    /// `%1 b` and a buffer `%2`.
    fn forms(body_text: &str) -> Vec<Option<AffineIndex>> {
        let text = format!(
            "kernel @k(%0 out: ptr<i32> mut, %1 b: i32) attrs {{lanes = 4, local_mem = 4096}} {{\n\
             %2 = alloc {{ty = buf<1024xi32>, offset = 0}} : buf<1024xi32>\n\
             %3 = const {{value = 0, ty = i32}} : i32\n\
             %4 = const {{value = 64, ty = i32}} : i32\n\
             %5 = const {{value = 4, ty = i32}} : i32\n\
             for %3, %4, %5 {{\n\
             ^(%iv: i32):\n{body_text}\n  yield\n}}\nreturn\n}}\n"
        );
        let f = parse_function(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let lp: Op = f
            .all_ops()
            .into_iter()
            .find(|&o| f.op(o).opcode == Opcode::For)
            .unwrap();
        let body = f.op(lp).regions[0];
        let iv = f.block_args(body)[0];
        f.all_ops()
            .into_iter()
            .filter(|&o| f.op(o).opcode == Opcode::BufLoad)
            .map(|o| affine_index(&f, f.op(o).operands[1], iv, body))
            .collect()
    }

    fn form(coef: i32, terms: &[(u32, i32)], konst: i32) -> Option<AffineIndex> {
        Some(AffineIndex {
            coef,
            terms: terms
                .iter()
                .map(|&(v, c)| (Value::from_u32(v), c))
                .collect(),
            konst,
        })
    }

    #[test]
    fn sums_products_and_shifts() {
        let got = forms(
            "%c3 = const {value = 3, ty = i32} : i32\n\
             %c16 = const {value = 16, ty = i32} : i32\n\
             %c2 = const {value = 2, ty = i32} : i32\n\
             %a = mul %c3, %iv : i32\n\
             %x = add %a, %c16 : i32\n\
             %y = sub %x, %1 : i32\n\
             %l0 = buf_load %2, %y {lanes = 0} : i32\n\
             %s = shl %iv, %c2 : i32\n\
             %l1 = buf_load %2, %s {lanes = 0} : i32\n\
             %z = sub %iv, %iv : i32\n\
             %l2 = buf_load %2, %z {lanes = 0} : i32",
        );
        // `%1 b` is the parameter, value 1 in the arena.
        assert_eq!(got[0], form(3, &[(1, -1)], 16));
        assert_eq!(got[1], form(4, &[], 0));
        assert_eq!(got[2], form(0, &[], 0));
    }

    #[test]
    fn constants_from_outside_the_loop_are_constants() {
        // `%5` (4) and `%4` (64) are defined before the loop.
        let got = forms(
            "%x = mul %iv, %5 : i32\n\
             %y = add %x, %4 : i32\n\
             %l0 = buf_load %2, %y {lanes = 0} : i32",
        );
        assert_eq!(got[0], form(4, &[], 64));
    }

    #[test]
    fn coefficients_wrap_modulo_2_32() {
        let got = forms(
            "%big = const {value = 1073741824, ty = i32} : i32\n\
             %c4 = const {value = 4, ty = i32} : i32\n\
             %a = mul %iv, %big : i32\n\
             %x = mul %a, %c4 : i32\n\
             %l0 = buf_load %2, %x {lanes = 0} : i32\n\
             %c33 = const {value = 33, ty = i32} : i32\n\
             %s = shl %iv, %c33 : i32\n\
             %l1 = buf_load %2, %s {lanes = 0} : i32",
        );
        assert_eq!(got[0], form(0, &[], 0), "2^30 * 4 = 2^32 = 0");
        assert_eq!(got[1], form(2, &[], 0), "shift by 33 is shift by 1");
    }

    #[test]
    fn no_form_for_products_loads_and_inner_variables() {
        let got = forms(
            "%sq = mul %iv, %iv : i32\n\
             %l0 = buf_load %2, %sq {lanes = 0} : i32\n\
             %pb = mul %iv, %1 : i32\n\
             %l1 = buf_load %2, %pb {lanes = 0} : i32\n\
             %x = add %iv, %l0 : i32\n\
             %l2 = buf_load %2, %x {lanes = 0} : i32\n\
             for %3, %4, %5 {\n\
             ^(%j: i32):\n\
             %y = add %iv, %j : i32\n\
             %l3 = buf_load %2, %y {lanes = 0} : i32\n\
             yield\n\
             }",
        );
        assert_eq!(got, vec![None, None, None, None]);
    }
}
