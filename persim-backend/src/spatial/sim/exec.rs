//! Issue of one VLIW bundle: every instruction reads its operands from the
//! state before the bundle and computes its result into a buffer; then the
//! buffered results are written with their latencies (`apply`). This
//! two-phase order is what makes "all operands are read at issue" hold for
//! any order of instructions within a bundle.
//!
//! Timing decisions (stalls, waits, bank conflicts, hazard checks) are made
//! before issue, in `pe.rs`; values come from `semantics.rs`.

use super::dma::{Descriptor, DESCRIPTOR_BYTES};
use super::error::{SimError, SimErrorKind};
use super::locks::{Releaser, Signal};
use super::pe::{Ctx, DebugEvent, Pe};
use super::semantics::{self, all_lanes, Vector};
use super::wide;
use crate::spatial::coord::{Direction, TileCoord};
use crate::spatial::inst::Inst;
use crate::spatial::isa::{LatencyClass, Opcode, RegClass};
use crate::spatial::program::is_constant;

/// A register result, written after every instruction of the bundle has
/// read. A vector's lanes wait in [`Scratch::vectors`] (`V`'s second field
/// indexes it), so a write stays small to move.
pub(super) enum Write {
    S(u8, u32, u32),
    V(u8, u16, u32),
    M(u8, u32, u32),
}

/// A matrix-unit update, applied in place after the bundle's reads.
pub(super) enum AccOp {
    Zero(u8),
    /// Accumulator, row, vector register (`mset`).
    SetRow(u8, u8, u8),
    /// Accumulator, then the vector registers of the two outer-product operands.
    Outer(u8, u8, u8),
}

/// A store, applied after the bundle's loads.
pub(super) struct Store {
    addr: u64,
    /// Index of the stored lanes in [`Scratch::vectors`].
    data: u16,
    /// 0 = scalar word, otherwise the lane mask of a vector store.
    mask: u32,
    /// Bytes per lane: 4, 8 for `vst.64`/`vsts.64`, or 2 / 1 for the narrow stores (`sh`, `vst.u16`,
    /// `vst.f16`, … the element in the low bits of each lane).
    width: u8,
}

/// Buffers reused from bundle to bundle, so issuing allocates nothing.
#[derive(Default)]
pub(super) struct Scratch {
    writes: Vec<Write>,
    /// The lanes of the bundle's vector results and vector stores.
    vectors: Vec<Vector>,
    stores: Vec<Store>,
    acc_ops: Vec<AccOp>,
}

impl Clone for Scratch {
    fn clone(&self) -> Scratch {
        Scratch::default()
    }
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scratch")
    }
}

