//! The ISA table: every instruction of the spatial PE declared once — opcode
//! number, mnemonic, VLIW slot, latency class, operands with their roles, and
//! a one-line semantics. The encoder, decoder, assembler, disassembler,
//! program validator, simulator hazard checks and `docs/isa.md` all read this
//! table, so adding an instruction is one line here plus its semantics in
//! `sim/semantics.rs`.
//!
//! The machine is a VLIW with *exposed* latencies: a bundle issues all its
//! instructions in one cycle, every operand is read at issue, and a result
//! becomes readable `latency` cycles later (the class's value in the machine
//! descriptor). Nothing interlocks on registers; reading too early is an error
//! the simulator reports, so a compiler bug cannot hide as a slow-down.

use std::fmt;

/// A kind of VLIW slot; the machine descriptor says how many of each a bundle has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SlotKind {
    /// Scalar ALU, branches, hardware loops, locks and DMA commands.
    Scalar,
    /// Load units (scalar and vector loads, stream receive).
    Load,
    /// Store unit (scalar and vector stores, stream send).
    Store,
    /// Vector ALU: elementwise arithmetic, compares, masks, reductions.
    VectorAlu,
    /// Multiply-accumulate: vector MAC and the matrix unit.
    Mac,
}

impl SlotKind {
    pub const ALL: [SlotKind; 5] = [
        SlotKind::Scalar,
        SlotKind::Load,
        SlotKind::Store,
        SlotKind::VectorAlu,
        SlotKind::Mac,
    ];

    /// Name used in reports and in the ISA document.
    pub fn name(self) -> &'static str {
        match self {
            SlotKind::Scalar => "scalar",
            SlotKind::Load => "load",
            SlotKind::Store => "store",
            SlotKind::VectorAlu => "vector_alu",
            SlotKind::Mac => "mac",
        }
    }

    /// The machine descriptor field giving the slot count.
    pub fn field(self) -> &'static str {
        match self {
            SlotKind::Scalar => "slots.scalar",
            SlotKind::Load => "slots.load",
            SlotKind::Store => "slots.store",
            SlotKind::VectorAlu => "slots.vector_alu",
            SlotKind::Mac => "slots.mac",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Which `[latency]` entry of the machine descriptor gives a result's latency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LatencyClass {
    ScalarAlu,
    ScalarMul,
    ScalarFp,
    ScalarDiv,
    Load,
    VectorAlu,
    VectorFp,
    VectorSpecial,
    VectorReduce,
    Mac,
    Matrix,
    Stream,
    Atomic,
}

impl LatencyClass {
    pub const ALL: [LatencyClass; 13] = [
        LatencyClass::ScalarAlu,
        LatencyClass::ScalarMul,
        LatencyClass::ScalarFp,
        LatencyClass::ScalarDiv,
        LatencyClass::Load,
        LatencyClass::VectorAlu,
        LatencyClass::VectorFp,
        LatencyClass::VectorSpecial,
        LatencyClass::VectorReduce,
        LatencyClass::Mac,
        LatencyClass::Matrix,
        LatencyClass::Stream,
        LatencyClass::Atomic,
    ];

    /// The machine descriptor field.
    pub fn field(self) -> &'static str {
        match self {
            LatencyClass::ScalarAlu => "latency.scalar_alu",
            LatencyClass::ScalarMul => "latency.scalar_mul",
            LatencyClass::ScalarFp => "latency.scalar_fp",
            LatencyClass::ScalarDiv => "latency.scalar_div",
            LatencyClass::Load => "latency.load",
            LatencyClass::VectorAlu => "latency.vector_alu",
            LatencyClass::VectorFp => "latency.vector_fp",
            LatencyClass::VectorSpecial => "latency.vector_special",
            LatencyClass::VectorReduce => "latency.vector_reduce",
            LatencyClass::Mac => "latency.mac",
            LatencyClass::Matrix => "latency.matrix",
            LatencyClass::Stream => "latency.stream",
            LatencyClass::Atomic => "latency.atomic",
        }
    }
}

/// The register files. `r0` always reads zero (writes are dropped) and `m0`
/// always has every lane on; neither is ever "not ready".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RegClass {
    /// 32-bit scalar registers `r0..`; hold integers, addresses and f32 bit patterns.
    Scalar,
    /// Vector registers `v0..`, `lanes` lanes of 64 bits (32-bit instructions
    /// use a lane's low half).
    Vector,
    /// Lane masks `m0..`.
    Mask,
    /// Matrix-unit accumulators `a0..`, `lanes x lanes` f32.
    Acc,
}

impl RegClass {
    pub fn prefix(self) -> &'static str {
        match self {
            RegClass::Scalar => "r",
            RegClass::Vector => "v",
            RegClass::Mask => "m",
            RegClass::Acc => "a",
        }
    }
}

/// What an operand is, which fixes its text form and where it is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperandKind {
    /// A register of the class (`r3`, `v7`, `m1`, `a0`); a 5-bit field.
    Reg(RegClass),
    /// A lock of the PE's own tile (`l3`); a 5-bit field.
    Lock,
    /// A DMA channel of the PE's tile (`ch1`); a 5-bit field.
    Channel,
    /// A mesh direction (`north`, `east`, `south`, `west`); a 5-bit field.
    Dir,
    /// A lane or accumulator row index (`3`); a 5-bit field.
    Lane,
    /// A signed 32-bit immediate (`-4`, `0x40`); the immediate field.
    Imm,
    /// `offset(rN)`: a base scalar register (a 5-bit field) plus a signed
    /// 32-bit byte offset (the immediate field).
    Mem,
    /// A branch target: a label, encoded as an absolute bundle index.
    Target,
    /// A compute tile `(col,row)`; bits 63..48 of the word (col, row bytes).
    Tile,
    /// An unsigned 16-bit count (lock amounts); bits 47..32 of the word.
    Count,
}

/// How an instruction uses an operand; drives hazard checks in the simulator
/// and, later, def/use sets for register allocation and scheduling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Read at issue; must be ready.
    Use,
    /// Written; readable `latency` cycles after issue.
    Def,
    /// Read at issue (must be ready) and written with the instruction's latency.
    UseDef,
    /// Post-increment address register: read at issue, written back
    /// `latency.scalar_alu` cycles later.
    PostInc,
    /// A matrix accumulator updated in place by the in-order matrix pipeline:
    /// back-to-back matrix-unit updates chain without waiting, but any other
    /// reader waits `latency.matrix` after the last update.
    Accumulate,
}

/// One operand of an instruction's signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OperandSpec {
    pub kind: OperandKind,
    pub role: Role,
}

/// Everything the toolchain knows about one opcode.
#[derive(Debug)]
pub struct OpInfo {
    pub opcode: Opcode,
    pub mnemonic: &'static str,
    /// `None` only for `nop`, which occupies no slot.
    pub slot: Option<SlotKind>,
    /// Latency of the results; `None` when the instruction defines no register.
    pub latency: Option<LatencyClass>,
    pub operands: &'static [OperandSpec],
    /// Takes an optional `@mN` predicate: disabled lanes of a vector result are
    /// zero, disabled lanes of a store are not written, disabled lanes are not
    /// read by loads (no bounds check) and do not take part in reductions.
    pub maskable: bool,
    /// Whether the PE may wait at this instruction (locks, DMA, streams).
    pub blocking: bool,
    /// Semantics in one line, for the ISA document and the disassembler's help.
    pub doc: &'static str,
}

