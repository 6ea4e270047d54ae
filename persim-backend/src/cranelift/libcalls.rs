//! Host functions JIT code calls: math without a Cranelift instruction
//! (`exp`, `log`, float remainder) and the checked-mode access check.
//!
//! The math functions are Rust's own (`f32::exp`, `f64::ln`, `%`), so a
//! kernel gives the same numbers as a plain-Rust reference on this host. They
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
    CheckAccess,
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

impl Libcall {
    pub const MATH: [Libcall; 6] = [
        Libcall::ExpF32,
        Libcall::ExpF64,
        Libcall::LogF32,
        Libcall::LogF64,
        Libcall::RemF32,
        Libcall::RemF64,
    ];

    /// The JIT symbol name; prefixed so it can never resolve to a libc symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Libcall::ExpF32 => "persim_exp_f32",
            Libcall::ExpF64 => "persim_exp_f64",
            Libcall::LogF32 => "persim_log_f32",
            Libcall::LogF64 => "persim_log_f64",
            Libcall::RemF32 => "persim_rem_f32",
            Libcall::RemF64 => "persim_rem_f64",
            Libcall::CheckAccess => "persim_check_access",
        }
    }

    /// Address of a math function; `CheckAccess` comes from the runtime.
    pub fn math_address(self) -> Option<*const u8> {
        let p = match self {
            Libcall::ExpF32 => exp_f32 as extern "C" fn(f32) -> f32 as *const u8,
            Libcall::ExpF64 => exp_f64 as extern "C" fn(f64) -> f64 as *const u8,
            Libcall::LogF32 => log_f32 as extern "C" fn(f32) -> f32 as *const u8,
            Libcall::LogF64 => log_f64 as extern "C" fn(f64) -> f64 as *const u8,
            Libcall::RemF32 => rem_f32 as extern "C" fn(f32, f32) -> f32 as *const u8,
            Libcall::RemF64 => rem_f64 as extern "C" fn(f64, f64) -> f64 as *const u8,
            Libcall::CheckAccess => return None,
        };
        Some(p)
    }

    pub fn signature(self, call_conv: CallConv) -> Signature {
        let mut sig = Signature::new(call_conv);
        let (params, ret): (&[Type], Type) = match self {
            Libcall::ExpF32 | Libcall::LogF32 => (&[types::F32], types::F32),
            Libcall::ExpF64 | Libcall::LogF64 => (&[types::F64], types::F64),
            Libcall::RemF32 => (&[types::F32, types::F32], types::F32),
            Libcall::RemF64 => (&[types::F64, types::F64], types::F64),
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
                types::I32,
            ),
        };
        sig.params.extend(params.iter().map(|&t| AbiParam::new(t)));
        sig.returns.push(AbiParam::new(ret));
        sig
    }
}
