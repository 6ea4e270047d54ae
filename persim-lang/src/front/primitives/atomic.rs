//! Atomics: `atomic_add`, `atomic_max`, `atomic_min`, `atomic_xchg`
//! (`(ptrs, val, mask?)`) and `atomic_cas` (`(ptrs, cmp, val)`), as Triton's.
//!
//! The pointers decide the shape (a scalar pointer for one location, a tile
//! for many); values and mask are broadcast to it, as for `store`, and must
//! have the pointee type (a weak literal takes it; anything else is an
//! error, not an implicit conversion). Each returns the old values. All are
//! sequentially consistent (Triton's default is `acq_rel`; persim has no
//! `sem` or `scope` argument). The pointers must derive from `*mut`
//! parameters.
//!
//! Why atomics do not break the no-alias invariant (ARCHITECTURE.md): that
//! invariant says two *different* parameters never overlap when one is
//! written. Program instances sharing one parameter's memory was never
//! excluded: plain stores to the same element from two instances are a
//! race, and atomics are how instances share an element safely.

use super::memory::{check_mutable, pointee, provenance_attrs};
use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::dtype_syntax::source_name;
use crate::front::lowerer::Lowerer;
use crate::front::value::{Provenance, Val};
use crate::ir::typing::atomic_dtype;
use crate::ir::Opcode;

pub fn atomic_add(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    atomic(cx, site, Opcode::AtomicAdd).map(Some)
}

pub fn atomic_max(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    atomic(cx, site, Opcode::AtomicMax).map(Some)
}

pub fn atomic_min(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    atomic(cx, site, Opcode::AtomicMin).map(Some)
}

pub fn atomic_xchg(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    atomic(cx, site, Opcode::AtomicXchg).map(Some)
}

pub fn atomic_cas(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    atomic(cx, site, Opcode::AtomicCas).map(Some)
}

fn atomic(cx: &mut Lowerer, site: &CallSite, opcode: Opcode) -> Result<Val, Diagnostic> {
    let name = opcode.name();
    let ptrs = cx.arg(site, 0)?;
    let d = pointee(&ptrs, name)?;
    if !atomic_dtype(d) {
        return Err(Diagnostic::new(
            ptrs.span,
            format!(
                "`{name}` works on `i32`, `u32`, `i64`, `u64`, `f32` and `f64`, but these \
                 pointers point to `{}`",
                source_name(d)
            ),
        ));
    }
    check_mutable(cx, &ptrs, d, &format!("`{name}` through"))?;
    let dims = ptrs.ty.dims.clone();
    let values: &[&str] = if opcode == Opcode::AtomicCas {
        &["the compared value", "the new value"]
    } else {
        &["the value"]
    };
    let mut operands = vec![ptrs.clone()];
    for (i, what) in values.iter().enumerate() {
        let v = cx.arg(site, 1 + i)?;
        let v = cx.element_of(v, d, what, "the pointers point to")?;
        operands.push(cx.broadcast_to(v, &dims, site.span, what)?);
    }
    if opcode != Opcode::AtomicCas {
        if let Some(mask) = cx.opt_arg(site, 2)? {
            operands.push(cx.mask(mask, &dims, site)?);
        }
    }
    let ty = ptrs.ty.with_dtype(d);
    let attrs = provenance_attrs(&ptrs.prov);
    let operands: Vec<&Val> = operands.iter().collect();
    cx.emit(site.span, opcode, &operands, attrs, ty, Provenance::none())
}
