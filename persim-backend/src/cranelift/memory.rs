//! Memory: kernel parameters, pointer arithmetic, global loads and stores
//! (per lane, masked lanes never touched, checked mode's access check), and
//! local buffers (`alloc`, `buf_load`, `buf_store`).
//!
//! Global accesses go through a vector of pointers, so in general they are
//! per lane: an address each, a branch around masked-off lanes. When the
//! pointers are known contiguous ([`super::contiguity`]) and, at run time,
//! the mask is all true, the access is whole native vectors instead (one
//! check of the whole range in checked mode). In checked mode each
//! active lane first calls the runtime's `check_access`; a nonzero answer
//! branches to the function's abort block, so the faulting access never
//! happens. Without checked mode an out-of-bounds access is undefined
//! behaviour, as in Triton.
//!
//! Local buffers are checked too in checked mode (an index outside a buffer
//! is a compiler bug, but must not corrupt memory either).
//!
//! In memory, `i1` is one byte (0 or 1) and `f16`/`bf16` are their 16-bit
//! patterns; in registers they are `i8` 0/1 and `f32` (see
//! [`super::layout`]).

use super::error::CodegenError;
use super::half;
use super::layout::{lane_type, Layout};
use super::libcalls::Libcall;
use super::translate::Translator;
use super::AccessSite;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self as cl, types, BlockArg, InstBuilder, MemFlagsData};
use cranelift_frontend::FunctionBuilder;
use persim_lang::ir::{Dtype, Elem, Op, Type};

/// A scalar kernel argument from its 64-bit ABI slot (`raw`, an `i64`).
pub(crate) fn scalar_from_bits(fb: &mut FunctionBuilder, elem: Elem, raw: cl::Value) -> cl::Value {
    let d = match elem {
        Elem::Ptr(_) => return raw,
        Elem::Val(d) => d,
    };
    match d {
        Dtype::I1 => fb.ins().icmp_imm_s(IntCC::NotEqual, raw, 0),
        Dtype::I64 | Dtype::U64 => raw,
        Dtype::F64 => fb.ins().bitcast(types::F64, MemFlagsData::new(), raw),
        Dtype::F32 => {
            let low = fb.ins().ireduce(types::I32, raw);
            fb.ins().bitcast(types::F32, MemFlagsData::new(), low)
        }
        Dtype::F16 | Dtype::BF16 => {
            let low = fb.ins().ireduce(types::I32, raw);
            if d == Dtype::F16 {
                half::f16_bits_to_f32(fb, low)
            } else {
                half::bf16_bits_to_f32(fb, low)
            }
        }
        d => fb.ins().ireduce(lane_type(Elem::Val(d)), raw),
    }
}

/// Load one element of `elem` at `addr + offset` into its register form.
fn load_elem(fb: &mut FunctionBuilder, elem: Elem, addr: cl::Value, offset: i32) -> cl::Value {
    let flags = MemFlagsData::new();
    match elem {
        Elem::Val(Dtype::I1) => {
            let byte = fb.ins().load(types::I8, flags, addr, offset);
            fb.ins().icmp_imm_s(IntCC::NotEqual, byte, 0)
        }
        Elem::Val(Dtype::F16) => {
            let bits = fb.ins().uload16(types::I32, flags, addr, offset);
            half::f16_bits_to_f32(fb, bits)
        }
        Elem::Val(Dtype::BF16) => {
            let bits = fb.ins().uload16(types::I32, flags, addr, offset);
            half::bf16_bits_to_f32(fb, bits)
        }
        e => fb.ins().load(lane_type(e), flags, addr, offset),
    }
}

