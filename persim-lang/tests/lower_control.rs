//! Differential tests of structured control flow carrying tiles, and of
//! whole kernels (tiled matmul, softmax) that combine every lowering.

mod lower_util;

use lower_util::*;
use persim_lang::interp::InterpArg;
use persim_lang::ir::{Attrs, CmpPred, Dtype, Elem, Opcode, ReduceKind, Type};

/// `out = a @ b` for `a: [M, K]`, `b: [K, N]`, accumulating over blocks of
/// `BK` columns of `a` in a `for` loop that carries the `[M, N]` accumulator.
/// `K` need not be a multiple of `BK`: the last block is masked.
fn tiled_matmul(m: u32, n: u32, k: u32, bk: u32) -> persim_lang::ir::Function {
    kernel(
        "matmul",
        vec![
            ptr_param("a", Dtype::F32, false),
            ptr_param("b", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
        ],
        |b, a| {
            let zero = b.const_float(0.0, Dtype::F32);
            let acc = splat(b, zero, &[m, n]);
            let lo = b.const_i32(0);
            let hi = b.const_i32(k as i32);
            let step = b.const_i32(bk as i32);
            let res = b
                .for_loop(lo, hi, step, &[acc], |b, k0, carried| {
                    // a[:, k0 .. k0 + BK] and b[k0 .. k0 + BK, :], masked to k < K.
                    let a_offs = offsets(b, &[m, bk], &[k as i64, 1]);
                    let k0a = splat(b, k0, &[m, bk]);
                    let a_offs = bin(b, Opcode::Add, a_offs, k0a);
                    let kcol = arange(b, 0, bk as i64);
                    let k0v = splat(b, k0, &[bk]);
                    let kk = bin(b, Opcode::Add, kcol, k0v);
                    let kmax = b.const_i32(k as i32);
                    let kmax = splat(b, kmax, &[bk]);
                    let kvalid = cmp(b, CmpPred::Lt, kk, kmax);
                    let amask = expand(b, kvalid, 0);
                    let amask = bcast(b, amask, &[m, bk]);
                    let pa = ptrs(b, a[0], a_offs);
                    let x = load(b, 0, pa, Some(amask), None);
                    let b_offs = offsets(b, &[bk, n], &[n as i64, 1]);
                    let k0n = b.const_i32(n as i32);
                    let k0n = bin(b, Opcode::Mul, k0, k0n);
                    let k0n = splat(b, k0n, &[bk, n]);
                    let b_offs = bin(b, Opcode::Add, b_offs, k0n);
                    let bmask = expand(b, kvalid, 1);
                    let bmask = bcast(b, bmask, &[bk, n]);
                    let pb = ptrs(b, a[1], b_offs);
                    let y = load(b, 1, pb, Some(bmask), None);
                    Ok(vec![dot(b, x, y, carried[0])])
                })
                .unwrap();
            store_tile(b, a, 2, res[0]);
        },
    )
}

#[test]
fn tiled_matmul_carries_the_accumulator_through_a_loop() {
    let mut rng = Rng::new(20);
    for (m, n, k, bk) in [
        (3, 5, 7, 2),
        (4, 4, 16, 4),
        (5, 17, 9, 4),
        (1, 1, 3, 1),
        (2, 6, 10, 16),
    ] {
        let f = tiled_matmul(m, n, k, bk);
        let args = vec![
            InterpArg::slice(&rng.f32s((m * k) as usize)),
            InterpArg::slice(&rng.f32s((k * n) as usize)),
            InterpArg::slice(&vec![0.0f32; (m * n) as usize]),
        ];
        check_lowering(&f, [1, 1, 1], &args, 0.0);
    }
}

#[test]
fn if_yielding_tiles() {
    // Program p: out[p, :] = even(p) ? x * 2 : x + 1, plus a scalar result.
    let mut rng = Rng::new(21);
    for n in [1u32, 4, 7, 16, 33] {
        let f = kernel(
            "branch",
            vec![
                ptr_param("x", Dtype::F32, false),
                ptr_param("out", Dtype::F32, true),
                ptr_param("flags", Dtype::I32, true),
            ],
            |b, a| {
                let p = pid(b, 0);
                let row = b.const_i32(n as i32);
                let row = bin(b, Opcode::Mul, p, row);
                let cols = arange(b, 0, n as i64);
                let rowv = splat(b, row, &[n]);
                let offs = bin(b, Opcode::Add, rowv, cols);
                let px = ptrs(b, a[0], offs);
                let x = load(b, 0, px, None, None);
                let two = b.const_i32(2);
                let parity = bin(b, Opcode::Rem, p, two);
                let zero = b.const_i32(0);
                let even = cmp(b, CmpPred::Eq, parity, zero);
                let tile_ty = Type::tile(Elem::Val(Dtype::F32), &[n]);
                let res = b
                    .if_else(
                        even,
                        vec![tile_ty, Type::scalar(Dtype::I32)],
                        |b| {
                            let c = b.const_float(2.0, Dtype::F32);
                            let c = splat(b, c, &[n]);
                            let one = b.const_i32(1);
                            Ok(vec![bin(b, Opcode::Mul, x, c), one])
                        },
                        |b| {
                            let c = b.const_float(1.0, Dtype::F32);
                            let c = splat(b, c, &[n]);
                            let minus = b.const_i32(-1);
                            Ok(vec![bin(b, Opcode::Add, x, c), minus])
                        },
                    )
                    .unwrap();
                let po = ptrs(b, a[1], offs);
                store(b, 1, po, res[0], None);
                let pf = ptr_add(b, a[2], p);
                store(b, 2, pf, res[1], None);
            },
        );
        let args = vec![
            InterpArg::slice(&rng.f32s((4 * n) as usize)),
            InterpArg::slice(&vec![0.0f32; (4 * n) as usize]),
            InterpArg::slice(&[0i32; 4]),
        ];
        let want = check_lowering(&f, [4, 1, 1], &args, 0.0);
        assert_eq!(want[2].to_vec::<i32>().unwrap(), vec![1, -1, 1, -1]);
    }
}

#[test]
fn loops_swapping_carried_tiles() {
    // for i in 0..5 { (a, b, s) = (b, a, s + a) } on tiles: each yield reads
    // a buffer that another carried value's copy overwrites.
    for n in [3u32, 4, 16, 21] {
        let f = kernel("swap", vec![ptr_param("out", Dtype::I32, true)], |b, a| {
            let zero = b.const_i32(0);
            let one = b.const_i32(1);
            let r = arange(b, 0, n as i64);
            let r = expand(b, r, 0);
            let x = bcast(b, r, &[2, n]); // a0[j] = j
            let hundred = b.const_i32(100);
            let hundred = splat(b, hundred, &[2, n]);
            let y = bin(b, Opcode::Add, x, hundred); // b0[j] = j + 100
            let s = splat(b, zero, &[2, n]);
            let hi = b.const_i32(5);
            let res = b
                .for_loop(zero, hi, one, &[x, y, s], |b, _i, c| {
                    let s = bin(b, Opcode::Add, c[2], c[0]);
                    Ok(vec![c[1], c[0], s])
                })
                .unwrap();
            let diff = bin(b, Opcode::Sub, res[0], res[1]);
            let both = bin(b, Opcode::Add, diff, res[2]);
            store_tile(b, a, 0, both);
        });
        let want = check_lowering(
            &f,
            [1, 1, 1],
            &[InterpArg::slice(&vec![0i32; 2 * n as usize])],
            0.0,
        );
        // After 5 swaps (a, b) = (b0, a0): a - b = 100; s = 3·a0 + 2·b0.
        let got = want[0].to_vec::<i32>().unwrap();
        for (k, &g) in got.iter().enumerate() {
            let j = (k % n as usize) as i32;
            assert_eq!(g, 100 + 3 * j + 2 * (j + 100));
        }
    }
}

#[test]
fn loop_passing_a_tile_through_unchanged() {
    // The carried tile is yielded as is: no copy needed, and a vector-shaped
    // carried value stays a register.
    for n in [5u32, 16] {
        let f = kernel(
            "pass",
            vec![
                ptr_param("x", Dtype::F32, false),
                ptr_param("out", Dtype::F32, true),
            ],
            |b, a| {
                let x = load_tile(b, a, 0, &[n]);
                let lo = b.const_i32(0);
                let hi = b.const_i32(4);
                let step = b.const_i32(1);
                let res = b
                    .for_loop(lo, hi, step, &[x, x], |b, _, c| {
                        let d = bin(b, Opcode::Add, c[1], c[0]);
                        Ok(vec![c[0], d])
                    })
                    .unwrap();
                store_tile(b, a, 1, res[1]);
            },
        );
        let mut rng = Rng::new(22);
        let args = vec![
            InterpArg::slice(&rng.f32s(n as usize)),
            InterpArg::slice(&vec![0.0f32; n as usize]),
        ];
        check_lowering(&f, [1, 1, 1], &args, 0.0);
    }
}

#[test]
fn while_loop_carrying_a_tile() {
    // while max(x) < limit { x = x * 2 + 1 }, with a scalar iteration count.
    for n in [1u32, 6, 16, 40] {
        let f = kernel(
            "grow",
            vec![
                ptr_param("x", Dtype::I32, false),
                ptr_param("out", Dtype::I32, true),
            ],
            |b, args| {
                // `while` has no builder helper: build its regions by hand.
                let x0 = load_tile(b, args, 0, &[n]);
                let before = b.func.new_block();
                let after = b.func.new_block();
                let tile_ty = Type::tile(Elem::Val(Dtype::I32), &[n]);
                let bx = b.func.add_block_arg(before, tile_ty.clone());
                let ax = b.func.add_block_arg(after, tile_ty);
                let op = b
                    .build(Opcode::While, &[x0], Attrs::new(), &[before, after])
                    .unwrap();
                let result = b.func.ops[op].results[0];
                let body = b.block();
                b.switch_to(before);
                let m = reduce(b, ReduceKind::Max, bx, 0);
                let limit = b.const_i32(1000);
                let go = cmp(b, CmpPred::Lt, m, limit);
                b.build(Opcode::Condition, &[go, bx], Attrs::new(), &[])
                    .unwrap();
                b.switch_to(after);
                let two = b.const_i32(2);
                let two = splat(b, two, &[n]);
                let one = b.const_i32(1);
                let one = splat(b, one, &[n]);
                let y = bin(b, Opcode::Mul, ax, two);
                let y = bin(b, Opcode::Add, y, one);
                b.build(Opcode::Yield, &[y], Attrs::new(), &[]).unwrap();
                b.switch_to(body);
                store_tile(b, args, 1, result);
            },
        );
        let x: Vec<i32> = (0..n as i32).map(|i| i * 3 - 7).collect();
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&vec![0i32; n as usize]),
        ];
        let want = check_lowering(&f, [1, 1, 1], &args, 0.0);
        let got = want[1].to_vec::<i32>().unwrap();
        assert!(got.iter().max().unwrap() >= &1000);
    }
}

