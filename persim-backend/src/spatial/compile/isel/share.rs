//! Copies shared along a chain of PEs (`compile/share.rs` has the plan and
//! the protocol): the code every member runs, whose role it reads from its
//! stream state in SRAM, so that one program serves leader and followers.

use persim_lang::ir::Op;

use super::super::share::{ack_lock, credit_lock, full_lock, StreamLayout, STREAM_BYTES};
use super::super::vcode::{VArg, VReg};
use super::Isel;
use crate::spatial::isa::{Opcode, RegClass};

/// Descriptor field offsets (see `sim::dma::Descriptor`).
const SRC_ADDR: u32 = 0;
const DST_ADDR: u32 = 4;
const ROW_BYTES: u32 = 12;
const ROWS: u32 = 16;
const SRC_ROW_STRIDE: u32 = 20;
const DST_ROW_STRIDE: u32 = 24;

/// The channel forwards run on: not the one of the leader's reads, so
/// forwards do not queue behind the next read.
const FORWARD_CHANNEL: u8 = 0;

/// A 2-D copy's shape in bytes: rows, source row stride, buffer row stride.
pub(super) type Shape = (VReg, VReg, VReg);

impl Isel<'_> {
    /// The shared stream a `copy_in` belongs to, if the launch shares it.
    pub(super) fn shared_stream(&self, op: Op) -> Option<usize> {
        self.input.shared?.stream_of(op)
    }

    fn stream_at(&self, stream: usize, field: u32) -> VArg {
        VArg::Mem {
            base: None,
            offset: (self.input.map.shared + stream as u32 * STREAM_BYTES + field) as i32,
        }
    }

    /// Starts a shared copy of `bytes` per row from global `ptr` into SRAM
    /// `local`: the leader reads it, the others tell their upstream that
    /// the buffer is free. The copy is pending until completed.
    pub(super) fn shared_copy_in(
        &mut self,
        stream: usize,
        ptr: VReg,
        local: VReg,
        bytes: VReg,
        shape: Option<Shape>,
    ) {
        self.complete_shared(stream);
        self.await_forwards_from(stream, local);
        let (rows, global, buffer) = match shape {
            Some(s) => s,
            None => (self.li(1), bytes, bytes),
        };
        let store = |s: &mut Self, r: VReg, field: u32| {
            let at = s.stream_at(stream, field);
            s.emit_args(Opcode::Sw, &[VArg::Reg(r), at]);
        };
        let fwd = StreamLayout::FORWARD;
        store(self, local, fwd + SRC_ADDR);
        store(self, local, fwd + DST_ADDR);
        store(self, bytes, fwd + ROW_BYTES);
        store(self, rows, fwd + ROWS);
        store(self, buffer, fwd + SRC_ROW_STRIDE);
        store(self, buffer, fwd + DST_ROW_STRIDE);
        let leader = self.op1(
            Opcode::Lw,
            RegClass::Scalar,
            &[self.stream_at(stream, StreamLayout::LEADER)],
        );
        let (lead, follow, join) = (
            self.code.new_block(),
            self.code.new_block(),
            self.code.new_block(),
        );
        self.branch(Opcode::Beqz, &[leader], follow, lead);
        self.cur = lead;
        let read = StreamLayout::READ;
        store(self, ptr, read + SRC_ADDR);
        store(self, local, read + DST_ADDR);
        store(self, bytes, read + ROW_BYTES);
        store(self, rows, read + ROWS);
        store(self, global, read + SRC_ROW_STRIDE);
        store(self, buffer, read + DST_ROW_STRIDE);
        let desc = self.input.map.shared + stream as u32 * STREAM_BYTES + read;
        let d = self.li(desc as i32);
        let channel = self.async_channel();
        self.emit_args(Opcode::DmaStart, &[VArg::Channel(channel), VArg::Reg(d)]);
        self.jump(join, Vec::new());
        self.cur = follow;
        let up = self.op1(
            Opcode::Lw,
            RegClass::Scalar,
            &[self.stream_at(stream, StreamLayout::UPSTREAM)],
        );
        self.emit_args(
            Opcode::LockRelIndirect,
            &[
                VArg::Reg(up),
                VArg::Lock(credit_lock(stream)),
                VArg::Count(1),
            ],
        );
        self.jump(join, Vec::new());
        self.cur = join;
        let one = self.li(1);
        store(self, one, StreamLayout::PENDING);
    }

    /// If a copy of `stream` is pending: waits for it to land and forwards
    /// it to the downstream member once that member's buffer is free.
    pub(super) fn complete_shared(&mut self, stream: usize) {
        let pending = self.op1(
            Opcode::Lw,
            RegClass::Scalar,
            &[self.stream_at(stream, StreamLayout::PENDING)],
        );
        let (go, done) = (self.code.new_block(), self.code.new_block());
        self.branch(Opcode::Beqz, &[pending], done, go);
        self.cur = go;
        self.emit_args(
            Opcode::LockAcq,
            &[VArg::Lock(full_lock(stream)), VArg::Count(1)],
        );
        let leader = self.op1(
            Opcode::Lw,
            RegClass::Scalar,
            &[self.stream_at(stream, StreamLayout::LEADER)],
        );
        let (ack, acked) = (self.code.new_block(), self.code.new_block());
        self.branch(Opcode::Bnez, &[leader], acked, ack);
        self.cur = ack;
        let up = self.op1(
            Opcode::Lw,
            RegClass::Scalar,
            &[self.stream_at(stream, StreamLayout::UPSTREAM)],
        );
        self.emit_args(
            Opcode::LockRelIndirect,
            &[VArg::Reg(up), VArg::Lock(ack_lock(stream)), VArg::Count(1)],
        );
        self.jump(acked, Vec::new());
        self.cur = acked;
        let has_down = self.op1(
            Opcode::Lw,
            RegClass::Scalar,
            &[self.stream_at(stream, StreamLayout::HAS_DOWN)],
        );
        let (forward, after) = (self.code.new_block(), self.code.new_block());
        self.branch(Opcode::Beqz, &[has_down], after, forward);
        self.cur = forward;
        self.emit_args(
            Opcode::LockAcq,
            &[VArg::Lock(credit_lock(stream)), VArg::Count(1)],
        );
        let desc = self.input.map.shared + stream as u32 * STREAM_BYTES + StreamLayout::FORWARD;
        let d = self.li(desc as i32);
        self.emit_args(
            Opcode::DmaStart,
            &[VArg::Channel(FORWARD_CHANNEL), VArg::Reg(d)],
        );
        let at = self.stream_at(stream, StreamLayout::OUTSTANDING);
        let n = self.op1(Opcode::Lw, RegClass::Scalar, &[at]);
        let n = self.op1(
            Opcode::Addi,
            RegClass::Scalar,
            &[VArg::Reg(n), VArg::Imm(1)],
        );
        self.emit_args(Opcode::Sw, &[VArg::Reg(n), at]);
        self.jump(after, Vec::new());
        self.cur = after;
        let at = self.stream_at(stream, StreamLayout::PENDING);
        self.emit_args(Opcode::Sw, &[VArg::Zero(RegClass::Scalar), at]);
        self.jump(done, Vec::new());
        self.cur = done;
    }

    /// Waits until no forward of `stream` out of the buffer at `local` is
    /// running: acknowledgements arrive in order, so every forward but the
    /// latest must be acknowledged, and the latest too if it left `local`.
    fn await_forwards_from(&mut self, stream: usize, local: VReg) {
        let last = self.op1(
            Opcode::Lw,
            RegClass::Scalar,
            &[self.stream_at(stream, StreamLayout::FORWARD + SRC_ADDR)],
        );
        let same = self.op1(
            Opcode::Seq,
            RegClass::Scalar,
            &[VArg::Reg(last), VArg::Reg(local)],
        );
        let one = self.li(1);
        let allowed = self.op1(
            Opcode::Sub,
            RegClass::Scalar,
            &[VArg::Reg(one), VArg::Reg(same)],
        );
        let (head, wait, done) = (
            self.code.new_block(),
            self.code.new_block(),
            self.code.new_block(),
        );
        self.jump(head, Vec::new());
        self.cur = head;
        let at = self.stream_at(stream, StreamLayout::OUTSTANDING);
        let n = self.op1(Opcode::Lw, RegClass::Scalar, &[at]);
        self.branch(Opcode::Bge, &[allowed, n], done, wait);
        self.cur = wait;
        self.emit_args(
            Opcode::LockAcq,
            &[VArg::Lock(ack_lock(stream)), VArg::Count(1)],
        );
        let less = self.op1(
            Opcode::Addi,
            RegClass::Scalar,
            &[VArg::Reg(n), VArg::Imm(-1)],
        );
        self.emit_args(Opcode::Sw, &[VArg::Reg(less), at]);
        self.jump(head, Vec::new());
        self.cur = done;
    }

    /// Completes every pending shared copy (`copy_wait`, end of instance).
    pub(super) fn complete_all_shared(&mut self) {
        let streams = self.input.shared.map_or(0, |p| p.streams.len());
        for s in 0..streams {
            self.complete_shared(s);
        }
    }
}
