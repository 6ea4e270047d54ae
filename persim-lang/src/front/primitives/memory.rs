//! Global memory: `load` and `store` through tiles of pointers (or through
//! a block pointer, see `block_ptr`).
//!
//! Masks and `other` are broadcast to the pointers' shape; stored values
//! too, but never converted: a value of another element type than the
//! pointee is an error (an implicit narrowing store is a classic silent bug).
//! Every access records the parameter its pointers derive from when there is
//! exactly one, so checked mode can name the argument.

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::dtype_syntax::source_name;
use crate::front::lowerer::Lowerer;
use crate::front::value::{Provenance, Val};
use crate::ir::{Attr, Attrs, Dtype, Opcode};
use syn::spanned::Spanned;

pub fn load(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let ptrs = cx.lower_item(site.args[0])?;
    if let Some(bp) = ptrs.as_block_ptr() {
        return super::block_ptr::load(cx, bp, site).map(Some);
    }
    let ptrs = single(ptrs)?;
    let pointee = pointee(&ptrs, "load")?;
    let dims = ptrs.ty.dims.clone();
    let mut operands = vec![];
    if let Some(mask) = cx.opt_arg(site, 1)? {
        operands.push(cx.mask(mask, &dims, site)?);
    }
    if let Some(other) = cx.opt_arg(site, 2)? {
        let other = cx.element_of(other, pointee, "`other`", "the pointers load")?;
        operands.push(cx.broadcast_to(other, &dims, site.span, "`other`")?);
    }
    let attrs = provenance_attrs(&ptrs.prov);
    let ty = ptrs.ty.with_dtype(pointee);
    let mut all = vec![&ptrs];
    all.extend(operands.iter());
    cx.emit(site.span, Opcode::Load, &all, attrs, ty, Provenance::none())
        .map(Some)
}

pub fn store(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let ptrs = cx.lower_item(site.args[0])?;
    if let Some(bp) = ptrs.as_block_ptr() {
        super::block_ptr::store(cx, bp, site)?;
        return Ok(None);
    }
    let ptrs = single(ptrs)?;
    let pointee = pointee(&ptrs, "store")?;
    check_mutable(cx, &ptrs, pointee, "store through")?;
    let dims = ptrs.ty.dims.clone();
    let value = cx.arg(site, 1)?;
    let value = cx.element_of(value, pointee, "the stored value", "the pointers point to")?;
    // A shape error points at the value, the token that has the wrong shape.
    let value_span = site.args.get(1).map_or(site.span, |e| e.span());
    let value = cx.broadcast_to(value, &dims, value_span, "the stored value")?;
    let mut operands = vec![ptrs.clone(), value];
    if let Some(mask) = cx.opt_arg(site, 2)? {
        operands.push(cx.mask(mask, &dims, site)?);
    }
    let mut values = Vec::new();
    for v in &operands {
        values.extend(cx.materialize(v)?);
    }
    cx.emit_op(
        site.span,
        Opcode::Store,
        &values,
        provenance_attrs(&ptrs.prov),
        &[],
        None,
    )?;
    Ok(None)
}

/// `v`, unless it is an aggregate (a tuple; block pointers are handled
/// before this).
fn single(v: Val) -> Result<Val, Diagnostic> {
    match v.aggregate_misuse() {
        Some(why) => Err(Diagnostic::new(v.span, why)),
        None => Ok(v),
    }
}

/// Writing through `ptrs` needs every parameter they may derive from to be
/// `*mut`; `verb` says what the write is (`store through`).
pub(super) fn check_mutable(
    cx: &Lowerer,
    ptrs: &Val,
    pointee: Dtype,
    verb: &str,
) -> Result<(), Diagnostic> {
    for &p in ptrs.prov.params() {
        let param = &cx.runtime_params[p as usize];
        if !param.mutable {
            return Err(Diagnostic::new(
                ptrs.span,
                format!(
                    "cannot {verb} `{}`: it is declared `{}`; declare it `*mut {}`",
                    param.name,
                    param.dtype_text,
                    source_name(pointee)
                ),
            ));
        }
    }
    Ok(())
}

pub(super) fn pointee(ptrs: &Val, what: &str) -> Result<Dtype, Diagnostic> {
    ptrs.ty.elem.pointee().ok_or_else(|| {
        Diagnostic::new(
            ptrs.span,
            format!("`{what}` needs pointers, found `{}`", ptrs.ty),
        )
    })
}

pub(super) fn provenance_attrs(prov: &Provenance) -> Attrs {
    match prov.single() {
        Some(i) => Attrs::new().with("arg", Attr::Int(i as i64)),
        None => Attrs::new(),
    }
}

impl Lowerer<'_> {
    pub(super) fn mask(
        &mut self,
        mask: Val,
        dims: &[crate::front::ty::Dim],
        site: &CallSite,
    ) -> Result<Val, Diagnostic> {
        if mask.dtype() != Some(Dtype::I1) {
            return Err(Diagnostic::new(
                mask.span,
                format!("a mask must be `bool`, found `{}`", mask.ty),
            ));
        }
        self.broadcast_to(mask, dims, site.span, "the mask")
    }

    /// `v` as an element of type `d`: same type, or a weak literal taking it.
    pub(super) fn element_of(
        &mut self,
        v: Val,
        d: Dtype,
        what: &str,
        context: &str,
    ) -> Result<Val, Diagnostic> {
        if v.is_weak() {
            return self.settle_weak(&v, d);
        }
        if v.dtype() == Some(d) {
            return Ok(v);
        }
        let hint = if v.dtype().is_some() {
            format!("; convert it with `.to::<{}>()`", source_name(d))
        } else {
            String::new()
        };
        Err(Diagnostic::new(
            v.span,
            format!(
                "mismatched types: {what} has type `{}` but {context} `{}`{hint}",
                v.ty,
                source_name(d)
            ),
        ))
    }
}