impl Pe {
    pub(super) fn issue(&mut self, ctx: &mut Ctx, insts: &[Inst]) -> Result<(), SimError> {
        let now = ctx.now;
        let m = ctx.machine;
        let lanes = self.lanes as usize;
        let vbytes = m.vector_bytes() as u64;
        let lat = |class| m.latency(class);
        let mut scratch = std::mem::take(&mut self.scratch);
        let Scratch {
            writes,
            vectors,
            stores,
            acc_ops,
        } = &mut scratch;
        writes.clear();
        vectors.clear();
        // Queues a vector result; `vectors` holds its lanes.
        macro_rules! write_vector {
            ($n:expr, $v:expr, $latency:expr) => {{
                vectors.push($v);
                writes.push(Write::V($n, (vectors.len() - 1) as u16, $latency));
            }};
        }
        // A zeroed vector result in `vectors`, filled in place (a vector is
        // 256 bytes to move), and its index.
        macro_rules! new_vector {
            () => {{
                vectors.push([0; 32]);
                (
                    (vectors.len() - 1) as u16,
                    vectors.last_mut().expect("just pushed"),
                )
            }};
        }
        // The index in `vectors` of a store's lanes.
        macro_rules! stored {
            ($v:expr) => {{
                vectors.push($v);
                (vectors.len() - 1) as u16
            }};
        }
        stores.clear();
        acc_ops.clear();
        let mut branch: Option<u32> = None;
        let mut halt = false;
        let mut loop_frame: Option<(u32, i64)> = None;
        self.stats.issue_cycles += 1;
        if let Some(n) = self.stats.bundle_issues.get_mut(self.pc as usize) {
            *n += 1;
        }
        for inst in insts {
            let f = inst.fields;
            let info = inst.info();
            if let Some(slot) = info.slot {
                self.stats.insts += 1;
                self.stats.slot_insts[slot.index()] += 1;
            }
            let mask = self.mask(inst.mask);
            let latency = info.latency.map_or(0, lat);
            let fail = |pe: &Pe, kind| pe.fail(ctx, inst, kind);
            let mem_err = |pe: &Pe, msg: String| pe.fail(ctx, inst, SimErrorKind::Memory(msg));
            match inst.opcode {
                Opcode::Nop => {}
                Opcode::Halt => halt = true,
                Opcode::J => branch = Some(inst.imm),
                Opcode::Beqz => {
                    if self.sreg(f[0]) == 0 {
                        branch = Some(inst.imm)
                    }
                }
                Opcode::Bnez => {
                    if self.sreg(f[0]) != 0 {
                        branch = Some(inst.imm)
                    }
                }
                Opcode::Blt => {
                    if (self.sreg(f[0]) as i32) < (self.sreg(f[1]) as i32) {
                        branch = Some(inst.imm)
                    }
                }
                Opcode::Bge => {
                    if (self.sreg(f[0]) as i32) >= (self.sreg(f[1]) as i32) {
                        branch = Some(inst.imm)
                    }
                }
                Opcode::Loop => loop_frame = Some((inst.imm, i64::from(self.sreg(f[0]) as i32))),
                Opcode::LockAcq => self.locks.acquire(f[0], u32::from(inst.count())),
                Opcode::LockRel => ctx.signals.send(
                    now + 1,
                    Signal::Release {
                        tile: self.index,
                        lock: f[0],
                        amount: u32::from(inst.count()),
                        by: Releaser::Pe(self.index),
                    },
                ),
                Opcode::LockRelRemote => self.release_remote(ctx, inst.tile(), f[0], inst.count()),
                Opcode::LockRelIndirect => {
                    let word = self.sreg(f[0]);
                    let to = TileCoord::new(word as u8, (word >> 8) as u8);
                    if word >> 16 != 0
                        || to.is_shim()
                        || u32::from(to.col) >= m.grid.cols
                        || u32::from(to.row) > m.grid.rows
                    {
                        return Err(fail(
                            self,
                            SimErrorKind::Lock(format!(
                                "lock.relx names tile word {word:#x}, which is not a compute tile"
                            )),
                        ));
                    }
                    self.release_remote(ctx, to, f[1], inst.count());
                }
                Opcode::DmaStart => {
                    let addr = u64::from(self.sreg(f[1]));
                    let bytes = ctx
                        .sram
                        .read(addr, DESCRIPTOR_BYTES as u64)
                        .map_err(|e| mem_err(self, format!("reading the DMA descriptor: {e}")))?;
                    let desc = Descriptor::from_bytes(bytes, m)
                        .map_err(|e| fail(self, SimErrorKind::Descriptor(e)))?;
                    ctx.dma.channels[usize::from(f[0])].queue.push_back(desc);
                }
                Opcode::DmaWait => {}
                Opcode::AmoAddI
                | Opcode::AmoAddF
                | Opcode::AmoMaxI
                | Opcode::AmoMaxU
                | Opcode::AmoMaxF
                | Opcode::AmoMinI
                | Opcode::AmoMinU
                | Opcode::AmoMinF
                | Opcode::AmoXchg
                | Opcode::AmoCas => {
                    let addr = u64::from(self.sreg(f[1]));
                    aligned(addr).map_err(|e| mem_err(self, e))?;
                    let mut word = [0u8; 4];
                    ctx.offchip
                        .read(addr, &mut word)
                        .map_err(|e| mem_err(self, format!("off-chip atomic: {e}")))?;
                    let old = u32::from_le_bytes(word);
                    let third = if inst.opcode == Opcode::AmoCas {
                        self.sreg(f[3])
                    } else {
                        0
                    };
                    let new = semantics::atomic(inst.opcode, old, self.sreg(f[2]), third);
                    // In bounds: the same word was just read.
                    if let Err(e) = ctx.offchip.write(addr, &new.to_le_bytes()) {
                        let kind = SimErrorKind::Memory(format!("off-chip atomic: {e}"));
                        return Err(self.fail(ctx, inst, kind));
                    }
                    writes.push(Write::S(f[0], old, latency));
                }
                Opcode::Dbg => {
                    let addr = u64::from(self.sreg(f[0]));
                    aligned(addr).map_err(|e| mem_err(self, e))?;
                    let mut words = [0u32; 9];
                    for (k, w) in words.iter_mut().enumerate() {
                        *w = ctx
                            .sram
                            .read_u32(addr + 4 * k as u64)
                            .map_err(|e| mem_err(self, e))?;
                    }
                    self.stats.debug.push(DebugEvent {
                        cycle: now,
                        site: inst.imm,
                        words,
                    });
                }
                Opcode::Li => writes.push(Write::S(f[0], inst.imm, latency)),
                Opcode::Mov => writes.push(Write::S(f[0], self.sreg(f[1]), latency)),
                Opcode::Addi
                | Opcode::Andi
                | Opcode::Shli
                | Opcode::Shri
                | Opcode::Srai
                | Opcode::Slti
                | Opcode::Muli => {
                    let v = semantics::scalar(inst.opcode, self.sreg(f[1]), inst.imm);
                    writes.push(Write::S(f[0], v, latency));
                }
                Opcode::I2f
                | Opcode::F2i
                | Opcode::U2f
                | Opcode::F2u
                | Opcode::F2h
                | Opcode::H2f
                | Opcode::F2bf
                | Opcode::Bf2f => {
                    let v = semantics::scalar(inst.opcode, self.sreg(f[1]), 0);
                    writes.push(Write::S(f[0], v, latency));
                }
                Opcode::Add
                | Opcode::Sub
                | Opcode::And
                | Opcode::Or
                | Opcode::Xor
                | Opcode::Shl
                | Opcode::Shr
                | Opcode::Sra
                | Opcode::Slt
                | Opcode::Sltu
                | Opcode::Seq
                | Opcode::Mul
                | Opcode::Div
                | Opcode::Rem
                | Opcode::Mulhu
                | Opcode::Divu
                | Opcode::Remu
                | Opcode::Fadd
                | Opcode::Fsub
                | Opcode::Fmul
                | Opcode::Fdiv
                | Opcode::Fmin
                | Opcode::Fmax
                | Opcode::Flt
                | Opcode::Fle
                | Opcode::Feq => {
                    let v = semantics::scalar(inst.opcode, self.sreg(f[1]), self.sreg(f[2]));
                    writes.push(Write::S(f[0], v, latency));
                }
                Opcode::Lw | Opcode::Mld => {
                    let addr = self.address(inst);
                    aligned(addr).map_err(|e| mem_err(self, e))?;
                    let v = ctx.sram.read_u32(addr).map_err(|e| mem_err(self, e))?;
                    writes.push(if inst.opcode == Opcode::Lw {
                        Write::S(f[0], v, latency)
                    } else {
                        Write::M(f[0], v & all_lanes(self.lanes), latency)
                    });
                }
                Opcode::Vld | Opcode::Vldp | Opcode::Vbcast => {
                    let addr = if inst.opcode == Opcode::Vldp {
                        u64::from(self.sreg(f[1]))
                    } else {
                        self.address(inst)
                    };
                    aligned(addr).map_err(|e| mem_err(self, e))?;
                    let (index, v) = new_vector!();
                    if inst.opcode == Opcode::Vbcast {
                        if mask != 0 {
                            let x = ctx.sram.read_u32(addr).map_err(|e| mem_err(self, e))?;
                            for (i, lane) in v.iter_mut().enumerate().take(lanes) {
                                if mask >> i & 1 == 1 {
                                    *lane = u64::from(x);
                                }
                            }
                        }
                    } else if mask == all_lanes(self.lanes) {
                        let bytes = ctx.sram.read(addr, vbytes).map_err(|e| mem_err(self, e))?;
                        for (lane, b) in v.iter_mut().zip(bytes.chunks_exact(4)) {
                            *lane = u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                        }
                    } else {
                        for (i, lane) in v.iter_mut().enumerate().take(lanes) {
                            if mask >> i & 1 == 1 {
                                *lane = u64::from(
                                    ctx.sram
                                        .read_u32(addr + 4 * i as u64)
                                        .map_err(|e| mem_err(self, e))?,
                                );
                            }
                        }
                    }
                    writes.push(Write::V(f[0], index, latency));
                    if inst.opcode == Opcode::Vldp {
                        let next = self.sreg(f[1]).wrapping_add(inst.imm);
                        writes.push(Write::S(f[1], next, lat(LatencyClass::ScalarAlu)));
                    }
                }
                Opcode::Vrecv => {
                    let dir = Direction::from_index(f[1]).expect("decoded direction");
                    let v = self.fifos[dir.index()]
                        .pop_front()
                        .expect("checked non-empty");
                    write_vector!(f[0], v, latency);
                    let from = self
                        .tile
                        .neighbour(dir, m.grid.cols, m.grid.rows)
                        .expect("checked neighbour");
                    ctx.signals.send(
                        now + 1,
                        Signal::Credit {
                            tile: (ctx.tile_index)(from),
                            dir: dir.opposite(),
                        },
                    );
                }
                Opcode::Sw | Opcode::Mst => {
                    let addr = self.address(inst);
                    aligned(addr).map_err(|e| mem_err(self, e))?;
                    ctx.sram.read(addr, 4).map_err(|e| mem_err(self, e))?;
                    let mut data: Vector = [0; 32];
                    data[0] = u64::from(if inst.opcode == Opcode::Sw {
                        self.sreg(f[0])
                    } else {
                        self.mask(f[0])
                    });
                    stores.push(Store {
                        addr,
                        data: stored!(data),
                        mask: 0,
                        width: 4,
                    });
                }
                Opcode::VldBf16
                | Opcode::VldF16
                | Opcode::VldU8
                | Opcode::VldI8
                | Opcode::VldI16
                | Opcode::VldU16 => {
                    let addr = self.address(inst);
                    let width = semantics::narrow_width(inst.opcode).expect("narrow load");
                    aligned_to(addr, width).map_err(|e| mem_err(self, e))?;
                    let (index, v) = new_vector!();
                    for (i, lane) in v.iter_mut().enumerate().take(lanes) {
                        if mask >> i & 1 == 1 {
                            let bits = read_narrow(ctx, addr + width * i as u64, width)
                                .map_err(|e| mem_err(self, e))?;
                            *lane = u64::from(semantics::widen(inst.opcode, bits));
                        }
                    }
                    writes.push(Write::V(f[0], index, latency));
                }
                Opcode::Lb | Opcode::Lbu | Opcode::Lh | Opcode::Lhu => {
                    let addr = self.address(inst);
                    let width = semantics::narrow_width(inst.opcode).expect("narrow load");
                    aligned_to(addr, width).map_err(|e| mem_err(self, e))?;
                    let bits = read_narrow(ctx, addr, width).map_err(|e| mem_err(self, e))?;
                    writes.push(Write::S(f[0], semantics::widen(inst.opcode, bits), latency));
                }
                Opcode::VstU8 | Opcode::VstU16 | Opcode::VstBf16 | Opcode::VstF16 => {
                    let addr = self.address(inst);
                    let width = semantics::narrow_width(inst.opcode).expect("narrow store");
                    aligned_to(addr, width).map_err(|e| mem_err(self, e))?;
                    let mut data: Vector = [0; 32];
                    for (i, element) in data.iter_mut().enumerate().take(lanes) {
                        if mask >> i & 1 == 1 {
                            ctx.sram
                                .read(addr + width * i as u64, width)
                                .map_err(|e| mem_err(self, e))?;
                            let x = self.vregs[usize::from(f[0])][i];
                            *element = u64::from(semantics::narrow(inst.opcode, x as u32));
                        }
                    }
                    stores.push(Store {
                        addr,
                        data: stored!(data),
                        mask,
                        width: width as u8,
                    });
                }
                Opcode::Sb | Opcode::Sh => {
                    let addr = self.address(inst);
                    let width = semantics::narrow_width(inst.opcode).expect("narrow store");
                    aligned_to(addr, width).map_err(|e| mem_err(self, e))?;
                    ctx.sram.read(addr, width).map_err(|e| mem_err(self, e))?;
                    let mut data: Vector = [0; 32];
                    data[0] = u64::from(semantics::narrow(inst.opcode, self.sreg(f[0])));
                    stores.push(Store {
                        addr,
                        data: stored!(data),
                        mask: 1,
                        width: width as u8,
                    });
                }
                Opcode::Vst | Opcode::Vstp => {
                    let addr = if inst.opcode == Opcode::Vstp {
                        u64::from(self.sreg(f[1]))
                    } else {
                        self.address(inst)
                    };
                    aligned(addr).map_err(|e| mem_err(self, e))?;
                    enabled_in_bounds(ctx, addr, mask, lanes, 4).map_err(|e| mem_err(self, e))?;
                    stores.push(Store {
                        addr,
                        data: stored!(self.vregs.array(usize::from(f[0]))),
                        mask,
                        width: 4,
                    });
                    if inst.opcode == Opcode::Vstp {
                        let next = self.sreg(f[1]).wrapping_add(inst.imm);
                        writes.push(Write::S(f[1], next, lat(LatencyClass::ScalarAlu)));
                    }
                }
                Opcode::Vsend => {
                    let dir = Direction::from_index(f[0]).expect("decoded direction");
                    let to = self
                        .tile
                        .neighbour(dir, m.grid.cols, m.grid.rows)
                        .expect("checked neighbour");
                    self.credits[dir.index()] -= 1;
                    let data = self.vregs[usize::from(f[1])][..lanes]
                        .iter()
                        .map(|&x| x as u32)
                        .collect();
                    ctx.noc
                        .start_stream(self.tile, to, dir.opposite(), data, now);
                }
                Opcode::VcmpltF
                | Opcode::VcmpleF
                | Opcode::VcmpeqF
                | Opcode::VcmpltI
                | Opcode::VcmpleI
                | Opcode::VcmpeqI
                | Opcode::VcmpltL
                | Opcode::VcmpleL
                | Opcode::VcmpeqL
                | Opcode::VcmpltUL
                | Opcode::VcmpleUL
                | Opcode::VcmpltD
                | Opcode::VcmpleD
                | Opcode::VcmpeqD => {
                    let (a, b) = (
                        &self.vregs[usize::from(f[1])],
                        &self.vregs[usize::from(f[2])],
                    );
                    let mut bits = 0u32;
                    for i in 0..lanes {
                        let on = wide::compare(inst.opcode, a[i], b[i]).unwrap_or_else(|| {
                            semantics::compare(inst.opcode, a[i] as u32, b[i] as u32)
                        });
                        if mask >> i & 1 == 1 && on {
                            bits |= 1 << i;
                        }
                    }
                    writes.push(Write::M(f[0], bits, latency));
                }
                Opcode::Vsel => {
                    let sel = self.mask(f[1]);
                    let (a, b) = (
                        &self.vregs[usize::from(f[2])],
                        &self.vregs[usize::from(f[3])],
                    );
                    let (index, v) = new_vector!();
                    for i in 0..lanes {
                        v[i] = if sel >> i & 1 == 1 { a[i] } else { b[i] };
                    }
                    writes.push(Write::V(f[0], index, latency));
                }
                Opcode::Vsplat => {
                    let x = u64::from(self.sreg(f[1]));
                    let (index, v) = new_vector!();
                    for (i, lane) in v.iter_mut().enumerate().take(lanes) {
                        if mask >> i & 1 == 1 {
                            *lane = x;
                        }
                    }
                    writes.push(Write::V(f[0], index, latency));
                }
                Opcode::Viota => {
                    let (index, v) = new_vector!();
                    for (i, lane) in v.iter_mut().enumerate().take(lanes) {
                        if mask >> i & 1 == 1 {
                            *lane = i as u64;
                        }
                    }
                    writes.push(Write::V(f[0], index, latency));
                }
                Opcode::Vext => writes.push(Write::S(
                    f[0],
                    self.vregs[usize::from(f[1])][usize::from(f[2])] as u32,
                    latency,
                )),
                Opcode::Vins => {
                    let mut v = self.vregs.array(usize::from(f[0]));
                    v[usize::from(f[2])] = u64::from(self.sreg(f[1]));
                    write_vector!(f[0], v, latency);
                }
                Opcode::RedsumF
                | Opcode::RedmaxF
                | Opcode::RedminF
                | Opcode::RedsumI
                | Opcode::RedmaxI
                | Opcode::RedminI => {
                    let v =
                        semantics::reduce(inst.opcode, &self.vregs[usize::from(f[1])], lanes, mask);
                    writes.push(Write::S(f[0], v, latency));
                }
                Opcode::RedsumL
                | Opcode::RedmaxL
                | Opcode::RedminL
                | Opcode::RedmaxUL
                | Opcode::RedminUL
                | Opcode::RedsumD
                | Opcode::RedmaxD
                | Opcode::RedminD => {
                    let x = wide::reduce(inst.opcode, &self.vregs[usize::from(f[1])], lanes, mask);
                    let (index, v) = new_vector!();
                    v[..lanes].fill(x);
                    writes.push(Write::V(f[0], index, latency));
                }
                Opcode::Vsplat64 => {
                    let x = u64::from(self.sreg(f[2])) << 32 | u64::from(self.sreg(f[1]));
                    let (index, v) = new_vector!();
                    for (i, lane) in v.iter_mut().enumerate().take(lanes) {
                        if mask >> i & 1 == 1 {
                            *lane = x;
                        }
                    }
                    writes.push(Write::V(f[0], index, latency));
                }
                Opcode::Mext => {
                    let on = self.mask(f[1]) >> f[2] & 1;
                    writes.push(Write::S(f[0], on, latency));
                }
                Opcode::Vld64 | Opcode::Vbcast64 => {
                    let addr = self.address(inst);
                    aligned_to(addr, 8).map_err(|e| mem_err(self, e))?;
                    let (index, v) = new_vector!();
                    let broadcast = inst.opcode == Opcode::Vbcast64;
                    let mut x = 0;
                    if broadcast && mask != 0 {
                        x = ctx.sram.read_u64(addr).map_err(|e| mem_err(self, e))?;
                    }
                    for (i, lane) in v.iter_mut().enumerate().take(lanes) {
                        if mask >> i & 1 == 1 {
                            *lane = match broadcast {
                                true => x,
                                false => ctx
                                    .sram
                                    .read_u64(addr + 8 * i as u64)
                                    .map_err(|e| mem_err(self, e))?,
                            };
                        }
                    }
                    writes.push(Write::V(f[0], index, latency));
                }
                Opcode::Vst64 | Opcode::Vsts64 => {
                    let addr = self.address(inst);
                    aligned_to(addr, 8).map_err(|e| mem_err(self, e))?;
                    let mask = match inst.opcode {
                        Opcode::Vsts64 => 1,
                        _ => mask,
                    };
                    enabled_in_bounds(ctx, addr, mask, lanes, 8).map_err(|e| mem_err(self, e))?;
                    stores.push(Store {
                        addr,
                        data: stored!(self.vregs.array(usize::from(f[0]))),
                        mask,
                        width: 8,
                    });
                }
                op if wide::is_atomic(op) => {
                    let addr = u64::from(self.sreg(f[1]));
                    aligned_to(addr, 8).map_err(|e| mem_err(self, e))?;
                    let mut word = [0u8; 8];
                    ctx.offchip
                        .read(addr, &mut word)
                        .map_err(|e| mem_err(self, format!("off-chip atomic: {e}")))?;
                    let old = u64::from_le_bytes(word);
                    let new_value = match op {
                        Opcode::AmoCasL => self.vregs[usize::from(f[3])][0],
                        _ => 0,
                    };
                    let new = wide::atomic(op, old, self.vregs[usize::from(f[2])][0], new_value);
                    if let Err(e) = ctx.offchip.write(addr, &new.to_le_bytes()) {
                        let kind = SimErrorKind::Memory(format!("off-chip atomic: {e}"));
                        return Err(self.fail(ctx, inst, kind));
                    }
                    let (index, v) = new_vector!();
                    v[..lanes].fill(old);
                    writes.push(Write::V(f[0], index, latency));
                }
                Opcode::Mlanes => {
                    let v = semantics::first_lanes(self.sreg(f[1]) as i32, self.lanes);
                    writes.push(Write::M(f[0], v, latency));
                }
                Opcode::Mand => {
                    writes.push(Write::M(f[0], self.mask(f[1]) & self.mask(f[2]), latency))
                }
                Opcode::Mor => {
                    writes.push(Write::M(f[0], self.mask(f[1]) | self.mask(f[2]), latency))
                }
                Opcode::Mnot => writes.push(Write::M(
                    f[0],
                    !self.mask(f[1]) & all_lanes(self.lanes),
                    latency,
                )),
                Opcode::VfmaD => {
                    let (d, a, b) = (
                        &self.vregs[usize::from(f[0])],
                        &self.vregs[usize::from(f[1])],
                        &self.vregs[usize::from(f[2])],
                    );
                    let (index, v) = new_vector!();
                    for i in 0..lanes {
                        if mask >> i & 1 == 1 {
                            v[i] = wide::fma(d[i], a[i], b[i]);
                        }
                    }
                    writes.push(Write::V(f[0], index, latency));
                }
                Opcode::VfmaF | Opcode::VmacF => {
                    let (d, a, b) = (
                        &self.vregs[usize::from(f[0])],
                        &self.vregs[usize::from(f[1])],
                        &self.vregs[usize::from(f[2])],
                    );
                    let (index, v) = new_vector!();
                    for i in 0..lanes {
                        if mask >> i & 1 == 1 {
                            v[i] = u64::from(semantics::multiply_add(
                                inst.opcode,
                                d[i] as u32,
                                a[i] as u32,
                                b[i] as u32,
                            ));
                        }
                    }
                    if inst.opcode == Opcode::VmacF {
                        self.stats.macs += u64::from(mask.count_ones());
                    }
                    writes.push(Write::V(f[0], index, latency));
                }
                Opcode::Mop => {
                    self.stats.macs += (lanes * lanes) as u64;
                    acc_ops.push(AccOp::Outer(f[0], f[1], f[2]));
                }
                Opcode::Mzero => acc_ops.push(AccOp::Zero(f[0])),
                Opcode::Mset => acc_ops.push(AccOp::SetRow(f[0], f[1], f[2])),
                Opcode::Mrow | Opcode::Mcol => {
                    let line = usize::from(f[2]);
                    let acc = &self.accs[usize::from(f[1])];
                    let (index, v) = new_vector!();
                    for (j, lane) in v.iter_mut().enumerate().take(lanes) {
                        let at = match inst.opcode {
                            Opcode::Mrow => line * lanes + j,
                            _ => j * lanes + line,
                        };
                        *lane = u64::from(acc[at].to_bits());
                    }
                    writes.push(Write::V(f[0], index, latency));
                }
                op => {
                    // Elementwise vector arithmetic: unary ones ignore `vb`.
                    let unary = op.info().operands.len() == 2;
                    let a = &self.vregs[usize::from(f[1])];
                    let b = if unary {
                        a
                    } else {
                        &self.vregs[usize::from(f[2])]
                    };
                    // Filled in place: a vector is 256 bytes to move.
                    vectors.push([0; 32]);
                    let index = (vectors.len() - 1) as u16;
                    let v = vectors.last_mut().expect("just pushed");
                    if wide::works_on_whole_lanes(op) {
                        for i in 0..lanes {
                            if mask >> i & 1 == 1 {
                                v[i] = wide::lane(op, a[i], b[i]).unwrap_or_default();
                            }
                        }
                    } else {
                        for i in 0..lanes {
                            if mask >> i & 1 == 1 {
                                v[i] = u64::from(semantics::lane(op, a[i] as u32, b[i] as u32));
                            }
                        }
                    }
                    writes.push(Write::V(f[0], index, latency));
                }
            }
        }
        let applied = self.apply(ctx, insts, &scratch);
        self.scratch = scratch;
        applied?;
        self.advance(ctx, insts, branch, halt, loop_frame)
    }

