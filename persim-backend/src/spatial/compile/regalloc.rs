//! Register allocation with `regalloc2` (its Ion allocator), then rewriting
//! [`VCode`] into machine [`Inst`]s on physical registers.
//!
//! The three ISA register files map onto regalloc2's three classes (scalar →
//! `Int`, vector → `Float`, mask → `Vector`); `r0` and `m0` are constants and
//! never allocated. A `vmac.f32` accumulator is a reuse-def of its input.
//! Spill slots are SRAM words at [`MemoryMap::spill_base`] (a vector takes
//! `lanes` of them, or `2 lanes` in code with 64-bit values, whose spills
//! are `vst.64`/`vld.64`: the allocator's moves do not know which
//! registers hold 64-bit lanes), reached with `r0`-based absolute addressing so spill
//! code needs no temporary register. A mask spills to one word with `mst`
//! and comes back with `mld` (lane `i` = bit `i`).
//!
//! Post-allocation code is still in program order; the scheduler then packs
//! it into bundles, honouring anti- and output dependences on the physical
//! registers chosen here.

use regalloc2::{
    Allocation, Block, Edit, Function, Inst as RaInst, InstOrEdit, InstRange, MachineEnv,
    Operand as RaOperand, PReg, PRegSet, RegallocOptions,
};

use super::error::{CResult, CompileError};
use super::memory_map::MemoryMap;
use super::vcode::{isa_class, BlockId, SramSpan, Term, VArg, VCode, VInst, VReg};
use crate::spatial::inst::{Inst, Operand};
use crate::spatial::isa::{Opcode, RegClass, Role};
use crate::spatial::machine::Machine;

/// A block of allocated code: straight-line instructions and the terminator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhysBlock {
    pub insts: Vec<Inst>,
    /// `spans[i]`: the SRAM bytes `insts[i]` stays within, when known
    /// (missing entries are unknown).
    pub spans: Vec<Option<SramSpan>>,
    pub term: PhysTerm,
}

/// A terminator on physical registers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhysTerm {
    Jump(BlockId),
    /// The branch instruction (target filled in at layout) and its successors.
    Branch {
        inst: Inst,
        taken: BlockId,
        fall: BlockId,
    },
    Halt,
}

/// Allocation statistics, for debugging and reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AllocStats {
    pub spill_slots: usize,
    pub moves: usize,
    pub spills: usize,
    pub reloads: usize,
}

struct Adapter<'a> {
    code: &'a VCode,
    ranges: Vec<InstRange>,
    operands: Vec<Vec<RaOperand>>,
    /// Per instruction: 0 = ordinary, 1 = branch, 2 = return (`halt`).
    term_kind: Vec<u8>,
    succs: Vec<Vec<Block>>,
    preds: Vec<Vec<Block>>,
    params: Vec<Vec<VReg>>,
    lanes: usize,
    /// The registers whose locations the allocator reports
    /// (`Output::debug_locations`), each over the whole program, by vreg.
    watched: Vec<(VReg, RaInst, RaInst, u32)>,
}

fn operands_of(inst: &VInst) -> Vec<RaOperand> {
    let mut ops = Vec::new();
    for (arg, spec) in inst.args.iter().zip(inst.opcode.info().operands) {
        match *arg {
            VArg::Reg(v) => ops.push(match spec.role {
                Role::Def => RaOperand::reg_def(v),
                _ => RaOperand::reg_use(v),
            }),
            VArg::Tied { def, src } => {
                ops.push(RaOperand::reg_use(src));
                ops.push(RaOperand::reg_reuse_def(def, ops.len() - 1));
            }
            VArg::Mem { base: Some(b), .. } => ops.push(RaOperand::reg_use(b)),
            _ => {}
        }
    }
    if let Some(p) = inst.pred {
        ops.push(RaOperand::reg_use(p));
    }
    ops
}

