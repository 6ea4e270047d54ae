//! Code generation errors: what could not be translated, and where.

use std::fmt;

/// An op (or a whole function) the Cranelift backend cannot compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodegenError {
    /// Name of the offending op, or `function` for whole-function problems.
    pub op: String,
    /// `file:line:col` of the op, as `Function::describe_loc` gives it.
    pub location: String,
    pub message: String,
}

impl CodegenError {
    pub(crate) fn function(message: impl Into<String>) -> CodegenError {
        CodegenError {
            op: "function".into(),
            location: "<kernel>".into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}`: {}", self.location, self.op, self.message)
    }
}

impl std::error::Error for CodegenError {}
