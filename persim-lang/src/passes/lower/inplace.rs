//! In-place analysis at tile level: may an op write its result over the
//! storage of one of its operands?
//!
//! This is the read-after-write check of MLIR's One-Shot Bufferize, on
//! persim's structured SSA. An op `r = f(.., x, ..)` may write `r` into the
//! buffer holding `x` when
//!
//! 1. **the op reads before it writes, in one layout**: its lowering reads
//!    element `i` of `x` before it writes element `i` of `r`, at the same
//!    buffer index, and `x` and `r` have the same type ([`overwrite_rule`]
//!    lists these ops: elementwise ops, `load`'s `other`, `dot`'s
//!    accumulator); and
//! 2. **`x` is not read afterwards** ([`InPlace::read_after`]): no op after
//!    this one in program order uses `x` — uses inside the regions of a later
//!    op count, as do `yield`, `condition` and the inits of a later loop —
//!    and no loop that encloses the op but not `x`'s definition uses `x`
//!    anywhere, since its next iteration would read `x` again even at a use
//!    that comes earlier in the text.
//!
//! Program order is the order of [`Function::walk`]: an op, then the ops of
//! its regions. A use in the `else` branch therefore counts as later for an
//! op of the `then` branch although the two never both run; that only makes
//! the analysis conservative.
//!
//! Both conditions are about one SSA value. Several values may share one
//! buffer (views such as `expand_dims`, values carried by a loop, results
//! written in place before); the lowering, which knows those aliases,
//! overwrites a buffer only if *every* value living in it passes
//! condition 2 (see `reuse`).
//!
//! A value carried by a loop is a block argument of the loop's region; the
//! loop encloses its definition, so it may be overwritten in place by the
//! last op reading it in an iteration (`acc = dot(a, b, acc); yield acc`
//! accumulates in the carried buffer). That is sound: the carried buffer is
//! only read again after the iteration's `yield` has written the next
//! carried value into it.

use crate::ir::{Function, Op, Opcode, Value, ValueDef};
use cranelift_entity::SecondaryMap;

/// How an op's lowering reads an operand whose buffer its result may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Overwrite {
    /// Every operand is read at exactly the index the result is written at
    /// (elementwise ops, `load`): any operand of the result's type may be
    /// overwritten, even one sharing its buffer with another operand.
    Lockstep,
    /// Only operand `i` is read at the index written (`dot`'s accumulator);
    /// the other operands are read at other indices, so they must not live
    /// in the buffer that is overwritten.
    Operand(usize),
}

/// Which operands of an op with this opcode its result may overwrite.
pub(super) fn overwrite_rule(opcode: Opcode) -> Option<Overwrite> {
    match opcode {
        Opcode::Dot => Some(Overwrite::Operand(2)),
        Opcode::Load => Some(Overwrite::Lockstep),
        o if o.is_elementwise() => Some(Overwrite::Lockstep),
        _ => None,
    }
}

/// Program-order facts of a tile-level function, computed once.
pub(super) struct InPlace<'f> {
    f: &'f Function,
    /// Position of every op reachable from the body, in [`Function::walk`]
    /// order.
    pos: SecondaryMap<Op, u32>,
    /// The last position inside an op's regions (its own if it has none).
    end: SecondaryMap<Op, u32>,
    /// Positions of the ops using each value, ascending (an op using a value
    /// twice is listed twice).
    uses: SecondaryMap<Value, Vec<u32>>,
}

