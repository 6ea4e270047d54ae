//! Copies shared along a chain of PEs (`compile/share.rs` has the plan and
//! the protocol): the code every member runs, whose role it reads from its
//! stream state in SRAM, so that one program serves leader and followers.

use persim_lang::ir::Op;

use super::super::share::{ack_lock, credit_lock, full_lock, StreamLayout, STREAM_BYTES};
use super::super::vcode::{VArg, VReg};
use super::dma::{DST_ADDR, DST_ROW_STRIDE, ROWS, ROW_BYTES, SRC_ADDR, SRC_ROW_STRIDE};
use super::Isel;
use crate::spatial::isa::{Opcode, RegClass};

/// The channel forwards queue on: not the one of the leader's reads, so
/// reads do not queue behind a forward waiting for its locks.
const FORWARD_CHANNEL: u8 = 0;

/// A stream's role words in registers (see `Isel::load_stream_roles`).
pub(super) struct RoleRegs {
    leader: VReg,
    has_down: VReg,
    upstream: VReg,
}

/// A 2-D copy's shape in bytes: rows, source row stride, buffer row stride.
pub(super) type Shape = (VReg, VReg, VReg);

impl Isel<'_> {
    /// The shared stream a `copy_in` belongs to, if the launch shares it.
    pub(super) fn shared_stream(&self, op: Op) -> Option<usize> {
        self.input.shared?.stream_of(op)
    }

    fn stream_at(&self, stream: usize, field: i32) -> VArg {
        VArg::Mem {
            base: None,
            offset: self.stream_base(stream) + field,
        }
    }

    fn stream_base(&self, stream: usize) -> i32 {
        (self.input.map.shared + stream as u32 * STREAM_BYTES) as i32
    }

    /// Loads each stream's role words (leader, has a downstream, upstream
    /// tile), which the launch writes and nothing changes, once at entry:
    /// loaded at every copy site, each cost the protocol's short blocks a
    /// load's latency in `nop`s.
    pub(super) fn load_stream_roles(&mut self) {
        let streams = self.input.shared.map_or(0, |p| p.streams.len());
        for s in 0..streams {
            let mut load = |field| {
                let at = self.stream_at(s, field);
                self.op1(Opcode::Lw, RegClass::Scalar, &[at])
            };
            let roles = RoleRegs {
                leader: load(StreamLayout::LEADER),
                has_down: load(StreamLayout::HAS_DOWN),
                upstream: load(StreamLayout::UPSTREAM),
            };
            self.stream_roles.push(roles);
        }
    }

    /// A word of the stream's per-PE state: a role word from its register,
    /// any other loaded from SRAM.
    fn stream_word(&mut self, stream: usize, field: i32) -> VReg {
        if let Some(r) = self.stream_roles.get(stream) {
            match field {
                StreamLayout::LEADER => return r.leader,
                StreamLayout::HAS_DOWN => return r.has_down,
                StreamLayout::UPSTREAM => return r.upstream,
                _ => {}
            }
        }
        let at = self.stream_at(stream, field);
        self.op1(Opcode::Lw, RegClass::Scalar, &[at])
    }

    fn store_stream_word(&mut self, stream: usize, r: VArg, field: i32) {
        let at = self.stream_at(stream, field);
        self.emit_args(Opcode::Sw, &[r, at]);
    }

    /// Starts a shared copy of `bytes` per row from global `ptr` into SRAM
    /// `local`: the leader reads the tile, the others tell their upstream
    /// that the buffer is free, and a member with a downstream queues the
    /// forward. The copy is pending until completed.
    pub(super) fn shared_copy_in(
        &mut self,
        stream: usize,
        ptr: VReg,
        local: VReg,
        bytes: VReg,
        shape: Option<Shape>,
    ) {
        // The three words the protocol reads first, loaded together: one
        // load's latency in `nop`s instead of three (nothing but this
        // program writes them, so the registers stay exact).
        let pending = self.stream_word(stream, StreamLayout::PENDING);
        let last = self.stream_word(stream, StreamLayout::FORWARD + SRC_ADDR);
        let outstanding = self.stream_word(stream, StreamLayout::OUTSTANDING);
        self.complete_shared(stream, pending);
        let outstanding = self.await_forwards_from(stream, local, last, outstanding);
        let (rows, global, buffer) = match shape {
            Some(s) => s,
            None => (self.li(1), bytes, bytes),
        };
        let store =
            |s: &mut Self, r: VReg, field: i32| s.store_stream_word(stream, VArg::Reg(r), field);
        let fwd = StreamLayout::FORWARD;
        store(self, local, fwd + SRC_ADDR);
        store(self, local, fwd + DST_ADDR);
        store(self, bytes, fwd + ROW_BYTES);
        store(self, rows, fwd + ROWS);
        store(self, buffer, fwd + SRC_ROW_STRIDE);
        store(self, buffer, fwd + DST_ROW_STRIDE);
        let leader = self.stream_word(stream, StreamLayout::LEADER);
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
        let d = self.li(self.stream_base(stream) + read);
        let channel = self.async_channel();
        self.emit_args(Opcode::DmaStart, &[VArg::Channel(channel), VArg::Reg(d)]);
        self.jump(join, Vec::new());
        self.cur = follow;
        let up = self.stream_word(stream, StreamLayout::UPSTREAM);
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
        // After the leader's read: on a machine with one channel the
        // forward, which waits for the read's FWD, must queue behind it.
        self.queue_forward(stream, outstanding);
        let one = self.li(1);
        store(self, one, StreamLayout::PENDING);
    }

    /// On a member with a downstream: queues the forward of the copy just
    /// described (it starts when the tile has landed and the downstream's
    /// buffer is free) and counts it outstanding (`outstanding`: the count
    /// before it).
    fn queue_forward(&mut self, stream: usize, outstanding: VReg) {
        let has_down = self.stream_word(stream, StreamLayout::HAS_DOWN);
        let (forward, after) = (self.code.new_block(), self.code.new_block());
        self.branch(Opcode::Beqz, &[has_down], after, forward);
        self.cur = forward;
        let d = self.li(self.stream_base(stream) + StreamLayout::FORWARD);
        self.emit_args(
            Opcode::DmaStart,
            &[VArg::Channel(FORWARD_CHANNEL), VArg::Reg(d)],
        );
        let n = self.op1(
            Opcode::Addi,
            RegClass::Scalar,
            &[VArg::Reg(outstanding), VArg::Imm(1)],
        );
        self.store_stream_word(stream, VArg::Reg(n), StreamLayout::OUTSTANDING);
        self.jump(after, Vec::new());
        self.cur = after;
    }

    /// If a copy of `stream` is pending (`pending`: its PENDING word):
    /// waits for it to land and acknowledges it to the upstream member.
    fn complete_shared(&mut self, stream: usize, pending: VReg) {
        let (go, done) = (self.code.new_block(), self.code.new_block());
        self.branch(Opcode::Beqz, &[pending], done, go);
        self.cur = go;
        self.emit_args(
            Opcode::LockAcq,
            &[VArg::Lock(full_lock(stream)), VArg::Count(1)],
        );
        let leader = self.stream_word(stream, StreamLayout::LEADER);
        let (ack, acked) = (self.code.new_block(), self.code.new_block());
        self.branch(Opcode::Bnez, &[leader], acked, ack);
        self.cur = ack;
        let up = self.stream_word(stream, StreamLayout::UPSTREAM);
        self.emit_args(
            Opcode::LockRelIndirect,
            &[VArg::Reg(up), VArg::Lock(ack_lock(stream)), VArg::Count(1)],
        );
        self.jump(acked, Vec::new());
        self.cur = acked;
        self.store_stream_word(stream, VArg::Zero(RegClass::Scalar), StreamLayout::PENDING);
        self.jump(done, Vec::new());
        self.cur = done;
    }

    /// Waits until no forward of `stream` out of the buffer at `local` is
    /// running: acknowledgements arrive in order, so every forward but the
    /// latest must be acknowledged, and the latest too if it left `local`.
    /// `last` and `outstanding` are the stream's words (the latest
    /// forward's source, the forwards not yet acknowledged); returns the
    /// count after the wait, which the loop carries in a register.
    fn await_forwards_from(
        &mut self,
        stream: usize,
        local: VReg,
        last: VReg,
        outstanding: VReg,
    ) -> VReg {
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
        let n = self.code.new_vreg(RegClass::Scalar);
        self.code.block(head).params.push(n);
        self.jump(head, vec![outstanding]);
        self.cur = head;
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
        self.store_stream_word(stream, VArg::Reg(less), StreamLayout::OUTSTANDING);
        self.jump(head, vec![less]);
        self.cur = done;
        n
    }

    /// Completes every pending shared copy (`copy_wait`, end of instance),
    /// the PENDING words loaded together first.
    pub(super) fn complete_all_shared(&mut self) {
        let streams = self.input.shared.map_or(0, |p| p.streams.len());
        let pending: Vec<VReg> = (0..streams)
            .map(|s| self.stream_word(s, StreamLayout::PENDING))
            .collect();
        for (s, p) in pending.into_iter().enumerate() {
            self.complete_shared(s, p);
        }
    }
}
