//! A device function's body: its parameters bound to what a call passes,
//! its body lowered like a kernel's, its last expression (or tuple of
//! expressions) returned.
//!
//! The same code checks a device function at `cargo build`
//! ([`super::check_func`]) and builds each specialization at launch
//! (`module::specialize`). At build time a parameter whose type depends on
//! the callers — an element-type parameter `T`, or a `Tile<E>` of unknown
//! rank — is *deferred*: statements that need it are checked at launch,
//! when the call fixes its type. A `Tile<E, R>` parameter is a tile of rank
//! `R` with unknown dimensions, checked now as a kernel's tiles are.

use super::diag::Diagnostic;
use super::dtype_syntax::source_name;
use super::func_sig::{FuncParamKind, FuncSig, ValueSpec};
use super::lowerer::{internal, Lowerer, RuntimeParam};
use super::module::Calls;
use super::shadow::CallShadow;
use super::srcmap::SourceMap;
use super::ty::TileTy;
use super::value::{Konst, Provenance, Val};
use crate::ir::{self, Attrs, Dtype, Function, Opcode, Type};
use syn::spanned::Spanned;

/// What a parameter is bound to.
#[derive(Clone, Debug)]
pub(crate) enum ArgBinding {
    /// A runtime value of this type (all dimensions known at launch);
    /// `mutable` for pointers declared `*mut`.
    Runtime { ty: TileTy, mutable: bool },
    /// A constexpr: its value, `None` at build time.
    Const { dtype: Dtype, value: Option<i64> },
    /// Typed only at launch (build-time check).
    Deferred,
}

impl ArgBinding {
    pub fn ir_type(&self) -> Option<Type> {
        match self {
            ArgBinding::Runtime { ty, .. } => ty.to_ir(),
            _ => None,
        }
    }

    pub fn value(&self) -> Option<i64> {
        match self {
            ArgBinding::Const { value, .. } => *value,
            _ => None,
        }
    }
}

/// A lowered device function: the IR when built, the calls seen when
/// checked.
pub(crate) struct LoweredDevice {
    pub func: Option<Function>,
    pub shadows: Vec<CallShadow>,
}

/// Lower the body of `item` for `bindings` (one per parameter). With
/// `target` (the specialization's name and the source map of its file) the
/// IR is built; without, the body is checked with deferral.
pub(crate) fn lower_device(
    item: &syn::ItemFn,
    sig: &FuncSig,
    bindings: &[ArgBinding],
    generics: &[(String, Dtype)],
    target: Option<(String, &SourceMap)>,
    calls: Option<Calls>,
) -> Result<LoweredDevice, Diagnostic> {
    let building = target.is_some();
    let mut ir_params = Vec::new();
    let mut runtime = Vec::new();
    for (p, b) in sig.params.iter().zip(bindings) {
        let (ArgBinding::Runtime { ty, mutable }, FuncParamKind::Value(spec)) = (b, &p.kind) else {
            continue;
        };
        runtime.push(RuntimeParam {
            name: p.name.clone(),
            mutable: *mutable,
            dtype_text: spec.to_string(),
        });
        if building {
            let ty = ty
                .to_ir()
                .ok_or_else(|| internal(p.span, "unknown dimension in a specialization"))?;
            ir_params.push(ir::Param {
                name: p.name.clone(),
                ty,
                mutable: *mutable,
            });
        }
    }
    let (func, srcmap) = match target {
        Some((name, map)) => (
            Some(Function::device(name, ir_params, Vec::new())),
            Some(map),
        ),
        None => (None, None),
    };
    let mut cx = Lowerer::with_params(func, runtime, srcmap, calls);
    cx.deferring = !building;
    cx.device = true;
    let result = lower_body(&mut cx, item, sig, bindings, generics);
    result.map_err(|d| cx.locate(d))?;
    if !building {
        super::syntax::check_syntax(&item.block)?;
        cx.shadow_unreached_calls(&item.block);
    }
    Ok(LoweredDevice {
        func: cx.func,
        shadows: cx.shadows,
    })
}