impl<'a> Adapter<'a> {
    fn new(code: &'a VCode, lanes: usize, watch: &[VReg]) -> Adapter<'a> {
        let mut ranges = Vec::new();
        let mut operands = Vec::new();
        let mut term_kind = Vec::new();
        for b in &code.blocks {
            let start = operands.len();
            for inst in &b.insts {
                operands.push(operands_of(inst));
                term_kind.push(0);
            }
            operands.push(match &b.term {
                Term::Branch { regs, .. } => regs.iter().map(|&r| RaOperand::reg_use(r)).collect(),
                _ => Vec::new(),
            });
            term_kind.push(if matches!(b.term, Term::Halt) { 2 } else { 1 });
            ranges.push(InstRange::new(
                RaInst::new(start),
                RaInst::new(operands.len()),
            ));
        }
        let end = RaInst::new(operands.len());
        let preds = super::cfg::predecessors(code)
            .into_iter()
            .map(|p| p.into_iter().map(|b| Block::new(b.0 as usize)).collect())
            .collect();
        Adapter {
            code,
            ranges,
            operands,
            term_kind,
            succs: code
                .blocks
                .iter()
                .map(|b| {
                    b.term
                        .succs()
                        .iter()
                        .map(|s| Block::new(s.0 as usize))
                        .collect()
                })
                .collect(),
            preds,
            params: code.blocks.iter().map(|b| b.params.clone()).collect(),
            lanes,
            watched: {
                let mut watch = watch.to_vec();
                watch.sort_unstable();
                watch
                    .into_iter()
                    .enumerate()
                    .map(|(label, v)| (v, RaInst::new(0), end, label as u32))
                    .collect()
            },
        }
    }
}

impl Function for Adapter<'_> {
    fn num_insts(&self) -> usize {
        self.operands.len()
    }
    fn num_blocks(&self) -> usize {
        self.code.blocks.len()
    }
    fn entry_block(&self) -> Block {
        Block::new(0)
    }
    fn block_insns(&self, block: Block) -> InstRange {
        self.ranges[block.index()]
    }
    fn block_succs(&self, block: Block) -> &[Block] {
        &self.succs[block.index()]
    }
    fn block_preds(&self, block: Block) -> &[Block] {
        &self.preds[block.index()]
    }
    fn block_params(&self, block: Block) -> &[VReg] {
        &self.params[block.index()]
    }
    fn is_ret(&self, insn: RaInst) -> bool {
        self.term_kind[insn.index()] == 2
    }
    fn is_branch(&self, insn: RaInst) -> bool {
        self.term_kind[insn.index()] == 1
    }
    fn branch_blockparams(&self, block: Block, _insn: RaInst, _succ_idx: usize) -> &[VReg] {
        match &self.code.blocks[block.index()].term {
            Term::Jump(_, args) => args,
            _ => &[],
        }
    }
    fn inst_operands(&self, insn: RaInst) -> &[RaOperand] {
        &self.operands[insn.index()]
    }
    fn inst_clobbers(&self, _insn: RaInst) -> PRegSet {
        PRegSet::empty()
    }
    fn num_vregs(&self) -> usize {
        self.code.classes.len()
    }
    fn debug_value_labels(&self) -> &[(VReg, RaInst, RaInst, u32)] {
        &self.watched
    }
    fn spillslot_size(&self, regclass: regalloc2::RegClass) -> usize {
        match regclass {
            // 64-bit lanes: a vector's spill keeps both halves.
            regalloc2::RegClass::Float if self.code.wide_lanes => 2 * self.lanes,
            regalloc2::RegClass::Float => self.lanes,
            _ => 1,
        }
    }
}

/// The scalar register kept out of allocation for hardware loops' trip
/// counts (`loop` reads it once, at issue, so one serves every loop), when
/// the machine has scalar registers to spare.
pub fn loop_register(machine: &Machine) -> Option<u8> {
    let n = machine.pe.scalar_registers;
    (n >= 8).then(|| (n - 1) as u8)
}

fn env(machine: &Machine) -> MachineEnv {
    let mut preferred = [PRegSet::empty(); 3];
    let p = &machine.pe;
    for n in 1..p.scalar_registers as usize {
        if loop_register(machine) != Some(n as u8) {
            preferred[0].add(PReg::new(n, regalloc2::RegClass::Int));
        }
    }
    for n in 0..p.vector_registers as usize {
        preferred[1].add(PReg::new(n, regalloc2::RegClass::Float));
    }
    for n in 1..p.mask_registers as usize {
        preferred[2].add(PReg::new(n, regalloc2::RegClass::Vector));
    }
    MachineEnv {
        preferred_regs_by_class: preferred,
        non_preferred_regs_by_class: [PRegSet::empty(); 3],
        scratch_by_class: [None; 3],
        fixed_stack_slots: Vec::new(),
    }
}

