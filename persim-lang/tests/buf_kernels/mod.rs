//! The kernels of the bufferization tests, built as the frontend would
//! build them from `persim-kernels` (vector add, softmax, matmul) plus two
//! with tiles crossing control flow (`if` in a loop, `while`).
#![allow(dead_code)]

use crate::lower_util::*;
use persim_lang::ir::{Builder, CmpPred, Dtype, Elem, Function, Opcode, ReduceKind, Type, Value};

/// `pid * block + arange(0, block)`.
fn block_offsets(b: &mut Builder, pid: Value, block: u32) -> Value {
    let bs = b.const_i32(block as i32);
    let start = bin(b, Opcode::Mul, pid, bs);
    let start = splat(b, start, &[block]);
    let lanes = arange(b, 0, block as i64);
    bin(b, Opcode::Add, start, lanes)
}

/// `v < bound` with the scalar `bound` splatted to `v`'s shape.
fn less_than(b: &mut Builder, v: Value, bound: Value) -> Value {
    let shape = shape_of(b, v);
    let bound = splat(b, bound, &shape);
    cmp(b, CmpPred::Lt, v, bound)
}

/// `persim-kernels`' `vector_add`: `out = x + y` over `n` elements, one
/// `block` per program instance.
pub fn vector_add(block: u32) -> Function {
    kernel(
        "vector_add",
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("y", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
            scalar_param("n", Dtype::I32),
        ],
        |b, a| {
            let p = pid(b, 0);
            let offs = block_offsets(b, p, block);
            let mask = less_than(b, offs, a[3]);
            let px = ptrs(b, a[0], offs);
            let x = load(b, 0, px, Some(mask), None);
            let py = ptrs(b, a[1], offs);
            let y = load(b, 1, py, Some(mask), None);
            let po = ptrs(b, a[2], offs);
            let s = bin(b, Opcode::Add, x, y);
            store(b, 2, po, s, Some(mask));
        },
    )
}

/// `persim-kernels`' `softmax`: one row of `n_cols <= block` per program.
pub fn softmax(block: u32) -> Function {
    kernel(
        "softmax",
        vec![
            ptr_param("out", Dtype::F32, true),
            ptr_param("inp", Dtype::F32, false),
            scalar_param("in_stride", Dtype::I32),
            scalar_param("out_stride", Dtype::I32),
            scalar_param("n_cols", Dtype::I32),
        ],
        |b, a| {
            let row = pid(b, 0);
            let cols = arange(b, 0, block as i64);
            let mask = less_than(b, cols, a[4]);
            let start = bin(b, Opcode::Mul, row, a[2]);
            let start = splat(b, start, &[block]);
            let offs = bin(b, Opcode::Add, start, cols);
            let pin = ptrs(b, a[1], offs);
            let ninf = b.const_float(f64::NEG_INFINITY, Dtype::F32);
            let other = splat(b, ninf, &[block]);
            let x = load(b, 1, pin, Some(mask), Some(other));
            let m = reduce(b, ReduceKind::Max, x, 0);
            let m = splat(b, m, &[block]);
            let z = bin(b, Opcode::Sub, x, m);
            let num = b.unary(Opcode::Exp, z).unwrap();
            let den = reduce(b, ReduceKind::Sum, num, 0);
            let out_start = bin(b, Opcode::Mul, row, a[3]);
            let out_start = splat(b, out_start, &[block]);
            let out_offs = bin(b, Opcode::Add, out_start, cols);
            let pout = ptrs(b, a[0], out_offs);
            let den = splat(b, den, &[block]);
            let y = bin(b, Opcode::Div, num, den);
            store(b, 0, pout, y, Some(mask));
        },
    )
}

