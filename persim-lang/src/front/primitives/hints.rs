//! Compiler hints, with Triton's meaning. None changes a result; each is a
//! promise whose breach is undefined behaviour (the interpreter reports the
//! checkable ones).
//!
//! - `multiple_of(x, k)`: every element of the integer `x` is a multiple of
//!   `k` (a positive compile-time integer). Returns `x`. Range analysis
//!   rounds `x`'s range to multiples of `k`: with `assume(n > 0)`,
//!   `multiple_of(n, 16)` is at least 16.
//! - `max_contiguous(x, k)`: the elements of the integer tile `x` come in
//!   runs of `k` consecutive integers. Returns `x`. Recorded in the IR for
//!   backends; no pass uses it yet (the JIT finds unit-stride vectors
//!   itself, from `arange`).
//! - `assume(cond)`: the `bool` scalar `cond` holds. When `cond` is an
//!   integer comparison (`n > 0`, `n >= 1024`, `i < m`) or an `&&` of
//!   comparisons, the range analysis narrows the compared values with it,
//!   so `prove-masks` can decide more masks; see `passes::ranges` for when
//!   a fact applies. Other conditions are recorded and change nothing.
//!
//! Unlike Triton's list form, `multiple_of` and `max_contiguous` take one
//! `k` for every dimension.

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::Lowerer;
use crate::front::value::{Konst, Val};
use crate::ir::{Attr, Attrs, Dtype, Opcode};
use syn::spanned::Spanned;

pub fn multiple_of(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    int_hint(cx, site, Opcode::MultipleOf, "divisor")
}

pub fn max_contiguous(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    int_hint(cx, site, Opcode::MaxContiguous, "count")
}

fn int_hint(
    cx: &mut Lowerer,
    site: &CallSite,
    opcode: Opcode,
    key: &'static str,
) -> Result<Option<Val>, Diagnostic> {
    let x = cx.arg(site, 0)?;
    if !x.dtype().is_some_and(Dtype::is_int) {
        return Err(Diagnostic::new(
            x.span,
            format!(
                "`{}` applies to integers (offsets, sizes), found `{}`",
                site.name, x.ty
            ),
        ));
    }
    let k = cx.compile_time_int(site.args[1], &format!("the `{key}` of `{}`", site.name))?;
    if let Some(k) = k {
        if !(1..=i64::MAX as i128).contains(&k) {
            return Err(Diagnostic::new(
                site.args[1].span(),
                format!("the `{key}` of `{}` must be positive, found {k}", site.name),
            ));
        }
    }
    // A constant needs no hint: its value is known exactly.
    if x.is_const() {
        return Ok(Some(x));
    }
    let attrs = Attrs::new().with(key, Attr::Int(k.unwrap_or(1) as i64));
    let ty = x.ty.clone();
    let prov = x.prov.clone();
    cx.emit(site.span, opcode, &[&x], attrs, ty, prov).map(Some)
}

pub fn assume(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let c = cx.arg(site, 0)?;
    if c.dtype() != Some(Dtype::I1) || !c.ty.is_scalar() {
        return Err(Diagnostic::new(
            c.span,
            format!("`assume` takes a `bool` scalar, found `{}`", c.ty),
        ));
    }
    // A condition known at compile time is no news when true; a false one
    // stays, so the interpreter can report it.
    if matches!(c.konst(), Some(Konst::Bool(true) | Konst::Unknown)) {
        return Ok(None);
    }
    let v = cx.materialize(&c)?;
    cx.emit_op(
        site.span,
        Opcode::Assume,
        &v.into_iter().collect::<Vec<_>>(),
        Attrs::new(),
        &[],
        None,
    )?;
    Ok(None)
}
