//! Function translation: one lowered [`Function`] → one LLVM function with
//! the kernel ABI (`void (i64* args, i8* ctx)`).
//!
//! The [`Translator`] walks the IR's blocks in order, keeps the LLVM value
//! of each IR value (see [`super::types`] for the representation) and
//! dispatches each op to the file implementing its family:
//! [`super::arith`], [`super::cast`], [`super::lanes`], [`super::memory`],
//! [`super::atomic`], [`super::control`], [`super::debug`].

use super::contiguity::Contig;
use super::debug::DebugCalls;
use super::error::LlvmError;
use super::target::TargetSpec;
use crate::abi::{DebugSite, InstanceCtx};
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::module::{Linkage, Module};
use inkwell::types::BasicType;
use inkwell::values::{
    BasicValueEnum, FunctionValue, InstructionOpcode as I, IntValue, PointerValue,
};
use inkwell::AddressSpace;
use persim_lang::ir::{Attr, Block, Dtype, Elem, Function, Op, Opcode, Type, Value};
use std::collections::HashMap;
use std::mem::offset_of;

/// How a region (a block of the IR) ended.
pub(crate) enum RegionEnd<'ctx> {
    /// `yield` with these values.
    Yield(Vec<BasicValueEnum<'ctx>>),
    /// `condition %c, values`.
    Condition(IntValue<'ctx>, Vec<BasicValueEnum<'ctx>>),
    /// `return`: the current LLVM block is terminated.
    Returned,
    /// The block ran out of ops (only valid for the function body).
    FellThrough,
}

/// The AVX-512 subsets the translator uses (see `arith`, `vexp`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Avx512 {
    /// `vscalefps` (AVX-512F): `x · 2^n` with correct overflow and
    /// subnormal results in one instruction.
    pub f: bool,
    /// `vrangeps`/`vrangepd` (AVX-512DQ): IEEE `maximum`/`minimum`.
    pub dq: bool,
}

pub(crate) struct Translator<'a, 'ctx> {
    pub cx: &'ctx Context,
    pub module: &'a Module<'ctx>,
    pub b: Builder<'ctx>,
    pub func: &'a Function,
    pub fv: FunctionValue<'ctx>,
    values: HashMap<Value, BasicValueEnum<'ctx>>,
    /// For vectors made by `splat`: the scalar they repeat.
    pub splat_of: HashMap<Value, BasicValueEnum<'ctx>>,
    /// Unit-stride vectors (see [`super::contiguity`]).
    pub contig: HashMap<Value, Contig<'ctx>>,
    /// The instance context (`i8*`, the second parameter).
    pub ctx_ptr: PointerValue<'ctx>,
    /// Base of the instance's local memory (`i8*`).
    pub local_mem: Option<PointerValue<'ctx>>,
    /// Alias scopes of parameters and buffers (see [`super::alias`]).
    pub alias: super::alias::AliasScopes<'ctx>,
    /// x86 AVX-512 instructions the code may use directly where LLVM has
    /// no generic intrinsic with the op table's semantics.
    pub avx512: Avx512,
    /// Whether vector `llvm.fma` is one instruction (see [`super::splat_div`]).
    pub fma: bool,
    /// Whether `assert`/`print` may call the runtime's hooks.
    pub debug_calls: DebugCalls,
    /// The `assert`/`print` sites, numbered in translation order.
    pub debug_sites: Vec<DebugSite>,
    /// The stack arrays `print` passes element indices in, by rank (one
    /// per rank, shared by every `print` of the function).
    pub print_index: HashMap<u32, PointerValue<'ctx>>,
}

/// The instance function of a kernel, as [`define_instance`] made it.
pub(crate) struct Instance<'ctx> {
    pub fv: FunctionValue<'ctx>,
    /// The `assert`/`print` sites the code passes the numbers of.
    pub debug_sites: Vec<DebugSite>,
}

