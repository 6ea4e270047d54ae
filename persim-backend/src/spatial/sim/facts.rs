//! What the issue checks need to know of each bundle, worked out once per
//! program instead of every cycle a PE tries the bundle.
//!
//! A PE tries its current bundle every cycle until it issues: a bundle
//! waiting on a lock or for the matrix unit is looked at hundreds of times.
//! Each try used to walk the bundle's instructions for blocking ones, for
//! `mop`s, for SRAM accesses, and decode every instruction's register
//! operands from the ISA table to check their latencies.

use crate::spatial::inst::Inst;
use crate::spatial::isa::{Opcode, Role};
use crate::spatial::machine::Machine;
use crate::spatial::program::is_constant;

use super::pe::{can_block, class_index, sram_access};

/// One bundle's facts.
#[derive(Clone, Debug, Default)]
pub(super) struct BundleFacts {
    /// Holds a lock acquire, a stream send or receive, or a DMA start or
    /// wait: something that can make the whole bundle wait.
    pub blocking: bool,
    /// Holds a `mop` or `mzero`, which wait for the matrix unit.
    pub matrix: bool,
    /// Holds an SRAM access, so the bundle may conflict on a bank.
    pub memory: bool,
    /// The registers the bundle reads, as (instruction index, register
    /// class index, register), constant registers left out.
    pub reads: Vec<(u16, u8, u8)>,
}

impl BundleFacts {
    pub fn of(machine: &Machine, insts: &[Inst]) -> BundleFacts {
        let mut facts = BundleFacts::default();
        for (k, inst) in insts.iter().enumerate() {
            let op = inst.opcode;
            facts.blocking |= can_block(op);
            facts.matrix |= matches!(op, Opcode::Mop | Opcode::Mzero);
            facts.memory |= sram_access(machine, op).is_some();
            for (class, n, role) in inst.register_operands() {
                if matches!(role, Role::Def | Role::Accumulate) || is_constant(class, n) {
                    continue;
                }
                facts.reads.push((k as u16, class_index(class) as u8, n));
            }
        }
        facts
    }
}
