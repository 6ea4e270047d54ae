//! Elementwise ops, constants, casts and reductions.
//!
//! Semantics follow the IR's op table: integer division never traps (the
//! ISA's `div`/`rem` give RISC-V results for zero divisors); float
//! `maximum`/`minimum` propagate NaN, which the ISA's maxNum/minNum do not,
//! so a NaN operand is selected explicitly. Integer vector division has no
//! vector instruction and runs lane by lane on the scalar unit.

use persim_lang::ir::{Attr, CmpPred, Dtype, Elem, Op, Opcode as IrOp, ReduceKind};

use super::super::error::CResult;
use super::super::vcode::{VArg, VReg};
use super::{narrow, Isel};
use crate::spatial::isa::{Opcode, RegClass};

/// What kind of data a value holds, for choosing instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Int { signed: bool },
    Float,
    Bool,
}

const SIGN: i32 = i32::MIN;

/// The vector-unit instruction of a one-operand float op (`exp` …
/// `ceil`), if it is one.
fn special(ir: IrOp) -> Option<Opcode> {
    Some(match ir {
        IrOp::Exp => Opcode::VexpF,
        IrOp::Log => Opcode::VlogF,
        IrOp::Sqrt => Opcode::VsqrtF,
        IrOp::Exp2 => Opcode::Vexp2F,
        IrOp::Log2 => Opcode::Vlog2F,
        IrOp::Rsqrt => Opcode::VrsqrtF,
        IrOp::Erf => Opcode::VerfF,
        IrOp::Sin => Opcode::VsinF,
        IrOp::Cos => Opcode::VcosF,
        IrOp::Floor => Opcode::VfloorF,
        IrOp::Ceil => Opcode::VceilF,
        _ => return None,
    })
}

