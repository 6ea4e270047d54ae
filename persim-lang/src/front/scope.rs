//! The environment: variables in lexical frames, with Rust's shadowing.
//!
//! Bindings are addressed by [`BindingId`] rather than by name so that a loop
//! or an `if` can say exactly which outer variables it carries, whatever the
//! body shadows.

use super::value::Val;
use proc_macro2::Span;

#[derive(Clone, Debug)]
pub struct Binding {
    pub name: String,
    pub val: Val,
    pub mutable: bool,
    /// Set while the binding is carried through the loop being lowered:
    /// assignments must then keep its type, and errors say why.
    pub carried: bool,
    /// Its value is only known at launch (build-time check only; see
    /// [`Diagnostic::deferred`](super::diag::Diagnostic::deferred)): reading
    /// it defers the reader. `val` is a placeholder.
    pub deferred: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BindingId {
    frame: usize,
    index: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Scope {
    frames: Vec<Vec<Binding>>,
}

impl Scope {
    pub fn push_frame(&mut self) {
        self.frames.push(Vec::new());
    }

    pub fn pop_frame(&mut self) {
        self.frames.pop();
    }

    /// Bind `name` in the innermost frame, shadowing any earlier binding.
    pub fn bind(&mut self, name: String, val: Val, mutable: bool) -> BindingId {
        if self.frames.is_empty() {
            self.push_frame();
        }
        let frame = self.frames.len() - 1;
        let bindings = &mut self.frames[frame];
        bindings.push(Binding {
            name,
            val,
            mutable,
            carried: false,
            deferred: false,
        });
        BindingId {
            frame,
            index: bindings.len() - 1,
        }
    }

    /// Bind `name` to a value only known at launch.
    pub fn bind_deferred(&mut self, name: String, mutable: bool, span: Span) -> BindingId {
        let placeholder = Val::constant(
            crate::ir::Dtype::I1,
            super::value::Konst::Unknown,
            false,
            span,
        );
        let id = self.bind(name, placeholder, mutable);
        self.get_mut(id).deferred = true;
        id
    }

    /// The binding `name` refers to here: the latest in the innermost frame
    /// that has one.
    pub fn lookup(&self, name: &str) -> Option<BindingId> {
        self.frames.iter().enumerate().rev().find_map(|(frame, b)| {
            let index = b.iter().rposition(|b| b.name == name)?;
            Some(BindingId { frame, index })
        })
    }

    pub fn get(&self, id: BindingId) -> &Binding {
        &self.frames[id.frame][id.index]
    }

    pub fn get_mut(&mut self, id: BindingId) -> &mut Binding {
        &mut self.frames[id.frame][id.index]
    }

    pub fn set(&mut self, id: BindingId, val: Val) {
        self.get_mut(id).val = val;
    }

    /// Every name in scope, for "did you mean" suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.frames.iter().flatten().map(|b| b.name.as_str())
    }

    /// The value of a binding, relabelled as coming from `span`.
    pub fn read(&self, id: BindingId, span: Span) -> Val {
        self.get(id).val.clone().with_span(span)
    }
}
