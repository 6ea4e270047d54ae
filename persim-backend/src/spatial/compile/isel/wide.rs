//! 64-bit element types: `i64`, `u64` and `f64`.
//!
//! A PE's vector lanes are 64 bits wide; the 32-bit instructions use a
//! lane's low half and clear its high half, so a 32-bit value's lane always
//! reads as its zero-extension. A `[lanes]` vector of a 64-bit type is one
//! vector register, operated on by the `.i64`/`.u64`/`.f64` instructions.
//! Scalar registers stay 32 bits, so a 64-bit *scalar* lives in a vector
//! register too, as a splat (every lane equal), as x86 keeps a `double` in
//! an XMM register: broadcasting it to a tile is free, and a scalar op is
//! the vector op. Where a 64-bit scalar meets the scalar unit, `vext`
//! takes its low half (truncation, addresses) and `mext` a compare's lane
//! 0 (branch conditions).
//!
//! Conversions follow the IR's `cast`: integers wrap, signedness of the
//! source decides sign- or zero-extension, float to integer rounds toward
//! zero and saturates at the target type's bounds (NaN gives 0).

use persim_lang::ir::{Attr, CmpPred, Dtype, Elem, Op, Opcode as IrOp, ReduceKind};

use super::super::error::CResult;
use super::super::vcode::{VArg, VReg};
use super::Isel;
use crate::spatial::isa::{Opcode, RegClass};

/// Whether an element type takes 64 bits.
pub(super) fn is_wide(elem: Elem) -> bool {
    matches!(elem, Elem::Val(Dtype::I64 | Dtype::U64 | Dtype::F64))
}

/// What a value holds, for choosing instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Int { signed: bool },
    Float,
    Bool,
}

fn kind(elem: Elem) -> Kind {
    match elem {
        Elem::Ptr(_) => Kind::Int { signed: false },
        Elem::Val(Dtype::F64 | Dtype::F32 | Dtype::F16 | Dtype::BF16) => Kind::Float,
        Elem::Val(Dtype::I1) => Kind::Bool,
        Elem::Val(d) => Kind::Int {
            signed: d.is_signed_int(),
        },
    }
}

/// The `f64` instruction of a one-operand float op.
fn special(ir: IrOp) -> Option<Opcode> {
    Some(match ir {
        IrOp::Exp => Opcode::VexpD,
        IrOp::Log => Opcode::VlogD,
        IrOp::Sqrt => Opcode::VsqrtD,
        IrOp::Exp2 => Opcode::Vexp2D,
        IrOp::Log2 => Opcode::Vlog2D,
        IrOp::Rsqrt => Opcode::VrsqrtD,
        IrOp::Erf => Opcode::VerfD,
        IrOp::Sin => Opcode::VsinD,
        IrOp::Cos => Opcode::VcosD,
        IrOp::Floor => Opcode::VfloorD,
        IrOp::Ceil => Opcode::VceilD,
        _ => return None,
    })
}

/// The inclusive range of an integer type of at most 32 bits.
fn int_range(d: Dtype) -> (i64, i64) {
    let bits = 8 * d.size_bytes();
    if d.is_signed_int() {
        (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1)
    } else {
        (0, (1i64 << bits) - 1)
    }
}

