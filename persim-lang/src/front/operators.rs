//! Rust's operators on tiles and scalars: promotion, broadcasting, constant
//! folding, then one elementwise IR op.

use super::diag::Diagnostic;
use super::lowerer::Lowerer;
use super::numeric::{fold_int, wrap_int, IntOp};
use super::promote::{promote, Side};
use super::value::{Konst, Provenance, Repr, Val};
use crate::ir::{Attr, Attrs, CmpPred, Dtype, Opcode};
use proc_macro2::Span;
use syn::spanned::Spanned;

/// What an operator does, grouped by the types it accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinKind {
    /// `+ - * / %`, `maximum`, `minimum`: numbers, not `bool`.
    Arith(Opcode),
    /// `& | ^`: integers and `bool`.
    Bitwise(Opcode),
    /// `<< >>`: integers.
    Shift(Opcode),
    Cmp(CmpPred),
    /// `&& ||`: `bool` only, elementwise, both sides evaluated.
    Logical(Opcode),
}

/// The operator's kind and its symbol (for messages); `None` for the
/// compound assignments, which are statements.
pub fn classify(op: &syn::BinOp) -> Option<(BinKind, &'static str)> {
    use syn::BinOp as B;
    use BinKind::*;
    Some(match op {
        B::Add(_) | B::AddAssign(_) => (Arith(Opcode::Add), "+"),
        B::Sub(_) | B::SubAssign(_) => (Arith(Opcode::Sub), "-"),
        B::Mul(_) | B::MulAssign(_) => (Arith(Opcode::Mul), "*"),
        B::Div(_) | B::DivAssign(_) => (Arith(Opcode::Div), "/"),
        B::Rem(_) | B::RemAssign(_) => (Arith(Opcode::Rem), "%"),
        B::BitAnd(_) | B::BitAndAssign(_) => (Bitwise(Opcode::And), "&"),
        B::BitOr(_) | B::BitOrAssign(_) => (Bitwise(Opcode::Or), "|"),
        B::BitXor(_) | B::BitXorAssign(_) => (Bitwise(Opcode::Xor), "^"),
        B::Shl(_) | B::ShlAssign(_) => (Shift(Opcode::Shl), "<<"),
        B::Shr(_) | B::ShrAssign(_) => (Shift(Opcode::Shr), ">>"),
        B::Eq(_) => (Cmp(CmpPred::Eq), "=="),
        B::Ne(_) => (Cmp(CmpPred::Ne), "!="),
        B::Lt(_) => (Cmp(CmpPred::Lt), "<"),
        B::Le(_) => (Cmp(CmpPred::Le), "<="),
        B::Gt(_) => (Cmp(CmpPred::Gt), ">"),
        B::Ge(_) => (Cmp(CmpPred::Ge), ">="),
        B::And(_) => (Logical(Opcode::And), "&&"),
        B::Or(_) => (Logical(Opcode::Or), "||"),
        _ => return None,
    })
}

fn int_op(opcode: Opcode) -> Option<IntOp> {
    Some(match opcode {
        Opcode::Add => IntOp::Add,
        Opcode::Sub => IntOp::Sub,
        Opcode::Mul => IntOp::Mul,
        Opcode::Div => IntOp::Div,
        Opcode::Rem => IntOp::Rem,
        Opcode::And => IntOp::And,
        Opcode::Or => IntOp::Or,
        Opcode::Xor => IntOp::Xor,
        Opcode::Shl => IntOp::Shl,
        Opcode::Shr => IntOp::Shr,
        Opcode::Maximum => IntOp::Max,
        Opcode::Minimum => IntOp::Min,
        _ => return None,
    })
}

fn describe(v: &Val) -> String {
    format!("`{}`", v.ty)
}

