//! Live intervals of the buffers of lowered IR, by the rule stated in the
//! module doc of `pack_buffers`.

use crate::ir::{Block, Function, Op, Opcode, Value};
use cranelift_entity::SecondaryMap;
use std::collections::HashMap;

/// An inclusive range of program-order op positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Interval {
    pub start: u32,
    pub end: u32,
}

impl Interval {
    pub fn point(p: u32) -> Interval {
        Interval { start: p, end: p }
    }

    pub fn overlaps(self, other: Interval) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    pub fn contains(self, p: u32) -> bool {
        self.start <= p && p <= self.end
    }

    fn cover(&mut self, other: Interval) {
        self.start = self.start.min(other.start);
        self.end = self.end.max(other.end);
    }
}

/// One `alloc` and when its buffer is live.
#[derive(Clone, Debug)]
pub(crate) struct BufferLife {
    pub alloc: Op,
    pub buf: Value,
    /// Bytes the buffer occupies.
    pub bytes: u64,
    pub live: Interval,
}

/// Program-order positions of a function's ops.
struct Positions {
    pos: SecondaryMap<Op, u32>,
    /// The last position inside an op's regions (its own if it has none).
    end: SecondaryMap<Op, u32>,
}

impl Positions {
    fn new(f: &Function) -> Positions {
        let mut p = Positions {
            pos: SecondaryMap::new(),
            end: SecondaryMap::new(),
        };
        let mut next = 0;
        p.number(f, f.body, &mut next);
        p
    }

    fn number(&mut self, f: &Function, block: Block, next: &mut u32) {
        for &op in f.block_ops(block) {
            self.pos[op] = *next;
            *next += 1;
            for &r in &f.ops[op].regions {
                self.number(f, r, next);
            }
            self.end[op] = *next - 1;
        }
    }

    /// The positions of `op` and everything inside its regions.
    fn span(&self, op: Op) -> Interval {
        Interval {
            start: self.pos[op],
            end: self.end[op],
        }
    }

    /// The positions of every op of `block`, regions included; `None` for
    /// an empty block.
    fn block_span(&self, f: &Function, block: Block) -> Option<Interval> {
        let ops = f.block_ops(block);
        Some(Interval {
            start: self.pos[*ops.first()?],
            end: self.end[*ops.last()?],
        })
    }
}

/// Every buffer reachable from the body with its live interval, in program
/// order of the `alloc`s.
pub(crate) fn buffer_lives(f: &Function) -> Vec<BufferLife> {
    let positions = Positions::new(f);
    let mut uses: HashMap<Value, Vec<Op>> = HashMap::new();
    let mut allocs = Vec::new();
    for op in f.all_ops() {
        let d = &f.ops[op];
        if d.opcode == Opcode::Alloc {
            allocs.extend(d.results.first().map(|&r| (op, r)));
        }
        for &v in &d.operands {
            if f.ty(v).is_buf() {
                uses.entry(v).or_default().push(op);
            }
        }
    }
    allocs
        .into_iter()
        .map(|(alloc, buf)| {
            let ty = f.ty(buf);
            let bytes = ty.numel() * u64::from(ty.elem().size_bytes());
            let live = live_interval(f, &positions, alloc, buf, uses.get(&buf));
            BufferLife {
                alloc,
                buf,
                bytes,
                live,
            }
        })
        .collect()
}

/// The live interval of `buf`, made by `alloc` and used by `uses`.
fn live_interval(
    f: &Function,
    positions: &Positions,
    alloc: Op,
    buf: Value,
    uses: Option<&Vec<Op>>,
) -> Interval {
    let home = f.ops[alloc].parent;
    let at_alloc = Interval::point(positions.pos[alloc]);
    // A buffer used otherwise than as the buffer of a `buf_load` or
    // `buf_store` escapes this analysis (as does a use the `alloc` does not
    // dominate, which valid IR rules out): it is live throughout.
    let everywhere = positions.block_span(f, f.body).unwrap_or(at_alloc);
    let mut live: Option<Interval> = None;
    for &op in uses.map_or(&[][..], Vec::as_slice) {
        if !is_access(f, op, buf) {
            return everywhere;
        }
        let Some(outermost) = outermost_loop_below(f, op, home) else {
            return everywhere;
        };
        let span = positions.span(outermost.unwrap_or(op));
        match &mut live {
            Some(i) => i.cover(span),
            None => live = Some(span),
        }
    }
    // A buffer never used is live at its `alloc` only, so it still gets
    // bytes of its own within `local_mem`, as the verifier requires.
    live.unwrap_or(at_alloc)
}

