//! Memory: pointer arithmetic, global loads and stores, and local buffers
//! (`alloc`, `buf_load`, `buf_store`).
//!
//! A global access through contiguous pointers ([`super::contiguity`]) is
//! one vector load or store (other pointer vectors are checked for
//! contiguity at run time, [`super::contiguity`]), `llvm.masked.load`/`llvm.masked.store` when
//! the op has a mask (masked-off lanes are not accessed, as the op table
//! requires; AVX-512 and AVX2 masked moves suppress their faults). Other
//! vector accesses are `llvm.masked.gather`/`llvm.masked.scatter`, whose
//! masked-off lanes are not accessed either and whose overlapping lanes
//! are written in lane order, as the op table's per-lane semantics say. A
//! scalar access with a mask branches around the access.
//!
//! Global accesses carry alias scopes ([`super::alias`]): accesses through
//! different kernel parameters, and to buffers whose bytes are disjoint,
//! are known not to alias.

use super::error::LlvmError;
use super::translate::Translator;
use super::types::vec_of;
use inkwell::types::{BasicType, BasicTypeEnum};
use inkwell::values::{BasicValue, BasicValueEnum, InstructionOpcode as I, IntValue, PointerValue};
use inkwell::{AddressSpace, IntPredicate};
use persim_lang::ir::{Dtype, Elem, Op, Type, Value};

type R<'ctx> = Result<BasicValueEnum<'ctx>, LlvmError>;

/// Where a global access's alias scopes come from.
#[derive(Clone, Copy)]
pub(crate) enum Scope {
    /// A kernel parameter (the op's `arg` attribute), if known.
    Param(Option<u32>),
    /// A local buffer (by its `alloc` op).
    Buffer(Op),
    /// A prefetch: no access the kernel can observe.
    Prefetch,
}