impl Isel<'_> {
    fn kind(&self, elem: Elem) -> Kind {
        match elem {
            Elem::Ptr(_) => Kind::Int { signed: false },
            Elem::Val(Dtype::F32 | Dtype::F16 | Dtype::BF16) => Kind::Float,
            Elem::Val(Dtype::I1) => Kind::Bool,
            Elem::Val(d) => Kind::Int {
                signed: d.is_signed_int(),
            },
        }
    }

    pub(super) fn constant(&mut self, op: Op) -> CResult<()> {
        if self.touches_wide(op) {
            return self.wide_arith(op);
        }
        let data = self.f.op(op);
        let result = data.results[0];
        self.class_of(self.f.ty(result))?;
        let elem = self.f.ty(result).elem();
        let bits = match data.attrs.get("value") {
            Some(Attr::Int(i)) => match elem {
                Elem::Val(Dtype::I8) => i32::from(*i as i8),
                Elem::Val(Dtype::U8) => i32::from(*i as u8),
                Elem::Val(Dtype::I16) => i32::from(*i as i16),
                Elem::Val(Dtype::U16) => i32::from(*i as u16),
                _ => *i as i32,
            },
            Some(Attr::Bool(b)) => i32::from(*b),
            Some(Attr::Float(x)) => {
                let x = match elem {
                    Elem::Val(Dtype::F16) => half::f16::from_f64(*x).to_f32(),
                    Elem::Val(Dtype::BF16) => half::bf16::from_f64(*x).to_f32(),
                    _ => *x as f32,
                };
                x.to_bits() as i32
            }
            other => return Err(self.err(format!("bad `const` value {other:?}"))),
        };
        let r = self.li(bits);
        self.bind(result, r);
        Ok(())
    }

    pub(super) fn arith(&mut self, op: Op) -> CResult<()> {
        if self.touches_wide(op) {
            return self.wide_arith(op);
        }
        let data = self.f.op(op).clone();
        let Some(&result) = data.results.first() else {
            return Err(self.unsupported(op, "no instruction selection for this op"));
        };
        let rty = self.f.ty(result).clone();
        let class = self.class_of(&rty)?;
        let vector = rty.rank() == 1;
        let operands: Vec<VReg> = match data.opcode {
            IrOp::Arange | IrOp::Const => Vec::new(),
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
        let kind = self.kind(in_elem);
        let r = match data.opcode {
            IrOp::Arange => {
                let lo = data.attrs.int("lo").unwrap_or(0) as i32;
                let iota = self.op1(Opcode::Viota, RegClass::Vector, &[]);
                if lo == 0 {
                    iota
                } else {
                    let l = self.splat_imm(lo);
                    self.op1(
                        Opcode::VaddI,
                        RegClass::Vector,
                        &[VArg::Reg(iota), VArg::Reg(l)],
                    )
                }
            }
            IrOp::Splat => {
                if class == RegClass::Mask {
                    // 0/1 → no lanes / all lanes.
                    let n = self.op1(
                        Opcode::Muli,
                        RegClass::Scalar,
                        &[VArg::Reg(operands[0]), VArg::Imm(self.lanes as i32)],
                    );
                    self.op1(Opcode::Mlanes, RegClass::Mask, &[VArg::Reg(n)])
                } else {
                    self.op1(Opcode::Vsplat, RegClass::Vector, &[VArg::Reg(operands[0])])
                }
            }
            IrOp::Cast => self.cast(operands[0], in_elem, rty.elem(), vector)?,
            IrOp::PtrAdd => {
                let size = rty.elem().pointee().map_or(1, |d| d.size_bytes());
                let off = self.scale(operands[1], size, vector);
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
            | IrOp::Shr => {
                let (a, mut b) = (operands[0], operands[1]);
                if matches!(data.opcode, IrOp::Shl | IrOp::Shr) {
                    b = self.shift_amount(b, in_elem, vector);
                }
                match kind {
                    Kind::Float => self.float_binary(op, data.opcode, a, b, vector)?,
                    Kind::Int { signed } => {
                        if !signed && matches!(data.opcode, IrOp::Div | IrOp::Rem) {
                            let sop = if data.opcode == IrOp::Div {
                                Opcode::Divu
                            } else {
                                Opcode::Remu
                            };
                            if vector {
                                self.lanewise(sop, a, b)
                            } else {
                                self.op1(sop, RegClass::Scalar, &[VArg::Reg(a), VArg::Reg(b)])
                            }
                        } else if !signed && matches!(data.opcode, IrOp::Maximum | IrOp::Minimum) {
                            self.unsigned_max_min(data.opcode, a, b, vector)
                        } else if data.opcode == IrOp::Shr && !signed {
                            self.int_shr_logical(a, b, vector)
                        } else {
                            self.int_binary(data.opcode, a, b, vector, signed)
                        }
                    }
                    Kind::Bool => self.bool_binary(op, data.opcode, a, b, vector)?,
                }
            }
            IrOp::Cmp => {
                let pred = match data.attrs.get("pred") {
                    Some(Attr::Pred(p)) => *p,
                    _ => return Err(self.err("`cmp` without a predicate")),
                };
                self.compare(pred, operands[0], operands[1], kind, vector)
            }
            IrOp::Select => self.select(operands[0], operands[1], operands[2], class, vector),
            IrOp::Neg => match (kind, vector) {
                (Kind::Float, true) => {
                    self.op1(Opcode::VnegF, RegClass::Vector, &[VArg::Reg(operands[0])])
                }
                (Kind::Float, false) => {
                    let s = self.li(SIGN);
                    self.op1(
                        Opcode::Xor,
                        RegClass::Scalar,
                        &[VArg::Reg(operands[0]), VArg::Reg(s)],
                    )
                }
                (Kind::Int { .. }, true) => {
                    let z = self.splat_imm(0);
                    self.op1(
                        Opcode::VsubI,
                        RegClass::Vector,
                        &[VArg::Reg(z), VArg::Reg(operands[0])],
                    )
                }
                (Kind::Int { .. }, false) => self.op1(
                    Opcode::Sub,
                    RegClass::Scalar,
                    &[VArg::Zero(RegClass::Scalar), VArg::Reg(operands[0])],
                ),
                (Kind::Bool, _) => return Err(self.unsupported(op, "negation of booleans")),
            },
            IrOp::Not => match (kind, vector) {
                (Kind::Bool, true) => {
                    self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(operands[0])])
                }
                (Kind::Bool, false) => self.op1(
                    Opcode::Seq,
                    RegClass::Scalar,
                    &[VArg::Reg(operands[0]), VArg::Zero(RegClass::Scalar)],
                ),
                (Kind::Int { .. }, true) => {
                    let ones = self.splat_imm(-1);
                    self.op1(
                        Opcode::Vxor,
                        RegClass::Vector,
                        &[VArg::Reg(operands[0]), VArg::Reg(ones)],
                    )
                }
                (Kind::Int { .. }, false) => {
                    let ones = self.li(-1);
                    self.op1(
                        Opcode::Xor,
                        RegClass::Scalar,
                        &[VArg::Reg(operands[0]), VArg::Reg(ones)],
                    )
                }
                (Kind::Float, _) => return Err(self.unsupported(op, "bitwise not of floats")),
            },
            ir if special(ir).is_some() => match special(ir).filter(|_| kind == Kind::Float) {
                Some(opcode) => self.on_vector_unit(opcode, &operands, vector),
                None => return Err(self.unsupported(op, "only floats have this instruction")),
            },
            IrOp::Fma => {
                if kind != Kind::Float {
                    return Err(self.unsupported(op, "only floats have a fused multiply-add"));
                }
                let [a, b, c] =
                    [operands[0], operands[1], operands[2]].map(|x| self.vector_of(x, vector));
                let r = self.code.new_vreg(RegClass::Vector);
                self.emit_args(
                    Opcode::VfmaF,
                    &[VArg::Tied { def: r, src: c }, VArg::Reg(a), VArg::Reg(b)],
                );
                self.lane0_unless(r, vector)
            }
            IrOp::Umulhi => {
                if !matches!(kind, Kind::Int { .. }) {
                    return Err(self.unsupported(op, "`umulhi` is an integer op"));
                }
                let (a, b) = (operands[0], operands[1]);
                if vector {
                    self.op1(
                        Opcode::VmulhU,
                        RegClass::Vector,
                        &[VArg::Reg(a), VArg::Reg(b)],
                    )
                } else {
                    self.op1(
                        Opcode::Mulhu,
                        RegClass::Scalar,
                        &[VArg::Reg(a), VArg::Reg(b)],
                    )
                }
            }
            IrOp::Abs => match (kind, vector) {
                (Kind::Float, true) => {
                    self.op1(Opcode::VabsF, RegClass::Vector, &[VArg::Reg(operands[0])])
                }
                (Kind::Float, false) => {
                    let m = self.li(i32::MAX);
                    self.op1(
                        Opcode::And,
                        RegClass::Scalar,
                        &[VArg::Reg(operands[0]), VArg::Reg(m)],
                    )
                }
                (Kind::Int { signed: true }, true) => {
                    let z = self.splat_imm(0);
                    let n = self.op1(
                        Opcode::VsubI,
                        RegClass::Vector,
                        &[VArg::Reg(z), VArg::Reg(operands[0])],
                    );
                    self.op1(
                        Opcode::VmaxI,
                        RegClass::Vector,
                        &[VArg::Reg(operands[0]), VArg::Reg(n)],
                    )
                }
                (Kind::Int { signed: true }, false) => {
                    let n = self.op1(
                        Opcode::Sub,
                        RegClass::Scalar,
                        &[VArg::Zero(RegClass::Scalar), VArg::Reg(operands[0])],
                    );
                    let neg = self.op1(
                        Opcode::Slt,
                        RegClass::Scalar,
                        &[VArg::Reg(operands[0]), VArg::Zero(RegClass::Scalar)],
                    );
                    self.scalar_select(neg, n, operands[0])
                }
                (Kind::Int { signed: false }, _) => operands[0],
                (Kind::Bool, _) => return Err(self.unsupported(op, "abs of booleans")),
            },
            IrOp::Reduce => self.reduce(op, operands[0], kind)?,
            _ => return Err(self.unsupported(op, "no instruction selection for this op")),
        };
        // A 32-bit result that may leave a narrow type's value set.
        let may_leave = match data.opcode {
            IrOp::Neg | IrOp::Abs | IrOp::Not => kind != Kind::Float,
            IrOp::Add
            | IrOp::Sub
            | IrOp::Mul
            | IrOp::Div
            | IrOp::Rem
            | IrOp::Shl
            | IrOp::Fma
            | IrOp::Umulhi
            | IrOp::Reduce => true,
            // Integral results are in every format's value set.
            IrOp::Floor | IrOp::Ceil => false,
            ir => special(ir).is_some(),
        };
        let r = if may_leave {
            self.canonical(r, rty.elem(), vector)
        } else {
            r
        };
        self.bind(result, r);
        Ok(())
    }

    /// A one-operand conversion: `vector_op` on a vector, `scalar_op` on a
    /// scalar.
    fn convert(&mut self, x: VReg, vector_op: Opcode, scalar_op: Opcode, vector: bool) -> VReg {
        if vector {
            self.op1(vector_op, RegClass::Vector, &[VArg::Reg(x)])
        } else {
            self.op1(scalar_op, RegClass::Scalar, &[VArg::Reg(x)])
        }
    }

    /// A vector-unit instruction on vectors, or on scalars through lane 0
    /// of splats (the scalar unit has no such instruction).
    fn on_vector_unit(&mut self, opcode: Opcode, operands: &[VReg], vector: bool) -> VReg {
        let args: Vec<VArg> = operands
            .iter()
            .map(|&x| VArg::Reg(self.vector_of(x, vector)))
            .collect();
        let y = self.op1(opcode, RegClass::Vector, &args);
        self.lane0_unless(y, vector)
    }

    /// `x` itself when `vector`, else a splat of the scalar `x`.
    pub(super) fn vector_of(&mut self, x: VReg, vector: bool) -> VReg {
        if vector {
            x
        } else {
            self.op1(Opcode::Vsplat, RegClass::Vector, &[VArg::Reg(x)])
        }
    }

    /// `v` itself when `vector`, else its lane 0 as a scalar.
    pub(super) fn lane0_unless(&mut self, v: VReg, vector: bool) -> VReg {
        if vector {
            v
        } else {
            self.op1(
                Opcode::Vext,
                RegClass::Scalar,
                &[VArg::Reg(v), VArg::Lane(0)],
            )
        }
    }

    /// `x * size` for pointer arithmetic (a shift for powers of two).
    pub(super) fn scale(&mut self, x: VReg, size: u32, vector: bool) -> VReg {
        if size == 1 {
            return x;
        }
        let shift = size.trailing_zeros() as i32;
        if vector {
            let s = self.splat_imm(shift);
            self.op1(
                Opcode::Vshl,
                RegClass::Vector,
                &[VArg::Reg(x), VArg::Reg(s)],
            )
        } else {
            self.op1(
                Opcode::Shli,
                RegClass::Scalar,
                &[VArg::Reg(x), VArg::Imm(shift)],
            )
        }
    }

    /// Unsigned `maximum`/`minimum`: `sltu` for scalars; for vectors the
    /// signed instruction on operands with the sign bit flipped (which maps
    /// unsigned order onto signed order), flipped back.
    fn unsigned_max_min(&mut self, op: IrOp, a: VReg, b: VReg, vector: bool) -> VReg {
        let max = op == IrOp::Maximum;
        if !vector {
            let lt = self.op1(
                Opcode::Sltu,
                RegClass::Scalar,
                &[VArg::Reg(a), VArg::Reg(b)],
            );
            return if max {
                self.scalar_select(lt, b, a)
            } else {
                self.scalar_select(lt, a, b)
            };
        }
        let sign = self.splat_imm(i32::MIN);
        let flip = |s: &mut Self, x: VReg| {
            s.op1(
                Opcode::Vxor,
                RegClass::Vector,
                &[VArg::Reg(x), VArg::Reg(sign)],
            )
        };
        let (fa, fb) = (flip(self, a), flip(self, b));
        let vop = if max { Opcode::VmaxI } else { Opcode::VminI };
        let r = self.op1(vop, RegClass::Vector, &[VArg::Reg(fa), VArg::Reg(fb)]);
        flip(self, r)
    }

    pub(super) fn int_binary(
        &mut self,
        op: IrOp,
        a: VReg,
        b: VReg,
        vector: bool,
        signed: bool,
    ) -> VReg {
        let _ = signed;
        let (sop, vop) = match op {
            IrOp::Add => (Opcode::Add, Some(Opcode::VaddI)),
            IrOp::Sub => (Opcode::Sub, Some(Opcode::VsubI)),
            IrOp::Mul => (Opcode::Mul, Some(Opcode::VmulI)),
            IrOp::Div => (Opcode::Div, None),
            IrOp::Rem => (Opcode::Rem, None),
            IrOp::And => (Opcode::And, Some(Opcode::Vand)),
            IrOp::Or => (Opcode::Or, Some(Opcode::Vor)),
            IrOp::Xor => (Opcode::Xor, Some(Opcode::Vxor)),
            IrOp::Shl => (Opcode::Shl, Some(Opcode::Vshl)),
            IrOp::Shr => (Opcode::Sra, Some(Opcode::Vsra)),
            IrOp::Maximum => {
                if vector {
                    return self.op1(
                        Opcode::VmaxI,
                        RegClass::Vector,
                        &[VArg::Reg(a), VArg::Reg(b)],
                    );
                }
                let lt = self.op1(Opcode::Slt, RegClass::Scalar, &[VArg::Reg(a), VArg::Reg(b)]);
                return self.scalar_select(lt, b, a);
            }
            IrOp::Minimum => {
                if vector {
                    return self.op1(
                        Opcode::VminI,
                        RegClass::Vector,
                        &[VArg::Reg(a), VArg::Reg(b)],
                    );
                }
                let lt = self.op1(Opcode::Slt, RegClass::Scalar, &[VArg::Reg(a), VArg::Reg(b)]);
                return self.scalar_select(lt, a, b);
            }
            _ => unreachable!("integer binary op {op:?}"),
        };
        if !vector {
            return self.op1(sop, RegClass::Scalar, &[VArg::Reg(a), VArg::Reg(b)]);
        }
        match vop {
            Some(v) => self.op1(v, RegClass::Vector, &[VArg::Reg(a), VArg::Reg(b)]),
            None => self.lanewise(sop, a, b),
        }
    }

    fn int_shr_logical(&mut self, a: VReg, b: VReg, vector: bool) -> VReg {
        if vector {
            self.op1(
                Opcode::Vshr,
                RegClass::Vector,
                &[VArg::Reg(a), VArg::Reg(b)],
            )
        } else {
            self.op1(Opcode::Shr, RegClass::Scalar, &[VArg::Reg(a), VArg::Reg(b)])
        }
    }

    /// A vector op the ISA lacks, one lane at a time on the scalar unit.
    fn lanewise(&mut self, sop: Opcode, a: VReg, b: VReg) -> VReg {
        let mut acc = self.splat_imm(0);
        for lane in 0..self.lanes as u8 {
            let x = self.op1(
                Opcode::Vext,
                RegClass::Scalar,
                &[VArg::Reg(a), VArg::Lane(lane)],
            );
            let y = self.op1(
                Opcode::Vext,
                RegClass::Scalar,
                &[VArg::Reg(b), VArg::Lane(lane)],
            );
            let r = self.op1(sop, RegClass::Scalar, &[VArg::Reg(x), VArg::Reg(y)]);
            let next = self.code.new_vreg(RegClass::Vector);
            self.emit_args(
                Opcode::Vins,
                &[
                    VArg::Tied {
                        def: next,
                        src: acc,
                    },
                    VArg::Reg(r),
                    VArg::Lane(lane),
                ],
            );
            acc = next;
        }
        acc
    }

    fn float_binary(&mut self, op: Op, ir: IrOp, a: VReg, b: VReg, vector: bool) -> CResult<VReg> {
        let (sop, vop) = match ir {
            IrOp::Add => (Opcode::Fadd, Opcode::VaddF),
            IrOp::Sub => (Opcode::Fsub, Opcode::VsubF),
            IrOp::Mul => (Opcode::Fmul, Opcode::VmulF),
            IrOp::Div => (Opcode::Fdiv, Opcode::VdivF),
            IrOp::Maximum => (Opcode::Fmax, Opcode::VmaxF),
            IrOp::Minimum => (Opcode::Fmin, Opcode::VminF),
            IrOp::Rem => return Ok(self.on_vector_unit(Opcode::VremF, &[a, b], vector)),
            _ => return Err(self.unsupported(op, "no such f32 instruction")),
        };
        if ir == IrOp::Add && vector {
            if let Some(r) = self.try_mac(op, a, b) {
                return Ok(r);
            }
        }
        let r = if vector {
            self.op1(vop, RegClass::Vector, &[VArg::Reg(a), VArg::Reg(b)])
        } else {
            self.op1(sop, RegClass::Scalar, &[VArg::Reg(a), VArg::Reg(b)])
        };
        if !matches!(ir, IrOp::Maximum | IrOp::Minimum) {
            return Ok(r);
        }
        // NaN propagation: if a is NaN take a, else if b is NaN take b.
        Ok(if vector {
            let a_ok = self.op1(
                Opcode::VcmpeqF,
                RegClass::Mask,
                &[VArg::Reg(a), VArg::Reg(a)],
            );
            let b_ok = self.op1(
                Opcode::VcmpeqF,
                RegClass::Mask,
                &[VArg::Reg(b), VArg::Reg(b)],
            );
            let t = self.op1(
                Opcode::Vsel,
                RegClass::Vector,
                &[VArg::Reg(b_ok), VArg::Reg(r), VArg::Reg(b)],
            );
            self.op1(
                Opcode::Vsel,
                RegClass::Vector,
                &[VArg::Reg(a_ok), VArg::Reg(t), VArg::Reg(a)],
            )
        } else {
            let a_ok = self.op1(Opcode::Feq, RegClass::Scalar, &[VArg::Reg(a), VArg::Reg(a)]);
            let b_ok = self.op1(Opcode::Feq, RegClass::Scalar, &[VArg::Reg(b), VArg::Reg(b)]);
            let t = self.scalar_select(b_ok, r, b);
            self.scalar_select(a_ok, t, a)
        })
    }

    /// `acc + x * y` with the product used nowhere else → `vmac.f32`, which
    /// rounds the product and then the sum exactly as `add(mul)` does. The
    /// product's `vmul.f32` must be the instruction just emitted.
    fn try_mac(&mut self, op: Op, a: VReg, b: VReg) -> Option<VReg> {
        let operands = self.f.op(op).operands.clone();
        let cur = self.cur;
        let last = self.code.blocks[cur.0 as usize].insts.last()?.clone();
        if last.opcode != Opcode::VmulF || last.pred.is_some() {
            return None;
        }
        let VArg::Reg(d) = last.args[0] else {
            return None;
        };
        let (acc, prod_ir) = if d == b {
            (a, operands[1])
        } else if d == a {
            (b, operands[0])
        } else {
            return None;
        };
        if acc == d || self.uses.get(&prod_ir).copied().unwrap_or(0) != 1 {
            return None;
        }
        let (VArg::Reg(x), VArg::Reg(y)) = (last.args[1], last.args[2]) else {
            return None;
        };
        self.code.blocks[cur.0 as usize].insts.pop();
        let r = self.code.new_vreg(RegClass::Vector);
        self.emit_args(
            Opcode::VmacF,
            &[VArg::Tied { def: r, src: acc }, VArg::Reg(x), VArg::Reg(y)],
        );
        Some(r)
    }

    fn bool_binary(&mut self, op: Op, ir: IrOp, a: VReg, b: VReg, vector: bool) -> CResult<VReg> {
        if !vector {
            let sop = match ir {
                IrOp::And | IrOp::Minimum | IrOp::Mul => Opcode::And,
                IrOp::Or | IrOp::Maximum => Opcode::Or,
                IrOp::Xor | IrOp::Add | IrOp::Sub => Opcode::Xor,
                _ => return Err(self.unsupported(op, "no such boolean operation")),
            };
            return Ok(self.op1(sop, RegClass::Scalar, &[VArg::Reg(a), VArg::Reg(b)]));
        }
        Ok(match ir {
            IrOp::And | IrOp::Minimum | IrOp::Mul => {
                self.op1(Opcode::Mand, RegClass::Mask, &[VArg::Reg(a), VArg::Reg(b)])
            }
            IrOp::Or | IrOp::Maximum => {
                self.op1(Opcode::Mor, RegClass::Mask, &[VArg::Reg(a), VArg::Reg(b)])
            }
            IrOp::Xor | IrOp::Add | IrOp::Sub => {
                let either = self.op1(Opcode::Mor, RegClass::Mask, &[VArg::Reg(a), VArg::Reg(b)]);
                let both = self.op1(Opcode::Mand, RegClass::Mask, &[VArg::Reg(a), VArg::Reg(b)]);
                let nb = self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(both)]);
                self.op1(
                    Opcode::Mand,
                    RegClass::Mask,
                    &[VArg::Reg(either), VArg::Reg(nb)],
                )
            }
            _ => return Err(self.unsupported(op, "no such mask operation")),
        })
    }

    /// `c ? a : b` on scalars, branch-free: `b ^ ((a ^ b) & -c)`.
    pub(super) fn scalar_select(&mut self, c: VReg, a: VReg, b: VReg) -> VReg {
        let all = self.op1(
            Opcode::Sub,
            RegClass::Scalar,
            &[VArg::Zero(RegClass::Scalar), VArg::Reg(c)],
        );
        let diff = self.op1(Opcode::Xor, RegClass::Scalar, &[VArg::Reg(a), VArg::Reg(b)]);
        let pick = self.op1(
            Opcode::And,
            RegClass::Scalar,
            &[VArg::Reg(diff), VArg::Reg(all)],
        );
        self.op1(
            Opcode::Xor,
            RegClass::Scalar,
            &[VArg::Reg(pick), VArg::Reg(b)],
        )
    }

    pub(super) fn select(
        &mut self,
        c: VReg,
        a: VReg,
        b: VReg,
        class: RegClass,
        vector: bool,
    ) -> VReg {
        match (class, vector) {
            (RegClass::Vector, _) => {
                if self.code.class(c) == RegClass::Scalar {
                    // A scalar condition on vectors: widen it to a mask.
                    let n = self.op1(
                        Opcode::Muli,
                        RegClass::Scalar,
                        &[VArg::Reg(c), VArg::Imm(self.lanes as i32)],
                    );
                    let m = self.op1(Opcode::Mlanes, RegClass::Mask, &[VArg::Reg(n)]);
                    return self.op1(
                        Opcode::Vsel,
                        RegClass::Vector,
                        &[VArg::Reg(m), VArg::Reg(a), VArg::Reg(b)],
                    );
                }
                self.op1(
                    Opcode::Vsel,
                    RegClass::Vector,
                    &[VArg::Reg(c), VArg::Reg(a), VArg::Reg(b)],
                )
            }
            (RegClass::Mask, _) => {
                let c = if self.code.class(c) == RegClass::Scalar {
                    let n = self.op1(
                        Opcode::Muli,
                        RegClass::Scalar,
                        &[VArg::Reg(c), VArg::Imm(self.lanes as i32)],
                    );
                    self.op1(Opcode::Mlanes, RegClass::Mask, &[VArg::Reg(n)])
                } else {
                    c
                };
                let x = self.op1(Opcode::Mand, RegClass::Mask, &[VArg::Reg(c), VArg::Reg(a)]);
                let nc = self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(c)]);
                let y = self.op1(Opcode::Mand, RegClass::Mask, &[VArg::Reg(nc), VArg::Reg(b)]);
                self.op1(Opcode::Mor, RegClass::Mask, &[VArg::Reg(x), VArg::Reg(y)])
            }
            _ => self.scalar_select(c, a, b),
        }
    }

    fn compare(&mut self, pred: CmpPred, a: VReg, b: VReg, kind: Kind, vector: bool) -> VReg {
        // Normalize to lt / le / eq (swapping operands for gt / ge); `ne` is `!eq`.
        let (base, x, y, negate) = match pred {
            CmpPred::Lt => (CmpPred::Lt, a, b, false),
            CmpPred::Le => (CmpPred::Le, a, b, false),
            CmpPred::Gt => (CmpPred::Lt, b, a, false),
            CmpPred::Ge => (CmpPred::Le, b, a, false),
            CmpPred::Eq => (CmpPred::Eq, a, b, false),
            CmpPred::Ne => (CmpPred::Eq, a, b, true),
        };
        if kind == Kind::Bool && vector {
            // false < true: x < y is !x & y, x <= y is !x | y, x == y is
            // (x & y) | (!x & !y).
            let nx = self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(x)]);
            let m = match base {
                CmpPred::Lt => {
                    self.op1(Opcode::Mand, RegClass::Mask, &[VArg::Reg(nx), VArg::Reg(y)])
                }
                CmpPred::Le => {
                    self.op1(Opcode::Mor, RegClass::Mask, &[VArg::Reg(nx), VArg::Reg(y)])
                }
                _ => {
                    let ny = self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(y)]);
                    let both =
                        self.op1(Opcode::Mand, RegClass::Mask, &[VArg::Reg(x), VArg::Reg(y)]);
                    let neither = self.op1(
                        Opcode::Mand,
                        RegClass::Mask,
                        &[VArg::Reg(nx), VArg::Reg(ny)],
                    );
                    self.op1(
                        Opcode::Mor,
                        RegClass::Mask,
                        &[VArg::Reg(both), VArg::Reg(neither)],
                    )
                }
            };
            return if negate {
                self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(m)])
            } else {
                m
            };
        }
        if vector {
            let (x, y, fop) = match kind {
                Kind::Float => (x, y, [Opcode::VcmpltF, Opcode::VcmpleF, Opcode::VcmpeqF]),
                Kind::Int { signed: true } | Kind::Bool => {
                    (x, y, [Opcode::VcmpltI, Opcode::VcmpleI, Opcode::VcmpeqI])
                }
                Kind::Int { signed: false } => {
                    // Unsigned order = signed order with the sign bits flipped.
                    let s = self.splat_imm(SIGN);
                    let x = self.op1(
                        Opcode::Vxor,
                        RegClass::Vector,
                        &[VArg::Reg(x), VArg::Reg(s)],
                    );
                    let y = self.op1(
                        Opcode::Vxor,
                        RegClass::Vector,
                        &[VArg::Reg(y), VArg::Reg(s)],
                    );
                    (x, y, [Opcode::VcmpltI, Opcode::VcmpleI, Opcode::VcmpeqI])
                }
            };
            let o = match base {
                CmpPred::Lt => fop[0],
                CmpPred::Le => fop[1],
                _ => fop[2],
            };
            let m = self.op1(o, RegClass::Mask, &[VArg::Reg(x), VArg::Reg(y)]);
            if negate {
                self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(m)])
            } else {
                m
            }
        } else {
            let r = match (kind, base) {
                (Kind::Float, CmpPred::Lt) => {
                    self.op1(Opcode::Flt, RegClass::Scalar, &[VArg::Reg(x), VArg::Reg(y)])
                }
                (Kind::Float, CmpPred::Le) => {
                    self.op1(Opcode::Fle, RegClass::Scalar, &[VArg::Reg(x), VArg::Reg(y)])
                }
                (Kind::Float, _) => {
                    self.op1(Opcode::Feq, RegClass::Scalar, &[VArg::Reg(x), VArg::Reg(y)])
                }
                (_, CmpPred::Eq) => {
                    self.op1(Opcode::Seq, RegClass::Scalar, &[VArg::Reg(x), VArg::Reg(y)])
                }
                (k, CmpPred::Lt) => {
                    let o = if k == (Kind::Int { signed: false }) {
                        Opcode::Sltu
                    } else {
                        Opcode::Slt
                    };
                    self.op1(o, RegClass::Scalar, &[VArg::Reg(x), VArg::Reg(y)])
                }
                (k, _) => {
                    // x <= y  ==  !(y < x)
                    let o = if k == (Kind::Int { signed: false }) {
                        Opcode::Sltu
                    } else {
                        Opcode::Slt
                    };
                    let gt = self.op1(o, RegClass::Scalar, &[VArg::Reg(y), VArg::Reg(x)]);
                    self.op1(
                        Opcode::Seq,
                        RegClass::Scalar,
                        &[VArg::Reg(gt), VArg::Zero(RegClass::Scalar)],
                    )
                }
            };
            if negate {
                self.op1(
                    Opcode::Seq,
                    RegClass::Scalar,
                    &[VArg::Reg(r), VArg::Zero(RegClass::Scalar)],
                )
            } else {
                r
            }
        }
    }

    fn cast(&mut self, x: VReg, from: Elem, to: Elem, vector: bool) -> CResult<VReg> {
        let (fk, tk) = (self.kind(from), self.kind(to));
        let u32_ = |e: Elem| e == Elem::Val(Dtype::U32);
        Ok(match (fk, tk, vector) {
            // Wrapped (integers) or rounded (floats) into the target's values.
            (Kind::Float, Kind::Float, _) | (Kind::Int { .. }, Kind::Int { .. }, _) => {
                self.canonical(x, to, vector)
            }
            (Kind::Int { .. }, Kind::Float, _) => {
                let f = match u32_(from) {
                    true => self.convert(x, Opcode::CvtFU, Opcode::U2f, vector),
                    false => self.convert(x, Opcode::CvtFI, Opcode::I2f, vector),
                };
                self.canonical(f, to, vector)
            }
            (Kind::Float, Kind::Int { .. }, _) => {
                // Toward zero, saturating at the target type's bounds.
                let i = match u32_(to) {
                    true => self.convert(x, Opcode::CvtUF, Opcode::F2u, vector),
                    false => self.convert(x, Opcode::CvtIF, Opcode::F2i, vector),
                };
                self.saturate(i, to, vector)
            }
            (Kind::Bool, Kind::Bool, _) => x,
            (Kind::Bool, Kind::Int { .. }, true) => {
                let one = self.splat_imm(1);
                let zero = self.splat_imm(0);
                self.op1(
                    Opcode::Vsel,
                    RegClass::Vector,
                    &[VArg::Reg(x), VArg::Reg(one), VArg::Reg(zero)],
                )
            }
            (Kind::Bool, Kind::Float, true) => {
                let one = self.splat_imm(1.0f32.to_bits() as i32);
                let zero = self.splat_imm(0);
                self.op1(
                    Opcode::Vsel,
                    RegClass::Vector,
                    &[VArg::Reg(x), VArg::Reg(one), VArg::Reg(zero)],
                )
            }
            (Kind::Bool, Kind::Int { .. }, false) => x,
            (Kind::Bool, Kind::Float, false) => {
                let one = self.li(1.0f32.to_bits() as i32);
                let z = self.li(0);
                self.scalar_select(x, one, z)
            }
            (Kind::Int { .. }, Kind::Bool, true) => {
                let z = self.splat_imm(0);
                let eq = self.op1(
                    Opcode::VcmpeqI,
                    RegClass::Mask,
                    &[VArg::Reg(x), VArg::Reg(z)],
                );
                self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(eq)])
            }
            (Kind::Float, Kind::Bool, true) => {
                let z = self.splat_imm(0);
                let eq = self.op1(
                    Opcode::VcmpeqF,
                    RegClass::Mask,
                    &[VArg::Reg(x), VArg::Reg(z)],
                );
                self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(eq)])
            }
            (Kind::Int { .. }, Kind::Bool, false) => {
                let eq = self.op1(
                    Opcode::Seq,
                    RegClass::Scalar,
                    &[VArg::Reg(x), VArg::Zero(RegClass::Scalar)],
                );
                self.op1(
                    Opcode::Seq,
                    RegClass::Scalar,
                    &[VArg::Reg(eq), VArg::Zero(RegClass::Scalar)],
                )
            }
            (Kind::Float, Kind::Bool, false) => {
                let z = self.li(0);
                let eq = self.op1(Opcode::Feq, RegClass::Scalar, &[VArg::Reg(x), VArg::Reg(z)]);
                self.op1(
                    Opcode::Seq,
                    RegClass::Scalar,
                    &[VArg::Reg(eq), VArg::Zero(RegClass::Scalar)],
                )
            }
        })
    }

    /// The sum of `v`'s NaN lanes (`eq` the width's compare, `sum` its sum
    /// reduction into `class`): NaN if any lane is, else +0. A max/min
    /// reduction propagates NaN by selecting it when it is not equal to
    /// itself.
    pub(super) fn nan_lanes_sum(
        &mut self,
        v: VReg,
        eq: Opcode,
        sum: Opcode,
        class: RegClass,
    ) -> VReg {
        let ok = self.op1(eq, RegClass::Mask, &[VArg::Reg(v), VArg::Reg(v)]);
        let nan = self.op1(Opcode::Mnot, RegClass::Mask, &[VArg::Reg(ok)]);
        self.op1_pred(sum, class, &[VArg::Reg(v)], nan)
    }

    fn reduce(&mut self, op: Op, v: VReg, kind: Kind) -> CResult<VReg> {
        let rk = match self.f.op(op).attrs.get("kind") {
            Some(Attr::Reduce(k)) => *k,
            _ => return Err(self.err("`reduce` without a kind")),
        };
        let narrow_int = matches!(
            narrow::narrow(self.f.ty(self.f.op(op).operands[0]).elem()),
            Some(narrow::Narrow::Int { .. })
        );
        if self.f.op(op).results.is_empty() || self.code.class(v) != RegClass::Vector {
            return Err(self.unsupported(op, "only reductions of one vector to a scalar"));
        }
        let opcode = match (kind, rk) {
            (Kind::Float, ReduceKind::Sum) => Opcode::RedsumF,
            (Kind::Float, ReduceKind::Max) => Opcode::RedmaxF,
            (Kind::Float, ReduceKind::Min) => Opcode::RedminF,
            (Kind::Int { signed: true }, ReduceKind::Sum)
            | (Kind::Int { signed: false }, ReduceKind::Sum) => Opcode::RedsumI,
            // Narrow unsigned values are zero-extended: signed order is theirs.
            (Kind::Int { signed }, ReduceKind::Max) if signed || narrow_int => Opcode::RedmaxI,
            (Kind::Int { signed }, ReduceKind::Min) if signed || narrow_int => Opcode::RedminI,
            _ => return Err(self.unsupported(op, "no such reduction instruction")),
        };
        let r = self.op1(opcode, RegClass::Scalar, &[VArg::Reg(v)]);
        if kind != Kind::Float || rk == ReduceKind::Sum {
            return Ok(r);
        }
        let flag = self.nan_lanes_sum(v, Opcode::VcmpeqF, Opcode::RedsumF, RegClass::Scalar);
        let fine = self.op1(
            Opcode::Feq,
            RegClass::Scalar,
            &[VArg::Reg(flag), VArg::Reg(flag)],
        );
        Ok(self.scalar_select(fine, r, flag))
    }
}
