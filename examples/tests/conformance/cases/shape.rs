//! Shape manipulation: `expand_dims` (function and method), `broadcast_to`,
//! `reshape`, `trans` (2-D and permutations of 3-D tiles), on odd shapes.

use persim::Engine;

use crate::support::{assert_exact, uniform};

/// `x` is `[R, C]` row-major. Writes `x[:, None, :]` broadcast to `[R, 3, C]`
/// (method form) and `x[None]` broadcast to `[2, R, C]` (function form), and
/// `x[:, :, None]` broadcast to `[R, C, 2]`.
#[persim::kernel]
fn expand(
    x: *const i32,
    mid: *mut i32,
    front: *mut i32,
    back: *mut i32,
    #[constexpr] R: i32,
    #[constexpr] C: i32,
) {
    let r = arange(0, R).expand_dims(1);
    let c = arange(0, C).expand_dims(0);
    let v = load(x + r * C + c);
    let k3 = arange(0, 3).expand_dims(0).expand_dims(2);
    let rr = r.expand_dims(1);
    let cc = c.expand_dims(1);
    store(mid + (rr * 3 + k3) * C + cc, v.expand_dims(1));
    let k2 = arange(0, 2).expand_dims(1).expand_dims(2);
    store(
        front + (k2 * R + r.expand_dims(0)) * C + c.expand_dims(0),
        expand_dims(v, 0),
    );
    let j2 = arange(0, 2).expand_dims(0).expand_dims(0);
    store(
        back + (r.expand_dims(2) * C + c.expand_dims(2)) * 2 + j2,
        expand_dims(v, 2),
    );
}

pub fn expand_dims(engine: &Engine) {
    for (r, c) in [(1usize, 1usize), (7, 13), (3, 1025)] {
        let x = uniform(r * c, -1000, 1000, 1);
        let (mut mid, mut front, mut back) =
            (vec![0; r * 3 * c], vec![0; 2 * r * c], vec![0; r * c * 2]);
        let args = expand::Args {
            x: &x,
            mid: &mut mid,
            front: &mut front,
            back: &mut back,
            R: r as i32,
            C: c as i32,
        };
        expand::launch(engine, 1u32, args).unwrap();
        let want_mid: Vec<i32> = (0..r * 3 * c)
            .map(|k| x[(k / (3 * c)) * c + k % c])
            .collect();
        assert_exact(&format!("x[:, None] {r}x{c}"), &mid, &want_mid);
        let want_front: Vec<i32> = (0..2 * r * c).map(|k| x[k % (r * c)]).collect();
        assert_exact(&format!("x[None] {r}x{c}"), &front, &want_front);
        let want_back: Vec<i32> = (0..r * c * 2).map(|k| x[k / 2]).collect();
        assert_exact(&format!("x[:, :, None] {r}x{c}"), &back, &want_back);
    }
}

/// A row `[1, C]`, a column `[R, 1]` and a scalar broadcast to `[R, C]`.
#[persim::kernel]
fn bcast(
    row: *const f32,
    col: *const f32,
    out: *mut f32,
    s: f32,
    #[constexpr] R: i32,
    #[constexpr] C: i32,
) {
    let r = arange(0, R).expand_dims(1);
    let c = arange(0, C).expand_dims(0);
    let base = out + (r * C + c) * 3;
    store(base, broadcast_to(load(row + c), [R, C]));
    store(base + 1, broadcast_to(load(col + r), [R, C]));
    store(base + 2, broadcast_to(s, [R, C]));
}

pub fn broadcast_to(engine: &Engine) {
    for (r, c) in [(1usize, 1usize), (7, 13), (1025, 3)] {
        let row: Vec<f32> = uniform(c, -1.0, 1.0, 2);
        let col: Vec<f32> = uniform(r, -1.0, 1.0, 3);
        let mut out = vec![0.0f32; r * c * 3];
        let args = bcast::Args {
            row: &row,
            col: &col,
            out: &mut out,
            s: 0.5,
            R: r as i32,
            C: c as i32,
        };
        bcast::launch(engine, 1u32, args).unwrap();
        let want: Vec<f32> = (0..r * c)
            .flat_map(|k| [row[k % c], col[k / c], 0.5])
            .collect();
        assert_exact(&format!("{r}x{c}"), &out, &want);
    }
}

/// `[A*B*C]` → `[A, B*C]` → `[A*B, C]` (row-major order is kept), and a
/// reshaped tile used in arithmetic with a tile of its new shape.
#[persim::kernel]
fn reshape_k(
    x: *const i32,
    out2: *mut i32,
    out3: *mut i32,
    #[constexpr] A: i32,
    #[constexpr] B: i32,
    #[constexpr] C: i32,
) {
    let flat = load(x + arange(0, A * B * C));
    let two = reshape(flat, [A, B * C]);
    let rows = arange(0, A).expand_dims(1);
    let cols = arange(0, B * C).expand_dims(0);
    store(out2 + rows * (B * C) + cols, two + rows * 1000000);
    let three = reshape(two, [A * B, C]);
    let r = arange(0, A * B).expand_dims(1);
    let c = arange(0, C).expand_dims(0);
    store(out3 + r * C + c, three - c);
}

