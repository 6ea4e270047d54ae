//! Rust types for persim element types, as generated code writes them.

use persim_lang::ir::{Dtype, Elem};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The Rust type of a kernel element type.
pub fn rust_type(d: Dtype) -> TokenStream {
    match d {
        Dtype::I1 => quote!(bool),
        Dtype::F16 => quote!(::persim::f16),
        Dtype::BF16 => quote!(::persim::bf16),
        other => {
            let ident = format_ident!("{}", other.name());
            quote!(#ident)
        }
    }
}

/// The Rust type of an element: data, or `*const T` / `*mut T`.
pub fn rust_elem(elem: Elem, mutable: bool) -> TokenStream {
    match elem {
        Elem::Val(d) => rust_type(d),
        Elem::Ptr(d) => {
            let t = rust_type(d);
            if mutable {
                quote!(*mut #t)
            } else {
                quote!(*const #t)
            }
        }
    }
}

/// `::persim::ir::Dtype::F32`.
pub fn dtype_path(d: Dtype) -> TokenStream {
    let variant = format_ident!("{}", format!("{d:?}"));
    quote!(::persim::ir::Dtype::#variant)
}
