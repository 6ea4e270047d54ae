//! The module a kernel expands to:
//!
//! ```text
//! static __persim_deps_softmax: &[::persim::front::Dep] = &[..];  // only with calls
//! pub mod softmax {
//!     pub static KERNEL: ::persim::KernelSource = ...;   // text, locs, params, deps
//!     pub struct Args<'a> { pub out: &'a mut [f32], pub inp: &'a [f32], pub stride: i32, .., pub BLOCK: i32 }
//!     pub fn launch(engine: &::persim::Engine, grid: impl Into<::persim::Grid>, args: Args<'_>) -> Result<(), ::persim::LaunchError>;
//!     pub fn ir(consts: &[(&str, i64)]) -> Result<::persim::ir::Function, ::persim::Diagnostic>;
//!     pub fn module(consts: &[(&str, i64)]) -> Result<::persim::ir::Module, ::persim::Diagnostic>;
//! }
//! ```
//!
//! The dependency table sits beside the module, in the kernel's own scope,
//! so the call paths in it resolve exactly as they read in the kernel; the
//! module reaches it through `super::`. (So a kernel that calls device
//! functions must be an item of a module, not of a function body.)

use crate::callee::dep_table;
use crate::rust_types::{dtype_path, rust_type};
use persim_lang::front::{CallShadow, ParamInfo, ParamKind};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

pub fn module(
    func: &syn::ItemFn,
    params: &[ParamInfo],
    text: &str,
    locs: &[(u32, u32)],
    calls: &[CallShadow],
) -> TokenStream {
    let vis = &func.vis;
    let name = &func.sig.ident;
    let kernel_name = name.to_string();
    let docs: Vec<&syn::Attribute> = func
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .collect();
    let default_doc = format!(
        "The `{kernel_name}` kernel: launch it with [`launch`], inspect its IR with [`ir`]."
    );
    let module_doc = if docs.is_empty() {
        quote!(#[doc = #default_doc])
    } else {
        quote!(#(#docs)*)
    };
    let lines = locs.iter().map(|&(l, _)| Literal::u32_unsuffixed(l));
    let cols = locs.iter().map(|&(_, c)| Literal::u32_unsuffixed(c));
    let signature = params.iter().map(param_sig);
    let has_slices = params
        .iter()
        .any(|p| matches!(p.kind, ParamKind::Ptr { .. }));
    let (lt_decl, lt_use) = if has_slices {
        (quote!(<'a>), quote!(<'_>))
    } else {
        (quote!(), quote!())
    };
    let fields = params.iter().map(|p| {
        let field = field_ident(p);
        let ty = field_type(p);
        quote!(pub #field: #ty)
    });
    let consts = params.iter().filter(|p| p.is_constexpr()).map(|p| {
        let field = field_ident(p);
        let name = &p.name;
        quote!((#name, args.#field as i64))
    });
    let runtime = params.iter().filter(|p| !p.is_constexpr()).map(|p| {
        let field = field_ident(p);
        quote!(::persim::Arg::from(args.#field))
    });
    let (deps_item, deps) = if calls.is_empty() {
        (quote!(), quote!(&[]))
    } else {
        let table = format_ident!("__persim_deps_{}", name);
        let entries = dep_table(calls);
        (
            quote! {
                #[doc(hidden)]
                #[allow(non_upper_case_globals)]
                static #table: &[::persim::front::Dep] = #entries;
            },
            quote!(super::#table),
        )
    };
    quote! {
        #deps_item

        #module_doc
        #vis mod #name {
            /// The kernel's tokens and their positions, re-parsed at launch to
            /// specialize it on constexpr values.
            pub static KERNEL: ::persim::KernelSource = ::persim::KernelSource {
                name: #kernel_name,
                file: ::core::file!(),
                text: #text,
                locs: &[#((#lines, #cols)),*],
                params: &[#(#signature),*],
                deps: #deps,
            };

            /// The kernel's arguments: slices for pointer parameters, values
            /// for scalars and constexprs.
            #[allow(non_snake_case)]
            #[derive(::core::fmt::Debug)]
            pub struct Args #lt_decl {
                #(#fields,)*
            }

            /// Launch the kernel over `grid` on `engine`.
            pub fn launch(
                engine: &::persim::Engine,
                grid: impl ::core::convert::Into<::persim::Grid>,
                args: Args #lt_use,
            ) -> ::core::result::Result<(), ::persim::LaunchError> {
                engine.launch(
                    &KERNEL,
                    ::core::convert::Into::into(grid),
                    &[#(#consts),*],
                    &mut [#(#runtime),*],
                )
            }

            /// The kernel's IR, specialized on `consts` (every constexpr by
            /// name), with the device functions it calls inlined: what the
            /// mid-end pipeline starts from.
            pub fn ir(
                consts: &[(&str, i64)],
            ) -> ::core::result::Result<::persim::ir::Function, ::persim::Diagnostic> {
                ::persim::front::specialize_inlined(&KERNEL, consts)
            }

            /// The frontend's output for `consts`: the kernel and a
            /// specialization of each device function it calls, before
            /// inlining.
            pub fn module(
                consts: &[(&str, i64)],
            ) -> ::core::result::Result<::persim::ir::Module, ::persim::Diagnostic> {
                ::persim::front::specialize(&KERNEL, consts)
            }
        }
    }
}

fn field_ident(p: &ParamInfo) -> Ident {
    Ident::new(&p.name, p.span)
}

fn field_type(p: &ParamInfo) -> TokenStream {
    match p.kind {
        ParamKind::Ptr {
            dtype,
            mutable: false,
        } => {
            let elem = rust_type(dtype);
            quote!(&'a [#elem])
        }
        ParamKind::Ptr {
            dtype,
            mutable: true,
        } => {
            let elem = rust_type(dtype);
            quote!(&'a mut [#elem])
        }
        ParamKind::Scalar(d) | ParamKind::Constexpr(d) => rust_type(d),
    }
}

fn param_sig(p: &ParamInfo) -> TokenStream {
    let name = &p.name;
    let kind = match p.kind {
        ParamKind::Ptr { dtype, mutable } => {
            let dtype = dtype_path(dtype);
            quote!(::persim::ParamKind::Ptr { dtype: #dtype, mutable: #mutable })
        }
        ParamKind::Scalar(d) => {
            let d = dtype_path(d);
            quote!(::persim::ParamKind::Scalar(#d))
        }
        ParamKind::Constexpr(d) => {
            let d = dtype_path(d);
            quote!(::persim::ParamKind::Constexpr(#d))
        }
    };
    quote!(::persim::ParamSig { name: #name, kind: #kind })
}
