//! The signature of a `#[persim::func]` device function.
//!
//! Parameters and results are written in Rust syntax:
//!
//! - `x: f32`, `p: *const f16`, `q: *mut f32`: a scalar or pointer;
//! - `x: Tile<f32>`: a tile of any shape (any rank, scalars included);
//!   `x: Tile<f32, 2>`: a tile of rank 2 (the second argument is the rank,
//!   never a size: shapes always come from the arguments);
//! - `x: Tile<*const f32>`: a tile of pointers;
//! - `#[constexpr] N: i32` (or `i64`, `u32`, `bool`): a compile-time value
//!   the function is specialized on, as a kernel's constexprs;
//! - element-type parameters: `fn axpy<T>(a: T, x: Tile<T>) -> Tile<T>`,
//!   each `T` fixed by the arguments of each call;
//! - results: `-> Tile<f32>`, `-> f32`, or a tuple `-> (Tile<f32>, Tile<i32>)`.
//!
//! A device function is specialized for the types of each call's arguments,
//! so the signature constrains element types and ranks and leaves the
//! shapes to the caller.

use super::diag::Diagnostic;
use super::dtype_syntax::{dtype_of_type, source_name, DTYPE_NAMES};
use crate::ir::{Dtype, Elem};
use proc_macro2::Span;
use std::fmt;
use syn::spanned::Spanned;

/// The highest rank `Tile<E, R>` may declare.
pub const MAX_RANK: u8 = 8;

/// A data type in a signature: known, or an element-type parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DtypeSpec {
    Known(Dtype),
    /// The name of a type parameter of the function.
    Generic(String),
}

/// An element type in a signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ElemSpec {
    Data(DtypeSpec),
    /// `*const E` or `*mut E`.
    Ptr {
        pointee: DtypeSpec,
        mutable: bool,
    },
}

impl ElemSpec {
    /// The element type once type parameters are known (`None` if one is not).
    pub fn resolve(&self, generics: &dyn Fn(&str) -> Option<Dtype>) -> Option<Elem> {
        let dtype = |d: &DtypeSpec| match d {
            DtypeSpec::Known(d) => Some(*d),
            DtypeSpec::Generic(name) => generics(name),
        };
        match self {
            ElemSpec::Data(d) => dtype(d).map(Elem::Val),
            ElemSpec::Ptr { pointee, .. } => dtype(pointee).map(Elem::Ptr),
        }
    }

    pub fn is_generic(&self) -> bool {
        let (ElemSpec::Data(d) | ElemSpec::Ptr { pointee: d, .. }) = self;
        matches!(d, DtypeSpec::Generic(_))
    }

    pub fn is_mut_ptr(&self) -> bool {
        matches!(self, ElemSpec::Ptr { mutable: true, .. })
    }
}

/// The type of a parameter or result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueSpec {
    /// A scalar or a pointer (rank 0).
    Scalar(ElemSpec),
    /// `Tile<E>` (`rank: None`) or `Tile<E, R>`.
    Tile { elem: ElemSpec, rank: Option<u8> },
}

impl ValueSpec {
    pub fn elem(&self) -> &ElemSpec {
        match self {
            ValueSpec::Scalar(e) | ValueSpec::Tile { elem: e, .. } => e,
        }
    }

    /// The rank values of this type have, when the signature fixes it.
    pub fn rank(&self) -> Option<usize> {
        match self {
            ValueSpec::Scalar(_) => Some(0),
            ValueSpec::Tile { rank, .. } => rank.map(usize::from),
        }
    }
}

impl fmt::Display for DtypeSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DtypeSpec::Known(d) => f.write_str(source_name(*d)),
            DtypeSpec::Generic(name) => f.write_str(name),
        }
    }
}

impl fmt::Display for ElemSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ElemSpec::Data(d) => write!(f, "{d}"),
            ElemSpec::Ptr { pointee, mutable } => {
                let m = if *mutable { "mut" } else { "const" };
                write!(f, "*{m} {pointee}")
            }
        }
    }
}

