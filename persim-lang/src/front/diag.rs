//! Frontend diagnostics: a message with a source position. At build time the
//! macro turns them into `compile_error!` at the offending token's span; at
//! launch time they carry the `file:line:col` of that token.

use std::fmt;

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub message: String,
    /// The span of the offending token (valid in the token stream that was
    /// checked; only meaningful inside the macro).
    pub span: proc_macro2::Span,
    /// `file:line:col` when known (launch-time specialization).
    pub location: Option<String>,
    /// Not an error: the build-time check met a value only known at launch
    /// (see [`Diagnostic::deferred`]). Never leaves the frontend.
    pub(crate) deferred: bool,
}

impl Diagnostic {
    pub fn new(span: proc_macro2::Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            span,
            location: None,
            deferred: false,
        }
    }

    /// The build-time check cannot go on with this expression: it uses the
    /// result of a device function or custom op, or a parameter of a device
    /// function whose type depends on its callers (`Tile<T>`, `Tile<f32>` of
    /// any rank). Such values are typed at launch, when the call is
    /// specialized; the check skips the statement that needs one (see
    /// `Lowerer::lower_stmts`) and the launch reports any error in it.
    pub(crate) fn deferred(span: proc_macro2::Span) -> Diagnostic {
        Diagnostic {
            deferred: true,
            ..Diagnostic::new(
                span,
                "internal: a deferred value escaped the build-time check",
            )
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{loc}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Diagnostic {}