impl<'f> InPlace<'f> {
    pub fn new(f: &'f Function) -> InPlace<'f> {
        let mut a = InPlace {
            f,
            pos: SecondaryMap::new(),
            end: SecondaryMap::new(),
            uses: SecondaryMap::new(),
        };
        let mut next = 0u32;
        a.number(f.body, &mut next);
        a
    }

    fn number(&mut self, block: crate::ir::Block, next: &mut u32) {
        for &op in self.f.block_ops(block) {
            let p = *next;
            *next += 1;
            self.pos[op] = p;
            for &v in &self.f.ops[op].operands {
                self.uses[v].push(p);
            }
            for &r in &self.f.ops[op].regions {
                self.number(r, next);
            }
            self.end[op] = *next - 1;
        }
    }

    /// Whether `v` may be read after `op` runs (condition 2 of the module
    /// doc). `op` must be reachable from the body.
    pub fn read_after(&self, v: Value, op: Op) -> bool {
        let here = self.pos[op];
        let uses = &self.uses[v];
        if uses.iter().any(|&u| u > here) {
            return true;
        }
        let def_scope = self.enclosing_ops_of_def(v);
        self.enclosing_loops(op)
            .filter(|l| !def_scope.contains(l))
            .any(|l| {
                let (lo, hi) = (self.pos[l], self.end[l]);
                uses.iter().any(|&u| lo < u && u <= hi)
            })
    }

    /// Operands of `op` whose buffer its result may take: by
    /// [`overwrite_rule`], of the result's type, and not read afterwards.
    /// Operand indices, without repeats of one value.
    pub fn candidates(&self, op: Op) -> Vec<usize> {
        let d = &self.f.ops[op];
        let Some(rule) = overwrite_rule(d.opcode) else {
            return Vec::new();
        };
        let [result] = d.results.as_slice() else {
            return Vec::new();
        };
        let indices: Vec<usize> = match rule {
            Overwrite::Lockstep => (0..d.operands.len()).collect(),
            Overwrite::Operand(i) if i < d.operands.len() => vec![i],
            Overwrite::Operand(_) => Vec::new(),
        };
        let mut out: Vec<usize> = Vec::new();
        for i in indices {
            let v = d.operands[i];
            let fits = self.f.ty(v) == self.f.ty(*result);
            if fits && !out.iter().any(|&j| d.operands[j] == v) && !self.read_after(v, op) {
                out.push(i);
            }
        }
        out
    }

    /// The `for` and `while` ops enclosing `op`, innermost first.
    fn enclosing_loops(&self, op: Op) -> impl Iterator<Item = Op> + '_ {
        self.ancestors(self.f.ops[op].parent)
            .filter(|&a| matches!(self.f.ops[a].opcode, Opcode::For | Opcode::While))
    }

    /// The ops whose regions contain `v`'s definition (for a block argument,
    /// the op owning the block, then its ancestors).
    fn enclosing_ops_of_def(&self, v: Value) -> Vec<Op> {
        let block = match self.f.values[v].def {
            ValueDef::Result(op, _) => self.f.ops[op].parent,
            ValueDef::Arg(b, _) => Some(b),
        };
        self.ancestors(block).collect()
    }