/// Allocated code: machine instructions per block.
pub struct Allocated {
    pub blocks: Vec<PhysBlock>,
    pub stats: AllocStats,
    /// Those of the watched registers that spent some of the program in a
    /// stack slot.
    pub spilled: Vec<VReg>,
}

/// Allocates registers and returns the code as machine instructions,
/// and which of the registers in `watch` were spilled.
pub fn allocate(
    code: &VCode,
    machine: &Machine,
    map: &MemoryMap,
    watch: &[VReg],
) -> CResult<Allocated> {
    let adapter = Adapter::new(code, machine.lanes() as usize, watch);
    let options = RegallocOptions {
        verbose_log: false,
        validate_ssa: cfg!(debug_assertions),
        algorithm: regalloc2::Algorithm::Ion,
    };
    let out = regalloc2::run(&adapter, &env(machine), &options)
        .map_err(|e| CompileError::new(format!("register allocation failed: {e:?}")))?;
    let mut stats = AllocStats {
        spill_slots: out.num_spillslots,
        ..AllocStats::default()
    };
    let mut blocks = Vec::with_capacity(code.blocks.len());
    for (bi, vb) in code.blocks.iter().enumerate() {
        let mut insts = Vec::new();
        let mut spans = Vec::new();
        let mut term = PhysTerm::Halt;
        let mut k = 0;
        for item in out.block_insts_and_edits(&adapter, Block::new(bi)) {
            match item {
                InstOrEdit::Edit(Edit::Move { from, to }) => {
                    if from != to {
                        let spill = SpillForm::new(machine, code.wide_lanes);
                        insts.push(move_inst(*from, *to, map, spill, &mut stats)?);
                        spans.push(None);
                    }
                }
                InstOrEdit::Inst(i) => {
                    let allocs = out.inst_allocs(i);
                    if k < vb.insts.len() {
                        insts.push(rewrite(&vb.insts[k], allocs)?);
                        spans.push(vb.insts[k].span);
                    } else {
                        term = match &vb.term {
                            Term::Jump(to, _) => PhysTerm::Jump(*to),
                            Term::Halt => PhysTerm::Halt,
                            Term::Branch {
                                opcode,
                                taken,
                                fall,
                                ..
                            } => {
                                let mut ops: Vec<Operand> =
                                    allocs.iter().map(|a| phys(*a)).collect::<CResult<_>>()?;
                                ops.push(Operand::Target(0));
                                PhysTerm::Branch {
                                    inst: build(*opcode, &ops)?,
                                    taken: *taken,
                                    fall: *fall,
                                }
                            }
                        };
                    }
                    k += 1;
                }
            }
        }
        blocks.push(PhysBlock { insts, spans, term });
    }
    let mut spilled: Vec<VReg> = out
        .debug_locations
        .iter()
        .filter(|(_, _, _, at)| at.is_stack())
        .map(|&(label, ..)| adapter.watched[label as usize].0)
        .collect();
    spilled.dedup();
    Ok(Allocated {
        blocks,
        stats,
        spilled,
    })
}

fn build(opcode: Opcode, ops: &[Operand]) -> CResult<Inst> {
    Inst::new(opcode, ops).map_err(|e| CompileError::new(format!("internal error: {e}")))
}

fn phys(a: Allocation) -> CResult<Operand> {
    let r = a.as_reg().ok_or_else(|| {
        CompileError::new("internal error: an operand was allocated to a stack slot")
    })?;
    Ok(Operand::Reg(isa_class(r.class()), r.hw_enc() as u8))
}

fn preg(a: Allocation) -> CResult<u8> {
    match phys(a)? {
        Operand::Reg(_, n) => Ok(n),
        _ => unreachable!(),
    }
}

