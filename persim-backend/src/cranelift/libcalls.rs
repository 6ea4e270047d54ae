//! Host functions JIT code calls: math without a Cranelift instruction
//! (`exp log exp2 log2 sin cos erf`, float remainder, half-precision `fma`,
//! and `fma floor ceil` on hosts without the instructions), the
//! checked-mode access check and the `device_assert`/`device_print` hooks.
//!
//! The math functions are Rust's own (`f32::exp`, `f64::ln`, `%`; `erf` from
//! the `libm` crate, as Rust has none), so a kernel gives the same numbers as
//! a plain-Rust reference on this host. They
//! are registered by name with `JITBuilder::symbol`, never looked up with
//! `dlsym`.

use cranelift_codegen::ir::{types, AbiParam, Signature, Type};
use cranelift_codegen::isa::CallConv;

/// A host function the kernel may call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Libcall {
    ExpF32,
    ExpF64,
    LogF32,
    LogF64,
    RemF32,
    RemF64,
    Exp2F32,
    Exp2F64,
    Log2F32,
    Log2F64,
    SinF32,
    SinF64,
    CosF32,
    CosF64,
    ErfF32,
    ErfF64,
    /// Software fallbacks for hosts without the instruction.
    FmaF32,
    FmaF64,
    FloorF32,
    FloorF64,
    CeilF32,
    CeilF64,
    /// `fma` of `f16` (`bf16`) values held in `f32`, rounded once.
    FmaF16,
    FmaBF16,
    CheckAccess,
    /// `device_assert` failed (runtime-provided, see `crate::abi`).
    AssertFail,
    /// `device_print` of one element (runtime-provided).
    Print,
}

extern "C" fn exp_f32(x: f32) -> f32 {
    x.exp()
}
extern "C" fn exp_f64(x: f64) -> f64 {
    x.exp()
}
extern "C" fn log_f32(x: f32) -> f32 {
    x.ln()
}
extern "C" fn log_f64(x: f64) -> f64 {
    x.ln()
}
/// `fmod`: Rust's `%` on floats has C's `fmod` semantics.
extern "C" fn rem_f32(a: f32, b: f32) -> f32 {
    a % b
}
extern "C" fn rem_f64(a: f64, b: f64) -> f64 {
    a % b
}

extern "C" fn exp2_f32(x: f32) -> f32 {
    x.exp2()
}
extern "C" fn exp2_f64(x: f64) -> f64 {
    x.exp2()
}
extern "C" fn log2_f32(x: f32) -> f32 {
    x.log2()
}
extern "C" fn log2_f64(x: f64) -> f64 {
    x.log2()
}
extern "C" fn sin_f32(x: f32) -> f32 {
    x.sin()
}
extern "C" fn sin_f64(x: f64) -> f64 {
    x.sin()
}
extern "C" fn cos_f32(x: f32) -> f32 {
    x.cos()
}
extern "C" fn cos_f64(x: f64) -> f64 {
    x.cos()
}
extern "C" fn erf_f32(x: f32) -> f32 {
    libm::erff(x)
}
extern "C" fn erf_f64(x: f64) -> f64 {
    libm::erf(x)
}
extern "C" fn fma_f32(a: f32, b: f32, c: f32) -> f32 {
    a.mul_add(b, c)
}
extern "C" fn fma_f64(a: f64, b: f64, c: f64) -> f64 {
    a.mul_add(b, c)
}
extern "C" fn floor_f32(x: f32) -> f32 {
    x.floor()
}
extern "C" fn floor_f64(x: f64) -> f64 {
    x.floor()
}
extern "C" fn ceil_f32(x: f32) -> f32 {
    x.ceil()
}
extern "C" fn ceil_f64(x: f64) -> f64 {
    x.ceil()
}

/// `a * b + c` for half-precision values, to `f64` with one rounding to
/// odd, then to the half format: the single correct rounding (the product
/// of two 11-bit significands is exact in `f64`).
fn fma_half_f64(a: f32, b: f32, c: f32) -> f64 {
    let (p, c) = (f64::from(a) * f64::from(b), f64::from(c));
    let s = p + c;
    if !s.is_finite() {
        return s;
    }
    let pp = s - c;
    let e = (p - pp) + (c - (s - pp));
    if e == 0.0 {
        return s;
    }
    let mut bits = s.to_bits();
    if (e < 0.0) != (s < 0.0) {
        bits -= 1;
    }
    f64::from_bits(bits | 1)
}
extern "C" fn fma_f16(a: f32, b: f32, c: f32) -> f32 {
    half::f16::from_f32(super::half::round_odd_f32(fma_half_f64(a, b, c))).to_f32()
}
extern "C" fn fma_bf16(a: f32, b: f32, c: f32) -> f32 {
    half::bf16::from_f32(super::half::round_odd_f32(fma_half_f64(a, b, c))).to_f32()
}

