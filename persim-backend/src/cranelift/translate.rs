//! Function translation: one lowered [`Function`] → one Cranelift function.
//!
//! The [`Translator`] walks the IR's blocks in order, keeps the Cranelift
//! parts of each IR value (see [`super::layout`]), and dispatches each op to
//! the file implementing its family: [`super::arith`] (elementwise ops),
//! [`super::lanes`] (vector plumbing), [`super::memory`], [`super::atomic`],
//! [`super::control`].

use super::error::CodegenError;
use super::layout::Layout;
use super::libcalls::Libcall;
use super::AccessSite;
use crate::abi::DebugSite;
use crate::abi::InstanceCtx;
use cranelift_codegen::entity::SecondaryMap;
use cranelift_codegen::ir::{self as cl, types, FuncRef, InstBuilder, MemFlagsData};
use cranelift_frontend::FunctionBuilder;
use cranelift_jit::JITModule;
use cranelift_module::{Linkage, Module};
use persim_lang::front::CustomOpSource;
use persim_lang::ir::{Attr, Dtype, Elem, Function, Op, Opcode, Type, Value};
use std::collections::BTreeMap;
use std::mem::offset_of;

/// How a region (a block of the IR) ended.
pub(crate) enum RegionEnd {
    /// `yield` with these values (each as its parts).
    Yield(Vec<Vec<cl::Value>>),
    /// `condition %c, values`.
    Condition(cl::Value, Vec<Vec<cl::Value>>),
    /// `return`: the current Cranelift block is terminated.
    Returned,
    /// The block ran out of ops (only valid for the function body).
    FellThrough,
}

/// Checked-mode state of the function being built.
pub(crate) struct CheckCtx {
    /// `ctx.check`, loaded once at entry.
    pub state: cl::Value,
    /// A block that returns at once; taken when the check says abort.
    pub abort: cl::Block,
}

pub(crate) struct Translator<'a> {
    pub fb: FunctionBuilder<'a>,
    module: &'a mut JITModule,
    pub func: &'a Function,
    values: SecondaryMap<Value, Vec<cl::Value>>,
    /// For vectors made by `splat`: the scalar they repeat (vector shifts
    /// by a uniform amount stay native).
    pub splat_of: SecondaryMap<Value, Option<cl::Value>>,
    /// Unit-stride vectors (see [`super::contiguity`]).
    pub contig: SecondaryMap<Value, Option<super::contiguity::Contig>>,
    pub ctx_ptr: cl::Value,
    pub local_mem: Option<cl::Value>,
    pub check: Option<CheckCtx>,
    pub sites: Vec<AccessSite>,
    /// `device_assert`/`device_print` sites, in site-number order.
    pub debug_sites: Vec<DebugSite>,
    /// Whether the runtime's debug hooks are registered.
    pub has_debug_hooks: bool,
    /// A block that returns at once, for failed assertions (made on first use).
    pub assert_abort: Option<cl::Block>,
    libcalls: BTreeMap<Libcall, FuncRef>,
    /// Registered custom ops, and the references declared so far (by symbol).
    pub customs: &'a [&'static CustomOpSource],
    pub custom_refs: BTreeMap<String, FuncRef>,
}

