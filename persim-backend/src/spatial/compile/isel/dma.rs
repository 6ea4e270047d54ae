//! Global loads and stores: off-chip memory is reached only through DMA
//! into and out of SRAM staging vectors.
//!
//! A vector access has a pointer per lane and a lane mask. It is moved as
//! *runs*: maximal sequences of consecutive active lanes whose addresses
//! are consecutive, one DMA descriptor each.
//! - Fast path, decided at run time with a few vector instructions: the
//!   active lanes are a prefix and their pointers are contiguous → one
//!   descriptor of `size x active lanes` bytes (every unit-stride access).
//!   Elements take their size in memory (4, 2 or 1 bytes) and are widened
//!   or narrowed between staging and registers (`narrow.rs`); bools are
//!   0/1 bytes (`vst.u8`), loaded as bytes compared with 0 (`vld.u8`).
//! - Otherwise a scalar loop walks the lanes and starts a descriptor per run
//!   (gathers, scatters, strided or wrapped pointers, holes in the mask).
//!
//! Descriptor templates sit in SRAM (written into the memory image with the
//! tiles and lengths that never change); a transfer writes only the source
//! address, destination address and length, then `dma.start`s. All
//! transfers of a PE use channel 0, which runs descriptors in order, so
//! global memory accesses of one program instance stay in program order;
//! `dma.wait` before the staging vector is read (loads) or reused (stores).
//! Masked-off lanes never touch off-chip memory.
//!
//! Block copies (`copy_in`/`copy_out`, made by the mid-end's `bulk-copies`)
//! are one descriptor each, and are not waited for at once: consecutive
//! copies in take turns on the channels, and their waits come before the next op
//! that is not pure arithmetic (any memory access, control flow, the end of
//! a block). A copy also waits for the pending ones first when they could
//! conflict: a copy in after a copy out (its source may be what the copy out
//! writes), a copy out after a copy in, or SRAM ranges that overlap. Copies
//! out share channel 0, so they land in program order.
//!
//! An `async` copy in (double buffering, `double-buffer`) runs on the last
//! channel, which the other copies then leave alone, and is waited for only
//! by `copy_wait`: it overlaps everything up to the next iteration. An
//! `async` copy out (write-behind) runs on channel 0 with the other copies
//! out and is waited for by `copy_wait {out = true}` (or by any wait for
//! channel 0, which only waits longer).

use persim_lang::ir::{Attr, Dtype, Op, Opcode as IrOp};

use super::super::error::CResult;
use super::super::handoff::Role;
use super::super::vcode::{VArg, VInst, VReg};
use super::{narrow, Isel};
use crate::spatial::isa::{Opcode, RegClass};

/// Descriptor field offsets (see `sim::dma::Descriptor`).
pub(super) const SRC_ADDR: i32 = 0;
pub(super) const DST_ADDR: i32 = 4;
pub(super) const ROW_BYTES: i32 = 12;
pub(super) const ROWS: i32 = 16;
pub(super) const SRC_ROW_STRIDE: i32 = 20;
pub(super) const DST_ROW_STRIDE: i32 = 24;
const CHANNEL: u8 = 0;

/// A started block copy not yet waited for.
#[derive(Clone, Copy, Debug)]
pub(super) struct PendingCopy {
    channel: u8,
    out: bool,
    /// SRAM bytes `[lo, hi)` it reads or writes.
    lo: u32,
    hi: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Load,
    Store,
}

