//! The text printer: an MLIR-like generic form driven by the op table, so a
//! new op needs no printer change.
//!
//! ```text
//! kernel @add(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) consts {BLOCK = 1024} files ["add.rs"] {
//!   %3 = program_id {axis = 0} : i32 loc(3:15)
//!   %4, %5 = for %a, %b, %c, %d, %e : i32, f32 {
//!   ^(%6: i32, %7: i32, %8: f32):
//!     yield %x, %y
//!   } loc(7:5)
//!   store %p, %v, %m {arg = 1} loc(9:5)
//!   return
//! }
//! ```
//!
//! The format, which [`super::parse`] reads back:
//! - **Header**: `kernel @name(params)` for a kernel, `func @name(params)`
//!   for a device function, followed by ` -> type` or ` -> (type, ...)` when
//!   it returns values; then the sections `consts {K = v}`, `attrs {k = v}`
//!   and `files ["..."]`, each omitted when empty, then the body in braces. A parameter is `%N name: type`, plus ` mut` when the
//!   kernel may store through it; an empty name is left out.
//! - **Names** (function, parameters, constexprs) print bare when they are
//!   identifiers and as quoted strings otherwise.
//! - **Ops**, one per line: `results = name operands {attrs} : result types`,
//!   then the regions, then `loc(line:col)` for file 0 or `loc(fN:line:col)`
//!   for file `N`. Each part is omitted when empty or unknown. Operand types
//!   are not printed: they follow from the operands' definitions.
//! - **Attributes** print in the op table's order (required, then optional).
//! - **Regions** are `{`, then `^(%N: type, ...):` when the block has
//!   arguments, then the block's ops indented one level, then `}`. The regions
//!   of one op follow each other on one line: `} {`.
//! - **Values** are renumbered densely in print order: parameters, then in
//!   program order, each op's results before its regions' block arguments.
//!   Text therefore never shows arena indices, and two functions that differ
//!   only in entity numbering print identically.
//!
//! The printer is total: it prints invalid IR too, so a pass can dump what the
//! verifier refuses. Dangling entity references print as `<invalid ...>`
//! markers, which the parser rejects.

use super::entities::{Block, Op, Value};
use super::function::{Function, Loc, Module};
use super::opcodes::Opcode;
use super::Attr;
use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write};

/// Prints a function in the text format (ends with a newline).
pub fn print_function(f: &Function) -> String {
    f.to_string()
}

impl fmt::Display for Function {
    fn fmt(&self, w: &mut fmt::Formatter<'_>) -> fmt::Result {
        Printer::new(self).function(w)
    }
}

/// Functions separated by one blank line.
impl fmt::Display for Module {
    fn fmt(&self, w: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, f) in self.funcs.iter().enumerate() {
            if i > 0 {
                w.write_str("\n")?;
            }
            write!(w, "{f}")?;
        }
        Ok(())
    }
}

/// Dense print numbers of a function's values, assigned in print order. The
/// verifier uses the same numbering so its messages match the printed text.
#[derive(Debug, Default)]
pub(crate) struct ValueNames {
    // A map rather than a `SecondaryMap`: invalid IR may hold a huge dangling
    // value index, which must not size a dense table.
    numbers: HashMap<Value, u32>,
}

impl ValueNames {
    pub(crate) fn new(f: &Function) -> ValueNames {
        let mut names = ValueNames::default();
        names.region(f, f.body, &mut HashSet::new());
        names
    }

    fn region(&mut self, f: &Function, block: Block, seen: &mut HashSet<Block>) {
        let Some(data) = f.blocks.get(block) else {
            return;
        };
        if !seen.insert(block) {
            return;
        }
        data.args.iter().for_each(|&v| self.number(v));
        for &op in &data.ops {
            let Some(op) = f.ops.get(op) else { continue };
            op.results.iter().for_each(|&v| self.number(v));
            // Uses of values defined nowhere (invalid IR) are numbered where
            // they first appear, so the text stays parseable up to that use.
            op.operands.iter().for_each(|&v| self.number(v));
            for &r in &op.regions {
                self.region(f, r, seen);
            }
        }
    }

    fn number(&mut self, v: Value) {
        let next = self.numbers.len() as u32;
        self.numbers.entry(v).or_insert(next);
    }

