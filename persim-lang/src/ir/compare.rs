//! Structural equality of functions modulo entity numbering: what a text
//! round trip must preserve.
//!
//! Two functions are structurally equal when they have the same signature
//! (kind, name, parameters, results, constexprs, files, function attributes) and their
//! bodies match op by op in program order: same opcodes, attributes, result
//! types, locations and regions, with operands related by one bijection
//! between their values. The bijection is built while walking (parameters
//! and block arguments pair up in order, results pair up op by op), so
//! `%3` may be `Value(7)` on one side and `Value(12)` on the other.
//!
//! Deliberate looseness, matching what the text format can express:
//! - attributes compare as sets (the printer orders them by the op table);
//! - float attributes compare by bits, except that all NaNs are equal;
//! - all unknown locations are equal, whatever their file and column.

use super::attrs::{Attr, Attrs};
use super::entities::{Block, Op, Value};
use super::function::{Function, Loc};
use std::collections::{HashMap, HashSet};

/// `Ok` if `a` and `b` are equal up to entity numbering; otherwise a
/// description of the first difference found, in program order.
pub fn structurally_equal(a: &Function, b: &Function) -> Result<(), String> {
    same_header(a, b)?;
    let mut m = Matcher {
        a,
        b,
        forward: HashMap::new(),
        backward: HashMap::new(),
        seen: HashSet::new(),
    };
    m.block(a.body, b.body, "body")
}

fn same_header(a: &Function, b: &Function) -> Result<(), String> {
    if a.name != b.name {
        return Err(format!("name: `{}` vs `{}`", a.name, b.name));
    }
    if a.kind != b.kind {
        return Err(format!("`{}` vs `{}`", a.kind.keyword(), b.kind.keyword()));
    }
    if a.results != b.results {
        return Err(format!("results: {:?} vs {:?}", a.results, b.results));
    }
    if a.params.len() != b.params.len() {
        return Err(format!(
            "{} parameters vs {}",
            a.params.len(),
            b.params.len()
        ));
    }
    for (i, (pa, pb)) in a.params.iter().zip(&b.params).enumerate() {
        if pa != pb {
            return Err(format!("parameter {i}: {pa:?} vs {pb:?}"));
        }
    }
    if a.consts != b.consts {
        return Err(format!("consts: {:?} vs {:?}", a.consts, b.consts));
    }
    if a.files != b.files {
        return Err(format!("files: {:?} vs {:?}", a.files, b.files));
    }
    same_attrs(&a.attrs, &b.attrs).map_err(|e| format!("function attributes: {e}"))
}

/// Equal as sets of `(key, value)`, floats compared by [`same_attr`].
fn same_attrs(a: &Attrs, b: &Attrs) -> Result<(), String> {
    if a.0.len() != b.0.len() {
        return Err(format!("{} attributes vs {}", a.0.len(), b.0.len()));
    }
    for (key, va) in &a.0 {
        match b.get(key) {
            Some(vb) if same_attr(va, vb) => {}
            // Equal text but different kinds (a scalar `Attr::Type` and an
            // `Attr::Dtype`) needs the kinds spelled out.
            Some(vb) if va.to_string() == vb.to_string() => {
                return Err(format!("`{key}` is {va:?} vs {vb:?}"))
            }
            Some(vb) => return Err(format!("`{key}` is {va} vs {vb}")),
            None => return Err(format!("`{key}` = {va} is missing on the right")),
        }
    }
    Ok(())
}

fn same_attr(a: &Attr, b: &Attr) -> bool {
    match (a, b) {
        (Attr::Float(x), Attr::Float(y)) => {
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        }
        _ => a == b,
    }
}

fn same_loc(a: Loc, b: Loc) -> bool {
    a == b || (!a.is_known() && !b.is_known())
}

struct Matcher<'f> {
    a: &'f Function,
    b: &'f Function,
    forward: HashMap<Value, Value>,
    backward: HashMap<Value, Value>,
    /// Blocks of `a` already compared, so invalid IR with shared or cyclic
    /// regions cannot loop.
    seen: HashSet<Block>,
}

