//! Spilled constants rematerialized in the blocks that read them.
//!
//! The instruction selector loads a constant (`li`) once, where the IR
//! value is defined, and every later block reads that register. A
//! constant read on both sides of a loop that does not read it is then
//! live through the loop, and when the loop needs every register
//! regalloc2 (which does not rematerialize) spills the constant and
//! reloads it — inside the loop: the tutorial matmul's zero fill stored
//! and reloaded `16384` in each of its 128 iterations, a store, a load and
//! three `nop`s of load latency each time. So `compile` allocates once,
//! asks the allocator which constants it put in a stack slot anywhere
//! (`regalloc::Allocated::spilled`), gives each block that reads one of
//! those its own `li` before its first read (as Cranelift rematerializes
//! constants per block), and allocates again. A copy lives only from its
//! block's first read to its last; the original goes when nothing reads
//! it any more (`dce`). Constants the allocator kept in registers keep
//! their one `li`: a copy in a block of scalar protocol code costs a
//! bundle there (copying every constant read in another block cost the
//! 1024³ matmul 386 cycles).
//!
//! A block never takes a copy of a constant defined outside a loop it is
//! in (the `li` would run at every iteration), and counted-loop headers
//! are left alone: `assemble` turns a header that is only its `bge` into a
//! hardware loop, and an `li` there would keep it a branch.

use std::collections::HashMap;

use super::error::CResult;
use super::memory_map::MemoryMap;
use super::regalloc::{AllocStats, PhysBlock};
use super::vcode::{Term, VArg, VCode, VInst, VReg};
use crate::spatial::isa::{Opcode, RegClass};
use crate::spatial::machine::Machine;

/// Registers allocated; when the allocator spilled constants, again
/// after copying them into the blocks that read them (`remat`).
pub fn allocate(
    code: &mut VCode,
    machine: &Machine,
    map: &MemoryMap,
) -> CResult<(Vec<PhysBlock>, AllocStats)> {
    let constants = constants(code);
    let watch: Vec<VReg> = constants.keys().copied().collect();
    let first = super::regalloc::allocate(code, machine, map, &watch)?;
    if first.spilled.is_empty() {
        return Ok((first.blocks, first.stats));
    }
    let spilled = first.spilled.iter().map(|v| (*v, constants[v])).collect();
    rematerialize(code, &spilled);
    super::dce::remove_dead_scalar_ops(code);
    let again = super::regalloc::allocate(code, machine, map, &[])?;
    Ok((again.blocks, again.stats))
}

/// Gives every block that reads one of `constants` (from [`constants`])
/// defined in another block its own `li` of it.
pub fn rematerialize(code: &mut VCode, constants: &HashMap<VReg, (usize, i32)>) {
    if constants.is_empty() {
        return;
    }
    let depth = super::cfg::loop_depths(code);
    // A block takes its own copy of a constant defined no deeper in loops:
    // one deeper would run the `li` at every iteration.
    let copies = |def_block: usize, b: usize| def_block != b && depth[b] <= depth[def_block];
    for b in 0..code.blocks.len() {
        if code.blocks[b].trips.is_some() {
            continue;
        }
        let mut local: HashMap<VReg, VReg> = HashMap::new();
        let mut insts = Vec::with_capacity(code.blocks[b].insts.len());
        // The block's copy of `v`, made (an `li` appended) at its first read.
        let mut copy_of = |code: &mut VCode, insts: &mut Vec<VInst>, v: VReg| {
            let &(def_block, imm) = constants.get(&v)?;
            if !copies(def_block, b) {
                return None;
            }
            Some(*local.entry(v).or_insert_with(|| {
                let fresh = code.new_vreg(RegClass::Scalar);
                insts.push(li(fresh, imm));
                fresh
            }))
        };
        for mut inst in std::mem::take(&mut code.blocks[b].insts) {
            let mut renamed = HashMap::new();
            for v in inst.regs().0 {
                if let Some(fresh) = copy_of(code, &mut insts, v) {
                    renamed.insert(v, fresh);
                }
            }
            rename_uses(&mut inst, &renamed);
            insts.push(inst);
        }
        let mut term = std::mem::replace(&mut code.blocks[b].term, Term::Halt);
        let term_regs: &mut [VReg] = match &mut term {
            Term::Jump(_, args) => args,
            Term::Branch { regs, .. } => regs,
            Term::Halt => &mut [],
        };
        for v in term_regs.iter_mut() {
            if let Some(fresh) = copy_of(code, &mut insts, *v) {
                *v = fresh;
            }
        }
        code.blocks[b].insts = insts;
        code.blocks[b].term = term;
    }
}