/// A machine instruction from a [`VInst`] and its operands' allocations
/// (in the order [`operands_of`] listed them).
fn rewrite(v: &VInst, allocs: &[Allocation]) -> CResult<Inst> {
    let mut next = allocs.iter();
    let mut take = || {
        next.next()
            .copied()
            .ok_or_else(|| CompileError::new("internal error: allocation count"))
    };
    let mut ops = Vec::with_capacity(v.args.len());
    for arg in &v.args {
        ops.push(match *arg {
            VArg::Reg(_) => phys(take()?)?,
            VArg::Tied { .. } => {
                let src = take()?;
                let def = take()?;
                debug_assert_eq!(src.as_reg(), def.as_reg(), "reuse-def in another register");
                phys(def)?
            }
            VArg::Zero(class) => Operand::Reg(class, 0),
            VArg::Acc(n) => Operand::Reg(RegClass::Acc, n),
            VArg::Imm(i) => Operand::Imm(i),
            VArg::Mem { base, offset } => {
                let b = match base {
                    Some(_) => preg(take()?)?,
                    None => 0,
                };
                Operand::mem(b, offset)
            }
            VArg::Lock(l) => Operand::Lock(l),
            VArg::Channel(c) => Operand::Channel(c),
            VArg::Lane(l) => Operand::Lane(l),
            VArg::Count(c) => Operand::Count(c),
        });
    }
    let mut inst = build(v.opcode, &ops)?;
    if v.pred.is_some() {
        let m = preg(take()?)?;
        inst = inst
            .masked(m)
            .map_err(|e| CompileError::new(format!("internal error: {e}")))?;
    }
    Ok(inst)
}

/// How vector registers spill: whole 64-bit lanes in code with 64-bit
/// values, else their low halves.
#[derive(Clone, Copy)]
struct SpillForm {
    vector_store: Opcode,
    vector_load: Opcode,
    vector_bytes: usize,
}

impl SpillForm {
    fn new(machine: &Machine, wide_lanes: bool) -> SpillForm {
        let bytes = machine.vector_bytes() as usize;
        match wide_lanes {
            true => SpillForm {
                vector_store: Opcode::Vst64,
                vector_load: Opcode::Vld64,
                vector_bytes: 2 * bytes,
            },
            false => SpillForm {
                vector_store: Opcode::Vst,
                vector_load: Opcode::Vld,
                vector_bytes: bytes,
            },
        }
    }
}

/// A register move, spill or reload.
fn move_inst(
    from: Allocation,
    to: Allocation,
    map: &MemoryMap,
    spill: SpillForm,
    stats: &mut AllocStats,
) -> CResult<Inst> {
    let SpillForm {
        vector_store,
        vector_load,
        vector_bytes,
    } = spill;
    let slot_bytes = |class| match class {
        RegClass::Vector => vector_bytes,
        _ => 4,
    };
    match (from.as_reg(), to.as_reg(), from.as_stack(), to.as_stack()) {
        (Some(a), Some(b), _, _) => {
            stats.moves += 1;
            let (class, d, s) = (isa_class(a.class()), b.hw_enc() as u8, a.hw_enc() as u8);
            match class {
                RegClass::Scalar => build(Opcode::Mov, &[Operand::s(d), Operand::s(s)]),
                RegClass::Vector => build(Opcode::Vmov, &[Operand::v(d), Operand::v(s)]),
                _ => build(Opcode::Mand, &[Operand::m(d), Operand::m(s), Operand::m(0)]),
            }
        }
        (Some(a), None, _, Some(slot)) => {
            stats.spills += 1;
            let addr = map.spill_slot(slot.index(), slot_bytes(isa_class(a.class())))? as i32;
            match isa_class(a.class()) {
                RegClass::Scalar => build(
                    Opcode::Sw,
                    &[Operand::s(a.hw_enc() as u8), Operand::mem(0, addr)],
                ),
                RegClass::Vector => build(
                    vector_store,
                    &[Operand::v(a.hw_enc() as u8), Operand::mem(0, addr)],
                ),
                _ => build(
                    Opcode::Mst,
                    &[Operand::m(a.hw_enc() as u8), Operand::mem(0, addr)],
                ),
            }
        }
        (None, Some(b), Some(slot), _) => {
            stats.reloads += 1;
            let addr = map.spill_slot(slot.index(), slot_bytes(isa_class(b.class())))? as i32;
            match isa_class(b.class()) {
                RegClass::Scalar => build(
                    Opcode::Lw,
                    &[Operand::s(b.hw_enc() as u8), Operand::mem(0, addr)],
                ),
                RegClass::Vector => build(
                    vector_load,
                    &[Operand::v(b.hw_enc() as u8), Operand::mem(0, addr)],
                ),
                _ => build(
                    Opcode::Mld,
                    &[Operand::m(b.hw_enc() as u8), Operand::mem(0, addr)],
                ),
            }
        }
        _ => Err(CompileError::new("internal error: a stack-to-stack move")),
    }
}
