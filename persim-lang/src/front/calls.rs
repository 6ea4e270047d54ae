//! Calls of device functions and custom ops.
//!
//! A call whose path is not a primitive (`silu(x)`, `act::gelu(x)`) names
//! a `#[persim::func]` or `#[persim::custom_op]` item, which rustc resolved
//! through the path (see `source.rs`). At launch the frontend finds the
//! record in the caller's dependency table and:
//!
//! - for a device function, checks the arguments against its signature,
//!   specializes it for their types (`module::specialize`) and emits a
//!   `call` op;
//! - for a custom op, converts the arguments to its scalar parameter types
//!   (weak literals only: no silent conversions), broadcasts them to one
//!   shape and emits the elementwise `custom` op.
//!
//! At build time no callee is visible: the call's arguments are checked as
//! far as they go, recorded as a [`CallShadow`] for rustc to check against
//! the callee's signature, and the call's result is deferred to launch.

use super::device::ArgBinding;
use super::diag::Diagnostic;
use super::dtype_syntax::source_name;
use super::func_sig::{DtypeSpec, ElemSpec, FuncParamKind};
use super::lowerer::{internal, Lowerer};
use super::module::{specialize, Calls};
use super::shadow::{CallShadow, ShadowArg};
use super::source::{path_key, CalleeSource, CustomOpSource};
use super::value::{Konst, Provenance, Repr, Val};
use crate::ir::{Attr, Attrs, Dtype, Elem, Opcode};
use proc_macro2::Span;
use syn::spanned::Spanned;