impl Isel<'_> {
    /// The element type of the access's pointers (`operand`) and its size
    /// in bytes: 8, 4, 2 or 1 (bools are bytes in memory, 0 or 1).
    pub(super) fn element_type(&self, op: Op, operand: usize) -> CResult<(Dtype, u32)> {
        let ptrs = self.f.op(op).operands[operand];
        match self.f.ty(ptrs).elem().pointee() {
            Some(d) => Ok((d, d.size_bytes())),
            None => Err(self.unsupported(op, "the access is not through pointers")),
        }
    }

    pub(super) fn global_load(&mut self, op: Op) -> CResult<()> {
        let (dtype, size) = self.element_type(op, 0)?;
        let data = self.f.op(op).clone();
        let ptrs = self.reg(data.operands[0])?;
        let mask = data.operands.get(1).map(|&v| self.reg(v)).transpose()?;
        let other = data.operands.get(2).map(|&v| self.reg(v)).transpose()?;
        let result = data.results[0];
        let staging = VArg::Mem {
            base: None,
            offset: self.input.map.load_staging as i32,
        };
        if size == 8 {
            let r = self.wide_global_load(ptrs, mask, other, staging);
            self.bind(result, r);
            return Ok(());
        }
        let r = if self.code.class(ptrs) == RegClass::Scalar {
            if dtype == Dtype::I1 {
                // The byte lands in a zeroed word.
                self.emit_args(Opcode::Sw, &[VArg::Zero(RegClass::Scalar), staging]);
            }
            self.scalar_transfer(Dir::Load, ptrs, mask, None, size);
            let v = if dtype == Dtype::I1 {
                let v = self.op1(Opcode::Lw, RegClass::Scalar, &[staging]);
                let zero = self.li(0);
                self.op1(
                    Opcode::Sltu,
                    RegClass::Scalar,
                    &[VArg::Reg(zero), VArg::Reg(v)],
                )
            } else {
                match self.scalar_narrow_load(dtype, staging) {
                    Some(v) => v,
                    None => self.op1(Opcode::Lw, RegClass::Scalar, &[staging]),
                }
            };
            match (mask, other) {
                (Some(m), Some(o)) => self.scalar_select(m, v, o),
                (Some(m), None) => {
                    let z = self.li(0);
                    self.scalar_select(m, v, z)
                }
                _ => v,
            }
        } else if dtype == Dtype::I1 {
            self.vector_transfer(Dir::Load, ptrs, mask, size);
            let bytes = match mask {
                Some(m) => self.op1_pred(Opcode::VldU8, RegClass::Vector, &[staging], m),
                None => self.op1(Opcode::VldU8, RegClass::Vector, &[staging]),
            };
            let zero = self.splat_imm(0);
            let loaded = self.op1(
                Opcode::VcmpltI,
                RegClass::Mask,
                &[VArg::Reg(zero), VArg::Reg(bytes)],
            );
            match (mask, other) {
                (Some(m), Some(o)) => {
                    let on = self.op1(
                        Opcode::Mand,
                        RegClass::Mask,
                        &[VArg::Reg(m), VArg::Reg(loaded)],
                    );
                    let off = self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(m)]);
                    let kept = self.op1(
                        Opcode::Mand,
                        RegClass::Mask,
                        &[VArg::Reg(off), VArg::Reg(o)],
                    );
                    self.op1(
                        Opcode::Mor,
                        RegClass::Mask,
                        &[VArg::Reg(on), VArg::Reg(kept)],
                    )
                }
                _ => loaded,
            }
        } else {
            self.vector_transfer(Dir::Load, ptrs, mask, size);
            let load = narrow::vector_load(dtype).unwrap_or(Opcode::Vld);
            match mask {
                Some(m) => {
                    let v = self.op1_pred(load, RegClass::Vector, &[staging], m);
                    match other {
                        Some(o) => self.op1(
                            Opcode::Vsel,
                            RegClass::Vector,
                            &[VArg::Reg(m), VArg::Reg(v), VArg::Reg(o)],
                        ),
                        None => v,
                    }
                }
                None => self.op1(load, RegClass::Vector, &[staging]),
            }
        };
        self.bind(result, r);
        Ok(())
    }

    pub(super) fn global_store(&mut self, op: Op) -> CResult<()> {
        let (dtype, size) = self.element_type(op, 0)?;
        let data = self.f.op(op).clone();
        let ptrs = self.reg(data.operands[0])?;
        let value = self.reg(data.operands[1])?;
        let mask = data.operands.get(2).map(|&v| self.reg(v)).transpose()?;
        let staging = VArg::Mem {
            base: None,
            offset: self.input.map.store_staging as i32,
        };
        if size == 8 {
            self.wide_global_store(ptrs, value, mask, staging);
            return Ok(());
        }
        if self.code.class(ptrs) == RegClass::Scalar {
            // The element's bytes are the low bytes of the staged word
            // (little-endian); halves are converted first.
            let value = match dtype {
                Dtype::F16 => self.op1(Opcode::F2h, RegClass::Scalar, &[VArg::Reg(value)]),
                Dtype::BF16 => self.op1(Opcode::F2bf, RegClass::Scalar, &[VArg::Reg(value)]),
                _ => value,
            };
            self.scalar_transfer(Dir::Store, ptrs, mask, Some(value), size);
        } else {
            if dtype == Dtype::I1 {
                // A mask becomes one 0/1 byte per lane.
                let one = self.splat_imm(1);
                let zero = self.splat_imm(0);
                let words = self.op1(
                    Opcode::Vsel,
                    RegClass::Vector,
                    &[VArg::Reg(value), VArg::Reg(one), VArg::Reg(zero)],
                );
                self.emit_args(Opcode::VstU8, &[VArg::Reg(words), staging]);
            } else {
                let store = narrow::vector_store(dtype).unwrap_or(Opcode::Vst);
                self.emit_args(store, &[VArg::Reg(value), staging]);
            }
            self.vector_transfer(Dir::Store, ptrs, mask, size);
        }
        Ok(())
    }

    /// A load of 64-bit elements: staged by DMA, then `vld.64` (or, for a
    /// scalar, the broadcast `vbcast.64`: a 64-bit scalar is a splat).
    fn wide_global_load(
        &mut self,
        ptrs: VReg,
        mask: Option<VReg>,
        other: Option<VReg>,
        staging: VArg,
    ) -> VReg {
        let vector = self.code.class(ptrs) == RegClass::Vector;
        let v = if vector {
            self.vector_transfer(Dir::Load, ptrs, mask, 8);
            match mask {
                Some(m) => self.op1_pred(Opcode::Vld64, RegClass::Vector, &[staging], m),
                None => self.op1(Opcode::Vld64, RegClass::Vector, &[staging]),
            }
        } else {
            self.scalar_transfer(Dir::Load, ptrs, mask, None, 8);
            self.op1(Opcode::Vbcast64, RegClass::Vector, &[staging])
        };
        match mask {
            Some(m) => {
                let o = match other {
                    Some(o) => o,
                    None => self.splat_imm(0),
                };
                self.select(m, v, o, RegClass::Vector, vector)
            }
            None => v,
        }
    }

    /// A store of 64-bit elements: `vst.64` (a scalar: `vsts.64`, lane 0)
    /// into the staging vector, then DMA.
    fn wide_global_store(&mut self, ptrs: VReg, value: VReg, mask: Option<VReg>, staging: VArg) {
        if self.code.class(ptrs) == RegClass::Vector {
            self.emit_args(Opcode::Vst64, &[VArg::Reg(value), staging]);
            self.vector_transfer(Dir::Store, ptrs, mask, 8);
        } else {
            self.emit_args(Opcode::Vsts64, &[VArg::Reg(value), staging]);
            self.scalar_transfer(Dir::Store, ptrs, mask, None, 8);
        }
    }

    fn template(&self, dir: Dir) -> i32 {
        match dir {
            Dir::Load => self.input.map.load_desc as i32,
            Dir::Store => self.input.map.store_desc as i32,
        }
    }

    fn staging(&self, dir: Dir) -> i32 {
        match dir {
            Dir::Load => self.input.map.load_staging as i32,
            Dir::Store => self.input.map.store_staging as i32,
        }
    }

    /// Writes the varying fields of the direction's template and starts it:
    /// `offchip` is the global address, `local` the SRAM address.
    fn start_dma(&mut self, dir: Dir, offchip: VReg, local: VReg, bytes: VReg) {
        self.start_dma_on(dir, CHANNEL, offchip, local, bytes);
    }

    /// [`Isel::start_dma`] on channel `channel` (the template is read when
    /// the descriptor is queued, so both channels may share it).
    fn start_dma_on(&mut self, dir: Dir, channel: u8, offchip: VReg, local: VReg, bytes: VReg) {
        let desc = self.template(dir);
        self.start_dma_with(desc, dir, channel, offchip, local, bytes);
    }

    /// [`Isel::start_dma_on`] with the template at `desc`.
    fn start_dma_with(
        &mut self,
        desc: i32,
        dir: Dir,
        channel: u8,
        offchip: VReg,
        local: VReg,
        bytes: VReg,
    ) {
        let (src, dst) = match dir {
            Dir::Load => (offchip, local),
            Dir::Store => (local, offchip),
        };
        let at = |o: i32| VArg::Mem {
            base: None,
            offset: desc + o,
        };
        self.emit_args(Opcode::Sw, &[VArg::Reg(src), at(SRC_ADDR)]);
        self.emit_args(Opcode::Sw, &[VArg::Reg(dst), at(DST_ADDR)]);
        self.emit_args(Opcode::Sw, &[VArg::Reg(bytes), at(ROW_BYTES)]);
        let d = self.li(desc);
        self.emit_args(Opcode::DmaStart, &[VArg::Channel(channel), VArg::Reg(d)]);
    }

    /// `copy_in buf, idx, src, count` (`out == false`) or `copy_out dst,
    /// buf, idx, count`: one descriptor of `count` elements, started now and
    /// waited for later (see the module documentation). With `rows` and two
    /// strides, one 2-D descriptor for the whole block.
    pub(super) fn block_copy(&mut self, op: Op, out: bool) -> CResult<()> {
        let data = self.f.op(op).clone();
        let [p, b, i, n] = if out { [0, 1, 2, 3] } else { [2, 0, 1, 3] };
        let buf = data.operands[b];
        let place = self
            .input
            .map
            .buffers
            .get(&buf)
            .copied()
            .ok_or_else(|| self.err("internal error: buffer without an SRAM place"))?;
        if place.mask {
            return Err(self.unsupported(op, "masks are not copied in blocks"));
        }
        let len = match self.f.ty(buf) {
            persim_lang::ir::Type::Buf { len, .. } => *len,
            _ => return Err(self.err("internal error: a copy's buffer is not a buffer")),
        };
        let (lo, hi) = (place.addr, place.addr + len * place.elem_bytes);
        let asynchronous = matches!(data.attrs.get("async"), Some(Attr::Bool(true)));
        let handoffs = self.handoff_sites(op);
        // A hand-off in is filled by another PE once it releases the
        // producer's credit: nothing of its own may still touch SRAM then.
        let receive = handoffs.iter().any(|s| s.role != Role::Send);
        let conflict = receive
            || self
                .pending
                .iter()
                .any(|c| c.out != out || (c.lo < hi && lo < c.hi));
        if conflict || asynchronous {
            self.flush_copies();
        }
        let ins = self.pending.iter().filter(|c| !c.out).count() as u32;
        let channel = if asynchronous && !out {
            self.async_channel()
        } else if out {
            0
        } else {
            (ins % self.sync_channels()) as u8
        };
        let ptr = self.reg(data.operands[p])?;
        let idx = self.reg(data.operands[i])?;
        let count = self.reg(data.operands[n])?;
        let shift = place.elem_bytes.trailing_zeros() as i32;
        let local = match self.consts.get(&idx) {
            Some(&c) => self.li(place.addr as i32 + c * place.elem_bytes as i32),
            None => {
                let scaled = self.op1(
                    Opcode::Shli,
                    RegClass::Scalar,
                    &[VArg::Reg(idx), VArg::Imm(shift)],
                );
                self.op1(
                    Opcode::Addi,
                    RegClass::Scalar,
                    &[VArg::Reg(scaled), VArg::Imm(place.addr as i32)],
                )
            }
        };
        let bytes = self.op1(
            Opcode::Shli,
            RegClass::Scalar,
            &[VArg::Reg(count), VArg::Imm(shift)],
        );
        // Nothing to move when `count <= 0` (a row entirely masked off).
        let go = self.code.new_block();
        let done = self.code.new_block();
        let zero = self.li(0);
        self.branch(Opcode::Bge, &[zero, count], done, go);
        self.cur = go;
        let dir = if out { Dir::Store } else { Dir::Load };
        // A result leaving in blocks goes through the PE's tail shim.
        let tail = matches!(data.attrs.get("tail"), Some(Attr::Bool(true)));
        let desc = if out && tail {
            self.input.map.tail_store_desc as i32
        } else {
            self.template(dir)
        };
        if !handoffs.is_empty() {
            let shape = match data.operands[4..] {
                [rows, global, buffer] => Some(self.block_shape(rows, global, buffer, shift)?),
                _ => None,
            };
            for site in handoffs {
                self.handoff(site, local, bytes, shape);
            }
        } else if let Some(stream) = self.shared_stream(op).filter(|_| !out) {
            let shape = match data.operands[4..] {
                [rows, global, buffer] => Some(self.block_shape(rows, global, buffer, shift)?),
                _ => None,
            };
            self.shared_copy_in(stream, ptr, local, bytes, shape);
        } else if let [rows, global, buffer] = data.operands[4..] {
            // A 2-D block: rows and byte strides in the template, then the
            // template back to one row for the copies that only set a length.
            let at = |o: i32| VArg::Mem {
                base: None,
                offset: desc + o,
            };
            let (rows, global, buffer) = self.block_shape(rows, global, buffer, shift)?;
            let (src_stride, dst_stride) = if out {
                (buffer, global)
            } else {
                (global, buffer)
            };
            self.emit_args(Opcode::Sw, &[VArg::Reg(rows), at(ROWS)]);
            self.emit_args(Opcode::Sw, &[VArg::Reg(src_stride), at(SRC_ROW_STRIDE)]);
            self.emit_args(Opcode::Sw, &[VArg::Reg(dst_stride), at(DST_ROW_STRIDE)]);
            self.start_dma_with(desc, dir, channel, ptr, local, bytes);
            let one = self.li(1);
            self.emit_args(Opcode::Sw, &[VArg::Reg(one), at(ROWS)]);
        } else {
            self.start_dma_with(desc, dir, channel, ptr, local, bytes);
        }
        self.jump(done, Vec::new());
        self.cur = done;
        if !asynchronous && !receive {
            self.pending.push(PendingCopy {
                channel,
                out,
                lo,
                hi,
            });
        }
        Ok(())
    }

    /// A 2-D copy's rows and its two row strides in bytes (the IR gives
    /// strides in elements of `1 << shift` bytes).
    fn block_shape(
        &mut self,
        rows: persim_lang::ir::Value,
        global: persim_lang::ir::Value,
        buffer: persim_lang::ir::Value,
        shift: i32,
    ) -> CResult<(VReg, VReg, VReg)> {
        let rows = self.reg(rows)?;
        let [global, buffer] = [self.reg(global)?, self.reg(buffer)?].map(|r| {
            self.op1(
                Opcode::Shli,
                RegClass::Scalar,
                &[VArg::Reg(r), VArg::Imm(shift)],
            )
        });
        Ok((rows, global, buffer))
    }

    /// `copy_wait`: every asynchronous copy in (`out`: copy out) and any
    /// pending copy has landed.
    pub(super) fn copy_wait(&mut self, out: bool) {
        self.flush_copies();
        if !out {
            self.complete_all_shared();
        }
        let ch = if out { 0 } else { self.async_channel() };
        self.emit_args(Opcode::DmaWait, &[VArg::Channel(ch)]);
    }

    /// The channel of asynchronous copies: the last one, so that waits for
    /// the other copies do not wait for a prefetch.
    pub(super) fn async_channel(&self) -> u8 {
        (self.input.machine.dma.channels_per_tile.max(1) - 1) as u8
    }

    /// How many channels (from 0) synchronous copies take turns on: all of
    /// them, but the asynchronous one when the kernel has such copies and
    /// the machine another channel.
    fn sync_channels(&self) -> u32 {
        let channels = self.input.machine.dma.channels_per_tile.max(1);
        if self.has_async_copies && channels > 1 {
            channels - 1
        } else {
            channels
        }
    }

    /// `copy_gather buf, idx, ptrs [, mask [, other]]`: masked-off lanes
    /// get `other` (or 0) at once; the active lanes, when they are a prefix
    /// with contiguous pointers, extend the open run if they continue it in
    /// both memories, else the open run starts (asynchronously) and theirs
    /// opens. Anything else takes the vector path through staging. Open
    /// runs are closed before anything that may read what they write
    /// ([`Isel::gather_conflict`]).
    pub(super) fn copy_gather(&mut self, op: Op) -> CResult<()> {
        let data = self.f.op(op).clone();
        let (dtype, size) = self.element_type(op, 2)?;
        if dtype == Dtype::I1 {
            return Err(self.unsupported(op, "masks are not gathered into buffers"));
        }
        let (load, store) = (
            narrow::vector_load(dtype).unwrap_or(Opcode::Vld),
            narrow::vector_store(dtype).unwrap_or(Opcode::Vst),
        );
        let buf = data.operands[0];
        let place = self
            .input
            .map
            .buffers
            .get(&buf)
            .copied()
            .ok_or_else(|| self.err("internal error: buffer without an SRAM place"))?;
        let ptrs = self.reg(data.operands[2])?;
        let mask = data.operands.get(3).map(|&v| self.reg(v)).transpose()?;
        let other = data.operands.get(4).map(|&v| self.reg(v)).transpose()?;
        let at = self.element(place, data.operands[1])?;
        let local = self.address_of(&at);
        let word = self.run_word();
        // Runs write upward from one close to the next: a gather below the
        // highest byte written since (bytes written twice without a read in
        // between, or a descending walk) finishes them first, so the later
        // write wins and no run in flight can land on this one's lanes.
        let hi = self.op1(Opcode::Lw, RegClass::Scalar, &[word(16)]);
        let below = self.op1(
            Opcode::Sltu,
            RegClass::Scalar,
            &[VArg::Reg(local), VArg::Reg(hi)],
        );
        let finish = self.code.new_block();
        let checked = self.code.new_block();
        self.branch(Opcode::Bnez, &[below], finish, checked);
        self.cur = finish;
        self.close_gather_run();
        self.jump(checked, Vec::new());
        self.cur = checked;
        let end = self.op1(
            Opcode::Addi,
            RegClass::Scalar,
            &[VArg::Reg(local), VArg::Imm((size * self.lanes) as i32)],
        );
        self.emit_args(Opcode::Sw, &[VArg::Reg(end), word(16)]);
        if let Some(m) = mask {
            let off = self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(m)]);
            let fill = match other {
                Some(o) => o,
                None => self.splat_imm(0),
            };
            let mut inst = VInst::new(store, &[VArg::Reg(fill), at]);
            inst.pred = Some(off);
            self.emit(inst);
        }
        let (p0, slow_needed) = self.prefix_test(ptrs, mask, size);
        let fast = self.code.new_block();
        let slow = self.code.new_block();
        let done = self.code.new_block();
        self.branch(Opcode::Bnez, &[slow_needed], slow, fast);

        self.cur = fast;
        let bytes = self.prefix_bytes(mask, size);
        let go = self.code.new_block();
        self.branch(Opcode::Beqz, &[bytes], done, go);
        self.cur = go;
        let (rs, rd, rl) = self.open_run();
        let end_s = self.op1(
            Opcode::Add,
            RegClass::Scalar,
            &[VArg::Reg(rs), VArg::Reg(rl)],
        );
        let end_d = self.op1(
            Opcode::Add,
            RegClass::Scalar,
            &[VArg::Reg(rd), VArg::Reg(rl)],
        );
        let same_s = self.op1(
            Opcode::Seq,
            RegClass::Scalar,
            &[VArg::Reg(end_s), VArg::Reg(p0)],
        );
        let same_d = self.op1(
            Opcode::Seq,
            RegClass::Scalar,
            &[VArg::Reg(end_d), VArg::Reg(local)],
        );
        let zero = self.li(0);
        let open = self.op1(
            Opcode::Sltu,
            RegClass::Scalar,
            &[VArg::Reg(zero), VArg::Reg(rl)],
        );
        let both = self.op1(
            Opcode::And,
            RegClass::Scalar,
            &[VArg::Reg(same_s), VArg::Reg(same_d)],
        );
        let extends = self.op1(
            Opcode::And,
            RegClass::Scalar,
            &[VArg::Reg(both), VArg::Reg(open)],
        );
        let extend = self.code.new_block();
        let restart = self.code.new_block();
        self.branch(Opcode::Bnez, &[extends], extend, restart);
        self.cur = extend;
        let longer = self.op1(
            Opcode::Add,
            RegClass::Scalar,
            &[VArg::Reg(rl), VArg::Reg(bytes)],
        );
        self.emit_args(Opcode::Sw, &[VArg::Reg(longer), word(8)]);
        self.jump(done, Vec::new());
        self.cur = restart;
        self.start_run(rs, rd, rl);
        self.emit_args(Opcode::Sw, &[VArg::Reg(p0), word(0)]);
        self.emit_args(Opcode::Sw, &[VArg::Reg(local), word(4)]);
        self.emit_args(Opcode::Sw, &[VArg::Reg(bytes), word(8)]);
        self.jump(done, Vec::new());

        self.cur = slow;
        self.close_gather_run();
        self.vector_transfer(Dir::Load, ptrs, mask, size);
        let staged = VArg::Mem {
            base: None,
            offset: self.input.map.load_staging as i32,
        };
        let v = match mask {
            Some(m) => self.op1_pred(load, RegClass::Vector, &[staged], m),
            None => self.op1(load, RegClass::Vector, &[staged]),
        };
        let mut inst = VInst::new(store, &[VArg::Reg(v), at]);
        inst.pred = mask;
        self.emit(inst);
        self.jump(done, Vec::new());
        self.cur = done;
        self.gather_open = true;
        Ok(())
    }

    /// Source, destination and bytes of the open gather run (bytes 0: none).
    fn open_run(&mut self) -> (VReg, VReg, VReg) {
        let word = self.run_word();
        let [rs, rd, rl] = [0, 4, 8].map(|o| self.op1(Opcode::Lw, RegClass::Scalar, &[word(o)]));
        (rs, rd, rl)
    }

    /// The memory operand of word `offset` of the gather run state:
    /// 0 source, 4 destination, 8 bytes (0: none open), 12 the next run's
    /// channel, 16 the end of the highest SRAM bytes written since the last
    /// close (0: none).
    fn run_word(&self) -> impl Fn(i32) -> VArg {
        let run = self.input.map.gather_run as i32;
        move |o: i32| VArg::Mem {
            base: None,
            offset: run + o,
        }
    }

    /// The SRAM address a memory operand names, in a register.
    fn address_of(&mut self, at: &VArg) -> VReg {
        match *at {
            VArg::Mem {
                base: Some(b),
                offset,
            } => self.op1(
                Opcode::Addi,
                RegClass::Scalar,
                &[VArg::Reg(b), VArg::Imm(offset)],
            ),
            VArg::Mem { base: None, offset } => self.li(offset),
            _ => unreachable!("an element operand is a memory operand"),
        }
    }

    /// Starts the run `(src, dst, bytes)` if `bytes != 0`, on the channel
    /// the run word says (taking turns when the machine has two or more).
    fn start_run(&mut self, src: VReg, dst: VReg, bytes: VReg) {
        let go = self.code.new_block();
        let join = self.code.new_block();
        self.branch(Opcode::Beqz, &[bytes], join, go);
        self.cur = go;
        if self.input.machine.dma.channels_per_tile < 2 {
            self.start_dma_on(Dir::Load, 0, src, dst, bytes);
            self.jump(join, Vec::new());
        } else {
            let turn = VArg::Mem {
                base: None,
                offset: self.input.map.gather_run as i32 + 12,
            };
            let t = self.op1(Opcode::Lw, RegClass::Scalar, &[turn]);
            let one = self.li(1);
            let flipped = self.op1(
                Opcode::Sub,
                RegClass::Scalar,
                &[VArg::Reg(one), VArg::Reg(t)],
            );
            self.emit_args(Opcode::Sw, &[VArg::Reg(flipped), turn]);
            let on1 = self.code.new_block();
            let on0 = self.code.new_block();
            self.branch(Opcode::Bnez, &[t], on1, on0);
            self.cur = on0;
            self.start_dma_on(Dir::Load, 0, src, dst, bytes);
            self.jump(join, Vec::new());
            self.cur = on1;
            self.start_dma_on(Dir::Load, 1, src, dst, bytes);
            self.jump(join, Vec::new());
        }
        self.cur = join;
    }

    /// Starts the open gather run, if any, and waits for every gather:
    /// emitted wherever one may be open and something may read its bytes.
    pub(super) fn close_gather_run(&mut self) {
        let word = self.run_word();
        let (rs, rd, rl) = self.open_run();
        self.start_run(rs, rd, rl);
        for o in [8, 16] {
            self.emit_args(Opcode::Sw, &[VArg::Zero(RegClass::Scalar), word(o)]);
        }
        let channels = self.input.machine.dma.channels_per_tile.clamp(1, 2);
        for ch in 0..channels {
            self.emit_args(Opcode::DmaWait, &[VArg::Channel(ch as u8)]);
        }
        self.gather_open = false;
    }

    /// Whether `op` may read or write what an open gather run writes (or
    /// the run's order matters to it): anything with effects but a gather,
    /// the end of a region, entering a region, and buffer accesses of
    /// buffers no gather writes into.
    pub(super) fn gather_conflict(&self, op: Op) -> bool {
        let d = self.f.op(op);
        match d.opcode {
            IrOp::CopyGather
            | IrOp::Yield
            | IrOp::Condition
            | IrOp::For
            | IrOp::If
            | IrOp::While => false,
            IrOp::BufLoad | IrOp::BufStore => {
                let Some(place) = self.input.map.buffers.get(&d.operands[0]) else {
                    return true;
                };
                let len = match self.f.ty(d.operands[0]) {
                    persim_lang::ir::Type::Buf { len, .. } => *len,
                    _ => return true,
                };
                let (lo, hi) = (place.addr, place.addr + len * place.elem_bytes);
                self.gather_ranges.iter().any(|&(a, b)| a < hi && lo < b)
            }
            other => other.effect() != persim_lang::ir::Effect::Pure,
        }
    }

    /// `(p0, slow)`: the first lane's pointer, and non-zero unless the
    /// active lanes are a prefix with contiguous pointers to `size`-byte
    /// elements.
    fn prefix_test(&mut self, ptrs: VReg, mask: Option<VReg>, size: u32) -> (VReg, VReg) {
        let lanes = self.lanes as i32;
        let p0 = self.op1(
            Opcode::Vext,
            RegClass::Scalar,
            &[VArg::Reg(ptrs), VArg::Lane(0)],
        );
        let base = self.op1(Opcode::Vsplat, RegClass::Vector, &[VArg::Reg(p0)]);
        let iota = self.op1(Opcode::Viota, RegClass::Vector, &[]);
        let offs = if size == 1 {
            iota
        } else {
            let shift = self.splat_imm(size.trailing_zeros() as i32);
            self.op1(
                Opcode::Vshl,
                RegClass::Vector,
                &[VArg::Reg(iota), VArg::Reg(shift)],
            )
        };
        let expect = self.op1(
            Opcode::VaddI,
            RegClass::Vector,
            &[VArg::Reg(base), VArg::Reg(offs)],
        );
        let same = self.op1(
            Opcode::VcmpeqI,
            RegClass::Mask,
            &[VArg::Reg(ptrs), VArg::Reg(expect)],
        );
        let mut bad = self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(same)]);
        if let Some(m) = mask {
            bad = self.op1(
                Opcode::Mand,
                RegClass::Mask,
                &[VArg::Reg(bad), VArg::Reg(m)],
            );
        }
        let bad_bits = self.mask_bits(bad);
        let bits = match mask {
            Some(m) => self.mask_bits(m),
            None => self.li(((1u64 << lanes) - 1) as i32),
        };
        let bits1 = self.op1(
            Opcode::Addi,
            RegClass::Scalar,
            &[VArg::Reg(bits), VArg::Imm(1)],
        );
        let holes = self.op1(
            Opcode::And,
            RegClass::Scalar,
            &[VArg::Reg(bits), VArg::Reg(bits1)],
        );
        let slow = self.op1(
            Opcode::Or,
            RegClass::Scalar,
            &[VArg::Reg(holes), VArg::Reg(bad_bits)],
        );
        (p0, slow)
    }

    /// Bytes of the active prefix: `size x` active lanes.
    fn prefix_bytes(&mut self, mask: Option<VReg>, size: u32) -> VReg {
        match mask {
            Some(m) => {
                let one = self.splat_imm(1);
                let count = self.op1_pred(Opcode::RedsumI, RegClass::Scalar, &[VArg::Reg(one)], m);
                self.op1(
                    Opcode::Shli,
                    RegClass::Scalar,
                    &[VArg::Reg(count), VArg::Imm(size.trailing_zeros() as i32)],
                )
            }
            None => self.li((size * self.lanes) as i32),
        }
    }

    /// Waits for every block copy started and not yet waited for.
    pub(super) fn flush_copies(&mut self) {
        let mut channels: Vec<u8> = self.pending.iter().map(|c| c.channel).collect();
        channels.sort_unstable();
        channels.dedup();
        for ch in channels {
            self.emit_args(Opcode::DmaWait, &[VArg::Channel(ch)]);
        }
        self.pending.clear();
    }

    fn wait_dma(&mut self) {
        self.emit_args(Opcode::DmaWait, &[VArg::Channel(CHANNEL)]);
    }

    /// One element through a scalar pointer (skipped when the mask is 0).
    fn scalar_transfer(
        &mut self,
        dir: Dir,
        ptr: VReg,
        mask: Option<VReg>,
        value: Option<VReg>,
        size: u32,
    ) {
        let staging = self.staging(dir);
        let go = self.code.new_block();
        let done = self.code.new_block();
        match mask {
            Some(m) => self.branch(Opcode::Beqz, &[m], done, go),
            None => self.jump(go, Vec::new()),
        }
        self.cur = go;
        if let Some(v) = value {
            self.emit_args(
                Opcode::Sw,
                &[
                    VArg::Reg(v),
                    VArg::Mem {
                        base: None,
                        offset: staging,
                    },
                ],
            );
        }
        let local = self.li(staging);
        let bytes = self.li(size as i32);
        self.start_dma(dir, ptr, local, bytes);
        self.wait_dma();
        self.jump(done, Vec::new());
        self.cur = done;
    }

    /// A whole vector access (the value of a store is already staged).
    fn vector_transfer(&mut self, dir: Dir, ptrs: VReg, mask: Option<VReg>, size: u32) {
        let pointers = self.input.map.pointers as i32;
        let staging = self.staging(dir);
        // Fast-path test: active lanes a prefix, their pointers contiguous.
        let (p0, slow_needed) = self.prefix_test(ptrs, mask, size);
        let fast = self.code.new_block();
        let slow = self.code.new_block();
        let done = self.code.new_block();
        self.branch(Opcode::Bnez, &[slow_needed], slow, fast);

        // Fast: one descriptor for the active prefix (nothing if no lane is on).
        self.cur = fast;
        let bytes = self.prefix_bytes(mask, size);
        let go = self.code.new_block();
        self.branch(Opcode::Beqz, &[bytes], done, go);
        self.cur = go;
        let local = self.li(staging);
        self.start_dma(dir, p0, local, bytes);
        self.jump(done, Vec::new());

        // Slow: walk the lanes, one descriptor per run.
        self.cur = slow;
        let lanes = self.lanes as i32;
        let bits = match mask {
            Some(m) => self.mask_bits(m),
            None => self.li(((1u64 << lanes) - 1) as i32),
        };
        self.emit_args(
            Opcode::Vst,
            &[
                VArg::Reg(ptrs),
                VArg::Mem {
                    base: None,
                    offset: pointers,
                },
            ],
        );
        let zero = self.li(0);
        let head = self.code.new_block();
        let lane = self.code.new_block();
        let inactive = self.code.new_block();
        let active = self.code.new_block();
        let extend = self.code.new_block();
        let restart = self.code.new_block();
        let next = self.code.new_block();
        let fin = self.code.new_block();
        self.jump(head, vec![zero, zero, zero, zero]);
        let [i, rs, rd, rl] = [(); 4].map(|_| self.code.new_vreg(RegClass::Scalar));
        self.code.block(head).params = vec![i, rs, rd, rl];
        self.cur = head;
        let n = self.li(lanes);
        self.branch(Opcode::Bge, &[i, n], fin, lane);

        self.cur = lane;
        let shifted = self.op1(
            Opcode::Shr,
            RegClass::Scalar,
            &[VArg::Reg(bits), VArg::Reg(i)],
        );
        let on = self.op1(
            Opcode::Andi,
            RegClass::Scalar,
            &[VArg::Reg(shifted), VArg::Imm(1)],
        );
        self.branch(Opcode::Beqz, &[on], inactive, active);

        self.cur = inactive;
        self.flush_run(dir, rs, rd, rl);
        let z = self.li(0);
        self.jump(next, vec![z, z, z]);

        self.cur = active;
        let i4 = self.op1(
            Opcode::Shli,
            RegClass::Scalar,
            &[VArg::Reg(i), VArg::Imm(2)],
        );
        let addr = self.op1(
            Opcode::Lw,
            RegClass::Scalar,
            &[VArg::Mem {
                base: Some(i4),
                offset: pointers,
            }],
        );
        let offset = if size == 4 {
            i4
        } else {
            let shift = size.trailing_zeros() as i32;
            self.op1(
                Opcode::Shli,
                RegClass::Scalar,
                &[VArg::Reg(i), VArg::Imm(shift)],
            )
        };
        let local = self.op1(
            Opcode::Addi,
            RegClass::Scalar,
            &[VArg::Reg(offset), VArg::Imm(staging)],
        );
        let end = self.op1(
            Opcode::Add,
            RegClass::Scalar,
            &[VArg::Reg(rs), VArg::Reg(rl)],
        );
        let contiguous = self.op1(
            Opcode::Seq,
            RegClass::Scalar,
            &[VArg::Reg(addr), VArg::Reg(end)],
        );
        self.branch(Opcode::Bnez, &[contiguous], extend, restart);

        self.cur = extend;
        let longer = self.op1(
            Opcode::Addi,
            RegClass::Scalar,
            &[VArg::Reg(rl), VArg::Imm(size as i32)],
        );
        self.jump(next, vec![rs, rd, longer]);

        self.cur = restart;
        self.flush_run(dir, rs, rd, rl);
        let one = self.li(size as i32);
        self.jump(next, vec![addr, local, one]);

        let [nrs, nrd, nrl] = [(); 3].map(|_| self.code.new_vreg(RegClass::Scalar));
        self.code.block(next).params = vec![nrs, nrd, nrl];
        self.cur = next;
        let i1 = self.op1(
            Opcode::Addi,
            RegClass::Scalar,
            &[VArg::Reg(i), VArg::Imm(1)],
        );
        self.jump(head, vec![i1, nrs, nrd, nrl]);

        self.cur = fin;
        self.flush_run(dir, rs, rd, rl);
        self.jump(done, Vec::new());

        self.cur = done;
        self.wait_dma();
    }

    /// Starts the descriptor of the open run, if any (`len != 0`).
    fn flush_run(&mut self, dir: Dir, offchip: VReg, local: VReg, len: VReg) {
        let go = self.code.new_block();
        let join = self.code.new_block();
        self.branch(Opcode::Beqz, &[len], join, go);
        self.cur = go;
        self.start_dma(dir, offchip, local, len);
        self.jump(join, Vec::new());
        self.cur = join;
    }
}
