//! Compile errors of the spatial backend: each names what could not be
//! compiled and, when an op caused it, the op's kernel source location.

use std::fmt;

use persim_lang::ir::{Function, Loc};

/// Why lowered IR could not be compiled for the spatial machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// `file:line:col` of the op or buffer responsible, when known.
    pub location: Option<String>,
    pub message: String,
}

impl CompileError {
    pub fn new(message: impl Into<String>) -> CompileError {
        CompileError {
            location: None,
            message: message.into(),
        }
    }

    /// An error located at `loc` of `f`'s source.
    pub fn at(f: &Function, loc: Loc, message: impl Into<String>) -> CompileError {
        CompileError {
            location: loc.is_known().then(|| f.describe_loc(loc)),
            message: message.into(),
        }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(l) => write!(f, "{l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for CompileError {}

pub type CResult<T> = Result<T, CompileError>;
