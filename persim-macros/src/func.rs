//! `#[persim::func]`: parse → check → expand.
//!
//! ```text
//! /// (the function's docs)
//! pub struct silu {}                      // a type: what callers' paths name
//! impl ::persim::front::Callee for silu {
//!     fn source() -> &'static CalleeSource { /* FuncSource: text, locs, deps */ }
//! }
//! impl silu {
//!     pub fn __persim_signature(x: impl TileArg<f32>) -> silu;   // for shadow calls
//! }
//! ```
//!
//! The device function is not Rust code, so nothing callable is emitted:
//! the marker type's name is the function's, with its visibility, so Rust
//! paths, imports and privacy reach it as they would the function. On
//! error the same items are emitted next to `compile_error!` (with the
//! signature as far as it parsed), so callers see no secondary errors.

use crate::callee::{dep_table, SIGNATURE_FN};
use crate::expand::errors_then;
use crate::rust_types::{rust_elem, rust_type};
use persim_lang::front::func_sig::{ElemSpec, FuncParamKind, ValueSpec};
use persim_lang::front::{self, CallShadow, Diagnostic, FuncSig};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

pub fn func(attr: TokenStream, item: TokenStream, text: &str, locs: &[(u32, u32)]) -> TokenStream {
    let func: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let error = Diagnostic::new(e.span(), "#[persim::func] applies to a `fn`");
            return errors_then(&[error], item);
        }
    };
    let mut errors = Vec::new();
    if !attr.is_empty() {
        errors.push(Diagnostic::new(
            attr.span(),
            "#[persim::func] takes no arguments",
        ));
    }
    let (sig, sig_errors) = front::parse_func_sig(&func);
    let mut calls = Vec::new();
    if sig_errors.is_empty() {
        match front::check_func(&func) {
            Ok(checked) => calls = checked.calls,
            Err(body_errors) => errors.extend(body_errors),
        }
    } else {
        errors.extend(sig_errors);
    }
    let items = expand(&func, &sig, &calls, text, locs);
    errors_then(&errors, items)
}

fn expand(
    func: &syn::ItemFn,
    sig: &FuncSig,
    calls: &[CallShadow],
    text: &str,
    locs: &[(u32, u32)],
) -> TokenStream {
    let vis = &func.vis;
    let name = &func.sig.ident;
    let name_text = name.to_string();
    let docs: Vec<&syn::Attribute> = func
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .collect();
    let default_doc = format!("The `{}` device function.", sig.describe());
    let doc = if docs.is_empty() {
        quote!(#[doc = #default_doc])
    } else {
        quote!(#(#docs)*)
    };
    let lines = locs.iter().map(|&(l, _)| Literal::u32_unsuffixed(l));
    let cols = locs.iter().map(|&(_, c)| Literal::u32_unsuffixed(c));
    let deps = dep_table(calls);
    let signature = signature_fn(sig);
    quote! {
        #doc
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #name {}

        impl ::persim::front::Callee for #name {
            fn source() -> &'static ::persim::front::CalleeSource {
                static SOURCE: ::persim::front::CalleeSource =
                    ::persim::front::CalleeSource::Func(::persim::front::FuncSource {
                        name: #name_text,
                        file: ::core::file!(),
                        text: #text,
                        locs: &[#((#lines, #cols)),*],
                        deps: #deps,
                    });
                &SOURCE
            }
        }

        impl ::persim::front::shadow::DeviceFunction for #name {}

        impl #name {
            #signature
        }
    }
}

/// The signature shadow calls are checked against: the parameters' names
/// and spans, each bounded by the marker trait its type accepts.
fn signature_fn(sig: &FuncSig) -> TokenStream {
    let marker = Ident::new(&sig.name, sig.name_span);
    let fn_name = Ident::new(SIGNATURE_FN, sig.name_span);
    let params = sig.params.iter().map(|p| {
        let name = Ident::new(&p.name, p.span);
        let bound = match &p.kind {
            FuncParamKind::Constexpr(d) => {
                let t = rust_type(*d);
                quote!(::persim::front::shadow::ConstArg<#t>)
            }
            FuncParamKind::Value(spec) => value_bound(spec),
        };
        let span = p.ty_span;
        quote_spanned!(span=> #name: impl #bound)
    });
    quote! {
        #[doc(hidden)]
        #[allow(non_snake_case, unused_variables, dead_code, clippy::too_many_arguments)]
        pub fn #fn_name(#(#params),*) -> #marker {
            #marker {}
        }
    }
}

fn value_bound(spec: &ValueSpec) -> TokenStream {
    let elem = spec.elem();
    if elem.is_generic() {
        return quote!(::persim::front::shadow::AnyArg);
    }
    let Some(resolved) = elem.resolve(&|_| None) else {
        return quote!(::persim::front::shadow::AnyArg);
    };
    let e = rust_elem(
        resolved,
        matches!(elem, ElemSpec::Ptr { mutable: true, .. }),
    );
    match spec {
        ValueSpec::Scalar(_) => quote!(::persim::front::shadow::ScalarArg<#e>),
        ValueSpec::Tile { .. } => quote!(::persim::front::shadow::TileArg<#e>),
    }
}
