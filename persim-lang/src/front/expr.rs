//! Expressions: the dispatcher from syn's expression tree to the lowering of
//! each construct, and the reasons for rejecting the constructs kernels do
//! not have.

use super::diag::Diagnostic;
use super::dtype_syntax::{dtype_from_name, dtype_of_type};
use super::literal::{constant_names, float_literal, int_literal, named_constant};
use super::lowerer::Lowerer;
use super::operators::classify;
use super::primitives::{self, CallSite};
use super::suggest::did_you_mean;
use super::value::Val;
use syn::spanned::Spanned;
use syn::Expr;

impl Lowerer<'_> {
    /// Lower an expression that must produce a value: a tile or scalar (a
    /// tuple or block pointer is an error here).
    pub fn lower_value(&mut self, e: &Expr) -> Result<Val, Diagnostic> {
        let v = self.lower_item(e)?;
        match v.aggregate_misuse() {
            Some(why) => Err(Diagnostic::new(v.span, why)),
            None => Ok(v),
        }
    }

    /// Lower an expression that may also produce a tuple or a block pointer
    /// (see [`super::aggregate`]): what `let` and assignments take.
    pub fn lower_item(&mut self, e: &Expr) -> Result<Val, Diagnostic> {
        let span = e.span();
        let v = match e {
            Expr::Lit(lit) => lower_literal(&lit.lit)?,
            Expr::Path(p) => self.lower_path(p)?,
            Expr::Paren(p) => self.lower_item(&p.expr)?,
            Expr::Group(g) => self.lower_item(&g.expr)?,
            Expr::Binary(b) => {
                let Some((kind, sym)) =
                    classify(&b.op).filter(|_| !super::assigned::is_compound_assignment(&b.op))
                else {
                    return Err(Diagnostic::new(
                        b.op.span(),
                        "an assignment has no value; write it as a statement",
                    ));
                };
                let lhs = self.lower_value(&b.left)?;
                let rhs = self.lower_value(&b.right)?;
                self.binary(kind, sym, lhs, rhs, b.op.span())?
            }
            Expr::Unary(u) => {
                let v = self.lower_value(&u.expr)?;
                self.unary(&u.op, v)?
            }
            Expr::Cast(c) => {
                let v = self.lower_value(&c.expr)?;
                let d = dtype_of_type(&c.ty)?;
                self.cast(v, d, c.as_token.span)?
            }
            Expr::Call(c) => self
                .lower_call(c)?
                .ok_or_else(|| no_value(c.func.span(), "this call"))?,
            Expr::MethodCall(m) => self.lower_method(m)?,
            Expr::If(i) => self
                .lower_if(i, true)?
                .ok_or_else(|| no_value(i.if_token.span, "this `if`"))?,
            Expr::Block(b) => {
                check_plain_block(b)?;
                self.lower_block(&b.block, true)?
                    .ok_or_else(|| no_value(b.block.brace_token.span.close(), "this block"))?
            }
            Expr::Assign(a) => {
                return Err(Diagnostic::new(
                    a.eq_token.span,
                    "an assignment has no value; write it as a statement",
                ))
            }
            Expr::ForLoop(f) => return Err(no_value(f.for_token.span, "a `for` loop")),
            Expr::While(w) => return Err(no_value(w.while_token.span, "a `while` loop")),
            Expr::Array(a) => {
                return Err(Diagnostic::new(
                    a.bracket_token.span.open(),
                    "arrays are only allowed as shapes, as in `zeros([16, 16])`",
                ))
            }
            Expr::Range(r) => {
                return Err(Diagnostic::new(
                    r.limits.span(),
                    "ranges are only allowed as the bounds of a `for` loop",
                ))
            }
            other => return Err(unsupported(other)),
        };
        Ok(v.with_span(span))
    }

    fn lower_path(&mut self, p: &syn::ExprPath) -> Result<Val, Diagnostic> {
        if let Some(q) = &p.qself {
            return Err(Diagnostic::new(
                q.lt_token.span,
                "qualified paths are not supported in kernels",
            ));
        }
        let segments: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
        match segments.as_slice() {
            [one] if one.arguments.is_none() => {
                let name = one.ident.to_string();
                let span = one.ident.span();
                if let Some(id) = self.scope.lookup(&name) {
                    if self.scope.get(id).deferred {
                        return Err(Diagnostic::deferred(span));
                    }
                    return Ok(self.scope.read(id, span));
                }
                let mut message = format!("cannot find `{name}` in this kernel");
                if primitives::lookup(&name).is_some() {
                    message = format!("`{name}` is a function; call it as `{name}(..)`");
                } else if let Some(hint) = did_you_mean(&name, self.scope.names()) {
                    message.push_str(&hint);
                }
                Err(Diagnostic::new(span, message))
            }
            [ty, name] if ty.arguments.is_none() && name.arguments.is_none() => {
                let type_name = ty.ident.to_string();
                let Some(dtype) = dtype_from_name(&type_name) else {
                    return Err(Diagnostic::new(
                        ty.ident.span(),
                        format!("unknown type `{type_name}` in a constant path"),
                    ));
                };
                let const_name = name.ident.to_string();
                named_constant(&type_name, &const_name)
                    .map(|(d, k)| Val::constant(d, k, false, name.ident.span()))
                    .ok_or_else(|| {
                        Diagnostic::new(
                            name.ident.span(),
                            format!(
                                "`{type_name}` has no constant `{const_name}`; kernels know {}",
                                constant_names(dtype)
                            ),
                        )
                    })
            }
            _ => Err(Diagnostic::new(
                p.span(),
                "paths are not supported here; name a variable or a constant like `f32::MAX`",
            )),
        }
    }

    /// A call with at most one value; `None` for calls without one
    /// (`store`, a device function returning nothing).
    pub fn lower_call(&mut self, c: &syn::ExprCall) -> Result<Option<Val>, Diagnostic> {
        let mut values = self.lower_call_values(c)?;
        match values.len() {
            0 | 1 => Ok(values.pop()),
            n => Err(Diagnostic::new(
                c.func.span(),
                format!(
                    "this call returns {n} values; bind them with `let ({}) = ..;`",
                    (0..n)
                        .map(|i| format!("v{i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    /// A call of a primitive (its value, if any), or of a device function or
    /// custom op (all its values).
    pub fn lower_call_values(&mut self, c: &syn::ExprCall) -> Result<Vec<Val>, Diagnostic> {
        let syn::Expr::Path(path) = &*c.func else {
            return Err(Diagnostic::new(
                c.func.span(),
                "only primitives, device functions and custom ops can be called in kernels, by name",
            ));
        };
        if let Some(q) = &path.qself {
            return Err(Diagnostic::new(
                q.lt_token.span,
                "qualified paths are not supported in kernels",
            ));
        }
        let segments = &path.path.segments;
        let is_primitive =
            |s: &syn::PathSegment| primitives::lookup(&s.ident.to_string()).is_some();
        if segments.len() > 1
            && segments[0].ident == "persim"
            && segments.last().is_some_and(is_primitive)
        {
            return Err(Diagnostic::new(
                path.span(),
                "primitives are called by their plain name (`load`, not `persim::load`)",
            ));
        }
        let [segment] = segments.iter().collect::<Vec<_>>()[..] else {
            return self.lower_callee_call(c, &path.path);
        };
        if path.path.leading_colon.is_some() {
            return self.lower_callee_call(c, &path.path);
        }
        let name = segment.ident.to_string();
        let span = segment.ident.span();
        // Primitives are built in: a variable of the same name does not
        // hide them (`let max = max(x, 0);` then `max(y, 0)` still works).
        let Some(prim) = primitives::lookup(&name) else {
            if self.scope.lookup(&name).is_some() {
                return Err(Diagnostic::new(
                    span,
                    format!("`{name}` is a variable, not a function"),
                ));
            }
            return self.lower_callee_call(c, &path.path);
        };
        let site = CallSite::new(&name, span, &segment.arguments, c.args.iter().collect())?;
        Ok(prim.call(self, &site)?.into_iter().collect())
    }

    pub fn lower_method(&mut self, m: &syn::ExprMethodCall) -> Result<Val, Diagnostic> {
        let name = m.method.to_string();
        let span = m.method.span();
        let Some(method) = primitives::lookup_method(&name) else {
            let message = if name == "step_by" {
                "`step_by` is only allowed on the range of a `for` loop".to_string()
            } else {
                format!(
                    "unknown method `{name}`; tiles have {}",
                    primitives::method_list()
                )
            };
            return Err(Diagnostic::new(span, message));
        };
        let receiver = self.lower_value(&m.receiver)?;
        let generics = match &m.turbofish {
            Some(t) => syn::PathArguments::AngleBracketed(t.clone()),
            None => syn::PathArguments::None,
        };
        let site = CallSite::new(&name, span, &generics, m.args.iter().collect())?;
        method.call(self, receiver, &site)
    }
}

fn lower_literal(lit: &syn::Lit) -> Result<Val, Diagnostic> {
    match lit {
        syn::Lit::Int(i) => int_literal(i),
        syn::Lit::Float(f) => float_literal(f),
        syn::Lit::Bool(b) => Ok(Val::constant(
            crate::ir::Dtype::I1,
            super::value::Konst::Bool(b.value),
            false,
            b.span,
        )),
        other => Err(Diagnostic::new(
            other.span(),
            "only number and `bool` literals are allowed in kernels",
        )),
    }
}

fn no_value(span: proc_macro2::Span, what: &str) -> Diagnostic {
    Diagnostic::new(span, format!("{what} has no value here"))
}

/// Blocks with a label or `unsafe`/`async`/`const` are not plain scopes.
pub fn check_plain_block(b: &syn::ExprBlock) -> Result<(), Diagnostic> {
    if let Some(label) = &b.label {
        return Err(Diagnostic::new(
            label.name.span(),
            "labels are not supported in kernels",
        ));
    }
    Ok(())
}

/// The error for an expression kernels do not have, at its leading token.
pub fn unsupported(e: &Expr) -> Diagnostic {
    let (span, message): (proc_macro2::Span, &str) = match e {
        Expr::Closure(c) => (c.or1_token.span, "closures are not supported in kernels"),
        Expr::Match(m) => (m.match_token.span, "`match` is not supported in kernels; use `if`/`else`"),
        Expr::Loop(l) => (
            l.loop_token.span,
            "`loop` is not supported in kernels; use `while cond { .. }` or `for i in lo..hi { .. }`",
        ),
        Expr::Break(b) => (
            b.break_token.span,
            "`break` is not supported in kernels; make it the loop condition of a `while`",
        ),
        Expr::Continue(c) => (
            c.continue_token.span,
            "`continue` is not supported in kernels; guard the rest of the body with `if`",
        ),
        Expr::Return(r) if r.expr.is_some() => (
            r.return_token.span,
            "kernels return nothing; write results through a `*mut T` parameter",
        ),
        Expr::Return(r) => (
            r.return_token.span,
            "early `return` is not supported in kernels; guard the work with `if`",
        ),
        Expr::Reference(r) => (
            r.and_token.span,
            "references are not supported in kernels; memory is reached through pointer parameters",
        ),
        Expr::RawAddr(r) => (r.and_token.span, "raw addresses are not supported in kernels"),
        Expr::Index(i) => (
            i.bracket_token.span.open(),
            "indexing is not supported in kernels; use `load(ptrs)` for memory and `x.expand_dims(axis)` for `x[:, None]`",
        ),
        Expr::Field(f) => (f.dot_token.span, "fields are not supported in kernels"),
        Expr::Struct(s) => (s.path.span(), "struct literals are not supported in kernels"),
        Expr::Tuple(t) => (t.paren_token.span.open(), "tuples are not supported in kernels"),
        Expr::Macro(m) => (m.mac.path.span(), "macros are not supported inside kernels"),
        Expr::Try(t) => (t.question_token.span, "`?` is not supported in kernels"),
        Expr::Async(a) => (a.async_token.span, "`async` is not supported in kernels"),
        Expr::Await(a) => (a.await_token.span, "`.await` is not supported in kernels"),
        Expr::TryBlock(t) => (t.try_token.span, "`try` blocks are not supported in kernels"),
        Expr::Yield(y) => (y.yield_token.span, "`yield` is not supported in kernels"),
        Expr::Unsafe(u) => (u.unsafe_token.span, "`unsafe` blocks are not supported in kernels"),
        Expr::Const(c) => (c.const_token.span, "`const` blocks are not supported in kernels"),
        Expr::Let(l) => (l.let_token.span, "`let` expressions (`if let`) are not supported in kernels"),
        Expr::Repeat(r) => (r.bracket_token.span.open(), "array repeats are not supported in kernels"),
        Expr::Infer(i) => (i.underscore_token.span, "`_` is not an expression"),
        other => (other.span(), "this expression is not supported in kernels"),
    };
    Diagnostic::new(span, message)
}