fn lower_body(
    cx: &mut Lowerer,
    item: &syn::ItemFn,
    sig: &FuncSig,
    bindings: &[ArgBinding],
    generics: &[(String, Dtype)],
) -> Result<(), Diagnostic> {
    cx.scope.push_frame();
    let mut index = 0u32;
    for (p, b) in sig.params.iter().zip(bindings) {
        match b {
            ArgBinding::Runtime { ty, .. } => {
                let value = cx.func.as_ref().map(|f| f.param_value(index as usize));
                let prov = if ty.is_ptr() {
                    Provenance::param(index)
                } else {
                    Provenance::none()
                };
                index += 1;
                let v = Val::dynamic(ty.clone(), value, prov, p.span);
                cx.scope.bind(p.name.clone(), v, p.mutable_binding);
            }
            ArgBinding::Const { dtype, value } => {
                let k = match value {
                    None => Konst::Unknown,
                    Some(v) if *dtype == Dtype::I1 => Konst::Bool(*v != 0),
                    Some(v) => Konst::Int(i128::from(*v)),
                };
                cx.scope.bind(
                    p.name.clone(),
                    Val::constant(*dtype, k, false, p.span),
                    false,
                );
            }
            ArgBinding::Deferred => {
                cx.scope
                    .bind_deferred(p.name.clone(), p.mutable_binding, p.span);
            }
        }
    }
    let close = item.block.brace_token.span.close();
    let (stmts, tail) = split_tail(&item.block.stmts, sig)?;
    cx.lower_stmts(stmts, false)?;
    let values = match tail {
        None if sig.results.is_empty() => Vec::new(),
        None => {
            return Err(Diagnostic::new(
                close,
                format!(
                    "`{}` returns {}: end its body with the value, without `;`",
                    sig.name,
                    result_text(sig)
                ),
            ))
        }
        Some(tail) => match cx.lower_values(tail, sig.results.len()) {
            Ok(values) => values,
            Err(d) if d.deferred && cx.deferring => return Ok(()),
            Err(d) => return Err(d),
        },
    };
    let mut returned = Vec::with_capacity(values.len());
    for (i, (v, (spec, _))) in values.into_iter().zip(&sig.results).enumerate() {
        let what = if sig.results.len() == 1 {
            "the returned value".to_string()
        } else {
            format!("returned value {i}")
        };
        returned.push(cx.conform(v, spec, generics, &what, None)?);
    }
    if let Some(f) = &mut cx.func {
        f.results = returned
            .iter()
            .map(|v| v.ty.to_ir())
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| internal(close, "unknown dimension in a result"))?;
    }
    let mut operands = Vec::new();
    for v in &returned {
        operands.extend(cx.materialize(v)?);
    }
    cx.emit_op(close, Opcode::Return, &operands, Attrs::new(), &[], None)?;
    Ok(())
}

/// The statements before the returned expression, and that expression: the
/// last expression without `;`, or `return e;` as the last statement.
fn split_tail<'s>(
    stmts: &'s [syn::Stmt],
    sig: &FuncSig,
) -> Result<(&'s [syn::Stmt], Option<&'s syn::Expr>), Diagnostic> {
    let Some((last, rest)) = stmts.split_last() else {
        return Ok((stmts, None));
    };
    match last {
        syn::Stmt::Expr(syn::Expr::Return(r), _) => match &r.expr {
            None if sig.results.is_empty() => Ok((rest, None)),
            None => Err(Diagnostic::new(
                r.return_token.span,
                format!(
                    "`{}` returns {}: `return` needs the value",
                    sig.name,
                    result_text(sig)
                ),
            )),
            Some(_) if sig.results.is_empty() => Err(Diagnostic::new(
                r.return_token.span,
                format!(
                    "`{}` declares no return type, so it returns no value",
                    sig.name
                ),
            )),
            Some(e) => Ok((rest, Some(e))),
        },
        syn::Stmt::Expr(e, None) if !sig.results.is_empty() => Ok((rest, Some(e))),
        _ => Ok((stmts, None)),
    }
}

fn result_text(sig: &FuncSig) -> String {
    match sig.results.as_slice() {
        [(one, _)] => format!("`{one}`"),
        many => {
            let list: Vec<String> = many.iter().map(|(t, _)| t.to_string()).collect();
            format!("`({})`", list.join(", "))
        }
    }
}