impl OpInfo {
    /// Does this instruction end a straight-line run (branch, loop, halt)?
    pub fn is_control(&self) -> bool {
        matches!(
            self.opcode,
            Opcode::Halt
                | Opcode::J
                | Opcode::Beqz
                | Opcode::Bnez
                | Opcode::Blt
                | Opcode::Bge
                | Opcode::Loop
        )
    }
}

const fn spec(kind: OperandKind, role: Role) -> OperandSpec {
    OperandSpec { kind, role }
}

// Operand shorthands for the table.
const RD: OperandSpec = spec(OperandKind::Reg(RegClass::Scalar), Role::Def);
const RS: OperandSpec = spec(OperandKind::Reg(RegClass::Scalar), Role::Use);
const RP: OperandSpec = spec(OperandKind::Reg(RegClass::Scalar), Role::PostInc);
const VD: OperandSpec = spec(OperandKind::Reg(RegClass::Vector), Role::Def);
const VS: OperandSpec = spec(OperandKind::Reg(RegClass::Vector), Role::Use);
const VA: OperandSpec = spec(OperandKind::Reg(RegClass::Vector), Role::UseDef);
const MD: OperandSpec = spec(OperandKind::Reg(RegClass::Mask), Role::Def);
const MS: OperandSpec = spec(OperandKind::Reg(RegClass::Mask), Role::Use);
const AC: OperandSpec = spec(OperandKind::Reg(RegClass::Acc), Role::Accumulate);
const AS: OperandSpec = spec(OperandKind::Reg(RegClass::Acc), Role::Use);
const IMM: OperandSpec = spec(OperandKind::Imm, Role::Use);
const MEM: OperandSpec = spec(OperandKind::Mem, Role::Use);
const TGT: OperandSpec = spec(OperandKind::Target, Role::Use);
const LCK: OperandSpec = spec(OperandKind::Lock, Role::Use);
const CNT: OperandSpec = spec(OperandKind::Count, Role::Use);
const TIL: OperandSpec = spec(OperandKind::Tile, Role::Use);
const CHN: OperandSpec = spec(OperandKind::Channel, Role::Use);
const DIR: OperandSpec = spec(OperandKind::Dir, Role::Use);
const LANE: OperandSpec = spec(OperandKind::Lane, Role::Use);

