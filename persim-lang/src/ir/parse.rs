//! The text parser: reads what [`super::print`] writes (see there for the
//! format) back into a [`Function`] or [`Module`].
//!
//! A hand-written lexer (`lexer`) and recursive descent: `func` for the
//! function, its regions and ops, `header` for the signature, `terms` for
//! types and attribute values. Every error carries the 1-based `line:col` of
//! the offending token. The parser checks what one op line can tell: op
//! names, operand, result and region counts, attribute keys, value scoping
//! and result types (see `func`); it does not run the verifier, so text
//! with, say, a missing terminator parses and `verify` reports it.
//!
//! The parser never panics, whatever the input: malformed text is an error,
//! and region nesting is bounded so deep input cannot overflow the stack.

mod cursor;
mod func;
mod header;
mod lexer;
mod scope;
mod terms;

use super::function::{Function, Module};
use cursor::{error_at, Cursor};
use std::fmt;

/// A syntax or typing error in IR text, at a 1-based line and column
/// (columns count characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses text holding exactly one function (kernel or device function).
pub fn parse_function(text: &str) -> Result<Function, ParseError> {
    let toks = lexer::tokenize(text)?;
    let mut c = Cursor::new(&toks);
    let f = func::parse_function(&mut c)?;
    if !c.at_eof() {
        return Err(c.unexpected("the end of the input after the function"));
    }
    Ok(f)
}

/// Parses text holding any number of functions with distinct names.
pub fn parse_module(text: &str) -> Result<Module, ParseError> {
    let toks = lexer::tokenize(text)?;
    let mut c = Cursor::new(&toks);
    let mut module = Module::default();
    while !c.at_eof() {
        let start = c.peek_nth(2);
        let f = func::parse_function(&mut c)?;
        if module.get(&f.name).is_some() {
            return Err(error_at(
                start,
                format!("function `@{}` is defined twice", f.name),
            ));
        }
        module.funcs.push(f);
    }
    Ok(module)
}
