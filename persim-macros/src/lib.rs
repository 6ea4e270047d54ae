//! persim's attribute macros. Thin by design (parse → check with the
//! frontend → expand); all language knowledge lives in
//! `persim_lang::front`, which the runtime shares.
//!
//! The generated code names `::persim` paths, so kernels are written in
//! crates that depend on the `persim` facade.

mod codegen;
mod expand;
mod token_locs;

use proc_macro::TokenStream;

/// Turn a Triton-style tile kernel into a module with its recorded source
/// (`KERNEL`), a typed `Args` struct, `launch` and `ir`. The kernel is checked
/// now; errors point at the offending token.
#[proc_macro_attribute]
pub fn kernel(attr: TokenStream, item: TokenStream) -> TokenStream {
    let locs = token_locs::record(item.clone());
    let text = item.to_string();
    expand::kernel(attr.into(), item.into(), &text, &locs).into()
}

/// Reserved for device functions callable from kernels (not yet supported).
#[proc_macro_attribute]
pub fn func(_attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::func(item.into()).into()
}
