//! What kernels and device functions emit for the calls they make: a
//! dependency table whose entries reach each callee through the call's own
//! path, by a shadow call rustc type-checks against the callee's signature
//! (see `persim_lang::front::shadow`).

use crate::rust_types::{rust_elem, rust_type};
use persim_lang::front::{path_key, CallShadow, ShadowArg};
use persim_lang::ir::Elem;
use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};

/// The name of the associated function holding a callee's signature.
pub const SIGNATURE_FN: &str = "__persim_signature";

/// `&[Dep { .. }, ..]` for these calls.
pub fn dep_table(calls: &[CallShadow]) -> TokenStream {
    let deps = calls.iter().map(dep);
    quote!(&[#(#deps),*])
}

fn dep(call: &CallShadow) -> TokenStream {
    let key = path_key(&call.path);
    let path = &call.path;
    let last = call
        .path
        .segments
        .last()
        .map_or_else(proc_macro2::Span::call_site, |s| s.ident.span());
    let signature = Ident::new(SIGNATURE_FN, last);
    let args = call
        .args
        .iter()
        .map(|(arg, span)| respan(shadow_value(*arg), *span));
    let mut parens = Group::new(Delimiter::Parenthesis, quote!(#(#args),*));
    parens.set_span(call.paren);
    // `<path>::f(..)`: a qualified path makes rustc resolve `path` as a
    // type, so an unknown callee is "cannot find type" at the path, not a
    // missing crate.
    let mut shadow_call = quote_spanned!(last=> <#path>);
    shadow_call.extend(quote_spanned!(last=> :: #signature));
    shadow_call.extend([TokenTree::Group(parens)]);
    // A combine function must be a device function, not a custom op; the
    // bound's error points at the path.
    if call.combine {
        let mut wrapped = Group::new(Delimiter::Parenthesis, shadow_call);
        wrapped.set_span(last);
        shadow_call = quote_spanned!(last=> ::persim::front::shadow::device_function);
        shadow_call.extend([TokenTree::Group(wrapped)]);
    }
    // A plain name may be a misspelt primitive: let rustc suggest one.
    let hint = if call.path.leading_colon.is_none() && call.path.segments.len() == 1 {
        quote_spanned! {last=>
            #[allow(unused_imports)]
            use ::persim::front::shadow::primitives::*;
        }
    } else {
        quote!()
    };
    quote! {
        ::persim::front::Dep {
            path: #key,
            callee: ::persim::front::shadow::callee(|| {
                #hint
                #shadow_call
            }),
        }
    }
}

/// Every token of `tokens` at `span`, so that rustc's errors about a
/// shadow argument point at the argument.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                TokenTree::Group(group)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}

/// A value standing for an argument: of its Rust type for scalars, of a
/// marker type otherwise.
fn shadow_value(arg: ShadowArg) -> TokenStream {
    match arg {
        ShadowArg::Scalar {
            elem: Elem::Val(d), ..
        } => {
            let t = rust_type(d);
            quote!(<#t as ::core::default::Default>::default())
        }
        ShadowArg::Scalar {
            elem: Elem::Ptr(d),
            mutable,
        } => {
            let t = rust_type(d);
            if mutable {
                quote!(::core::ptr::null_mut::<#t>())
            } else {
                quote!(::core::ptr::null::<#t>())
            }
        }
        ShadowArg::Tile { elem, mutable } => {
            let e = rust_elem(elem, mutable);
            quote!(::persim::front::shadow::tile::<#e>())
        }
        ShadowArg::Const(d) => {
            let e = rust_type(d);
            quote!(::persim::front::shadow::konst::<#e>())
        }
        ShadowArg::IntLit => quote!(::persim::front::shadow::IntLit),
        ShadowArg::FloatLit => quote!(::persim::front::shadow::FloatLit),
        ShadowArg::Unknown => quote!(::persim::front::shadow::Unknown),
    }
}
