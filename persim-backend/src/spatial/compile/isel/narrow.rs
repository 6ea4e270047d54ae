//! Narrow element types: 8- and 16-bit integers, `f16` and `bf16`.
//!
//! The PE's registers are 32 bits wide, so a narrow value lives in a whole
//! register (or vector lane) in *canonical* form: a signed integer
//! sign-extended, an unsigned one zero-extended, an `f16`/`bf16` as the f32
//! of that exact value. Instructions then work on them as on `i32`/`f32`,
//! and an op whose 32-bit result may leave the narrow type's value set is
//! followed by [`Isel::canonical`]: integer results are wrapped
//! (sign- or zero-extended from their width), float results rounded to the
//! narrow format (`vround.f16`, `f2h`+`h2f`). Rounding an f32 result of
//! `+ - * /` or `sqrt` to f16/bf16 is the correctly rounded narrow result,
//! since f32 carries more than twice their precision plus two bits.
//!
//! In memory, local buffers and global memory alike, narrow elements take
//! their own size (1 or 2 bytes), so block copies move them as bytes; the
//! widening loads (`vld.i8`, `lh`, `vld.f16`, …) and narrowing stores
//! (`vst.u8`, `sh`, `vst.f16`, …) convert at the register boundary.

use persim_lang::ir::{Dtype, Elem};

use super::super::vcode::{VArg, VReg};
use super::Isel;
use crate::spatial::isa::{Opcode, RegClass};

/// A narrow element type and how its registers hold it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Narrow {
    /// An integer of `bits` (8 or 16), sign- or zero-extended.
    Int {
        bits: u32,
        signed: bool,
    },
    F16,
    Bf16,
}

/// The narrow type of an element, if it is one.
pub(super) fn narrow(elem: Elem) -> Option<Narrow> {
    match elem {
        Elem::Val(Dtype::I8) => Some(Narrow::Int {
            bits: 8,
            signed: true,
        }),
        Elem::Val(Dtype::U8) => Some(Narrow::Int {
            bits: 8,
            signed: false,
        }),
        Elem::Val(Dtype::I16) => Some(Narrow::Int {
            bits: 16,
            signed: true,
        }),
        Elem::Val(Dtype::U16) => Some(Narrow::Int {
            bits: 16,
            signed: false,
        }),
        Elem::Val(Dtype::F16) => Some(Narrow::F16),
        Elem::Val(Dtype::BF16) => Some(Narrow::Bf16),
        _ => None,
    }
}

/// The load that widens an element of `d` from SRAM into a vector lane
/// (`None`: a plain 32-bit `vld`).
pub(super) fn vector_load(d: Dtype) -> Option<Opcode> {
    Some(match d {
        Dtype::I8 => Opcode::VldI8,
        Dtype::U8 | Dtype::I1 => Opcode::VldU8,
        Dtype::I16 => Opcode::VldI16,
        Dtype::U16 => Opcode::VldU16,
        Dtype::F16 => Opcode::VldF16,
        Dtype::BF16 => Opcode::VldBf16,
        _ => return None,
    })
}

/// The store that narrows vector lanes into elements of `d` in SRAM.
pub(super) fn vector_store(d: Dtype) -> Option<Opcode> {
    Some(match d {
        Dtype::I8 | Dtype::U8 | Dtype::I1 => Opcode::VstU8,
        Dtype::I16 | Dtype::U16 => Opcode::VstU16,
        Dtype::F16 => Opcode::VstF16,
        Dtype::BF16 => Opcode::VstBf16,
        _ => return None,
    })
}

