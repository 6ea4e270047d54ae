//! Instructions and bundles, as the compiler builds them and the simulator runs them.
//!
//! An [`Inst`] stores exactly the fields of its 64-bit encoding (opcode, four
//! 5-bit operand fields, the predicate and the 32-bit immediate), so encoding
//! is a bijection and the simulator reads operands without unpacking. Typed
//! access goes through [`Operand`]s, whose placement into fields the ISA table
//! fixes: register-like operands fill fields A, B, C, D in order; immediates,
//! memory offsets and branch targets use the immediate; a tile uses its high
//! half and a count its low half.

use std::fmt;

use super::coord::{Direction, TileCoord};
use super::isa::{OpInfo, Opcode};
use super::isa::{OperandKind, OperandSpec, RegClass, Role};
use super::machine::Machine;

/// Number of 5-bit operand fields in an instruction word.
pub const FIELDS: usize = 4;

/// One instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Inst {
    pub opcode: Opcode,
    /// Operand fields A..D (5 bits each).
    pub fields: [u8; FIELDS],
    /// Predicate mask register (3 bits); 0 = `m0` = every lane.
    pub mask: u8,
    /// The 32-bit immediate.
    pub imm: u32,
}

/// A typed operand value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    Reg(RegClass, u8),
    Lock(u8),
    Channel(u8),
    Dir(Direction),
    Lane(u8),
    Imm(i32),
    Mem {
        base: u8,
        offset: i32,
    },
    /// Absolute bundle index within the PE's program.
    Target(u32),
    Tile(TileCoord),
    Count(u16),
}

impl Operand {
    pub fn s(n: u8) -> Operand {
        Operand::Reg(RegClass::Scalar, n)
    }
    pub fn v(n: u8) -> Operand {
        Operand::Reg(RegClass::Vector, n)
    }
    pub fn m(n: u8) -> Operand {
        Operand::Reg(RegClass::Mask, n)
    }
    pub fn a(n: u8) -> Operand {
        Operand::Reg(RegClass::Acc, n)
    }
    pub fn mem(base: u8, offset: i32) -> Operand {
        Operand::Mem { base, offset }
    }

    /// Whether this value is of `kind`.
    pub fn is(&self, kind: OperandKind) -> bool {
        matches!(
            (self, kind),
            (Operand::Reg(c, _), OperandKind::Reg(k)) if *c == k
        ) || matches!(
            (self, kind),
            (Operand::Lock(_), OperandKind::Lock)
                | (Operand::Channel(_), OperandKind::Channel)
                | (Operand::Dir(_), OperandKind::Dir)
                | (Operand::Lane(_), OperandKind::Lane)
                | (Operand::Imm(_), OperandKind::Imm)
                | (Operand::Mem { .. }, OperandKind::Mem)
                | (Operand::Target(_), OperandKind::Target)
                | (Operand::Tile(_), OperandKind::Tile)
                | (Operand::Count(_), OperandKind::Count)
        )
    }
}

/// Why an instruction could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstError {
    Arity {
        opcode: Opcode,
        expected: usize,
        got: usize,
    },
    Kind {
        opcode: Opcode,
        index: usize,
        expected: OperandKind,
        got: Operand,
    },
    /// A value does not fit its encoding field.
    Range {
        opcode: Opcode,
        index: usize,
        message: String,
    },
    NotMaskable(Opcode),
}

impl fmt::Display for InstError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstError::Arity {
                opcode,
                expected,
                got,
            } => write!(f, "`{opcode}` takes {expected} operands, got {got}"),
            InstError::Kind {
                opcode,
                index,
                expected,
                got,
            } => write!(
                f,
                "operand {} of `{opcode}` must be {}, got {got:?}",
                index + 1,
                kind_name(*expected)
            ),
            InstError::Range {
                opcode,
                index,
                message,
            } => write!(f, "operand {} of `{opcode}`: {message}", index + 1),
            InstError::NotMaskable(op) => write!(f, "`{op}` takes no `@m` predicate"),
        }
    }
}

impl std::error::Error for InstError {}