    /// The ops owning `block`, its parent block, and so on up to the body.
    fn ancestors(&self, block: Option<crate::ir::Block>) -> impl Iterator<Item = Op> + '_ {
        let mut block = block;
        std::iter::from_fn(move || {
            let op = self.f.blocks[block?].parent?;
            block = self.f.ops[op].parent;
            Some(op)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::parse_function;

    /// The `n`th op (0-based) with this opcode, in program order.
    fn nth(f: &Function, opcode: Opcode, n: usize) -> Op {
        f.all_ops()
            .into_iter()
            .filter(|&op| f.ops[op].opcode == opcode)
            .nth(n)
            .unwrap_or_else(|| panic!("no {} number {n}", opcode.name()))
    }

    fn parse(text: &str) -> Function {
        parse_function(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_chain_of_elementwise_ops_overwrites_each_link() {
        let f = parse(
            "kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) {
              %2 = arange {lo = 0, hi = 64} : tile<64xi32>
              %3 = splat %0 {shape = [64]} : tile<64xptr<f32>>
              %4 = ptr_add %3, %2 : tile<64xptr<f32>>
              %5 = load %4 : tile<64xf32>
              %6 = exp %5 : tile<64xf32>
              %7 = add %6, %6 : tile<64xf32>
              %8 = splat %1 {shape = [64]} : tile<64xptr<f32>>
              %9 = ptr_add %8, %2 : tile<64xptr<f32>>
              store %9, %7
              return
            }",
        );
        let a = InPlace::new(&f);
        assert_eq!(a.candidates(nth(&f, Opcode::Exp, 0)), vec![0]);
        // Both operands are one value: offered once.
        assert_eq!(a.candidates(nth(&f, Opcode::Add, 0)), vec![0]);
        // `%2` is read again by the second `ptr_add`; it is also not a
        // pointer tile, so the first `ptr_add` may only take `%3`.
        assert_eq!(a.candidates(nth(&f, Opcode::PtrAdd, 0)), vec![0]);
        // A load may not overwrite its pointers: other type.
        assert!(a.candidates(nth(&f, Opcode::Load, 0)).is_empty());
    }

    #[test]
    fn a_value_read_later_is_not_overwritten() {
        let f = parse(
            "kernel @k(%0 out: ptr<f32> mut) {
              %1 = arange {lo = 0, hi = 8} : tile<8xi32>
              %2 = cast %1 {to = f32} : tile<8xf32>
              %3 = neg %2 : tile<8xf32>
              %4 = mul %3, %2 : tile<8xf32>
              %5 = splat %0 {shape = [8]} : tile<8xptr<f32>>
              %6 = ptr_add %5, %1 : tile<8xptr<f32>>
              store %6, %4
              return
            }",
        );
        let a = InPlace::new(&f);
        // `neg %2`: `%2` is read by the `mul` after it.
        assert!(a.candidates(nth(&f, Opcode::Neg, 0)).is_empty());
        // `mul %3, %2`: both die here.
        assert_eq!(a.candidates(nth(&f, Opcode::Mul, 0)), vec![0, 1]);
        // A cast changes the element type: never in place.
        assert!(a.candidates(nth(&f, Opcode::Cast, 0)).is_empty());
    }

    #[test]
    fn a_value_from_outside_a_loop_is_not_overwritten_inside_it() {
        let f = parse(
            "kernel @k(%0 out: ptr<f32> mut, %1 n: i32) {
              %2 = const {value = 0, ty = i32} : i32
              %3 = const {value = 1, ty = i32} : i32
              %4 = const {value = 1.0, ty = f32} : f32
              %5 = splat %4 {shape = [8]} : tile<8xf32>
              %6 = arange {lo = 0, hi = 8} : tile<8xi32>
              %7 = cast %6 {to = f32} : tile<8xf32>
              %8 = for %2, %1, %3, %5 : tile<8xf32> {
              ^(%9: i32, %10: tile<8xf32>):
                %11 = add %7, %10 : tile<8xf32>
                %12 = mul %11, %11 : tile<8xf32>
                yield %12
              }
              %13 = splat %0 {shape = [8]} : tile<8xptr<f32>>
              %14 = ptr_add %13, %6 : tile<8xptr<f32>>
              store %14, %8
              return
            }",
        );
        let a = InPlace::new(&f);
        let add = nth(&f, Opcode::Add, 0);
        // `%7` has no use after the `add` in the text, but the next
        // iteration reads it again; the carried `%10` dies here.
        assert!(a.read_after(f.ops[add].operands[0], add));
        assert_eq!(a.candidates(add), vec![1]);
        // `%11` is defined in the loop body: each iteration makes a new one.
        assert_eq!(a.candidates(nth(&f, Opcode::Mul, 0)), vec![0]);
    }

    #[test]
    fn yields_loop_inits_and_uses_in_later_regions_are_reads() {
        let f = parse(
            "kernel @k(%0 out: ptr<f32> mut, %1 c: i1) {
              %2 = arange {lo = 0, hi = 8} : tile<8xi32>
              %3 = cast %2 {to = f32} : tile<8xf32>
              %4 = abs %3 : tile<8xf32>
              %5 = sqrt %3 : tile<8xf32>
              %6 = if %1 : tile<8xf32> {
                yield %3
              } {
                %7 = exp %4 : tile<8xf32>
                yield %7
              }
              %8 = neg %5 : tile<8xf32>
              %9 = const {value = 0, ty = i32} : i32
              %10 = for %9, %9, %9, %8 : tile<8xf32> {
              ^(%11: i32, %12: tile<8xf32>):
                yield %12
              }
              %13 = splat %0 {shape = [8]} : tile<8xptr<f32>>
              %14 = ptr_add %13, %2 : tile<8xptr<f32>>
              store %14, %10
              return
            }",
        );
        let a = InPlace::new(&f);
        // `%3` is yielded by the `then` branch, `%4` used in `else`.
        assert!(a.candidates(nth(&f, Opcode::Abs, 0)).is_empty());
        assert!(a.candidates(nth(&f, Opcode::Sqrt, 0)).is_empty());
        let exp = nth(&f, Opcode::Exp, 0);
        assert_eq!(a.candidates(exp), vec![0]);
        // `%8` is the init of the loop after the `neg`.
        let neg = nth(&f, Opcode::Neg, 0);
        let eight = f.ops[neg].results[0];
        assert!(a.read_after(eight, neg));
        // ...and dead once the loop has taken it.
        assert!(!a.read_after(eight, nth(&f, Opcode::For, 0)));
    }

