//! `for i in static_range(..)`: a loop unrolled by the frontend.
//!
//! As Triton's `tl.static_range`, with Python `range`'s arguments:
//! `static_range(hi)`, `static_range(lo, hi)`, `static_range(lo, hi, step)`
//! (a negative step counts down). The bounds must be known at compile time;
//! the body is lowered once per iteration with `i` a compile-time constant,
//! so `i` may size an `arange`, pick a branch of an `if` or index a
//! `static_range` nested inside. No IR loop is built and nothing is carried:
//! an assignment to an outer variable in the body simply updates it, as in
//! straight-line code.
//!
//! At build time (constexprs unknown) a bound may be unknown; the body is
//! then checked once with `i` unknown, and every outer variable it assigns
//! that held a constant is unknown afterwards.

use super::assigned::assigned_in_block;
use super::diag::Diagnostic;
use super::lowerer::Lowerer;
use super::promote::{promote, Side};
use super::value::{Konst, Val};
use crate::ir::Dtype;
use syn::spanned::Spanned;

/// Iterations a `static_range` may unroll to: more is almost surely a
/// mistake (a runtime loop is the tool), and would only make compilation
/// crawl.
const MAX_UNROLL: usize = 4096;

/// The `static_range(..)` call a `for` loop runs over, if it does.
pub fn static_range_call(e: &syn::Expr) -> Option<&syn::ExprCall> {
    match e {
        syn::Expr::Paren(p) => static_range_call(&p.expr),
        syn::Expr::Group(g) => static_range_call(&g.expr),
        syn::Expr::Call(c) => match &*c.func {
            syn::Expr::Path(p) if p.qself.is_none() && p.path.is_ident("static_range") => Some(c),
            _ => None,
        },
        _ => None,
    }
}

impl Lowerer<'_> {
    /// `for var in static_range(..) { body }` (`e.expr` is `call`).
    pub fn lower_static_for(
        &mut self,
        e: &syn::ExprForLoop,
        call: &syn::ExprCall,
    ) -> Result<(), Diagnostic> {
        let var = match &*e.pat {
            syn::Pat::Ident(p)
                if p.by_ref.is_none() && p.subpat.is_none() && p.mutability.is_none() =>
            {
                Some(p.ident.to_string())
            }
            syn::Pat::Wild(_) => None,
            other => {
                return Err(Diagnostic::new(
                    other.span(),
                    "a `for` loop binds one variable: `for i in static_range(lo, hi)`",
                ))
            }
        };
        let name_span = call.func.span();
        if !(1..=3).contains(&call.args.len()) {
            return Err(Diagnostic::new(
                name_span,
                format!(
                    "`static_range` takes 1 to 3 arguments (`static_range(hi)`, \
                     `static_range(lo, hi)` or `static_range(lo, hi, step)`), found {}",
                    call.args.len()
                ),
            ));
        }
        let mut bounds = Vec::with_capacity(3);
        for arg in &call.args {
            bounds.push(self.static_bound(arg)?);
        }
        let side = |v: &Val| Side {
            dtype: v.dtype().expect("checked integer"),
            weak: v.is_weak(),
        };
        let ty = bounds
            .iter()
            .map(side)
            .reduce(promote)
            .expect("at least one bound");
        let ints: Vec<Option<i128>> = bounds
            .iter()
            .map(|v| match v.konst() {
                Some(Konst::Int(i)) => Some(i),
                _ => None,
            })
            .collect();
        let (lo, hi, step) = match ints.as_slice() {
            [hi] => (Some(0), *hi, Some(1)),
            [lo, hi] => (*lo, *hi, Some(1)),
            [lo, hi, step] => (*lo, *hi, *step),
            _ => unreachable!("1 to 3 bounds"),
        };
        for (v, i) in bounds.iter().zip(&ints) {
            if let Some(i) = i.filter(|&i| !super::numeric::fits(i, ty.dtype)) {
                return Err(Diagnostic::new(
                    v.span,
                    format!(
                        "`static_range` bound {i} does not fit `{}`, the type of the loop variable",
                        super::dtype_syntax::source_name(ty.dtype)
                    ),
                ));
            }
        }
        if step == Some(0) {
            return Err(Diagnostic::new(
                bounds[2].span,
                "`static_range` needs a nonzero step",
            ));
        }
        let induction = |k: Konst| Val::constant(ty.dtype, k, ty.weak, e.pat.span());
        let (Some(lo), Some(hi), Some(step)) = (lo, hi, step) else {
            return self.check_static_body(e, var, induction(Konst::Unknown));
        };
        // Python's `len(range(lo, hi, step))`.
        let (span_len, stride) = if step > 0 {
            (hi - lo, step)
        } else {
            (lo - hi, -step)
        };
        let count = if span_len > 0 {
            (span_len + stride - 1) / stride
        } else {
            0
        };
        if count > MAX_UNROLL as i128 {
            return Err(Diagnostic::new(
                name_span,
                format!(
                    "`static_range` would unroll {count} iterations, more than {MAX_UNROLL}; \
                     use a runtime loop `for i in lo..hi`"
                ),
            ));
        }
        for k in 0..count {
            self.unrolled_body(e, &var, induction(Konst::Int(lo + k * step)))?;
        }
        Ok(())
    }

    /// One bound: a compile-time integer scalar.
    fn static_bound(&mut self, arg: &syn::Expr) -> Result<Val, Diagnostic> {
        let v = self.lower_value(arg)?;
        if !(v.ty.is_scalar() && v.dtype().is_some_and(Dtype::is_int)) {
            return Err(Diagnostic::new(
                v.span,
                format!("`static_range` bounds must be integers, found `{}`", v.ty),
            ));
        }
        if !v.is_const() {
            return Err(Diagnostic::new(
                v.span,
                "`static_range` bounds must be known at compile time (a literal, a \
                 `#[constexpr]` parameter, or arithmetic on them), but this is a runtime value; \
                 use a runtime loop `for i in lo..hi`",
            ));
        }
        Ok(v)
    }

    fn unrolled_body(
        &mut self,
        e: &syn::ExprForLoop,
        var: &Option<String>,
        i: Val,
    ) -> Result<(), Diagnostic> {
        self.scope.push_frame();
        if let Some(name) = var {
            self.scope.bind(name.clone(), i, false);
        }
        let r = self.lower_block(&e.body, false).map(drop);
        self.scope.pop_frame();
        r
    }

    /// Bounds not known yet (build-time check): check the body once.
    fn check_static_body(
        &mut self,
        e: &syn::ExprForLoop,
        var: Option<String>,
        i: Val,
    ) -> Result<(), Diagnostic> {
        self.unrolled_body(e, &var, i)?;
        for name in assigned_in_block(&e.body) {
            let Some(id) = self.scope.lookup(&name) else {
                continue;
            };
            let v = &self.scope.get(id).val;
            if let (true, Some(d)) = (v.is_const(), v.dtype()) {
                let unknown = Val::constant(d, Konst::Unknown, v.is_weak(), v.span);
                self.scope.set(id, unknown);
            }
        }
        Ok(())
    }
}
