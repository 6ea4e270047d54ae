//! `#[persim::custom_op(symbol = "...")]`: parse → check → expand.
//!
//! ```text
//! pub fn gelu_tanh(x: f32) -> f32 { .. }     // unchanged: the host reference
//! pub struct gelu_tanh {}                    // what kernels' paths name
//! impl ::persim::front::Callee for gelu_tanh {
//!     fn source() -> &'static CalleeSource {
//!         extern "C" fn host(x: f32) -> f32 { gelu_tanh(x) }   // for the JIT
//!         fn eval(args: &[u64]) -> u64 { .. }                  // for the interpreter
//!         /* CustomOpSource: name, symbol, signature, host, eval, location */
//!     }
//! }
//! impl gelu_tanh { pub fn __persim_signature(x: impl TileArg<f32>) -> gelu_tanh; }
//! ```
//!
//! A braced struct lives in the type namespace only, so it sits beside the
//! function of the same name: Rust code calls the reference as usual, and
//! kernel paths (`ops::gelu_tanh(x)`) resolve the type.

use crate::callee::SIGNATURE_FN;
use crate::expand::errors_then;
use crate::rust_types::{dtype_path, rust_type};
use persim_lang::front::{self, CustomSig, Diagnostic};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;

pub fn custom_op(attr: TokenStream, item: TokenStream) -> TokenStream {
    let func: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let error = Diagnostic::new(e.span(), "#[persim::custom_op] applies to a `fn`");
            return errors_then(&[error], item);
        }
    };
    let symbol = match parse_symbol(attr, &func.sig.ident) {
        Ok(s) => s,
        Err(e) => return errors_then(&[e], item),
    };
    match front::check_custom_op(&func) {
        Ok(sig) => {
            let items = expand(&func, &sig, &symbol);
            quote!(#func #items)
        }
        // The function stays, so Rust callers see no secondary errors.
        Err(errors) => errors_then(&errors, item),
    }
}

/// `symbol = "name"`, a C identifier; the function's name by default.
fn parse_symbol(attr: TokenStream, name: &Ident) -> Result<String, Diagnostic> {
    if attr.is_empty() {
        return Ok(name.to_string());
    }
    let meta: syn::MetaNameValue = syn::parse2(attr.clone()).map_err(|_| {
        Diagnostic::new(
            attr.span(),
            "expected `symbol = \"...\"`: the symbol of the op's implementation in a kernel library",
        )
    })?;
    if !meta.path.is_ident("symbol") {
        return Err(Diagnostic::new(
            meta.path.span(),
            "unknown argument; #[persim::custom_op] takes `symbol = \"...\"`",
        ));
    }
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    }) = &meta.value
    else {
        return Err(Diagnostic::new(
            meta.value.span(),
            "the symbol is a string: `symbol = \"my_gelu_f32\"`",
        ));
    };
    let value = s.value();
    let mut chars = value.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        return Err(Diagnostic::new(
            s.span(),
            format!("`{value}` is not a C identifier, so no library can export it"),
        ));
    }
    Ok(value)
}

fn expand(func: &syn::ItemFn, sig: &CustomSig, symbol: &str) -> TokenStream {
    let vis = &func.vis;
    let name = &func.sig.ident;
    let name_text = name.to_string();
    let params: Vec<&Ident> = sig.params.iter().map(|(i, _)| i).collect();
    let types: Vec<TokenStream> = sig.params.iter().map(|(_, d)| rust_type(*d)).collect();
    let dtypes = sig.params.iter().map(|(_, d)| dtype_path(*d));
    let ret = rust_type(sig.ret);
    let ret_dtype = dtype_path(sig.ret);
    let indices = (0..sig.params.len()).map(Literal::usize_unsuffixed);
    let (line, col) = position(sig.name_span);
    let doc = format!(
        "The custom op `{name_text}` (library symbol `{symbol}`), for kernels; Rust code calls the function `{name_text}`."
    );
    let fn_name = Ident::new(SIGNATURE_FN, sig.name_span);
    let shadow_params = sig.params.iter().map(|(ident, d)| {
        let t = rust_type(*d);
        quote!(#ident: impl ::persim::front::shadow::TileArg<#t>)
    });
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #name {}

        impl ::persim::front::Callee for #name {
            fn source() -> &'static ::persim::front::CalleeSource {
                extern "C" fn host(#(#params: #types),*) -> #ret {
                    #name(#(#params),*)
                }
                fn eval(args: &[u64]) -> u64 {
                    ::persim::front::shadow::HostScalar::to_bits64(#name(
                        #(::persim::front::shadow::HostScalar::from_bits64(args[#indices])),*
                    ))
                }
                static SOURCE: ::persim::front::CalleeSource =
                    ::persim::front::CalleeSource::Custom(::persim::front::CustomOpSource {
                        name: #name_text,
                        symbol: #symbol,
                        params: &[#(#dtypes),*],
                        ret: #ret_dtype,
                        // SAFETY: only the type is erased; callers call it
                        // with the signature `params`/`ret` record.
                        host: unsafe {
                            ::core::mem::transmute::<
                                extern "C" fn(#(#types),*) -> #ret,
                                ::persim::front::HostFn,
                            >(host)
                        },
                        eval,
                        file: ::core::file!(),
                        line: #line,
                        col: #col,
                    });
                &SOURCE
            }
        }

        impl #name {
            #[doc(hidden)]
            #[allow(non_snake_case, unused_variables, dead_code, clippy::too_many_arguments)]
            pub fn #fn_name(#(#shadow_params),*) -> #name {
                #name {}
            }
        }
    }
}

/// 1-based line and column of a span in the user's file.
fn position(span: Span) -> (u32, u32) {
    crate::token_locs::position(span.unwrap())
}
