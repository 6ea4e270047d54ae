//! Instruction selection: lowered IR → [`VCode`] on virtual registers.
//!
//! Values map to registers by type: a scalar (integer, pointer, `f32` bit
//! pattern, `i1` as 0/1) to a scalar register, a `[lanes]` vector to a vector
//! register, a vector of `i1` to a mask register. Buffers have no register:
//! their SRAM address is a compile-time constant ([`MemoryMap`]).
//!
//! The program of one PE is a loop over the program instances placed on it;
//! each iteration computes the program ids from the linear instance index and
//! runs the kernel body, whose `return` jumps to the next instance.
//!
//! Files: `arith.rs` (elementwise ops, casts, reductions), `memory.rs`
//! (local buffers), `matmul/` (`buf_matmul` on the matrix unit), `dma.rs` (global loads and stores through DMA),
//! `control.rs` (`for`, `if`, `while`), `atomic.rs` (`amo.*`), `debug.rs` (`assert`, `print`), `narrow.rs` (8/16-bit integers,
//! `f16` and `bf16` in 32-bit registers), `share.rs` (copies shared along a chain of PEs), `handoff.rs` (tensors
//! handed PE to PE between the kernels of a graph), `wide.rs` (64-bit
//! elements in 64-bit vector lanes).

mod arith;
mod atomic;
mod control;
mod debug;
mod dma;
mod handoff;
mod matmul;
mod memory;
mod narrow;
mod share;
mod wide;

use std::collections::HashMap;

use persim_lang::ir::{Block, Dtype, Effect, Elem, Function, Loc, Op, Opcode as IrOp, Type, Value};

use super::error::{CResult, CompileError};
use super::handoff::HandoffPlan;
use super::memory_map::MemoryMap;
use super::share::SharePlan;
use super::vcode::{BlockId, Term, VArg, VCode, VInst, VReg};
use crate::spatial::isa::{Opcode, RegClass};
use crate::spatial::machine::Machine;

/// Which program instances one PE runs. Per-PE facts live in SRAM
/// ([`MemoryMap::pe_first`] and the instance table), so every PE runs the
/// same code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceSet {
    /// The instances `first, first + step, ...` below `total`, `first`
    /// being the word at `pe_first` (round-robin placement).
    Strided { step: u32, total: u32 },
    /// The word at `pe_first` is a count `n`; the PE runs the instances
    /// listed in the `n` words from SRAM address `table` (any placement).
    Listed { table: u32 },
}

/// Everything instruction selection needs besides the function.
#[derive(Clone, Debug)]
pub struct IselInput<'a> {
    pub machine: &'a Machine,
    pub map: &'a MemoryMap,
    /// The 32-bit word of each parameter: an off-chip address or scalar bits.
    pub arg_words: &'a [u64],
    pub grid: [u32; 3],
    pub instances: InstanceSet,
    /// The copies read once per group and forwarded over the NoC, when
    /// the launch shares panels (`compile/share.rs`).
    pub shared: Option<&'a SharePlan>,
    /// The copies that hand a tensor to or from another kernel of a graph
    /// launch (`compile/handoff.rs`).
    pub handoffs: Option<&'a HandoffPlan>,
}

pub(super) struct Isel<'a> {
    f: &'a Function,
    input: IselInput<'a>,
    lanes: u32,
    code: VCode,
    cur: BlockId,
    values: HashMap<Value, VReg>,
    pids: [Option<VReg>; 3],
    /// Where `return` goes: the next program instance.
    next_instance: BlockId,
    /// The op being selected, for error locations.
    loc: Loc,
    /// Number of uses of each IR value (for fusing `mul` into `vmac`).
    uses: HashMap<Value, u32>,
    /// Registers known to hold a constant (from `li`), for address folding.
    consts: HashMap<VReg, i32>,
    /// Scaled index registers made in a block: `(block, index, shift)`.
    scaled: HashMap<(BlockId, VReg, i32), VReg>,
    /// Whether a run of merged gathers may be open (`dma.rs`).
    gather_open: bool,
    /// SRAM ranges `copy_gather`s write into.
    gather_ranges: Vec<(u32, u32)>,
    /// Whether the kernel has `async` copies (`dma.rs` keeps a channel for them).
    has_async_copies: bool,
    /// Block copies started and not yet waited for (`dma.rs`).
    pending: Vec<dma::PendingCopy>,
    /// The `assert`/`print` sites, numbered by `dbg` events (`debug.rs`).
    debug_sites: Vec<crate::abi::DebugSite>,
    /// Per shared stream, its read-only role words loaded once at entry
    /// (`share.rs`).
    stream_roles: Vec<share::RoleRegs>,
}

