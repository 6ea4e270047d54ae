//! Register renaming after allocation: vector values whose life ends in
//! their block move to the least recently used free register.
//!
//! `regalloc2` hands out the lowest free register, so an unrolled loop body
//! reuses `v0` and `v1` for every load feeding a `mop`: each load must then
//! wait for the previous `mop` to read its register (anti dependence) and
//! each `mop` 4 cycles for its load, and the scheduler, which runs after
//! allocation, finds no parallelism (the matmul inner loop issued one `mop`
//! every 4 cycles). Renaming each block-local live range to the register
//! whose last reference is oldest spreads them over the file, the same
//! effect as GCC's `regrename` before its second scheduling pass, without
//! changing the allocation's pressure (a range only takes a register free
//! over the whole range).
//!
//! A live range here starts at an unpredicated definition and ends at its
//! last use before the next definition of the register. It stays put when
//! the value leaves the block (live out) or feeds a read-modify-write (a
//! tied operand or a predicated definition, which merges the old lanes).

use std::collections::BTreeSet;

use super::regalloc::{PhysBlock, PhysTerm};
use crate::spatial::inst::{placements, Inst, Placement};
use crate::spatial::isa::{OperandKind, RegClass, Role};

/// The class renamed: vector registers carry the loads and products of
/// unrolled loops.
const CLASS: RegClass = RegClass::Vector;

/// How one instruction refers to a vector register.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ref {
    /// Read only.
    Use,
    /// Written only (a fresh value).
    Def,
    /// Read and written (tied, or a predicated write that keeps lanes).
    Update,
}

/// The vector register fields of `inst`: (field index, register, ref).
fn vector_fields(inst: &Inst) -> Vec<(usize, u8, Ref)> {
    let predicated = inst.mask != 0;
    placements(inst.info())
        .filter_map(|(spec, place)| match (spec.kind, place) {
            (OperandKind::Reg(CLASS), Placement::Field(f)) => {
                let r = match spec.role {
                    Role::Use => Ref::Use,
                    Role::Def if !predicated => Ref::Def,
                    _ => Ref::Update,
                };
                Some((f, inst.fields[f], r))
            }
            _ => None,
        })
        .collect()
}

/// How `inst` refers to register `reg`, merged over its operands.
fn reference(inst: &Inst, reg: u8) -> Option<Ref> {
    vector_fields(inst)
        .into_iter()
        .filter(|&(_, r, _)| r == reg)
        .map(|(_, _, k)| k)
        .reduce(|a, b| if a == b { a } else { Ref::Update })
}

type Regs = u64;

fn successors(term: &PhysTerm) -> Vec<usize> {
    match term {
        PhysTerm::Jump(b) => vec![b.0 as usize],
        PhysTerm::Branch { taken, fall, .. } => vec![taken.0 as usize, fall.0 as usize],
        PhysTerm::Halt => Vec::new(),
    }
}

/// Vector registers live out of each block.
fn live_out(blocks: &[PhysBlock]) -> Vec<Regs> {
    // Per block: read before written (gen) and written (kill).
    let summary: Vec<(Regs, Regs)> = blocks
        .iter()
        .map(|b| {
            let (mut gen, mut kill) = (0u64, 0u64);
            for inst in &b.insts {
                for (_, r, k) in vector_fields(inst) {
                    if k != Ref::Def && kill & (1 << r) == 0 {
                        gen |= 1 << r;
                    }
                }
                for (_, r, k) in vector_fields(inst) {
                    if k != Ref::Use {
                        kill |= 1 << r;
                    }
                }
            }
            (gen, kill)
        })
        .collect();
    let succ: Vec<Vec<usize>> = blocks.iter().map(|b| successors(&b.term)).collect();
    let mut live_in = vec![0u64; blocks.len()];
    let mut out = vec![0u64; blocks.len()];
    let mut changed = true;
    while changed {
        changed = false;
        for b in (0..blocks.len()).rev() {
            let o = succ[b].iter().fold(0, |m, &s| m | live_in[s]);
            let i = summary[b].0 | (o & !summary[b].1);
            if o != out[b] || i != live_in[b] {
                out[b] = o;
                live_in[b] = i;
                changed = true;
            }
        }
    }
    out
}

/// Renames block-local vector live ranges of every block (see the module
/// documentation); `registers` is the size of the vector file.
pub fn rename_vectors(blocks: &mut [PhysBlock], registers: u32) {
    let outs = live_out(blocks);
    for (block, &out) in blocks.iter_mut().zip(&outs) {
        rename_block(&mut block.insts, out, registers.min(64) as u8);
    }
}

fn rename_block(insts: &mut [Inst], live_out: Regs, registers: u8) {
    // Positions referring to each register, kept current as ranges move.
    let mut refs: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); registers as usize];
    for (i, inst) in insts.iter().enumerate() {
        for (_, r, _) in vector_fields(inst) {
            if let Some(set) = refs.get_mut(r as usize) {
                set.insert(i);
            }
        }
    }
    for start in 0..insts.len() {
        let defs: Vec<(usize, u8)> = vector_fields(&insts[start])
            .into_iter()
            .filter(|&(_, _, k)| k == Ref::Def)
            .map(|(f, r, _)| (f, r))
            .collect();
        for (field, reg) in defs {
            if reg >= registers || reference(&insts[start], reg) != Some(Ref::Def) {
                continue;
            }
            let Some(uses) = range_uses(insts, &refs[reg as usize], start, reg, live_out) else {
                continue;
            };
            let last = uses.last().copied().unwrap_or(start);
            let Some(to) = free_register(insts, &refs, start, last, live_out, reg) else {
                continue;
            };
            insts[start].fields[field] = to;
            let mut moved = vec![start];
            for &u in &uses {
                for (f, r, k) in vector_fields(&insts[u]) {
                    if r == reg && k == Ref::Use {
                        insts[u].fields[f] = to;
                    }
                }
                moved.push(u);
            }
            for p in moved {
                if reference(&insts[p], reg).is_none() {
                    refs[reg as usize].remove(&p);
                }
                refs[to as usize].insert(p);
            }
        }
    }
}

