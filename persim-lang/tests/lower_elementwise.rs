//! Differential tests of the lowering of elementwise and creation ops and of
//! masked global memory access: each kernel runs in the interpreter before
//! and after lowering (L = 1, 4, 16) and must give identical memory.

mod lower_util;

use lower_util::*;
use persim_lang::interp::InterpArg;
use persim_lang::ir::{CmpPred, Dtype, Opcode};

/// `out[i] = x[i] + y[i]` for `i < n`, one block of `BLOCK` per program.
fn vector_add(block: u32) -> persim_lang::ir::Function {
    kernel(
        "add",
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("y", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
            scalar_param("n", Dtype::I32),
        ],
        |b, a| {
            let p = pid(b, 0);
            let bs = b.const_i32(block as i32);
            let start = bin(b, Opcode::Mul, p, bs);
            let start = splat(b, start, &[block]);
            let lanes = arange(b, 0, block as i64);
            let offs = bin(b, Opcode::Add, start, lanes);
            let n = splat(b, a[3], &[block]);
            let mask = cmp(b, CmpPred::Lt, offs, n);
            let px = ptrs(b, a[0], offs);
            let py = ptrs(b, a[1], offs);
            let x = load(b, 0, px, Some(mask), None);
            let y = load(b, 1, py, Some(mask), None);
            let s = bin(b, Opcode::Add, x, y);
            let po = ptrs(b, a[2], offs);
            store(b, 2, po, s, Some(mask));
        },
    )
}

#[test]
fn vector_add_at_awkward_sizes() {
    let mut rng = Rng::new(1);
    for (block, n) in [
        (1u32, 3u32),
        (7, 20),
        (1000, 2500),
        (1023, 1023),
        (1025, 3000),
        (16, 16),
    ] {
        let f = vector_add(block);
        let grid = [n.div_ceil(block), 1, 1];
        // The output is one element longer than `n`, holding a sentinel that
        // a store to a masked-off lane would overwrite.
        let mut out = vec![0.0f32; n as usize + 1];
        out[n as usize] = 12345.0;
        let args = vec![
            InterpArg::slice(&rng.f32s(n as usize)),
            InterpArg::slice(&rng.f32s(n as usize)),
            InterpArg::slice(&out),
            InterpArg::scalar(n as i32),
        ];
        let want = check_lowering(&f, grid, &args, 0.0);
        let got = want[2].to_vec::<f32>().unwrap();
        let (x, y) = (
            args[0].to_vec::<f32>().unwrap(),
            args[1].to_vec::<f32>().unwrap(),
        );
        for i in 0..n as usize {
            assert_eq!(got[i], x[i] + y[i]);
        }
        assert_eq!(got[n as usize], 12345.0);
    }
}

#[test]
fn broadcasting_elementwise_2d() {
    // out[i, j] = x[i] * y[j] - z, with x broadcast along columns, y along rows.
    let mut rng = Rng::new(2);
    for (m, n) in [(1, 1), (3, 5), (1, 7), (7, 1), (5, 17), (4, 16), (2, 33)] {
        let f = kernel(
            "outer",
            vec![
                ptr_param("x", Dtype::F32, false),
                ptr_param("y", Dtype::F32, false),
                ptr_param("out", Dtype::F32, true),
                scalar_param("z", Dtype::F32),
            ],
            |b, a| {
                let x = load_tile(b, a, 0, &[m]);
                let x = expand(b, x, 1);
                let x = bcast(b, x, &[m, n]);
                let y = load_tile(b, a, 1, &[n]);
                let y = expand(b, y, 0);
                let y = bcast(b, y, &[m, n]);
                let xy = bin(b, Opcode::Mul, x, y);
                let z = splat(b, a[3], &[m, n]);
                let r = bin(b, Opcode::Sub, xy, z);
                store_tile(b, a, 2, r);
            },
        );
        let args = vec![
            InterpArg::slice(&rng.f32s(m as usize)),
            InterpArg::slice(&rng.f32s(n as usize)),
            InterpArg::slice(&vec![0.0f32; (m * n) as usize]),
            InterpArg::scalar(0.25f32),
        ];
        let want = check_lowering(&f, [1, 1, 1], &args, 0.0);
        let (x, y) = (
            args[0].to_vec::<f32>().unwrap(),
            args[1].to_vec::<f32>().unwrap(),
        );
        let got = want[2].to_vec::<f32>().unwrap();
        for i in 0..m as usize {
            for j in 0..n as usize {
                assert_eq!(got[i * n as usize + j], x[i] * y[j] - 0.25);
            }
        }
    }
}

