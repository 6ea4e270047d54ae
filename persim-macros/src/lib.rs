//! persim's attribute macros. Thin by design (parse → check with the
//! frontend → expand); all language knowledge lives in
//! `persim_lang::front`, which the runtime shares.
//!
//! The generated code names `::persim` paths, so kernels are written in
//! crates that depend on the `persim` facade.

mod callee;
mod codegen;
mod custom_op;
mod expand;
mod func;
mod rust_types;
mod token_locs;

use proc_macro::TokenStream;

/// Turn a Triton-style tile kernel into a module with its recorded source
/// (`KERNEL`), a typed `Args` struct, `launch`, `ir` and `module`. The
/// kernel is checked now; errors point at the offending token.
#[proc_macro_attribute]
pub fn kernel(attr: TokenStream, item: TokenStream) -> TokenStream {
    let locs = token_locs::record(item.clone());
    let text = item.to_string();
    expand::kernel(attr.into(), item.into(), &text, &locs).into()
}

/// A device function kernels (and other device functions) call by its
/// Rust path. Its body is the language of kernels; parameters and results
/// are `Tile<E>`, `Tile<E, RANK>`, scalars, pointers and `#[constexpr]`
/// values; it may be generic over element types. It is checked now as far
/// as its signature fixes types, specialized for each call's argument
/// types at launch, and inlined.
#[proc_macro_attribute]
pub fn func(attr: TokenStream, item: TokenStream) -> TokenStream {
    let locs = token_locs::record(item.clone());
    let text = item.to_string();
    func::func(attr.into(), item.into(), &text, &locs).into()
}

/// A custom op: a plain Rust function of scalars (its host reference
/// implementation), applied elementwise when a kernel calls it. The
/// function stays callable from Rust; `symbol = "..."` names the
/// implementation a kernel library links (default: the function's name).
#[proc_macro_attribute]
pub fn custom_op(attr: TokenStream, item: TokenStream) -> TokenStream {
    custom_op::custom_op(attr.into(), item.into()).into()
}
