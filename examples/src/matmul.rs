//! Matmul (Triton tutorial 03) against a plain-Rust triple loop accumulating
//! in f64: f32 and f16 inputs, grouped program ordering, M/N/K that are not
//! multiples of the blocks, row-major and column-major `b`, and the fused
//! leaky-ReLU epilogue.

use crate::check::{compare, random_f16, random_vec, tol, Report};
use persim::{autotune::Config, config, f16, Arg, Autotuner, Engine, LaunchError};
use persim_kernels::matmul::{matmul, matmul_f16};

/// (M, N, K) shapes: odd, smaller than a block, and not multiples of it.
pub const SHAPES: &[(usize, usize, usize)] = &[
    (1, 1, 1),
    (7, 7, 7),
    (1, 1000, 7),
    (33, 65, 17),
    (127, 129, 1023),
    (1023, 1025, 1000),
];

/// One launch configuration: the constexprs of the kernel.
#[derive(Clone, Copy, Debug)]
pub struct Blocks {
    pub m: i32,
    pub n: i32,
    pub k: i32,
    /// Rows of tiles walked together by consecutive programs.
    pub group_m: i32,
}

pub const BLOCKS: Blocks = Blocks {
    m: 32,
    n: 32,
    k: 32,
    group_m: 8,
};

/// What a run varies besides the shape.
#[derive(Clone, Copy, Debug)]
pub struct Variant {
    /// `b` stored column-major (`stride_bk = 1`), as `x @ w.T` reads `w`.
    pub b_col_major: bool,
    pub leaky_relu: bool,
}

pub const PLAIN: Variant = Variant {
    b_col_major: false,
    leaky_relu: false,
};

/// The 1-D grid: one program per output tile.
pub fn grid(m: usize, n: usize, blocks: Blocks) -> u32 {
    (m.div_ceil(blocks.m as usize) * n.div_ceil(blocks.n as usize)) as u32
}

/// `leaky_relu(a @ b)` (or `a @ b`) in f64; `a` is `m x k` row-major, `b` is
/// `k x n` with element `(p, j)` at `p * sbk + j * sbn`.
pub fn reference(
    a: &[f64],
    b: &[f64],
    (m, n, k): (usize, usize, usize),
    (sbk, sbn): (usize, usize),
    leaky_relu: bool,
) -> Vec<f64> {
    let mut c = vec![0.0f64; m * n];
    for i in 0..m {
        let row = &mut c[i * n..(i + 1) * n];
        for p in 0..k {
            let av = a[i * k + p];
            for (j, r) in row.iter_mut().enumerate() {
                *r += av * b[p * sbk + j * sbn];
            }
        }
        if leaky_relu {
            for r in row.iter_mut() {
                *r = if *r >= 0.0 { *r } else { 0.01 * *r };
            }
        }
    }
    c
}

/// Strides of `b` (`stride_bk`, `stride_bn`) for its layout.
fn b_strides(n: usize, k: usize, col_major: bool) -> (usize, usize) {
    if col_major {
        (1, k)
    } else {
        (n, 1)
    }
}

fn describe(dtype: &str, (m, n, k): (usize, usize, usize), blocks: Blocks, v: Variant) -> String {
    let mut s = format!(
        "{dtype} M={m} N={n} K={k} {}x{}x{} G{}",
        blocks.m, blocks.n, blocks.k, blocks.group_m
    );
    if v.b_col_major {
        s.push_str(" bT");
    }
    if v.leaky_relu {
        s.push_str(" relu");
    }
    s
}

/// f32 inputs and output.
pub fn run_f32(
    engine: &Engine,
    shape: (usize, usize, usize),
    blocks: Blocks,
    variant: Variant,
) -> Result<Report, LaunchError> {
    let (m, n, k) = shape;
    let a = random_vec(m * k, 4);
    let b = random_vec(k * n, 5);
    let (sbk, sbn) = b_strides(n, k, variant.b_col_major);
    let mut c = vec![0.0f32; m * n];
    matmul::launch(
        engine,
        grid(m, n, blocks),
        matmul::Args {
            a: &a,
            b: &b,
            c: &mut c,
            m: m as i32,
            n: n as i32,
            k: k as i32,
            stride_am: k as i32,
            stride_ak: 1,
            stride_bk: sbk as i32,
            stride_bn: sbn as i32,
            stride_cm: n as i32,
            stride_cn: 1,
            BLOCK_M: blocks.m,
            BLOCK_N: blocks.n,
            BLOCK_K: blocks.k,
            GROUP_M: blocks.group_m,
            LEAKY_RELU: variant.leaky_relu,
        },
    )?;
    let wide = |v: &[f32]| v.iter().map(|&x| x as f64).collect::<Vec<_>>();
    let want = reference(&wide(&a), &wide(&b), shape, (sbk, sbn), variant.leaky_relu);
    Ok(compare(
        "matmul",
        describe("f32", shape, blocks, variant),
        &c,
        &want,
        tol::F32_REDUCTION,
    ))
}

