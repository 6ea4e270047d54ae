//! Element types as written in kernel source: `f32`, `bool`, `*const f16`,
//! the `T` of `zeros::<T>`, `x.to::<T>()` and `x as T`.

use super::diag::Diagnostic;
use crate::ir::Dtype;
use syn::spanned::Spanned;

/// The names kernels may use for data types, for error messages.
pub const DTYPE_NAMES: &str = "bool, i8, i16, i32, i64, u8, u16, u32, u64, f16, bf16, f32, f64";

/// A data type name (`bool` is the IR's `i1`; `i1` itself is not Rust).
pub fn dtype_from_name(name: &str) -> Option<Dtype> {
    match name {
        "bool" => Some(Dtype::I1),
        "i1" => None,
        _ => Dtype::from_name(name),
    }
}

/// How a type is spelled in kernel source.
pub fn source_name(d: Dtype) -> &'static str {
    if d == Dtype::I1 {
        "bool"
    } else {
        d.name()
    }
}

/// A data type written as a path: `f32`, or `half::f16` / `persim::bf16`.
pub fn dtype_of_type(ty: &syn::Type) -> Result<Dtype, Diagnostic> {
    let not_a_dtype =
        || Diagnostic::new(ty.span(), format!("expected a data type ({DTYPE_NAMES})"));
    let syn::Type::Path(path) = strip_groups(ty) else {
        return Err(not_a_dtype());
    };
    if path.qself.is_some() {
        return Err(not_a_dtype());
    }
    let segments: Vec<&syn::PathSegment> = path.path.segments.iter().collect();
    let last = match segments.as_slice() {
        [only] => only,
        [krate, last] if krate.ident == "half" || krate.ident == "persim" => last,
        _ => return Err(not_a_dtype()),
    };
    if !last.arguments.is_none() {
        return Err(not_a_dtype());
    }
    let name = last.ident.to_string();
    if matches!(name.as_str(), "isize" | "usize" | "i128" | "u128" | "char") {
        return Err(Diagnostic::new(
            last.ident.span(),
            format!("kernels have no `{name}` type; use one of {DTYPE_NAMES}"),
        ));
    }
    dtype_from_name(&name).ok_or_else(not_a_dtype)
}

fn strip_groups(ty: &syn::Type) -> &syn::Type {
    match ty {
        syn::Type::Group(g) => strip_groups(&g.elem),
        syn::Type::Paren(p) => strip_groups(&p.elem),
        t => t,
    }
}

/// The type of a kernel parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    Ptr { dtype: Dtype, mutable: bool },
    Scalar(Dtype),
}

pub fn param_type(ty: &syn::Type) -> Result<ParamType, Diagnostic> {
    match strip_groups(ty) {
        syn::Type::Ptr(p) => {
            if matches!(strip_groups(&p.elem), syn::Type::Ptr(_)) {
                return Err(Diagnostic::new(
                    p.elem.span(),
                    "pointers to pointers are not supported; pass the data as `*const T` or `*mut T`",
                ));
            }
            let dtype = dtype_of_type(&p.elem)?;
            Ok(ParamType::Ptr {
                dtype,
                mutable: p.mutability.is_some(),
            })
        }
        syn::Type::Reference(r) => Err(Diagnostic::new(
            r.and_token.span,
            "kernel parameters cannot be references; write `*const T` or `*mut T` (the launcher passes slices)",
        )),
        syn::Type::Path(_) => dtype_of_type(ty).map(ParamType::Scalar).map_err(|e| {
            if e.message.starts_with("kernels have no") {
                return e;
            }
            Diagnostic::new(
                ty.span(),
                format!(
                    "unsupported kernel parameter type; use `*const T`, `*mut T` or a scalar ({DTYPE_NAMES})"
                ),
            )
        }),
        other => Err(Diagnostic::new(
            other.span(),
            format!(
                "unsupported kernel parameter type; use `*const T`, `*mut T` or a scalar ({DTYPE_NAMES})"
            ),
        )),
    }
}

/// The single type argument of a turbofish, `zeros::<f16>`.
pub fn turbofish_dtype(args: &syn::AngleBracketedGenericArguments) -> Result<Dtype, Diagnostic> {
    let mut it = args.args.iter();
    match (it.next(), it.next()) {
        (Some(syn::GenericArgument::Type(ty)), None) => dtype_of_type(ty),
        _ => Err(Diagnostic::new(
            args.lt_token.span,
            format!("expected one data type argument ({DTYPE_NAMES})"),
        )),
    }
}
