//! Binding constexpr values at launch: every constexpr given once, no
//! unknown names, each value in its parameter's range.

use super::diag::Diagnostic;
use super::dtype_syntax::source_name;
use super::numeric::fits;
use super::signature::ParamInfo;
use super::source::ParamKind;
use proc_macro2::Span;

/// The constexpr values in signature order, checked against `params`.
pub fn bind_constexprs(
    kernel: &str,
    params: &[ParamInfo],
    given: &[(&str, i64)],
    span: Span,
) -> Result<Vec<(String, i64)>, Diagnostic> {
    let declared: Vec<&ParamInfo> = params.iter().filter(|p| p.is_constexpr()).collect();
    let names = || {
        if declared.is_empty() {
            "it has none".to_string()
        } else {
            let list: Vec<&str> = declared.iter().map(|p| p.name.as_str()).collect();
            format!("it has {}", list.join(", "))
        }
    };
    for (i, (name, _)) in given.iter().enumerate() {
        if !declared.iter().any(|p| p.name == *name) {
            return Err(Diagnostic::new(
                span,
                format!("kernel `{kernel}` has no constexpr `{name}` ({})", names()),
            ));
        }
        if given[..i].iter().any(|(n, _)| n == name) {
            return Err(Diagnostic::new(
                span,
                format!("constexpr `{name}` of kernel `{kernel}` is given twice"),
            ));
        }
    }
    let missing: Vec<&str> = declared
        .iter()
        .filter(|p| !given.iter().any(|(n, _)| *n == p.name))
        .map(|p| p.name.as_str())
        .collect();
    if !missing.is_empty() {
        let plural = if missing.len() == 1 { "" } else { "s" };
        return Err(Diagnostic::new(
            span,
            format!(
                "kernel `{kernel}` needs a value for constexpr{plural} `{}`",
                missing.join("`, `")
            ),
        ));
    }
    declared
        .iter()
        .map(|p| {
            let value = given
                .iter()
                .find(|(n, _)| *n == p.name)
                .expect("checked above")
                .1;
            let ParamKind::Constexpr(d) = p.kind else {
                unreachable!("filtered to constexprs")
            };
            if !fits(value as i128, d) {
                return Err(Diagnostic::new(
                    span,
                    format!(
                        "constexpr `{}` of kernel `{kernel}` is `{}`, which cannot hold {value}",
                        p.name,
                        source_name(d)
                    ),
                ));
            }
            Ok((p.name.clone(), value))
        })
        .collect()
}