impl Lowerer<'_> {
    /// `n` values from `e`: one expression for `n == 1`, else a tuple
    /// `(a, b)` or a call of a device function returning `n` values.
    pub fn lower_values(&mut self, e: &syn::Expr, n: usize) -> Result<Vec<Val>, Diagnostic> {
        if n == 1 {
            return Ok(vec![self.lower_value(e)?]);
        }
        match strip(e) {
            syn::Expr::Tuple(t) if t.elems.len() == n => {
                t.elems.iter().map(|x| self.lower_value(x)).collect()
            }
            syn::Expr::Tuple(t) => Err(Diagnostic::new(
                t.paren_token.span.open(),
                format!("expected {n} values, found a tuple of {}", t.elems.len()),
            )),
            syn::Expr::Call(c) => {
                let values = self.lower_call_values(c)?;
                if values.len() != n {
                    return Err(Diagnostic::new(
                        c.func.span(),
                        format!(
                            "expected {n} values, but this call returns {}",
                            values.len()
                        ),
                    ));
                }
                Ok(values)
            }
            other => Err(Diagnostic::new(
                other.span(),
                format!("expected {n} values: a tuple `(a, b, ..)` or a call returning {n}"),
            )),
        }
    }

    /// `v` as a value of the signature type `spec` (an argument or a
    /// result): the rank it declares, its element type (a weak literal
    /// takes it; an element-type parameter must already be bound), and for
    /// `*mut` pointer arguments pointers the caller may store through.
    /// `callee` names the callee in argument errors.
    pub(crate) fn conform(
        &mut self,
        v: Val,
        spec: &ValueSpec,
        generics: &[(String, Dtype)],
        what: &str,
        callee: Option<&str>,
    ) -> Result<Val, Diagnostic> {
        let expected = || {
            let mut s = spec.to_string();
            for (name, d) in generics {
                if s.contains(name.as_str()) {
                    s = format!("{s} with `{name} = {}`", source_name(*d));
                }
            }
            s
        };
        if let Some(rank) = spec.rank() {
            if v.ty.rank() != rank {
                let kind = if rank == 0 {
                    "a scalar".to_string()
                } else {
                    format!("a tile of rank {rank}")
                };
                return Err(Diagnostic::new(
                    v.span,
                    format!(
                        "mismatched types: {what} must be {kind} (`{}`), found `{}`",
                        expected(),
                        v.ty
                    ),
                ));
            }
        }
        let lookup = |name: &str| generics.iter().find(|(n, _)| n == name).map(|(_, d)| *d);
        let Some(elem) = spec.elem().resolve(&lookup) else {
            return Err(internal(v.span, "unbound element-type parameter"));
        };
        let v = match (v.is_weak(), elem.dtype()) {
            (true, Some(d)) => self.settle_weak(&v, d)?,
            _ => v,
        };
        if v.ty.elem != elem {
            let hint = match (v.dtype(), elem.dtype()) {
                (Some(_), Some(d)) => format!("; convert it with `.to::<{}>()`", source_name(d)),
                _ => String::new(),
            };
            return Err(Diagnostic::new(
                v.span,
                format!(
                    "mismatched types: {what} must be `{}`, found `{}`{hint}",
                    expected(),
                    v.ty
                ),
            ));
        }
        if let (Some(callee), true) = (callee, spec.elem().is_mut_ptr()) {
            for &p in v.prov.params() {
                let param = &self.runtime_params[p as usize];
                if !param.mutable {
                    return Err(Diagnostic::new(
                        v.span,
                        format!(
                            "`{callee}` may store through {what}, declared `{}`, but these pointers derive from `{}`, declared `{}`",
                            expected(),
                            param.name,
                            param.dtype_text
                        ),
                    ));
                }
            }
        }
        Ok(v)
    }
}

fn strip(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => strip(&p.expr),
        syn::Expr::Group(g) => strip(&g.expr),
        e => e,
    }
}

/// How a build-time check binds a parameter: its type when the signature
/// fixes element type and rank (dimensions unknown), else deferred.
pub(crate) fn check_binding(kind: &FuncParamKind) -> ArgBinding {
    match kind {
        FuncParamKind::Constexpr(d) => ArgBinding::Const {
            dtype: *d,
            value: None,
        },
        FuncParamKind::Value(spec) => {
            let Some(elem) = spec.elem().resolve(&|_| None) else {
                return ArgBinding::Deferred;
            };
            let Some(rank) = spec.rank() else {
                return ArgBinding::Deferred;
            };
            let dims = vec![super::ty::Dim::Unknown; rank];
            ArgBinding::Runtime {
                ty: TileTy::new(elem, &dims),
                mutable: spec.elem().is_mut_ptr(),
            }
        }
    }
}
