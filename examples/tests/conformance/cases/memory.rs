//! Global memory: masked `load` (with and without `other`) and `store`,
//! scalar accesses, 2-D strided tiles, and a load/store round trip of every
//! element type.

use persim::{bf16, f16, Engine};

use crate::support::{assert_exact, blocks, bools, f32s, uniform, BLOCK, SIZES};

/// Every lane of every block is stored: lanes past `n` must hold `other`.
#[persim::kernel]
fn load_other(x: *const f32, out: *mut f32, n: i32, other: f32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    store(out + offs, load(x + offs, offs < n, other));
}

pub fn masked_load_with_other(engine: &Engine) {
    for &n in SIZES {
        let x = f32s(n, 2);
        let grid = blocks(n);
        let mut out = vec![0.0f32; grid as usize * BLOCK as usize];
        let args = load_other::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
            other: -4.25,
            BLOCK,
        };
        load_other::launch(engine, grid, args).unwrap();
        let mut want = x.clone();
        want.resize(out.len(), -4.25);
        assert_exact(&format!("n={n}"), &out, &want);
    }
}

/// A `R x C` window at (`r0`, `c0`) of a row-major `rows x cols` matrix,
/// transposed on the way (`out[j, i] = x[r0 + i, c0 + j]`), zero outside.
#[persim::kernel]
fn window_t(
    x: *const i32,
    out: *mut i32,
    rows: i32,
    cols: i32,
    r0: i32,
    c0: i32,
    #[constexpr] R: i32,
    #[constexpr] C: i32,
) {
    let r = r0 + arange(0, R).expand_dims(1);
    let c = c0 + arange(0, C).expand_dims(0);
    let v = load(x + r * cols + c, (r < rows) & (c < cols), 0);
    let o = arange(0, C).expand_dims(0) * R + arange(0, R).expand_dims(1);
    store(out + o, v);
}

pub fn masked_load_2d(engine: &Engine) {
    let (rows, cols) = (9usize, 1023usize);
    let x = uniform(rows * cols, -1000, 1000, 3);
    for (r0, c0, r, c) in [
        (0, 0, 7, 13),
        (5, 1000, 7, 31),
        (8, 1022, 1, 1),
        (0, 0, 16, 1025),
    ] {
        let mut out = vec![i32::MIN; r * c];
        let args = window_t::Args {
            x: &x,
            out: &mut out,
            rows: rows as i32,
            cols: cols as i32,
            r0: r0 as i32,
            c0: c0 as i32,
            R: r as i32,
            C: c as i32,
        };
        window_t::launch(engine, 1u32, args).unwrap();
        let mut want = vec![0; r * c];
        for i in 0..r {
            for j in 0..c {
                let (gi, gj) = (r0 + i, c0 + j);
                if gi < rows && gj < cols {
                    want[j * r + i] = x[gi * cols + gj];
                }
            }
        }
        assert_exact(&format!("window {r}x{c} at ({r0}, {c0})"), &out, &want);
    }
}

/// Stores through a data-dependent mask: masked-off lanes keep their value.
#[persim::kernel]
fn store_where(x: *const f32, keep: *const bool, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let in_bounds = offs < n;
    let k = load(keep + offs, in_bounds, false);
    store(out + offs, load(x + offs, in_bounds), in_bounds & k);
}

pub fn masked_store(engine: &Engine) {
    for &n in SIZES {
        let x = f32s(n, 4);
        let keep = bools(n, 5);
        let mut out = vec![99.0f32; n];
        let args = store_where::Args {
            x: &x,
            keep: &keep,
            out: &mut out,
            n: n as i32,
            BLOCK,
        };
        store_where::launch(engine, blocks(n), args).unwrap();
        let want: Vec<f32> = (0..n).map(|i| if keep[i] { x[i] } else { 99.0 }).collect();
        assert_exact(&format!("n={n}"), &out, &want);
    }
}

/// Scalar pointers: each program reads `x[i]` and writes `out[n - 1 - i]`.
#[persim::kernel]
fn reverse(x: *const i64, out: *mut i64, n: i32) {
    let i = program_id(0);
    store(out + (n - 1 - i), load(x + i) * 3);
}

pub fn scalar_load_store(engine: &Engine) {
    for n in [1usize, 7, 1000] {
        let x = uniform(n, i64::MIN / 4, i64::MAX / 4, 6);
        let mut out = vec![0i64; n];
        let args = reverse::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
        };
        reverse::launch(engine, n as u32, args).unwrap();
        let want: Vec<i64> = x.iter().rev().map(|v| v * 3).collect();
        assert_exact(&format!("n={n}"), &out, &want);
    }
}

/// A masked copy kernel per element type.
macro_rules! copy_kernels {
    ($($name:ident: $t:ident;)*) => {$(
        #[persim::kernel]
        fn $name(x: *const $t, out: *mut $t, n: i32, #[constexpr] BLOCK: i32) {
            let offs = program_id(0) * BLOCK + arange(0, BLOCK);
            store(out + offs, load(x + offs, offs < n), offs < n);
        }
    )*};
}

copy_kernels! {
    copy_i8: i8; copy_i16: i16; copy_i32: i32; copy_i64: i64;
    copy_u8: u8; copy_u16: u16; copy_u32: u32; copy_u64: u64;
    copy_f16: f16; copy_bf16: bf16; copy_f32: f32; copy_f64: f64; copy_bool: bool;
}

/// Runs `$kernel` on `x` and checks the output equals `x`.
macro_rules! round_trip {
    ($engine:expr, $kernel:ident, $x:expr, $fill:expr) => {{
        let x = $x;
        let n = x.len();
        let mut out = vec![$fill; n];
        let args = $kernel::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
            BLOCK,
        };
        $kernel::launch($engine, blocks(n), args).unwrap();
        assert_exact(stringify!($kernel), &out, &x);
    }};
}

pub fn every_dtype_round_trips(engine: &Engine) {
    for &n in SIZES {
        let seed = n as u64;
        round_trip!(engine, copy_i8, uniform(n, i8::MIN, i8::MAX, seed), 0);
        round_trip!(engine, copy_i16, uniform(n, i16::MIN, i16::MAX, seed), 0);
        round_trip!(engine, copy_i32, uniform(n, i32::MIN, i32::MAX, seed), 0);
        round_trip!(engine, copy_i64, uniform(n, i64::MIN, i64::MAX, seed), 0);
        round_trip!(engine, copy_u8, uniform(n, 0, u8::MAX, seed), 0);
        round_trip!(engine, copy_u16, uniform(n, 0, u16::MAX, seed), 0);
        round_trip!(engine, copy_u32, uniform(n, 0, u32::MAX, seed), 0);
        round_trip!(engine, copy_u64, uniform(n, 0, u64::MAX, seed), 0);
        let halves: Vec<f16> = f32s(n, seed)
            .iter()
            .map(|&v| f16::from_f32(v * 100.0))
            .collect();
        round_trip!(engine, copy_f16, halves, f16::ZERO);
        let brains: Vec<bf16> = f32s(n, seed)
            .iter()
            .map(|&v| bf16::from_f32(v * 1e30))
            .collect();
        round_trip!(engine, copy_bf16, brains, bf16::ZERO);
        round_trip!(engine, copy_f32, f32s(n, seed), 0.0);
        round_trip!(engine, copy_f64, uniform(n, -1e300, 1e300, seed), 0.0);
        round_trip!(engine, copy_bool, bools(n, seed), false);
    }
}
