//! Op attributes: compile-time constants attached to an op (`axis`, `value`,
//! `shape`, a comparison predicate, ...). Which attributes an op takes is part
//! of its declaration in [`crate::ir::opcodes`].

use super::types::{Dtype, Type};
use std::fmt;

/// Comparison predicates. Signedness comes from the operand type, as in Triton.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpPred {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpPred {
    pub const ALL: [CmpPred; 6] = [
        CmpPred::Eq,
        CmpPred::Ne,
        CmpPred::Lt,
        CmpPred::Le,
        CmpPred::Gt,
        CmpPred::Ge,
    ];
    pub fn name(self) -> &'static str {
        match self {
            CmpPred::Eq => "eq",
            CmpPred::Ne => "ne",
            CmpPred::Lt => "lt",
            CmpPred::Le => "le",
            CmpPred::Gt => "gt",
            CmpPred::Ge => "ge",
        }
    }
}

/// Combining operation of a built-in reduction or scan.
///
/// `sum max min prod` combine values (and are what `scan` accepts);
/// `argmax argmin` give the `i32` index of the first maximum (minimum) along
/// the axis, NaN counting as larger (smaller) than every number, as NumPy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReduceKind {
    Sum,
    Max,
    Min,
    Prod,
    Argmax,
    Argmin,
}

impl ReduceKind {
    pub const ALL: [ReduceKind; 6] = [
        ReduceKind::Sum,
        ReduceKind::Max,
        ReduceKind::Min,
        ReduceKind::Prod,
        ReduceKind::Argmax,
        ReduceKind::Argmin,
    ];
    /// The kinds whose result is a value of the operand's type.
    pub const VALUES: [ReduceKind; 4] = [
        ReduceKind::Sum,
        ReduceKind::Max,
        ReduceKind::Min,
        ReduceKind::Prod,
    ];
    pub fn name(self) -> &'static str {
        match self {
            ReduceKind::Sum => "sum",
            ReduceKind::Max => "max",
            ReduceKind::Min => "min",
            ReduceKind::Prod => "prod",
            ReduceKind::Argmax => "argmax",
            ReduceKind::Argmin => "argmin",
        }
    }

    /// Whether the result is an index (`argmax`, `argmin`).
    pub fn is_index(self) -> bool {
        matches!(self, ReduceKind::Argmax | ReduceKind::Argmin)
    }
}

/// An attribute value.
#[derive(Clone, Debug, PartialEq)]
pub enum Attr {
    Int(i64),
    /// Float constants are kept as `f64`; every narrower float converts exactly.
    Float(f64),
    Bool(bool),
    Str(String),
    Dtype(Dtype),
    Type(Type),
    /// A list of dimensions or an axis permutation.
    Ints(Vec<i64>),
    Pred(CmpPred),
    Reduce(ReduceKind),
}

impl Attr {
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Attr::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn as_ints(&self) -> Option<&[i64]> {
        match self {
            Attr::Ints(v) => Some(v),
            _ => None,
        }
    }
    pub fn as_type(&self) -> Option<&Type> {
        match self {
            Attr::Type(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Display for Attr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attr::Int(i) => write!(f, "{i}"),
            Attr::Float(x) => fmt_float(*x, f),
            Attr::Bool(b) => write!(f, "{b}"),
            Attr::Str(s) => write!(f, "{s:?}"),
            Attr::Dtype(d) => write!(f, "{d}"),
            Attr::Type(t) => write!(f, "{t}"),
            Attr::Ints(v) => {
                f.write_str("[")?;
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{x}")?;
                }
                f.write_str("]")
            }
            Attr::Pred(p) => f.write_str(p.name()),
            Attr::Reduce(r) => f.write_str(r.name()),
        }
    }
}

/// Floats print so that they parse back to the same bits and are never
/// mistaken for integers: `1.0`, `-inf`, `nan`, `1e-5`.
fn fmt_float(x: f64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if x.is_nan() {
        f.write_str("nan")
    } else if x.is_infinite() {
        f.write_str(if x > 0.0 { "inf" } else { "-inf" })
    } else {
        let s = format!("{x:?}");
        if s.contains(['.', 'e', 'E']) {
            f.write_str(&s)
        } else {
            write!(f, "{s}.0")
        }
    }
}

/// The attributes of one op, in declaration order of the op table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attrs(pub Vec<(&'static str, Attr)>);

impl Attrs {
    pub fn new() -> Attrs {
        Attrs(Vec::new())
    }
    pub fn with(mut self, key: &'static str, value: Attr) -> Attrs {
        self.set(key, value);
        self
    }
    pub fn get(&self, key: &str) -> Option<&Attr> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
    pub fn set(&mut self, key: &'static str, value: Attr) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }
    pub fn int(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Attr::as_int)
    }
    pub fn ints(&self, key: &str) -> Option<&[i64]> {
        self.get(key).and_then(Attr::as_ints)
    }
    pub fn ty(&self, key: &str) -> Option<&Type> {
        self.get(key).and_then(Attr::as_type)
    }
    pub fn dtype(&self, key: &str) -> Option<Dtype> {
        match self.get(key) {
            Some(Attr::Dtype(d)) => Some(*d),
            _ => None,
        }
    }
    pub fn pred(&self) -> Option<CmpPred> {
        match self.get("pred") {
            Some(Attr::Pred(p)) => Some(*p),
            _ => None,
        }
    }
    pub fn reduce_kind(&self) -> Option<ReduceKind> {
        match self.get("kind") {
            Some(Attr::Reduce(k)) => Some(*k),
            _ => None,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