/// Add the attributes that make LLVM generate code for `spec` in `fv`:
/// MCJIT and `llc` take the CPU from the function, and with the
/// `prefer-vector-width` of the lowering width, 512-bit vectors stay in
/// single zmm registers on CPUs LLVM would otherwise tune for 256 bits.
pub(crate) fn set_target_attributes(cx: &Context, fv: FunctionValue<'_>, spec: &TargetSpec) {
    let bits = spec.vector_bits().to_string();
    for (k, v) in [
        ("target-cpu", spec.cpu.as_str()),
        ("target-features", spec.features.as_str()),
        ("prefer-vector-width", bits.as_str()),
        ("min-legal-vector-width", bits.as_str()),
    ] {
        fv.add_attribute(AttributeLoc::Function, cx.create_string_attribute(k, v));
    }
    let nounwind = Attribute::get_named_enum_kind_id("nounwind");
    fv.add_attribute(
        AttributeLoc::Function,
        cx.create_enum_attribute(nounwind, 0),
    );
}

/// Declare and define the instance function of `func` as `name` in
/// `module`; `debug_calls` says what its `assert`/`print` ops become.
pub(crate) fn define_instance<'ctx>(
    cx: &'ctx Context,
    module: &Module<'ctx>,
    func: &Function,
    name: &str,
    spec: &TargetSpec,
    linkage: Linkage,
    debug_calls: DebugCalls,
) -> Result<Instance<'ctx>, LlvmError> {
    let i64p = cx.i64_type().ptr_type(AddressSpace::default());
    let i8p = cx.i8_type().ptr_type(AddressSpace::default());
    let fn_ty = cx.void_type().fn_type(&[i64p.into(), i8p.into()], false);
    let fv = module.add_function(name, fn_ty, Some(linkage));
    set_target_attributes(cx, fv, spec);
    for (i, attr) in [
        (0u32, "readonly"),
        (1, "readonly"),
        (0, "nocapture"),
        (1, "nocapture"),
    ] {
        let kind = Attribute::get_named_enum_kind_id(attr);
        fv.add_attribute(AttributeLoc::Param(i), cx.create_enum_attribute(kind, 0));
    }
    let entry = cx.append_basic_block(fv, "entry");
    let b = cx.create_builder();
    b.position_at_end(entry);
    let ctx_ptr = fv
        .get_nth_param(1)
        .ok_or_else(|| LlvmError::function("instance function without a context parameter"))?
        .into_pointer_value();
    let mut t = Translator {
        cx,
        module,
        b,
        func,
        fv,
        values: HashMap::new(),
        splat_of: HashMap::new(),
        contig: HashMap::new(),
        ctx_ptr,
        local_mem: None,
        alias: super::alias::AliasScopes::new(cx, func),
        avx512: Avx512 {
            f: spec.has_feature("avx512f"),
            dq: spec.has_feature("avx512f") && spec.has_feature("avx512dq"),
        },
        fma: spec.has_fma(),
        debug_calls,
        debug_sites: Vec::new(),
        print_index: HashMap::new(),
    };
    t.translate_body()?;
    Ok(Instance {
        fv,
        debug_sites: t.debug_sites,
    })
}

impl<'a, 'ctx> Translator<'a, 'ctx> {
    /// An error naming `op` and its source location.
    pub fn error(&self, op: Op, message: impl Into<String>) -> LlvmError {
        let data = self.func.op(op);
        LlvmError {
            op: data.opcode.name().to_string(),
            location: self.func.describe_loc(data.loc),
            message: message.into(),
        }
    }