/// As written in Rust: `f32`, `Tile<f32>`, `Tile<f32, 2>`.
impl fmt::Display for ValueSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueSpec::Scalar(e) => write!(f, "{e}"),
            ValueSpec::Tile { elem, rank: None } => write!(f, "Tile<{elem}>"),
            ValueSpec::Tile {
                elem,
                rank: Some(r),
            } => write!(f, "Tile<{elem}, {r}>"),
        }
    }
}

/// How a parameter is passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FuncParamKind {
    /// A runtime value: an IR parameter of the specialized function.
    Value(ValueSpec),
    /// `#[constexpr] N: T`: specialized on, not passed.
    Constexpr(Dtype),
}

#[derive(Clone, Debug)]
pub struct FuncParam {
    pub name: String,
    /// The parameter's name token.
    pub span: Span,
    /// The span of its type.
    pub ty_span: Span,
    pub kind: FuncParamKind,
    /// `mut x: ..`: the body may assign to it.
    pub mutable_binding: bool,
}

/// A parsed device-function signature.
#[derive(Clone, Debug)]
pub struct FuncSig {
    pub name: String,
    pub name_span: Span,
    /// Element-type parameters, in order.
    pub generics: Vec<(String, Span)>,
    pub params: Vec<FuncParam>,
    /// Result types with their spans (empty: returns nothing).
    pub results: Vec<(ValueSpec, Span)>,
}

impl FuncSig {
    /// `silu(x: Tile<f32>) -> Tile<f32>`, for messages.
    pub fn describe(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| match &p.kind {
                FuncParamKind::Value(v) => format!("{}: {v}", p.name),
                FuncParamKind::Constexpr(d) => {
                    format!("#[constexpr] {}: {}", p.name, source_name(*d))
                }
            })
            .collect();
        let generics = if self.generics.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = self.generics.iter().map(|(n, _)| n.as_str()).collect();
            format!("<{}>", names.join(", "))
        };
        let results = match self.results.as_slice() {
            [] => String::new(),
            [(one, _)] => format!(" -> {one}"),
            many => {
                let r: Vec<String> = many.iter().map(|(t, _)| t.to_string()).collect();
                format!(" -> ({})", r.join(", "))
            }
        };
        format!("{}{generics}({}){results}", self.name, params.join(", "))
    }
}

/// Types a `#[constexpr]` parameter may have.
const CONSTEXPR_TYPES: [Dtype; 4] = [Dtype::I32, Dtype::I64, Dtype::U32, Dtype::I1];

/// Function attributes that mean nothing to persim: docs and lint levels.
const IGNORED_FN_ATTRS: [&str; 6] = ["doc", "allow", "warn", "deny", "forbid", "expect"];

/// Parse a device function's signature, collecting every error.
pub fn parse_func_sig(item: &syn::ItemFn) -> (FuncSig, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let sig = &item.sig;
    header_errors(item, &mut errors);
    let mut generics = Vec::new();
    for param in &sig.generics.params {
        match param {
            syn::GenericParam::Type(t) if t.bounds.is_empty() && t.default.is_none() => {
                generics.push((t.ident.to_string(), t.ident.span()))
            }
            syn::GenericParam::Type(t) => errors.push(Diagnostic::new(
                t.ident.span(),
                "element-type parameters take no bounds or defaults: persim fixes them from the arguments",
            )),
            other => errors.push(Diagnostic::new(
                other.span(),
                "device functions may only be generic over element types (`fn f<T>(x: Tile<T>)`)",
            )),
        }
    }
    if let Some(w) = &sig.generics.where_clause {
        errors.push(Diagnostic::new(
            w.where_token.span,
            "device functions cannot have a `where` clause",
        ));
    }
    let names: Vec<&str> = generics.iter().map(|(n, _)| n.as_str()).collect();
    let mut params: Vec<FuncParam> = Vec::new();
    for arg in &sig.inputs {
        match parse_param(arg, &names) {
            Ok(p) if params.iter().any(|q| q.name == p.name) => errors.push(Diagnostic::new(
                p.span,
                format!("parameter `{}` is declared twice", p.name),
            )),
            Ok(p) => params.push(p),
            Err(e) => errors.push(e),
        }
    }
    for (name, span) in &generics {
        let used = params.iter().any(|p| match &p.kind {
            FuncParamKind::Value(v) => {
                matches!(v.elem(), ElemSpec::Data(DtypeSpec::Generic(g)) | ElemSpec::Ptr { pointee: DtypeSpec::Generic(g), .. } if g == name)
            }
            FuncParamKind::Constexpr(_) => false,
        });
        if !used {
            errors.push(Diagnostic::new(
                *span,
                format!("type parameter `{name}` must appear in a parameter's type, so calls can fix it"),
            ));
        }
    }
    let results = match &sig.output {
        syn::ReturnType::Default => Vec::new(),
        syn::ReturnType::Type(_, ty) => match parse_results(ty, &names) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                Vec::new()
            }
        },
    };
    let sig = FuncSig {
        name: sig.ident.to_string(),
        name_span: sig.ident.span(),
        generics,
        params,
        results,
    };
    (sig, errors)
}