/// Store one element (register form) of `elem` at `addr + offset`.
fn store_elem(
    fb: &mut FunctionBuilder,
    elem: Elem,
    value: cl::Value,
    addr: cl::Value,
    offset: i32,
) {
    let flags = MemFlagsData::new();
    match elem {
        Elem::Val(Dtype::F16) => {
            let bits = half::f32_to_f16_bits(fb, value);
            fb.ins().istore16(flags, bits, addr, offset);
        }
        Elem::Val(Dtype::BF16) => {
            let bits = half::f32_to_bf16_bits(fb, value);
            fb.ins().istore16(flags, bits, addr, offset);
        }
        _ => {
            fb.ins().store(flags, value, addr, offset);
        }
    }
}

/// Whether a vector of `elem` has the same bytes in memory as in its native
/// register parts (so it moves with whole-vector loads and stores).
fn memory_matches_registers(elem: Elem, layout: &Layout) -> bool {
    layout.is_native() && !layout.mask && !matches!(elem, Elem::Val(Dtype::F16 | Dtype::BF16))
}

/// How a global access may use whole-vector memory operations.
enum WholeVector {
    /// Per lane only.
    No,
    /// Always, from this lane-0 address.
    Always(cl::Value),
    /// When the `i8` condition holds, else per lane.
    When(cl::Value, cl::Value),
}

pub(super) fn zero_of(fb: &mut FunctionBuilder, ty: cl::Type) -> cl::Value {
    match ty {
        types::F32 => fb.ins().f32const(0.0),
        types::F64 => fb.ins().f64const(0.0),
        t => fb.ins().iconst(t, 0),
    }
}

