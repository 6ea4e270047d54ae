//! Machine code on virtual registers: what instruction selection produces and
//! register allocation consumes.
//!
//! A [`VInst`] is one ISA instruction whose register operands may be virtual
//! registers; the ISA table gives each operand's role (use, def, use-and-def),
//! so def/use sets are never written twice. Blocks end in a [`Term`]: the
//! structured control flow of the IR becomes a CFG with block parameters
//! (loop-carried values, `if` results), which is the form `regalloc2` wants.

use smallvec::SmallVec;

use crate::spatial::isa::{Opcode, OperandKind, RegClass, Role};

pub use regalloc2::VReg;

/// A block of [`VCode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

/// One operand of a [`VInst`], in ISA-table order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VArg {
    /// A virtual register; its role comes from the ISA table.
    Reg(VReg),
    /// A fixed physical register: `r0` (zero) or `m0` (all lanes).
    Zero(RegClass),
    /// A use-and-def operand (`vmac.f32`'s accumulator): reads `src`, writes
    /// `def`, which the allocator puts in the same register.
    Tied {
        def: VReg,
        src: VReg,
    },
    /// A matrix-unit accumulator, named directly (accumulators are never
    /// allocated: the code that uses them owns all of them).
    Acc(u8),
    Imm(i32),
    /// `offset(base)`; `None` is `r0`, i.e. an absolute address.
    Mem {
        base: Option<VReg>,
        offset: i32,
    },
    Lock(u8),
    Channel(u8),
    Lane(u8),
    Count(u16),
}

/// The SRAM bytes `lo..hi` an access stays within, whatever its base
/// register holds: the instruction selector knows which buffer it
/// addresses, the scheduler (after allocation) only sees registers. Two
/// accesses with disjoint spans are independent (see `schedule.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SramSpan {
    pub lo: u32,
    pub hi: u32,
}

impl SramSpan {
    pub fn disjoint(self, other: SramSpan) -> bool {
        self.hi <= other.lo || other.hi <= self.lo
    }
}

/// One instruction on virtual registers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VInst {
    pub opcode: Opcode,
    pub args: SmallVec<[VArg; 4]>,
    /// `@mN` predicate.
    pub pred: Option<VReg>,
    /// For an SRAM access: the bytes it stays within, when known.
    pub span: Option<SramSpan>,
}

impl VInst {
    pub fn new(opcode: Opcode, args: &[VArg]) -> VInst {
        debug_assert_eq!(
            args.len(),
            opcode.info().operands.len(),
            "operand count of {opcode}"
        );
        VInst {
            opcode,
            args: SmallVec::from_slice(args),
            pred: None,
            span: None,
        }
    }

    /// Virtual registers read (with the predicate) and written, in operand order.
    pub fn regs(&self) -> (SmallVec<[VReg; 4]>, SmallVec<[VReg; 2]>) {
        let mut uses = SmallVec::new();
        let mut defs = SmallVec::new();
        for (arg, spec) in self.args.iter().zip(self.opcode.info().operands) {
            match *arg {
                VArg::Reg(v) => match spec.role {
                    Role::Def => defs.push(v),
                    _ => uses.push(v),
                },
                VArg::Tied { def, src } => {
                    uses.push(src);
                    defs.push(def);
                }
                VArg::Mem { base: Some(b), .. } => uses.push(b),
                _ => {}
            }
            debug_assert!(
                !matches!(arg, VArg::Reg(_)) || matches!(spec.kind, OperandKind::Reg(_)),
                "{}: register for a non-register operand",
                self.opcode
            );
        }
        if let Some(p) = self.pred {
            uses.push(p);
        }
        (uses, defs)
    }
}

/// How a block ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// Unconditional jump passing block arguments.
    Jump(BlockId, Vec<VReg>),
    /// `beqz`/`bnez` (one register) or `blt`/`bge` (two): to `taken` if the
    /// condition holds, else to `fall`. Neither successor takes arguments.
    Branch {
        opcode: Opcode,
        regs: SmallVec<[VReg; 2]>,
        taken: BlockId,
        fall: BlockId,
    },
    /// The end of the PE's program.
    Halt,
}

impl Term {
    pub fn succs(&self) -> SmallVec<[BlockId; 2]> {
        match self {
            Term::Jump(b, _) => SmallVec::from_slice(&[*b]),
            Term::Branch { taken, fall, .. } => SmallVec::from_slice(&[*taken, *fall]),
            Term::Halt => SmallVec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VBlock {
    pub params: Vec<VReg>,
    pub insts: Vec<VInst>,
    pub term: Term,
    /// For a loop header: the loop's trip count when the instruction
    /// selector knows it (constant bounds) and the body is one block of
    /// straight-line code; `assemble` then runs the body as a hardware
    /// loop when the blocks still have that shape.
    pub trips: Option<u32>,
}

/// A PE program on virtual registers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VCode {
    pub blocks: Vec<VBlock>,
    /// Class of each virtual register, by index.
    pub classes: Vec<RegClass>,
    /// The `assert`/`print` sites `dbg` instructions name, by number.
    pub debug_sites: Vec<crate::abi::DebugSite>,
    /// Whether some vector register holds 64-bit lanes (`isel/wide.rs`):
    /// then vector spills keep all 64 bits of each lane.
    pub wide_lanes: bool,
}

/// The allocator's class of an ISA register class: scalar → `Int`, vector →
/// `Float`, mask → `Vector` (regalloc2 has exactly three classes).
pub fn ra_class(class: RegClass) -> regalloc2::RegClass {
    match class {
        RegClass::Scalar => regalloc2::RegClass::Int,
        RegClass::Vector => regalloc2::RegClass::Float,
        RegClass::Mask | RegClass::Acc => regalloc2::RegClass::Vector,
    }
}

/// The inverse of [`ra_class`] (accumulators are never allocated).
pub fn isa_class(class: regalloc2::RegClass) -> RegClass {
    match class {
        regalloc2::RegClass::Int => RegClass::Scalar,
        regalloc2::RegClass::Float => RegClass::Vector,
        regalloc2::RegClass::Vector => RegClass::Mask,
    }
}

impl VCode {
    pub fn new_vreg(&mut self, class: RegClass) -> VReg {
        let v = VReg::new(self.classes.len(), ra_class(class));
        self.classes.push(class);
        v
    }

    pub fn new_block(&mut self) -> BlockId {
        self.blocks.push(VBlock {
            params: Vec::new(),
            insts: Vec::new(),
            term: Term::Halt,
            trips: None,
        });
        BlockId(self.blocks.len() as u32 - 1)
    }

    pub fn block(&mut self, b: BlockId) -> &mut VBlock {
        &mut self.blocks[b.0 as usize]
    }

    pub fn class(&self, v: VReg) -> RegClass {
        self.classes[v.vreg()]
    }
}