impl Matcher<'_> {
    /// Relates `va` to `vb`, or checks that they were already related to
    /// each other. Uses of values defined nowhere (invalid IR) pair up at
    /// first sight, so only the shape of the invalidity must agree.
    fn pair(&mut self, va: Value, vb: Value) -> bool {
        match (self.forward.get(&va), self.backward.get(&vb)) {
            (Some(&x), Some(&y)) => x == vb && y == va,
            (None, None) => {
                self.forward.insert(va, vb);
                self.backward.insert(vb, va);
                true
            }
            _ => false,
        }
    }

    fn block(&mut self, ba: Block, bb: Block, at: &str) -> Result<(), String> {
        if !self.seen.insert(ba) {
            return Ok(());
        }
        let (Some(da), Some(db)) = (self.a.blocks.get(ba), self.b.blocks.get(bb)) else {
            return Err(format!("{at}: dangling block reference"));
        };
        if da.args.len() != db.args.len() {
            return Err(format!(
                "{at}: {} block arguments vs {}",
                da.args.len(),
                db.args.len()
            ));
        }
        for (i, (&va, &vb)) in da.args.iter().zip(&db.args).enumerate() {
            self.value_def(va, vb, &format!("{at}, block argument {i}"))?;
        }
        if da.ops.len() != db.ops.len() {
            return Err(format!("{at}: {} ops vs {}", da.ops.len(), db.ops.len()));
        }
        for (i, (&oa, &ob)) in da.ops.iter().zip(&db.ops).enumerate() {
            self.op(oa, ob, &format!("{at}, op {i}"))?;
        }
        Ok(())
    }

    /// A definition on each side: same type, and paired.
    fn value_def(&mut self, va: Value, vb: Value, at: &str) -> Result<(), String> {
        let (Some(da), Some(db)) = (self.a.values.get(va), self.b.values.get(vb)) else {
            return Err(format!("{at}: dangling value reference"));
        };
        if da.ty != db.ty {
            return Err(format!("{at}: type {} vs {}", da.ty, db.ty));
        }
        if !self.pair(va, vb) {
            return Err(format!(
                "{at}: the values are defined twice or inconsistently"
            ));
        }
        Ok(())
    }

    fn op(&mut self, oa: Op, ob: Op, at: &str) -> Result<(), String> {
        let (Some(da), Some(db)) = (self.a.ops.get(oa), self.b.ops.get(ob)) else {
            return Err(format!("{at}: dangling op reference"));
        };
        if da.opcode != db.opcode {
            return Err(format!(
                "{at}: `{}` vs `{}`",
                da.opcode.name(),
                db.opcode.name()
            ));
        }
        let at = format!("{at} (`{}`)", da.opcode.name());
        if da.operands.len() != db.operands.len() {
            return Err(format!(
                "{at}: {} operands vs {}",
                da.operands.len(),
                db.operands.len()
            ));
        }
        for (i, (&va, &vb)) in da.operands.iter().zip(&db.operands).enumerate() {
            if !self.pair(va, vb) {
                return Err(format!("{at}: operand {i} refers to different values"));
            }
        }
        same_attrs(&da.attrs, &db.attrs).map_err(|e| format!("{at}: attributes: {e}"))?;
        if da.results.len() != db.results.len() {
            return Err(format!(
                "{at}: {} results vs {}",
                da.results.len(),
                db.results.len()
            ));
        }
        for (i, (&va, &vb)) in da.results.iter().zip(&db.results).enumerate() {
            self.value_def(va, vb, &format!("{at}, result {i}"))?;
        }
        if !same_loc(da.loc, db.loc) {
            return Err(format!("{at}: location {:?} vs {:?}", da.loc, db.loc));
        }
        if da.regions.len() != db.regions.len() {
            return Err(format!(
                "{at}: {} regions vs {}",
                da.regions.len(),
                db.regions.len()
            ));
        }
        for (i, (&ra, &rb)) in da.regions.iter().zip(&db.regions).enumerate() {
            self.block(ra, rb, &format!("{at}, region {i}"))?;
        }
        Ok(())
    }
}