/// Row-wise softmax of an `[rows, n_cols]` matrix, one row per program, in
/// blocks of `BLOCK >= n_cols` columns (the Triton tutorial kernel).
fn softmax(block: u32) -> persim_lang::ir::Function {
    kernel(
        "softmax",
        vec![
            ptr_param("out", Dtype::F32, true),
            ptr_param("inp", Dtype::F32, false),
            scalar_param("stride", Dtype::I32),
            scalar_param("n_cols", Dtype::I32),
        ],
        |b, a| {
            let row = pid(b, 0);
            let start = bin(b, Opcode::Mul, row, a[2]);
            let cols = arange(b, 0, block as i64);
            let n = splat(b, a[3], &[block]);
            let mask = cmp(b, CmpPred::Lt, cols, n);
            let startv = splat(b, start, &[block]);
            let offs = bin(b, Opcode::Add, startv, cols);
            let pin = ptrs(b, a[1], offs);
            let ninf = b.const_float(f64::NEG_INFINITY, Dtype::F32);
            let other = splat(b, ninf, &[block]);
            let x = load(b, 1, pin, Some(mask), Some(other));
            let m = reduce(b, ReduceKind::Max, x, 0);
            let mv = splat(b, m, &[block]);
            let z = bin(b, Opcode::Sub, x, mv);
            let num = b.unary(Opcode::Exp, z).unwrap();
            let den = reduce(b, ReduceKind::Sum, num, 0);
            let denv = splat(b, den, &[block]);
            let y = bin(b, Opcode::Div, num, denv);
            let pout = ptrs(b, a[0], offs);
            store(b, 0, pout, y, Some(mask));
        },
    )
}

#[test]
fn softmax_rows() {
    let mut rng = Rng::new(23);
    for (block, n_cols, rows) in [
        (8, 5, 3),
        (16, 16, 2),
        (1024, 1000, 2),
        (1025, 1025, 1),
        (7, 1, 4),
    ] {
        let f = softmax(block);
        let stride = n_cols + 3;
        let x: Vec<f32> = rng
            .f32s((rows * stride) as usize)
            .into_iter()
            .map(|v| v * 10.0)
            .collect();
        let args = vec![
            InterpArg::slice(&vec![0.0f32; (rows * stride) as usize]),
            InterpArg::slice(&x),
            InterpArg::scalar(stride as i32),
            InterpArg::scalar(n_cols as i32),
        ];
        let want = check_lowering(&f, [rows, 1, 1], &args, 1e-5);
        let got = want[0].to_vec::<f32>().unwrap();
        for r in 0..rows as usize {
            let row = &got[r * stride as usize..r * stride as usize + n_cols as usize];
            let total: f32 = row.iter().sum();
            assert!((total - 1.0).abs() < 1e-4, "row {r} sums to {total}");
        }
    }
}