/// Whether `op` only reads or writes through `buf`.
fn is_access(f: &Function, op: Op, buf: Value) -> bool {
    let d = &f.ops[op];
    let at = match d.opcode {
        // Every operand is a buffer it reads or writes at the op.
        Opcode::BufMatmul => return true,
        Opcode::BufLoad | Opcode::BufStore | Opcode::CopyIn | Opcode::CopyGather => 0,
        Opcode::CopyOut => 1,
        _ => return false,
    };
    d.operands
        .iter()
        .enumerate()
        .all(|(i, &v)| (i == at) == (v == buf))
}

/// The outermost `for` or `while` that contains `op` and lies inside block
/// `home` (`Ok(None)` if there is none). `None` if `op` is not inside
/// `home` at all, which valid IR rules out (the `alloc` dominates its uses).
fn outermost_loop_below(f: &Function, op: Op, home: Option<Block>) -> Option<Option<Op>> {
    let mut outermost = None;
    let mut block = f.ops[op].parent;
    loop {
        if block == home {
            return Some(outermost);
        }
        let parent = f.blocks[block?].parent?;
        if matches!(f.ops[parent].opcode, Opcode::For | Opcode::While) {
            outermost = Some(parent);
        }
        block = f.ops[parent].parent;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::parse_function;

    /// Live intervals by `alloc` order, from text.
    fn intervals(text: &str) -> Vec<(u32, u32)> {
        let f = parse_function(text).unwrap_or_else(|e| panic!("{e}"));
        buffer_lives(&f)
            .iter()
            .map(|l| (l.live.start, l.live.end))
            .collect()
    }

    #[test]
    fn loops_inside_the_allocs_block_are_live_as_a_whole() {
        // Positions: 0 alloc, 1 alloc, 2 const, 3 splat, 4 buf_store %1,
        // 5 for { 6 alloc, 7 buf_load %1, 8 buf_store %6, 9 buf_load %6,
        // 10 for { 11 buf_store %2, 12 yield }, 13 yield }, 14 return.
        let lives = intervals(
            "kernel @k() attrs {lanes = 4, local_mem = 0} {
              %1 = alloc {ty = buf<4xi32>, offset = 0} : buf<4xi32>
              %2 = alloc {ty = buf<4xi32>, offset = 0} : buf<4xi32>
              %3 = const {value = 0, ty = i32} : i32
              %4 = splat %3 {shape = [4]} : tile<4xi32>
              buf_store %1, %3, %3
              for %3, %3, %3 {
              ^(%5: i32):
                %6 = alloc {ty = buf<4xi32>, offset = 0} : buf<4xi32>
                %7 = buf_load %1, %5 {lanes = 0} : i32
                buf_store %6, %3, %4
                %8 = buf_load %6, %3 {lanes = 4} : tile<4xi32>
                for %3, %3, %3 {
                ^(%9: i32):
                  buf_store %2, %9, %7
                  yield
                }
                yield
              }
              return
            }",
        );
        // `%1`: from its store through the whole loop reading it.
        // `%2`: the outer loop, which contains its store and lies in the
        // body, not just the inner one. `%6`: made in the loop body, live
        // from its store to its load only.
        assert_eq!(lives, vec![(4, 13), (5, 13), (8, 9)]);
    }

    #[test]
    fn matmul_operands_live_from_first_to_last_use() {
        // Positions: 0-3 allocs, 4 const, 5 buf_matmul, 6 if { 7 buf_matmul,
        // 8 yield } { 9 yield }, 10 return. The accumulator `%4` of the
        // second product lives only in its branch, not throughout.
        let lives = intervals(
            "kernel @k(%0 c: i1) attrs {lanes = 4, local_mem = 0} {
              %1 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
              %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
              %3 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
              %4 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
              %5 = const {value = 0, ty = i32} : i32
              buf_matmul %1, %2, %3, %3 {m = 4, n = 4, k = 4, lda = 4, ldb = 4, ldc = 4}
              if %0 {
                buf_matmul %1, %3, %4, %4 {m = 4, n = 4, k = 4, lda = 4, ldb = 4, ldc = 4}
                yield
              } {
                yield
              }
              return
            }",
        );
        assert_eq!(lives, vec![(5, 7), (5, 5), (5, 7), (7, 7)]);
    }

    #[test]
    fn unused_and_escaping_buffers() {
        let lives = intervals(
            "kernel @k() attrs {lanes = 4, local_mem = 0} {
              %1 = alloc {ty = buf<4xf32>, offset = 0} : buf<4xf32>
              %2 = alloc {ty = buf<4xf32>, offset = 0} : buf<4xf32>
              %3 = const {value = 0, ty = i32} : i32
              %4 = for %3, %3, %3, %2 : buf<4xf32> {
              ^(%5: i32, %6: buf<4xf32>):
                yield %6
              }
              return
            }",
        );
        // `%1` is never used: live at its `alloc`. `%2` is carried by a loop,
        // which the rule does not follow: live throughout.
        assert_eq!(lives, vec![(0, 0), (0, 5)]);
    }
}
