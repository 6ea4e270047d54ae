//! Value representation: how a lowered-IR value lives in LLVM, and small
//! builders that work alike on scalars and vectors.
//!
//! Lowered IR has scalars and vectors of one length `L` (the function's
//! `lanes`). Each IR value is exactly one LLVM value:
//!
//! - data: `i1` is `i1`, integers are `iN` of their width (signedness lives
//!   in the IR dtype and picks the instruction), `f32`/`f64` are
//!   `float`/`double`, and `f16`/`bf16` are held in `float`, rounded back
//!   after every op that makes a new value ([`super::half`]); a vector is
//!   `<L x T>` of those, left to LLVM to legalize for the target;
//! - a scalar pointer is a typed LLVM pointer to the element's *memory*
//!   type (so `ptr_add` is a `getelementptr` and LLVM's alias analysis sees
//!   where it comes from); a vector of pointers is `<L x i64>` addresses;
//! - a buffer is the `i8*` address of its first byte.
//!
//! In memory `i1` is one byte (0 or 1) and `f16`/`bf16` are their 16-bit
//! patterns.

use super::error::LlvmError;
use super::translate::Translator;
use inkwell::intrinsics::Intrinsic;
use inkwell::types::{BasicType, BasicTypeEnum, VectorType};
use inkwell::values::{
    BasicMetadataValueEnum, BasicValueEnum, CallSiteValue, InstructionValue, IntValue, ValueKind,
};
use inkwell::{AddressSpace, FloatPredicate, IntPredicate};
use persim_lang::ir::{Dtype, Elem, Op, Type, Value};

/// The integer type of `bits` bits (8, 16, 32 or 64; 1 is `i1`).
pub(crate) fn int_type(cx: &inkwell::context::Context, bits: u32) -> inkwell::types::IntType<'_> {
    match bits {
        1 => cx.bool_type(),
        8 => cx.i8_type(),
        16 => cx.i16_type(),
        32 => cx.i32_type(),
        _ => cx.i64_type(),
    }
}

