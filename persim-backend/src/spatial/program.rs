//! A whole-machine program: the bundles of every PE that runs code and the
//! initial values of its locks, plus the check that it fits a machine.
//!
//! The assembler and decoder build a [`Program`] without a machine (the
//! encoding is machine-independent); [`Program::validate`] then checks it
//! against one [`Machine`]: slot counts per bundle, register and lock
//! numbers, tiles inside the grid, branch targets inside the program. The
//! simulator only loads validated programs, so it never meets an instruction
//! it cannot run.

use std::collections::BTreeMap;
use std::fmt;

use super::coord::TileCoord;
use super::inst::{Bundle, Inst, Operand};
use super::isa::{Opcode, RegClass, Role, SlotKind};
use super::machine::Machine;

/// The code of one PE.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeProgram {
    pub bundles: Vec<Bundle>,
    /// Initial lock values, by lock number (unlisted locks start at 0).
    pub lock_init: BTreeMap<u8, u16>,
    /// Source line of each bundle when assembled from text (for messages);
    /// empty otherwise.
    pub lines: Vec<u32>,
}

/// Code for every PE that runs; PEs without an entry stay idle.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Program {
    pub tiles: BTreeMap<TileCoord, PeProgram>,
}

/// Why a program does not fit a machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramError {
    pub tile: TileCoord,
    /// Bundle index, when the problem is in one bundle.
    pub bundle: Option<usize>,
    /// Source line of that bundle, when assembled from text.
    pub line: Option<u32>,
    pub message: String,
}

