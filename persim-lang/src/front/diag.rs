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
}

impl Diagnostic {
    pub fn new(span: proc_macro2::Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            span,
            location: None,
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
