//! Assertions and printing: `static_assert`, `device_assert`,
//! `device_print`.
//!
//! - `static_assert(cond, "msg")`: `cond` is a compile-time `bool`; false
//!   is an error at `cond` carrying the message. At `cargo build` a `cond`
//!   that depends on a constexpr is deferred to launch, where it is checked
//!   with the constexpr values and reported the same way.
//! - `device_assert(cond, "msg")`: `cond` is a `bool` scalar or tile,
//!   checked at run time on every element. A failure stops the program
//!   instance and fails the launch with the kernel's name, the call's
//!   `file:line:col`, the message and the program id. Unlike Triton, where
//!   assertions only exist in debug mode, they are always on.
//! - `device_print("prefix", x)`: prints each element of `x` (a scalar or
//!   tile of data) with the program id, its index and the call's location
//!   (see `persim_lang::debug::DevicePrint`); `device_print("prefix")`
//!   prints the prefix alone. The prefix must be a string literal, as in
//!   Triton.
//!
//! The message of both assertions is optional.

use super::args::string_arg;
use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::Lowerer;
use crate::front::value::{Konst, Val};
use crate::ir::{Attr, Attrs, Dtype, Opcode};
use syn::spanned::Spanned;

fn message(site: &CallSite, i: usize) -> Result<String, Diagnostic> {
    match site.args.get(i) {
        Some(_) => string_arg(site, i, "the message"),
        None => Ok(String::new()),
    }
}

pub fn static_assert(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let msg = message(site, 1)?;
    let cond = site.args[0];
    match cx.compile_time_bool(cond, "the condition of `static_assert`")? {
        Some(false) => {
            let what = if msg.is_empty() {
                "static assertion failed".to_string()
            } else {
                format!("static assertion failed: {msg}")
            };
            Err(Diagnostic::new(cond.span(), what))
        }
        Some(true) | None => Ok(None),
    }
}

pub fn device_assert(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let msg = message(site, 1)?;
    let c = cx.arg(site, 0)?;
    if c.dtype() != Some(Dtype::I1) {
        return Err(Diagnostic::new(
            c.span,
            format!(
                "the condition of `device_assert` must be `bool` (a scalar or a tile), found `{}`",
                c.ty
            ),
        ));
    }
    if matches!(c.konst(), Some(Konst::Bool(true) | Konst::Unknown)) {
        return Ok(None);
    }
    let v = cx.materialize(&c)?;
    let attrs = Attrs::new().with("message", Attr::Str(msg));
    let operands: Vec<_> = v.into_iter().collect();
    cx.emit_op(site.span, Opcode::Assert, &operands, attrs, &[], None)?;
    Ok(None)
}

pub fn device_print(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let prefix = string_arg(site, 0, "the prefix")?;
    let value = cx.opt_arg(site, 1)?;
    let value = match value {
        Some(v) if v.ty.is_ptr() => {
            return Err(Diagnostic::new(
                v.span,
                format!(
                "`device_print` prints data, found the pointers `{}`; print the offsets instead",
                v.ty
            ),
            ))
        }
        Some(v) => Some(cx.strengthen(v)),
        None => None,
    };
    let operands = match &value {
        Some(v) => cx.materialize(v)?.into_iter().collect(),
        None => Vec::new(),
    };
    let attrs = Attrs::new().with("prefix", Attr::Str(prefix));
    cx.emit_op(site.span, Opcode::Print, &operands, attrs, &[], None)?;
    Ok(None)
}