impl Lowerer<'_> {
    /// `a <op> b` at `span` (the operator token).
    pub fn binary(
        &mut self,
        kind: BinKind,
        sym: &str,
        a: Val,
        b: Val,
        span: Span,
    ) -> Result<Val, Diagnostic> {
        if a.ty.is_ptr() || b.ty.is_ptr() {
            return self.pointer_arith(kind, sym, a, b, span);
        }
        if let BinKind::Logical(opcode) = kind {
            for v in [&a, &b] {
                if v.dtype() != Some(Dtype::I1) {
                    return Err(Diagnostic::new(
                        v.span,
                        format!("`{sym}` needs `bool` operands, found {}", describe(v)),
                    ));
                }
            }
            return self.elementwise(BinKind::Bitwise(opcode), sym, a, b, span, false);
        }
        let side = |v: &Val| Side {
            dtype: v.dtype().expect("pointers handled above"),
            weak: v.is_weak(),
        };
        let p = promote(side(&a), side(&b));
        let bad = match kind {
            BinKind::Arith(_) if p.dtype.is_bool() => Some(format!(
                "`{sym}` is not defined on `bool`; convert with `.to::<i32>()` first"
            )),
            BinKind::Bitwise(_) if p.dtype.is_float() => Some(format!(
                "`{sym}` needs integer or `bool` operands, found {} and {}",
                describe(&a),
                describe(&b)
            )),
            BinKind::Shift(_) if !p.dtype.is_int() => Some(format!(
                "`{sym}` needs integer operands, found {} and {}",
                describe(&a),
                describe(&b)
            )),
            _ => None,
        };
        if let Some(message) = bad {
            return Err(Diagnostic::new(span, message));
        }
        let a = self.promote_to(a, p.dtype, span)?;
        let b = self.promote_to(b, p.dtype, span)?;
        self.elementwise(kind, sym, a, b, span, p.weak)
    }

    /// Two operands of one element type: fold or broadcast and build.
    fn elementwise(
        &mut self,
        kind: BinKind,
        sym: &str,
        a: Val,
        b: Val,
        span: Span,
        weak: bool,
    ) -> Result<Val, Diagnostic> {
        let origin = a.span;
        if let (Some(x), Some(y)) = (a.konst(), b.konst()) {
            let d = a.dtype().expect("data values");
            // Weak integers fold like Python ints (up to i64), then settle on
            // the default type of the result.
            let fold_ty = if weak && d.is_int() { Dtype::I64 } else { d };
            if let Some(folded) = fold(kind, x, y, fold_ty, weak) {
                let folded = folded.ok_or_else(|| {
                    Diagnostic::new(
                        span,
                        format!("division by zero in the constant expression `{sym}`"),
                    )
                })?;
                let rd = if matches!(kind, BinKind::Cmp(_)) {
                    Dtype::I1
                } else {
                    d
                };
                return Ok(weak_default(Val::constant(
                    rd,
                    folded,
                    weak && rd != Dtype::I1,
                    origin,
                )));
            }
        }
        let (a, b) = self.broadcast_pair(a, b, span, sym)?;
        let (opcode, attrs, ty) = match kind {
            BinKind::Cmp(pred) => (
                Opcode::Cmp,
                Attrs::new().with("pred", Attr::Pred(pred)),
                a.ty.with_dtype(Dtype::I1),
            ),
            BinKind::Arith(op)
            | BinKind::Bitwise(op)
            | BinKind::Shift(op)
            | BinKind::Logical(op) => (op, Attrs::new(), a.ty.clone()),
        };
        Ok(self
            .emit(span, opcode, &[&a, &b], attrs, ty, Provenance::none())?
            .with_span(origin))
    }

    /// `ptr + offset` (either order); nothing else is defined on pointers.
    fn pointer_arith(
        &mut self,
        kind: BinKind,
        sym: &str,
        a: Val,
        b: Val,
        span: Span,
    ) -> Result<Val, Diagnostic> {
        if kind != BinKind::Arith(Opcode::Add) {
            return Err(Diagnostic::new(
                span,
                format!(
                    "`{sym}` is not defined on pointers ({} and {}); pointers only take `+ offset`",
                    describe(&a),
                    describe(&b)
                ),
            ));
        }
        let (ptr, offset) = if a.ty.is_ptr() { (a, b) } else { (b, a) };
        let origin = ptr.span;
        if offset.ty.is_ptr() {
            return Err(Diagnostic::new(span, "cannot add two pointers"));
        }
        let offset = if offset.is_weak() {
            self.settle_weak(&offset, Dtype::I32)?
        } else {
            offset
        };
        if !offset.dtype().is_some_and(Dtype::is_int) {
            return Err(Diagnostic::new(
                offset.span,
                format!(
                    "a pointer offset must be an integer, found {}",
                    describe(&offset)
                ),
            ));
        }
        let prov = ptr.prov.clone();
        let (ptr, offset) = self.broadcast_pair(ptr, offset, span, sym)?;
        let ty = ptr.ty.clone();
        Ok(self
            .emit(
                span,
                Opcode::PtrAdd,
                &[&ptr, &offset],
                Attrs::new(),
                ty,
                prov,
            )?
            .with_span(origin))
    }

    /// `-x`, `!x`, and the rejected `*x`.
    pub fn unary(&mut self, op: &syn::UnOp, v: Val) -> Result<Val, Diagnostic> {
        let span = op.span();
        let (opcode, sym) = match op {
            syn::UnOp::Neg(_) => (Opcode::Neg, "-"),
            syn::UnOp::Not(_) => (Opcode::Not, "!"),
            _ => {
                return Err(Diagnostic::new(
                    span,
                    "kernels cannot dereference; read memory with `load(ptrs)`",
                ))
            }
        };
        let Some(d) = v.dtype() else {
            return Err(Diagnostic::new(
                span,
                format!("`{sym}` is not defined on pointers"),
            ));
        };
        let ok = match opcode {
            Opcode::Neg => d.is_float() || d.is_signed_int() || v.is_weak(),
            _ => !d.is_float(),
        };
        if !ok {
            let why = if opcode == Opcode::Neg && d.is_unsigned_int() {
                format!("cannot negate unsigned {}", describe(&v))
            } else {
                format!("`{sym}` is not defined on {}", describe(&v))
            };
            return Err(Diagnostic::new(span, why));
        }
        if let Repr::Const { value, weak } = v.repr {
            let folded = match (opcode, value) {
                (_, Konst::Unknown) => Konst::Unknown,
                (Opcode::Neg, Konst::Int(i)) if weak => Konst::Int(-i),
                (Opcode::Neg, Konst::Int(i)) => Konst::Int(wrap_int(-i, d)),
                (Opcode::Neg, Konst::Float(x)) => Konst::Float(-x),
                (_, Konst::Bool(b)) => Konst::Bool(!b),
                (_, Konst::Int(i)) if weak => Konst::Int(!i),
                (_, Konst::Int(i)) => Konst::Int(wrap_int(!i, d)),
                _ => {
                    return Err(Diagnostic::new(
                        span,
                        format!("`{sym}` is not defined on {}", describe(&v)),
                    ))
                }
            };
            return Ok(weak_default(Val::constant(d, folded, weak, span)));
        }
        let ty = v.ty.clone();
        self.emit(span, opcode, &[&v], Attrs::new(), ty, Provenance::none())
    }
}

