//! The kernel's signature: which parameters are pointers, scalars and
//! constexprs, and everything a kernel's `fn` header may not have.

use super::diag::Diagnostic;
use super::dtype_syntax::{param_type, source_name, ParamType};
use super::source::ParamKind;
use crate::ir::Dtype;
use proc_macro2::Span;
use syn::spanned::Spanned;

/// One kernel parameter, as the frontend and the macro need it.
#[derive(Clone, Debug)]
pub struct ParamInfo {
    pub name: String,
    pub kind: ParamKind,
    /// The parameter's name token.
    pub span: Span,
    /// `mut x: i32`: the kernel may assign to the parameter.
    pub mutable_binding: bool,
}

impl ParamInfo {
    pub fn is_constexpr(&self) -> bool {
        matches!(self.kind, ParamKind::Constexpr(_))
    }
}

/// Types a `#[constexpr]` parameter may have.
const CONSTEXPR_TYPES: [Dtype; 4] = [Dtype::I32, Dtype::I64, Dtype::U32, Dtype::I1];

/// Function attributes that mean nothing to a kernel and are accepted:
/// documentation and lint levels.
const IGNORED_FN_ATTRS: [&str; 6] = ["doc", "allow", "warn", "deny", "forbid", "expect"];

/// Parse the parameters, collecting every error instead of stopping at the
/// first: the macro reports them all and still emits a usable fallback
/// module for the parameters that did parse.
pub fn parse_signature(item: &syn::ItemFn) -> (Vec<ParamInfo>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    check_header(item, &mut errors);
    let mut params: Vec<ParamInfo> = Vec::new();
    for arg in &item.sig.inputs {
        match parse_param(arg) {
            Ok(p) => {
                if params.iter().any(|q| q.name == p.name) {
                    errors.push(Diagnostic::new(
                        p.span,
                        format!("parameter `{}` is declared twice", p.name),
                    ));
                } else {
                    params.push(p);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    (params, errors)
}

fn check_header(item: &syn::ItemFn, errors: &mut Vec<Diagnostic>) {
    let sig = &item.sig;
    for attr in &item.attrs {
        let path = attr.path();
        if !IGNORED_FN_ATTRS.iter().any(|name| path.is_ident(name)) {
            errors.push(Diagnostic::new(
                attr.pound_token.span,
                "this attribute is not supported on a kernel (only doc comments and lint levels are)",
            ));
        }
    }
    if let Some(t) = &sig.constness {
        errors.push(Diagnostic::new(t.span, "a kernel cannot be `const`"));
    }
    if let Some(t) = &sig.asyncness {
        errors.push(Diagnostic::new(t.span, "a kernel cannot be `async`"));
    }
    if let Some(t) = &sig.unsafety {
        errors.push(Diagnostic::new(
            t.span,
            "a kernel cannot be `unsafe`; launches are checked against the signature",
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(Diagnostic::new(
            abi.extern_token.span,
            "a kernel cannot declare an ABI; persim chooses the calling convention",
        ));
    }
    if let Some(first) = sig.generics.params.first() {
        errors.push(Diagnostic::new(
            first.span(),
            "kernels cannot be generic; make compile-time values `#[constexpr] NAME: i32` parameters",
        ));
    } else if let Some(w) = &sig.generics.where_clause {
        errors.push(Diagnostic::new(
            w.where_token.span,
            "kernels cannot have a `where` clause",
        ));
    }
    if let Some(v) = &sig.variadic {
        errors.push(Diagnostic::new(
            v.dots.spans[0],
            "kernels cannot be variadic",
        ));
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        errors.push(Diagnostic::new(
            ty.span(),
            "kernels return nothing; write results through a `*mut T` parameter",
        ));
    }
}

fn parse_param(arg: &syn::FnArg) -> Result<ParamInfo, Diagnostic> {
    let typed = match arg {
        syn::FnArg::Receiver(r) => {
            return Err(Diagnostic::new(
                r.self_token.span,
                "a kernel is a free function; it cannot take `self`",
            ))
        }
        syn::FnArg::Typed(t) => t,
    };
    let (name, span, mutable_binding) = match &*typed.pat {
        syn::Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => {
            (p.ident.to_string(), p.ident.span(), p.mutability.is_some())
        }
        other => {
            return Err(Diagnostic::new(
                other.span(),
                "kernel parameters must be plain names",
            ))
        }
    };
    let constexpr = parse_param_attrs(&typed.attrs)?;
    let ty = param_type(&typed.ty)?;
    let kind = match (constexpr, ty) {
        (false, ParamType::Ptr { dtype, mutable }) => ParamKind::Ptr { dtype, mutable },
        (false, ParamType::Scalar(d)) => ParamKind::Scalar(d),
        (true, ParamType::Scalar(d)) if CONSTEXPR_TYPES.contains(&d) => ParamKind::Constexpr(d),
        (true, ty) => {
            let found = match ty {
                ParamType::Ptr { .. } => "a pointer".to_string(),
                ParamType::Scalar(d) => format!("`{}`", source_name(d)),
            };
            return Err(Diagnostic::new(
                typed.ty.span(),
                format!(
                    "a `#[constexpr]` parameter must be `i32`, `i64`, `u32` or `bool`, not {found}"
                ),
            ));
        }
    };
    if mutable_binding && matches!(kind, ParamKind::Constexpr(_)) {
        return Err(Diagnostic::new(
            span,
            "a `#[constexpr]` parameter cannot be `mut`",
        ));
    }
    Ok(ParamInfo {
        name,
        kind,
        span,
        mutable_binding,
    })
}

/// `true` for `#[constexpr]`; every other attribute is an error.
fn parse_param_attrs(attrs: &[syn::Attribute]) -> Result<bool, Diagnostic> {
    let mut constexpr = false;
    for attr in attrs {
        match &attr.meta {
            syn::Meta::Path(p) if p.is_ident("constexpr") => constexpr = true,
            meta if meta.path().is_ident("constexpr") => {
                return Err(Diagnostic::new(
                    attr.pound_token.span,
                    "`#[constexpr]` takes no arguments",
                ))
            }
            _ => {
                return Err(Diagnostic::new(
                    attr.pound_token.span,
                    "unknown parameter attribute; kernels know `#[constexpr]`",
                ))
            }
        }
    }
    Ok(constexpr)
}