/// The uses of the value `insts[start]` defines in `reg`, or `None` when
/// the range must stay (live out, or read-modified before redefinition).
fn range_uses(
    insts: &[Inst],
    positions: &BTreeSet<usize>,
    start: usize,
    reg: u8,
    live_out: Regs,
) -> Option<Vec<usize>> {
    let mut uses = Vec::new();
    for &p in positions.range(start + 1..) {
        let fields = vector_fields(&insts[p]);
        let mine: Vec<Ref> = fields
            .iter()
            .filter(|&&(_, r, _)| r == reg)
            .map(|&(_, _, k)| k)
            .collect();
        if mine.contains(&Ref::Update) {
            return None;
        }
        if mine.contains(&Ref::Use) {
            uses.push(p);
        }
        if mine.contains(&Ref::Def) {
            return Some(uses);
        }
    }
    (live_out & (1 << reg) == 0).then_some(uses)
}

/// The least recently referenced register free over `[start, last]`: no
/// reference inside, and its next reference after (if any) a fresh
/// definition, so whatever it held is dead.
fn free_register(
    insts: &[Inst],
    refs: &[BTreeSet<usize>],
    start: usize,
    last: usize,
    live_out: Regs,
    current: u8,
) -> Option<u8> {
    let mut best: Option<(Option<usize>, u8)> = None;
    for (r, positions) in refs.iter().enumerate() {
        let r = r as u8;
        if r == current || positions.range(start..=last).next().is_some() {
            continue;
        }
        let dead_after = match positions.range(last + 1..).next() {
            Some(&p) => reference(&insts[p], r) == Some(Ref::Def),
            None => live_out & (1 << r) == 0,
        };
        if !dead_after {
            continue;
        }
        let recent = positions.range(..start).next_back().copied();
        if best.is_none_or(|(b, _)| recent < b) {
            best = Some((recent, r));
        }
    }
    // Only move when it frees the range from a more recent neighbour.
    let here = refs[current as usize].range(..start).next_back().copied();
    best.filter(|&(recent, _)| recent < here).map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spatial::compile::vcode::BlockId;
    use crate::spatial::inst::Operand;
    use crate::spatial::isa::Opcode;

    fn vld(d: u8, offset: i32) -> Inst {
        Inst::new(Opcode::Vld, &[Operand::v(d), Operand::mem(0, offset)]).unwrap()
    }

    fn vadd(d: u8, a: u8, b: u8) -> Inst {
        Inst::new(
            Opcode::VaddF,
            &[Operand::v(d), Operand::v(a), Operand::v(b)],
        )
        .unwrap()
    }

    fn vst(v: u8, offset: i32) -> Inst {
        Inst::new(Opcode::Vst, &[Operand::v(v), Operand::mem(0, offset)]).unwrap()
    }

    #[test]
    fn reused_registers_move_to_the_least_recently_used_and_live_outs_stay() {
        // v0 and v1 carry two independent load/add/store chains; v2 is
        // read by the next block.
        let first = vec![
            vld(0, 0),
            vadd(1, 0, 0),
            vst(1, 256),
            vld(0, 64),
            vadd(1, 0, 0),
            vst(1, 320),
            vld(2, 128),
        ];
        let mut blocks = vec![
            PhysBlock {
                insts: first,
                spans: vec![],
                term: PhysTerm::Jump(BlockId(1)),
            },
            PhysBlock {
                insts: vec![vst(2, 384)],
                spans: vec![],
                term: PhysTerm::Halt,
            },
        ];
        rename_vectors(&mut blocks, 8);
        let b = &blocks[0].insts;
        // The first chain keeps v0/v1 (nothing older to move to); the
        // second takes registers no earlier instruction touched (v2 too:
        // its value is only defined after the chain).
        assert_eq!((b[0].fields[0], b[1].fields[0]), (0, 1));
        let (load, add) = (b[3].fields[0], b[4].fields[0]);
        assert!(
            ![0, 1].contains(&load) && ![0, 1, load].contains(&add),
            "{b:?}"
        );
        assert_eq!(
            (b[4].fields[1], b[4].fields[2], b[5].fields[0]),
            (load, load, add)
        );
        // The live-out value stays where the next block reads it.
        assert_eq!(b[6].fields[0], 2);
        assert_eq!(blocks[1].insts[0].fields[0], 2);
    }

    #[test]
    fn read_modify_write_ranges_stay() {
        // `vmac.f32` reads and writes v0: the value defined by the load
        // continues into it, so the load keeps v0.
        let mac = Inst::new(
            Opcode::VmacF,
            &[Operand::v(0), Operand::v(1), Operand::v(1)],
        )
        .unwrap();
        let mut blocks = vec![PhysBlock {
            insts: vec![vld(3, 0), vld(0, 64), vld(1, 128), mac, vst(0, 256)],
            spans: vec![],
            term: PhysTerm::Halt,
        }];
        rename_vectors(&mut blocks, 8);
        let b = &blocks[0].insts;
        assert_eq!(b[1].fields[0], 0);
        assert_eq!((b[3].fields[0], b[4].fields[0]), (0, 0));
        assert_eq!(b[3].fields[1], b[2].fields[0]);
    }
}