/// f16 inputs, f32 accumulation, f16 output.
pub fn run_f16(
    engine: &Engine,
    shape: (usize, usize, usize),
    blocks: Blocks,
    variant: Variant,
) -> Result<Report, LaunchError> {
    let (m, n, k) = shape;
    let a = random_f16(m * k, 6);
    let b = random_f16(k * n, 7);
    let (sbk, sbn) = b_strides(n, k, variant.b_col_major);
    let mut c = vec![f16::ZERO; m * n];
    matmul_f16::launch(
        engine,
        grid(m, n, blocks),
        matmul_f16::Args {
            a: &a,
            b: &b,
            c: &mut c,
            m: m as i32,
            n: n as i32,
            k: k as i32,
            stride_am: k as i32,
            stride_ak: 1,
            stride_bk: sbk as i32,
            stride_bn: sbn as i32,
            stride_cm: n as i32,
            stride_cn: 1,
            BLOCK_M: blocks.m,
            BLOCK_N: blocks.n,
            BLOCK_K: blocks.k,
            GROUP_M: blocks.group_m,
            LEAKY_RELU: variant.leaky_relu,
        },
    )?;
    let wide = |v: &[f16]| v.iter().map(|&x| f64::from(x)).collect::<Vec<_>>();
    let want = reference(&wide(&a), &wide(&b), shape, (sbk, sbn), variant.leaky_relu);
    Ok(compare(
        "matmul",
        describe("f16", shape, blocks, variant),
        &c,
        &want,
        tol::F16_OUTPUT,
    ))
}

/// The candidates of the autotuned f32 matmul, as Triton's tutorial
/// decorates its kernel with `@triton.autotune(configs=[..], key=['M', 'N',
/// 'K'])`. Blocks that suit the JIT's 4-lane vectors and caches.
pub fn tuner() -> Autotuner {
    Autotuner::new(&matmul::KERNEL)
        .configs(vec![
            config! { BLOCK_M: 32, BLOCK_N: 32, BLOCK_K: 32, GROUP_M: 8 },
            config! { BLOCK_M: 64, BLOCK_N: 64, BLOCK_K: 32, GROUP_M: 8 },
            config! { BLOCK_M: 32, BLOCK_N: 64, BLOCK_K: 64, GROUP_M: 4 },
            config! { BLOCK_M: 16, BLOCK_N: 128, BLOCK_K: 16, GROUP_M: 8 },
        ])
        .key(&["m", "n", "k"])
}

/// f32 matmul launched through `tuner`: the grid follows the chosen
/// blocks (Triton's `grid = lambda META: ...`). The report names the choice.
pub fn run_tuned(
    engine: &Engine,
    tuner: &Autotuner,
    (m, n, k): (usize, usize, usize),
) -> Result<Report, LaunchError> {
    let a = random_vec(m * k, 8);
    let b = random_vec(k * n, 9);
    let mut c = vec![0.0f32; m * n];
    let grid = |cfg: &Config| {
        (m.div_ceil(cfg["BLOCK_M"] as usize) * n.div_ceil(cfg["BLOCK_N"] as usize)) as u32
    };
    let dims = [m, n, k].map(|d| d as i32);
    let mut args = [
        Arg::from(&a),
        Arg::from(&b),
        Arg::from(&mut c),
        Arg::from(dims[0]),
        Arg::from(dims[1]),
        Arg::from(dims[2]),
        Arg::from(dims[2]),
        Arg::from(1i32),
        Arg::from(dims[1]),
        Arg::from(1i32),
        Arg::from(dims[1]),
        Arg::from(1i32),
    ];
    tuner.launch(engine, grid, &[("LEAKY_RELU", 0)], &mut args)?;
    let choice = tuner
        .choice(engine, &args)
        .map_or_else(|| "?".to_string(), |c| c.to_string());
    let wide = |v: &[f32]| v.iter().map(|&x| x as f64).collect::<Vec<_>>();
    let want = reference(&wide(&a), &wide(&b), (m, n, k), (n, 1), false);
    Ok(compare(
        "matmul tuned",
        format!("f32 M={m} N={n} K={k} {choice}"),
        &c,
        &want,
        tol::F32_REDUCTION,
    ))
}

/// Every shape of [`SHAPES`] in f32 and f16, plus the column-major and
/// leaky-ReLU variants and a configuration where `GROUP_M` exceeds the
/// number of tile rows.
pub fn run_all(engine: &Engine) -> Result<Vec<Report>, LaunchError> {
    let mut reports = Vec::new();
    for &shape in SHAPES {
        reports.push(run_f32(engine, shape, BLOCKS, PLAIN)?);
        reports.push(run_f16(engine, shape, BLOCKS, PLAIN)?);
    }
    let transposed = Variant {
        b_col_major: true,
        leaky_relu: true,
    };
    let small = Blocks {
        m: 16,
        n: 8,
        k: 4,
        group_m: 3,
    };
    reports.push(run_f32(engine, (127, 129, 255), BLOCKS, transposed)?);
    reports.push(run_f16(engine, (127, 129, 255), BLOCKS, transposed)?);
    reports.push(run_f32(engine, (19, 23, 41), small, PLAIN)?);
    reports.push(run_f16(engine, (19, 23, 41), small, transposed)?);
    // Tunes on the first run of a machine (see `persim::autotune` for the
    // cache directory), then reuses the stored choice.
    reports.push(run_tuned(engine, &tuner(), (511, 513, 257))?);
    Ok(reports)
}