impl Translator<'_> {
    /// `ptr + offset × size_of(pointee)`, offsets extended by their signedness.
    pub fn ptr_add(&mut self, op: Op) -> Result<(), CodegenError> {
        let [ptr, off] = self.operands(op) else {
            return Err(self.error(op, "ptr_add takes two operands"));
        };
        let (ptr, off) = (*ptr, *off);
        let pointee = self
            .func
            .ty(ptr)
            .elem()
            .pointee()
            .ok_or_else(|| self.error(op, "ptr_add base is not a pointer"))?;
        let od = self.dtype(op, off)?;
        if !od.is_int() {
            return Err(self.error(op, format!("ptr_add offset must be an integer, got {od}")));
        }
        let shift = pointee.size_bytes().trailing_zeros() as i64;
        let signed = od.is_signed_int();
        let r = self.result(op)?;
        let pl = self.layout_of(op, ptr)?;
        let ol = self.layout_of(op, off)?;
        // Native fast path: i64x2 pointers plus i32x4 or i64x2 offsets.
        if pl.is_native() && ol.is_native() && matches!(ol.lane, types::I32 | types::I64) {
            let ptrs = self.get(op, ptr)?;
            let offs = self.get(op, off)?;
            let mut wide = Vec::with_capacity(ptrs.len());
            for &o in &offs {
                if ol.lane == types::I64 {
                    wide.push(o);
                } else if signed {
                    wide.push(self.fb.ins().swiden_low(o));
                    wide.push(self.fb.ins().swiden_high(o));
                } else {
                    wide.push(self.fb.ins().uwiden_low(o));
                    wide.push(self.fb.ins().uwiden_high(o));
                }
            }
            let amount = self.fb.ins().iconst(types::I32, shift);
            let res = ptrs
                .iter()
                .zip(wide)
                .map(|(&p, o)| {
                    let scaled = self.fb.ins().ishl(o, amount);
                    self.fb.ins().iadd(p, scaled)
                })
                .collect();
            self.set(r, res);
            return Ok(());
        }
        self.map_elementwise(op, &[ptr, off], r, false, |t, a| {
            let o = a[1];
            let o = if od.bits() < 64 {
                if signed {
                    t.fb.ins().sextend(types::I64, o)
                } else {
                    t.fb.ins().uextend(types::I64, o)
                }
            } else {
                o
            };
            let scaled = t.fb.ins().ishl_imm_s(o, shift);
            Ok(t.fb.ins().iadd(a[0], scaled))
        })
    }

    /// Register a checked-mode site for `op`: its location and argument.
    pub(super) fn new_site(&mut self, op: Op, store: bool) -> (u32, i32) {
        let data = self.func.op(op);
        let arg = data.attrs.int("arg").and_then(|a| u32::try_from(a).ok());
        let site = self.sites.len() as u32;
        self.sites.push(AccessSite {
            location: self.func.describe_loc(data.loc),
            arg,
            store,
        });
        (site, arg.map_or(-1, |a| a as i32))
    }

    /// In checked mode, ask the runtime about an access and abort the
    /// instance if it says so.
    pub(super) fn check_access(
        &mut self,
        addr: cl::Value,
        bytes: u32,
        arg: i32,
        site: u32,
        store: bool,
    ) -> Result<(), CodegenError> {
        let Some(check) = &self.check else {
            return Ok(());
        };
        let (state, abort) = (check.state, check.abort);
        let bytes = self.fb.ins().iconst(types::I32, bytes as i64);
        let arg = self.fb.ins().iconst(types::I32, arg as i64);
        let site = self.fb.ins().iconst(types::I32, site as i64);
        let store = self.fb.ins().iconst(types::I32, store as i64);
        let failed = self.call(
            Libcall::CheckAccess,
            &[state, addr, bytes, arg, site, store],
        )?;
        let ok = self.fb.create_block();
        self.fb.ins().brif(failed, abort, &[], ok, &[]);
        self.fb.switch_to_block(ok);
        Ok(())
    }

    /// Pointer lanes and mask lanes (if any) of a load or store.
    pub(super) fn access_lanes(
        &mut self,
        op: Op,
        ptrs: persim_lang::ir::Value,
        mask: Option<persim_lang::ir::Value>,
    ) -> Result<(Vec<cl::Value>, Option<Vec<cl::Value>>), CodegenError> {
        let pl = self.layout_of(op, ptrs)?;
        let parts = self.get(op, ptrs)?;
        let ptr_lanes = self.lanes_of(&parts, pl);
        let mask_lanes = match mask {
            Some(m) => {
                let ml = self.layout_of(op, m)?;
                let parts = self.get(op, m)?;
                Some(self.lanes_of(&parts, ml))
            }
            None => None,
        };
        Ok((ptr_lanes, mask_lanes))
    }

    pub fn load(&mut self, op: Op) -> Result<(), CodegenError> {
        let operands = self.operands(op).to_vec();
        let ptrs = operands[0];
        let elem = match self.func.ty(ptrs).elem() {
            Elem::Ptr(d) => Elem::Val(d),
            _ => return Err(self.error(op, "load needs pointers")),
        };
        let bytes = elem.size_bytes();
        let (ptr_lanes, mask_lanes) = self.access_lanes(op, ptrs, operands.get(1).copied())?;
        let other_lanes = match operands.get(2) {
            Some(&o) => {
                let ol = self.layout_of(op, o)?;
                let parts = self.get(op, o)?;
                Some(self.lanes_of(&parts, ol))
            }
            None => None,
        };
        let (site, arg) = self.new_site(op, false);
        let r = self.result(op)?;
        let layout = self.layout_of(op, r)?;
        let fast = self.whole_vector_path(op, ptrs, operands.get(1).copied(), elem, &layout)?;
        let merge = match fast {
            WholeVector::No => None,
            WholeVector::Always(addr) => {
                let parts = self.load_whole(addr, bytes, arg, site, &layout)?;
                self.set(r, parts);
                return Ok(());
            }
            WholeVector::When(cond, addr) => {
                let vector = self.fb.create_block();
                let lanes = self.fb.create_block();
                let merge = self.fb.create_block();
                let results: Vec<cl::Value> = (0..layout.parts())
                    .map(|_| self.fb.append_block_param(merge, layout.part_type()))
                    .collect();
                self.fb.ins().brif(cond, vector, &[], lanes, &[]);
                self.fb.switch_to_block(vector);
                let parts = self.load_whole(addr, bytes, arg, site, &layout)?;
                let args: Vec<BlockArg> = parts.iter().map(|&v| v.into()).collect();
                self.fb.ins().jump(merge, &args);
                self.fb.switch_to_block(lanes);
                Some((merge, results))
            }
        };
        let lane_ty = lane_type(elem);
        let mut out = Vec::with_capacity(ptr_lanes.len());
        for (i, &addr) in ptr_lanes.iter().enumerate() {
            let v = match &mask_lanes {
                None => {
                    self.check_access(addr, bytes, arg, site, false)?;
                    load_elem(&mut self.fb, elem, addr, 0)
                }
                Some(mask) => {
                    let other = match &other_lanes {
                        Some(o) => o[i],
                        None => zero_of(&mut self.fb, lane_ty),
                    };
                    let active = self.fb.create_block();
                    let merge = self.fb.create_block();
                    let result = self.fb.append_block_param(merge, lane_ty);
                    self.fb
                        .ins()
                        .brif(mask[i], active, &[], merge, &[other.into()]);
                    self.fb.switch_to_block(active);
                    self.check_access(addr, bytes, arg, site, false)?;
                    let v = load_elem(&mut self.fb, elem, addr, 0);
                    self.fb.ins().jump(merge, &[v.into()]);
                    self.fb.switch_to_block(merge);
                    result
                }
            };
            out.push(v);
        }
        let parts = self.assemble(out, layout);
        match merge {
            None => self.set(r, parts),
            Some((merge, results)) => {
                let args: Vec<BlockArg> = parts.iter().map(|&v| v.into()).collect();
                self.fb.ins().jump(merge, &args);
                self.fb.switch_to_block(merge);
                self.set(r, results);
            }
        }
        Ok(())
    }

    pub fn store(&mut self, op: Op) -> Result<(), CodegenError> {
        let operands = self.operands(op).to_vec();
        let (ptrs, value) = (operands[0], operands[1]);
        let elem = match self.func.ty(ptrs).elem() {
            Elem::Ptr(d) => Elem::Val(d),
            _ => return Err(self.error(op, "store needs pointers")),
        };
        let bytes = elem.size_bytes();
        let (ptr_lanes, mask_lanes) = self.access_lanes(op, ptrs, operands.get(2).copied())?;
        let vl = self.layout_of(op, value)?;
        let parts = self.get(op, value)?;
        let (site, arg) = self.new_site(op, true);
        let fast = self.whole_vector_path(op, ptrs, operands.get(2).copied(), elem, &vl)?;
        let done = match fast {
            WholeVector::No => None,
            WholeVector::Always(addr) => {
                return self.store_whole(addr, bytes, arg, site, &parts);
            }
            WholeVector::When(cond, addr) => {
                let vector = self.fb.create_block();
                let lanes = self.fb.create_block();
                let done = self.fb.create_block();
                self.fb.ins().brif(cond, vector, &[], lanes, &[]);
                self.fb.switch_to_block(vector);
                self.store_whole(addr, bytes, arg, site, &parts)?;
                self.fb.ins().jump(done, &[]);
                self.fb.switch_to_block(lanes);
                Some(done)
            }
        };
        let values = self.lanes_of(&parts, vl);
        for (i, &addr) in ptr_lanes.iter().enumerate() {
            match &mask_lanes {
                None => {
                    self.check_access(addr, bytes, arg, site, true)?;
                    store_elem(&mut self.fb, elem, values[i], addr, 0);
                }
                Some(mask) => {
                    let active = self.fb.create_block();
                    let done = self.fb.create_block();
                    self.fb.ins().brif(mask[i], active, &[], done, &[]);
                    self.fb.switch_to_block(active);
                    self.check_access(addr, bytes, arg, site, true)?;
                    store_elem(&mut self.fb, elem, values[i], addr, 0);
                    self.fb.ins().jump(done, &[]);
                    self.fb.switch_to_block(done);
                }
            }
        }
        if let Some(done) = done {
            self.fb.ins().jump(done, &[]);
            self.fb.switch_to_block(done);
        }
        Ok(())
    }

    /// Whether a global access through `ptrs` can move whole native vectors:
    /// contiguous pointers, register layout equal to memory layout, and
    /// (at run time) no wrapped offset and an all-true mask.
    fn whole_vector_path(
        &mut self,
        op: Op,
        ptrs: persim_lang::ir::Value,
        mask: Option<persim_lang::ir::Value>,
        elem: Elem,
        layout: &Layout,
    ) -> Result<WholeVector, CodegenError> {
        let Some(contig) = self.contiguous(ptrs) else {
            return Ok(WholeVector::No);
        };
        if !memory_matches_registers(elem, layout) {
            return Ok(WholeVector::No);
        }
        let mut cond = contig.no_wrap;
        if let Some(m) = mask {
            let ml = self.layout_of(op, m)?;
            let parts = self.get(op, m)?;
            let all = if ml.is_native() {
                parts
                    .iter()
                    .map(|&p| self.fb.ins().vall_true(p))
                    .collect::<Vec<_>>()
            } else {
                parts
            };
            for t in all {
                cond = Some(match cond {
                    None => t,
                    Some(c) => self.fb.ins().band(c, t),
                });
            }
        }
        Ok(match cond {
            None => WholeVector::Always(contig.lane0),
            Some(c) => WholeVector::When(c, contig.lane0),
        })
    }

    /// Load a whole vector from contiguous memory at `addr` (checked mode:
    /// one check of the whole range).
    fn load_whole(
        &mut self,
        addr: cl::Value,
        elem_bytes: u32,
        arg: i32,
        site: u32,
        layout: &Layout,
    ) -> Result<Vec<cl::Value>, CodegenError> {
        self.check_access(addr, elem_bytes * layout.lanes, arg, site, false)?;
        let ty = layout.part_type();
        Ok((0..layout.parts())
            .map(|p| {
                self.fb
                    .ins()
                    .load(ty, MemFlagsData::new(), addr, p as i32 * 16)
            })
            .collect())
    }

    fn store_whole(
        &mut self,
        addr: cl::Value,
        elem_bytes: u32,
        arg: i32,
        site: u32,
        parts: &[cl::Value],
    ) -> Result<(), CodegenError> {
        let lanes = parts.len() as u32 * 16 / elem_bytes;
        self.check_access(addr, elem_bytes * lanes, arg, site, true)?;
        for (p, &v) in parts.iter().enumerate() {
            self.fb
                .ins()
                .store(MemFlagsData::new(), v, addr, p as i32 * 16);
        }
        Ok(())
    }

    /// `alloc`: the local-memory base plus the buffer's byte offset, after
    /// checking the buffer fits in the function's `local_mem`.
    pub fn alloc(&mut self, op: Op) -> Result<(), CodegenError> {
        let r = self.result(op)?;
        let offset =
            crate::abi::local_buffer_offset(self.func, op).map_err(|m| self.error(op, m))?;
        let base = self
            .local_mem
            .ok_or_else(|| self.error(op, "no local memory base"))?;
        let addr = self.fb.ins().iadd_imm_s(base, offset);
        self.set(r, vec![addr]);
        Ok(())
    }

    /// Address of element `idx` (an `i32` operand) of buffer `buf`.
    /// In checked mode, elements `idx .. idx + count` must lie inside the
    /// buffer, else the instance reports the site and aborts.
    fn buf_addr(
        &mut self,
        op: Op,
        buf: persim_lang::ir::Value,
        idx: persim_lang::ir::Value,
        count: u32,
        store: bool,
    ) -> Result<(cl::Value, Elem), CodegenError> {
        let (elem, len) = match self.func.ty(buf) {
            Type::Buf { elem, len } => (*elem, *len),
            t => return Err(self.error(op, format!("expected a buffer, got {t}"))),
        };
        if count > len {
            return Err(self.error(op, format!("{count} elements do not fit a buffer of {len}")));
        }
        let base = self.get(op, buf)?[0];
        let idx = self.get(op, idx)?[0];
        let idx = self.fb.ins().sextend(types::I64, idx);
        if let Some(check) = &self.check {
            let (state, abort) = (check.state, check.abort);
            let (site, _) = self.new_site(op, store);
            // A negative index is a huge unsigned one.
            let ok =
                self.fb
                    .ins()
                    .icmp_imm_u(IntCC::UnsignedLessThanOrEqual, idx, (len - count) as i64);
            let fine = self.fb.create_block();
            let bad = self.fb.create_block();
            self.fb.ins().brif(ok, fine, &[], bad, &[]);
            self.fb.switch_to_block(bad);
            let len = self.fb.ins().iconst(types::I32, len as i64);
            let arg = self
                .fb
                .ins()
                .iconst(types::I32, crate::abi::LOCAL_BUFFER_ARG as i64);
            let site = self.fb.ins().iconst(types::I32, site as i64);
            let store = self.fb.ins().iconst(types::I32, store as i64);
            self.call(Libcall::CheckAccess, &[state, idx, len, arg, site, store])?;
            self.fb.ins().jump(abort, &[]);
            self.fb.switch_to_block(fine);
        }
        let scaled = self.fb.ins().imul_imm_s(idx, elem.size_bytes() as i64);
        Ok((self.fb.ins().iadd(base, scaled), elem))
    }

    pub fn buf_load(&mut self, op: Op) -> Result<(), CodegenError> {
        let operands = self.operands(op).to_vec();
        let r = self.result(op)?;
        let layout = self.layout_of(op, r)?;
        let count = if self.func.ty(r).is_scalar() {
            1
        } else {
            layout.lanes
        };
        let (addr, elem) = self.buf_addr(op, operands[0], operands[1], count, false)?;
        let size = elem.size_bytes() as i32;
        let parts = if self.func.ty(r).is_scalar() {
            vec![load_elem(&mut self.fb, elem, addr, 0)]
        } else if memory_matches_registers(elem, &layout) {
            let ty = layout.part_type();
            (0..layout.parts())
                .map(|p| {
                    self.fb
                        .ins()
                        .load(ty, MemFlagsData::new(), addr, p as i32 * 16)
                })
                .collect()
        } else {
            let lanes = (0..layout.lanes as i32)
                .map(|i| load_elem(&mut self.fb, elem, addr, i * size))
                .collect();
            self.assemble(lanes, layout)
        };
        self.set(r, parts);
        Ok(())
    }

    pub fn buf_store(&mut self, op: Op) -> Result<(), CodegenError> {
        let operands = self.operands(op).to_vec();
        let value = operands[2];
        let layout = self.layout_of(op, value)?;
        let count = if self.func.ty(value).is_scalar() {
            1
        } else {
            layout.lanes
        };
        let (addr, elem) = self.buf_addr(op, operands[0], operands[1], count, true)?;
        let parts = self.get(op, value)?;
        let size = elem.size_bytes() as i32;
        if self.func.ty(value).is_scalar() {
            store_elem(&mut self.fb, elem, parts[0], addr, 0);
        } else if memory_matches_registers(elem, &layout) {
            for (p, &v) in parts.iter().enumerate() {
                self.fb
                    .ins()
                    .store(MemFlagsData::new(), v, addr, p as i32 * 16);
            }
        } else {
            let lanes = self.lanes_of(&parts, layout);
            for (i, &v) in lanes.iter().enumerate() {
                store_elem(&mut self.fb, elem, v, addr, i as i32 * size);
            }
        }
        Ok(())
    }
}