pub fn reshape(engine: &Engine) {
    for (a, b, c) in [
        (1usize, 1usize, 1usize),
        (3, 5, 7),
        (2, 1, 1025),
        (7, 13, 3),
    ] {
        let n = a * b * c;
        let x = uniform(n, -1000, 1000, 4);
        let (mut out2, mut out3) = (vec![0; n], vec![0; n]);
        let args = reshape_k::Args {
            x: &x,
            out2: &mut out2,
            out3: &mut out3,
            A: a as i32,
            B: b as i32,
            C: c as i32,
        };
        reshape_k::launch(engine, 1u32, args).unwrap();
        let want2: Vec<i32> = (0..n)
            .map(|k| x[k] + (k / (b * c)) as i32 * 1_000_000)
            .collect();
        assert_exact(&format!("[{n}] -> [{a}, {}]", b * c), &out2, &want2);
        let want3: Vec<i32> = (0..n).map(|k| x[k] - (k % c) as i32).collect();
        assert_exact(&format!("-> [{}, {c}]", a * b), &out3, &want3);
    }
}

/// `trans(x)` of a `[R, C]` tile, and the transpose feeding arithmetic with
/// a tile of the transposed shape.
#[persim::kernel]
fn trans2(x: *const f32, out: *mut f32, #[constexpr] R: i32, #[constexpr] C: i32) {
    let r = arange(0, R).expand_dims(1);
    let c = arange(0, C).expand_dims(0);
    let t = trans(load(x + r * C + c));
    let tr = arange(0, C).expand_dims(1);
    let tc = arange(0, R).expand_dims(0);
    store(out + tr * R + tc, t + tr.to::<f32>() * 0.0);
}

pub fn trans_2d(engine: &Engine) {
    for (r, c) in [(1usize, 1usize), (7, 13), (33, 65), (2, 1025)] {
        let x: Vec<f32> = uniform(r * c, -1.0, 1.0, 5);
        let mut out = vec![0.0f32; r * c];
        trans2::launch(
            engine,
            1u32,
            trans2::Args {
                x: &x,
                out: &mut out,
                R: r as i32,
                C: c as i32,
            },
        )
        .unwrap();
        let want: Vec<f32> = (0..r * c).map(|k| x[(k % r) * c + k / r]).collect();
        assert_exact(&format!("{r}x{c}"), &out, &want);
    }
}

/// `trans(x, [2, 0, 1])` and `trans(x, [1, 0, 2])` of an `[A, B, C]` tile.
#[persim::kernel]
fn trans3(
    x: *const i32,
    p201: *mut i32,
    p102: *mut i32,
    #[constexpr] A: i32,
    #[constexpr] B: i32,
    #[constexpr] C: i32,
) {
    let a = arange(0, A).expand_dims(1).expand_dims(2);
    let b = arange(0, B).expand_dims(0).expand_dims(2);
    let c = arange(0, C).expand_dims(0).expand_dims(0);
    let v = load(x + (a * B + b) * C + c);
    // Result [C, A, B]: element (k, i, j) = v[i, j, k].
    let k = arange(0, C).expand_dims(1).expand_dims(2);
    let i = arange(0, A).expand_dims(0).expand_dims(2);
    let j = arange(0, B).expand_dims(0).expand_dims(0);
    store(p201 + (k * A + i) * B + j, trans(v, [2, 0, 1]));
    // Result [B, A, C].
    let j1 = arange(0, B).expand_dims(1).expand_dims(2);
    let i1 = arange(0, A).expand_dims(0).expand_dims(2);
    store(p102 + (j1 * A + i1) * C + c, trans(v, [1, 0, 2]));
}

pub fn trans_3d(engine: &Engine) {
    for (a, b, c) in [(1usize, 1usize, 1usize), (3, 5, 7), (2, 9, 17)] {
        let n = a * b * c;
        let x = uniform(n, -1000, 1000, 6);
        let (mut p201, mut p102) = (vec![0; n], vec![0; n]);
        let args = trans3::Args {
            x: &x,
            p201: &mut p201,
            p102: &mut p102,
            A: a as i32,
            B: b as i32,
            C: c as i32,
        };
        trans3::launch(engine, 1u32, args).unwrap();
        let at = |i: usize, j: usize, k: usize| x[(i * b + j) * c + k];
        let mut want201 = vec![0; n];
        let mut want102 = vec![0; n];
        for i in 0..a {
            for j in 0..b {
                for k in 0..c {
                    want201[(k * a + i) * b + j] = at(i, j, k);
                    want102[(j * a + i) * c + k] = at(i, j, k);
                }
            }
        }
        assert_exact(&format!("[2, 0, 1] of {a}x{b}x{c}"), &p201, &want201);
        assert_exact(&format!("[1, 0, 2] of {a}x{b}x{c}"), &p102, &want102);
    }
}
