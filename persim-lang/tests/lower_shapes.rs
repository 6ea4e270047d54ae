//! Differential tests of the shape ops: `trans`, `reshape`, `expand_dims`,
//! `broadcast`, on odd shapes, checked against the interpreter before
//! lowering and against plain Rust index arithmetic.

mod lower_util;

use lower_util::*;
use persim_lang::interp::InterpArg;
use persim_lang::ir::{Dtype, Opcode};

fn iota(n: u32) -> Vec<i32> {
    (0..n as i32).collect()
}

/// Load a contiguous tile of `from`, apply `op`, store the result contiguously.
fn shape_kernel(
    name: &str,
    from: &[u32],
    op: impl FnOnce(&mut persim_lang::ir::Builder, persim_lang::ir::Value) -> persim_lang::ir::Value,
) -> persim_lang::ir::Function {
    kernel(
        name,
        vec![
            ptr_param("x", Dtype::I32, false),
            ptr_param("out", Dtype::I32, true),
        ],
        |b, a| {
            let x = load_tile(b, a, 0, from);
            let y = op(b, x);
            store_tile(b, a, 1, y);
        },
    )
}

fn run(f: &persim_lang::ir::Function, n_in: u32, n_out: u32) -> Vec<i32> {
    let args = vec![
        InterpArg::slice(&iota(n_in)),
        InterpArg::slice(&vec![-1i32; n_out as usize]),
    ];
    check_lowering(f, [1, 1, 1], &args, 0.0)[1]
        .to_vec::<i32>()
        .unwrap()
}

#[test]
fn transpose_2d() {
    for (m, n) in [(1, 1), (1, 5), (5, 1), (3, 7), (4, 4), (17, 3), (16, 16)] {
        let f = shape_kernel("t2", &[m, n], |b, x| trans(b, x, &[1, 0]));
        let got = run(&f, m * n, m * n);
        for i in 0..m as usize {
            for j in 0..n as usize {
                assert_eq!(got[j * m as usize + i], (i * n as usize + j) as i32);
            }
        }
    }
}