impl<'a, 'ctx> Translator<'a, 'ctx> {
    /// The memory type of one element of `elem` (pointers as `i64`).
    pub fn elem_mem_type(&self, elem: Elem) -> BasicTypeEnum<'ctx> {
        match elem {
            Elem::Val(d) => self.mem_type(d),
            Elem::Ptr(_) => self.cx.i64_type().into(),
        }
    }

    /// Memory form (loaded bits) → register form.
    fn memory_to_register(&self, elem: Elem, v: BasicValueEnum<'ctx>) -> R<'ctx> {
        match elem {
            Elem::Val(Dtype::I1) => self.icmp(IntPredicate::NE, v, self.int_const(v.get_type(), 0)),
            Elem::Val(d @ (Dtype::F16 | Dtype::BF16)) => self.half_from_memory(d, v),
            Elem::Ptr(_) if v.is_int_value() => Ok(self
                .b
                .build_int_to_ptr(
                    v.into_int_value(),
                    self.scalar_type(elem).into_pointer_type(),
                    "",
                )?
                .into()),
            _ => Ok(v),
        }
    }

    /// Register form → memory form.
    fn register_to_memory(&self, elem: Elem, v: BasicValueEnum<'ctx>) -> R<'ctx> {
        match elem {
            Elem::Val(Dtype::I1) => {
                let ty = self.like(v.get_type(), self.cx.i8_type().into());
                self.cast_op(I::ZExt, v, ty)
            }
            Elem::Val(d @ (Dtype::F16 | Dtype::BF16)) => self.half_to_memory(d, v),
            Elem::Ptr(_) => match v {
                BasicValueEnum::PointerValue(p) => {
                    Ok(self.b.build_ptr_to_int(p, self.cx.i64_type(), "")?.into())
                }
                v => Ok(v),
            },
            _ => Ok(v),
        }
    }

    /// `ptr + off` elements of `ptr`'s pointee for a scalar offset of
    /// dtype `od`, extended to 64 bits by its signedness.
    pub fn offset_pointer(
        &self,
        ptr: PointerValue<'ctx>,
        od: Dtype,
        off: BasicValueEnum<'ctx>,
    ) -> R<'ctx> {
        let wide = self.extend_offset(od, off)?.into_int_value();
        // SAFETY (of the GEP): not `inbounds`, so any offset is defined;
        // only the access, if any, must be in bounds.
        Ok(unsafe { self.b.build_gep(ptr, &[wide], "")? }.into())
    }

    fn extend_offset(&self, od: Dtype, off: BasicValueEnum<'ctx>) -> R<'ctx> {
        let ty = self.like(off.get_type(), self.cx.i64_type().into());
        let o = if od.is_signed_int() { I::SExt } else { I::ZExt };
        self.cast_op(o, off, ty)
    }

    /// `ptr + offset × size_of(pointee)`, offsets extended by their
    /// signedness: a `getelementptr` on scalars, address arithmetic on
    /// vectors.
    pub fn ptr_add(&mut self, op: Op) -> Result<(), LlvmError> {
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
        let p = self.get(op, ptr)?;
        let o = self.get(op, off)?;
        let v = match p {
            BasicValueEnum::PointerValue(p) if !o.is_vector_value() => {
                self.offset_pointer(p, od, o)?
            }
            BasicValueEnum::VectorValue(_) if o.is_vector_value() => {
                let wide = self.extend_offset(od, o)?;
                let shift = self.int_const(
                    wide.get_type(),
                    pointee.size_bytes().trailing_zeros() as i64,
                );
                let scaled = self.b.build_binop(I::Shl, wide, shift, "")?;
                self.b.build_binop(I::Add, p, scaled, "")?
            }
            _ => return Err(self.error(op, "ptr_add operands must both be scalars or vectors")),
        };
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }

    /// `<L x T*>` from `<L x i64>` addresses.
    fn pointer_vector(&self, addrs: BasicValueEnum<'ctx>, mem: BasicTypeEnum<'ctx>) -> R<'ctx> {
        let n = self.lanes_of(addrs);
        let ty = vec_of(mem.ptr_type(AddressSpace::default()).into(), n);
        self.cast_op(I::IntToPtr, addrs, ty.into())
    }

    /// A `<L x mem>*` pointer at the contiguous access's first element.
    fn vector_pointer(
        &self,
        lane0: BasicValueEnum<'ctx>,
        mem: BasicTypeEnum<'ctx>,
        n: u32,
    ) -> Result<PointerValue<'ctx>, LlvmError> {
        let ty = vec_of(mem, n).ptr_type(AddressSpace::default());
        Ok(self
            .b
            .build_pointer_cast(lane0.into_pointer_value(), ty, "")?)
    }

    /// The all-true `<n x i1>` mask.
    fn all_true(&self, n: u32) -> BasicValueEnum<'ctx> {
        self.int_const(self.cx.bool_type().vec_type(n).into(), -1)
    }

    /// Run `fast` when `cond` holds and `slow` otherwise, joining their
    /// results (none for stores).
    fn branch_on(
        &mut self,
        cond: Option<IntValue<'ctx>>,
        fast: impl FnOnce(&mut Self) -> Result<Option<BasicValueEnum<'ctx>>, LlvmError>,
        slow: impl FnOnce(&mut Self) -> Result<Option<BasicValueEnum<'ctx>>, LlvmError>,
    ) -> Result<Option<BasicValueEnum<'ctx>>, LlvmError> {
        let Some(cond) = cond else {
            return fast(self);
        };
        let fast_b = self.block("contig");
        let slow_b = self.block("per_lane");
        let join = self.block("join");
        self.b.build_conditional_branch(cond, fast_b, slow_b)?;
        self.b.position_at_end(fast_b);
        let x = fast(self)?;
        let x_from = self.current_block()?;
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(slow_b);
        let y = slow(self)?;
        let y_from = self.current_block()?;
        self.b.build_unconditional_branch(join)?;
        self.b.position_at_end(join);
        match (x, y) {
            (Some(x), Some(y)) => {
                let phi = self.b.build_phi(x.get_type(), "")?;
                phi.add_incoming(&[(&x, x_from), (&y, y_from)]);
                Ok(Some(phi.as_basic_value()))
            }
            _ => Ok(None),
        }
    }

    /// `prefetch`: one `llvm.prefetch` (into L2: `prefetcht1` on x86, or
    /// `prefetchw` with `write`) of the first lane's address. A chunk's contiguous lanes span
    /// one or two cache lines and the next chunk's prefetch starts where
    /// they end, so a row is covered line by line; scattered lanes are
    /// not worth a prefetch each.
    pub fn prefetch(&mut self, op: Op) -> Result<(), LlvmError> {
        let ptrs = self.operands(op)[0];
        let p = self.get(op, ptrs)?;
        let i8p = self.cx.i8_type().ptr_type(AddressSpace::default());
        let first = match (p, self.contig.get(&ptrs)) {
            (BasicValueEnum::PointerValue(ptr), _) => ptr,
            (_, Some(c)) => c.lane0.into_pointer_value(),
            (v, None) => {
                let lane0 = self.lane(v, 0)?.into_int_value();
                self.b.build_int_to_ptr(lane0, i8p, "")?
            }
        };
        let addr = self.b.build_pointer_cast(first, i8p, "")?;
        let write = i64::from(self.func.op(op).attrs.int("write").is_some());
        let (read, l2, data) = (self.i32c(write), self.i32c(2), self.i32c(1));
        let call = self.intrinsic_void(
            "llvm.prefetch",
            &[i8p.into()],
            &[addr.into(), read.into(), l2.into(), data.into()],
        )?;
        self.scoped_inst(call, Scope::Prefetch);
        Ok(())
    }

    pub fn load(&mut self, op: Op) -> Result<(), LlvmError> {
        let operands = self.operands(op);
        let ptrs = operands[0];
        let d = self
            .func
            .ty(ptrs)
            .elem()
            .pointee()
            .ok_or_else(|| self.error(op, "load needs pointers"))?;
        let elem = Elem::Val(d);
        let mem = self.mem_type(d);
        let align = d.size_bytes();
        let scope = Scope::Param(self.access_arg(op));
        let p = self.get(op, ptrs)?;
        let mask = operands.get(1).map(|&m| self.get(op, m)).transpose()?;
        let other = operands.get(2).map(|&o| self.get(op, o)).transpose()?;
        let r = self.result(op)?;
        let result_ty = self.type_of(op, r)?;
        let v = if let BasicValueEnum::PointerValue(ptr) = p {
            // Scalar: branch around the access when masked.
            let other = other.unwrap_or_else(|| self.zero(result_ty));
            match mask {
                None => {
                    let x = self.b.build_load(ptr, "")?;
                    self.scoped(x, scope);
                    self.set_align(x, align);
                    self.memory_to_register(elem, x)?
                }
                Some(m) => {
                    let active = self.block("load");
                    let join = self.block("loaded");
                    let from = self.current_block()?;
                    self.b
                        .build_conditional_branch(m.into_int_value(), active, join)?;
                    self.b.position_at_end(active);
                    let x = self.b.build_load(ptr, "")?;
                    self.scoped(x, scope);
                    self.set_align(x, align);
                    let x = self.memory_to_register(elem, x)?;
                    let active_end = self.current_block()?;
                    self.b.build_unconditional_branch(join)?;
                    self.b.position_at_end(join);
                    let phi = self.b.build_phi(result_ty, "")?;
                    phi.add_incoming(&[(&x, active_end), (&other, from)]);
                    phi.as_basic_value()
                }
            }
        } else {
            let n = self.lanes_of(p);
            let mem_vec: BasicTypeEnum = vec_of(mem, n).into();
            // Masked-off lanes come out as `other` directly when its register
            // form is its memory form (no `select` after the load).
            let direct_other = other.filter(|o| mask.is_some() && o.get_type() == mem_vec);
            let passthru = direct_other.unwrap_or_else(|| self.zero(mem_vec));
            let mask_v = mask.unwrap_or_else(|| self.all_true(n));
            let c = match self.contig.get(&ptrs).copied() {
                Some(c) => c,
                None => self.runtime_contig(p, mask_v, d.size_bytes())?,
            };
            let bits = self
                .branch_on(
                    c.no_wrap,
                    |t| {
                        let vp = t.vector_pointer(c.lane0, mem, n)?;
                        let x = if mask.is_none() {
                            let x = t.b.build_load(vp, "")?;
                            t.set_align(x, align);
                            x
                        } else {
                            t.intrinsic(
                                "llvm.masked.load",
                                &[mem_vec, vp.get_type().into()],
                                &[vp.into(), t.i32c(align as i64).into(), mask_v, passthru],
                            )?
                        };
                        t.scoped(x, scope);
                        Ok(Some(x))
                    },
                    |t| t.gather(p, mem, align, mask_v, passthru, scope).map(Some),
                )?
                .ok_or_else(|| self.error(op, "load produced no value"))?;
            let x = self.memory_to_register(elem, bits)?;
            match (mask, other) {
                (Some(m), Some(o)) if direct_other.is_none() => self.select_value(m, x, o)?,
                _ => x,
            }
        };
        self.set(r, v);
        Ok(())
    }

    fn gather(
        &self,
        addrs: BasicValueEnum<'ctx>,
        mem: BasicTypeEnum<'ctx>,
        align: u32,
        mask: BasicValueEnum<'ctx>,
        passthru: BasicValueEnum<'ctx>,
        scope: Scope,
    ) -> R<'ctx> {
        let ptrs = self.pointer_vector(addrs, mem)?;
        let x = self.intrinsic(
            "llvm.masked.gather",
            &[passthru.get_type(), ptrs.get_type()],
            &[ptrs, self.i32c(align as i64).into(), mask, passthru],
        )?;
        self.scoped(x, scope);
        Ok(x)
    }

    pub fn store(&mut self, op: Op) -> Result<(), LlvmError> {
        let operands = self.operands(op);
        let (ptrs, value) = (operands[0], operands[1]);
        let d = self
            .func
            .ty(ptrs)
            .elem()
            .pointee()
            .ok_or_else(|| self.error(op, "store needs pointers"))?;
        let elem = Elem::Val(d);
        let mem = self.mem_type(d);
        let align = d.size_bytes();
        let scope = Scope::Param(self.access_arg(op));
        let p = self.get(op, ptrs)?;
        let x = self.get(op, value)?;
        let x = self.register_to_memory(elem, x)?;
        let mask = operands.get(2).map(|&m| self.get(op, m)).transpose()?;
        if let BasicValueEnum::PointerValue(ptr) = p {
            let done = mask
                .map(|m| -> Result<_, LlvmError> {
                    let active = self.block("store");
                    let done = self.block("stored");
                    self.b
                        .build_conditional_branch(m.into_int_value(), active, done)?;
                    self.b.position_at_end(active);
                    Ok(done)
                })
                .transpose()?;
            let s = self.b.build_store(ptr, x)?;
            self.scoped_inst(s, scope);
            let _ = s.set_alignment(align);
            if let Some(done) = done {
                self.b.build_unconditional_branch(done)?;
                self.b.position_at_end(done);
            }
            return Ok(());
        }
        let n = self.lanes_of(p);
        let mask_v = mask.unwrap_or_else(|| self.all_true(n));
        let c = match self.contig.get(&ptrs).copied() {
            Some(c) => c,
            None => self.runtime_contig(p, mask_v, d.size_bytes())?,
        };
        self.branch_on(
            c.no_wrap,
            |t| {
                let vp = t.vector_pointer(c.lane0, mem, n)?;
                if mask.is_none() {
                    let s = t.b.build_store(vp, x)?;
                    let _ = s.set_alignment(align);
                    t.scoped_inst(s, scope);
                } else {
                    let call = t.intrinsic_void(
                        "llvm.masked.store",
                        &[x.get_type(), vp.get_type().into()],
                        &[x, vp.into(), t.i32c(align as i64).into(), mask_v],
                    )?;
                    t.scoped_inst(call, scope);
                }
                Ok(None)
            },
            |t| t.scatter(p, x, mem, align, mask_v, scope).map(|_| None),
        )?;
        Ok(())
    }

    fn scatter(
        &self,
        addrs: BasicValueEnum<'ctx>,
        x: BasicValueEnum<'ctx>,
        mem: BasicTypeEnum<'ctx>,
        align: u32,
        mask: BasicValueEnum<'ctx>,
        scope: Scope,
    ) -> Result<(), LlvmError> {
        let ptrs = self.pointer_vector(addrs, mem)?;
        let call = self.intrinsic_void(
            "llvm.masked.scatter",
            &[x.get_type(), ptrs.get_type()],
            &[x, ptrs, self.i32c(align as i64).into(), mask],
        )?;
        self.scoped_inst(call, scope);
        Ok(())
    }

    /// The kernel parameter a global access's pointers derive from.
    pub(crate) fn access_arg(&self, op: Op) -> Option<u32> {
        self.func
            .op(op)
            .attrs
            .int("arg")
            .and_then(|a| u32::try_from(a).ok())
    }

    fn set_align(&self, x: BasicValueEnum<'ctx>, align: u32) {
        if let Some(i) = x.as_instruction_value() {
            let _ = i.set_alignment(align);
        }
    }

    /// `alloc`: the local-memory base plus the buffer's byte offset, after
    /// checking the buffer fits in the function's `local_mem`.
    pub fn alloc(&mut self, op: Op) -> Result<(), LlvmError> {
        let r = self.result(op)?;
        let offset =
            crate::abi::local_buffer_offset(self.func, op).map_err(|m| self.error(op, m))?;
        let base = self
            .local_mem
            .ok_or_else(|| self.error(op, "no local memory base"))?;
        let off = self.cx.i64_type().const_int(offset as u64, false);
        // SAFETY (of the GEP): inside the instance's local memory (checked
        // against `local_mem` above).
        let addr = unsafe { self.b.build_in_bounds_gep(base, &[off], "buf")? };
        self.set(r, addr.into());
        Ok(())
    }

    /// Address of element `idx` of buffer `buf` as a pointer to its memory
    /// type, and the buffer's element kind.
    fn buf_addr(
        &self,
        op: Op,
        buf: Value,
        idx: Value,
        count: u32,
    ) -> Result<(PointerValue<'ctx>, Elem, Option<Op>), LlvmError> {
        let (elem, len) = match self.func.ty(buf) {
            Type::Buf { elem, len } => (*elem, *len),
            t => return Err(self.error(op, format!("expected a buffer, got {t}"))),
        };
        if count > len {
            return Err(self.error(op, format!("{count} elements do not fit a buffer of {len}")));
        }
        let base = self.get(op, buf)?.into_pointer_value();
        let mem = self.elem_mem_type(elem);
        let typed = self
            .b
            .build_pointer_cast(base, mem.ptr_type(AddressSpace::default()), "")?;
        let idx = self.get(op, idx)?;
        let idx = self.extend_offset(Dtype::I32, idx)?.into_int_value();
        // SAFETY (of the GEP): lowered IR indexes buffers in bounds.
        let addr = unsafe { self.b.build_in_bounds_gep(typed, &[idx], "")? };
        Ok((addr, elem, self.alias.buffer_of(buf)))
    }

    pub fn buf_load(&mut self, op: Op) -> Result<(), LlvmError> {
        let [buf, idx] = self.operands(op) else {
            return Err(self.error(op, "buf_load takes two operands"));
        };
        let r = self.result(op)?;
        let n = match self.func.ty(r).shape() {
            Some(&[]) => None,
            Some(&[n]) => Some(n),
            _ => return Err(self.error(op, "buf_load reads a scalar or one vector")),
        };
        let (addr, elem, alloc) = self.buf_addr(op, *buf, *idx, n.unwrap_or(1))?;
        let mem = self.elem_mem_type(elem);
        let ptr = match n {
            None => addr,
            Some(n) => self.vector_pointer(addr.into(), mem, n)?,
        };
        let x = self.b.build_load(ptr, "")?;
        self.set_align(x, elem.size_bytes());
        if let Some(a) = alloc {
            self.scoped(x, Scope::Buffer(a));
        }
        let v = self.memory_to_register(elem, x)?;
        self.set(r, v);
        Ok(())
    }

    pub fn buf_store(&mut self, op: Op) -> Result<(), LlvmError> {
        let [buf, idx, value] = self.operands(op) else {
            return Err(self.error(op, "buf_store takes three operands"));
        };
        let n = match self.func.ty(*value).shape() {
            Some(&[]) => None,
            Some(&[n]) => Some(n),
            _ => return Err(self.error(op, "buf_store writes a scalar or one vector")),
        };
        let (addr, elem, alloc) = self.buf_addr(op, *buf, *idx, n.unwrap_or(1))?;
        let mem = self.elem_mem_type(elem);
        let ptr = match n {
            None => addr,
            Some(n) => self.vector_pointer(addr.into(), mem, n)?,
        };
        let x = self.get(op, *value)?;
        let x = self.register_to_memory(elem, x)?;
        let s = self.b.build_store(ptr, x)?;
        let _ = s.set_alignment(elem.size_bytes());
        if let Some(a) = alloc {
            self.scoped_inst(s, Scope::Buffer(a));
        }
        Ok(())
    }
}