/// Scalar registers whose one definition is an unpredicated `li`: their
/// block and value.
pub fn constants(code: &VCode) -> HashMap<VReg, (usize, i32)> {
    let mut defs: HashMap<VReg, Option<(usize, i32)>> = HashMap::new();
    for (b, block) in code.blocks.iter().enumerate() {
        for &p in &block.params {
            defs.insert(p, None);
        }
        for inst in &block.insts {
            let constant = match (inst.opcode, inst.args.as_slice(), inst.pred) {
                (Opcode::Li, [VArg::Reg(_), VArg::Imm(imm)], None) => Some((b, *imm)),
                _ => None,
            };
            for d in inst.regs().1 {
                defs.entry(d)
                    .and_modify(|seen| *seen = None)
                    .or_insert(constant);
            }
        }
    }
    defs.into_iter()
        .filter_map(|(v, def)| Some((v, def?)))
        .collect()
}

fn li(rd: VReg, imm: i32) -> VInst {
    VInst::new(Opcode::Li, &[VArg::Reg(rd), VArg::Imm(imm)])
}

/// Replaces the registers `inst` reads by their block-local copies.
fn rename_uses(inst: &mut VInst, local: &HashMap<VReg, VReg>) {
    if local.is_empty() {
        return;
    }
    let renamed = |v: VReg| local.get(&v).copied().unwrap_or(v);
    let roles = inst.opcode.info().operands;
    for (arg, spec) in inst.args.iter_mut().zip(roles) {
        match arg {
            VArg::Reg(v) if spec.role != crate::spatial::isa::Role::Def => *v = renamed(*v),
            VArg::Tied { src, .. } => *src = renamed(*src),
            VArg::Mem { base: Some(b), .. } => *b = renamed(*b),
            _ => {}
        }
    }
    if let Some(p) = inst.pred.as_mut() {
        *p = renamed(*p);
    }
}

#[cfg(test)]
mod tests {
    use persim_lang::ir::parse_function;
    use smallvec::smallvec;

    use super::super::vcode::BlockId;
    use super::*;

    fn sw(v: VReg, offset: i32) -> VInst {
        VInst::new(
            Opcode::Sw,
            &[VArg::Reg(v), VArg::Mem { base: None, offset }],
        )
    }

    fn lw(v: VReg, offset: i32) -> VInst {
        VInst::new(
            Opcode::Lw,
            &[VArg::Reg(v), VArg::Mem { base: None, offset }],
        )
    }

    fn scalar(code: &mut VCode) -> VReg {
        code.new_vreg(RegClass::Scalar)
    }

    /// The `li`s and the registers the stores of `block` read.
    fn shape(code: &VCode, block: usize) -> (Vec<i32>, Vec<VReg>) {
        let insts = &code.blocks[block].insts;
        let lis = insts
            .iter()
            .filter_map(|i| match i.args.as_slice() {
                [VArg::Reg(_), VArg::Imm(k)] if i.opcode == Opcode::Li => Some(*k),
                _ => None,
            })
            .collect();
        let stored = insts
            .iter()
            .filter(|i| i.opcode == Opcode::Sw)
            .map(|i| i.regs().0[0])
            .collect();
        (lis, stored)
    }