    /// Writes `%N`.
    pub(crate) fn write(&self, w: &mut dyn Write, v: Value) -> fmt::Result {
        match self.numbers.get(&v) {
            Some(n) => write!(w, "%{n}"),
            None => write!(w, "<invalid value {v}>"),
        }
    }

    /// `%N` as a string, for diagnostics.
    pub(crate) fn name(&self, v: Value) -> String {
        let mut s = String::new();
        let _ = self.write(&mut s, v);
        s
    }
}

/// One op on one line with its regions elided as `{...}`, in the numbering of
/// the whole function: how diagnostics show an op.
pub(crate) fn op_summary(f: &Function, names: &ValueNames, op: Op) -> String {
    let mut s = String::new();
    let _ = write_op_summary(&mut s, f, names, op);
    s
}

fn write_op_summary(w: &mut dyn Write, f: &Function, names: &ValueNames, op: Op) -> fmt::Result {
    let Some(data) = f.ops.get(op) else {
        return write!(w, "<invalid op {op}>");
    };
    write_op_head(w, f, names, op)?;
    for _ in &data.regions {
        w.write_str(" {...}")?;
    }
    write_loc(w, data.loc)
}

/// `results = name operands {attrs} : types`: everything but regions and loc.
fn write_op_head(w: &mut dyn Write, f: &Function, names: &ValueNames, op: Op) -> fmt::Result {
    let data = &f.ops[op];
    if !data.results.is_empty() {
        write_list(w, &data.results, |w, &v| names.write(w, v))?;
        w.write_str(" = ")?;
    }
    w.write_str(data.opcode.name())?;
    if !data.operands.is_empty() {
        w.write_str(" ")?;
        write_list(w, &data.operands, |w, &v| names.write(w, v))?;
    }
    let attrs = attrs_in_table_order(data.opcode, &data.attrs.0);
    if !attrs.is_empty() {
        w.write_str(" {")?;
        write_list(w, &attrs, |w, (k, v)| write!(w, "{k} = {v}"))?;
        w.write_str("}")?;
    }
    if !data.results.is_empty() {
        w.write_str(" : ")?;
        write_list(w, &data.results, |w, &v| match f.values.get(v) {
            Some(d) => write!(w, "{}", d.ty),
            None => write!(w, "<invalid value {v}>"),
        })?;
    }
    Ok(())
}

/// Entries sorted by their key's position in the table (required keys, then
/// optional); keys the op does not declare (invalid IR) come last so they are
/// shown rather than hidden.
fn attrs_in_table_order(
    opcode: Opcode,
    attrs: &[(&'static str, Attr)],
) -> Vec<(&'static str, Attr)> {
    let info = opcode.info();
    let rank = |key: &str| {
        info.attrs
            .iter()
            .chain(info.optional_attrs)
            .position(|k| *k == key)
            .unwrap_or(usize::MAX)
    };
    let mut sorted = attrs.to_vec();
    sorted.sort_by_key(|(k, _)| rank(k));
    sorted
}

fn write_loc(w: &mut dyn Write, loc: Loc) -> fmt::Result {
    match loc {
        _ if !loc.is_known() => Ok(()),
        Loc { file: 0, line, col } => write!(w, " loc({line}:{col})"),
        Loc { file, line, col } => write!(w, " loc(f{file}:{line}:{col})"),
    }
}

fn write_list<T>(
    w: &mut dyn Write,
    items: &[T],
    mut each: impl FnMut(&mut dyn Write, &T) -> fmt::Result,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        each(w, item)?;
    }
    Ok(())
}

/// Writes a name bare if it is an identifier, else as a quoted string.
pub(crate) fn write_name(w: &mut dyn Write, name: &str) -> fmt::Result {
    if is_identifier(name) {
        w.write_str(name)
    } else {
        write!(w, "{name:?}")
    }
}

/// `[A-Za-z_][A-Za-z0-9_]*`, the identifiers of the text format.
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

struct Printer<'f> {
    f: &'f Function,
    names: ValueNames,
    /// Blocks already printed: a block reachable twice (invalid IR) is printed
    /// once, and a cycle of regions cannot recurse forever.
    printed: HashSet<Block>,
}

