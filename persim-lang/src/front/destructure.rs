//! Tuple patterns (`let (a, b) = split(x);`, `let (x, y) = (a, b);`) and
//! assignments involving aggregates (block pointers).
//!
//! Tuples are not values kernels can keep: a tuple pattern is the one place
//! a tuple is taken apart, and a tuple in any other place is an error.

use super::aggregate::Aggregate;
use super::diag::Diagnostic;
use super::lowerer::Lowerer;
use super::value::{Repr, Val};
use proc_macro2::Span;
use syn::spanned::Spanned;

impl Lowerer<'_> {
    /// The items of a tuple value (`split(x)`, `(a, b)`); anything else is
    /// an error at the value.
    fn tuple_items(&self, v: Val) -> Result<Vec<Val>, Diagnostic> {
        match v.repr {
            Repr::Aggregate(a) => match *a {
                Aggregate::Tuple(items) => Ok(items),
                Aggregate::BlockPtr(bp) => Err(Diagnostic::new(
                    v.span,
                    format!("expected a tuple, found a {}", bp.describe()),
                )),
            },
            _ => Err(Diagnostic::new(
                v.span,
                format!("expected a tuple, found `{}`; `split(x)` gives one", v.ty),
            )),
        }
    }

    /// `let (a, mut b, _) = init;`.
    pub fn lower_let_tuple(
        &mut self,
        pat: &syn::PatTuple,
        init: &syn::Expr,
        annotation: Option<&syn::Type>,
    ) -> Result<(), Diagnostic> {
        if let Some(ty) = annotation {
            return Err(Diagnostic::new(
                ty.span(),
                "a tuple pattern takes no type annotation in kernels",
            ));
        }
        let mut names = Vec::with_capacity(pat.elems.len());
        for elem in &pat.elems {
            names.push(match elem {
                syn::Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => {
                    Some((p.ident.to_string(), p.mutability.is_some()))
                }
                syn::Pat::Wild(_) => None,
                other => {
                    return Err(Diagnostic::new(
                        other.span(),
                        "a tuple pattern binds plain variables: `let (a, b) = ..;`",
                    ))
                }
            });
        }
        let items = match strip(init) {
            syn::Expr::Tuple(t) => t
                .elems
                .iter()
                .map(|e| self.lower_value(e))
                .collect::<Result<Vec<_>, _>>()?,
            syn::Expr::Call(c) => {
                // A device function returns its values as a list; a
                // primitive (`split`) returns one tuple value.
                let mut values = self.lower_call_values(c)?;
                match values.pop() {
                    Some(v) if values.is_empty() => self.tuple_items(v)?,
                    Some(v) => {
                        values.push(v);
                        values
                    }
                    None => {
                        return Err(Diagnostic::new(
                            c.func.span(),
                            "this call returns no value to take apart",
                        ))
                    }
                }
            }
            e => {
                let v = self.lower_item(e)?;
                self.tuple_items(v)?
            }
        };
        if items.len() != names.len() {
            return Err(Diagnostic::new(
                pat.span(),
                format!(
                    "this pattern binds {} values, but the tuple has {}",
                    names.len(),
                    items.len()
                ),
            ));
        }
        for (name, item) in names.into_iter().zip(items) {
            if let Some((name, mutable)) = name {
                self.scope.bind(name, item, mutable);
            }
        }
        Ok(())
    }
}

/// `value` as the new value of variable `name` holding `current`, when
/// either is an aggregate: a block pointer may be replaced by another of the
/// same element type and block shape; nothing else mixes.
pub fn assignable_aggregate(
    name: &str,
    current: &Val,
    value: Val,
    span: Span,
) -> Result<Val, Diagnostic> {
    let describe = |v: &Val| match v.as_block_ptr() {
        Some(bp) => format!("is a {}", bp.describe()),
        None if v.as_tuple().is_some() => "is a tuple".to_string(),
        None => format!("has type `{}`", v.ty),
    };
    if let (Some(a), Some(b)) = (current.as_block_ptr(), value.as_block_ptr()) {
        if a.pointee() == b.pointee() && current.ty.agrees(&value.ty) {
            return Ok(value);
        }
    }
    let hint = if value.as_tuple().is_some() {
        "; take a tuple apart with `let (a, b) = ..;`"
    } else {
        ""
    };
    Err(Diagnostic::new(
        span,
        format!(
            "mismatched types: `{name}` {} but the assigned value {}{hint}",
            describe(current),
            describe(&value)
        ),
    ))
}

fn strip(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => strip(&p.expr),
        syn::Expr::Group(g) => strip(&g.expr),
        e => e,
    }
}