    /// The LLVM value of an already translated IR value.
    pub fn get(&self, op: Op, v: Value) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        self.values
            .get(&v)
            .copied()
            .ok_or_else(|| self.error(op, format!("operand {v} is used before it is defined")))
    }

    pub fn set(&mut self, v: Value, x: BasicValueEnum<'ctx>) {
        self.values.insert(v, x);
    }

    /// The data type of a value's elements; `Err` for pointers and buffers.
    pub fn dtype(&self, op: Op, v: Value) -> Result<Dtype, LlvmError> {
        match self.func.ty(v) {
            Type::Tile {
                elem: Elem::Val(d), ..
            } => Ok(*d),
            t => Err(self.error(op, format!("expected data values, got {t}"))),
        }
    }

    pub fn operands(&self, op: Op) -> &'a [Value] {
        &self.func.op(op).operands
    }

    pub fn result(&self, op: Op) -> Result<Value, LlvmError> {
        self.func
            .op(op)
            .results
            .first()
            .copied()
            .ok_or_else(|| self.error(op, "op has no result"))
    }

    pub fn int_attr(&self, op: Op, key: &str) -> Result<i64, LlvmError> {
        self.func
            .op(op)
            .attrs
            .int(key)
            .ok_or_else(|| self.error(op, format!("missing integer attribute `{key}`")))
    }

    /// A new basic block at the end of the function.
    pub fn block(&self, name: &str) -> inkwell::basic_block::BasicBlock<'ctx> {
        self.cx.append_basic_block(self.fv, name)
    }

    /// A stack array of `count` elements of type `ty` (a `ty*`), allocated
    /// in the entry block: a fixed-size slot (not one that would grow the
    /// stack every iteration of a loop), whose address dominates every use.
    pub fn entry_alloca(
        &self,
        ty: inkwell::types::BasicTypeEnum<'ctx>,
        count: u32,
    ) -> Result<PointerValue<'ctx>, LlvmError> {
        let entry = self
            .fv
            .get_first_basic_block()
            .ok_or_else(|| LlvmError::function("function without an entry block"))?;
        let b = self.cx.create_builder();
        match entry.get_first_instruction() {
            Some(first) => b.position_before(&first),
            None => b.position_at_end(entry),
        }
        let count = self.cx.i32_type().const_int(u64::from(count), false);
        Ok(b.build_array_alloca(ty, count, "")?)
    }

    /// The block the builder is in (where the next branch comes from).
    pub fn current_block(&self) -> Result<inkwell::basic_block::BasicBlock<'ctx>, LlvmError> {
        self.b
            .get_insert_block()
            .ok_or_else(|| LlvmError::function("builder is not positioned"))
    }

    /// Read the `u32` field of the instance context at byte `offset`.
    fn ctx_field(
        &self,
        offset: usize,
        ty: inkwell::types::BasicTypeEnum<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        let i64t = self.cx.i64_type();
        // SAFETY (of the GEP): the offset is a field of `InstanceCtx`, which
        // the context pointer addresses.
        let p = unsafe {
            self.b
                .build_gep(self.ctx_ptr, &[i64t.const_int(offset as u64, false)], "")?
        };
        let p = self
            .b
            .build_pointer_cast(p, ty.ptr_type(AddressSpace::default()), "")?;
        Ok(self.b.build_load(p, "")?)
    }

    /// Translate the whole function: parameters, body, implicit return.
    fn translate_body(&mut self) -> Result<(), LlvmError> {
        let args_ptr = self
            .fv
            .get_nth_param(0)
            .ok_or_else(|| LlvmError::function("instance function without arguments"))?
            .into_pointer_value();
        let i64t = self.cx.i64_type();
        for (i, p) in self.func.params.iter().enumerate() {
            // SAFETY (of the GEP): `args` holds one word per parameter.
            let slot = unsafe {
                self.b
                    .build_gep(args_ptr, &[i64t.const_int(i as u64, false)], "")?
            };
            let raw = self
                .b
                .build_load(slot, &format!("arg.{}", p.name))?
                .into_int_value();
            let value = match &p.ty {
                Type::Tile { elem, shape } if shape.is_empty() => {
                    self.scalar_from_bits(*elem, raw)?
                }
                t => {
                    return Err(LlvmError::function(format!(
                        "parameter `{}` has type {t}; kernel parameters are scalars or pointers",
                        p.name
                    )))
                }
            };
            let v = self.func.param_value(i);
            self.set(v, value);
        }
        let i8p = self.cx.i8_type().ptr_type(AddressSpace::default());
        let lm = self.ctx_field(offset_of!(InstanceCtx, local_mem), i8p.into())?;
        self.local_mem = Some(lm.into_pointer_value());
        match self.translate_region(self.func.body)? {
            RegionEnd::Returned => {}
            RegionEnd::FellThrough => {
                self.b.build_return(None)?;
            }
            RegionEnd::Yield(_) | RegionEnd::Condition(..) => {
                return Err(LlvmError::function(
                    "the kernel body ends with `yield`/`condition` instead of `return`",
                ))
            }
        }
        Ok(())
    }

    /// Translate the ops of `block` up to and including its terminator.
    pub fn translate_region(&mut self, block: Block) -> Result<RegionEnd<'ctx>, LlvmError> {
        let func = self.func;
        for &op in func.block_ops(block) {
            let data = func.op(op);
            match data.opcode {
                Opcode::Yield => {
                    let vals = self.operand_values(op)?;
                    return Ok(RegionEnd::Yield(vals));
                }
                Opcode::Condition => {
                    let mut vals = self.operand_values(op)?;
                    let cond = vals.remove(0);
                    if !cond.is_int_value() {
                        return Err(self.error(op, "the condition must be a scalar i1"));
                    }
                    return Ok(RegionEnd::Condition(cond.into_int_value(), vals));
                }
                Opcode::Return => {
                    // A kernel returns nothing; a device function's return
                    // values would be operands (none reach a lowered kernel).
                    if !data.operands.is_empty() {
                        return Err(self.error(
                            op,
                            "a kernel returns no values (device functions are inlined first)",
                        ));
                    }
                    self.b.build_return(None)?;
                    return Ok(RegionEnd::Returned);
                }
                _ => {
                    self.translate_op(op)?;
                    self.note_contiguity(op)?;
                }
            }
        }
        Ok(RegionEnd::FellThrough)
    }

    fn operand_values(&self, op: Op) -> Result<Vec<BasicValueEnum<'ctx>>, LlvmError> {
        self.operands(op).iter().map(|&v| self.get(op, v)).collect()
    }

    fn translate_op(&mut self, op: Op) -> Result<(), LlvmError> {
        use Opcode::*;
        let opcode = self.func.op(op).opcode;
        match opcode {
            Const => self.constant(op),
            ProgramId | NumPrograms => {
                let axis = self.int_attr(op, "axis")?;
                if !(0..3).contains(&axis) {
                    return Err(self.error(op, format!("grid axis {axis} is not 0, 1 or 2")));
                }
                let base = if opcode == ProgramId {
                    offset_of!(InstanceCtx, program_id)
                } else {
                    offset_of!(InstanceCtx, num_programs)
                };
                let v = self.ctx_field(base + 4 * axis as usize, self.cx.i32_type().into())?;
                let r = self.result(op)?;
                self.set(r, v);
                Ok(())
            }
            Arange => self.arange(op),
            Splat => self.splat(op),
            Cast => self.cast(op),
            Add | Sub | Mul | Div | Rem | Maximum | Minimum | And | Or | Xor | Shl | Shr => {
                self.binary(op)
            }
            Cmp => self.compare(op),
            Neg | Not | Exp | Log | Sqrt | Abs | Exp2 | Log2 | Rsqrt | Erf | Sin | Cos | Floor
            | Ceil => self.unary(op),
            Fma => self.fma(op),
            Umulhi => self.umulhi(op),
            MultipleOf | MaxContiguous => self.hint(op),
            // A promise for the mid-end; nothing to run.
            Assume => Ok(()),
            Prefetch => self.prefetch(op),
            Custom => self.custom(op),
            Assert => self.device_assert(op),
            Print => self.device_print(op),
            BufMatmul => Err(self.error(
                op,
                "`buf_matmul` is for targets with a matrix unit (`Target::matmul_op`); \
                 the LLVM target lowers `dot` to vector loops",
            )),
            CopyIn | CopyOut | CopyWait | CopyGather => Err(self.error(
                op,
                "`copy_in`/`copy_out`/`copy_wait`/`copy_gather` are for targets that move memory in blocks \
                 (`Target::bulk_copies`); the LLVM target keeps vector loads and stores",
            )),
            Select => self.select(op),
            Reduce => self.reduce(op),
            PtrAdd => self.ptr_add(op),
            Load => self.load(op),
            Store => self.store(op),
            AtomicAdd | AtomicMax | AtomicMin | AtomicXchg | AtomicCas => self.atomic(op),
            Alloc => self.alloc(op),
            BufLoad => self.buf_load(op),
            BufStore => self.buf_store(op),
            For => self.for_loop(op),
            If => self.if_else(op),
            While => self.while_loop(op),
            Yield | Condition | Return => Err(self.error(
                op,
                "terminator in the middle of a block (it must end its block)",
            )),
            Broadcast | ExpandDims | Reshape | Trans | Dot | Cat | Join | Split | Scan
            | ReduceWith | ScanWith | Call => Err(self.error(
                op,
                "not supported by the LLVM backend: lowered IR must not contain it \
                     (run `passes::lower::lower_tiles` first)",
            )),
        }
    }

    /// A scalar kernel argument from its 64-bit ABI slot (`raw`, an `i64`).
    fn scalar_from_bits(
        &self,
        elem: Elem,
        raw: IntValue<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        let raw: BasicValueEnum = raw.into();
        let i32t = self.cx.i32_type().into();
        let d = match elem {
            Elem::Ptr(_) => {
                let ty = self.scalar_type(elem);
                return self.cast_op(I::IntToPtr, raw, ty);
            }
            Elem::Val(d) => d,
        };
        match d {
            Dtype::I1 => self.icmp(
                inkwell::IntPredicate::NE,
                raw,
                self.cx.i64_type().const_zero().into(),
            ),
            Dtype::I64 | Dtype::U64 => Ok(raw),
            Dtype::F64 => self.bitcast(raw, self.cx.f64_type().into()),
            Dtype::F32 => {
                let low = self.cast_op(I::Trunc, raw, i32t)?;
                self.bitcast(low, self.cx.f32_type().into())
            }
            Dtype::F16 | Dtype::BF16 => {
                let low = self.cast_op(I::Trunc, raw, i32t)?;
                if d == Dtype::F16 {
                    self.f16_bits_to_f32(low)
                } else {
                    self.bf16_bits_to_f32(low)
                }
            }
            d => self.cast_op(I::Trunc, raw, self.mem_type(d)),
        }
    }

    fn constant(&mut self, op: Op) -> Result<(), LlvmError> {
        let data = self.func.op(op);
        let d = data
            .attrs
            .dtype("ty")
            .ok_or_else(|| self.error(op, "missing dtype attribute `ty`"))?;
        let ty = self.scalar_type(Elem::Val(d));
        let v: BasicValueEnum = match (data.attrs.get("value"), d) {
            (Some(Attr::Bool(b)), Dtype::I1) => {
                self.cx.bool_type().const_int(*b as u64, false).into()
            }
            (Some(Attr::Int(i)), Dtype::I1) => self
                .cx
                .bool_type()
                .const_int((*i != 0) as u64, false)
                .into(),
            (Some(Attr::Int(i)), d) if d.is_int() => {
                ty.into_int_type().const_int(*i as u64, true).into()
            }
            (Some(Attr::Float(x)), Dtype::F16) => self
                .cx
                .f32_type()
                .const_float(half::f16::from_f32(super::half::round_odd_f32(*x)).to_f32() as f64)
                .into(),
            (Some(Attr::Float(x)), Dtype::BF16) => self
                .cx
                .f32_type()
                .const_float(half::bf16::from_f32(super::half::round_odd_f32(*x)).to_f32() as f64)
                .into(),
            (Some(Attr::Float(x)), Dtype::F32) => {
                self.cx.f32_type().const_float(*x as f32 as f64).into()
            }
            (Some(Attr::Float(x)), Dtype::F64) => self.cx.f64_type().const_float(*x).into(),
            (v, d) => {
                return Err(self.error(op, format!("constant {v:?} does not fit type {d}")));
            }
        };
        let r = self.result(op)?;
        self.set(r, v);
        Ok(())
    }
}
