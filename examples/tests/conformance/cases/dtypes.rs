//! Every element type through load, arithmetic, comparison and store
//! (`every_dtype_round_trips` in `memory` only copies them): `x + y`,
//! `x * y`, `maximum(x, y)`, `where_(x < y, x, y)` and `x < y` per type,
//! and the logical operators of `bool` (`i1`).
//!
//! Integers wrap; `f16`/`bf16` are computed in `f32` and rounded once,
//! which for one `+` or `*` is exactly the correctly rounded result (`f32`
//! has more than twice their precision), as `half`'s operators compute it.

use persim::{bf16, f16, Engine};

use crate::support::{
    assert_exact, assert_same_floats, blocks, bools, f32s, uniform, BLOCK, SIZES,
};

macro_rules! op_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(x: *const $t, y: *const $t, out: *mut $t, lt: *mut bool, n: i32, #[constexpr] BLOCK: i32) {
            let offs = program_id(0) * BLOCK + arange(0, BLOCK);
            let m = offs < n;
            let a = load(x + offs, m);
            let b = load(y + offs, m);
            store(out + offs, a + b, m);
            store(out + n + offs, a * b, m);
            store(out + 2 * n + offs, maximum(a, b), m);
            store(out + 3 * n + offs, where_(a < b, a, b), m);
            store(lt + offs, a < b, m);
        }
    )*};
}

op_kernels! {
    ops_i8: i8; ops_i16: i16; ops_i32: i32; ops_i64: i64;
    ops_u8: u8; ops_u16: u16; ops_u32: u32; ops_u64: u64;
    ops_f16: f16; ops_bf16: bf16; ops_f32: f32; ops_f64: f64;
}

/// Runs `$kernel` on `x`, `y` and returns `(out, lt)`.
macro_rules! run_ops {
    ($engine:expr, $kernel:ident, $x:expr, $y:expr, $zero:expr) => {{
        let (x, y) = (&$x, &$y);
        let n = x.len();
        let mut out = vec![$zero; 4 * n];
        let mut lt = vec![false; n];
        let args = $kernel::Args {
            x,
            y,
            out: &mut out,
            lt: &mut lt,
            n: n as i32,
            BLOCK,
        };
        $kernel::launch($engine, blocks(n), args).unwrap();
        (out, lt)
    }};
}

/// Checks an integer type: wrapping `+ *`, `max`, `min` (via `where_`), `<`.
macro_rules! check_int {
    ($engine:expr, $kernel:ident, $t:ident, $n:expr) => {{
        let n = $n;
        let x = uniform(n, $t::MIN, $t::MAX, n as u64);
        let y = uniform(n, $t::MIN, $t::MAX, n as u64 + 1);
        let (out, lt) = run_ops!($engine, $kernel, x, y, 0 as $t);
        let mut want: Vec<$t> = (0..n).map(|i| x[i].wrapping_add(y[i])).collect();
        want.extend((0..n).map(|i| x[i].wrapping_mul(y[i])));
        want.extend((0..n).map(|i| x[i].max(y[i])));
        want.extend((0..n).map(|i| x[i].min(y[i])));
        assert_exact(concat!(stringify!($t), " ops"), &out, &want);
        let want: Vec<bool> = (0..n).map(|i| x[i] < y[i]).collect();
        assert_exact(concat!(stringify!($t), " <"), &lt, &want);
    }};
}