/// Fold `a <kind> b` in type `d`: `None` if it does not fold (runtime
/// floats, whose rounding the backend owns), `Some(None)` for a division by
/// zero.
fn fold(kind: BinKind, a: Konst, b: Konst, d: Dtype, weak: bool) -> Option<Option<Konst>> {
    if a == Konst::Unknown || b == Konst::Unknown {
        return Some(Some(Konst::Unknown));
    }
    let opcode = match kind {
        BinKind::Arith(op) | BinKind::Bitwise(op) | BinKind::Shift(op) | BinKind::Logical(op) => {
            Some(op)
        }
        BinKind::Cmp(_) => None,
    };
    match (a, b) {
        (Konst::Int(x), Konst::Int(y)) => Some(match kind {
            BinKind::Cmp(p) => Some(Konst::Bool(compare(p, x.cmp(&y)))),
            _ => fold_int(int_op(opcode?)?, x, y, d).map(Konst::Int),
        }),
        (Konst::Bool(x), Konst::Bool(y)) => {
            let (x, y) = (x as i128, y as i128);
            Some(Some(Konst::Bool(match kind {
                BinKind::Cmp(p) => compare(p, x.cmp(&y)),
                _ => fold_int(int_op(opcode?)?, x, y, Dtype::I1)? == 1,
            })))
        }
        (Konst::Float(x), Konst::Float(y)) if weak => Some(Some(match kind {
            BinKind::Cmp(p) => Konst::Bool(match p {
                CmpPred::Eq => x == y,
                CmpPred::Ne => x != y,
                CmpPred::Lt => x < y,
                CmpPred::Le => x <= y,
                CmpPred::Gt => x > y,
                CmpPred::Ge => x >= y,
            }),
            _ => Konst::Float(fold_float(opcode?, x, y)?),
        })),
        _ => None,
    }
}

fn fold_float(opcode: Opcode, x: f64, y: f64) -> Option<f64> {
    let nan_or = |r: f64| {
        if x.is_nan() || y.is_nan() {
            f64::NAN
        } else {
            r
        }
    };
    Some(match opcode {
        Opcode::Add => x + y,
        Opcode::Sub => x - y,
        Opcode::Mul => x * y,
        Opcode::Div => x / y,
        Opcode::Rem => x % y,
        Opcode::Maximum => nan_or(x.max(y)),
        Opcode::Minimum => nan_or(x.min(y)),
        _ => return None,
    })
}

fn compare(p: CmpPred, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match p {
        CmpPred::Eq => o == Equal,
        CmpPred::Ne => o != Equal,
        CmpPred::Lt => o == Less,
        CmpPred::Le => o != Greater,
        CmpPred::Gt => o == Greater,
        CmpPred::Ge => o != Less,
    }
}

/// A weak integer result takes the default type of a literal of its value
/// (`i32`, or `i64` when it does not fit), as if it had been written out.
fn weak_default(v: Val) -> Val {
    match v.repr {
        Repr::Const {
            value: Konst::Int(i),
            weak: true,
        } => {
            let i = wrap_int(i, Dtype::I64);
            let d = if super::numeric::fits(i, Dtype::I32) {
                Dtype::I32
            } else {
                Dtype::I64
            };
            Val::constant(d, Konst::Int(i), true, v.span)
        }
        _ => v,
    }
}