/// `base + rows[:, None] * rs + cols[None, :] * cs`, evaluated left to
/// right as the frontend does: a `[R, 1]` pointer tile, then broadcast.
fn ptr_grid(b: &mut Builder, base: Value, rows: Value, rs: Value, cols: Value, cs: Value) -> Value {
    let (r, c) = (shape_of(b, rows)[0], shape_of(b, cols)[0]);
    let er = expand(b, rows, 1);
    let rs = splat(b, rs, &[r, 1]);
    let rows = bin(b, Opcode::Mul, er, rs);
    let base = splat(b, base, &[r, 1]);
    let p = ptr_add(b, base, rows);
    let ec = expand(b, cols, 0);
    let cs = splat(b, cs, &[1, c]);
    let cols = bin(b, Opcode::Mul, ec, cs);
    let p = bcast(b, p, &[r, c]);
    let cols = bcast(b, cols, &[r, c]);
    ptr_add(b, p, cols)
}

/// `(rows[:, None] < rb) & (cols[None, :] < cb)`.
fn mask_grid(b: &mut Builder, rows: Value, rb: Value, cols: Value, cb: Value) -> Value {
    let (r, c) = (shape_of(b, rows)[0], shape_of(b, cols)[0]);
    let er = expand(b, rows, 1);
    let mr = less_than(b, er, rb);
    let ec = expand(b, cols, 0);
    let mc = less_than(b, ec, cb);
    let mr = bcast(b, mr, &[r, c]);
    let mc = bcast(b, mc, &[r, c]);
    bin(b, Opcode::And, mr, mc)
}

/// Random arguments of [`matmul`] for an `m x k` by `k x n` product (row-
/// major `a` and `c`, column-major `b`: the strides are honoured), and its
/// grid for `bm x bn` tiles.
pub fn matmul_args(
    rng: &mut Rng,
    (m, n, k): (u32, u32, u32),
    (bm, bn): (u32, u32),
) -> (Vec<persim_lang::interp::InterpArg>, [u32; 3]) {
    use persim_lang::interp::InterpArg;
    let args = vec![
        InterpArg::slice(&rng.f32s((m * k) as usize)),
        InterpArg::slice(&rng.f32s((k * n) as usize)),
        InterpArg::slice(&vec![0.0f32; (m * n) as usize]),
        InterpArg::scalar(m as i32),
        InterpArg::scalar(n as i32),
        InterpArg::scalar(k as i32),
        InterpArg::scalar(k as i32),
        InterpArg::scalar(1),
        InterpArg::scalar(1),
        InterpArg::scalar(k as i32),
        InterpArg::scalar(n as i32),
        InterpArg::scalar(1),
    ];
    (args, [m.div_ceil(bm), n.div_ceil(bn), 1])
}

/// Random arguments of [`softmax`] for two rows of `n_cols` (values up to
/// ±4, so `exp` neither overflows nor flushes them all).
pub fn softmax_args(rng: &mut Rng, n_cols: u32) -> Vec<persim_lang::interp::InterpArg> {
    use persim_lang::interp::InterpArg;
    let n = (2 * n_cols) as usize;
    let x: Vec<f32> = rng.f32s(n).into_iter().map(|v| v * 8.0).collect();
    vec![
        InterpArg::slice(&vec![0.0f32; n]),
        InterpArg::slice(&x),
        InterpArg::scalar(n_cols as i32),
        InterpArg::scalar(n_cols as i32),
        InterpArg::scalar(n_cols as i32),
    ]
}