fn header_errors(item: &syn::ItemFn, errors: &mut Vec<Diagnostic>) {
    let sig = &item.sig;
    for attr in &item.attrs {
        if !IGNORED_FN_ATTRS.iter().any(|n| attr.path().is_ident(n)) {
            errors.push(Diagnostic::new(
                attr.pound_token.span,
                "this attribute is not supported on a device function (only doc comments and lint levels are)",
            ));
        }
    }
    let forbidden = [
        sig.constness.map(|t| (t.span, "`const`")),
        sig.asyncness.map(|t| (t.span, "`async`")),
        sig.unsafety.map(|t| (t.span, "`unsafe`")),
        sig.abi.as_ref().map(|a| (a.extern_token.span, "`extern`")),
    ];
    for (span, what) in forbidden.into_iter().flatten() {
        errors.push(Diagnostic::new(
            span,
            format!("a device function cannot be {what}"),
        ));
    }
    if let Some(v) = &sig.variadic {
        errors.push(Diagnostic::new(
            v.dots.spans[0],
            "device functions cannot be variadic",
        ));
    }
    let name = sig.ident.to_string();
    if super::primitives::lookup(&name).is_some() {
        errors.push(Diagnostic::new(
            sig.ident.span(),
            format!("`{name}` is a persim primitive; a device function of that name could never be called by its plain name"),
        ));
    }
}

fn parse_param(arg: &syn::FnArg, generics: &[&str]) -> Result<FuncParam, Diagnostic> {
    let typed = match arg {
        syn::FnArg::Receiver(r) => {
            return Err(Diagnostic::new(
                r.self_token.span,
                "a device function is a free function; it cannot take `self`",
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
                "device function parameters must be plain names",
            ))
        }
    };
    let constexpr = constexpr_attr(&typed.attrs)?;
    let ty_span = typed.ty.span();
    let kind = if constexpr {
        let d = dtype_of_type(&typed.ty)
            .ok()
            .filter(|d| CONSTEXPR_TYPES.contains(d))
            .ok_or_else(|| {
                Diagnostic::new(
                    ty_span,
                    "a `#[constexpr]` parameter must be `i32`, `i64`, `u32` or `bool`",
                )
            })?;
        if mutable_binding {
            return Err(Diagnostic::new(
                span,
                "a `#[constexpr]` parameter cannot be `mut`",
            ));
        }
        FuncParamKind::Constexpr(d)
    } else {
        FuncParamKind::Value(value_spec(&typed.ty, generics)?)
    };
    Ok(FuncParam {
        name,
        span,
        ty_span,
        kind,
        mutable_binding,
    })
}

fn constexpr_attr(attrs: &[syn::Attribute]) -> Result<bool, Diagnostic> {
    let mut constexpr = false;
    for attr in attrs {
        match &attr.meta {
            syn::Meta::Path(p) if p.is_ident("constexpr") => constexpr = true,
            _ => {
                return Err(Diagnostic::new(
                    attr.pound_token.span,
                    "unknown parameter attribute; device functions know `#[constexpr]`",
                ))
            }
        }
    }
    Ok(constexpr)
}

