//! Value names while parsing one function: which names are defined, and
//! which are visible at the current point under structured scoping (a value
//! defined inside a region is not visible after the region closes).
//!
//! Names are unique in a whole function, as the printer numbers every value
//! once; reusing a name, even one out of scope, is a redefinition.

use super::cursor::error_at;
use super::lexer::Token;
use super::ParseError;
use crate::ir::entities::Value;
use std::collections::{HashMap, HashSet};

#[derive(Default)]
pub(super) struct Scope {
    visible: HashMap<String, Value>,
    /// Every name defined or reserved so far.
    defined: HashSet<String>,
    /// Visible names in definition order, so a region can drop its own.
    stack: Vec<String>,
}

/// The scope depth at a region's entry; [`Scope::leave`] returns to it.
pub(super) struct Mark(usize);

impl Scope {
    /// Claims `name` for a value defined later (an op's results are bound
    /// after its regions are parsed, but must not be redefined inside them).
    pub(super) fn reserve(&mut self, tok: &Token, name: &str) -> Result<(), ParseError> {
        if !self.defined.insert(name.to_string()) {
            return Err(error_at(tok, format!("value `%{name}` is defined twice")));
        }
        Ok(())
    }

    /// Makes a reserved name visible as `value`.
    pub(super) fn bind(&mut self, name: &str, value: Value) {
        self.visible.insert(name.to_string(), value);
        self.stack.push(name.to_string());
    }

    pub(super) fn define(
        &mut self,
        tok: &Token,
        name: &str,
        value: Value,
    ) -> Result<(), ParseError> {
        self.reserve(tok, name)?;
        self.bind(name, value);
        Ok(())
    }

    pub(super) fn lookup(&self, tok: &Token, name: &str) -> Result<Value, ParseError> {
        if let Some(&v) = self.visible.get(name) {
            return Ok(v);
        }
        let message = if self.defined.contains(name) {
            format!(
                "value `%{name}` is not visible here: it is defined inside a region that has \
                 closed, or is a result of the op using it"
            )
        } else {
            format!("undefined value `%{name}`")
        };
        Err(error_at(tok, message))
    }

    pub(super) fn enter(&self) -> Mark {
        Mark(self.stack.len())
    }

    pub(super) fn leave(&mut self, mark: Mark) {
        for name in self.stack.drain(mark.0..) {
            self.visible.remove(&name);
        }
    }
}
