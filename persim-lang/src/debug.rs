//! What `device_print` prints: one record per element, shared by the
//! interpreter and every backend so that their output can be compared
//! record for record, and formatted one way everywhere.
//!
//! A record is printed as
//!
//! ```text
//! kernel.rs:7:5: pid (0, 0, 0) idx (1, 3) x: 1.5
//! ```
//!
//! like Triton's `device_print` (program id, element index, prefix, value),
//! with the source location in front. A scalar has no `idx` part; a print
//! without a value prints its prefix alone.

use crate::ir::Dtype;
use std::fmt;

/// One printed element (or a lone prefix).
#[derive(Clone, Debug, PartialEq)]
pub struct DevicePrint {
    /// `file:line:col` of the `device_print` call.
    pub location: String,
    /// The program instance that printed.
    pub program: [u32; 3],
    /// The element's index in the printed tile; empty for a scalar.
    pub index: Vec<u32>,
    pub prefix: String,
    /// `None` for `device_print("prefix")` without a value.
    pub value: Option<PrintValue>,
}

/// A printed element, with what is needed to show it in its own type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PrintValue {
    Bool(bool),
    /// Any integer type, exactly.
    Int(i128),
    /// A float and its type: the value is exactly representable in it, so
    /// it prints as the shortest decimal that reads back to it in that type
    /// (`0.1` for an `f32` 0.1, not `0.10000000149011612`).
    Float(f64, Dtype),
}

impl fmt::Display for PrintValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PrintValue::Bool(b) => write!(f, "{b}"),
            PrintValue::Int(i) => write!(f, "{i}"),
            PrintValue::Float(x, Dtype::F16) => {
                write!(f, "{}", shortest(x, |y| half::f16::from_f64(y).to_f64()))
            }
            PrintValue::Float(x, Dtype::BF16) => {
                write!(f, "{}", shortest(x, |y| half::bf16::from_f64(y).to_f64()))
            }
            PrintValue::Float(x, Dtype::F32) => write!(f, "{}", x as f32),
            PrintValue::Float(x, _) => write!(f, "{x}"),
        }
    }
}

/// The decimal with the fewest significant digits that `round` (to a
/// narrow float type) takes back to `x`. (`half`'s own `Display` goes
/// through `f32` and shows `0.099975586` for the `f16` nearest 0.1.)
fn shortest(x: f64, round: impl Fn(f64) -> f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    (1..17)
        .filter_map(|digits| format!("{x:.*e}", digits - 1).parse::<f64>().ok())
        .find(|&y| round(y) == x)
        .unwrap_or(x)
}

impl fmt::Display for DevicePrint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [x, y, z] = self.program;
        write!(f, "{}: pid ({x}, {y}, {z})", self.location)?;
        if !self.index.is_empty() {
            let idx: Vec<String> = self.index.iter().map(u32::to_string).collect();
            write!(f, " idx ({})", idx.join(", "))?;
        }
        let prefix = self.prefix.trim_end();
        match (&self.value, prefix.is_empty()) {
            (None, _) => write!(f, " {prefix}"),
            (Some(v), true) => write!(f, " {v}"),
            // `device_print("x", v)` and `device_print("x: ", v)` both show
            // `x: v`, as Triton does.
            (Some(v), false) if prefix.ends_with(':') => write!(f, " {prefix} {v}"),
            (Some(v), false) => write!(f, " {prefix}: {v}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(prefix: &str, index: Vec<u32>, value: Option<PrintValue>) -> String {
        DevicePrint {
            location: "k.rs:3:5".into(),
            program: [1, 0, 2],
            index,
            prefix: prefix.into(),
            value,
        }
        .to_string()
    }

    #[test]
    fn records_read_like_triton() {
        let v = Some(PrintValue::Float(0.1f32 as f64, Dtype::F32));
        assert_eq!(
            record("x", vec![2, 3], v),
            "k.rs:3:5: pid (1, 0, 2) idx (2, 3) x: 0.1"
        );
        assert_eq!(
            record("x: ", vec![], Some(PrintValue::Int(-7))),
            "k.rs:3:5: pid (1, 0, 2) x: -7"
        );
        assert_eq!(record("done", vec![], None), "k.rs:3:5: pid (1, 0, 2) done");
        assert_eq!(
            record("", vec![0], Some(PrintValue::Bool(true))),
            "k.rs:3:5: pid (1, 0, 2) idx (0) true"
        );
        let h = PrintValue::Float(half::f16::from_f32(0.1).to_f64(), Dtype::F16);
        assert_eq!(h.to_string(), "0.1");
        assert_eq!(PrintValue::Float(f64::NAN, Dtype::F32).to_string(), "NaN");
        assert_eq!(PrintValue::Float(-0.0, Dtype::F64).to_string(), "-0");
    }
}