/// `persim-kernels`' `matmul`: one `bm x bn` tile of `c = a @ b` per
/// program, accumulating over K in `bk` steps with the accumulator and both
/// pointer tiles carried by the loop.
pub fn matmul(bm: u32, bn: u32, bk: u32) -> Function {
    let i32p = |name: &str| scalar_param(name, Dtype::I32);
    kernel(
        "matmul",
        vec![
            ptr_param("a", Dtype::F32, false),
            ptr_param("b", Dtype::F32, false),
            ptr_param("c", Dtype::F32, true),
            i32p("m"),
            i32p("n"),
            i32p("k"),
            i32p("stride_am"),
            i32p("stride_ak"),
            i32p("stride_bk"),
            i32p("stride_bn"),
            i32p("stride_cm"),
            i32p("stride_cn"),
        ],
        |b, p| {
            let (m, n, k) = (p[3], p[4], p[5]);
            let pid_m = pid(b, 0);
            let pid_n = pid(b, 1);
            let offs_m = block_offsets(b, pid_m, bm);
            let offs_n = block_offsets(b, pid_n, bn);
            let offs_k = arange(b, 0, bk as i64);
            let a_ptrs = ptr_grid(b, p[0], offs_m, p[6], offs_k, p[7]);
            let b_ptrs = ptr_grid(b, p[1], offs_k, p[8], offs_n, p[9]);
            let zero = b.const_float(0.0, Dtype::F32);
            let acc = splat(b, zero, &[bm, bn]);
            let bk_c = b.const_i32(bk as i32);
            let bk_less_1 = b.const_i32(bk as i32 - 1);
            let trips = bin(b, Opcode::Add, k, bk_less_1);
            let trips = bin(b, Opcode::Div, trips, bk_c);
            let lo = b.const_i32(0);
            let one = b.const_i32(1);
            let res = b
                .for_loop(lo, trips, one, &[acc, a_ptrs, b_ptrs], |b, kb, c| {
                    let done = bin(b, Opcode::Mul, kb, bk_c);
                    let k_left = bin(b, Opcode::Sub, k, done);
                    let a_mask = mask_grid(b, offs_m, m, offs_k, k_left);
                    let b_mask = mask_grid(b, offs_k, k_left, offs_n, n);
                    let za = splat(b, zero, &[bm, bk]);
                    let a_tile = load(b, 0, c[1], Some(a_mask), Some(za));
                    let zb = splat(b, zero, &[bk, bn]);
                    let b_tile = load(b, 1, c[2], Some(b_mask), Some(zb));
                    let acc = dot(b, a_tile, b_tile, c[0]);
                    let da = bin(b, Opcode::Mul, bk_c, p[7]);
                    let da = splat(b, da, &[bm, bk]);
                    let a_next = ptr_add(b, c[1], da);
                    let db = bin(b, Opcode::Mul, bk_c, p[8]);
                    let db = splat(b, db, &[bk, bn]);
                    let b_next = ptr_add(b, c[2], db);
                    Ok(vec![acc, a_next, b_next])
                })
                .unwrap();
            let c_ptrs = ptr_grid(b, p[2], offs_m, p[10], offs_n, p[11]);
            let c_mask = mask_grid(b, offs_m, m, offs_n, n);
            store(b, 2, c_ptrs, res[0], Some(c_mask));
        },
    )
}

/// `acc = 0; for i in 0..iters { t = if i even { x * 2 } else { x + acc };
/// acc = acc + t }`: a tile from outside the loop read in both branches of
/// an `if` inside it, and an `if` yielding tiles into a carried sum.
pub fn if_in_loop(block: u32) -> Function {
    kernel(
        "if_in_loop",
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
            scalar_param("iters", Dtype::I32),
        ],
        |b, a| {
            let offs = arange(b, 0, block as i64);
            let px = ptrs(b, a[0], offs);
            let x = load(b, 0, px, None, None);
            let zero = b.const_float(0.0, Dtype::F32);
            let acc = splat(b, zero, &[block]);
            let lo = b.const_i32(0);
            let one = b.const_i32(1);
            let res = b
                .for_loop(lo, a[2], one, &[acc], |b, i, c| {
                    let two = b.const_i32(2);
                    let parity = bin(b, Opcode::Rem, i, two);
                    let z = b.const_i32(0);
                    let even = cmp(b, CmpPred::Eq, parity, z);
                    let ty = Type::tile(Elem::Val(Dtype::F32), &[block]);
                    let acc = c[0];
                    let t = b.if_else(
                        even,
                        vec![ty],
                        |b| {
                            let two = b.const_float(2.0, Dtype::F32);
                            let two = splat(b, two, &[block]);
                            Ok(vec![bin(b, Opcode::Mul, x, two)])
                        },
                        |b| Ok(vec![bin(b, Opcode::Add, x, acc)]),
                    )?;
                    Ok(vec![bin(b, Opcode::Add, acc, t[0])])
                })
                .unwrap();
            let po = ptrs(b, a[1], offs);
            store(b, 1, po, res[0], None);
        },
    )
}