/// Selects instructions for the whole PE program.
pub fn select(f: &Function, input: IselInput<'_>) -> CResult<VCode> {
    let lanes = f
        .attrs
        .int("lanes")
        .ok_or_else(|| CompileError::new("the function is not lowered (no `lanes` attribute)"))?;
    if lanes != i64::from(input.machine.lanes()) {
        return Err(CompileError::new(format!(
            "the IR was lowered for {lanes} lanes but the machine's vectors have {} (pe.vector_bits)",
            input.machine.lanes()
        )));
    }
    let mut code = VCode::default();
    let entry = code.new_block();
    let mut s = Isel {
        f,
        input,
        lanes: lanes as u32,
        code,
        cur: entry,
        values: HashMap::new(),
        pids: [None; 3],
        next_instance: entry,
        loc: Loc::UNKNOWN,
        uses: HashMap::new(),
        consts: HashMap::new(),
        pending: Vec::new(),
        debug_sites: Vec::new(),
        stream_roles: Vec::new(),
        scaled: HashMap::new(),
        gather_open: false,
        gather_ranges: Vec::new(),
        has_async_copies: f.all_ops().into_iter().any(|op| {
            let d = f.op(op);
            d.opcode == IrOp::CopyIn && d.attrs.get("async").is_some()
        }),
    };
    for op in f.all_ops() {
        for &v in &f.op(op).operands {
            *s.uses.entry(v).or_default() += 1;
        }
        let d = f.op(op);
        if d.opcode == IrOp::CopyGather {
            if let (Some(place), Type::Buf { len, .. }) =
                (s.input.map.buffers.get(&d.operands[0]), f.ty(d.operands[0]))
            {
                s.gather_ranges
                    .push((place.addr, place.addr + len * place.elem_bytes));
            }
        }
    }
    s.code.wide_lanes = f.all_ops().into_iter().any(|op| {
        let d = f.op(op);
        d.results
            .iter()
            .chain(&d.operands)
            .any(|&v| !f.ty(v).is_buf() && wide::is_wide(f.ty(v).elem()))
    });
    s.program()?;
    s.code.debug_sites = s.debug_sites;
    Ok(s.code)
}

impl<'a> Isel<'a> {
    fn program(&mut self) -> CResult<()> {
        let set = self.input.instances;
        let first = self.op1(
            Opcode::Lw,
            RegClass::Scalar,
            &[VArg::Mem {
                base: None,
                offset: self.input.map.pe_first as i32,
            }],
        );
        self.load_stream_roles();
        let head = self.code.new_block();
        let body = self.code.new_block();
        let latch = self.code.new_block();
        let done = self.code.new_block();
        // The loop variable: the instance itself (strided) or its index in
        // the table (listed); the bound: the grid size or the table length.
        let (start, bound) = match set {
            InstanceSet::Strided { total, .. } => (first, self.li(total as i32)),
            InstanceSet::Listed { .. } => (self.li(0), first),
        };
        self.jump(head, vec![start]);
        let iv = self.code.new_vreg(RegClass::Scalar);
        self.code.block(head).params.push(iv);
        self.cur = head;
        self.branch(Opcode::Bge, &[iv, bound], done, body);
        self.cur = body;
        self.next_instance = latch;
        let lin = match set {
            InstanceSet::Strided { .. } => iv,
            InstanceSet::Listed { table } => {
                let offset = self.op1(
                    Opcode::Shli,
                    RegClass::Scalar,
                    &[VArg::Reg(iv), VArg::Imm(2)],
                );
                self.op1(
                    Opcode::Lw,
                    RegClass::Scalar,
                    &[VArg::Mem {
                        base: Some(offset),
                        offset: table as i32,
                    }],
                )
            }
        };
        let [g0, g1, _] = self.input.grid;
        let pid0 = self.scalar_rem_const(lin, g0);
        let q = self.scalar_div_const(lin, g0);
        let pid1 = self.scalar_rem_const(q, g1);
        let pid2 = self.scalar_div_const(q, g1);
        self.pids = [Some(pid0), Some(pid1), Some(pid2)];
        for (i, &arg) in self.f.block_args(self.f.body).iter().enumerate() {
            let word =
                *self.input.arg_words.get(i).ok_or_else(|| {
                    CompileError::new(format!("no launch value for parameter {i}"))
                })?;
            let r = if wide::is_wide(self.f.ty(arg).elem()) {
                self.splat64(word)
            } else {
                self.li(word as u32 as i32)
            };
            self.values.insert(arg, r);
        }
        self.block(self.f.body)?;
        self.cur = latch;
        self.complete_all_shared();
        let step = match set {
            InstanceSet::Strided { step, .. } => step,
            InstanceSet::Listed { .. } => 1,
        };
        let next = self.op1(
            Opcode::Addi,
            RegClass::Scalar,
            &[VArg::Reg(iv), VArg::Imm(step as i32)],
        );
        self.jump(head, vec![next]);
        self.cur = done;
        self.code.block(done).term = Term::Halt;
        Ok(())
    }