impl Libcall {
    pub const MATH: [Libcall; 24] = [
        Libcall::ExpF32,
        Libcall::ExpF64,
        Libcall::LogF32,
        Libcall::LogF64,
        Libcall::RemF32,
        Libcall::RemF64,
        Libcall::Exp2F32,
        Libcall::Exp2F64,
        Libcall::Log2F32,
        Libcall::Log2F64,
        Libcall::SinF32,
        Libcall::SinF64,
        Libcall::CosF32,
        Libcall::CosF64,
        Libcall::ErfF32,
        Libcall::ErfF64,
        Libcall::FmaF32,
        Libcall::FmaF64,
        Libcall::FloorF32,
        Libcall::FloorF64,
        Libcall::CeilF32,
        Libcall::CeilF64,
        Libcall::FmaF16,
        Libcall::FmaBF16,
    ];

    /// The `f32` or `f64` variant of a unary math function.
    pub fn unary(opcode: persim_lang::ir::Opcode, f64_: bool) -> Option<Libcall> {
        use persim_lang::ir::Opcode::*;
        Some(match (opcode, f64_) {
            (Exp, false) => Libcall::ExpF32,
            (Exp, true) => Libcall::ExpF64,
            (Log, false) => Libcall::LogF32,
            (Log, true) => Libcall::LogF64,
            (Exp2, false) => Libcall::Exp2F32,
            (Exp2, true) => Libcall::Exp2F64,
            (Log2, false) => Libcall::Log2F32,
            (Log2, true) => Libcall::Log2F64,
            (Sin, false) => Libcall::SinF32,
            (Sin, true) => Libcall::SinF64,
            (Cos, false) => Libcall::CosF32,
            (Cos, true) => Libcall::CosF64,
            (Erf, false) => Libcall::ErfF32,
            (Erf, true) => Libcall::ErfF64,
            (Floor, false) => Libcall::FloorF32,
            (Floor, true) => Libcall::FloorF64,
            (Ceil, false) => Libcall::CeilF32,
            (Ceil, true) => Libcall::CeilF64,
            _ => return None,
        })
    }