impl<'a> Translator<'a> {
    pub fn new(
        fb: FunctionBuilder<'a>,
        module: &'a mut JITModule,
        func: &'a Function,
        customs: &'a [&'static CustomOpSource],
    ) -> Translator<'a> {
        let mut fb = fb;
        let entry = fb.create_block();
        fb.append_block_params_for_function_params(entry);
        fb.switch_to_block(entry);
        let ctx_ptr = fb.block_params(entry)[1];
        Translator {
            fb,
            module,
            func,
            values: SecondaryMap::new(),
            splat_of: SecondaryMap::new(),
            contig: SecondaryMap::new(),
            ctx_ptr,
            local_mem: None,
            check: None,
            sites: Vec::new(),
            debug_sites: Vec::new(),
            has_debug_hooks: false,
            assert_abort: None,
            libcalls: BTreeMap::new(),
            customs,
            custom_refs: BTreeMap::new(),
        }
    }

    /// An error naming `op` and its source location.
    pub fn error(&self, op: Op, message: impl Into<String>) -> CodegenError {
        let data = self.func.op(op);
        CodegenError {
            op: data.opcode.name().to_string(),
            location: self.func.describe_loc(data.loc),
            message: message.into(),
        }
    }

    pub fn layout(&self, op: Op, ty: &Type) -> Result<Layout, CodegenError> {
        Layout::of(ty).map_err(|m| self.error(op, m))
    }

    pub fn layout_of(&self, op: Op, v: Value) -> Result<Layout, CodegenError> {
        self.layout(op, self.func.ty(v))
    }

    /// The parts of an already translated value.
    pub fn get(&self, op: Op, v: Value) -> Result<Vec<cl::Value>, CodegenError> {
        let parts = &self.values[v];
        if parts.is_empty() {
            return Err(self.error(op, format!("operand {v} is used before it is defined")));
        }
        Ok(parts.clone())
    }

    pub fn set(&mut self, v: Value, parts: Vec<cl::Value>) {
        self.values[v] = parts;
    }

    /// The data type of a value's elements; `Err` for pointers and buffers.
    pub fn dtype(&self, op: Op, v: Value) -> Result<Dtype, CodegenError> {
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

    pub fn result(&self, op: Op) -> Result<Value, CodegenError> {
        self.func
            .op(op)
            .results
            .first()
            .copied()
            .ok_or_else(|| self.error(op, "op has no result"))
    }

    pub fn int_attr(&self, op: Op, key: &str) -> Result<i64, CodegenError> {
        self.func
            .op(op)
            .attrs
            .int(key)
            .ok_or_else(|| self.error(op, format!("missing integer attribute `{key}`")))
    }

    /// A reference to a host function, declared in the module on first use.
    pub fn libcall(&mut self, lc: Libcall) -> Result<FuncRef, CodegenError> {
        if let Some(&r) = self.libcalls.get(&lc) {
            return Ok(r);
        }
        let sig = lc.signature(self.module.isa().default_call_conv());
        let r = self.import(lc.symbol(), &sig)?;
        self.libcalls.insert(lc, r);
        Ok(r)
    }

    /// Declare the imported host function `symbol` (registered with the
    /// JIT builder) and reference it from the function being built.
    pub fn import(&mut self, symbol: &str, sig: &cl::Signature) -> Result<FuncRef, CodegenError> {
        let id = self
            .module
            .declare_function(symbol, Linkage::Import, sig)
            .map_err(|e| CodegenError::function(format!("declaring {symbol}: {e}")))?;
        Ok(self.module.declare_func_in_func(id, self.fb.func))
    }

    /// The host's default calling convention (`extern "C"`).
    pub fn call_conv(&self) -> cranelift_codegen::isa::CallConv {
        self.module.isa().default_call_conv()
    }

    /// Whether the host ISA has the boolean setting `flag` (`has_fma`).
    pub fn isa_has(&self, flag: &str) -> bool {
        self.module
            .isa()
            .isa_flags()
            .iter()
            .any(|f| f.name == flag && f.as_bool() == Some(true))
    }

    /// Call a host function returning nothing.
    pub fn call_void(&mut self, lc: Libcall, args: &[cl::Value]) -> Result<(), CodegenError> {
        let f = self.libcall(lc)?;
        self.fb.ins().call(f, args);
        Ok(())
    }

    /// Call a host function returning one value.
    pub fn call(&mut self, lc: Libcall, args: &[cl::Value]) -> Result<cl::Value, CodegenError> {
        let f = self.libcall(lc)?;
        let call = self.fb.ins().call(f, args);
        Ok(self.fb.inst_results(call)[0])
    }

    /// Read an `i32` field of the instance context.
    fn ctx_u32(&mut self, offset: usize) -> cl::Value {
        self.fb.ins().load(
            types::I32,
            MemFlagsData::trusted(),
            self.ctx_ptr,
            offset as i32,
        )
    }

    /// Translate the whole function: parameters, body, implicit return.
    pub fn translate_body(&mut self, checked: bool) -> Result<(), CodegenError> {
        let entry = self.fb.current_block().expect("entry block");
        let args_ptr = self.fb.block_params(entry)[0];
        let flags = MemFlagsData::trusted();
        for (i, p) in self.func.params.iter().enumerate() {
            let raw = self
                .fb
                .ins()
                .load(types::I64, flags, args_ptr, (8 * i) as i32);
            let value = match &p.ty {
                Type::Tile { elem, shape } if shape.is_empty() => {
                    super::memory::scalar_from_bits(&mut self.fb, *elem, raw)
                }
                t => {
                    return Err(CodegenError::function(format!(
                        "parameter `{}` has type {t}; kernel parameters are scalars or pointers",
                        p.name
                    )))
                }
            };
            let v = self.func.param_value(i);
            self.set(v, vec![value]);
        }
        let lm = self.fb.ins().load(
            types::I64,
            flags,
            self.ctx_ptr,
            offset_of!(InstanceCtx, local_mem) as i32,
        );
        self.local_mem = Some(lm);
        if checked {
            let state = self.fb.ins().load(
                types::I64,
                flags,
                self.ctx_ptr,
                offset_of!(InstanceCtx, check) as i32,
            );
            let abort = self.fb.create_block();
            self.check = Some(CheckCtx { state, abort });
        }
        match self.translate_region(self.func.body)? {
            RegionEnd::Returned => {}
            RegionEnd::FellThrough => {
                self.fb.ins().return_(&[]);
            }
            RegionEnd::Yield(_) | RegionEnd::Condition(..) => {
                return Err(CodegenError::function(
                    "the kernel body ends with `yield`/`condition` instead of `return`",
                ))
            }
        }
        if let Some(c) = &self.check {
            let abort = c.abort;
            self.fb.switch_to_block(abort);
            self.fb.ins().return_(&[]);
        }
        if let Some(abort) = self.assert_abort {
            self.fb.switch_to_block(abort);
            self.fb.ins().return_(&[]);
        }
        self.fb.seal_all_blocks();
        Ok(())
    }

    /// Translate the ops of `block` up to and including its terminator.
    pub fn translate_region(
        &mut self,
        block: persim_lang::ir::Block,
    ) -> Result<RegionEnd, CodegenError> {
        let func = self.func;
        for &op in func.block_ops(block) {
            let data = func.op(op);
            match data.opcode {
                Opcode::Yield => {
                    let vals = self.operand_parts(op)?;
                    return Ok(RegionEnd::Yield(vals));
                }
                Opcode::Condition => {
                    let mut vals = self.operand_parts(op)?;
                    let cond = vals.remove(0);
                    return Ok(RegionEnd::Condition(cond[0], vals));
                }
                Opcode::Return => {
                    self.fb.ins().return_(&[]);
                    return Ok(RegionEnd::Returned);
                }
                _ => {
                    self.translate_op(op)?;
                    self.note_contiguity(op);
                }
            }
        }
        Ok(RegionEnd::FellThrough)
    }

    fn operand_parts(&self, op: Op) -> Result<Vec<Vec<cl::Value>>, CodegenError> {
        self.operands(op).iter().map(|&v| self.get(op, v)).collect()
    }

    fn translate_op(&mut self, op: Op) -> Result<(), CodegenError> {
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
                let v = self.ctx_u32(base + 4 * axis as usize);
                let r = self.result(op)?;
                self.set(r, vec![v]);
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
            Umulhi => self.binary(op),
            Fma => self.fma(op),
            MultipleOf | MaxContiguous => self.hint(op),
            // A promise for the mid-end; nothing to run.
            Assume => Ok(()),
            // A cache hint: the JIT that checks kernels has no use for it.
            Prefetch => Ok(()),
            Assert => self.device_assert(op),
            Print => self.device_print(op),
            Select => self.select(op),
            Custom => self.custom(op),
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
            BufMatmul => Err(self.error(
                op,
                "`buf_matmul` is for targets with a matrix unit (`Target::matmul_op`); \
                 the Cranelift target lowers `dot` to vector loops",
            )),
            CopyIn | CopyOut | CopyWait | CopyGather => Err(self.error(
                op,
                "`copy_in`/`copy_out`/`copy_wait`/`copy_gather` are for targets that move memory in blocks \
                 (`Target::bulk_copies`); the Cranelift target keeps vector loads and stores",
            )),
            Broadcast | ExpandDims | Reshape | Trans | Dot | Cat | Join | Split | Scan
            | ReduceWith | ScanWith | Call => Err(self.error(
                op,
                "not supported by the Cranelift backend: lowered IR must not contain it \
                 (run `passes::lower::lower_tiles` first)",
            )),
        }
    }

    fn constant(&mut self, op: Op) -> Result<(), CodegenError> {
        let data = self.func.op(op);
        let d = data
            .attrs
            .dtype("ty")
            .ok_or_else(|| self.error(op, "missing dtype attribute `ty`"))?;
        let ty = super::layout::dtype_lane(d);
        let v = match (data.attrs.get("value"), d) {
            (Some(Attr::Bool(b)), Dtype::I1) => self.fb.ins().iconst(types::I8, *b as i64),
            (Some(Attr::Int(i)), Dtype::I1) => self.fb.ins().iconst(types::I8, (*i != 0) as i64),
            (Some(Attr::Int(i)), d) if d.is_int() => super::emit::iconst(&mut self.fb, ty, *i),
            (Some(Attr::Float(x)), Dtype::F16) => self
                .fb
                .ins()
                .f32const(half::f16::from_f32(super::half::round_odd_f32(*x)).to_f32()),
            (Some(Attr::Float(x)), Dtype::BF16) => self
                .fb
                .ins()
                .f32const(half::bf16::from_f32(super::half::round_odd_f32(*x)).to_f32()),
            (Some(Attr::Float(x)), Dtype::F32) => self.fb.ins().f32const(*x as f32),
            (Some(Attr::Float(x)), Dtype::F64) => self.fb.ins().f64const(*x),
            (v, d) => {
                return Err(self.error(op, format!("constant {v:?} does not fit type {d}")));
            }
        };
        let r = self.result(op)?;
        self.set(r, vec![v]);
        Ok(())
    }
}