    fn scalar_rem_const(&mut self, x: VReg, d: u32) -> VReg {
        if d == 1 {
            return self.li(0);
        }
        let c = self.li(d as i32);
        self.op1(Opcode::Rem, RegClass::Scalar, &[VArg::Reg(x), VArg::Reg(c)])
    }

    fn scalar_div_const(&mut self, x: VReg, d: u32) -> VReg {
        if d == 1 {
            return x;
        }
        let c = self.li(d as i32);
        self.op1(Opcode::Div, RegClass::Scalar, &[VArg::Reg(x), VArg::Reg(c)])
    }

    /// Selects the ops of an IR block (a region body) into the current block.
    fn block(&mut self, b: Block) -> CResult<()> {
        // A run of gathers may be open on entry to a body that gathers (the
        // previous iteration's), and stays possibly open after it (no
        // iteration may have run).
        let before = self.gather_open;
        if self.gathers_in(b) {
            self.gather_open = true;
        }
        for &op in self.f.block_ops(b) {
            self.loc = self.f.op(op).loc;
            let data = self.f.op(op);
            let copy = matches!(data.opcode, IrOp::CopyIn | IrOp::CopyOut);
            if !copy && data.opcode.effect() != Effect::Pure {
                self.flush_copies();
            }
            if self.gather_open && self.gather_conflict(op) {
                self.close_gather_run();
            }
            self.op(op)?;
        }
        self.flush_copies();
        self.gather_open |= before;
        Ok(())
    }

    /// Whether block `b` or a region in it has a `copy_gather`.
    fn gathers_in(&self, b: Block) -> bool {
        let mut any = false;
        self.f
            .walk(b, &mut |op| any |= self.f.op(op).opcode == IrOp::CopyGather);
        any
    }

    fn op(&mut self, op: Op) -> CResult<()> {
        let data = self.f.op(op);
        match data.opcode {
            IrOp::Const => self.constant(op),
            IrOp::ProgramId => {
                let axis = data.attrs.int("axis").unwrap_or(0).clamp(0, 2) as usize;
                let r = self.pids[axis].expect("program ids are set per instance");
                self.values.insert(data.results[0], r);
                Ok(())
            }
            IrOp::NumPrograms => {
                let axis = data.attrs.int("axis").unwrap_or(0).clamp(0, 2) as usize;
                let r = self.li(self.input.grid[axis] as i32);
                self.values.insert(data.results[0], r);
                Ok(())
            }
            IrOp::Alloc => Ok(()),
            IrOp::BufLoad => self.buf_load(op),
            IrOp::BufStore => self.buf_store(op),
            IrOp::BufMatmul => self.buf_matmul(op),
            IrOp::CopyIn => self.block_copy(op, false),
            IrOp::CopyOut => self.block_copy(op, true),
            IrOp::CopyGather => self.copy_gather(op),
            IrOp::CopyWait => {
                let out = matches!(
                    data.attrs.get("out"),
                    Some(persim_lang::ir::Attr::Bool(true))
                );
                self.copy_wait(out);
                Ok(())
            }
            IrOp::Load => self.global_load(op),
            IrOp::Store => self.global_store(op),
            IrOp::For => self.for_loop(op),
            IrOp::If => self.if_op(op),
            IrOp::While => self.while_loop(op),
            IrOp::Return => {
                let next = self.next_instance;
                self.jump(next, Vec::new());
                // Anything after `return` in this block is unreachable.
                self.cur = self.code.new_block();
                Ok(())
            }
            IrOp::AtomicAdd
            | IrOp::AtomicMax
            | IrOp::AtomicMin
            | IrOp::AtomicXchg
            | IrOp::AtomicCas => self.atomic(op),
            IrOp::Assert => self.device_assert(op),
            IrOp::Print => self.device_print(op),
            IrOp::Yield | IrOp::Condition => Ok(()), // handled by the parent op
            // Facts for the mid-end's analyses; nothing to run.
            IrOp::Assume => Ok(()),
            // A host cache hint; PEs read SRAM their DMA filled.
            IrOp::Prefetch => Ok(()),
            IrOp::MultipleOf | IrOp::MaxContiguous => {
                let r = self.reg(data.operands[0])?;
                self.bind(data.results[0], r);
                Ok(())
            }
            _ => self.arith(op),
        }
    }

    // ---- helpers -------------------------------------------------------------

    fn err(&self, message: impl Into<String>) -> CompileError {
        CompileError::at(self.f, self.loc, message)
    }