    /// The JIT symbol name; prefixed so it can never resolve to a libc symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Libcall::ExpF32 => "persim_exp_f32",
            Libcall::ExpF64 => "persim_exp_f64",
            Libcall::LogF32 => "persim_log_f32",
            Libcall::LogF64 => "persim_log_f64",
            Libcall::RemF32 => "persim_rem_f32",
            Libcall::RemF64 => "persim_rem_f64",
            Libcall::Exp2F32 => "persim_exp2_f32",
            Libcall::Exp2F64 => "persim_exp2_f64",
            Libcall::Log2F32 => "persim_log2_f32",
            Libcall::Log2F64 => "persim_log2_f64",
            Libcall::SinF32 => "persim_sin_f32",
            Libcall::SinF64 => "persim_sin_f64",
            Libcall::CosF32 => "persim_cos_f32",
            Libcall::CosF64 => "persim_cos_f64",
            Libcall::ErfF32 => "persim_erf_f32",
            Libcall::ErfF64 => "persim_erf_f64",
            Libcall::FmaF32 => "persim_fma_f32",
            Libcall::FmaF64 => "persim_fma_f64",
            Libcall::FloorF32 => "persim_floor_f32",
            Libcall::FloorF64 => "persim_floor_f64",
            Libcall::CeilF32 => "persim_ceil_f32",
            Libcall::CeilF64 => "persim_ceil_f64",
            Libcall::FmaF16 => "persim_fma_f16",
            Libcall::FmaBF16 => "persim_fma_bf16",
            Libcall::CheckAccess => "persim_check_access",
            Libcall::AssertFail => "persim_assert_fail",
            Libcall::Print => "persim_print",
        }
    }

    /// Address of a math function; `CheckAccess`, `AssertFail` and `Print`
    /// come from the runtime.
    pub fn math_address(self) -> Option<*const u8> {
        type F1 = extern "C" fn(f32) -> f32;
        type D1 = extern "C" fn(f64) -> f64;
        type F3 = extern "C" fn(f32, f32, f32) -> f32;
        type D3 = extern "C" fn(f64, f64, f64) -> f64;
        let p = match self {
            Libcall::ExpF32 => exp_f32 as extern "C" fn(f32) -> f32 as *const u8,
            Libcall::ExpF64 => exp_f64 as extern "C" fn(f64) -> f64 as *const u8,
            Libcall::LogF32 => log_f32 as extern "C" fn(f32) -> f32 as *const u8,
            Libcall::LogF64 => log_f64 as extern "C" fn(f64) -> f64 as *const u8,
            Libcall::RemF32 => rem_f32 as extern "C" fn(f32, f32) -> f32 as *const u8,
            Libcall::RemF64 => rem_f64 as extern "C" fn(f64, f64) -> f64 as *const u8,
            Libcall::Exp2F32 => exp2_f32 as F1 as *const u8,
            Libcall::Exp2F64 => exp2_f64 as D1 as *const u8,
            Libcall::Log2F32 => log2_f32 as F1 as *const u8,
            Libcall::Log2F64 => log2_f64 as D1 as *const u8,
            Libcall::SinF32 => sin_f32 as F1 as *const u8,
            Libcall::SinF64 => sin_f64 as D1 as *const u8,
            Libcall::CosF32 => cos_f32 as F1 as *const u8,
            Libcall::CosF64 => cos_f64 as D1 as *const u8,
            Libcall::ErfF32 => erf_f32 as F1 as *const u8,
            Libcall::ErfF64 => erf_f64 as D1 as *const u8,
            Libcall::FmaF32 => fma_f32 as F3 as *const u8,
            Libcall::FmaF64 => fma_f64 as D3 as *const u8,
            Libcall::FloorF32 => floor_f32 as F1 as *const u8,
            Libcall::FloorF64 => floor_f64 as D1 as *const u8,
            Libcall::CeilF32 => ceil_f32 as F1 as *const u8,
            Libcall::CeilF64 => ceil_f64 as D1 as *const u8,
            Libcall::FmaF16 => fma_f16 as F3 as *const u8,
            Libcall::FmaBF16 => fma_bf16 as F3 as *const u8,
            Libcall::CheckAccess | Libcall::AssertFail | Libcall::Print => return None,
        };
        Some(p)
    }

    pub fn signature(self, call_conv: CallConv) -> Signature {
        let mut sig = Signature::new(call_conv);
        use Libcall::*;
        let (params, ret): (&[Type], Option<Type>) = match self {
            ExpF32 | LogF32 | Exp2F32 | Log2F32 | SinF32 | CosF32 | ErfF32 | FloorF32 | CeilF32 => {
                (&[types::F32], Some(types::F32))
            }
            ExpF64 | LogF64 | Exp2F64 | Log2F64 | SinF64 | CosF64 | ErfF64 | FloorF64 | CeilF64 => {
                (&[types::F64], Some(types::F64))
            }
            RemF32 => (&[types::F32, types::F32], Some(types::F32)),
            RemF64 => (&[types::F64, types::F64], Some(types::F64)),
            FmaF32 | FmaF16 | FmaBF16 => (&[types::F32, types::F32, types::F32], Some(types::F32)),
            FmaF64 => (&[types::F64, types::F64, types::F64], Some(types::F64)),
            // (ctx, site)
            AssertFail => (&[types::I64, types::I32], None),
            // (ctx, site, value bits, index array, rank)
            Print => (
                &[types::I64, types::I32, types::I64, types::I64, types::I32],
                None,
            ),
            // (state, addr, bytes, arg, site, is_store) -> abort
            Libcall::CheckAccess => (
                &[
                    types::I64,
                    types::I64,
                    types::I32,
                    types::I32,
                    types::I32,
                    types::I32,
                ],
                Some(types::I32),
            ),
        };
        sig.params.extend(params.iter().map(|&t| AbiParam::new(t)));
        sig.returns.extend(ret.map(AbiParam::new));
        sig
    }
}