/// A vector type of `n` elements of `t` (integers, floats or pointers).
pub(crate) fn vec_of(t: BasicTypeEnum<'_>, n: u32) -> VectorType<'_> {
    match t {
        BasicTypeEnum::IntType(t) => t.vec_type(n),
        BasicTypeEnum::FloatType(t) => t.vec_type(n),
        BasicTypeEnum::PointerType(t) => t.vec_type(n),
        BasicTypeEnum::VectorType(t) => t,
        other => unreachable!("no vectors of {other:?} are built"),
    }
}

impl<'a, 'ctx> Translator<'a, 'ctx> {
    /// The memory type of one element of `d`.
    pub fn mem_type(&self, d: Dtype) -> BasicTypeEnum<'ctx> {
        let cx = self.cx;
        match d {
            Dtype::I1 | Dtype::I8 | Dtype::U8 => cx.i8_type().into(),
            Dtype::I16 | Dtype::U16 | Dtype::F16 | Dtype::BF16 => cx.i16_type().into(),
            Dtype::I32 | Dtype::U32 => cx.i32_type().into(),
            Dtype::I64 | Dtype::U64 => cx.i64_type().into(),
            Dtype::F32 => cx.f32_type().into(),
            Dtype::F64 => cx.f64_type().into(),
        }
    }

    /// The register type of one scalar of `elem`.
    pub fn scalar_type(&self, elem: Elem) -> BasicTypeEnum<'ctx> {
        let cx = self.cx;
        match elem {
            Elem::Ptr(d) => self.mem_type(d).ptr_type(AddressSpace::default()).into(),
            Elem::Val(Dtype::I1) => cx.bool_type().into(),
            Elem::Val(Dtype::F16 | Dtype::BF16 | Dtype::F32) => cx.f32_type().into(),
            Elem::Val(d) => self.mem_type(d),
        }
    }

    /// The register type of one lane of a vector of `elem`.
    pub fn lane_type(&self, elem: Elem) -> BasicTypeEnum<'ctx> {
        match elem {
            Elem::Ptr(_) => self.cx.i64_type().into(),
            e => self.scalar_type(e),
        }
    }

    /// The LLVM type of an IR value of type `ty`.
    pub fn reg_type(&self, op: Op, ty: &Type) -> Result<BasicTypeEnum<'ctx>, LlvmError> {
        match ty {
            Type::Buf { .. } => Ok(self.cx.i8_type().ptr_type(AddressSpace::default()).into()),
            Type::Tile { elem, shape } => match shape.as_slice() {
                [] => Ok(self.scalar_type(*elem)),
                &[n] => Ok(vec_of(self.lane_type(*elem), n).into()),
                _ => Err(self.error(
                    op,
                    format!("{ty} is not lowered: lowered IR has only scalars and 1-D vectors"),
                )),
            },
        }
    }

    pub fn type_of(&self, op: Op, v: Value) -> Result<BasicTypeEnum<'ctx>, LlvmError> {
        self.reg_type(op, self.func.ty(v))
    }

    /// An integer constant `k` of type `ty` (an integer or integer vector).
    pub fn int_const(&self, ty: BasicTypeEnum<'ctx>, k: i64) -> BasicValueEnum<'ctx> {
        match ty {
            BasicTypeEnum::IntType(t) => t.const_int(k as u64, true).into(),
            BasicTypeEnum::VectorType(v) => {
                let lane = v
                    .get_element_type()
                    .into_int_type()
                    .const_int(k as u64, true);
                VectorType::const_vector(&vec![lane; v.get_size() as usize]).into()
            }
            other => unreachable!("integer constant of type {other:?}"),
        }
    }

    /// A float constant `x` of type `ty` (a float or float vector).
    pub fn float_const(&self, ty: BasicTypeEnum<'ctx>, x: f64) -> BasicValueEnum<'ctx> {
        match ty {
            BasicTypeEnum::FloatType(t) => t.const_float(x).into(),
            BasicTypeEnum::VectorType(v) => {
                let lane = v.get_element_type().into_float_type().const_float(x);
                VectorType::const_vector(&vec![lane; v.get_size() as usize]).into()
            }
            other => unreachable!("float constant of type {other:?}"),
        }
    }

    /// Zero of any register type.
    pub fn zero(&self, ty: BasicTypeEnum<'ctx>) -> BasicValueEnum<'ctx> {
        ty.const_zero()
    }

    /// `ty` with its scalar element replaced by `elem` (same lane count).
    pub fn like(&self, ty: BasicTypeEnum<'ctx>, elem: BasicTypeEnum<'ctx>) -> BasicTypeEnum<'ctx> {
        match ty {
            BasicTypeEnum::VectorType(v) => vec_of(elem, v.get_size()).into(),
            _ => elem,
        }
    }

    /// Integer compare of scalars or vectors.
    pub fn icmp(
        &self,
        pred: IntPredicate,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        Ok(match (a, b) {
            (BasicValueEnum::IntValue(a), BasicValueEnum::IntValue(b)) => {
                self.b.build_int_compare(pred, a, b, "")?.into()
            }
            (BasicValueEnum::VectorValue(a), BasicValueEnum::VectorValue(b)) => {
                self.b.build_int_compare(pred, a, b, "")?.into()
            }
            (BasicValueEnum::PointerValue(a), BasicValueEnum::PointerValue(b)) => {
                self.b.build_int_compare(pred, a, b, "")?.into()
            }
            (a, b) => {
                return Err(LlvmError::function(format!(
                    "integer compare of {:?} and {:?}",
                    a.get_type(),
                    b.get_type()
                )))
            }
        })
    }

    /// Float compare of scalars or vectors.
    pub fn fcmp(
        &self,
        pred: FloatPredicate,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        Ok(match (a, b) {
            (BasicValueEnum::FloatValue(a), BasicValueEnum::FloatValue(b)) => {
                self.b.build_float_compare(pred, a, b, "")?.into()
            }
            (BasicValueEnum::VectorValue(a), BasicValueEnum::VectorValue(b)) => {
                self.b.build_float_compare(pred, a, b, "")?.into()
            }
            (a, b) => {
                return Err(LlvmError::function(format!(
                    "float compare of {:?} and {:?}",
                    a.get_type(),
                    b.get_type()
                )))
            }
        })
    }

    /// `cond ? a : b` with a scalar or lane-wise `i1` condition.
    pub fn select_value(
        &self,
        cond: BasicValueEnum<'ctx>,
        a: BasicValueEnum<'ctx>,
        b: BasicValueEnum<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        Ok(match cond {
            BasicValueEnum::IntValue(c) => self.b.build_select(c, a, b, "")?,
            BasicValueEnum::VectorValue(c) => self.b.build_select(c, a, b, "")?,
            c => {
                return Err(LlvmError::function(format!(
                    "select condition of type {:?}",
                    c.get_type()
                )))
            }
        })
    }

    fn call_intrinsic(
        &self,
        name: &str,
        types: &[BasicTypeEnum<'ctx>],
        args: &[BasicValueEnum<'ctx>],
    ) -> Result<CallSiteValue<'ctx>, LlvmError> {
        let f = Intrinsic::find(name)
            .and_then(|i| i.get_declaration(self.module, types))
            .ok_or_else(|| LlvmError::function(format!("LLVM has no intrinsic {name}")))?;
        let args: Vec<BasicMetadataValueEnum> = args.iter().map(|&a| a.into()).collect();
        Ok(self.b.build_call(f, &args, "")?)
    }

    /// Call the overloaded intrinsic `name` instantiated at `types`.
    pub fn intrinsic(
        &self,
        name: &str,
        types: &[BasicTypeEnum<'ctx>],
        args: &[BasicValueEnum<'ctx>],
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        self.call_intrinsic(name, types, args)?
            .try_as_basic_value()
            .basic()
            .ok_or_else(|| LlvmError::function(format!("intrinsic {name} returns nothing")))
    }

    /// Call an intrinsic that returns nothing (masked stores, scatters).
    pub fn intrinsic_void(
        &self,
        name: &str,
        types: &[BasicTypeEnum<'ctx>],
        args: &[BasicValueEnum<'ctx>],
    ) -> Result<InstructionValue<'ctx>, LlvmError> {
        let call = self.call_intrinsic(name, types, args)?;
        match call.try_as_basic_value() {
            ValueKind::Instruction(i) => Ok(i),
            ValueKind::Basic(_) => Err(LlvmError::function(format!(
                "intrinsic {name} unexpectedly returns a value"
            ))),
        }
    }

    /// `i32` constant.
    pub fn i32c(&self, k: i64) -> IntValue<'ctx> {
        self.cx.i32_type().const_int(k as u64, true)
    }

    /// Reinterpret `v` as `ty` (same size).
    pub fn bitcast(
        &self,
        v: BasicValueEnum<'ctx>,
        ty: BasicTypeEnum<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        if v.get_type() == ty {
            return Ok(v);
        }
        Ok(self.b.build_bit_cast(v, ty, "")?)
    }

    /// A cast instruction (`trunc`, `zext`, `sitofp`, ...), or `v` itself
    /// when it already has type `ty`.
    pub fn cast_op(
        &self,
        opcode: inkwell::values::InstructionOpcode,
        v: BasicValueEnum<'ctx>,
        ty: BasicTypeEnum<'ctx>,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        if v.get_type() == ty {
            return Ok(v);
        }
        Ok(self.b.build_cast(opcode, v, ty, "")?)
    }

    /// Lane `i` of a vector.
    pub fn lane(&self, v: BasicValueEnum<'ctx>, i: u32) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        Ok(self
            .b
            .build_extract_element(v.into_vector_value(), self.i32c(i as i64), "")?)
    }

    /// `v` with lane `i` replaced by `x`.
    pub fn with_lane(
        &self,
        v: BasicValueEnum<'ctx>,
        x: BasicValueEnum<'ctx>,
        i: u32,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        Ok(self
            .b
            .build_insert_element(v.into_vector_value(), x, self.i32c(i as i64), "")?
            .into())
    }

    /// A vector of `n` copies of the scalar `x`.
    pub fn splat_value(
        &self,
        x: BasicValueEnum<'ctx>,
        n: u32,
    ) -> Result<BasicValueEnum<'ctx>, LlvmError> {
        let ty = vec_of(x.get_type(), n);
        let one = self
            .b
            .build_insert_element(ty.get_poison(), x, self.i32c(0), "")?;
        let zeros = self.cx.i32_type().vec_type(n).const_zero();
        Ok(self
            .b
            .build_shuffle_vector(one, ty.get_poison(), zeros, "")?
            .into())
    }

    /// Number of lanes of a value's type (1 for scalars).
    pub fn lanes_of(&self, v: BasicValueEnum<'ctx>) -> u32 {
        match v {
            BasicValueEnum::VectorValue(v) => v.get_type().get_size(),
            _ => 1,
        }
    }
}

/// The element type of a register type (itself for scalars).
pub(crate) fn scalar_of(ty: BasicTypeEnum<'_>) -> BasicTypeEnum<'_> {
    match ty {
        BasicTypeEnum::VectorType(v) => v.get_element_type(),
        t => t,
    }
}
