//! Locations: every op carries the `line:col` of its token; `specialize`
//! maps the re-parsed text of a recorded kernel back to the original file.

mod front_util;

use front_util::*;
use persim_lang::front::{self, srcmap::token_starts, KernelSource, ParamKind, ParamSig};
use persim_lang::ir::{Dtype, Opcode};

const SRC: &str = "
/// Scales a row.
pub fn scale(out: *mut f32, inp: *const f32, n: i32,
             #[constexpr] BLOCK: i32) {
    let offs = arange(0, BLOCK);
    let mask = offs < n;
    let x = load(inp + offs, mask);
    store(out + offs,
          x * 2.0, mask);
    let wide = offs + arange(0, 16);
}";

/// What `#[persim::kernel]` records, built by hand: the tokens as one line of
/// text, and each token's position in `SRC`.
fn recorded() -> &'static KernelSource {
    let tokens: proc_macro2::TokenStream = SRC.parse().unwrap();
    let mut spans = Vec::new();
    token_starts(tokens.clone(), &mut spans);
    let locs: Vec<(u32, u32)> = spans
        .iter()
        .map(|s| (s.start().line as u32, s.start().column as u32 + 1))
        .collect();
    let text = tokens.to_string();
    assert!(
        !text.contains('\n'),
        "recorded text is re-flowed, as the macro's is"
    );
    Box::leak(Box::new(KernelSource {
        name: "scale",
        file: "src/scale.rs",
        text: Box::leak(text.into_boxed_str()),
        locs: Box::leak(locs.into_boxed_slice()),
        params: &[
            ParamSig {
                name: "out",
                kind: ParamKind::Ptr {
                    dtype: Dtype::F32,
                    mutable: true,
                },
            },
            ParamSig {
                name: "inp",
                kind: ParamKind::Ptr {
                    dtype: Dtype::F32,
                    mutable: false,
                },
            },
            ParamSig {
                name: "n",
                kind: ParamKind::Scalar(Dtype::I32),
            },
            ParamSig {
                name: "BLOCK",
                kind: ParamKind::Constexpr(Dtype::I32),
            },
        ],
        deps: &[],
    }))
}

fn op_pos(f: &persim_lang::ir::Function, opcode: Opcode) -> (u32, u32) {
    let loc = f.op(ops(f, opcode)[0]).loc;
    (loc.line, loc.col)
}

#[test]
fn build_gives_every_op_a_location() {
    let f = build_ok(SRC, &[("BLOCK", 16)]);
    for op in f.all_ops() {
        assert!(
            f.op(op).loc.is_known(),
            "{:?} has no location",
            f.op(op).opcode
        );
    }
    assert_eq!(op_pos(&f, Opcode::Arange), pos(SRC, "arange(0, BLOCK)"));
    assert_eq!(op_pos(&f, Opcode::Load), pos(SRC, "load("));
    assert_eq!(op_pos(&f, Opcode::Mul), pos(SRC, "* 2.0"));
    assert_eq!(op_pos(&f, Opcode::Cmp), pos(SRC, "< n"));
    assert_eq!(op_pos(&f, Opcode::Return), pos(SRC, "}"));
    // The literal's constant sits at the literal.
    let two = ops(&f, Opcode::Const)
        .into_iter()
        .find(|&c| ty_str(&f, c) == "f32")
        .unwrap();
    let loc = f.op(two).loc;
    assert_eq!((loc.line, loc.col), pos(SRC, "2.0"));
}

#[test]
fn specialize_maps_tokens_back_to_the_file() {
    let src = recorded();
    let m = front::specialize(src, &[("BLOCK", 16)]).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        m.funcs.len(),
        1,
        "a kernel without calls is a module of one"
    );
    let f = &m.funcs[0];
    assert_eq!(f.files, ["src/scale.rs"]);
    assert_eq!(op_pos(f, Opcode::Arange), pos(SRC, "arange(0, BLOCK)"));
    assert_eq!(op_pos(f, Opcode::Store), pos(SRC, "store("));
    assert_eq!(op_pos(f, Opcode::Mul), pos(SRC, "* 2.0"));
    assert_eq!(
        f.describe_loc(f.op(ops(f, Opcode::Load)[0]).loc),
        format!("src/scale.rs:{}:{}", 7, 13)
    );
}

#[test]
fn deferred_shape_error_at_launch_has_file_line_col() {
    let src = recorded();
    // Build time: BLOCK is unknown, so `offs + arange(0, 16)` is accepted.
    let item: syn::ItemFn = syn::parse_str(SRC).unwrap();
    assert!(front::check(&item).is_ok());
    // Launch time with BLOCK = 32: the shapes disagree at the `+`.
    let d = front::specialize(src, &[("BLOCK", 32)]).unwrap_err();
    let (line, col) = pos(SRC, "+ arange(0, 16)");
    assert_eq!(d.location, Some(format!("src/scale.rs:{line}:{col}")));
    assert!(d.message.contains("[32] and [16]"), "{}", d.message);
    assert_eq!(
        d.to_string(),
        format!("src/scale.rs:{line}:{col}: {}", d.message)
    );
}

#[test]
fn specialize_reports_constexpr_problems() {
    let src = recorded();
    let d = front::specialize(src, &[]).unwrap_err();
    assert!(
        d.message.contains("needs a value for constexpr `BLOCK`"),
        "{}",
        d.message
    );
    assert_eq!(
        d.location,
        Some(format!("src/scale.rs:{}:{}", 3, 8)),
        "at the kernel's name"
    );
    let d = front::specialize(src, &[("BLOCK", 16), ("BLOK", 1)]).unwrap_err();
    assert!(
        d.message.contains("no constexpr `BLOK` (it has BLOCK)"),
        "{}",
        d.message
    );
    let d = front::specialize(src, &[("BLOCK", 1 << 40)]).unwrap_err();
    assert!(d.message.contains("cannot hold"), "{}", d.message);
    let d = front::specialize(src, &[("BLOCK", 16), ("BLOCK", 16)]).unwrap_err();
    assert!(d.message.contains("given twice"), "{}", d.message);
}

#[test]
fn diagnostics_point_at_the_offending_token() {
    let src =
        "fn k(x: *const f32, o: *mut f32) {\n    let v = load(x);\n    store(o, sqrt(v, 1));\n}";
    let d = build_err(src, &[]);
    assert_eq!(d.location, Some(loc_of(src, "sqrt")));
    assert!(
        d.message.contains("`sqrt` takes 1 argument"),
        "{}",
        d.message
    );
}