/// A human name of an operand kind, for messages and the ISA document.
pub fn kind_name(kind: OperandKind) -> &'static str {
    match kind {
        OperandKind::Reg(RegClass::Scalar) => "a scalar register (r0..r31)",
        OperandKind::Reg(RegClass::Vector) => "a vector register (v0..v31)",
        OperandKind::Reg(RegClass::Mask) => "a mask register (m0..m7)",
        OperandKind::Reg(RegClass::Acc) => "an accumulator (a0..a31)",
        OperandKind::Lock => "a lock (l0..l31)",
        OperandKind::Channel => "a DMA channel (ch0..ch31)",
        OperandKind::Dir => "a direction (north, east, south, west)",
        OperandKind::Lane => "a lane index (0..31)",
        OperandKind::Imm => "a 32-bit immediate",
        OperandKind::Mem => "a memory operand `offset(rN)`",
        OperandKind::Target => "a label",
        OperandKind::Tile => "a tile `(col,row)`",
        OperandKind::Count => "a count (0..65535)",
    }
}

/// Where an operand lives in the instruction word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Field A..D; a memory operand's base register.
    Field(usize),
    /// The whole immediate; a memory operand's offset is here too.
    Imm,
    /// `Mem`: base register in a field, offset in the immediate.
    FieldAndImm(usize),
    ImmHigh,
    ImmLow,
}

/// The placement of each operand of `info`, in order.
pub fn placements(info: &OpInfo) -> impl Iterator<Item = (OperandSpec, Placement)> + '_ {
    let mut next_field = 0;
    info.operands.iter().map(move |spec| {
        let place = match spec.kind {
            OperandKind::Reg(_)
            | OperandKind::Lock
            | OperandKind::Channel
            | OperandKind::Dir
            | OperandKind::Lane => {
                next_field += 1;
                Placement::Field(next_field - 1)
            }
            OperandKind::Mem => {
                next_field += 1;
                Placement::FieldAndImm(next_field - 1)
            }
            OperandKind::Imm | OperandKind::Target => Placement::Imm,
            OperandKind::Tile => Placement::ImmHigh,
            OperandKind::Count => Placement::ImmLow,
        };
        (*spec, place)
    })
}

/// Largest value a register-like field may hold for `kind`, independent of the
/// machine (which may have fewer).
fn field_limit(kind: OperandKind) -> u8 {
    match kind {
        OperandKind::Reg(RegClass::Mask) => 7,
        OperandKind::Dir => 3,
        _ => 31,
    }
}

impl Inst {
    /// Builds an instruction from typed operands, checking them against the
    /// ISA table and the encoding's field widths.
    pub fn new(opcode: Opcode, operands: &[Operand]) -> Result<Inst, InstError> {
        let info = opcode.info();
        if operands.len() != info.operands.len() {
            return Err(InstError::Arity {
                opcode,
                expected: info.operands.len(),
                got: operands.len(),
            });
        }
        let mut inst = Inst {
            opcode,
            fields: [0; FIELDS],
            mask: 0,
            imm: 0,
        };
        for (index, ((spec, place), value)) in placements(info).zip(operands).enumerate() {
            if !value.is(spec.kind) {
                return Err(InstError::Kind {
                    opcode,
                    index,
                    expected: spec.kind,
                    got: *value,
                });
            }
            let small = |n: u8| -> Result<u8, InstError> {
                let limit = field_limit(spec.kind);
                if n > limit {
                    Err(InstError::Range {
                        opcode,
                        index,
                        message: format!("{n} exceeds the encodable maximum {limit}"),
                    })
                } else {
                    Ok(n)
                }
            };
            match (*value, place) {
                (Operand::Reg(_, n), Placement::Field(f))
                | (Operand::Lock(n), Placement::Field(f))
                | (Operand::Channel(n), Placement::Field(f))
                | (Operand::Lane(n), Placement::Field(f)) => inst.fields[f] = small(n)?,
                (Operand::Dir(d), Placement::Field(f)) => inst.fields[f] = d as u8,
                (Operand::Mem { base, offset }, Placement::FieldAndImm(f)) => {
                    inst.fields[f] = small(base)?;
                    inst.imm = offset as u32;
                }
                (Operand::Imm(v), Placement::Imm) => inst.imm = v as u32,
                (Operand::Target(t), Placement::Imm) => inst.imm = t,
                (Operand::Tile(t), Placement::ImmHigh) => {
                    inst.imm = (inst.imm & 0xffff) | u32::from(t.col) << 16 | u32::from(t.row) << 24
                }
                (Operand::Count(c), Placement::ImmLow) => {
                    inst.imm = (inst.imm & 0xffff_0000) | u32::from(c)
                }
                _ => unreachable!("placements() follows the operand kind"),
            }
        }
        Ok(inst)
    }

