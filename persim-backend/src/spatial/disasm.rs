//! The disassembler: programs, bundles and instructions as assembly text.
//!
//! The output is the assembler's canonical input: `assemble(disassemble(p))
//! == p` for every program, and branch targets print as labels `L<bundle>`
//! placed before the bundles they name. Text form:
//!
//! ```text
//! .tile (1,1)
//! .lock l0, 2
//!     li r1, 64
//! L1:
//!     vld v0, 0(r1) | vld v1, 64(r1) | vadd.f32 v2, v3, v4 @m1
//!     bnez r2, L1
//!     halt
//! ```

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::inst::{Bundle, Inst, Operand};
use super::program::{PeProgram, Program};

/// The whole program as assembly text.
pub fn disassemble(program: &Program) -> String {
    let mut out = String::new();
    for (i, (tile, pe)) in program.tiles.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, ".tile {tile}");
        out.push_str(&disassemble_pe(pe));
    }
    out
}

/// One PE's lock initialisation and bundles (without the `.tile` line).
pub fn disassemble_pe(pe: &PeProgram) -> String {
    let mut out = String::new();
    for (lock, value) in &pe.lock_init {
        let _ = writeln!(out, ".lock l{lock}, {value}");
    }
    let targets: BTreeSet<u32> = pe
        .bundles
        .iter()
        .flat_map(|b| b.insts.iter().filter_map(Inst::target))
        .collect();
    for (index, bundle) in pe.bundles.iter().enumerate() {
        if targets.contains(&(index as u32)) {
            let _ = writeln!(out, "L{index}:");
        }
        let _ = writeln!(out, "    {}", bundle_text(bundle));
    }
    out
}

/// A bundle on one line, instructions separated by ` | `.
pub fn bundle_text(bundle: &Bundle) -> String {
    let parts: Vec<String> = bundle.insts.iter().map(inst_text).collect();
    parts.join(" | ")
}

/// One instruction, e.g. `vld v0, 64(r1) @m2`.
pub fn inst_text(inst: &Inst) -> String {
    let mut out = inst.opcode.mnemonic().to_string();
    for (i, operand) in inst.operands().into_iter().enumerate() {
        out.push_str(if i == 0 { " " } else { ", " });
        out.push_str(&operand_text(&operand));
    }
    if inst.mask != 0 {
        let _ = write!(out, " @m{}", inst.mask);
    }
    out
}

/// One operand in assembler syntax.
pub fn operand_text(operand: &Operand) -> String {
    match *operand {
        Operand::Reg(class, n) => format!("{}{n}", class.prefix()),
        Operand::Lock(n) => format!("l{n}"),
        Operand::Channel(n) => format!("ch{n}"),
        Operand::Dir(d) => d.name().to_string(),
        Operand::Lane(n) => n.to_string(),
        Operand::Imm(v) => v.to_string(),
        Operand::Mem { base, offset } => format!("{offset}(r{base})"),
        Operand::Target(t) => format!("L{t}"),
        Operand::Tile(t) => t.to_string(),
        Operand::Count(c) => c.to_string(),
    }
}