impl Lowerer<'_> {
    /// A call of the device function or custom op `path` names.
    pub(crate) fn lower_callee_call(
        &mut self,
        c: &syn::ExprCall,
        path: &syn::Path,
    ) -> Result<Vec<Val>, Diagnostic> {
        let span = path
            .segments
            .last()
            .map_or_else(|| path.span(), |s| s.ident.span());
        if let Some(args) = path.segments.iter().find(|s| !s.arguments.is_none()) {
            return Err(Diagnostic::new(
                args.arguments.span(),
                "device functions and custom ops take no type arguments: element types come from the arguments",
            ));
        }
        let Some(calls) = self.calls else {
            if self.deferring {
                return Err(self.defer_call(c, path, span));
            }
            return Err(Diagnostic::new(
                span,
                format!(
                    "cannot resolve `{}`: calls are resolved through the records `#[persim::kernel]` and `#[persim::func]` make, and this function was built without them",
                    path_key(path)
                ),
            ));
        };
        let key = path_key(path);
        let Some(dep) = calls.deps.iter().find(|d| d.path == key) else {
            return Err(internal(
                span,
                &format!("no dependency recorded for the call path `{key}`"),
            ));
        };
        match (dep.callee)() {
            CalleeSource::Func(src) => {
                let parsed = calls.module.borrow_mut().parse(src)?;
                self.call_device(calls, &parsed, c, span)
            }
            CalleeSource::Custom(op) => self.call_custom(op, c, span).map(|v| vec![v]),
        }
    }

    /// Record the build-time shadow of a call and defer its result; an
    /// argument with an error of its own is that error.
    fn defer_call(&mut self, c: &syn::ExprCall, path: &syn::Path, span: Span) -> Diagnostic {
        let mut args = Vec::with_capacity(c.args.len());
        for e in &c.args {
            let shadow = match self.lower_value(e) {
                Ok(v) => shadow_of(&v, &self.runtime_params),
                Err(d) if d.deferred => ShadowArg::Unknown,
                Err(d) => return d,
            };
            args.push((shadow, e.span()));
        }
        let shadow = CallShadow {
            path: path.clone(),
            paren: c.paren_token.span.join(),
            args,
            combine: false,
        };
        // A loop body is lowered more than once (dry runs): keep one shadow
        // per call expression (the AST node does not move), the last (its
        // pointer provenance is the widest).
        let node = c as *const syn::ExprCall as usize;
        match self.shadow_nodes.iter().position(|&n| n == node) {
            Some(i) => self.shadows[i] = shadow,
            None => {
                self.shadow_nodes.push(node);
                self.shadows.push(shadow);
            }
        }
        Diagnostic::deferred(span)
    }

    fn call_device(
        &mut self,
        calls: Calls,
        callee: &std::rc::Rc<super::module::Parsed>,
        c: &syn::ExprCall,
        span: Span,
    ) -> Result<Vec<Val>, Diagnostic> {
        let sig = &callee.sig;
        if c.args.len() != sig.params.len() {
            let plural = if sig.params.len() == 1 { "" } else { "s" };
            return Err(Diagnostic::new(
                span,
                format!(
                    "`{}` takes {} argument{plural} (`{}`), found {}",
                    sig.name,
                    sig.params.len(),
                    sig.describe(),
                    c.args.len()
                ),
            ));
        }
        // Arguments in order: constexprs as compile-time values, the rest
        // lowered.
        let mut args: Vec<Option<Val>> = Vec::with_capacity(c.args.len());
        let mut consts: Vec<Option<i64>> = Vec::with_capacity(c.args.len());
        for (p, e) in sig.params.iter().zip(&c.args) {
            match p.kind {
                FuncParamKind::Constexpr(d) => {
                    consts.push(Some(self.constexpr_arg(e, d, &p.name, &sig.name)?));
                    args.push(None);
                }
                FuncParamKind::Value(_) => {
                    consts.push(None);
                    args.push(Some(self.lower_value(e)?));
                }
            }
        }
        self.call_specialized(calls, callee, args, consts, span)
    }

    /// Check the arguments of a device function call (`args[i]` for a value
    /// parameter, `consts[i]` for a constexpr one) against its signature,
    /// specialize it for their types and emit the `call` op at the current
    /// block; the results.
    pub(crate) fn call_specialized(
        &mut self,
        calls: Calls,
        callee: &std::rc::Rc<super::module::Parsed>,
        args: Vec<Option<Val>>,
        consts: Vec<Option<i64>>,
        span: Span,
    ) -> Result<Vec<Val>, Diagnostic> {
        let sig = &callee.sig;
        let generics = self.bind_generics(callee, &args)?;
        let mut bindings = Vec::with_capacity(args.len());
        let mut operands = Vec::new();
        for ((p, arg), k) in sig.params.iter().zip(args).zip(consts) {
            match (&p.kind, arg, k) {
                (FuncParamKind::Constexpr(d), _, Some(v)) => bindings.push(ArgBinding::Const {
                    dtype: *d,
                    value: Some(v),
                }),
                (FuncParamKind::Value(spec), Some(v), _) => {
                    let what = format!("argument `{}`", p.name);
                    let v = self.conform(v, spec, &generics, &what, Some(&sig.name))?;
                    bindings.push(ArgBinding::Runtime {
                        ty: v.ty.clone(),
                        mutable: spec.elem().is_mut_ptr(),
                    });
                    operands.push(v);
                }
                _ => return Err(internal(span, "argument kinds out of step")),
            }
        }
        let spec = specialize(calls.module, callee, bindings, &generics, span)
            .map_err(|d| self.locate(d))?;
        let prov = operands
            .iter()
            .fold(Provenance::none(), |p, v| p.union(&v.prov));
        let results: Vec<super::ty::TileTy> = spec
            .results
            .iter()
            .map(|t| super::ty::TileTy::from_ir(t).ok_or_else(|| internal(span, "buffer result")))
            .collect::<Result<_, _>>()?;
        let mut values = Vec::new();
        for v in &operands {
            values.extend(self.materialize(v)?);
        }
        let attrs = Attrs::new().with("callee", Attr::Str(spec.name.clone()));
        let op = self.emit_op(span, Opcode::Call, &values, attrs, &[], Some(spec.results))?;
        let built = self.op_results(op);
        Ok(results
            .into_iter()
            .enumerate()
            .map(|(i, ty)| {
                let p = if ty.is_ptr() {
                    prov.clone()
                } else {
                    Provenance::none()
                };
                Val::dynamic(ty, built.get(i).copied().flatten(), p, span)
            })
            .collect())
    }

    /// The value of the argument for `#[constexpr] name: d`.
    fn constexpr_arg(
        &mut self,
        e: &syn::Expr,
        d: Dtype,
        name: &str,
        callee: &str,
    ) -> Result<i64, Diagnostic> {
        let v = self.lower_value(e)?;
        let wrong = |v: &Val, why: &str| {
            Diagnostic::new(
                v.span,
                format!(
                    "`{name}` of `{callee}` is a `#[constexpr] {}`: {why}",
                    source_name(d)
                ),
            )
        };
        let value = match (v.konst(), d) {
            (Some(Konst::Bool(b)), Dtype::I1) => i64::from(b),
            (Some(Konst::Int(i)), d) if d != Dtype::I1 && v.dtype().is_some_and(Dtype::is_int) => {
                if !super::numeric::fits(i, d) {
                    return Err(wrong(&v, &format!("{i} does not fit")));
                }
                i as i64
            }
            (Some(Konst::Unknown), _) => {
                return Err(internal(v.span, "unknown constant at launch"))
            }
            (Some(_), _) => return Err(wrong(&v, &format!("found `{}`", v.ty))),
            (None, _) => {
                return Err(wrong(
                    &v,
                    "the argument must be known at compile time (a literal, a `#[constexpr]` parameter, or arithmetic on them), but this is a runtime value",
                ))
            }
        };
        Ok(value)
    }

    /// The element type of each type parameter, from the arguments whose
    /// type mentions it: strong arguments first, then weak literals at
    /// their default type if nothing else fixed it.
    fn bind_generics(
        &self,
        callee: &super::module::Parsed,
        args: &[Option<Val>],
    ) -> Result<Vec<(String, Dtype)>, Diagnostic> {
        let sig = &callee.sig;
        let mut bound: Vec<(String, Dtype, Span)> = Vec::new();
        for weak_pass in [false, true] {
            for (p, arg) in sig.params.iter().zip(args) {
                let (FuncParamKind::Value(spec), Some(v)) = (&p.kind, arg) else {
                    continue;
                };
                if v.is_weak() != weak_pass {
                    continue;
                }
                let (name, found) = match (spec.elem(), v.ty.elem) {
                    (ElemSpec::Data(DtypeSpec::Generic(t)), Elem::Val(d)) => (t, d),
                    (
                        ElemSpec::Ptr {
                            pointee: DtypeSpec::Generic(t),
                            ..
                        },
                        Elem::Ptr(d),
                    ) => (t, d),
                    // Pointer/data mismatches are reported by `conform`.
                    _ => continue,
                };
                match bound.iter().find(|(n, ..)| n == name) {
                    None => bound.push((name.clone(), found, v.span)),
                    Some(_) if weak_pass => {}
                    Some((_, d, _)) if *d == found => {}
                    Some((_, d, _)) => {
                        return Err(Diagnostic::new(
                            v.span,
                            format!(
                                "mismatched types: `{}` is `{}` from an earlier argument of `{}`, but argument `{}` has type `{}`",
                                name,
                                source_name(*d),
                                sig.name,
                                p.name,
                                v.ty
                            ),
                        ))
                    }
                }
            }
        }
        Ok(bound.into_iter().map(|(n, d, _)| (n, d)).collect())
    }

    /// `op(args)`: each argument converted to its parameter type, all
    /// broadcast to one shape, the elementwise `custom` op.
    fn call_custom(
        &mut self,
        op: &'static CustomOpSource,
        c: &syn::ExprCall,
        span: Span,
    ) -> Result<Val, Diagnostic> {
        if c.args.len() != op.params.len() {
            let plural = if op.params.len() == 1 { "" } else { "s" };
            return Err(Diagnostic::new(
                span,
                format!(
                    "custom op `{}` takes {} argument{plural}, found {}",
                    op.name,
                    op.params.len(),
                    c.args.len()
                ),
            ));
        }
        if op.params.is_empty() {
            // The macro refuses such ops; a hand-made record may not.
            return Err(Diagnostic::new(
                span,
                format!(
                    "custom op `{}` takes no arguments, so it has no elementwise shape",
                    op.name
                ),
            ));
        }
        let mut args = Vec::with_capacity(c.args.len());
        for (e, &d) in c.args.iter().zip(op.params) {
            let v = self.lower_value(e)?;
            let v = if v.is_weak() {
                self.settle_weak(&v, d)?
            } else {
                v
            };
            if v.dtype() != Some(d) {
                let hint = if v.dtype().is_some() {
                    format!("; convert it with `.to::<{}>()`", source_name(d))
                } else {
                    String::new()
                };
                return Err(Diagnostic::new(
                    v.span,
                    format!(
                        "mismatched types: custom op `{}` takes `{}` elements here, found `{}`{hint}",
                        op.name,
                        source_name(d),
                        v.ty
                    ),
                ));
            }
            args.push(v);
        }
        let mut dims = args[0].ty.dims.clone();
        for v in &args[1..] {
            dims = super::broadcast::broadcast_dims(&dims, &v.ty.dims).map_err(|_| {
                Diagnostic::new(
                    span,
                    format!(
                        "the arguments of `{}` have shapes that do not broadcast",
                        op.name
                    ),
                )
            })?;
        }
        let mut operands = Vec::with_capacity(args.len());
        for v in args {
            let v = self.strengthen(v);
            operands.push(self.broadcast_to(v, &dims, span, "the argument")?);
        }
        let attrs = Attrs::new()
            .with("name", Attr::Str(op.name.to_string()))
            .with("symbol", Attr::Str(op.symbol.to_string()))
            .with("ret", Attr::Dtype(op.ret));
        let ty = operands[0].ty.with_dtype(op.ret);
        let refs: Vec<&Val> = operands.iter().collect();
        self.emit(span, Opcode::Custom, &refs, attrs, ty, Provenance::none())
    }
}