    #[test]
    fn blocks_at_the_constants_depth_get_their_own_li_and_loops_do_not() {
        // b0 defines c; b1 is a loop (its own back edge) that reads it;
        // b2, after the loop, reads it twice and passes it on; b3 is a
        // counted loop's header that reads it in its branch.
        let mut code = VCode::default();
        let b: Vec<BlockId> = (0..5).map(|_| code.new_block()).collect();
        let (c, other, x) = (scalar(&mut code), scalar(&mut code), scalar(&mut code));
        code.block(b[0]).insts = vec![li(c, 16384), li(other, 7), lw(x, 0)];
        code.block(b[0]).term = Term::Jump(b[1], vec![]);
        code.block(b[1]).insts = vec![sw(c, 4)];
        code.block(b[1]).term = Term::Branch {
            opcode: Opcode::Bge,
            regs: smallvec![x, other],
            taken: b[1],
            fall: b[2],
        };
        code.block(b[2]).insts = vec![sw(c, 8), sw(other, 12), sw(c, 16)];
        code.block(b[2]).term = Term::Jump(b[3], vec![]);
        code.block(b[3]).trips = Some(4);
        code.block(b[3]).term = Term::Branch {
            opcode: Opcode::Bge,
            regs: smallvec![x, c],
            taken: b[4],
            fall: b[4],
        };
        let constants = constants(&code);
        assert_eq!(constants[&c], (0, 16384));
        assert_eq!(constants[&other], (0, 7));
        assert!(!constants.contains_key(&x), "a load is not a constant");
        let only_c: HashMap<_, _> = [(c, constants[&c])].into();
        rematerialize(&mut code, &only_c);
        assert_eq!(
            shape(&code, 1),
            (vec![], vec![c]),
            "the loop keeps reading c"
        );
        let (lis, stored) = shape(&code, 2);
        assert_eq!(lis, [16384], "one copy for both reads");
        assert_ne!(stored[0], c);
        assert_eq!(stored, [stored[0], other, stored[0]]);
        assert!(
            code.blocks[3].insts.is_empty(),
            "a counted loop's header stays bare"
        );
    }

    /// `n` values loaded before a loop, each stored three times in it (so
    /// the allocator would rather keep them in registers), with a constant
    /// defined before the loop and read only after it.
    fn crowded_loop(n: usize) -> (VCode, VReg) {
        let mut code = VCode::default();
        let b: Vec<BlockId> = (0..5).map(|_| code.new_block()).collect();
        let xs: Vec<VReg> = (0..n).map(|_| scalar(&mut code)).collect();
        let (c, zero, i, next) = (
            scalar(&mut code),
            scalar(&mut code),
            scalar(&mut code),
            scalar(&mut code),
        );
        let mut entry: Vec<VInst> = xs.iter().zip(0..).map(|(&x, k)| lw(x, 4 * k)).collect();
        entry.extend([li(c, 16384), li(zero, 0)]);
        code.block(b[0]).insts = entry;
        code.block(b[0]).term = Term::Jump(b[1], vec![zero]);
        code.block(b[1]).params = vec![i];
        let mut body: Vec<VInst> = (0..3)
            .flat_map(|round| {
                xs.iter()
                    .zip(0..)
                    .map(move |(&x, k)| sw(x, 512 * (round + 1) + 4 * k))
            })
            .collect();
        body.push(VInst::new(
            Opcode::Addi,
            &[VArg::Reg(next), VArg::Reg(i), VArg::Imm(1)],
        ));
        code.block(b[1]).insts = body;
        code.block(b[1]).term = Term::Branch {
            opcode: Opcode::Bge,
            regs: smallvec![next, xs[0]],
            taken: b[3],
            fall: b[2],
        };
        code.block(b[2]).term = Term::Jump(b[1], vec![next]);
        code.block(b[3]).insts = vec![sw(c, 1024)];
        code.block(b[3]).term = Term::Jump(b[4], vec![]);
        (code, c)
    }

    #[test]
    fn a_constant_spilled_around_a_crowded_loop_is_loaded_again_after_it_instead_of_reloaded() {
        let machine = Machine::default_model();
        let f = parse_function("kernel @k() attrs {lanes = 16, local_mem = 0} { return }")
            .expect("parses");
        let map = MemoryMap::new(&f, &machine).expect("maps");
        // 28 values, the counter and its next value, and the constant: one
        // more than the 30 scalar registers the allocator has.
        let (code, c) = crowded_loop(29);
        let watch: Vec<VReg> = constants(&code).keys().copied().collect();
        let plain = super::super::regalloc::allocate(&code, &machine, &map, &watch).unwrap();
        assert_eq!(plain.spilled, [c], "the allocator spills the constant");
        let mut code = code;
        let (blocks, stats) = allocate(&mut code, &machine, &map).unwrap();
        assert!(plain.stats.spills > 0 && plain.stats.reloads > 0);
        assert_eq!(stats.spills + stats.reloads, 0, "{stats:?}");
        assert_eq!(blocks.len(), 5);
        assert_eq!(
            shape(&code, 3).0,
            [16384],
            "the block after the loop loads it"
        );
        assert!(
            code.blocks[0]
                .insts
                .iter()
                .all(|i| i.opcode != Opcode::Li || !matches!(i.args[1], VArg::Imm(16384))),
            "the original is gone"
        );
    }
}