impl Isel<'_> {
    /// Whether `op` reads or makes a 64-bit value (then [`Isel::wide_arith`]
    /// selects it).
    pub(super) fn touches_wide(&self, op: Op) -> bool {
        let d = self.f.op(op);
        d.results
            .iter()
            .chain(&d.operands)
            .any(|&v| !self.f.ty(v).is_buf() && is_wide(self.f.ty(v).elem()))
    }

    /// A vector with every lane the 64-bit `bits`.
    pub(super) fn splat64(&mut self, bits: u64) -> VReg {
        let (lo, hi) = (bits as u32 as i32, (bits >> 32) as u32 as i32);
        if hi == 0 {
            // `vsplat` zero-extends.
            return self.splat_imm(lo);
        }
        let half = |s: &mut Self, x: i32| match x {
            0 => VArg::Zero(RegClass::Scalar),
            _ => VArg::Reg(s.li(x)),
        };
        let (l, h) = (half(self, lo), half(self, hi));
        self.op1(Opcode::Vsplat64, RegClass::Vector, &[l, h])
    }

    fn v2(&mut self, opcode: Opcode, a: VReg, b: VReg) -> VReg {
        self.op1(opcode, RegClass::Vector, &[VArg::Reg(a), VArg::Reg(b)])
    }

    fn v1(&mut self, opcode: Opcode, a: VReg) -> VReg {
        self.op1(opcode, RegClass::Vector, &[VArg::Reg(a)])
    }

    /// A mask's lane 0 as a 0/1 scalar (the condition of a scalar compare).
    fn lane0_of_mask(&mut self, m: VReg) -> VReg {
        self.op1(
            Opcode::Mext,
            RegClass::Scalar,
            &[VArg::Reg(m), VArg::Lane(0)],
        )
    }

    /// A value's low 32 bits as a scalar (lane 0 of the splat).
    fn low_half(&mut self, v: VReg) -> VReg {
        self.op1(
            Opcode::Vext,
            RegClass::Scalar,
            &[VArg::Reg(v), VArg::Lane(0)],
        )
    }

    /// Selects an op with a 64-bit operand or result.
    pub(super) fn wide_arith(&mut self, op: Op) -> CResult<()> {
        let data = self.f.op(op).clone();
        let Some(&result) = data.results.first() else {
            return Err(self.unsupported(op, "no instruction selection for this op"));
        };
        let rty = self.f.ty(result).clone();
        self.class_of(&rty)?;
        let vector = rty.rank() == 1;
        let operands: Vec<VReg> = match data.opcode {
            IrOp::Const => Vec::new(),
            _ => data
                .operands
                .iter()
                .map(|&v| self.reg(v))
                .collect::<CResult<_>>()?,
        };
        let in_elem = data
            .operands
            .first()
            .map_or(rty.elem(), |&v| self.f.ty(v).elem());
        let k = kind(in_elem);
        let r = match data.opcode {
            IrOp::Const => {
                let bits = match data.attrs.get("value") {
                    Some(Attr::Int(i)) => *i as u64,
                    Some(Attr::Float(x)) => x.to_bits(),
                    Some(Attr::Bool(b)) => u64::from(*b),
                    other => return Err(self.err(format!("bad `const` value {other:?}"))),
                };
                self.splat64(bits)
            }
            // A 64-bit scalar is already a splat.
            IrOp::Splat | IrOp::MultipleOf | IrOp::MaxContiguous => operands[0],
            IrOp::Cast => self.wide_cast(operands[0], in_elem, rty.elem(), vector)?,
            IrOp::PtrAdd => {
                // Addresses are 32 bits: the offset's low half.
                let off = match self.code.class(operands[0]) {
                    RegClass::Scalar => self.low_half(operands[1]),
                    _ => operands[1],
                };
                let size = rty.elem().pointee().map_or(1, |d| d.size_bytes());
                let off = self.scale(off, size, vector);
                self.int_binary(IrOp::Add, operands[0], off, vector, true)
            }
            IrOp::Add
            | IrOp::Sub
            | IrOp::Mul
            | IrOp::Div
            | IrOp::Rem
            | IrOp::Maximum
            | IrOp::Minimum
            | IrOp::And
            | IrOp::Or
            | IrOp::Xor
            | IrOp::Shl
            | IrOp::Shr => self.wide_binary(op, data.opcode, k, operands[0], operands[1])?,
            IrOp::Cmp => {
                let pred = match data.attrs.get("pred") {
                    Some(Attr::Pred(p)) => *p,
                    _ => return Err(self.err("`cmp` without a predicate")),
                };
                let m = self.wide_compare(pred, operands[0], operands[1], k);
                if vector {
                    m
                } else {
                    self.lane0_of_mask(m)
                }
            }
            IrOp::Select => self.select(
                operands[0],
                operands[1],
                operands[2],
                RegClass::Vector,
                vector,
            ),
            IrOp::Neg => match k {
                Kind::Float => self.v1(Opcode::VnegD, operands[0]),
                _ => {
                    let z = self.splat_imm(0);
                    self.v2(Opcode::VsubL, z, operands[0])
                }
            },
            IrOp::Not => {
                let ones = self.splat64(u64::MAX);
                self.v2(Opcode::Vxor, operands[0], ones)
            }
            IrOp::Abs => match k {
                Kind::Float => self.v1(Opcode::VabsD, operands[0]),
                Kind::Int { signed: true } => {
                    let z = self.splat_imm(0);
                    let n = self.v2(Opcode::VsubL, z, operands[0]);
                    self.v2(Opcode::VmaxL, operands[0], n)
                }
                _ => operands[0],
            },
            ir if special(ir).is_some() => match special(ir).filter(|_| k == Kind::Float) {
                Some(opcode) => self.v1(opcode, operands[0]),
                None => return Err(self.unsupported(op, "only floats have this instruction")),
            },
            IrOp::Fma if k == Kind::Float => {
                let r = self.code.new_vreg(RegClass::Vector);
                self.emit_args(
                    Opcode::VfmaD,
                    &[
                        VArg::Tied {
                            def: r,
                            src: operands[2],
                        },
                        VArg::Reg(operands[0]),
                        VArg::Reg(operands[1]),
                    ],
                );
                r
            }
            IrOp::Umulhi if matches!(k, Kind::Int { .. }) => {
                self.v2(Opcode::VmulhUL, operands[0], operands[1])
            }
            IrOp::Reduce => self.wide_reduce(op, operands[0], k)?,
            _ => return Err(self.unsupported(op, "no 64-bit instruction selection for this op")),
        };
        self.bind(result, r);
        Ok(())
    }

    fn wide_binary(&mut self, op: Op, ir: IrOp, k: Kind, a: VReg, b: VReg) -> CResult<VReg> {
        let signed = k == Kind::Int { signed: true };
        let opcode = match (k, ir) {
            (Kind::Float, IrOp::Add) => Opcode::VaddD,
            (Kind::Float, IrOp::Sub) => Opcode::VsubD,
            (Kind::Float, IrOp::Mul) => Opcode::VmulD,
            (Kind::Float, IrOp::Div) => Opcode::VdivD,
            (Kind::Float, IrOp::Rem) => Opcode::VremD,
            (Kind::Float, IrOp::Maximum | IrOp::Minimum) => {
                let o = match ir {
                    IrOp::Maximum => Opcode::VmaxD,
                    _ => Opcode::VminD,
                };
                // NaN propagation: if a is NaN take a, else if b is NaN take b.
                let r = self.v2(o, a, b);
                let a_ok = self.op1(
                    Opcode::VcmpeqD,
                    RegClass::Mask,
                    &[VArg::Reg(a), VArg::Reg(a)],
                );
                let b_ok = self.op1(
                    Opcode::VcmpeqD,
                    RegClass::Mask,
                    &[VArg::Reg(b), VArg::Reg(b)],
                );
                let t = self.op1(
                    Opcode::Vsel,
                    RegClass::Vector,
                    &[VArg::Reg(b_ok), VArg::Reg(r), VArg::Reg(b)],
                );
                return Ok(self.op1(
                    Opcode::Vsel,
                    RegClass::Vector,
                    &[VArg::Reg(a_ok), VArg::Reg(t), VArg::Reg(a)],
                ));
            }
            (Kind::Float, _) => return Err(self.unsupported(op, "no such f64 instruction")),
            (_, IrOp::Add) => Opcode::VaddL,
            (_, IrOp::Sub) => Opcode::VsubL,
            (_, IrOp::Mul) => Opcode::VmulL,
            (_, IrOp::Div) if signed => Opcode::VdivL,
            (_, IrOp::Div) => Opcode::VdivUL,
            (_, IrOp::Rem) if signed => Opcode::VremL,
            (_, IrOp::Rem) => Opcode::VremUL,
            (_, IrOp::Maximum) if signed => Opcode::VmaxL,
            (_, IrOp::Maximum) => Opcode::VmaxUL,
            (_, IrOp::Minimum) if signed => Opcode::VminL,
            (_, IrOp::Minimum) => Opcode::VminUL,
            (_, IrOp::And) => Opcode::Vand,
            (_, IrOp::Or) => Opcode::Vor,
            (_, IrOp::Xor) => Opcode::Vxor,
            (_, IrOp::Shl) => Opcode::VshlL,
            (_, IrOp::Shr) if signed => Opcode::VsraL,
            (_, IrOp::Shr) => Opcode::VshrL,
            _ => return Err(self.unsupported(op, "no such 64-bit instruction")),
        };
        Ok(self.v2(opcode, a, b))
    }

    /// A 64-bit compare into a mask (lt / le / eq, operands swapped for gt
    /// / ge, `ne` as `!eq`).
    fn wide_compare(&mut self, pred: CmpPred, a: VReg, b: VReg, k: Kind) -> VReg {
        let (base, x, y, negate) = match pred {
            CmpPred::Lt => (0, a, b, false),
            CmpPred::Le => (1, a, b, false),
            CmpPred::Gt => (0, b, a, false),
            CmpPred::Ge => (1, b, a, false),
            CmpPred::Eq => (2, a, b, false),
            CmpPred::Ne => (2, a, b, true),
        };
        let ops = match k {
            Kind::Float => [Opcode::VcmpltD, Opcode::VcmpleD, Opcode::VcmpeqD],
            Kind::Int { signed: false } => [Opcode::VcmpltUL, Opcode::VcmpleUL, Opcode::VcmpeqL],
            _ => [Opcode::VcmpltL, Opcode::VcmpleL, Opcode::VcmpeqL],
        };
        let m = self.op1(ops[base], RegClass::Mask, &[VArg::Reg(x), VArg::Reg(y)]);
        if negate {
            self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(m)])
        } else {
            m
        }
    }

    /// `x != 0` of a 64-bit value, as a mask.
    fn wide_nonzero(&mut self, x: VReg, k: Kind) -> VReg {
        let z = self.splat_imm(0);
        let eq = match k {
            Kind::Float => Opcode::VcmpeqD,
            _ => Opcode::VcmpeqL,
        };
        let m = self.op1(eq, RegClass::Mask, &[VArg::Reg(x), VArg::Reg(z)]);
        self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(m)])
    }

    fn wide_cast(&mut self, x: VReg, from: Elem, to: Elem, vector: bool) -> CResult<VReg> {
        let (fk, tk) = (kind(from), kind(to));
        let signed_from = fk == Kind::Int { signed: true };
        if is_wide(from) && is_wide(to) {
            return Ok(match (fk, tk) {
                (Kind::Float, Kind::Float) => x,
                (Kind::Float, Kind::Int { signed }) => self.v1(
                    if signed {
                        Opcode::CvtLD
                    } else {
                        Opcode::CvtULD
                    },
                    x,
                ),
                (Kind::Int { signed }, Kind::Float) => self.v1(
                    if signed {
                        Opcode::CvtDL
                    } else {
                        Opcode::CvtDUL
                    },
                    x,
                ),
                _ => x,
            });
        }
        if is_wide(to) {
            // From a 32-bit (or narrower) value: into 64-bit lanes first.
            let v = match fk {
                Kind::Bool if vector => {
                    let (one, zero) = (self.splat_imm(1), self.splat_imm(0));
                    self.op1(
                        Opcode::Vsel,
                        RegClass::Vector,
                        &[VArg::Reg(x), VArg::Reg(one), VArg::Reg(zero)],
                    )
                }
                _ => self.vector_of(x, vector),
            };
            return Ok(match (fk, tk) {
                (Kind::Float, Kind::Float) => self.v1(Opcode::CvtDF, v),
                (Kind::Float, Kind::Int { signed }) => self.v1(
                    if signed {
                        Opcode::CvtLF
                    } else {
                        Opcode::CvtULF
                    },
                    v,
                ),
                (_, tk) => {
                    // Narrow integers are canonical (sign- or zero-extended
                    // to 32 bits); the source's signedness extends on.
                    let wide = if signed_from {
                        self.v1(Opcode::VsextW, v)
                    } else {
                        v
                    };
                    match tk {
                        Kind::Float => self.v1(Opcode::CvtDL, wide),
                        _ => wide,
                    }
                }
            });
        }
        // From 64 bits to a 32-bit (or narrower) type.
        if tk == Kind::Bool {
            let m = self.wide_nonzero(x, fk);
            return Ok(if vector { m } else { self.lane0_of_mask(m) });
        }
        let v = match (fk, tk) {
            (Kind::Float, Kind::Float) => self.v1(Opcode::CvtFD, x),
            (Kind::Int { signed }, Kind::Float) => self.v1(
                if signed {
                    Opcode::CvtFL
                } else {
                    Opcode::CvtFUL
                },
                x,
            ),
            (Kind::Float, _) => {
                // Toward zero in 64 bits, then saturated to the target's range.
                let i = self.v1(Opcode::CvtLD, x);
                let (lo, hi) = match to {
                    Elem::Val(d) => int_range(d),
                    Elem::Ptr(_) => (0, i64::from(u32::MAX)),
                };
                let (l, h) = (self.splat64(lo as u64), self.splat64(hi as u64));
                let up = self.v2(Opcode::VmaxL, i, l);
                let clamped = self.v2(Opcode::VminL, up, h);
                self.v1(Opcode::VzextW, clamped)
            }
            _ => self.v1(Opcode::VzextW, x),
        };
        let r = self.lane0_unless(v, vector);
        Ok(self.canonical(r, to, vector))
    }

    fn wide_reduce(&mut self, op: Op, v: VReg, k: Kind) -> CResult<VReg> {
        let rk = match self.f.op(op).attrs.get("kind") {
            Some(Attr::Reduce(rk)) => *rk,
            _ => return Err(self.err("`reduce` without a kind")),
        };
        if self.f.op(op).results.is_empty() || self.f.ty(self.f.op(op).operands[0]).rank() != 1 {
            return Err(self.unsupported(op, "only reductions of one vector to a scalar"));
        }
        let opcode = match (k, rk) {
            (Kind::Float, ReduceKind::Sum) => Opcode::RedsumD,
            (Kind::Float, ReduceKind::Max) => Opcode::RedmaxD,
            (Kind::Float, ReduceKind::Min) => Opcode::RedminD,
            (_, ReduceKind::Sum) => Opcode::RedsumL,
            (Kind::Int { signed: true }, ReduceKind::Max) => Opcode::RedmaxL,
            (Kind::Int { signed: true }, ReduceKind::Min) => Opcode::RedminL,
            (_, ReduceKind::Max) => Opcode::RedmaxUL,
            (_, ReduceKind::Min) => Opcode::RedminUL,
            _ => return Err(self.unsupported(op, "no such 64-bit reduction")),
        };
        let r = self.v1(opcode, v);
        if k != Kind::Float || rk == ReduceKind::Sum {
            return Ok(r);
        }
        let flag = self.nan_lanes_sum(v, Opcode::VcmpeqD, Opcode::RedsumD, RegClass::Vector);
        let fine = self.op1(
            Opcode::VcmpeqD,
            RegClass::Mask,
            &[VArg::Reg(flag), VArg::Reg(flag)],
        );
        Ok(self.op1(
            Opcode::Vsel,
            RegClass::Vector,
            &[VArg::Reg(fine), VArg::Reg(r), VArg::Reg(flag)],
        ))
    }
}
