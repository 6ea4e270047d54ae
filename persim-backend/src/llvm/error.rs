//! Code generation errors of the LLVM backend: what could not be
//! translated, and where.

use inkwell::builder::BuilderError;
use std::fmt;

/// An op (or a whole function) the LLVM backend cannot compile, or a
/// failure of LLVM itself (target lookup, verification, code emission).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LlvmError {
    /// Name of the offending op, or `function` for whole-function problems.
    pub op: String,
    /// `file:line:col` of the op, as `Function::describe_loc` gives it.
    pub location: String,
    pub message: String,
}

impl LlvmError {
    pub(crate) fn function(message: impl Into<String>) -> LlvmError {
        LlvmError {
            op: "function".into(),
            location: "<kernel>".into(),
            message: message.into(),
        }
    }
}

/// A builder error is a bug of this backend (an instruction built with
/// operands of the wrong kind); it is reported, never a panic.
impl From<BuilderError> for LlvmError {
    fn from(e: BuilderError) -> LlvmError {
        LlvmError::function(format!("LLVM builder: {e}"))
    }
}

impl fmt::Display for LlvmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}`: {}", self.location, self.op, self.message)
    }
}

impl std::error::Error for LlvmError {}
