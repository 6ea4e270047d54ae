//! A whole kernel: its parameters bound in the outermost scope, its body
//! lowered, and a `return` at the end.

use super::diag::Diagnostic;
use super::lowerer::Lowerer;
use super::module::Calls;
use super::shadow::CallShadow;
use super::signature::ParamInfo;
use super::source::ParamKind;
use super::srcmap::SourceMap;
use super::ty::TileTy;
use super::value::{Konst, Provenance, Val};
use crate::ir::{self, Attrs, Dtype, Function, Opcode, Type};

/// A lowered kernel: the IR when built, the calls seen when checked.
pub(crate) struct LoweredKernel {
    pub func: Option<Function>,
    pub shadows: Vec<CallShadow>,
}

/// Lower `item`. With `consts` (all constexpr values, checked) the IR is
/// built, its calls resolved through `calls`; without, constexprs are
/// unknown, only types are checked, and values only known at launch
/// (results of device functions) are deferred.
pub(crate) fn lower_kernel(
    item: &syn::ItemFn,
    params: &[ParamInfo],
    consts: Option<Vec<(String, i64)>>,
    srcmap: Option<&SourceMap>,
    calls: Option<Calls>,
) -> Result<LoweredKernel, Diagnostic> {
    let func = consts.as_ref().map(|consts| {
        let ir_params = params
            .iter()
            .filter_map(|p| match p.kind {
                ParamKind::Ptr { dtype, mutable } => Some(ir::Param {
                    name: p.name.clone(),
                    ty: Type::ptr(dtype),
                    mutable,
                }),
                ParamKind::Scalar(d) => Some(ir::Param {
                    name: p.name.clone(),
                    ty: Type::scalar(d),
                    mutable: false,
                }),
                ParamKind::Constexpr(_) => None,
            })
            .collect();
        let mut f = Function::new(item.sig.ident.to_string(), ir_params);
        f.consts = consts.clone();
        f
    });
    let checking = consts.is_none();
    let mut cx = Lowerer::new(func, params, srcmap);
    cx.calls = calls;
    cx.deferring = checking;
    let result = lower_body(&mut cx, item, params, consts.as_deref());
    result.map_err(|d| cx.locate(d))?;
    if checking {
        super::syntax::check_syntax(&item.block)?;
        cx.shadow_unreached_calls(&item.block);
    }
    Ok(LoweredKernel {
        func: cx.func,
        shadows: cx.shadows,
    })
}

fn lower_body(
    cx: &mut Lowerer,
    item: &syn::ItemFn,
    params: &[ParamInfo],
    consts: Option<&[(String, i64)]>,
) -> Result<(), Diagnostic> {
    cx.scope.push_frame();
    let mut runtime_index = 0u32;
    for p in params {
        let val = match p.kind {
            ParamKind::Constexpr(d) => {
                let known = consts
                    .and_then(|c| c.iter().find(|(n, _)| *n == p.name))
                    .map(|c| c.1);
                let k = match known {
                    None => Konst::Unknown,
                    Some(v) if d == Dtype::I1 => Konst::Bool(v != 0),
                    Some(v) => Konst::Int(v as i128),
                };
                Val::constant(d, k, false, p.span)
            }
            ParamKind::Ptr { dtype, .. } | ParamKind::Scalar(dtype) => {
                let is_ptr = matches!(p.kind, ParamKind::Ptr { .. });
                let ty = if is_ptr {
                    TileTy::ptr(dtype)
                } else {
                    TileTy::scalar(dtype)
                };
                let value = cx
                    .func
                    .as_ref()
                    .map(|f| f.param_value(runtime_index as usize));
                let prov = if is_ptr {
                    Provenance::param(runtime_index)
                } else {
                    Provenance::none()
                };
                runtime_index += 1;
                Val::dynamic(ty, value, prov, p.span)
            }
        };
        cx.scope.bind(p.name.clone(), val, p.mutable_binding);
    }
    let stmts = strip_final_return(&item.block.stmts);
    cx.lower_stmts(stmts, false)?;
    let end = item.block.brace_token.span.close();
    cx.emit_op(end, Opcode::Return, &[], Attrs::new(), &[], None)?;
    Ok(())
}

/// A kernel may end with a plain `return;`; it changes nothing.
fn strip_final_return(stmts: &[syn::Stmt]) -> &[syn::Stmt] {
    match stmts.split_last() {
        Some((syn::Stmt::Expr(syn::Expr::Return(r), _), rest)) if r.expr.is_none() => rest,
        _ => stmts,
    }
}

/// The span of the kernel's name, where launch-level errors point.
pub fn name_span(item: &syn::ItemFn) -> proc_macro2::Span {
    item.sig.ident.span()
}