const INDENT: &str = "  ";

impl<'f> Printer<'f> {
    fn new(f: &'f Function) -> Printer<'f> {
        Printer {
            f,
            names: ValueNames::new(f),
            printed: HashSet::new(),
        }
    }

    fn function(&mut self, w: &mut dyn Write) -> fmt::Result {
        let f = self.f;
        write!(w, "{} @", f.kind.keyword())?;
        write_name(w, &f.name)?;
        w.write_str("(")?;
        let args = f.blocks.get(f.body).map_or(&[][..], |b| &b.args[..]);
        for (i, p) in f.params.iter().enumerate() {
            if i > 0 {
                w.write_str(", ")?;
            }
            match args.get(i) {
                Some(&v) => self.names.write(w, v)?,
                None => w.write_str("<missing body argument>")?,
            }
            if !p.name.is_empty() {
                w.write_str(" ")?;
                write_name(w, &p.name)?;
            }
            write!(w, ": {}", p.ty)?;
            if p.mutable {
                w.write_str(" mut")?;
            }
        }
        w.write_str(")")?;
        match f.results.as_slice() {
            [] => {}
            [one] => write!(w, " -> {one}")?,
            many => {
                w.write_str(" -> (")?;
                write_list(w, many, |w, t| write!(w, "{t}"))?;
                w.write_str(")")?;
            }
        }
        if !f.consts.is_empty() {
            w.write_str(" consts {")?;
            write_list(w, &f.consts, |w, (k, v)| {
                write_name(w, k)?;
                write!(w, " = {v}")
            })?;
            w.write_str("}")?;
        }
        if !f.attrs.is_empty() {
            w.write_str(" attrs {")?;
            write_list(w, &f.attrs.0, |w, (k, v)| write!(w, "{k} = {v}"))?;
            w.write_str("}")?;
        }
        if !f.files.is_empty() {
            w.write_str(" files [")?;
            write_list(w, &f.files, |w, file| write!(w, "{file:?}"))?;
            w.write_str("]")?;
        }
        w.write_str(" {\n")?;
        if args.len() != f.params.len() {
            writeln!(
                w,
                "{INDENT}; invalid: {} parameters but {} body arguments",
                f.params.len(),
                args.len()
            )?;
        }
        self.printed.insert(f.body);
        self.block_ops(w, f.body, 1)?;
        w.write_str("}\n")
    }

    fn block_ops(&mut self, w: &mut dyn Write, block: Block, depth: usize) -> fmt::Result {
        let Some(data) = self.f.blocks.get(block) else {
            return writeln!(w, "{}; <invalid block {block}>", INDENT.repeat(depth));
        };
        for &op in &data.ops {
            self.op(w, op, depth)?;
        }
        Ok(())
    }

    fn op(&mut self, w: &mut dyn Write, op: Op, depth: usize) -> fmt::Result {
        let indent = INDENT.repeat(depth);
        let Some(data) = self.f.ops.get(op) else {
            return writeln!(w, "{indent}<invalid op {op}>");
        };
        w.write_str(&indent)?;
        write_op_head(w, self.f, &self.names, op)?;
        for &region in &data.regions {
            w.write_str(" {\n")?;
            self.region(w, region, depth)?;
            write!(w, "{indent}}}")?;
        }
        write_loc(w, data.loc)?;
        w.write_str("\n")
    }

    /// The inside of a region's braces; the label line sits at the op's depth.
    fn region(&mut self, w: &mut dyn Write, block: Block, depth: usize) -> fmt::Result {
        let inner = INDENT.repeat(depth + 1);
        if !self.printed.insert(block) {
            return writeln!(w, "{inner}; <block {block} already printed above>");
        }
        let args = self.f.blocks.get(block).map_or(&[][..], |b| &b.args[..]);
        if !args.is_empty() {
            write!(w, "{}^(", INDENT.repeat(depth))?;
            write_list(w, args, |w, &v| {
                self.names.write(w, v)?;
                match self.f.values.get(v) {
                    Some(d) => write!(w, ": {}", d.ty),
                    None => w.write_str(": <invalid>"),
                }
            })?;
            w.write_str("):\n")?;
        }
        self.block_ops(w, block, depth + 1)
    }
}