pub fn every_dtype_through_ops(engine: &Engine) {
    for &n in SIZES {
        check_int!(engine, ops_i8, i8, n);
        check_int!(engine, ops_i16, i16, n);
        check_int!(engine, ops_i32, i32, n);
        check_int!(engine, ops_i64, i64, n);
        check_int!(engine, ops_u8, u8, n);
        check_int!(engine, ops_u16, u16, n);
        check_int!(engine, ops_u32, u32, n);
        check_int!(engine, ops_u64, u64, n);

        let (x, y) = (f32s(n, 10), f32s(n, 11));
        let (out, lt) = run_ops!(engine, ops_f32, x, y, 0.0f32);
        check_floats("f32", &out, &lt, &x, &y, |a, b| a + b, |a, b| a * b);
        let (x, y) = (uniform(n, -1e150, 1e150, 12), uniform(n, -1e150, 1e150, 13));
        let (out, lt) = run_ops!(engine, ops_f64, x, y, 0.0f64);
        check_floats("f64", &out, &lt, &x, &y, |a, b| a + b, |a, b| a * b);
        let halves = |s| -> Vec<f16> {
            f32s(n, s)
                .iter()
                .map(|&v| f16::from_f32(v * 100.0))
                .collect()
        };
        let (x, y) = (halves(14), halves(15));
        let (out, lt) = run_ops!(engine, ops_f16, x, y, f16::ZERO);
        check_floats("f16", &out, &lt, &x, &y, |a, b| a + b, |a, b| a * b);
        let brains = |s| -> Vec<bf16> {
            f32s(n, s)
                .iter()
                .map(|&v| bf16::from_f32(v * 1e15))
                .collect()
        };
        let (x, y) = (brains(16), brains(17));
        let (out, lt) = run_ops!(engine, ops_bf16, x, y, bf16::ZERO);
        check_floats("bf16", &out, &lt, &x, &y, |a, b| a + b, |a, b| a * b);
    }
}

/// The float checks: `+` and `*` correctly rounded (bit for bit), `maximum`,
/// `where_`-minimum and `<`.
fn check_floats<T: Copy + PartialOrd + Into<f64> + std::fmt::Debug>(
    what: &str,
    out: &[T],
    lt: &[bool],
    x: &[T],
    y: &[T],
    add: impl Fn(T, T) -> T,
    mul: impl Fn(T, T) -> T,
) {
    let n = x.len();
    let pick = |i: usize, first: bool| if first { x[i] } else { y[i] };
    let mut want: Vec<T> = (0..n).map(|i| add(x[i], y[i])).collect();
    want.extend((0..n).map(|i| mul(x[i], y[i])));
    want.extend((0..n).map(|i| pick(i, x[i] >= y[i])));
    want.extend((0..n).map(|i| pick(i, x[i] < y[i])));
    assert_same_floats(&format!("{what} ops n={n}"), &out[..2 * n], &want[..2 * n]);
    // No signed zeros or NaN in the data, so max/min are unambiguous.
    assert_same_floats(
        &format!("{what} max/min n={n}"),
        &out[2 * n..],
        &want[2 * n..],
    );
    let want: Vec<bool> = (0..n).map(|i| x[i] < y[i]).collect();
    assert_exact(&format!("{what} < n={n}"), lt, &want);
}

/// `bool` (`i1`) tiles: `& | ^ !`, `==`, and `where_` choosing by one.
#[persim::kernel]
fn bool_ops(x: *const bool, y: *const bool, out: *mut bool, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let a = load(x + offs, m);
    let b = load(y + offs, m);
    store(out + offs, a & b, m);
    store(out + n + offs, a | b, m);
    store(out + 2 * n + offs, a ^ b, m);
    store(out + 3 * n + offs, !a, m);
    store(out + 4 * n + offs, a == b, m);
    store(out + 5 * n + offs, where_(a, b, !b), m);
}

pub fn bool_through_ops(engine: &Engine) {
    for &n in SIZES {
        let (x, y) = (bools(n, 20), bools(n, 21));
        let mut out = vec![false; 6 * n];
        let args = bool_ops::Args {
            x: &x,
            y: &y,
            out: &mut out,
            n: n as i32,
            BLOCK,
        };
        bool_ops::launch(engine, blocks(n), args).unwrap();
        let ops: [fn(bool, bool) -> bool; 6] = [
            |a, b| a & b,
            |a, b| a | b,
            |a, b| a ^ b,
            |a, _| !a,
            |a, b| a == b,
            |a, b| if a { b } else { !b },
        ];
        let want: Vec<bool> = ops
            .iter()
            .flat_map(|op| (0..n).map(|i| op(x[i], y[i])).collect::<Vec<_>>())
            .collect();
        assert_exact(&format!("bool ops n={n}"), &out, &want);
    }
}
