//! The signature of a `#[persim::custom_op]`: a plain Rust function of
//! scalars, applied elementwise by kernels.
//!
//! Parameters and the result are `i32`, `i64`, `u32`, `u64`, `f32` or
//! `f64`: the types with one unambiguous C calling convention, so the JIT
//! can call the host reference and a library can export the symbol. A
//! kernel converts other types (`f16`, `bool`, ...) explicitly around the
//! call. At least one parameter is needed: the elementwise shape comes
//! from the arguments.

use super::diag::Diagnostic;
use super::dtype_syntax::dtype_of_type;
use crate::ir::Dtype;
use proc_macro2::Span;
use syn::spanned::Spanned;

/// The element types a custom op may take and return.
pub const CUSTOM_OP_TYPES: [Dtype; 6] = [
    Dtype::I32,
    Dtype::I64,
    Dtype::U32,
    Dtype::U64,
    Dtype::F32,
    Dtype::F64,
];

/// A parsed custom-op signature.
#[derive(Clone, Debug)]
pub struct CustomSig {
    pub name: String,
    pub name_span: Span,
    /// `(name, type)` of each parameter.
    pub params: Vec<(syn::Ident, Dtype)>,
    pub ret: Dtype,
}

/// Parse the signature of a custom op's host reference, collecting every
/// error at its span.
pub fn parse_custom_sig(item: &syn::ItemFn) -> Result<CustomSig, Vec<Diagnostic>> {
    let sig = &item.sig;
    let mut errors = Vec::new();
    let forbidden = [
        sig.constness.map(|t| (t.span, "`const`")),
        sig.asyncness.map(|t| (t.span, "`async`")),
        sig.unsafety.map(|t| (t.span, "`unsafe`")),
        sig.abi.as_ref().map(|a| {
            (
                a.extern_token.span,
                "`extern` (persim generates the `extern \"C\"` entry point itself)",
            )
        }),
    ];
    for (span, what) in forbidden.into_iter().flatten() {
        errors.push(Diagnostic::new(
            span,
            format!("a custom op cannot be {what}"),
        ));
    }
    if let Some(first) = sig.generics.params.first() {
        errors.push(Diagnostic::new(
            first.span(),
            "a custom op cannot be generic: its host reference and library symbol have one signature",
        ));
    }
    if let Some(v) = &sig.variadic {
        errors.push(Diagnostic::new(
            v.dots.spans[0],
            "a custom op cannot be variadic",
        ));
    }
    let name = sig.ident.to_string();
    if super::primitives::lookup(&name).is_some() {
        errors.push(Diagnostic::new(
            sig.ident.span(),
            format!("`{name}` is a persim primitive; a custom op of that name could never be called by its plain name"),
        ));
    }
    let mut params = Vec::new();
    for arg in &sig.inputs {
        match custom_param(arg) {
            Ok(p) => params.push(p),
            Err(e) => errors.push(e),
        }
    }
    if sig.inputs.is_empty() {
        errors.push(Diagnostic::new(
            sig.paren_token.span.open(),
            "a custom op needs at least one parameter: kernels apply it elementwise over its arguments' shape",
        ));
    }
    let ret = match &sig.output {
        syn::ReturnType::Default => {
            errors.push(Diagnostic::new(
                sig.paren_token.span.close(),
                "a custom op returns one scalar: add `-> f32` (or another supported type)",
            ));
            None
        }
        syn::ReturnType::Type(_, ty) => match custom_type(ty) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    match ret {
        Some(ret) if errors.is_empty() => Ok(CustomSig {
            name,
            name_span: sig.ident.span(),
            params,
            ret,
        }),
        _ => Err(errors),
    }
}

fn custom_param(arg: &syn::FnArg) -> Result<(syn::Ident, Dtype), Diagnostic> {
    let typed = match arg {
        syn::FnArg::Receiver(r) => {
            return Err(Diagnostic::new(
                r.self_token.span,
                "a custom op is a free function; it cannot take `self`",
            ))
        }
        syn::FnArg::Typed(t) => t,
    };
    let ident = match &*typed.pat {
        syn::Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => p.ident.clone(),
        other => {
            return Err(Diagnostic::new(
                other.span(),
                "custom op parameters must be plain names",
            ))
        }
    };
    Ok((ident, custom_type(&typed.ty)?))
}

fn custom_type(ty: &syn::Type) -> Result<Dtype, Diagnostic> {
    let d = dtype_of_type(ty).ok();
    d.filter(|d| CUSTOM_OP_TYPES.contains(d)).ok_or_else(|| {
        let found = match d {
            Some(d) => format!("`{}`", super::dtype_syntax::source_name(d)),
            None => "this type".to_string(),
        };
        Diagnostic::new(
            ty.span(),
            format!(
                "custom ops take and return scalars of `i32`, `i64`, `u32`, `u64`, `f32` or `f64` (one C calling convention each), not {found}; convert in the kernel around the call"
            ),
        )
    })
}
