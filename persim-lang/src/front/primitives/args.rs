//! Reading primitive arguments: runtime values, compile-time integers
//! (`arange` bounds, axes) and shapes (`[BM, BN]`).

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::Lowerer;
use crate::front::ty::{Dim, Dims};
use crate::front::value::{Konst, Val};
use crate::ir::Dtype;
use syn::spanned::Spanned;

impl Lowerer<'_> {
    /// Argument `i` as a value.
    pub(super) fn arg(&mut self, site: &CallSite, i: usize) -> Result<Val, Diagnostic> {
        self.lower_value(site.args[i])
    }

    /// Argument `i` if present.
    pub(super) fn opt_arg(&mut self, site: &CallSite, i: usize) -> Result<Option<Val>, Diagnostic> {
        site.args.get(i).map(|e| self.lower_value(e)).transpose()
    }

    /// A compile-time integer; `None` if it depends on a constexpr not known
    /// yet. `what` names it in the error for a runtime value.
    pub(super) fn compile_time_int(
        &mut self,
        e: &syn::Expr,
        what: &str,
    ) -> Result<Option<i128>, Diagnostic> {
        self.compile_time_int_hinted(e, what, "")
    }

    /// As [`Lowerer::compile_time_int`], with `hint` appended to the error
    /// for a runtime value.
    pub(super) fn compile_time_int_hinted(
        &mut self,
        e: &syn::Expr,
        what: &str,
        hint: &str,
    ) -> Result<Option<i128>, Diagnostic> {
        let v = self.lower_value(e)?;
        let is_int = v.ty.is_scalar() && v.dtype().is_some_and(Dtype::is_int);
        match v.konst() {
            Some(Konst::Int(i)) if is_int => Ok(Some(i)),
            Some(Konst::Unknown) if is_int => Ok(None),
            _ if !is_int => Err(Diagnostic::new(
                v.span,
                format!("{what} must be an integer, found `{}`", v.ty),
            )),
            _ => Err(Diagnostic::new(
                v.span,
                format!(
                    "{what} must be known at compile time (a literal, a `#[constexpr]` parameter, or arithmetic on them), but this is a runtime value{hint}"
                ),
            )),
        }
    }

    /// A shape: an array of positive compile-time integers.
    pub(super) fn shape_arg(&mut self, e: &syn::Expr) -> Result<Dims, Diagnostic> {
        let syn::Expr::Array(array) = strip(e) else {
            return Err(Diagnostic::new(
                e.span(),
                "expected a shape like `[16, 32]`",
            ));
        };
        let mut dims = Dims::new();
        for elem in &array.elems {
            let dim = match self.compile_time_int(elem, "a shape dimension")? {
                None => Dim::Unknown,
                Some(n) if (1..=u32::MAX as i128).contains(&n) => Dim::Known(n as u32),
                Some(n) => {
                    return Err(Diagnostic::new(
                        elem.span(),
                        format!("shape dimensions must be positive, found {n}"),
                    ))
                }
            };
            dims.push(dim);
        }
        Ok(dims)
    }

    /// An axis of a tile of rank `rank`, in `0..rank + extra` (negative
    /// axes count from the end); `None` if not known yet.
    pub(super) fn axis_arg(
        &mut self,
        e: &syn::Expr,
        rank: usize,
        extra: usize,
    ) -> Result<Option<usize>, Diagnostic> {
        self.axis_arg_hinted(e, rank, extra, "")
    }

    pub(super) fn axis_arg_hinted(
        &mut self,
        e: &syn::Expr,
        rank: usize,
        extra: usize,
        hint: &str,
    ) -> Result<Option<usize>, Diagnostic> {
        let Some(axis) = self.compile_time_int_hinted(e, "an axis", hint)? else {
            return Ok(None);
        };
        let bound = (rank + extra) as i128;
        let normalized = if axis < 0 { axis + bound } else { axis };
        if !(0..bound).contains(&normalized) {
            return Err(Diagnostic::new(
                e.span(),
                format!("axis {axis} is out of range for a tile of rank {rank}"),
            ));
        }
        Ok(Some(normalized as usize))
    }
}

impl Lowerer<'_> {
    /// A compile-time `bool`; `None` if it depends on a constexpr not known
    /// yet. `what` names it in errors.
    pub(super) fn compile_time_bool(
        &mut self,
        e: &syn::Expr,
        what: &str,
    ) -> Result<Option<bool>, Diagnostic> {
        let v = self.lower_value(e)?;
        if !(v.ty.is_scalar() && v.dtype() == Some(Dtype::I1)) {
            return Err(Diagnostic::new(
                v.span,
                format!("{what} must be a `bool`, found `{}`", v.ty),
            ));
        }
        match v.konst() {
            Some(Konst::Bool(b)) => Ok(Some(b)),
            Some(Konst::Unknown) => Ok(None),
            _ => Err(Diagnostic::new(
                v.span,
                format!(
                    "{what} must be known at compile time (a literal, a `#[constexpr]` parameter, or a comparison of them), but this is a runtime value"
                ),
            )),
        }
    }
}

/// Argument `i` as a string literal; `what` names it in the error.
pub(super) fn string_arg(site: &CallSite, i: usize, what: &str) -> Result<String, Diagnostic> {
    match strip(site.args[i]) {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Ok(s.value()),
        other => Err(Diagnostic::new(
            other.span(),
            format!(
                "{what} of `{}` must be a string literal, like `\"x\"`",
                site.name
            ),
        )),
    }
}

fn strip(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => strip(&p.expr),
        syn::Expr::Group(g) => strip(&g.expr),
        e => e,
    }
}