fn parse_results(ty: &syn::Type, generics: &[&str]) -> Result<Vec<(ValueSpec, Span)>, Diagnostic> {
    match strip(ty) {
        syn::Type::Tuple(t) => t
            .elems
            .iter()
            .map(|e| Ok((value_spec(e, generics)?, e.span())))
            .collect(),
        _ => Ok(vec![(value_spec(ty, generics)?, ty.span())]),
    }
}

fn unsupported_type(span: Span) -> Diagnostic {
    Diagnostic::new(
        span,
        format!(
            "unsupported device function type; use `Tile<E>`, `Tile<E, RANK>`, a scalar ({DTYPE_NAMES}), `*const E`, `*mut E` or an element-type parameter"
        ),
    )
}

/// `Tile<E>`, `Tile<E, R>` or an element.
fn value_spec(ty: &syn::Type, generics: &[&str]) -> Result<ValueSpec, Diagnostic> {
    let ty = strip(ty);
    if let syn::Type::Path(p) = ty {
        let last = p.path.segments.last().filter(|_| p.qself.is_none());
        if let Some(seg) = last.filter(|s| s.ident == "Tile") {
            let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
                return Err(Diagnostic::new(
                    seg.ident.span(),
                    "`Tile` needs its element type: `Tile<f32>`",
                ));
            };
            let mut it = args.args.iter();
            let elem = match it.next() {
                Some(syn::GenericArgument::Type(t)) => elem_spec(t, generics)?,
                _ => return Err(unsupported_type(args.span())),
            };
            let rank = match it.next() {
                None => None,
                Some(syn::GenericArgument::Const(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(i),
                    ..
                }))) => {
                    let rank = i.base10_parse::<u8>().ok().filter(|r| *r <= MAX_RANK);
                    Some(rank.ok_or_else(|| {
                        Diagnostic::new(
                            i.span(),
                            format!("the second argument of `Tile` is its rank (0 to {MAX_RANK}), not a size: shapes come from the arguments"),
                        )
                    })?)
                }
                Some(other) => return Err(Diagnostic::new(
                    other.span(),
                    "the second argument of `Tile` is its rank, an integer literal: `Tile<f32, 2>`",
                )),
            };
            if let Some(extra) = it.next() {
                return Err(Diagnostic::new(
                    extra.span(),
                    "`Tile` takes an element type and optionally a rank",
                ));
            }
            return Ok(ValueSpec::Tile { elem, rank });
        }
    }
    Ok(ValueSpec::Scalar(elem_spec(ty, generics)?))
}

fn elem_spec(ty: &syn::Type, generics: &[&str]) -> Result<ElemSpec, Diagnostic> {
    match strip(ty) {
        syn::Type::Ptr(p) => Ok(ElemSpec::Ptr {
            pointee: dtype_spec(&p.elem, generics)?,
            mutable: p.mutability.is_some(),
        }),
        syn::Type::Reference(r) => Err(Diagnostic::new(
            r.and_token.span,
            "device functions take no references; pass tiles and pointers by value",
        )),
        other => Ok(ElemSpec::Data(dtype_spec(other, generics)?)),
    }
}

fn dtype_spec(ty: &syn::Type, generics: &[&str]) -> Result<DtypeSpec, Diagnostic> {
    if let syn::Type::Path(p) = strip(ty) {
        if let Some(ident) = p.path.get_ident() {
            if generics.iter().any(|g| ident == g) {
                return Ok(DtypeSpec::Generic(ident.to_string()));
            }
        }
    }
    match dtype_of_type(ty) {
        Ok(d) => Ok(DtypeSpec::Known(d)),
        Err(e) if e.message.starts_with("kernels have no") => Err(e),
        Err(_) => Err(unsupported_type(ty.span())),
    }
}

fn strip(ty: &syn::Type) -> &syn::Type {
    match ty {
        syn::Type::Group(g) => strip(&g.elem),
        syn::Type::Paren(p) => strip(&p.elem),
        t => t,
    }
}