impl Lowerer<'_> {
    /// After a build-time check: a shadow for every callee call the check
    /// did not reach (it sat in a deferred statement), its arguments
    /// unknown, so that rustc still resolves the callee and checks the
    /// number of arguments.
    pub(crate) fn shadow_unreached_calls(&mut self, block: &syn::Block) {
        for c in super::syntax::callee_calls(block) {
            let node = c as *const syn::ExprCall as usize;
            let syn::Expr::Path(p) = &*c.func else {
                continue;
            };
            if self.shadow_nodes.contains(&node) {
                continue;
            }
            self.shadow_nodes.push(node);
            self.shadows.push(CallShadow {
                path: p.path.clone(),
                paren: c.paren_token.span.join(),
                args: c
                    .args
                    .iter()
                    .map(|e| (ShadowArg::Unknown, e.span()))
                    .collect(),
                combine: false,
            });
        }
        for (e, path, k) in super::syntax::combine_args(block) {
            let node = e as *const syn::Expr as usize;
            if self.shadow_nodes.contains(&node) {
                continue;
            }
            self.shadow_nodes.push(node);
            self.shadows.push(CallShadow {
                path: path.clone(),
                paren: e.span(),
                args: vec![(ShadowArg::Unknown, e.span()); 2 * k],
                combine: true,
            });
        }
    }
}

/// What the build-time check knows of an argument, for its shadow.
fn shadow_of(v: &Val, params: &[super::lowerer::RuntimeParam]) -> ShadowArg {
    let mutable = v.ty.is_ptr()
        && !v.prov.params().is_empty()
        && v.prov
            .params()
            .iter()
            .all(|&p| params.get(p as usize).is_some_and(|q| q.mutable));
    match &v.repr {
        Repr::Const { weak: true, value } => match value {
            Konst::Float(_) => ShadowArg::FloatLit,
            _ => ShadowArg::IntLit,
        },
        Repr::Const { .. } => match v.dtype() {
            Some(d) => ShadowArg::Const(d),
            None => ShadowArg::Unknown,
        },
        Repr::Dyn(_) if v.ty.is_scalar() => ShadowArg::Scalar {
            elem: v.ty.elem,
            mutable,
        },
        Repr::Dyn(_) => ShadowArg::Tile {
            elem: v.ty.elem,
            mutable,
        },
        // Tuples and block pointers are not device-function arguments;
        // `conform` reports them when the call is built.
        Repr::Aggregate(_) => ShadowArg::Unknown,
    }
}