impl Isel<'_> {
    /// `r` brought back into the value set of `elem` (no-op for 32-bit
    /// types): see the module documentation.
    pub(super) fn canonical(&mut self, r: VReg, elem: Elem, vector: bool) -> VReg {
        let Some(n) = narrow(elem) else {
            return r;
        };
        match (n, vector) {
            (Narrow::Int { bits, signed: true }, false) => {
                let up = self.op1(
                    Opcode::Shli,
                    RegClass::Scalar,
                    &[VArg::Reg(r), VArg::Imm(32 - bits as i32)],
                );
                self.op1(
                    Opcode::Srai,
                    RegClass::Scalar,
                    &[VArg::Reg(up), VArg::Imm(32 - bits as i32)],
                )
            }
            (Narrow::Int { bits, signed: true }, true) => {
                let s = self.splat_imm(32 - bits as i32);
                let up = self.op1(
                    Opcode::Vshl,
                    RegClass::Vector,
                    &[VArg::Reg(r), VArg::Reg(s)],
                );
                self.op1(
                    Opcode::Vsra,
                    RegClass::Vector,
                    &[VArg::Reg(up), VArg::Reg(s)],
                )
            }
            (
                Narrow::Int {
                    bits,
                    signed: false,
                },
                false,
            ) => self.op1(
                Opcode::Andi,
                RegClass::Scalar,
                &[VArg::Reg(r), VArg::Imm((1 << bits) - 1)],
            ),
            (
                Narrow::Int {
                    bits,
                    signed: false,
                },
                true,
            ) => {
                let m = self.splat_imm((1 << bits) - 1);
                self.op1(
                    Opcode::Vand,
                    RegClass::Vector,
                    &[VArg::Reg(r), VArg::Reg(m)],
                )
            }
            (Narrow::F16, true) => self.op1(Opcode::VrndF16, RegClass::Vector, &[VArg::Reg(r)]),
            (Narrow::Bf16, true) => self.op1(Opcode::VrndBf16, RegClass::Vector, &[VArg::Reg(r)]),
            (Narrow::F16 | Narrow::Bf16, false) => {
                let (to, back) = if n == Narrow::F16 {
                    (Opcode::F2h, Opcode::H2f)
                } else {
                    (Opcode::F2bf, Opcode::Bf2f)
                };
                let bits = self.op1(to, RegClass::Scalar, &[VArg::Reg(r)]);
                self.op1(back, RegClass::Scalar, &[VArg::Reg(bits)])
            }
        }
    }

    /// A shift amount reduced modulo the width of `elem`, as the IR defines
    /// shifts (the ISA reduces modulo 32, which is right for 32-bit types).
    pub(super) fn shift_amount(&mut self, amount: VReg, elem: Elem, vector: bool) -> VReg {
        let Some(Narrow::Int { bits, .. }) = narrow(elem) else {
            return amount;
        };
        if vector {
            let m = self.splat_imm(bits as i32 - 1);
            self.op1(
                Opcode::Vand,
                RegClass::Vector,
                &[VArg::Reg(amount), VArg::Reg(m)],
            )
        } else {
            self.op1(
                Opcode::Andi,
                RegClass::Scalar,
                &[VArg::Reg(amount), VArg::Imm(bits as i32 - 1)],
            )
        }
    }

    /// An `i32` clamped into the range of the narrow integer `elem`: float
    /// to integer conversions saturate at the target type's bounds.
    pub(super) fn saturate(&mut self, r: VReg, elem: Elem, vector: bool) -> VReg {
        let Some(Narrow::Int { bits, signed }) = narrow(elem) else {
            return r;
        };
        let (lo, hi) = if signed {
            (-(1i32 << (bits - 1)), (1i32 << (bits - 1)) - 1)
        } else {
            (0, (1i32 << bits) - 1)
        };
        if vector {
            let l = self.splat_imm(lo);
            let h = self.splat_imm(hi);
            let up = self.op1(
                Opcode::VmaxI,
                RegClass::Vector,
                &[VArg::Reg(r), VArg::Reg(l)],
            );
            self.op1(
                Opcode::VminI,
                RegClass::Vector,
                &[VArg::Reg(up), VArg::Reg(h)],
            )
        } else {
            let l = self.li(lo);
            let h = self.li(hi);
            let below = self.op1(Opcode::Slt, RegClass::Scalar, &[VArg::Reg(r), VArg::Reg(l)]);
            let up = self.scalar_select(below, l, r);
            let above = self.op1(
                Opcode::Slt,
                RegClass::Scalar,
                &[VArg::Reg(h), VArg::Reg(up)],
            );
            self.scalar_select(above, h, up)
        }
    }

    /// The 32-bit register of a narrow scalar read from SRAM at `at`:
    /// loaded and widened (`lb`, `lhu` + `h2f`, …); `None` for 32-bit types.
    pub(super) fn scalar_narrow_load(&mut self, d: Dtype, at: VArg) -> Option<VReg> {
        let (load, convert) = match d {
            Dtype::I8 => (Opcode::Lb, None),
            Dtype::U8 => (Opcode::Lbu, None),
            Dtype::I16 => (Opcode::Lh, None),
            Dtype::U16 => (Opcode::Lhu, None),
            Dtype::F16 => (Opcode::Lhu, Some(Opcode::H2f)),
            Dtype::BF16 => (Opcode::Lhu, Some(Opcode::Bf2f)),
            _ => return None,
        };
        let r = self.op1(load, RegClass::Scalar, &[at]);
        Some(match convert {
            Some(c) => self.op1(c, RegClass::Scalar, &[VArg::Reg(r)]),
            None => r,
        })
    }

    /// Stores a narrow scalar `v` to SRAM at `at` (`sb`, `f2h` + `sh`, …);
    /// false (nothing emitted) for 32-bit types.
    pub(super) fn scalar_narrow_store(&mut self, d: Dtype, v: VReg, at: VArg) -> bool {
        let (store, convert) = match d {
            Dtype::I8 | Dtype::U8 => (Opcode::Sb, None),
            Dtype::I16 | Dtype::U16 => (Opcode::Sh, None),
            Dtype::F16 => (Opcode::Sh, Some(Opcode::F2h)),
            Dtype::BF16 => (Opcode::Sh, Some(Opcode::F2bf)),
            _ => return false,
        };
        let v = match convert {
            Some(c) => self.op1(c, RegClass::Scalar, &[VArg::Reg(v)]),
            None => v,
        };
        self.emit_args(store, &[VArg::Reg(v), at]);
        true
    }
}