#[test]
fn transpose_3d_every_permutation() {
    let shape = [3u32, 5, 6];
    let perms: [[i64; 3]; 6] = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for perm in perms {
        let f = shape_kernel("t3", &shape, |b, x| trans(b, x, &perm));
        let got = run(&f, 90, 90);
        let to: Vec<usize> = perm.iter().map(|&p| shape[p as usize] as usize).collect();
        for i in 0..to[0] {
            for j in 0..to[1] {
                for k in 0..to[2] {
                    let mut src = [0usize; 3];
                    src[perm[0] as usize] = i;
                    src[perm[1] as usize] = j;
                    src[perm[2] as usize] = k;
                    let want = src[0] * 30 + src[1] * 6 + src[2];
                    assert_eq!(
                        got[(i * to[1] + j) * to[2] + k],
                        want as i32,
                        "perm {perm:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn transpose_moving_unit_dims_is_a_reshape() {
    // [1, 5, 3] -> [5, 1, 3] and [5, 3, 1] -> [5, 1, 3] keep the element order.
    let f = shape_kernel("tu1", &[1, 5, 3], |b, x| trans(b, x, &[1, 0, 2]));
    assert_eq!(run(&f, 15, 15), iota(15));
    let f = shape_kernel("tu2", &[5, 3, 1], |b, x| trans(b, x, &[0, 2, 1]));
    assert_eq!(run(&f, 15, 15), iota(15));
}

#[test]
fn reshapes_preserve_row_major_order() {
    for (from, to) in [
        (vec![6u32, 4], vec![3u32, 8]),
        (vec![6, 4], vec![24]),
        (vec![24], vec![2, 3, 4]),
        (vec![5, 3], vec![3, 5]),
        (vec![2, 8], vec![4, 4]),
        (vec![16], vec![1, 16]),
        (vec![1, 16], vec![16]),
        (vec![4], vec![2, 2]),
        (vec![7], vec![7, 1]),
        (vec![1, 1], vec![1]),
    ] {
        let n: u32 = from.iter().product();
        let to2 = to.clone();
        let f = shape_kernel("rs", &from, move |b, x| reshape(b, x, &to2));
        assert_eq!(run(&f, n, n), iota(n), "{from:?} -> {to:?}");
    }
}

#[test]
fn reshape_to_and_from_scalar() {
    let f = kernel(
        "rs0",
        vec![
            ptr_param("x", Dtype::I32, false),
            ptr_param("out", Dtype::I32, true),
        ],
        |b, a| {
            let x = load_tile(b, a, 0, &[1, 1]);
            let s = reshape(b, x, &[]);
            let two = b.const_i32(2);
            let s = bin(b, Opcode::Mul, s, two);
            let t = reshape(b, s, &[1]);
            let t = bcast(b, t, &[5]);
            store_tile(b, a, 1, t);
        },
    );
    let args = vec![InterpArg::slice(&[21i32]), InterpArg::slice(&[0i32; 5])];
    let want = check_lowering(&f, [1, 1, 1], &args, 0.0);
    assert_eq!(want[1].to_vec::<i32>().unwrap(), vec![42; 5]);
}

#[test]
fn expand_dims_on_every_axis() {
    for shape in [vec![5u32], vec![3, 7], vec![2, 3, 4]] {
        for axis in 0..=shape.len() as i64 {
            let n: u32 = shape.iter().product();
            let f = shape_kernel("ed", &shape, |b, x| expand(b, x, axis));
            assert_eq!(run(&f, n, n), iota(n), "{shape:?} axis {axis}");
        }
    }
}

#[test]
fn broadcasts_of_every_kind() {
    // (source shape, target shape)
    for (from, to) in [
        (vec![1u32], vec![9u32]),
        (vec![1, 5], vec![3, 5]),
        (vec![3, 1], vec![3, 5]),
        (vec![1, 1], vec![4, 6]),
        (vec![2, 1, 3], vec![2, 4, 3]),
        (vec![1, 3, 1], vec![2, 3, 17]),
        (vec![4, 1], vec![4, 16]),
        (vec![5], vec![5]),
    ] {
        let n_in: u32 = from.iter().product();
        let n_out: u32 = to.iter().product();
        let to2 = to.clone();
        let f = shape_kernel("bc", &from, move |b, x| bcast(b, x, &to2));
        let got = run(&f, n_in, n_out);
        // Reference: each target index maps to the source index with the
        // broadcast dimensions at 0.
        let rank = to.len();
        for (flat, &g) in got.iter().enumerate() {
            let mut rem = flat;
            let mut idx = vec![0usize; rank];
            for k in (0..rank).rev() {
                idx[k] = rem % to[k] as usize;
                rem /= to[k] as usize;
            }
            let mut src = 0;
            for k in 0..rank {
                let i = if from[k] == 1 { 0 } else { idx[k] };
                src = src * from[k] as usize + i;
            }
            assert_eq!(g, src as i32, "{from:?} -> {to:?} at {idx:?}");
        }
    }
}

#[test]
fn views_of_one_vector_and_back() {
    // A [16] tile is one register at L = 16: expand_dims, broadcast, reshape
    // and trans of it must spill it to a buffer and load it back correctly.
    let f = shape_kernel("vec", &[16], |b, x| {
        let e = expand(b, x, 0); // [1, 16]
        let t = trans(b, e, &[1, 0]); // [16, 1]
        let r = reshape(b, t, &[4, 4]);
        let r = trans(b, r, &[1, 0]);
        reshape(b, r, &[16])
    });
    let got = run(&f, 16, 16);
    let want: Vec<i32> = (0..16).map(|i| (i % 4) * 4 + i / 4).collect();
    assert_eq!(got, want);
}