impl fmt::Display for ProgramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "tile {}", self.tile)?;
        if let Some(b) = self.bundle {
            write!(f, " bundle {b}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ProgramError {}

impl PeProgram {
    /// Appends a bundle and returns its index (a branch target).
    pub fn push(&mut self, bundle: Bundle) -> u32 {
        self.bundles.push(bundle);
        (self.bundles.len() - 1) as u32
    }

    /// Number of instructions, `nop` excluded.
    pub fn inst_count(&self) -> usize {
        self.bundles.iter().map(|b| b.real_insts().count()).sum()
    }
}

impl Program {
    pub fn new() -> Program {
        Program::default()
    }

    /// The program of `tile`, created empty on first use.
    pub fn tile_mut(&mut self, tile: TileCoord) -> &mut PeProgram {
        self.tiles.entry(tile).or_default()
    }

    /// Checks that every PE program fits `machine`.
    pub fn validate(&self, machine: &Machine) -> Result<(), ProgramError> {
        for (&tile, pe) in &self.tiles {
            validate_pe(machine, tile, pe)?;
        }
        Ok(())
    }
}

fn validate_pe(machine: &Machine, tile: TileCoord, pe: &PeProgram) -> Result<(), ProgramError> {
    let whole = |message: String| ProgramError {
        tile,
        bundle: None,
        line: None,
        message,
    };
    if tile.is_shim()
        || u32::from(tile.col) >= machine.grid.cols
        || u32::from(tile.row) > machine.grid.rows
    {
        return Err(whole(format!(
            "is not a compute tile of the {}x{} grid (columns 0..{}, rows 1..={})",
            machine.grid.cols, machine.grid.rows, machine.grid.cols, machine.grid.rows
        )));
    }
    if pe.bundles.is_empty() {
        return Err(whole("has no bundles (end a program with `halt`)".into()));
    }
    for &lock in pe.lock_init.keys() {
        if u32::from(lock) >= machine.pe.locks {
            return Err(whole(format!(
                "initial value for l{lock}, but the machine has {} locks (pe.locks)",
                machine.pe.locks
            )));
        }
    }
    for (index, bundle) in pe.bundles.iter().enumerate() {
        let at = |message: String| ProgramError {
            tile,
            bundle: Some(index),
            line: pe.lines.get(index).copied(),
            message,
        };
        validate_bundle(machine, pe, index, bundle).map_err(at)?;
    }
    Ok(())
}

fn validate_bundle(
    machine: &Machine,
    pe: &PeProgram,
    index: usize,
    bundle: &Bundle,
) -> Result<(), String> {
    if bundle.insts.is_empty() {
        return Err("is empty (write `nop` for an idle cycle)".into());
    }
    let mut used = [0u32; SlotKind::ALL.len()];
    for inst in bundle.real_insts() {
        let slot = inst.info().slot.expect("only nop has no slot");
        used[slot.index()] += 1;
    }
    for kind in SlotKind::ALL {
        let have = machine.slot_count(kind);
        if used[kind.index()] > have {
            return Err(format!(
                "has {} {} instructions but the machine has {have} {} slot(s) ({})",
                used[kind.index()],
                kind.name(),
                kind.name(),
                kind.field()
            ));
        }
    }
    let mut defined: Vec<(RegClass, u8)> = Vec::new();
    for inst in &bundle.insts {
        validate_inst(machine, pe, index, inst).map_err(|m| format!("`{}`: {m}", inst.opcode))?;
        for (class, n, role) in inst.register_operands() {
            let writes = matches!(
                role,
                Role::Def | Role::UseDef | Role::PostInc | Role::Accumulate
            );
            if writes && !is_constant(class, n) {
                if defined.contains(&(class, n)) {
                    return Err(format!("writes {}{n} twice in one bundle", class.prefix()));
                }
                defined.push((class, n));
            }
        }
    }
    Ok(())
}

/// `r0` (zero) and `m0` (all lanes) are constants.
pub fn is_constant(class: RegClass, n: u8) -> bool {
    n == 0 && matches!(class, RegClass::Scalar | RegClass::Mask)
}

fn validate_inst(
    machine: &Machine,
    pe: &PeProgram,
    index: usize,
    inst: &Inst,
) -> Result<(), String> {
    let p = &machine.pe;
    let lanes = machine.lanes();
    if u32::from(inst.mask) >= p.mask_registers {
        return Err(format!(
            "predicate m{} but the machine has {} mask registers",
            inst.mask, p.mask_registers
        ));
    }
    for (k, operand) in inst.operands().into_iter().enumerate() {
        let spec = inst.info().operands[k];
        let check = |n: u8, count: u32, what: &str, field: &str| {
            if u32::from(n) < count {
                Ok(())
            } else {
                Err(format!("{what}{n} but the machine has {count} ({field})"))
            }
        };
        match operand {
            Operand::Reg(RegClass::Scalar, n) => {
                check(n, p.scalar_registers, "r", "pe.scalar_registers")?
            }
            Operand::Reg(RegClass::Vector, n) => {
                check(n, p.vector_registers, "v", "pe.vector_registers")?
            }
            Operand::Reg(RegClass::Mask, n) => {
                check(n, p.mask_registers, "m", "pe.mask_registers")?;
                if n == 0 && spec.role == Role::Def {
                    return Err("m0 is the constant all-lanes mask and cannot be written".into());
                }
            }
            Operand::Reg(RegClass::Acc, n) => check(n, p.accumulators, "a", "pe.accumulators")?,
            Operand::Mem { base, .. } => {
                check(base, p.scalar_registers, "r", "pe.scalar_registers")?
            }
            Operand::Lock(n) => check(n, p.locks, "l", "pe.locks")?,
            Operand::Channel(n) => check(
                n,
                machine.dma.channels_per_tile,
                "ch",
                "dma.channels_per_tile",
            )?,
            Operand::Lane(n) => {
                if u32::from(n) >= lanes {
                    return Err(format!("lane {n} but vectors have {lanes} lanes"));
                }
            }
            Operand::Target(t) => {
                if t as usize >= pe.bundles.len() {
                    return Err(format!(
                        "target bundle {t} is outside the program ({} bundles)",
                        pe.bundles.len()
                    ));
                }
                if inst.opcode == Opcode::Loop && t as usize <= index + 1 {
                    return Err(format!(
                        "loop end (bundle {t}) must come after a non-empty body (bundles {}..)",
                        index + 1
                    ));
                }
            }
            Operand::Tile(t) => {
                if t.is_shim()
                    || u32::from(t.col) >= machine.grid.cols
                    || u32::from(t.row) > machine.grid.rows
                {
                    return Err(format!("{t} is not a compute tile"));
                }
            }
            Operand::Dir(_) | Operand::Imm(_) | Operand::Count(_) => {}
        }
    }
    Ok(())
}
