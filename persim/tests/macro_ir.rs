//! The macro end to end: the generated module's `KERNEL`, `Args`, `launch`
//! and `ir`, and locations that point into this very file.

use persim::ir::{Opcode, Type};
use persim::prelude::*;
use persim::ParamKind;

#[persim::kernel]
pub fn softmax(out: *mut f32, inp: *const f32, stride: i32, n_cols: i32, #[constexpr] BLOCK: i32) {
    let row = program_id(0);
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    let x = load(inp + row * stride + cols, mask, f32::NEG_INFINITY);
    let z = x - max(x, 0);
    let num = exp(z);
    store(out + row * stride + cols, num / sum(num, 0), mask);
}

/// A constexpr-dependent shape mismatch is accepted at build time and
/// reported at launch.
#[persim::kernel]
fn deferred(out: *mut f32, #[constexpr] BLOCK: i32) {
    let wide = arange(0, BLOCK) + arange(0, 32);
    store(out + wide, 1.0);
}

const THIS_FILE: &str = include_str!("macro_ir.rs");

/// 1-based `(line, col)` of the `n`-th occurrence of `needle` in this file.
fn position(needle: &str, n: usize) -> (u32, u32) {
    let at = THIS_FILE
        .match_indices(needle)
        .nth(n)
        .expect("needle in file")
        .0;
    let before = &THIS_FILE[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() as u32 + 1;
    (line, col)
}

#[test]
fn records_signature_and_source() {
    let k = &softmax::KERNEL;
    assert_eq!(k.name, "softmax");
    assert!(k.file.ends_with("macro_ir.rs"), "{}", k.file);
    let kinds: Vec<(&str, ParamKind)> = k.params.iter().map(|p| (p.name, p.kind)).collect();
    use persim::ir::Dtype::*;
    assert_eq!(
        kinds,
        [
            (
                "out",
                ParamKind::Ptr {
                    dtype: F32,
                    mutable: true
                }
            ),
            (
                "inp",
                ParamKind::Ptr {
                    dtype: F32,
                    mutable: false
                }
            ),
            ("stride", ParamKind::Scalar(I32)),
            ("n_cols", ParamKind::Scalar(I32)),
            ("BLOCK", ParamKind::Constexpr(I32)),
        ]
    );
    // The first token is `pub`, the second `fn`.
    assert_eq!(k.locs[0], position("pub fn softmax", 0));
    let (line, col) = position("pub fn softmax", 0);
    assert_eq!(k.locs[1], (line, col + 4));
}

#[test]
fn ops_point_at_their_tokens() {
    let f = softmax::ir(&[("BLOCK", 64)]).expect("softmax specializes");
    assert_eq!(f.files.len(), 1);
    assert!(f.files[0].ends_with("macro_ir.rs"));
    let loc_of = |opcode: Opcode| {
        let op = f
            .all_ops()
            .into_iter()
            .find(|&op| f.op(op).opcode == opcode)
            .unwrap();
        let loc = f.op(op).loc;
        (loc.line, loc.col)
    };
    assert_eq!(loc_of(Opcode::ProgramId), position("program_id(0)", 0));
    assert_eq!(loc_of(Opcode::Arange), position("arange(0, BLOCK)", 0));
    assert_eq!(loc_of(Opcode::Exp), position("exp(z)", 0));
    assert_eq!(loc_of(Opcode::Store), position("store(out + row", 0));
    // The comparison's location is its operator.
    let (line, col) = position("cols < n_cols", 0);
    assert_eq!(loc_of(Opcode::Cmp), (line, col + 5));
    let load = f
        .all_ops()
        .into_iter()
        .find(|&op| f.op(op).opcode == Opcode::Load)
        .unwrap();
    assert_eq!(
        f.ty(f.op(load).results[0]),
        &Type::tile(persim::ir::Elem::Val(persim::ir::Dtype::F32), &[64])
    );
}

#[test]
fn deferred_shape_error_reports_file_line_col() {
    assert!(deferred::ir(&[("BLOCK", 32)]).is_ok());
    let err = deferred::ir(&[("BLOCK", 16)]).unwrap_err();
    let (line, col) = position("+ arange(0, 32)", 0);
    let location = err.location.clone().expect("a location");
    assert!(
        location.ends_with(&format!("macro_ir.rs:{line}:{col}")),
        "{location}"
    );
    assert!(err.message.contains("[16] and [32]"), "{}", err.message);
}

#[test]
fn constexpr_errors_name_the_constexpr() {
    let missing = softmax::ir(&[]).unwrap_err();
    assert!(missing.message.contains("`BLOCK`"), "{}", missing.message);
    let unknown = softmax::ir(&[("BLOCK", 16), ("BLOCKS", 2)]).unwrap_err();
    assert!(
        unknown.message.contains("no constexpr `BLOCKS`"),
        "{}",
        unknown.message
    );
}

#[test]
fn args_are_typed() {
    let input = vec![0.0f32; 8];
    let mut output = vec![0.0f32; 8];
    let args = softmax::Args {
        out: &mut output,
        inp: &input,
        stride: 8,
        n_cols: 8,
        BLOCK: 8,
    };
    assert_eq!(args.inp.len(), 8);
    let _launch: fn(&Engine, Grid, softmax::Args<'_>) -> Result<(), LaunchError> =
        |e, g, a| softmax::launch(e, g, a);
}