/// `while sum(x) < limit { x = x * 2 + y }` with `y` loaded before the
/// loop: `y` is read in every iteration and must survive them all.
pub fn doubling_while(block: u32) -> Function {
    kernel(
        "doubling_while",
        vec![
            ptr_param("x", Dtype::I32, false),
            ptr_param("y", Dtype::I32, false),
            ptr_param("out", Dtype::I32, true),
            scalar_param("limit", Dtype::I32),
        ],
        |b, a| {
            let offs = arange(b, 0, block as i64);
            let px = ptrs(b, a[0], offs);
            let x0 = load(b, 0, px, None, None);
            let py = ptrs(b, a[1], offs);
            let y = load(b, 1, py, None, None);
            let before = b.func.new_block();
            let after = b.func.new_block();
            let ty = Type::tile(Elem::Val(Dtype::I32), &[block]);
            let bx = b.func.add_block_arg(before, ty.clone());
            let ax = b.func.add_block_arg(after, ty);
            let op = b
                .build(Opcode::While, &[x0], Default::default(), &[before, after])
                .unwrap();
            let result = b.func.ops[op].results[0];
            let body = b.block();
            b.switch_to(before);
            let s = reduce(b, ReduceKind::Sum, bx, 0);
            let go = cmp(b, CmpPred::Lt, s, a[3]);
            b.build(Opcode::Condition, &[go, bx], Default::default(), &[])
                .unwrap();
            b.switch_to(after);
            let two = b.const_i32(2);
            let two = splat(b, two, &[block]);
            let d = bin(b, Opcode::Mul, ax, two);
            let next = bin(b, Opcode::Add, d, y);
            b.build(Opcode::Yield, &[next], Default::default(), &[])
                .unwrap();
            b.switch_to(body);
            let po = ptrs(b, a[2], offs);
            store(b, 2, po, result, None);
        },
    )
}

/// Layer norm's first pass: per program, the sum of row `pid` of `x`
/// (`n` columns, row stride `n`) walked in chunks of `block`
/// (`for off in (0..n).step_by(block) { acc += load(row + off + arange, off
/// + arange < n, 0) }`), a carried `block`-wide accumulator.
pub fn chunked_row_sum(block: u32) -> Function {
    kernel(
        "chunked_row_sum",
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
            scalar_param("n", Dtype::I32),
        ],
        |b, a| {
            let row = pid(b, 0);
            let start = bin(b, Opcode::Mul, row, a[2]);
            let zero = b.const_float(0.0, Dtype::F32);
            let acc = splat(b, zero, &[block]);
            let lo = b.const_i32(0);
            let step = b.const_i32(block as i32);
            let sums = b
                .for_loop(lo, a[2], step, &[acc], |b, off, c| {
                    let offs = splat(b, off, &[block]);
                    let lanes = arange(b, 0, block as i64);
                    let cols = bin(b, Opcode::Add, offs, lanes);
                    let mask = less_than(b, cols, a[2]);
                    let row0 = splat(b, start, &[block]);
                    let at = bin(b, Opcode::Add, row0, cols);
                    let px = ptrs(b, a[0], at);
                    let zero = b.const_float(0.0, Dtype::F32);
                    let other = splat(b, zero, &[block]);
                    let x = load(b, 0, px, Some(mask), Some(other));
                    Ok(vec![bin(b, Opcode::Add, c[0], x)])
                })
                .unwrap();
            let total = reduce(b, ReduceKind::Sum, sums[0], 0);
            let po = ptr_add(b, a[1], row);
            store(b, 1, po, total, None);
        },
    )
}
