//! Differential tests of bufferization: each kernel runs in the interpreter
//! at tile level, then lowered without buffer reuse, with in-place writes,
//! and with in-place writes and `pack-buffers` (`check_lowering` runs all
//! three for 1, 4 and 16 lanes); all must store identical memory. Reuse
//! must also pay: the packed peak is strictly below the unshared one.

mod buf_kernels;
mod lower_util;

use buf_kernels::*;
use lower_util::*;
use persim_lang::interp::InterpArg;
use persim_lang::ir::Function;

/// `local_mem` of `f` lowered for `lanes` lanes in each of [`VARIANTS`].
fn local_mems(f: &Function, lanes: u32) -> [i64; 3] {
    [0, 1, 2].map(|v| lower_variant(f, lanes, v).attrs.int("local_mem").unwrap())
}

/// The packed peak is strictly lower than with no reuse, for every lane
/// count where the kernel needs local memory at all (a tile of exactly one
/// vector needs none).
fn assert_reuse_pays(f: &Function) {
    for lanes in LANES {
        let [none, _, packed] = local_mems(f, lanes);
        if none == 0 {
            continue;
        }
        assert!(
            packed < none,
            "`{}` (L = {lanes}): packed {packed} B, not below {none} B without reuse",
            f.name
        );
    }
}

#[test]
fn vector_add() {
    let mut rng = Rng::new(31);
    for (block, n) in [(7u32, 20u32), (16, 16), (1023, 1500)] {
        let f = buf_kernels::vector_add(block);
        let mut out = vec![0.0f32; n as usize + 1];
        out[n as usize] = 777.0;
        let args = vec![
            InterpArg::slice(&rng.f32s(n as usize)),
            InterpArg::slice(&rng.f32s(n as usize)),
            InterpArg::slice(&out),
            InterpArg::scalar(n as i32),
        ];
        let want = check_lowering(&f, [n.div_ceil(block), 1, 1], &args, 0.0);
        assert_eq!(want[2].to_vec::<f32>().unwrap()[n as usize], 777.0);
        assert_reuse_pays(&f);
    }
}

#[test]
fn softmax() {
    let mut rng = Rng::new(32);
    for (block, n_cols, rows) in [(8u32, 5u32, 3u32), (16, 16, 2), (1025, 1000, 2)] {
        let f = buf_kernels::softmax(block);
        let (in_stride, out_stride) = (n_cols + 3, n_cols + 1);
        let x: Vec<f32> = rng
            .f32s((rows * in_stride) as usize)
            .into_iter()
            .map(|v| v * 8.0)
            .collect();
        let args = vec![
            InterpArg::slice(&vec![0.0f32; (rows * out_stride) as usize]),
            InterpArg::slice(&x),
            InterpArg::scalar(in_stride as i32),
            InterpArg::scalar(out_stride as i32),
            InterpArg::scalar(n_cols as i32),
        ];
        let want = check_lowering(&f, [rows, 1, 1], &args, 1e-5);
        let got = want[0].to_vec::<f32>().unwrap();
        let total: f32 = got[..n_cols as usize].iter().sum();
        assert!((total - 1.0).abs() < 1e-4, "row 0 sums to {total}");
        assert_reuse_pays(&f);
    }
}

#[test]
fn matmul() {
    let mut rng = Rng::new(33);
    for (m, n, k, bm, bn, bk) in [(5u32, 7u32, 9u32, 4u32, 4u32, 4u32), (3, 16, 5, 2, 16, 8)] {
        let f = buf_kernels::matmul(bm, bn, bk);
        let (args, grid) = buf_kernels::matmul_args(&mut rng, (m, n, k), (bm, bn));
        let want = check_lowering(&f, grid, &args, 0.0);
        // Against a plain-Rust product, summed in the same order.
        let (a, bt) = (
            args[0].to_vec::<f32>().unwrap(),
            args[1].to_vec::<f32>().unwrap(),
        );
        let got = want[2].to_vec::<f32>().unwrap();
        for i in 0..m as usize {
            for j in 0..n as usize {
                let mut s = 0.0f32;
                for kk in 0..k as usize {
                    s += a[i * k as usize + kk] * bt[j * k as usize + kk];
                }
                assert_eq!(got[i * n as usize + j], s, "c[{i}][{j}]");
            }
        }
        assert_reuse_pays(&f);
    }
}

#[test]
fn if_yielding_tiles_inside_a_loop() {
    let mut rng = Rng::new(34);
    for block in [3u32, 16, 37] {
        let f = if_in_loop(block);
        let args = vec![
            InterpArg::slice(&rng.f32s(block as usize)),
            InterpArg::slice(&vec![0.0f32; block as usize]),
            InterpArg::scalar(5),
        ];
        check_lowering(&f, [1, 1, 1], &args, 0.0);
    }
}

#[test]
fn while_loop_carrying_a_tile() {
    for block in [1u32, 9, 16, 40] {
        let f = doubling_while(block);
        let x: Vec<i32> = (0..block as i32).map(|i| i % 5 - 2).collect();
        let y: Vec<i32> = (0..block as i32).map(|i| i % 3 + 1).collect();
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&y),
            InterpArg::slice(&vec![0i32; block as usize]),
            InterpArg::scalar(5000),
        ];
        let want = check_lowering(&f, [1, 1, 1], &args, 0.0);
        let got: i64 = want[2]
            .to_vec::<i32>()
            .unwrap()
            .iter()
            .map(|&v| v as i64)
            .sum();
        assert!(got >= 5000, "the loop stopped early: sum {got}");
    }
}

#[test]
fn a_view_is_not_written_over_while_its_source_is_read_later() {
    // `v = reshape(x)` shares `x`'s buffer where the layouts agree; `exp(v)`
    // is `v`'s last use but not `x`'s, so it must not write over `v`.
    let mut rng = Rng::new(35);
    let f = kernel(
        "view",
        vec![
            ptr_param("x", persim_lang::ir::Dtype::F32, false),
            ptr_param("out", persim_lang::ir::Dtype::F32, true),
        ],
        |b, a| {
            let x = load_tile(b, a, 0, &[32]);
            let v = reshape(b, x, &[4, 8]);
            let v = expand(b, v, 0);
            let e = b.unary(persim_lang::ir::Opcode::Exp, v).unwrap();
            let e = reshape(b, e, &[32]);
            let s = bin(b, persim_lang::ir::Opcode::Add, e, x);
            store_tile(b, a, 1, s);
        },
    );
    let args = vec![
        InterpArg::slice(&rng.f32s(32)),
        InterpArg::slice(&[0.0f32; 32]),
    ];
    check_lowering(&f, [1, 1, 1], &args, 0.0);
}