#[test]
fn integer_ops_casts_and_selects() {
    // A chain of integer ops on a tile of awkward size, mixing casts,
    // comparisons, selects, shifts, and C-style division.
    let mut rng = Rng::new(3);
    for n in [1u32, 7, 13, 64] {
        let f = kernel(
            "ints",
            vec![
                ptr_param("a", Dtype::I32, false),
                ptr_param("b", Dtype::I32, false),
                ptr_param("q", Dtype::I32, true),
                ptr_param("h", Dtype::F32, true),
            ],
            |b, a| {
                let x = load_tile(b, a, 0, &[n]);
                let y = load_tile(b, a, 1, &[n]);
                let q = bin(b, Opcode::Div, x, y);
                let r = bin(b, Opcode::Rem, x, y);
                let three = b.const_i32(3);
                let three = splat(b, three, &[n]);
                let sh = bin(b, Opcode::Shr, x, three);
                let sl = bin(b, Opcode::Shl, y, three);
                let neg = cmp(b, CmpPred::Lt, x, sh);
                let pick = b
                    .value(Opcode::Select, &[neg, q, r], Default::default())
                    .unwrap();
                let mixed = bin(b, Opcode::Xor, pick, sl);
                let mx = bin(b, Opcode::Maximum, mixed, x);
                store_tile(b, a, 2, mx);
                let fx = b.cast(x, Dtype::F32).unwrap();
                let fy = b.cast(y, Dtype::F32).unwrap();
                let ratio = bin(b, Opcode::Div, fx, fy);
                let root = b.unary(Opcode::Abs, ratio).unwrap();
                let root = b.unary(Opcode::Sqrt, root).unwrap();
                store_tile(b, a, 3, root);
            },
        );
        let args = vec![
            InterpArg::slice(&rng.i32s(n as usize, -1000, 1000)),
            InterpArg::slice(&rng.i32s(n as usize, -5, 6)),
            InterpArg::slice(&vec![0i32; n as usize]),
            InterpArg::slice(&vec![0.0f32; n as usize]),
        ];
        check_lowering(&f, [1, 1, 1], &args, 0.0);
    }
}

#[test]
fn arange_with_offsets_and_uniform_arithmetic() {
    // arange(lo, hi) for awkward bounds, plus ops on splats only, which the
    // lowering keeps as scalars.
    for (lo, hi) in [(0, 1), (5, 12), (-3, 30), (100, 1125)] {
        let n = (hi - lo) as u32;
        let f = kernel("iota", vec![ptr_param("out", Dtype::I32, true)], |b, a| {
            let r = arange(b, lo, hi);
            let two = b.const_i32(2);
            let two = splat(b, two, &[n]);
            let seven = b.const_i32(7);
            let seven = splat(b, seven, &[n]);
            let c = bin(b, Opcode::Mul, two, seven);
            let v = bin(b, Opcode::Add, r, c);
            store_tile(b, a, 0, v);
        });
        let want = check_lowering(
            &f,
            [1, 1, 1],
            &[InterpArg::slice(&vec![0i32; n as usize])],
            0.0,
        );
        let got = want[0].to_vec::<i32>().unwrap();
        assert_eq!(got, (lo..hi).map(|i| i as i32 + 14).collect::<Vec<_>>());
    }
}

#[test]
fn masked_loads_use_other_and_never_touch_masked_lanes() {
    // Load x[i] for i in 0..BLOCK from an array of only `n` elements,
    // with `other` = -1: the interpreter would report any access past `n`.
    let mut rng = Rng::new(4);
    for (block, n) in [(1u32, 1u32), (7, 3), (1000, 999), (1023, 1), (1025, 1024)] {
        let f = kernel(
            "pad",
            vec![
                ptr_param("x", Dtype::F32, false),
                ptr_param("out", Dtype::F32, true),
                scalar_param("n", Dtype::I32),
            ],
            |b, a| {
                let offs = arange(b, 0, block as i64);
                let n = splat(b, a[2], &[block]);
                let mask = cmp(b, CmpPred::Lt, offs, n);
                let px = ptrs(b, a[0], offs);
                let minus_one = b.const_float(-1.0, Dtype::F32);
                let other = splat(b, minus_one, &[block]);
                let x = load(b, 0, px, Some(mask), Some(other));
                let po = ptrs(b, a[1], offs);
                store(b, 1, po, x, None);
            },
        );
        let x = rng.f32s(n as usize);
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&vec![0.0f32; block as usize]),
            InterpArg::scalar(n as i32),
        ];
        let want = check_lowering(&f, [1, 1, 1], &args, 0.0);
        let got = want[1].to_vec::<f32>().unwrap();
        for i in 0..block as usize {
            assert_eq!(got[i], if i < n as usize { x[i] } else { -1.0 });
        }
    }
}

#[test]
fn half_precision_elementwise() {
    let mut rng = Rng::new(5);
    let n = 19u32;
    let f = kernel(
        "halfs",
        vec![
            ptr_param("x", Dtype::F16, false),
            ptr_param("out", Dtype::F16, true),
        ],
        |b, a| {
            let x = load_tile(b, a, 0, &[n]);
            let e = b.unary(Opcode::Exp, x).unwrap();
            let y = bin(b, Opcode::Mul, e, x);
            let y = bin(b, Opcode::Minimum, y, x);
            store_tile(b, a, 1, y);
        },
    );
    let x: Vec<half::f16> = rng
        .f32s(n as usize)
        .into_iter()
        .map(half::f16::from_f32)
        .collect();
    let args = vec![
        InterpArg::slice(&x),
        InterpArg::slice(&vec![half::f16::ZERO; n as usize]),
    ];
    check_lowering(&f, [1, 1, 1], &args, 0.0);
}
