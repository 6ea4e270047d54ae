//! Block pointers: `make_block_ptr`, `advance` in a loop, and `load`/`store`
//! through them with boundary checks on some or all dimensions and
//! `Padding::Zero` / `Padding::Nan`, at edges that cut blocks.

use persim::Engine;

use crate::support::{assert_exact, uniform};

/// Row sums of an `M x N` matrix: each program owns `BM` rows and walks the
/// columns `BN` at a time with `advance`; the edge blocks read zeros. The
/// sums are stored through a 1-D block pointer checked on its only axis.
#[persim::kernel]
fn row_sums(
    x: *const i32,
    out: *mut i32,
    M: i32,
    N: i32,
    #[constexpr] BM: i32,
    #[constexpr] BN: i32,
) {
    let row0 = program_id(0) * BM;
    let mut bp = make_block_ptr(x, [M, N], [N, 1], [row0, 0], [BM, BN], [1, 0]);
    let mut acc = zeros::<i32>([BM]);
    for _ in 0..cdiv(N, BN) {
        acc += sum(load(bp, [0, 1], Padding::Zero), 1);
        bp = advance(bp, [0, BN]);
    }
    store(make_block_ptr(out, [M], [1], [row0], [BM], [0]), acc, [0]);
}

pub fn advance_and_zero_padding(engine: &Engine) {
    for (m, n, bm, bn) in [
        (1usize, 1usize, 1usize, 1usize),
        (7, 1000, 4, 64),
        (1023, 7, 16, 5),
        (9, 1025, 3, 100),
        (5, 1023, 8, 1023),
    ] {
        let x = uniform(m * n, -1000, 1000, 1);
        let mut out = vec![i32::MIN; m];
        let args = row_sums::Args {
            x: &x,
            out: &mut out,
            M: m as i32,
            N: n as i32,
            BM: bm as i32,
            BN: bn as i32,
        };
        row_sums::launch(engine, m.div_ceil(bm) as u32, args).unwrap();
        let want: Vec<i32> = (0..m).map(|i| x[i * n..(i + 1) * n].iter().sum()).collect();
        assert_exact(&format!("{m}x{n} in {bm}x{bn} blocks"), &out, &want);
    }
}

/// A `BM x BN` window at (`r0`, `c0`), which may hang over any edge, read
/// with NaN padding into a dense buffer, and written back into `dst` (of
/// the source's shape) through a block pointer checked on both axes, so
/// only the part inside lands.
#[persim::kernel]
fn window_nan(
    x: *const f32,
    win: *mut f32,
    dst: *mut f32,
    M: i32,
    N: i32,
    r0: i32,
    c0: i32,
    #[constexpr] BM: i32,
    #[constexpr] BN: i32,
) {
    let v = load(
        make_block_ptr(x, [M, N], [N, 1], [r0, c0], [BM, BN], [1, 0]),
        [0, 1],
        Padding::Nan,
    );
    store(
        make_block_ptr(win, [BM, BN], [BN, 1], [0, 0], [BM, BN], [1, 0]),
        v,
    );
    store(
        make_block_ptr(dst, [M, N], [N, 1], [r0, c0], [BM, BN], [1, 0]),
        v * 2.0,
        [0, 1],
    );
}

pub fn nan_padding_and_checked_store(engine: &Engine) {
    let (m, n) = (9usize, 1023usize);
    let x: Vec<f32> = uniform(m * n, -1.0f32, 1.0, 2);
    for (r0, c0, bm, bn) in [
        (0i32, 0i32, 9usize, 1023usize),
        (-3, 1000, 7, 48),
        (8, 1022, 3, 2),
        (2, -20, 4, 25),
        (0, 0, 1, 1),
    ] {
        let mut win = vec![0.0f32; bm * bn];
        let mut dst = vec![7.0f32; m * n];
        let args = window_nan::Args {
            x: &x,
            win: &mut win,
            dst: &mut dst,
            M: m as i32,
            N: n as i32,
            r0,
            c0,
            BM: bm as i32,
            BN: bn as i32,
        };
        window_nan::launch(engine, 1u32, args).unwrap();
        let inside = |r: i32, c: i32| (0..m as i32).contains(&r) && (0..n as i32).contains(&c);
        let what = format!("{bm}x{bn} window at ({r0}, {c0})");
        for i in 0..bm {
            for j in 0..bn {
                let (r, c) = (r0 + i as i32, c0 + j as i32);
                let got = win[i * bn + j];
                if inside(r, c) {
                    assert_eq!(got, x[r as usize * n + c as usize], "{what} at ({i}, {j})");
                } else {
                    assert!(got.is_nan(), "{what}: padding at ({i}, {j}) is {got}");
                }
            }
        }
        let want: Vec<f32> = (0..m * n)
            .map(|k| {
                let (r, c) = ((k / n) as i32, (k % n) as i32);
                let covered =
                    (r0..r0 + bm as i32).contains(&r) && (c0..c0 + bn as i32).contains(&c);
                if covered {
                    x[k] * 2.0
                } else {
                    7.0
                }
            })
            .collect();
        assert_exact(&what, &dst, &want);
    }
}

/// A boundary check on one axis only: rows may run past `M`, columns never
/// do (the block is the full width), so only axis 0 is checked.
#[persim::kernel]
fn rows_checked(x: *const i64, out: *mut i64, M: i32, #[constexpr] BM: i32, #[constexpr] N: i32) {
    let r0 = program_id(0) * BM;
    let v = load(
        make_block_ptr(x, [M, N], [N, 1], [r0, 0], [BM, N], [1, 0]),
        [0],
        Padding::Zero,
    );
    store(
        make_block_ptr(out, [M, N], [N, 1], [r0, 0], [BM, N], [1, 0]),
        v - 1,
        [0],
    );
}

pub fn one_axis_checked(engine: &Engine) {
    for (m, n, bm) in [
        (1usize, 1usize, 1usize),
        (1000, 7, 16),
        (7, 13, 1024),
        (1025, 3, 100),
    ] {
        let x = uniform(m * n, i64::MIN / 2, i64::MAX / 2, 3);
        let mut out = vec![0i64; m * n];
        let args = rows_checked::Args {
            x: &x,
            out: &mut out,
            M: m as i32,
            BM: bm as i32,
            N: n as i32,
        };
        rows_checked::launch(engine, m.div_ceil(bm) as u32, args).unwrap();
        let want: Vec<i64> = x.iter().map(|v| v - 1).collect();
        assert_exact(&format!("{m}x{n} in blocks of {bm} rows"), &out, &want);
    }
}
