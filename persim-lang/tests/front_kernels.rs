//! The reference kernels (vector add, softmax, matmul) build to the IR one
//! expects: the right ops, types, loop-carried values and provenance.

mod front_util;

use front_util::*;
use persim_lang::ir::{Attr, Opcode, ReduceKind};

const ADD: &str = "
pub fn add(x: *const f32, y: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let pid = program_id(0);
    let offs = pid * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let a = load(x + offs, mask);
    let b = load(y + offs, mask);
    store(out + offs, a + b, mask);
}";

const SOFTMAX: &str = "
pub fn softmax(out: *mut f32, inp: *const f32, stride: i32, n_cols: i32, #[constexpr] BLOCK: i32) {
    let row = program_id(0);
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    let x = load(inp + row * stride + cols, mask, f32::NEG_INFINITY);
    let z = x - max(x, 0);
    let num = exp(z);
    store(out + row * stride + cols, num / sum(num, 0), mask);
}";

const MATMUL: &str = "
pub fn matmul(a: *const f32, b: *const f32, c: *mut f32, m: i32, n: i32, k: i32,
              stride_am: i32, stride_bk: i32, stride_cm: i32,
              #[constexpr] BM: i32, #[constexpr] BN: i32, #[constexpr] BK: i32) {
    let pid_m = program_id(0);
    let pid_n = program_id(1);
    let rm = pid_m * BM + arange(0, BM);
    let rn = pid_n * BN + arange(0, BN);
    let rk = arange(0, BK);
    let mut a_ptrs = a + rm.expand_dims(1) * stride_am + rk.expand_dims(0);
    let mut b_ptrs = b + rk.expand_dims(1) * stride_bk + rn.expand_dims(0);
    let mut acc = zeros::<f32>([BM, BN]);
    for kk in 0..cdiv(k, BK) {
        let a_tile = load(a_ptrs);
        let b_tile = load(b_ptrs);
        acc = dot(a_tile, b_tile, acc);
        a_ptrs = a_ptrs + BK;
        b_ptrs += BK * stride_bk;
    }
    let mask = (rm.expand_dims(1) < m) & (rn.expand_dims(0) < n);
    store(c + rm.expand_dims(1) * stride_cm + rn.expand_dims(0), acc, mask);
}";

#[test]
fn vector_add() {
    let f = build_ok(ADD, &[("BLOCK", 1024)]);
    assert_eq!(f.params.len(), 4, "constexprs are not IR parameters");
    assert_eq!(f.consts, vec![("BLOCK".to_string(), 1024)]);
    assert_eq!(f.files, vec![FILE.to_string()]);
    assert_eq!(count(&f, Opcode::Load), 2);
    assert_eq!(count(&f, Opcode::Store), 1);
    assert_eq!(count(&f, Opcode::PtrAdd), 3);
    assert_eq!(count(&f, Opcode::Return), 1);
    for op in ops(&f, Opcode::Load) {
        assert_eq!(ty_str(&f, op), "tile<1024xf32>");
        assert_eq!(f.op(op).operands.len(), 2);
    }
    let loads = ops(&f, Opcode::Load);
    assert_eq!(f.op(loads[0]).attrs.get("arg"), Some(&Attr::Int(0)));
    assert_eq!(f.op(loads[1]).attrs.get("arg"), Some(&Attr::Int(1)));
    let store = ops(&f, Opcode::Store)[0];
    assert_eq!(f.op(store).attrs.get("arg"), Some(&Attr::Int(2)));
    // The scalar `pid * BLOCK` is splat to the tile before the add.
    assert_eq!(
        count(&f, Opcode::Splat),
        5,
        "pid*BLOCK, n, and x, y, out pointers"
    );
}

#[test]
fn vector_add_checks_without_constexprs() {
    let params = check(ADD).unwrap_or_else(|e| panic!("{}", e[0]));
    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["x", "y", "out", "n", "BLOCK"]);
}

#[test]
fn softmax_broadcasts_the_row_maximum() {
    let f = build_ok(SOFTMAX, &[("BLOCK", 128)]);
    let reduces = ops(&f, Opcode::Reduce);
    assert_eq!(reduces.len(), 2);
    assert_eq!(f.op(reduces[0]).attrs.reduce_kind(), Some(ReduceKind::Max));
    assert_eq!(f.op(reduces[1]).attrs.reduce_kind(), Some(ReduceKind::Sum));
    for r in &reduces {
        assert_eq!(ty_str(&f, *r), "f32", "a 1-D reduction gives a scalar");
    }
    // `x - max(x, 0)` and `num / sum(num, 0)`: the scalars are splat.
    let sub = ops(&f, Opcode::Sub)[0];
    let rhs = f.op(sub).operands[1];
    let splat = f.def_op(rhs).unwrap();
    assert_eq!(f.op(splat).opcode, Opcode::Splat);
    assert_eq!(ty_str(&f, splat), "tile<128xf32>");
    // `other` is -inf, splat to the tile.
    let load = ops(&f, Opcode::Load)[0];
    assert_eq!(f.op(load).operands.len(), 3);
    assert_eq!(count(&f, Opcode::Exp), 1);
    assert_eq!(count(&f, Opcode::Div), 1);
}

#[test]
fn matmul_carries_accumulator_and_pointers() {
    let f = build_ok(MATMUL, &[("BM", 32), ("BN", 16), ("BK", 8)]);
    let fors = ops(&f, Opcode::For);
    assert_eq!(fors.len(), 1);
    let results: Vec<String> = f
        .op(fors[0])
        .results
        .iter()
        .map(|&v| f.ty(v).to_string())
        .collect();
    // Carried in order of first assignment in the body.
    assert_eq!(
        results,
        [
            "tile<32x16xf32>",
            "tile<32x8xptr<f32>>",
            "tile<8x16xptr<f32>>"
        ]
    );
    let body = f.op(fors[0]).regions[0];
    assert_eq!(
        f.block_args(body).len(),
        4,
        "induction variable + 3 carried"
    );
    let yield_op = *f.block_ops(body).last().unwrap();
    assert_eq!(f.op(yield_op).opcode, Opcode::Yield);
    assert_eq!(f.op(yield_op).operands.len(), 3);
    // The store writes the loop's final accumulator.
    let store = ops(&f, Opcode::Store)[0];
    assert_eq!(f.op(store).operands[1], f.op(fors[0]).results[0]);
    assert_eq!(f.op(store).attrs.get("arg"), Some(&Attr::Int(2)));
    let dot = ops(&f, Opcode::Dot)[0];
    assert_eq!(ty_str(&f, dot), "tile<32x16xf32>");
    let loads = ops(&f, Opcode::Load);
    assert_eq!(f.op(loads[0]).attrs.get("arg"), Some(&Attr::Int(0)));
    assert_eq!(f.op(loads[1]).attrs.get("arg"), Some(&Attr::Int(1)));
}
