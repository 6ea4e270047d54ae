//! Hand-offs between the kernels of a graph (`compile/handoff.rs` has the
//! plan and the protocol): a `copy_out` that writes the consumer PE's
//! buffer, and the `copy_in` that waits for it.

use persim_lang::ir::Op;

use super::super::handoff::{Role, Site, SlotLayout};
use super::super::share::{credit_lock, full_lock, STREAM_BYTES};
use super::super::vcode::{VArg, VReg};
use super::dma::{ROWS, ROW_BYTES, SRC_ADDR, SRC_ROW_STRIDE};
use super::share::Shape;
use super::Isel;
use crate::spatial::isa::{Opcode, RegClass};

/// Sends queue on channel 0 with the other copies out, so copies out stay
/// in program order.
pub(super) const SEND_CHANNEL: u8 = 0;

impl Isel<'_> {
    /// The hand-offs a block copy is: one receive, or a send per reader.
    pub(super) fn handoff_sites(&self, op: Op) -> Vec<Site> {
        self.input
            .handoffs
            .map_or_else(Vec::new, |p| p.sites_of(op))
    }

    fn slot_base(&self, slot: usize) -> i32 {
        (self.input.map.shared + slot as u32 * STREAM_BYTES) as i32
    }

    /// Emits hand-off `site` of `bytes` per row from (send) or into
    /// (receive) the buffer at `local`.
    pub(super) fn handoff(&mut self, site: Site, local: VReg, bytes: VReg, shape: Option<Shape>) {
        let base = self.slot_base(site.slot);
        match site.role {
            Role::Send => {
                let at = |o: i32| VArg::Mem {
                    base: None,
                    offset: base + SlotLayout::DESCRIPTOR + o,
                };
                self.emit_args(Opcode::Sw, &[VArg::Reg(local), at(SRC_ADDR)]);
                self.emit_args(Opcode::Sw, &[VArg::Reg(bytes), at(ROW_BYTES)]);
                if let Some((rows, _, buffer)) = shape {
                    self.emit_args(Opcode::Sw, &[VArg::Reg(rows), at(ROWS)]);
                    self.emit_args(Opcode::Sw, &[VArg::Reg(buffer), at(SRC_ROW_STRIDE)]);
                }
                let d = self.li(base + SlotLayout::DESCRIPTOR);
                self.emit_args(
                    Opcode::DmaStart,
                    &[VArg::Channel(SEND_CHANNEL), VArg::Reg(d)],
                );
            }
            Role::Receive { producer_slot } => {
                let producer = self.op1(
                    Opcode::Lw,
                    RegClass::Scalar,
                    &[VArg::Mem {
                        base: None,
                        offset: base + SlotLayout::PRODUCER,
                    }],
                );
                self.emit_args(
                    Opcode::LockRelIndirect,
                    &[
                        VArg::Reg(producer),
                        VArg::Lock(credit_lock(producer_slot)),
                        VArg::Count(1),
                    ],
                );
                self.emit_args(
                    Opcode::LockAcq,
                    &[VArg::Lock(full_lock(site.slot)), VArg::Count(1)],
                );
            }
        }
    }
}