    /// Adds a `@mN` predicate.
    pub fn masked(mut self, mask: u8) -> Result<Inst, InstError> {
        if !self.opcode.info().maskable && mask != 0 {
            return Err(InstError::NotMaskable(self.opcode));
        }
        if mask > 7 {
            return Err(InstError::Range {
                opcode: self.opcode,
                index: self.opcode.info().operands.len(),
                message: format!("mask m{mask} exceeds m7"),
            });
        }
        self.mask = mask;
        Ok(self)
    }

    pub fn info(&self) -> &'static OpInfo {
        self.opcode.info()
    }

    /// Cycles until this instruction's results are readable on `machine`
    /// (0 if it defines no register). A post-increment base is readable
    /// after `latency.scalar_alu` instead.
    pub fn latency(&self, machine: &Machine) -> u32 {
        self.info()
            .latency
            .map_or(0, |class| machine.latency(class))
    }

    /// The typed operands, in table order.
    pub fn operands(&self) -> Vec<Operand> {
        placements(self.info())
            .map(|(spec, place)| self.operand_at(spec.kind, place))
            .collect()
    }

    fn operand_at(&self, kind: OperandKind, place: Placement) -> Operand {
        let field = |f: usize| self.fields[f];
        match (kind, place) {
            (OperandKind::Reg(class), Placement::Field(f)) => Operand::Reg(class, field(f)),
            (OperandKind::Lock, Placement::Field(f)) => Operand::Lock(field(f)),
            (OperandKind::Channel, Placement::Field(f)) => Operand::Channel(field(f)),
            (OperandKind::Lane, Placement::Field(f)) => Operand::Lane(field(f)),
            (OperandKind::Dir, Placement::Field(f)) => {
                Operand::Dir(Direction::from_index(field(f)).unwrap_or(Direction::North))
            }
            (OperandKind::Mem, Placement::FieldAndImm(f)) => Operand::Mem {
                base: field(f),
                offset: self.imm as i32,
            },
            (OperandKind::Imm, _) => Operand::Imm(self.imm as i32),
            (OperandKind::Target, _) => Operand::Target(self.imm),
            (OperandKind::Tile, _) => Operand::Tile(self.tile()),
            (OperandKind::Count, _) => Operand::Count(self.count()),
            _ => unreachable!("placements() follows the operand kind"),
        }
    }

    /// The immediate as a signed value.
    pub fn simm(&self) -> i32 {
        self.imm as i32
    }

    /// The tile operand (`lock.relr`).
    pub fn tile(&self) -> TileCoord {
        TileCoord::new((self.imm >> 16) as u8, (self.imm >> 24) as u8)
    }

    /// The count operand (locks).
    pub fn count(&self) -> u16 {
        self.imm as u16
    }

    /// Registers this instruction reads at issue (including the predicate and
    /// post-increment bases), with the operand's role.
    pub fn register_operands(&self) -> impl Iterator<Item = (RegClass, u8, Role)> + '_ {
        let mask = (self.mask != 0).then_some((RegClass::Mask, self.mask, Role::Use));
        placements(self.info())
            .filter_map(move |(spec, place)| match (spec.kind, place) {
                (OperandKind::Reg(class), Placement::Field(f)) => {
                    Some((class, self.fields[f], spec.role))
                }
                (OperandKind::Mem, Placement::FieldAndImm(f)) => {
                    Some((RegClass::Scalar, self.fields[f], Role::Use))
                }
                _ => None,
            })
            .chain(mask)
    }

    /// The branch target, if this instruction has one.
    pub fn target(&self) -> Option<u32> {
        self.info()
            .operands
            .iter()
            .any(|s| s.kind == OperandKind::Target)
            .then_some(self.imm)
    }
}

/// One VLIW bundle: instructions issued together in one cycle.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bundle {
    pub insts: Vec<Inst>,
}

impl Bundle {
    pub fn new(insts: Vec<Inst>) -> Bundle {
        Bundle { insts }
    }

    /// A bundle that only waits one cycle.
    pub fn nop() -> Bundle {
        Bundle {
            insts: vec![Inst::new(Opcode::Nop, &[]).expect("nop has no operands")],
        }
    }

    /// Instructions that occupy a slot (everything but `nop`).
    pub fn real_insts(&self) -> impl Iterator<Item = &Inst> {
        self.insts.iter().filter(|i| i.opcode != Opcode::Nop)
    }
}