/// Declares the opcode enum and its table from one list. Columns: variant,
/// opcode number (the encoding's low byte), mnemonic, slot, latency class,
/// operands, maskable, blocking, semantics.
macro_rules! isa_table {
    ($( $variant:ident = $code:literal, $mnemonic:literal, $slot:expr, $lat:expr,
        [$($operand:expr),*], $maskable:literal, $blocking:literal, $doc:literal; )*) => {
        /// An instruction's operation; its discriminant is the encoded opcode byte.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Opcode { $($variant = $code,)* }

        /// Every opcode, in table order.
        pub const ALL_OPCODES: &[Opcode] = &[$(Opcode::$variant,)*];

        const TABLE: &[OpInfo] = &[$(OpInfo {
            opcode: Opcode::$variant,
            mnemonic: $mnemonic,
            slot: $slot,
            latency: $lat,
            operands: &[$($operand),*],
            maskable: $maskable,
            blocking: $blocking,
            doc: $doc,
        },)*];

        impl Opcode {
            /// The opcode with this encoded byte.
            pub fn from_byte(byte: u8) -> Option<Opcode> {
                match byte {
                    $($code => Some(Opcode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

use LatencyClass as L;
use SlotKind as S;

isa_table! {
    // ---- control, synchronisation and DMA (scalar slot) ----
    Nop = 0x00, "nop", None, None, [], false, false,
        "Does nothing and occupies no slot; a bundle of only `nop` is an empty cycle.";
    Halt = 0x01, "halt", Some(S::Scalar), None, [], false, false,
        "Stops this PE. The run ends when every PE has halted and all DMA and NoC traffic has drained.";
    J = 0x02, "j", Some(S::Scalar), None, [TGT], false, false,
        "Jumps to the target bundle; the PE then issues nothing for `latency.branch_taken` cycles.";
    Beqz = 0x03, "beqz", Some(S::Scalar), None, [RS, TGT], false, false,
        "Branches if rs == 0 (taken-branch bubble as `j`).";
    Bnez = 0x04, "bnez", Some(S::Scalar), None, [RS, TGT], false, false,
        "Branches if rs != 0.";
    Blt = 0x05, "blt", Some(S::Scalar), None, [RS, RS, TGT], false, false,
        "Branches if rs < rt (signed).";
    Bge = 0x06, "bge", Some(S::Scalar), None, [RS, RS, TGT], false, false,
        "Branches if rs >= rt (signed).";
    Loop = 0x07, "loop", Some(S::Scalar), None, [RS, TGT], false, false,
        "Zero-overhead loop: runs the bundles after this one up to (excluding) the target rs times with no branch cost (rs <= 0 skips them). Nests up to `pe.loop_depth`.";
    LockAcq = 0x08, "lock.acq", Some(S::Scalar), None, [LCK, CNT], false, true,
        "Waits until the tile's lock holds at least n, then subtracts n (the bundle stalls until then).";
    LockRel = 0x09, "lock.rel", Some(S::Scalar), None, [LCK, CNT], false, false,
        "Adds n to the tile's lock; visible to acquires from the next cycle.";
    LockRelRemote = 0x0a, "lock.relr", Some(S::Scalar), None, [TIL, LCK, CNT], false, false,
        "Adds n to lock l of another tile; arrives `noc.hop_latency` x (hops + 1) cycles later over the control network.";
    DmaStart = 0x0b, "dma.start", Some(S::Scalar), None, [CHN, RS], false, true,
        "Queues the 64-byte DMA descriptor at SRAM address rs on channel ch (stalls while the queue is full). See \"DMA descriptors\".";
    DmaWait = 0x0c, "dma.wait", Some(S::Scalar), None, [CHN], false, true,
        "Waits until channel ch has finished every queued descriptor.";
    Dbg = 0x0d, "dbg", Some(S::Scalar), None, [IMM, RS], false, false,
        "Records debug event imm (a `device_assert` or `device_print` site of the program) with the 9 words at SRAM[rs] (4-byte aligned) in the run's debug log, which the launch reports; no other effect.";
    LockRelIndirect = 0x0e, "lock.relx", Some(S::Scalar), None, [RS, LCK, CNT], false, false,
        "Adds n to lock l of the compute tile whose (col, row) is in rs (col in bits 7..0, row in bits 15..8; other bits 0), as `lock.relr`: for code that every PE runs but whose partner differs per PE (shared-panel chains). A tile outside the mesh's compute tiles is an error.";

    // ---- scalar integer (scalar slot) ----
    Li = 0x10, "li", Some(S::Scalar), Some(L::ScalarAlu), [RD, IMM], false, false,
        "rd = imm.";
    Mov = 0x11, "mov", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS], false, false,
        "rd = rs.";
    Add = 0x12, "add", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, RS], false, false,
        "rd = rs + rt (wrapping).";
    Sub = 0x13, "sub", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, RS], false, false,
        "rd = rs - rt (wrapping).";
    And = 0x14, "and", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, RS], false, false,
        "rd = rs & rt.";
    Or = 0x15, "or", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, RS], false, false,
        "rd = rs | rt.";
    Xor = 0x16, "xor", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, RS], false, false,
        "rd = rs ^ rt.";
    Shl = 0x17, "shl", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, RS], false, false,
        "rd = rs << (rt & 31).";
    Shr = 0x18, "shr", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, RS], false, false,
        "rd = rs >> (rt & 31), logical.";
    Sra = 0x19, "sra", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, RS], false, false,
        "rd = rs >> (rt & 31), arithmetic.";
    Slt = 0x1a, "slt", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, RS], false, false,
        "rd = (rs < rt) signed ? 1 : 0.";
    Sltu = 0x1b, "sltu", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, RS], false, false,
        "rd = (rs < rt) unsigned ? 1 : 0.";
    Seq = 0x1c, "seq", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, RS], false, false,
        "rd = (rs == rt) ? 1 : 0.";
    Mul = 0x1d, "mul", Some(S::Scalar), Some(L::ScalarMul), [RD, RS, RS], false, false,
        "rd = rs * rt (low 32 bits).";
    Div = 0x1e, "div", Some(S::Scalar), Some(L::ScalarDiv), [RD, RS, RS], false, false,
        "rd = rs / rt signed, rounding toward zero; x/0 = -1 and MIN/-1 = MIN (as RISC-V).";
    Rem = 0x1f, "rem", Some(S::Scalar), Some(L::ScalarDiv), [RD, RS, RS], false, false,
        "rd = rs % rt signed; x%0 = x and MIN%-1 = 0 (as RISC-V).";
    Addi = 0x20, "addi", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, IMM], false, false,
        "rd = rs + imm (wrapping).";
    Andi = 0x21, "andi", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, IMM], false, false,
        "rd = rs & imm.";
    Shli = 0x22, "shli", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, IMM], false, false,
        "rd = rs << (imm & 31).";
    Shri = 0x23, "shri", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, IMM], false, false,
        "rd = rs >> (imm & 31), logical.";
    Srai = 0x24, "srai", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, IMM], false, false,
        "rd = rs >> (imm & 31), arithmetic.";
    Slti = 0x25, "slti", Some(S::Scalar), Some(L::ScalarAlu), [RD, RS, IMM], false, false,
        "rd = (rs < imm) signed ? 1 : 0.";
    Muli = 0x26, "muli", Some(S::Scalar), Some(L::ScalarMul), [RD, RS, IMM], false, false,
        "rd = rs * imm (low 32 bits).";
    Mulhu = 0x27, "mulhu", Some(S::Scalar), Some(L::ScalarMul), [RD, RS, RS], false, false,
        "rd = the high 32 bits of the unsigned 64-bit product rs * rt.";

    // ---- scalar f32 on register bit patterns (scalar slot) ----
    Fadd = 0x28, "fadd", Some(S::Scalar), Some(L::ScalarFp), [RD, RS, RS], false, false,
        "rd = rs + rt as f32.";
    Fsub = 0x29, "fsub", Some(S::Scalar), Some(L::ScalarFp), [RD, RS, RS], false, false,
        "rd = rs - rt as f32.";
    Fmul = 0x2a, "fmul", Some(S::Scalar), Some(L::ScalarFp), [RD, RS, RS], false, false,
        "rd = rs * rt as f32.";
    Fdiv = 0x2b, "fdiv", Some(S::Scalar), Some(L::ScalarDiv), [RD, RS, RS], false, false,
        "rd = rs / rt as f32 (IEEE, correctly rounded).";
    Fmin = 0x2c, "fmin", Some(S::Scalar), Some(L::ScalarFp), [RD, RS, RS], false, false,
        "rd = min(rs, rt) as f32 (IEEE minNum: a NaN operand yields the other).";
    Fmax = 0x2d, "fmax", Some(S::Scalar), Some(L::ScalarFp), [RD, RS, RS], false, false,
        "rd = max(rs, rt) as f32 (IEEE maxNum).";
    Flt = 0x2e, "flt", Some(S::Scalar), Some(L::ScalarFp), [RD, RS, RS], false, false,
        "rd = (rs < rt) as f32 ? 1 : 0.";
    Fle = 0x2f, "fle", Some(S::Scalar), Some(L::ScalarFp), [RD, RS, RS], false, false,
        "rd = (rs <= rt) as f32 ? 1 : 0.";
    Feq = 0x30, "feq", Some(S::Scalar), Some(L::ScalarFp), [RD, RS, RS], false, false,
        "rd = (rs == rt) as f32 ? 1 : 0.";
    I2f = 0x31, "i2f", Some(S::Scalar), Some(L::ScalarFp), [RD, RS], false, false,
        "rd = f32 of signed rs (round to nearest even).";
    F2i = 0x32, "f2i", Some(S::Scalar), Some(L::ScalarFp), [RD, RS], false, false,
        "rd = signed i32 of f32 rs, rounding toward zero, saturating; NaN gives 0.";
    Divu = 0x33, "divu", Some(S::Scalar), Some(L::ScalarDiv), [RD, RS, RS], false, false,
        "rd = rs / rt unsigned; x/0 = 0xffffffff (as RISC-V).";
    Remu = 0x34, "remu", Some(S::Scalar), Some(L::ScalarDiv), [RD, RS, RS], false, false,
        "rd = rs % rt unsigned; x%0 = x (as RISC-V).";
    U2f = 0x35, "u2f", Some(S::Scalar), Some(L::ScalarFp), [RD, RS], false, false,
        "rd = f32 of unsigned rs (round to nearest even).";
    F2u = 0x36, "f2u", Some(S::Scalar), Some(L::ScalarFp), [RD, RS], false, false,
        "rd = unsigned u32 of f32 rs, rounding toward zero, saturating (negative gives 0); NaN gives 0.";
    F2h = 0x37, "f2h", Some(S::Scalar), Some(L::ScalarFp), [RD, RS], false, false,
        "rd = the IEEE f16 bits of f32 rs (round to nearest even), zero-extended.";
    H2f = 0x38, "h2f", Some(S::Scalar), Some(L::ScalarFp), [RD, RS], false, false,
        "rd = f32 of the IEEE f16 in the low 16 bits of rs (exact).";
    F2bf = 0x39, "f2bf", Some(S::Scalar), Some(L::ScalarFp), [RD, RS], false, false,
        "rd = the bf16 bits of f32 rs (round to nearest even), zero-extended.";
    Bf2f = 0x3a, "bf2f", Some(S::Scalar), Some(L::ScalarFp), [RD, RS], false, false,
        "rd = f32 of the bf16 in the low 16 bits of rs (exact).";

    // ---- atomics on off-chip memory (scalar slot) ----
    AmoAddI = 0x3b, "amo.add.i32", Some(S::Scalar), Some(L::Atomic), [RD, RS, RS], false, false,
        "Atomically: rd = the 32-bit word at off-chip address rs; it becomes rd + rt (wrapping). Applied at issue; rd is ready after `latency.atomic`.";
    AmoAddF = 0x3c, "amo.add.f32", Some(S::Scalar), Some(L::Atomic), [RD, RS, RS], false, false,
        "As amo.add.i32 on f32: the word becomes rd + rt, rounded.";
    AmoMaxI = 0x3d, "amo.max.i32", Some(S::Scalar), Some(L::Atomic), [RD, RS, RS], false, false,
        "As amo.add.i32: the word becomes max(rd, rt), signed.";
    AmoMaxU = 0x3e, "amo.max.u32", Some(S::Scalar), Some(L::Atomic), [RD, RS, RS], false, false,
        "As amo.add.i32: the word becomes max(rd, rt), unsigned.";
    AmoMaxF = 0x3f, "amo.max.f32", Some(S::Scalar), Some(L::Atomic), [RD, RS, RS], false, false,
        "As amo.add.i32: the word becomes the IEEE 754-2019 maximum of rd and rt as f32 (NaN wins, +0 over -0).";

    // ---- loads and stream receive (load slots) ----
    Lw = 0x40, "lw", Some(S::Load), Some(L::Load), [RD, MEM], false, false,
        "rd = the 32-bit word at SRAM[rb + offset] (4-byte aligned).";
    Vld = 0x41, "vld", Some(S::Load), Some(L::Load), [VD, MEM], true, false,
        "vd = the vector at SRAM[rb + offset] (4-byte aligned; occupies every bank it spans).";
    Vldp = 0x42, "vldp", Some(S::Load), Some(L::Load), [VD, RP, IMM], true, false,
        "vd = the vector at SRAM[rp]; then rp += imm (post-increment; the new rp is ready after `latency.scalar_alu`).";
    Vbcast = 0x43, "vbcast", Some(S::Load), Some(L::Load), [VD, MEM], true, false,
        "Every lane of vd = the 32-bit word at SRAM[rb + offset] (broadcast load).";
    Vrecv = 0x44, "vrecv", Some(S::Load), Some(L::Stream), [VD, DIR], false, true,
        "vd = the oldest vector in the input stream FIFO from the neighbour in dir (stalls while empty).";

    VldBf16 = 0x45, "vld.bf16", Some(S::Load), Some(L::Load), [VD, MEM], true, false,
        "Loads lanes bf16 values (2 bytes each, 2-byte aligned) at SRAM[rb + offset] and widens each to an f32 lane (exact).";
    VldF16 = 0x46, "vld.f16", Some(S::Load), Some(L::Load), [VD, MEM], true, false,
        "Loads lanes IEEE f16 values (2 bytes each, 2-byte aligned) at SRAM[rb + offset] and widens each to an f32 lane (exact).";
    VldU8 = 0x47, "vld.u8", Some(S::Load), Some(L::Load), [VD, MEM], true, false,
        "Loads lanes bytes at SRAM[rb + offset] (any alignment), each zero-extended into a lane; disabled lanes read 0.";

    // ---- stores and stream send (store slot) ----
    Sw = 0x48, "sw", Some(S::Store), None, [RS, MEM], false, false,
        "SRAM[rb + offset] = rs, 32 bits, 4-byte aligned.";
    Vst = 0x49, "vst", Some(S::Store), None, [VS, MEM], true, false,
        "SRAM[rb + offset] = va; disabled lanes are not written.";
    Vstp = 0x4a, "vstp", Some(S::Store), None, [VS, RP, IMM], true, false,
        "SRAM[rp] = va; then rp += imm (post-increment).";
    Vsend = 0x4b, "vsend", Some(S::Store), None, [DIR, VS], false, true,
        "Sends va over the NoC link to the neighbour in dir, into its FIFO (stalls while the FIFO has no free credit).";

    VstBf16 = 0x4c, "vst.bf16", Some(S::Store), None, [VS, MEM], true, false,
        "Narrows the f32 lanes of va to bf16 (round to nearest even) and stores them, 2 bytes each, at SRAM[rb + offset]; disabled lanes are not written.";
    VstF16 = 0x4d, "vst.f16", Some(S::Store), None, [VS, MEM], true, false,
        "Narrows the f32 lanes of va to IEEE f16 (round to nearest even) and stores them, 2 bytes each, at SRAM[rb + offset]; disabled lanes are not written."
        ;
    VstU8 = 0x4e, "vst.u8", Some(S::Store), None, [VS, MEM], true, false,
        "Stores the low byte of each lane of va at SRAM[rb + offset + lane] (any alignment); disabled lanes are not written.";

    // ---- vector f32 (vector ALU slot) ----
    VaddF = 0x50, "vadd.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = va + vb per lane, f32.";
    VsubF = 0x51, "vsub.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = va - vb per lane, f32.";
    VmulF = 0x52, "vmul.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = va * vb per lane, f32.";
    VmaxF = 0x53, "vmax.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = max(va, vb) per lane, f32 (IEEE maxNum).";
    VminF = 0x54, "vmin.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = min(va, vb) per lane, f32 (IEEE minNum).";
    VdivF = 0x55, "vdiv.f32", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS, VS], true, false,
        "vd = va / vb per lane, f32 (IEEE, correctly rounded).";
    VabsF = 0x56, "vabs.f32", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS], true, false,
        "vd = |va| per lane, f32.";
    VnegF = 0x57, "vneg.f32", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS], true, false,
        "vd = -va per lane, f32.";
    VexpF = 0x58, "vexp.f32", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = e^va per lane, f32 (host libm; deterministic on one host).";
    VlogF = 0x59, "vlog.f32", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = ln(va) per lane, f32.";
    VsqrtF = 0x5a, "vsqrt.f32", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = sqrt(va) per lane, f32 (correctly rounded).";
    VrsqrtF = 0x5b, "vrsqrt.f32", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = 1 / sqrt(va) per lane, f32 (sqrt then divide, each rounded).";

    // ---- vector i32 and bitwise (vector ALU slot) ----
    VaddI = 0x60, "vadd.i32", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va + vb per lane, wrapping.";
    VsubI = 0x61, "vsub.i32", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va - vb per lane, wrapping.";
    VmulI = 0x62, "vmul.i32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = va * vb per lane, low 32 bits.";
    VmaxI = 0x63, "vmax.i32", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = max(va, vb) per lane, signed.";
    VminI = 0x64, "vmin.i32", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = min(va, vb) per lane, signed.";
    Vand = 0x65, "vand", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va & vb.";
    Vor = 0x66, "vor", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va | vb.";
    Vxor = 0x67, "vxor", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va ^ vb.";
    Vshl = 0x68, "vshl.i32", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va << (vb & 31) per lane.";
    Vshr = 0x69, "vshr.i32", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va >> (vb & 31) per lane, logical.";
    Vsra = 0x6a, "vsra.i32", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va >> (vb & 31) per lane, arithmetic.";

    // ---- 64-bit atomics: the value in lane 0 of a vector register (scalar slot) ----
    AmoAddL = 0x6b, "amo.add.i64", Some(S::Scalar), Some(L::Atomic), [VD, RS, VS], false, false,
        "Atomically: old = the 64-bit doubleword at off-chip address rs (8-byte aligned); the doubleword becomes old + vt[0] (wrapping); every lane of vd = old (ready after `latency.atomic`).";
    AmoAddD = 0x6c, "amo.add.f64", Some(S::Scalar), Some(L::Atomic), [VD, RS, VS], false, false,
        "Atomically: old = the 64-bit doubleword at off-chip address rs (8-byte aligned); the doubleword becomes old + vt[0] as f64, rounded; every lane of vd = old (ready after `latency.atomic`).";
    AmoMaxL = 0x6d, "amo.max.i64", Some(S::Scalar), Some(L::Atomic), [VD, RS, VS], false, false,
        "Atomically: old = the 64-bit doubleword at off-chip address rs (8-byte aligned); the doubleword becomes max(old, vt[0]), signed; every lane of vd = old (ready after `latency.atomic`).";
    AmoMaxUL = 0x6e, "amo.max.u64", Some(S::Scalar), Some(L::Atomic), [VD, RS, VS], false, false,
        "Atomically: old = the 64-bit doubleword at off-chip address rs (8-byte aligned); the doubleword becomes max(old, vt[0]), unsigned; every lane of vd = old (ready after `latency.atomic`).";
    AmoMaxD = 0x6f, "amo.max.f64", Some(S::Scalar), Some(L::Atomic), [VD, RS, VS], false, false,
        "Atomically: old = the 64-bit doubleword at off-chip address rs (8-byte aligned); the doubleword becomes the IEEE 754-2019 maximum of old and vt[0] as f64; every lane of vd = old (ready after `latency.atomic`).";

    // ---- compares into masks, selects, moves, conversions (vector ALU slot) ----
    VcmpltF = 0x70, "vcmplt.f32", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] < vb[i], f32 (false on NaN).";
    VcmpleF = 0x71, "vcmple.f32", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] <= vb[i], f32.";
    VcmpeqF = 0x72, "vcmpeq.f32", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] == vb[i], f32.";
    VcmpltI = 0x73, "vcmplt.i32", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] < vb[i], signed.";
    VcmpleI = 0x74, "vcmple.i32", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] <= vb[i], signed.";
    VcmpeqI = 0x75, "vcmpeq.i32", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] == vb[i].";
    AmoXchgL = 0x76, "amo.xchg.64", Some(S::Scalar), Some(L::Atomic), [VD, RS, VS], false, false,
        "As amo.add.i64: the doubleword becomes vt[0].";
    AmoCasL = 0x77, "amo.cas.64", Some(S::Scalar), Some(L::Atomic), [VD, RS, VS, VS], false, false,
        "Atomically: old = the doubleword at off-chip address rs; if old == vt[0] (bit patterns) it becomes vu[0]; every lane of vd = old.";
    Vsel = 0x78, "vsel", Some(S::VectorAlu), Some(L::VectorAlu), [VD, MS, VS, VS], false, false,
        "vd[i] = ma[i] ? va[i] : vb[i] (a select, not a predicate).";
    Vsplat = 0x79, "vsplat", Some(S::VectorAlu), Some(L::VectorAlu), [VD, RS], true, false,
        "Every lane of vd = rs.";
    Vmov = 0x7a, "vmov", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS], true, false,
        "vd = va.";
    Viota = 0x7b, "viota", Some(S::VectorAlu), Some(L::VectorAlu), [VD], true, false,
        "vd[i] = i (i32), for `arange` and tail masks.";
    Vext = 0x7c, "vext", Some(S::VectorAlu), Some(L::VectorAlu), [RD, VS, LANE], false, false,
        "rd = va[lane].";
    Vins = 0x7d, "vins", Some(S::VectorAlu), Some(L::VectorAlu), [VA, RS, LANE], false, false,
        "vd[lane] = rs; other lanes keep their value.";
    CvtFI = 0x7e, "vcvt.f32.i32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = f32 of signed i32 lanes (round to nearest even).";
    CvtIF = 0x7f, "vcvt.i32.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = i32 of f32 lanes, toward zero, saturating; NaN gives 0.";

    // ---- reductions to a scalar register (vector ALU slot) ----
    RedsumF = 0x80, "vredsum.f32", Some(S::VectorAlu), Some(L::VectorReduce), [RD, VS], true, false,
        "rd = sum of enabled lanes, f32, as a pairwise tree (lane i with i + n/2, halving) so the order is fixed; disabled lanes count as +0.";
    RedmaxF = 0x81, "vredmax.f32", Some(S::VectorAlu), Some(L::VectorReduce), [RD, VS], true, false,
        "rd = max of enabled lanes, f32 (-inf if none).";
    RedminF = 0x82, "vredmin.f32", Some(S::VectorAlu), Some(L::VectorReduce), [RD, VS], true, false,
        "rd = min of enabled lanes, f32 (+inf if none).";
    RedsumI = 0x83, "vredsum.i32", Some(S::VectorAlu), Some(L::VectorReduce), [RD, VS], true, false,
        "rd = wrapping sum of enabled lanes, i32.";
    RedmaxI = 0x84, "vredmax.i32", Some(S::VectorAlu), Some(L::VectorReduce), [RD, VS], true, false,
        "rd = max of enabled lanes, signed (i32::MIN if none).";
    RedminI = 0x85, "vredmin.i32", Some(S::VectorAlu), Some(L::VectorReduce), [RD, VS], true, false,
        "rd = min of enabled lanes, signed (i32::MAX if none).";

    // ---- masks (vector ALU slot) ----
    Mlanes = 0x88, "mlanes", Some(S::VectorAlu), Some(L::VectorAlu), [MD, RS], false, false,
        "md = lanes 0..rs on, the rest off (rs <= 0: none; rs >= lanes: all); the tail mask.";
    Mand = 0x89, "mand", Some(S::VectorAlu), Some(L::VectorAlu), [MD, MS, MS], false, false,
        "md = ma & mb.";
    Mor = 0x8a, "mor", Some(S::VectorAlu), Some(L::VectorAlu), [MD, MS, MS], false, false,
        "md = ma | mb.";
    Mnot = 0x8b, "mnot", Some(S::VectorAlu), Some(L::VectorAlu), [MD, MS], false, false,
        "md = the lanes not in ma.";
    Mld = 0x8c, "mld", Some(S::Load), Some(L::Load), [MD, MEM], false, false,
        "md = the lanes whose bit is set in the 32-bit word at SRAM[rb + offset] (lane i = bit i; 4-byte aligned). A mask reload, as SVE's `ldr` of a predicate: the register allocator spills masks with `mst` and reloads them with this.";
    Mst = 0x8d, "mst", Some(S::Store), None, [MS, MEM], false, false,
        "SRAM[rb + offset] = the lanes of ma as a 32-bit word (lane i = bit i; 4-byte aligned). A mask spill, as SVE's `str` of a predicate.";

    // ---- multiply-accumulate and the matrix unit (MAC slot) ----
    VmacF = 0x90, "vmac.f32", Some(S::Mac), Some(L::Mac), [VA, VS, VS], true, false,
        "vd = vd + va * vb per lane, f32; the product is rounded, then the sum (not fused), as the reference `dot`.";
    Mop = 0x91, "mop.f32", Some(S::Mac), Some(L::Matrix), [AC, VS, VS], false, false,
        "Outer product: a[i][j] += va[i] * vb[j] for all lanes i, j (lanes^2 MACs, product then sum rounded, as the reference `dot`). Consecutive `mop.f32`/`mzero` on one accumulator chain without waiting; the unit accepts one every ceil(lanes^2 / matrix.macs_per_cycle) cycles (the PE stalls otherwise).";
    Mzero = 0x92, "mzero", Some(S::Mac), Some(L::Matrix), [AC], false, false,
        "a = 0 (every element +0.0).";
    Mrow = 0x93, "mrow", Some(S::VectorAlu), Some(L::VectorAlu), [VD, AS, LANE], false, false,
        "vd = row `lane` of accumulator a; a must be ready (`latency.matrix` after its last update). A move, not a matrix operation: it issues in the vector slot (as AIE-ML's accumulator-to-vector moves have their own slot and Tensix's packer drains DST beside the math), so draining one accumulator overlaps `mop.f32`s into the others.";
    VfmaF = 0x94, "vfma.f32", Some(S::Mac), Some(L::Mac), [VA, VS, VS], true, false,
        "vd = va * vb + vd per lane, f32, rounded once (fused multiply-add).";
    Mset = 0x95, "mset", Some(S::VectorAlu), Some(L::Matrix), [AC, LANE, VS], false, false,
        "Row `lane` of accumulator a = vs (the lanes' f32 values, exactly). A move into the matrix unit in the vector slot, the inverse of `mrow` (Tensix's unpacker fills DST the same way); ordered with the unit's updates of a like a `mop.f32` (the next `mop.f32` adds to the new row), and readable `latency.matrix` later. Does not occupy the matrix unit.";
    Mcol = 0x96, "mcol", Some(S::VectorAlu), Some(L::VectorAlu), [VD, AS, LANE], false, false,
        "vd = column `lane` of accumulator a (lane i = a[i][lane]); a must be ready, as for `mrow`. With `mset` it transposes a lanes x lanes block beside the matrix unit, without `mop.f32`s (SME reads ZA tiles by vertical slices the same way); a move in the vector slot.";

    // ---- 64-bit lanes: loads, stores, min/max atomics ----
    RedmaxD = 0x97, "vredmax.f64", Some(S::VectorAlu), Some(L::VectorReduce), [VD, VS], true, false,
        "Every lane of vd = the maximum of the enabled f64 lanes of va (IEEE maxNum, -inf if none); a reduction of 64-bit lanes stays in a vector register (scalar registers hold 32 bits).";
    RedminD = 0x98, "vredmin.f64", Some(S::VectorAlu), Some(L::VectorReduce), [VD, VS], true, false,
        "Every lane of vd = the minimum of the enabled f64 lanes (minNum, +inf if none).";
    Vld64 = 0x99, "vld.64", Some(S::Load), Some(L::Load), [VD, MEM], true, false,
        "vd = lanes 64-bit elements at SRAM[rb + offset] (8-byte aligned; twice a `vld`'s bytes); disabled lanes read 0.";
    Vst64 = 0x9a, "vst.64", Some(S::Store), None, [VS, MEM], true, false,
        "Stores the 64-bit lanes of va at SRAM[rb + offset + 8 lane] (8-byte aligned); disabled lanes are not written.";
    Vbcast64 = 0x9b, "vbcast.64", Some(S::Load), Some(L::Load), [VD, MEM], true, false,
        "Every lane of vd = the 64-bit doubleword at SRAM[rb + offset] (8-byte aligned; the broadcast load of a 64-bit scalar).";
    Vsts64 = 0x9c, "vsts.64", Some(S::Store), None, [VS, MEM], false, false,
        "SRAM[rb + offset] = lane 0 of va, 64 bits (8-byte aligned; the store of a 64-bit scalar).";
    AmoMinL = 0x9d, "amo.min.i64", Some(S::Scalar), Some(L::Atomic), [VD, RS, VS], false, false,
        "As amo.add.i64: the doubleword becomes min(old, vt[0]), signed.";
    AmoMinUL = 0x9e, "amo.min.u64", Some(S::Scalar), Some(L::Atomic), [VD, RS, VS], false, false,
        "As amo.add.i64: the doubleword becomes min(old, vt[0]), unsigned.";
    AmoMinD = 0x9f, "amo.min.f64", Some(S::Scalar), Some(L::Atomic), [VD, RS, VS], false, false,
        "As amo.add.i64: the doubleword becomes the IEEE 754-2019 minimum of old and vt[0] as f64.";

    // ---- narrow loads and stores: 8- and 16-bit elements in 32-bit registers ----
    Lb = 0xa0, "lb", Some(S::Load), Some(L::Load), [RD, MEM], false, false,
        "rd = the byte at SRAM[rb + offset], sign-extended.";
    Lbu = 0xa1, "lbu", Some(S::Load), Some(L::Load), [RD, MEM], false, false,
        "rd = the byte at SRAM[rb + offset], zero-extended.";
    Lh = 0xa2, "lh", Some(S::Load), Some(L::Load), [RD, MEM], false, false,
        "rd = the 16-bit halfword at SRAM[rb + offset] (2-byte aligned), sign-extended.";
    Lhu = 0xa3, "lhu", Some(S::Load), Some(L::Load), [RD, MEM], false, false,
        "rd = the 16-bit halfword at SRAM[rb + offset] (2-byte aligned), zero-extended.";
    VldI8 = 0xa4, "vld.i8", Some(S::Load), Some(L::Load), [VD, MEM], true, false,
        "Loads lanes bytes at SRAM[rb + offset] (any alignment), each sign-extended into a lane; disabled lanes read 0.";
    VldI16 = 0xa5, "vld.i16", Some(S::Load), Some(L::Load), [VD, MEM], true, false,
        "Loads lanes halfwords at SRAM[rb + offset] (2-byte aligned), each sign-extended into a lane; disabled lanes read 0.";
    VldU16 = 0xa6, "vld.u16", Some(S::Load), Some(L::Load), [VD, MEM], true, false,
        "Loads lanes halfwords at SRAM[rb + offset] (2-byte aligned), each zero-extended into a lane; disabled lanes read 0.";
    Sb = 0xa8, "sb", Some(S::Store), None, [RS, MEM], false, false,
        "SRAM[rb + offset] = the low byte of rs.";
    Sh = 0xa9, "sh", Some(S::Store), None, [RS, MEM], false, false,
        "SRAM[rb + offset] = the low 16 bits of rs (2-byte aligned).";
    VstU16 = 0xaa, "vst.u16", Some(S::Store), None, [VS, MEM], true, false,
        "Stores the low 16 bits of each lane of va at SRAM[rb + offset + 2 lane] (2-byte aligned); disabled lanes are not written.";

    // ---- more atomics on off-chip memory (scalar slot) ----
    AmoMinI = 0xab, "amo.min.i32", Some(S::Scalar), Some(L::Atomic), [RD, RS, RS], false, false,
        "As amo.add.i32: the word becomes min(rd, rt), signed.";
    AmoMinU = 0xac, "amo.min.u32", Some(S::Scalar), Some(L::Atomic), [RD, RS, RS], false, false,
        "As amo.add.i32: the word becomes min(rd, rt), unsigned.";
    AmoMinF = 0xad, "amo.min.f32", Some(S::Scalar), Some(L::Atomic), [RD, RS, RS], false, false,
        "As amo.add.i32: the word becomes the IEEE 754-2019 minimum of rd and rt as f32 (NaN wins, -0 under +0).";
    AmoXchg = 0xae, "amo.xchg", Some(S::Scalar), Some(L::Atomic), [RD, RS, RS], false, false,
        "As amo.add.i32: the word becomes rt.";
    AmoCas = 0xaf, "amo.cas", Some(S::Scalar), Some(L::Atomic), [RD, RS, RS, RS], false, false,
        "Atomically: rd = the word at off-chip address rs; if rd == rt (bit patterns) the word becomes ru.";

    // ---- more vector arithmetic (vector ALU slot) ----
    Vexp2F = 0xb0, "vexp2.f32", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = 2^va per lane, f32 (computed in f64 by the host's libm, rounded once).";
    Vlog2F = 0xb1, "vlog2.f32", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = log2(va) per lane, f32 (f64 host libm, rounded once).";
    VsinF = 0xb2, "vsin.f32", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = sin(va) per lane, f32 (f64 host libm, rounded once).";
    VcosF = 0xb3, "vcos.f32", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = cos(va) per lane, f32 (f64 host libm, rounded once).";
    VerfF = 0xb4, "verf.f32", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = erf(va) per lane, f32 (f64 `libm::erf`, rounded once).";
    VfloorF = 0xb5, "vfloor.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = the largest integer <= va per lane, f32.";
    VceilF = 0xb6, "vceil.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = the smallest integer >= va per lane, f32.";
    VremF = 0xb7, "vrem.f32", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS, VS], true, false,
        "vd = va - trunc(va / vb) * vb per lane, f32, exact (C `fmodf`; the sign of va).";
    VrndF16 = 0xb8, "vround.f16", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = each f32 lane rounded to the nearest IEEE f16 value (ties to even; overflow to inf), kept as f32: f16 arithmetic is f32 arithmetic followed by this.";
    VrndBf16 = 0xb9, "vround.bf16", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = each f32 lane rounded to the nearest bf16 value (ties to even), kept as f32.";
    CvtFU = 0xba, "vcvt.f32.u32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = f32 of unsigned u32 lanes (round to nearest even).";
    CvtUF = 0xbb, "vcvt.u32.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = u32 of f32 lanes, toward zero, saturating (negative gives 0); NaN gives 0.";
    VmulhU = 0xbc, "vmulhu.u32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = the high 32 bits of the unsigned 64-bit product va * vb per lane.";
    RedsumD = 0xbd, "vredsum.f64", Some(S::VectorAlu), Some(L::VectorReduce), [VD, VS], true, false,
        "Every lane of vd = the f64 sum of the enabled lanes as a pairwise tree (as `vredsum.f32`).";
    RedminUL = 0xbe, "vredmin.u64", Some(S::VectorAlu), Some(L::VectorReduce), [VD, VS], true, false,
        "Every lane of vd = the minimum of the enabled lanes, unsigned (all ones if none).";

    // ---- 64-bit lanes (vector ALU slot unless said). A vector lane holds 64 bits: the
    // 32-bit instructions read its low half and clear the high half of what they write;
    // the bitwise ones (`vand`, `vor`, `vxor`, `vsel`, `vmov`) move all 64 bits. ----
    VaddL = 0xc0, "vadd.i64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va + vb per 64-bit lane, wrapping.";
    VsubL = 0xc1, "vsub.i64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va - vb per 64-bit lane, wrapping.";
    VmulL = 0xc2, "vmul.i64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = va * vb per 64-bit lane, low 64 bits.";
    VmaxL = 0xc3, "vmax.i64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = max(va, vb) per 64-bit lane, signed.";
    VminL = 0xc4, "vmin.i64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = min(va, vb) per 64-bit lane, signed.";
    VmaxUL = 0xc5, "vmax.u64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = max(va, vb) per 64-bit lane, unsigned.";
    VminUL = 0xc6, "vmin.u64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = min(va, vb) per 64-bit lane, unsigned.";
    VshlL = 0xc7, "vshl.i64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va << (vb & 63) per 64-bit lane.";
    VshrL = 0xc8, "vshr.i64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va >> (vb & 63) per 64-bit lane, logical.";
    VsraL = 0xc9, "vsra.i64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS, VS], true, false,
        "vd = va >> (vb & 63) per 64-bit lane, arithmetic.";
    VcmpltL = 0xca, "vcmplt.i64", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] < vb[i], signed 64-bit.";
    VcmpleL = 0xcb, "vcmple.i64", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] <= vb[i], signed 64-bit.";
    VcmpeqL = 0xcc, "vcmpeq.i64", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] == vb[i], 64-bit.";
    VcmpltUL = 0xcd, "vcmplt.u64", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] < vb[i], unsigned 64-bit.";
    VcmpleUL = 0xce, "vcmple.u64", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] <= vb[i], unsigned 64-bit.";
    VmulhUL = 0xcf, "vmulhu.u64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = the high 64 bits of the unsigned 128-bit product va * vb per lane.";
    VdivL = 0xd0, "vdiv.i64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS, VS], true, false,
        "vd = va / vb per 64-bit lane, signed, toward zero; x/0 = -1 and MIN/-1 = MIN (as `div`).";
    VremL = 0xd1, "vrem.i64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS, VS], true, false,
        "vd = va % vb per 64-bit lane, signed; x%0 = x and MIN%-1 = 0.";
    VdivUL = 0xd2, "vdiv.u64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS, VS], true, false,
        "vd = va / vb per 64-bit lane, unsigned; x/0 = all ones.";
    VremUL = 0xd3, "vrem.u64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS, VS], true, false,
        "vd = va % vb per 64-bit lane, unsigned; x%0 = x.";
    VsextW = 0xd4, "vsext.i32", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS], true, false,
        "vd = each lane's low 32 bits sign-extended to 64 (i32 to i64).";
    VzextW = 0xd5, "vzext.u32", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS], true, false,
        "vd = each lane's low 32 bits, the high half cleared (u32 to u64, and i64 to i32).";
    Vsplat64 = 0xd6, "vsplat.64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, RS, RS], true, false,
        "Every lane of vd = rt << 32 | rs (a 64-bit splat from two 32-bit halves).";
    Mext = 0xd7, "mext", Some(S::VectorAlu), Some(L::VectorAlu), [RD, MS, LANE], false, false,
        "rd = lane `lane` of ma as 0 or 1 (a 64-bit compare's result as a scalar condition).";
    VaddD = 0xd8, "vadd.f64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = va + vb per lane, f64.";
    VsubD = 0xd9, "vsub.f64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = va - vb per lane, f64.";
    VmulD = 0xda, "vmul.f64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = va * vb per lane, f64.";
    VdivD = 0xdb, "vdiv.f64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS, VS], true, false,
        "vd = va / vb (correctly rounded) per lane, f64.";
    VminD = 0xdc, "vmin.f64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = min(va, vb) (IEEE minNum: a NaN operand yields the other) per lane, f64.";
    VmaxD = 0xdd, "vmax.f64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS, VS], true, false,
        "vd = max(va, vb) (IEEE maxNum) per lane, f64.";
    VcmpltD = 0xde, "vcmplt.f64", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] < vb[i], f64 (false on NaN).";
    VcmpleD = 0xdf, "vcmple.f64", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] <= vb[i], f64.";
    VcmpeqD = 0xe0, "vcmpeq.f64", Some(S::VectorAlu), Some(L::VectorAlu), [MD, VS, VS], true, false,
        "Lane i of md = va[i] == vb[i], f64.";
    VfmaD = 0xe1, "vfma.f64", Some(S::Mac), Some(L::Mac), [VA, VS, VS], true, false,
        "vd = va * vb + vd per lane, f64, rounded once.";
    VnegD = 0xe2, "vneg.f64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS], true, false,
        "vd = -va (the sign bit flipped) per lane, f64.";
    VabsD = 0xe3, "vabs.f64", Some(S::VectorAlu), Some(L::VectorAlu), [VD, VS], true, false,
        "vd = |va| (the sign bit cleared) per lane, f64.";
    VexpD = 0xe4, "vexp.f64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = e^va (host libm) per lane, f64.";
    VlogD = 0xe5, "vlog.f64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = ln(va) (host libm) per lane, f64.";
    VsqrtD = 0xe6, "vsqrt.f64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = sqrt(va), correctly rounded per lane, f64.";
    Vexp2D = 0xe7, "vexp2.f64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = 2^va (host libm) per lane, f64.";
    Vlog2D = 0xe8, "vlog2.f64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = log2(va) (host libm) per lane, f64.";
    VrsqrtD = 0xe9, "vrsqrt.f64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = 1 / sqrt(va) per lane, f64.";
    VerfD = 0xea, "verf.f64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = erf(va) (`libm::erf`) per lane, f64.";
    VsinD = 0xeb, "vsin.f64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = sin(va) (host libm) per lane, f64.";
    VcosD = 0xec, "vcos.f64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS], true, false,
        "vd = cos(va) (host libm) per lane, f64.";
    VfloorD = 0xed, "vfloor.f64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = the largest integer <= va per lane, f64.";
    VceilD = 0xee, "vceil.f64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = the smallest integer >= va per lane, f64.";
    VremD = 0xef, "vrem.f64", Some(S::VectorAlu), Some(L::VectorSpecial), [VD, VS, VS], true, false,
        "vd = va - trunc(va / vb) * vb per lane, f64, exact (C `fmod`).";
    CvtDF = 0xf0, "vcvt.f64.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = f64 of the f32 in each lane's low half (exact).";
    CvtFD = 0xf1, "vcvt.f32.f64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = f32 of f64 lanes (round to nearest even), in the low half.";
    CvtDL = 0xf2, "vcvt.f64.i64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = f64 of signed i64 lanes (round to nearest even).";
    CvtDUL = 0xf3, "vcvt.f64.u64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = f64 of unsigned u64 lanes (round to nearest even).";
    CvtLD = 0xf4, "vcvt.i64.f64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = i64 of f64 lanes, toward zero, saturating; NaN gives 0.";
    CvtULD = 0xf5, "vcvt.u64.f64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = u64 of f64 lanes, toward zero, saturating (negative gives 0); NaN gives 0.";
    CvtFL = 0xf6, "vcvt.f32.i64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = f32 of signed i64 lanes (round to nearest even).";
    CvtFUL = 0xf7, "vcvt.f32.u64", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = f32 of unsigned u64 lanes (round to nearest even).";
    CvtLF = 0xf8, "vcvt.i64.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = i64 of f32 lanes, toward zero, saturating; NaN gives 0.";
    CvtULF = 0xf9, "vcvt.u64.f32", Some(S::VectorAlu), Some(L::VectorFp), [VD, VS], true, false,
        "vd = u64 of f32 lanes, toward zero, saturating; NaN gives 0.";
    RedsumL = 0xfa, "vredsum.i64", Some(S::VectorAlu), Some(L::VectorReduce), [VD, VS], true, false,
        "Every lane of vd = the wrapping sum of the enabled i64 lanes of va.";
    RedmaxL = 0xfb, "vredmax.i64", Some(S::VectorAlu), Some(L::VectorReduce), [VD, VS], true, false,
        "Every lane of vd = the maximum of the enabled lanes, signed (i64::MIN if none).";
    RedminL = 0xfc, "vredmin.i64", Some(S::VectorAlu), Some(L::VectorReduce), [VD, VS], true, false,
        "Every lane of vd = the minimum of the enabled lanes, signed (i64::MAX if none).";
    RedmaxUL = 0xfd, "vredmax.u64", Some(S::VectorAlu), Some(L::VectorReduce), [VD, VS], true, false,
        "Every lane of vd = the maximum of the enabled lanes, unsigned (0 if none).";
}

