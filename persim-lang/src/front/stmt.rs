//! Statements: `let`, assignments, expression statements, blocks.
//!
//! A variable has one type for its whole life, as in Rust: an assignment
//! must give it a value of that type. Weak literals adapt (`acc = 0.0` on a
//! tile of `f16`), and a variable still holding a weak literal takes the
//! type of the first value assigned to it.

use super::diag::Diagnostic;
use super::dtype_syntax::{param_type, source_name, ParamType};
use super::expr::{check_plain_block, unsupported};
use super::lowerer::Lowerer;
use super::operators::classify;
use super::value::Val;
use crate::ir::Elem;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Stmt};

impl Lowerer<'_> {
    /// Lower a block in a new scope; with `want_value`, its tail expression
    /// is its value (`None` if it has none).
    pub fn lower_block(
        &mut self,
        block: &syn::Block,
        want_value: bool,
    ) -> Result<Option<Val>, Diagnostic> {
        self.scope.push_frame();
        let result = self.lower_stmts(&block.stmts, want_value);
        self.scope.pop_frame();
        result
    }

    /// Lower statements; with `want_value`, a last expression without `;`
    /// is their value.
    ///
    /// In the build-time check (`deferring`), a statement that needs a
    /// value only known at launch is skipped: its effect on the scope is
    /// undone, except that a `let` binds its names as deferred too. An
    /// assignment skipped this way leaves the variable's type as it was,
    /// which is right: assignments keep a variable's type.
    pub fn lower_stmts(
        &mut self,
        stmts: &[Stmt],
        want_value: bool,
    ) -> Result<Option<Val>, Diagnostic> {
        for (i, stmt) in stmts.iter().enumerate() {
            let is_tail = i + 1 == stmts.len();
            if let Stmt::Expr(e, None) = stmt {
                if is_tail && want_value {
                    return self.lower_value(e).map(Some);
                }
            }
            if !self.deferring {
                self.lower_stmt(stmt)?;
                continue;
            }
            let (scope, block) = (self.scope.clone(), self.block);
            match self.lower_stmt(stmt) {
                Err(d) if d.deferred => {
                    self.scope = scope;
                    self.block = block;
                    if let Stmt::Local(local) = stmt {
                        for (name, mutable) in let_names(&local.pat) {
                            self.scope
                                .bind_deferred(name, mutable, local.let_token.span);
                        }
                    }
                }
                r => r?,
            }
        }
        Ok(None)
    }

    fn lower_stmt(&mut self, stmt: &Stmt) -> Result<(), Diagnostic> {
        match stmt {
            Stmt::Local(local) => self.lower_let(local),
            Stmt::Item(item) => Err(Diagnostic::new(
                item.span(),
                "items (functions, structs, `use`, ...) cannot be declared inside kernels",
            )),
            Stmt::Macro(m) => Err(Diagnostic::new(
                m.mac.path.span(),
                "macros are not supported inside kernels",
            )),
            Stmt::Expr(e, _) => self.lower_effect(e),
        }
    }

    /// Lower an expression for its effect, discarding any value.
    pub fn lower_effect(&mut self, e: &Expr) -> Result<(), Diagnostic> {
        match e {
            Expr::Assign(a) => {
                let value = self.lower_item(&a.right)?;
                self.assign(&a.left, value, a.eq_token.span)
            }
            Expr::Binary(b) if super::assigned::is_compound_assignment(&b.op) => {
                let (kind, sym) = classify(&b.op).expect("compound assignments classify");
                let current = self.lower_value(&b.left)?;
                let rhs = self.lower_value(&b.right)?;
                let value = self.binary(kind, sym, current, rhs, b.op.span())?;
                self.assign(&b.left, value, b.op.span())
            }
            Expr::If(i) => self.lower_if(i, false).map(drop),
            Expr::ForLoop(f) => self.lower_for(f),
            Expr::While(w) => self.lower_while(w),
            Expr::Block(b) => {
                check_plain_block(b)?;
                self.lower_block(&b.block, false).map(drop)
            }
            Expr::Call(c) => self.lower_call(c).map(drop),
            Expr::Paren(p) => self.lower_effect(&p.expr),
            Expr::Group(g) => self.lower_effect(&g.expr),
            Expr::Return(r) if self.device && r.expr.is_some() => Err(Diagnostic::new(
                r.return_token.span,
                "`return` with a value is only allowed as the last statement of a device function; make the value the last expression of the body",
            )),
            Expr::Return(_) => Err(unsupported(e)),
            _ => self.lower_value(e).map(drop),
        }
    }

    fn lower_let(&mut self, local: &syn::Local) -> Result<(), Diagnostic> {
        let (pat, annotation) = match &local.pat {
            syn::Pat::Type(t) => (&*t.pat, Some(&*t.ty)),
            p => (p, None),
        };
        let Some(init) = &local.init else {
            return Err(Diagnostic::new(
                local.let_token.span,
                "a `let` needs an initial value in kernels (`let x = ...;`)",
            ));
        };
        if let Some((else_token, _)) = &init.diverge {
            return Err(Diagnostic::new(
                else_token.span,
                "`let ... else` is not supported in kernels",
            ));
        }
        if let syn::Pat::Tuple(tuple) = pat {
            return self.lower_let_tuple(tuple, &init.expr, annotation);
        }
        let binding =
            match pat {
                syn::Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => {
                    Some((p.ident.to_string(), p.mutability.is_some()))
                }
                syn::Pat::Wild(_) => None,
                other => return Err(Diagnostic::new(
                    other.span(),
                    "kernels bind one variable per `let` (`let x = ...;` or `let mut x = ...;`), or the values of a call with `let (a, b) = f(..);`",
                )),
            };
        let mut value = self.lower_item(&init.expr)?;
        if value.as_tuple().is_some() {
            return Err(Diagnostic::new(
                pat.span(),
                "this value is a tuple: take it apart with `let (a, b) = ..;`",
            ));
        }
        if let (Some(ty), Some(bp)) = (annotation, value.as_block_ptr()) {
            return Err(Diagnostic::new(
                ty.span(),
                format!("this is a {}; it takes no type annotation", bp.describe()),
            ));
        }
        if let Some(ty) = annotation {
            value = self.check_annotation(value, ty)?;
        }
        if let Some((name, mutable)) = binding {
            self.scope.bind(name, value, mutable);
        }
        Ok(())
    }

    /// `let x: T = v`: `T` names the element type (`f32`, `*const f16`);
    /// the value must have it, a weak literal takes it.
    fn check_annotation(&mut self, value: Val, ty: &syn::Type) -> Result<Val, Diagnostic> {
        let elem = match param_type(ty).map_err(|_| {
            Diagnostic::new(
                ty.span(),
                "a kernel `let` annotation names an element type: a data type or `*const T`/`*mut T`",
            )
        })? {
            ParamType::Ptr { dtype, .. } => Elem::Ptr(dtype),
            ParamType::Scalar(d) => Elem::Val(d),
        };
        if value.ty.elem == elem && !value.is_weak() {
            return Ok(value);
        }
        if let (true, Elem::Val(d)) = (value.is_weak(), elem) {
            return self.settle_weak(&value, d);
        }
        let expected = match elem {
            Elem::Val(d) => format!("`{}`", source_name(d)),
            Elem::Ptr(d) => format!("pointers to `{}`", source_name(d)),
        };
        Err(Diagnostic::new(
            ty.span(),
            format!(
                "mismatched types: expected {expected}, found `{}`",
                value.ty
            ),
        ))
    }

    /// `target = value` (also the end of `target op= value`), at `span`.
    pub fn assign(&mut self, target: &Expr, value: Val, span: Span) -> Result<(), Diagnostic> {
        let ident = match target {
            Expr::Path(p) if p.qself.is_none() => p.path.get_ident(),
            _ => None,
        };
        let Some(ident) = ident else {
            return Err(Diagnostic::new(
                target.span(),
                "kernels can only assign to variables; memory is written with `store(ptrs, value)`",
            ));
        };
        let name = ident.to_string();
        let Some(id) = self.scope.lookup(&name) else {
            return Err(Diagnostic::new(
                ident.span(),
                format!("cannot find `{name}` in this kernel"),
            ));
        };
        let binding = self.scope.get(id);
        if binding.deferred {
            return Err(Diagnostic::deferred(ident.span()));
        }
        if !binding.mutable {
            return Err(Diagnostic::new(
                ident.span(),
                format!("cannot assign twice to immutable variable `{name}`; declare it `let mut {name}`"),
            ));
        }
        let current = binding.val.clone();
        let carried = binding.carried;
        let value = self.assignable(&name, &current, value, span, carried)?;
        self.scope.set(id, value);
        Ok(())
    }

    /// The value `value` as the new value of a variable holding `current`.
    fn assignable(
        &mut self,
        name: &str,
        current: &Val,
        value: Val,
        span: Span,
        carried: bool,
    ) -> Result<Val, Diagnostic> {
        if current.is_aggregate() || value.is_aggregate() {
            return super::destructure::assignable_aggregate(name, current, value, span);
        }
        let adoptable = |v: &Val| {
            v.ty.is_scalar()
                && v.dtype().is_some_and(|d| {
                    let literal = current.dtype().expect("weak values are data");
                    d.is_float() || (literal.is_int() && d.is_int())
                })
        };
        if value.is_weak() && current.is_weak() && value.ty == current.ty {
            return Ok(value);
        }
        if value.is_weak() {
            if let Some(d) = current.dtype() {
                let settled = self.settle_weak(&value, d)?;
                let dims = current.ty.dims.clone();
                return self.broadcast_to(settled, &dims, span, "the assigned value");
            }
        } else if current.ty.agrees(&value.ty) || (current.is_weak() && adoptable(&value)) {
            return Ok(value);
        }
        let why = if carried {
            " (a variable assigned in a loop keeps the type it has when the loop starts)"
        } else {
            ""
        };
        Err(Diagnostic::new(
            span,
            format!(
                "mismatched types: `{name}` has type `{}` but the assigned value has type `{}`{why}",
                current.ty, value.ty
            ),
        ))
    }
}

/// The names a `let` pattern binds, with their mutability.
fn let_names(pat: &syn::Pat) -> Vec<(String, bool)> {
    match pat {
        syn::Pat::Type(t) => let_names(&t.pat),
        syn::Pat::Ident(p) => vec![(p.ident.to_string(), p.mutability.is_some())],
        syn::Pat::Tuple(t) => t.elems.iter().flat_map(let_names).collect(),
        _ => Vec::new(),
    }
}
