//! Control flow: `for` over runtime and constexpr ranges (with `step_by`,
//! zero trips, loop-carried tiles and scalars, nesting), `while`, and `if`
//! on runtime scalars (as a statement and as an expression) and constexprs.

use persim::Engine;

use crate::support::{assert_exact, uniform};

/// Per program: `sum over i in (lo..hi).step_by(step)` of the row
/// `x[i, :]` (a loop-carried tile), and the trip count (a loop-carried
/// scalar).
#[persim::kernel]
fn strided_sum(
    x: *const i32,
    bounds: *const i32,
    out: *mut i32,
    trips: *mut i32,
    #[constexpr] C: i32,
) {
    let p = program_id(0);
    let lo = load(bounds + p * 3);
    let hi = load(bounds + p * 3 + 1);
    let step = load(bounds + p * 3 + 2);
    let cols = arange(0, C);
    let mut acc = zeros::<i32>([C]);
    let mut count = 0;
    for i in (lo..hi).step_by(step) {
        acc += load(x + i * C + cols);
        count += 1;
    }
    store(out + p * C + cols, acc);
    store(trips + p, count);
}

pub fn for_runtime_bounds(engine: &Engine) {
    let (rows, c) = (50usize, 7usize);
    let x = uniform(rows * c, -1000, 1000, 1);
    // (lo, hi, step): empty (lo == hi, lo > hi), one trip, steps not dividing the range.
    let bounds: Vec<[i32; 3]> = vec![
        [0, 0, 1],
        [9, 3, 1],
        [4, 5, 1],
        [0, 50, 1],
        [1, 50, 7],
        [3, 49, 5],
        [49, 50, 100],
        [0, 50, 50],
    ];
    let flat: Vec<i32> = bounds.iter().flatten().copied().collect();
    let (mut out, mut trips) = (vec![0; bounds.len() * c], vec![0; bounds.len()]);
    let args = strided_sum::Args {
        x: &x,
        bounds: &flat,
        out: &mut out,
        trips: &mut trips,
        C: c as i32,
    };
    strided_sum::launch(engine, bounds.len() as u32, args).unwrap();
    for (p, &[lo, hi, step]) in bounds.iter().enumerate() {
        let rows: Vec<usize> = (lo..hi)
            .step_by(step as usize)
            .map(|i| i as usize)
            .collect();
        let want: Vec<i32> = (0..c)
            .map(|j| rows.iter().map(|&i| x[i * c + j]).sum())
            .collect();
        let what = format!("({lo}..{hi}).step_by({step})");
        assert_exact(&what, &out[p * c..(p + 1) * c], &want);
        assert_exact(&what, &trips[p..p + 1], &[rows.len() as i32]);
    }
}

/// Nested loops: a constexpr outer trip count and a runtime inner bound
/// that depends on the outer index (a triangle), carrying a 2-D tile.
#[persim::kernel]
fn triangle(out: *mut i64, n: i32, #[constexpr] OUTER: i32, #[constexpr] W: i32) {
    let lanes = arange(0, W).to::<i64>();
    let mut acc = zeros::<i64>([2, W]);
    for i in 0..OUTER {
        for j in 0..(i * n) {
            let row = arange(0, 2).expand_dims(1).to::<i64>();
            acc += (row + 1) * (lanes.expand_dims(0) + j.to::<i64>());
        }
    }
    store(
        out + arange(0, 2).expand_dims(1) * W + arange(0, W).expand_dims(0),
        acc,
    );
}

pub fn for_nested_and_constexpr(engine: &Engine) {
    for (outer, n, w) in [(1, 5, 1), (4, 3, 7), (3, 0, 13)] {
        let mut out = vec![0i64; 2 * w];
        let args = triangle::Args {
            out: &mut out,
            n,
            OUTER: outer,
            W: w as i32,
        };
        triangle::launch(engine, 1u32, args).unwrap();
        let mut want = vec![0i64; 2 * w];
        for i in 0..outer {
            for j in 0..i * n {
                for r in 0..2 {
                    for l in 0..w {
                        want[r * w + l] += (r as i64 + 1) * (l as i64 + j as i64);
                    }
                }
            }
        }
        assert_exact(&format!("OUTER={outer} n={n} W={w}"), &out, &want);
    }
}

/// Collatz step counts: a data-dependent `while` with an `if` inside.
#[persim::kernel]
fn collatz(starts: *const i64, steps: *mut i32) {
    let p = program_id(0);
    let mut x = load(starts + p);
    let mut count = 0;
    while x != 1 {
        if x % 2 == 0 {
            x = x / 2;
        } else {
            x = 3 * x + 1;
        }
        count += 1;
    }
    store(steps + p, count);
}

pub fn while_loop(engine: &Engine) {
    let mut starts = uniform(1000, 1i64, 1_000_000, 2);
    starts[0] = 1;
    starts[1] = 27;
    let mut steps = vec![-1; starts.len()];
    collatz::launch(
        engine,
        starts.len() as u32,
        collatz::Args {
            starts: &starts,
            steps: &mut steps,
        },
    )
    .unwrap();
    let want: Vec<i32> = starts
        .iter()
        .map(|&s| {
            let (mut x, mut c) = (s, 0);
            while x != 1 {
                x = if x % 2 == 0 { x / 2 } else { 3 * x + 1 };
                c += 1;
            }
            c
        })
        .collect();
    assert_exact("collatz", &steps, &want);
}

/// `if` on runtime scalars: an `else if` chain assigning a tile, an `if`
/// without `else`, an `if` expression, and `if` on a constexpr.
#[persim::kernel]
fn branches(sel: *const i32, out: *mut f32, #[constexpr] W: i32, #[constexpr] FLIP: bool) {
    let p = program_id(0);
    let s = load(sel + p);
    let lanes = arange(0, W).to::<f32>();
    let mut v = zeros::<f32>([W]);
    if s < 0 {
        v = lanes * -1.0;
    } else if s == 0 {
        v = lanes + 100.0;
    } else {
        v = lanes * 2.0;
    }
    if s > 5 {
        v += 0.5;
    }
    let scale = if s % 2 == 0 { 10.0 } else { 1.0 };
    v = v * scale;
    if FLIP {
        v = -v;
    }
    store(out + p * W + arange(0, W), v);
}

pub fn if_else(engine: &Engine) {
    let sel = vec![-3, 0, 1, 2, 6, 7, -4];
    let w = 13usize;
    for flip in [false, true] {
        let mut out = vec![0.0f32; sel.len() * w];
        let args = branches::Args {
            sel: &sel,
            out: &mut out,
            W: w as i32,
            FLIP: flip,
        };
        branches::launch(engine, sel.len() as u32, args).unwrap();
        let want: Vec<f32> = sel
            .iter()
            .flat_map(|&s| {
                (0..w).map(move |l| {
                    let l = l as f32;
                    let mut v = if s < 0 {
                        -l
                    } else if s == 0 {
                        l + 100.0
                    } else {
                        l * 2.0
                    };
                    if s > 5 {
                        v += 0.5;
                    }
                    v *= if s % 2 == 0 { 10.0 } else { 1.0 };
                    if flip {
                        -v
                    } else {
                        v
                    }
                })
            })
            .collect();
        assert_exact(&format!("FLIP={flip}"), &out, &want);
    }
}