    #[test]
    fn dot_overwrites_only_its_accumulator() {
        let f = parse(
            "kernel @k(%0 out: ptr<f32> mut) {
              %1 = const {value = 1.0, ty = f32} : f32
              %2 = arange {lo = 0, hi = 4} : tile<4xi32>
              %3 = cast %2 {to = f32} : tile<4xf32>
              %4 = expand_dims %3 {axis = 0} : tile<1x4xf32>
              %5 = broadcast %4 {shape = [4, 4]} : tile<4x4xf32>
              %6 = splat %1 {shape = [4, 4]} : tile<4x4xf32>
              %7 = add %5, %6 : tile<4x4xf32>
              %8 = dot %5, %5, %7 : tile<4x4xf32>
              %9 = reduce %8 {kind = sum, axis = 1} : tile<4xf32>
              %10 = splat %0 {shape = [4]} : tile<4xptr<f32>>
              %11 = ptr_add %10, %2 : tile<4xptr<f32>>
              store %11, %9
              return
            }",
        );
        let a = InPlace::new(&f);
        assert_eq!(a.candidates(nth(&f, Opcode::Dot, 0)), vec![2]);
        assert_eq!(overwrite_rule(Opcode::Reduce), None);
        assert_eq!(overwrite_rule(Opcode::Broadcast), None);
    }

    #[test]
    fn while_regions_count_as_one_loop() {
        // `%3` is defined before the loop and read in the before-region; the
        // after-region must not overwrite it although the read comes first
        // in the text.
        let f = parse(
            "kernel @k(%0 out: ptr<i32> mut) {
              %1 = arange {lo = 0, hi = 8} : tile<8xi32>
              %2 = const {value = 0, ty = i32} : i32
              %3 = abs %1 : tile<8xi32>
              %4 = while %2 : i32 {
              ^(%5: i32):
                %6 = reduce %3 {kind = max, axis = 0} : i32
                %7 = cmp %5, %6 {pred = lt} : i1
                condition %7, %5
              } {
              ^(%8: i32):
                %9 = neg %3 : tile<8xi32>
                %10 = reduce %9 {kind = sum, axis = 0} : i32
                %11 = add %8, %10 : i32
                yield %11
              }
              store %0, %4
              return
            }",
        );
        let a = InPlace::new(&f);
        assert!(a.candidates(nth(&f, Opcode::Neg, 0)).is_empty());
        // Before the loop, `%1` dies at the `abs`.
        assert_eq!(a.candidates(nth(&f, Opcode::Abs, 0)), vec![0]);
    }
}