/// Table position of each opcode byte, built at compile time.
static TABLE_INDEX: [u16; 256] = {
    let mut index = [u16::MAX; 256];
    let mut i = 0;
    while i < TABLE.len() {
        index[TABLE[i].opcode as usize] = i as u16;
        i += 1;
    }
    index
};

impl Opcode {
    /// The table entry (constant time: the simulator asks on every issue).
    pub fn info(self) -> &'static OpInfo {
        &TABLE[usize::from(TABLE_INDEX[self as usize])]
    }

    pub fn mnemonic(self) -> &'static str {
        self.info().mnemonic
    }

    /// The opcode with this mnemonic.
    pub fn from_mnemonic(text: &str) -> Option<Opcode> {
        TABLE.iter().find(|i| i.mnemonic == text).map(|i| i.opcode)
    }
}

impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mnemonic())
    }
}

/// The whole table, sorted by opcode byte.
pub fn table() -> &'static [OpInfo] {
    TABLE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_mnemonics_unique() {
        for w in TABLE.windows(2) {
            assert!(
                (w[0].opcode as u8) < (w[1].opcode as u8),
                "{:?}",
                w[1].opcode
            );
        }
        for (i, a) in TABLE.iter().enumerate() {
            for b in &TABLE[i + 1..] {
                assert_ne!(a.mnemonic, b.mnemonic);
            }
            assert_eq!(Opcode::from_byte(a.opcode as u8), Some(a.opcode));
            assert_eq!(Opcode::from_mnemonic(a.mnemonic), Some(a.opcode));
        }
    }

    #[test]
    fn definitions_have_latencies() {
        for info in TABLE {
            let defines = info
                .operands
                .iter()
                .any(|o| matches!(o.role, Role::Def | Role::UseDef | Role::Accumulate));
            assert_eq!(defines, info.latency.is_some(), "{}", info.mnemonic);
        }
    }
}
