//! More shape manipulation: `permute`, `cat` (both axes, promoting its
//! operands), `join` and `split` (`let (a, b) = split(x);`), and tiles whose
//! sizes are not powers of two (a 1000-wide row, a 48×80 tile), which
//! persim accepts and Triton does not.

use persim::Engine;
use persim_examples::check::tol;

use crate::support::{assert_close, assert_exact, f32s, uniform, SIZES};

/// `permute(x, [1, 2, 0])` of an `[A, B, C]` tile (result `[B, C, A]`) and
/// `permute(y, [1, 0])` of an `[A, B]` tile.
#[persim::kernel]
fn permute_k(
    x: *const i32,
    out3: *mut i32,
    out2: *mut i32,
    #[constexpr] A: i32,
    #[constexpr] B: i32,
    #[constexpr] C: i32,
) {
    let a = arange(0, A).expand_dims(1).expand_dims(2);
    let b = arange(0, B).expand_dims(0).expand_dims(2);
    let c = arange(0, C).expand_dims(0).expand_dims(0);
    let v = load(x + (a * B + b) * C + c);
    let j = arange(0, B).expand_dims(1).expand_dims(2);
    let k = arange(0, C).expand_dims(0).expand_dims(2);
    let i = arange(0, A).expand_dims(0).expand_dims(0);
    store(out3 + (j * C + k) * A + i, permute(v, [1, 2, 0]));
    let r = arange(0, A).expand_dims(1);
    let s = arange(0, B).expand_dims(0);
    let y = load(x + r * B + s);
    store(
        out2 + arange(0, B).expand_dims(1) * A + arange(0, A).expand_dims(0),
        permute(y, [1, 0]),
    );
}

pub fn permute(engine: &Engine) {
    for (a, b, c) in [(1usize, 1usize, 1usize), (2, 3, 5), (7, 4, 3), (3, 17, 6)] {
        let n = a * b * c;
        let x = uniform(n, -1000, 1000, 1);
        let (mut out3, mut out2) = (vec![0; n], vec![0; a * b]);
        let args = permute_k::Args {
            x: &x,
            out3: &mut out3,
            out2: &mut out2,
            A: a as i32,
            B: b as i32,
            C: c as i32,
        };
        permute_k::launch(engine, 1u32, args).unwrap();
        let mut want3 = vec![0; n];
        for i in 0..a {
            for j in 0..b {
                for k in 0..c {
                    want3[(j * c + k) * a + i] = x[(i * b + j) * c + k];
                }
            }
        }
        assert_exact(&format!("[1, 2, 0] of {a}x{b}x{c}"), &out3, &want3);
        let want2: Vec<i32> = (0..a * b).map(|t| x[(t % a) * b + t / a]).collect();
        assert_exact(&format!("[1, 0] of {a}x{b}"), &out2, &want2);
    }
}

/// `cat(x, y)` of 1-D tiles of lengths `P` and `Q` (axis 0, order kept),
/// with `y` an `i8` tile promoted to `i32`; and `cat(r, s, 1)` of two
/// `[2, P]` / `[2, Q]` tiles side by side.
#[persim::kernel]
fn cat_k(
    x: *const i32,
    y: *const i8,
    flat: *mut i32,
    wide: *mut i32,
    #[constexpr] P: i32,
    #[constexpr] Q: i32,
) {
    let a = load(x + arange(0, P));
    let b = load(y + arange(0, Q));
    store(flat + arange(0, P + Q), cat(a, b));
    let rows = arange(0, 2).expand_dims(1);
    let r = load(x + rows * 0 + arange(0, P).expand_dims(0)) + rows;
    let s = load(y + rows * 0 + arange(0, Q).expand_dims(0)).to::<i32>() - rows;
    store(
        wide + rows * (P + Q) + arange(0, P + Q).expand_dims(0),
        cat(r, s, 1),
    );
}

pub fn cat(engine: &Engine) {
    for (p, q) in [
        (1usize, 1usize),
        (7, 1000),
        (1023, 1),
        (1000, 25),
        (1025, 7),
    ] {
        let x = uniform(p, -1000, 1000, 2);
        let y = uniform(q, i8::MIN, i8::MAX, 3);
        let (mut flat, mut wide) = (vec![0; p + q], vec![0; 2 * (p + q)]);
        let args = cat_k::Args {
            x: &x,
            y: &y,
            flat: &mut flat,
            wide: &mut wide,
            P: p as i32,
            Q: q as i32,
        };
        cat_k::launch(engine, 1u32, args).unwrap();
        let mut want: Vec<i32> = x.clone();
        want.extend(y.iter().map(|&v| v as i32));
        assert_exact(&format!("cat {p} + {q}"), &flat, &want);
        let want: Vec<i32> = (0..2)
            .flat_map(|r| {
                let left = x.iter().map(move |&v| v + r);
                let right = y.iter().map(move |&v| v as i32 - r);
                left.chain(right).collect::<Vec<_>>()
            })
            .collect();
        assert_exact(&format!("cat(.., 1) of 2x{p} and 2x{q}"), &wide, &want);
    }
}

/// `join(a, b)` interleaves two tiles as pairs (broadcasting a scalar);
/// `split` takes interleaved pairs apart again; `split(join(a, b))` is
/// `(a, b)`.
#[persim::kernel]
fn join_split_k(
    a: *const f32,
    b: *const f32,
    pairs: *mut f32,
    scaled: *mut f32,
    firsts: *mut f32,
    seconds: *mut f32,
    n: i32,
    s: f32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let x = load(a + offs, m, 0.0);
    let y = load(b + offs, m, 0.0);
    let at = offs.expand_dims(1) * 2 + arange(0, 2).expand_dims(0);
    let pm = at < 2 * n;
    store(pairs + at, join(x, y), pm);
    store(scaled + at, join(x, s), pm);
    let (u, v) = split(load(pairs + at, pm, 0.0));
    let (p, q) = split(join(v, u));
    store(firsts + offs, p, m);
    store(seconds + offs, q, m);
}