    fn unsupported(&self, op: Op, why: &str) -> CompileError {
        let data = self.f.op(op);
        let ty = data
            .results
            .first()
            .or(data.operands.first())
            .map(|&v| self.f.ty(v).to_string())
            .unwrap_or_default();
        CompileError::at(
            self.f,
            data.loc,
            format!(
                "`{}` on `{ty}` is not supported by the spatial backend: {why}",
                data.opcode.name()
            ),
        )
    }

    fn emit(&mut self, inst: VInst) {
        let cur = self.cur;
        self.code.block(cur).insts.push(inst);
    }

    fn emit_args(&mut self, opcode: Opcode, args: &[VArg]) {
        self.emit(VInst::new(opcode, args));
    }

    /// Emits `opcode d, rest...` with a fresh `d` of `class`.
    fn op1(&mut self, opcode: Opcode, class: RegClass, rest: &[VArg]) -> VReg {
        let d = self.code.new_vreg(class);
        let mut args = vec![VArg::Reg(d)];
        args.extend_from_slice(rest);
        self.emit(VInst::new(opcode, &args));
        d
    }

    /// Like [`Isel::op1`] with an `@m` predicate.
    fn op1_pred(&mut self, opcode: Opcode, class: RegClass, rest: &[VArg], pred: VReg) -> VReg {
        let d = self.code.new_vreg(class);
        let mut args = vec![VArg::Reg(d)];
        args.extend_from_slice(rest);
        let mut inst = VInst::new(opcode, &args);
        inst.pred = Some(pred);
        self.emit(inst);
        d
    }

    fn li(&mut self, imm: i32) -> VReg {
        let r = self.op1(Opcode::Li, RegClass::Scalar, &[VArg::Imm(imm)]);
        self.consts.insert(r, imm);
        r
    }

    fn jump(&mut self, to: BlockId, args: Vec<VReg>) {
        let cur = self.cur;
        self.code.block(cur).term = Term::Jump(to, args);
    }

    fn branch(&mut self, opcode: Opcode, regs: &[VReg], taken: BlockId, fall: BlockId) {
        let cur = self.cur;
        self.code.block(cur).term = Term::Branch {
            opcode,
            regs: regs.iter().copied().collect(),
            taken,
            fall,
        };
    }

    /// The register of an IR value.
    fn reg(&self, v: Value) -> CResult<VReg> {
        self.values
            .get(&v)
            .copied()
            .ok_or_else(|| self.err(format!("internal error: value {v} has no register")))
    }

    fn bind(&mut self, v: Value, r: VReg) {
        self.values.insert(v, r);
    }

    /// The register class of a value type, checking the backend supports it.
    fn class_of(&self, ty: &Type) -> CResult<RegClass> {
        let (elem, vector) = match ty {
            Type::Tile { elem, shape } => match shape.as_slice() {
                [] => (*elem, false),
                [n] if *n == self.lanes => (*elem, true),
                _ => {
                    return Err(self.err(format!(
                        "`{ty}` is not a scalar or one {}-lane vector (the IR is not lowered)",
                        self.lanes
                    )))
                }
            },
            Type::Buf { .. } => return Err(self.err("a buffer is not a register value")),
        };
        match elem {
            Elem::Val(Dtype::I1) => Ok(if vector {
                RegClass::Mask
            } else {
                RegClass::Scalar
            }),
            // Pointers are 32-bit addresses on the PE; narrow types live in
            // whole registers (`narrow.rs`); 64-bit scalars in vector
            // registers (`wide.rs`).
            e if e.is_ptr() || e.size_bytes() <= 4 => Ok(if vector {
                RegClass::Vector
            } else {
                RegClass::Scalar
            }),
            Elem::Ptr(_) | Elem::Val(_) => Ok(RegClass::Vector),
        }
    }

    /// A vector with every lane `x` (an immediate).
    fn splat_imm(&mut self, x: i32) -> VReg {
        if x == 0 {
            return self.op1(
                Opcode::Vsplat,
                RegClass::Vector,
                &[VArg::Zero(RegClass::Scalar)],
            );
        }
        let r = self.li(x);
        self.op1(Opcode::Vsplat, RegClass::Vector, &[VArg::Reg(r)])
    }

    /// The bits of a mask as a scalar (lane i → bit i): weights `1 << i`
    /// selected by the mask, summed.
    fn mask_bits(&mut self, m: VReg) -> VReg {
        let one = self.splat_imm(1);
        let iota = self.op1(Opcode::Viota, RegClass::Vector, &[]);
        let weights = self.op1(
            Opcode::Vshl,
            RegClass::Vector,
            &[VArg::Reg(one), VArg::Reg(iota)],
        );
        self.op1_pred(Opcode::RedsumI, RegClass::Scalar, &[VArg::Reg(weights)], m)
    }
}