    /// Adds `amount` to lock `lock` of compute tile `to`, arriving over the
    /// control network `noc.hop_latency x (hops + 1)` cycles from now.
    fn release_remote(&self, ctx: &mut Ctx, to: TileCoord, lock: u8, amount: u16) {
        let hops = u64::from(self.tile.hops_to(to)) + 1;
        ctx.signals.send(
            ctx.now + u64::from(ctx.machine.noc.hop_latency) * hops,
            Signal::Release {
                tile: (ctx.tile_index)(to),
                lock,
                amount: u32::from(amount),
                by: Releaser::Pe(self.index),
            },
        );
    }

    /// Writes the bundle's results: matrix-unit updates first (they read
    /// vector registers as of issue), then registers with their latencies,
    /// then stores.
    fn apply(&mut self, ctx: &mut Ctx, insts: &[Inst], scratch: &Scratch) -> Result<(), SimError> {
        let now = ctx.now;
        let m = ctx.machine;
        // `mset` moves a row in beside the unit; only its own work occupies it.
        if scratch
            .acc_ops
            .iter()
            .any(|op| !matches!(op, AccOp::SetRow(..)))
        {
            self.matrix_free_at = now + u64::from(m.matrix_interval());
        }
        let lanes = self.lanes as usize;
        for op in &scratch.acc_ops {
            let n = match *op {
                AccOp::Zero(n) => {
                    self.accs[usize::from(n)].fill(0.0);
                    n
                }
                AccOp::SetRow(n, row, v) => {
                    let v = &self.vregs[usize::from(v)];
                    let row = &mut self.accs[usize::from(n)][usize::from(row) * lanes..][..lanes];
                    for (c, &x) in row.iter_mut().zip(&v[..lanes]) {
                        *c = f32::from_bits(x as u32);
                    }
                    n
                }
                AccOp::Outer(n, va, vb) => {
                    let (a, b) = (&self.vregs[usize::from(va)], &self.vregs[usize::from(vb)]);
                    // `b`'s lanes as f32 once, so each row is a plain
                    // multiply-add over two f32 slices (vectorized).
                    let mut row_b = [0f32; 32];
                    for (d, &y) in row_b.iter_mut().zip(&b[..lanes]) {
                        *d = f32::from_bits(y as u32);
                    }
                    let row_b = &row_b[..lanes];
                    let acc = &mut self.accs[usize::from(n)];
                    for (row, &x) in acc.chunks_exact_mut(lanes).zip(&a[..lanes]) {
                        let x = f32::from_bits(x as u32);
                        for (c, &y) in row.iter_mut().zip(row_b) {
                            // Product rounded, then the sum: as the reference `dot`.
                            *c += x * y;
                        }
                    }
                    n
                }
            };
            self.mark_ready(RegClass::Acc, n, now + u64::from(m.latency.matrix));
        }
        for w in &scratch.writes {
            let (class, n, latency) = match w {
                Write::S(n, _, l) => (RegClass::Scalar, *n, *l),
                Write::V(n, _, l) => (RegClass::Vector, *n, *l),
                Write::M(n, _, l) => (RegClass::Mask, *n, *l),
            };
            if is_constant(class, n) {
                continue;
            }
            self.set_ready(ctx, insts, class, n, now + u64::from(latency))?;
            match w {
                Write::S(n, v, _) => self.sregs[usize::from(*n)] = *v,
                Write::V(n, v, _) => {
                    // Lanes past the machine's stay zero in both.
                    self.vregs[usize::from(*n)][..lanes]
                        .copy_from_slice(&scratch.vectors[usize::from(*v)][..lanes])
                }
                Write::M(n, v, _) => self.mregs[usize::from(*n)] = *v,
            }
        }
        for s in &scratch.stores {
            let data = &scratch.vectors[usize::from(s.data)];
            let result = if s.width == 1 {
                (0..lanes)
                    .filter(|i| s.mask >> i & 1 == 1)
                    .try_for_each(|i| ctx.sram.write(s.addr + i as u64, &[data[i] as u8]))
            } else if s.width == 2 {
                (0..lanes)
                    .filter(|i| s.mask >> i & 1 == 1)
                    .try_for_each(|i| {
                        ctx.sram
                            .write(s.addr + 2 * i as u64, &(data[i] as u16).to_le_bytes())
                    })
            } else if s.width == 8 {
                (0..lanes)
                    .filter(|i| s.mask >> i & 1 == 1)
                    .try_for_each(|i| {
                        ctx.sram
                            .write(s.addr + 8 * i as u64, &data[i].to_le_bytes())
                    })
            } else if s.mask == 0 {
                ctx.sram.write_u32(s.addr, data[0] as u32)
            } else if s.mask == all_lanes(self.lanes) {
                let mut bytes = [0u8; 128];
                for (b, lane) in bytes.chunks_exact_mut(4).zip(&data[..lanes]) {
                    b.copy_from_slice(&(*lane as u32).to_le_bytes());
                }
                ctx.sram.write(s.addr, &bytes[..4 * lanes])
            } else {
                (0..lanes)
                    .filter(|i| s.mask >> i & 1 == 1)
                    .try_for_each(|i| ctx.sram.write_u32(s.addr + 4 * i as u64, data[i] as u32))
            };
            result.expect("store bounds checked at issue");
        }
        Ok(())
    }
}

/// The `width`-byte little-endian element at `addr` (1 or 2 bytes).
fn read_narrow(ctx: &Ctx, addr: u64, width: u64) -> Result<u32, String> {
    let b = ctx.sram.read(addr, width)?;
    Ok(b.iter().rev().fold(0, |acc, &x| acc << 8 | u32::from(x)))
}

/// Checks that every enabled lane's `width`-byte element of a vector
/// store at `addr` lies in SRAM (stores apply after the bundle's loads, so
/// bounds are checked at issue).
fn enabled_in_bounds(
    ctx: &Ctx,
    addr: u64,
    mask: u32,
    lanes: usize,
    width: u64,
) -> Result<(), String> {
    (0..lanes)
        .filter(|i| mask >> i & 1 == 1)
        .try_for_each(|i| ctx.sram.read(addr + width * i as u64, width).map(|_| ()))
}

fn aligned(addr: u64) -> Result<(), String> {
    aligned_to(addr, 4)
}

fn aligned_to(addr: u64, bytes: u64) -> Result<(), String> {
    if addr.is_multiple_of(bytes) {
        Ok(())
    } else {
        Err(format!("address {addr:#x} is not {bytes}-byte aligned"))
    }
}