pub fn join_split(engine: &Engine) {
    for &n in SIZES {
        let (a, b) = (f32s(n, 4), f32s(n, 5));
        let (mut pairs, mut scaled) = (vec![0.0f32; 2 * n], vec![0.0f32; 2 * n]);
        let (mut firsts, mut seconds) = (vec![0.0f32; n], vec![0.0f32; n]);
        let block = 100;
        let args = join_split_k::Args {
            a: &a,
            b: &b,
            pairs: &mut pairs,
            scaled: &mut scaled,
            firsts: &mut firsts,
            seconds: &mut seconds,
            n: n as i32,
            s: 2.5,
            BLOCK: block,
        };
        join_split_k::launch(engine, n.div_ceil(block as usize) as u32, args).unwrap();
        let want: Vec<f32> = (0..n).flat_map(|i| [a[i], b[i]]).collect();
        assert_exact(&format!("join n={n}"), &pairs, &want);
        let want: Vec<f32> = (0..n).flat_map(|i| [a[i], 2.5]).collect();
        assert_exact(&format!("join with a scalar n={n}"), &scaled, &want);
        assert_exact(&format!("split first n={n}"), &firsts, &b);
        assert_exact(&format!("split second n={n}"), &seconds, &a);
    }
}

/// A whole row of 1000 in one tile: `softmax`-like normalization, with no
/// mask at all (the mid-end pads the tile to its vector width).
#[persim::kernel]
fn row_1000(x: *const f32, out: *mut f32, sums: *mut f32) {
    let row = program_id(0);
    let cols = arange(0, 1000);
    let v = load(x + row * 1000 + cols);
    let e = exp(v - max(v, 0));
    let total = sum(e, 0);
    store(out + row * 1000 + cols, e / total);
    store(sums + row, total);
}

/// A 48×80 tile: elementwise, both reductions, a transpose and a
/// `[48, 80] @ [80, 48]` dot.
#[persim::kernel]
fn tile_48x80(
    x: *const f32,
    doubled: *mut f32,
    row_sums: *mut f32,
    col_max: *mut f32,
    gram: *mut f32,
) {
    let r = arange(0, 48).expand_dims(1);
    let c = arange(0, 80).expand_dims(0);
    let v = load(x + r * 80 + c);
    store(doubled + r * 80 + c, v * 2.0 + 1.0);
    store(row_sums + arange(0, 48), sum(v, 1));
    store(col_max + arange(0, 80), max(v, 0));
    store(
        gram + r * 48 + arange(0, 48).expand_dims(0),
        dot(v, trans(v)),
    );
}

pub fn non_power_of_two_tiles(engine: &Engine) {
    let rows = 3usize;
    let x = f32s(rows * 1000, 6);
    let (mut out, mut sums) = (vec![0.0f32; rows * 1000], vec![0.0f32; rows]);
    let args = row_1000::Args {
        x: &x,
        out: &mut out,
        sums: &mut sums,
    };
    row_1000::launch(engine, rows as u32, args).unwrap();
    for r in 0..rows {
        let xs = &x[r * 1000..(r + 1) * 1000];
        let m = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
        let e: Vec<f64> = xs.iter().map(|&v| (v as f64 - m).exp()).collect();
        let total: f64 = e.iter().sum();
        let want: Vec<f64> = e.iter().map(|v| v / total).collect();
        assert_close(
            "softmax row of 1000",
            &out[r * 1000..(r + 1) * 1000],
            &want,
            tol::F32_NORMALIZED,
        );
        assert_close("sum of 1000", &sums[r..r + 1], &[total], tol::F32_REDUCTION);
    }

    // Small integers: sums, maxima and dots are exact.
    let x: Vec<f32> = uniform(48 * 80, -4, 5, 7)
        .into_iter()
        .map(|v| v as f32)
        .collect();
    let mut doubled = vec![0.0f32; 48 * 80];
    let (mut row_sums, mut col_max) = (vec![0.0f32; 48], vec![0.0f32; 80]);
    let mut gram = vec![0.0f32; 48 * 48];
    let args = tile_48x80::Args {
        x: &x,
        doubled: &mut doubled,
        row_sums: &mut row_sums,
        col_max: &mut col_max,
        gram: &mut gram,
    };
    tile_48x80::launch(engine, 1u32, args).unwrap();
    let want: Vec<f32> = x.iter().map(|v| v * 2.0 + 1.0).collect();
    assert_exact("48x80 elementwise", &doubled, &want);
    let want: Vec<f32> = (0..48)
        .map(|i| x[i * 80..(i + 1) * 80].iter().sum())
        .collect();
    assert_exact("48x80 row sums", &row_sums, &want);
    let want: Vec<f32> = (0..80)
        .map(|j| {
            (0..48)
                .map(|i| x[i * 80 + j])
                .fold(f32::NEG_INFINITY, f32::max)
        })
        .collect();
    assert_exact("48x80 column maxima", &col_max, &want);
    let want: Vec<f32> = (0..48 * 48)
        .map(|t| {
            let (i, j) = (t / 48, t % 48);
            (0..80).map(|k| x[i * 80 + k] * x[j * 80 + k]).sum()
        })
        .collect();
    assert_exact("48x80 @ its transpose", &gram, &want);
}
