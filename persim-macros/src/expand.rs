//! parse → check → expand. Errors become `compile_error!` at their spans,
//! emitted next to the same module a correct kernel gets (as far as its
//! signature parsed), so rustc reports nothing but the kernel's own errors.

use crate::codegen;
use persim_lang::front::{self, Diagnostic};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

pub fn kernel(
    attr: TokenStream,
    item: TokenStream,
    text: &str,
    locs: &[(u32, u32)],
) -> TokenStream {
    let func: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            // Not a function: keep the item as it was so nothing else breaks.
            let error = Diagnostic::new(e.span(), "#[persim::kernel] applies to a `fn`");
            return errors_then(&[error], item);
        }
    };
    let mut errors = Vec::new();
    if !attr.is_empty() {
        errors.push(Diagnostic::new(
            attr.span(),
            "#[persim::kernel] takes no arguments",
        ));
    }
    let (params, signature_errors) = front::parse_signature(&func);
    let mut calls = Vec::new();
    if signature_errors.is_empty() {
        match front::check_kernel(&func) {
            Ok(checked) => calls = checked.calls,
            Err(body_errors) => errors.extend(body_errors),
        }
    } else {
        errors.extend(signature_errors);
    }
    let module = codegen::module(&func, &params, text, locs, &calls);
    errors_then(&errors, module)
}

/// `compile_error!`s at their spans, then `rest`.
pub fn errors_then(errors: &[Diagnostic], rest: TokenStream) -> TokenStream {
    let errors = errors.iter().map(|d| {
        let message = &d.message;
        quote_spanned!(d.span=> ::core::compile_error! { #message })
    });
    quote! {
        #(#errors)*
        #rest
    }
}
