//! Helpers shared by the frontend tests: parse kernel text, build or check
//! it, and query the IR.
#![allow(dead_code)]

use persim_lang::front::{self, Diagnostic, ParamInfo};
use persim_lang::ir::{Function, Op, Opcode, Type};

pub const FILE: &str = "kernel.rs";

pub fn parse(src: &str) -> syn::ItemFn {
    syn::parse_str(src).unwrap_or_else(|e| panic!("test kernel does not parse: {e}"))
}

/// Positions in the test's own text: proc-macro2 columns are 0-based.
pub fn locate(span: proc_macro2::Span) -> Option<(u32, u32)> {
    let start = span.start();
    Some((start.line as u32, start.column as u32 + 1))
}

pub fn build(src: &str, consts: &[(&str, i64)]) -> Result<Function, Diagnostic> {
    front::build(&parse(src), consts, &locate, FILE)
}

pub fn build_ok(src: &str, consts: &[(&str, i64)]) -> Function {
    build(src, consts).unwrap_or_else(|d| panic!("build failed: {} at {:?}", d, d.location))
}

pub fn build_err(src: &str, consts: &[(&str, i64)]) -> Diagnostic {
    match build(src, consts) {
        Ok(_) => panic!("build succeeded, expected an error"),
        Err(d) => d,
    }
}

pub fn check(src: &str) -> Result<Vec<ParamInfo>, Vec<Diagnostic>> {
    front::check(&parse(src))
}

pub fn check_err(src: &str) -> Diagnostic {
    match check(src) {
        Ok(_) => panic!("check succeeded, expected an error"),
        Err(mut d) => d.remove(0),
    }
}

/// `(line, col)` (1-based) where `needle` first occurs in `src`, to compare
/// with diagnostics and op locations.
pub fn pos(src: &str, needle: &str) -> (u32, u32) {
    pos_nth(src, needle, 0)
}

pub fn pos_nth(src: &str, needle: &str, n: usize) -> (u32, u32) {
    let at = src
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("`{needle}` not in the kernel"))
        .0;
    let before = &src[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() as u32 + 1;
    (line, col)
}

/// The `file:line:col` of `needle` in `src`.
pub fn loc_of(src: &str, needle: &str) -> String {
    let (l, c) = pos(src, needle);
    format!("{FILE}:{l}:{c}")
}

pub fn ops(f: &Function, opcode: Opcode) -> Vec<Op> {
    f.all_ops()
        .into_iter()
        .filter(|&op| f.op(op).opcode == opcode)
        .collect()
}

pub fn count(f: &Function, opcode: Opcode) -> usize {
    ops(f, opcode).len()
}

pub fn result_ty(f: &Function, op: Op) -> Type {
    f.ty(f.op(op).results[0]).clone()
}

/// The type printed as the IR prints it, e.g. `tile<16xf32>`.
pub fn ty_str(f: &Function, op: Op) -> String {
    result_ty(f, op).to_string()
}
