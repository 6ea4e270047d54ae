//! Gated activations (SwiGLU and GeGLU) from a device function and a custom
//! op, against plain Rust:
//!
//! - `activations::silu` is a `#[persim::func]` device function built from
//!   the `exp` primitive, called through its module path and inlined;
//! - `gelu_tanh` is a `#[persim::custom_op]`: a hand-written scalar
//!   activation whose Rust body is the host reference (the JIT calls it per
//!   element; a kernel library would link `persim_gelu_tanh_f32`), and which
//!   plain Rust calls too — here, to compute the expected output.

use crate::check::{compare, random_vec, Report, Tolerance};
use persim::{Engine, LaunchError};

pub mod activations {
    /// `x * sigmoid(x)`.
    #[persim::func]
    pub fn silu(x: Tile<f32>) -> Tile<f32> {
        x / (1.0 + exp(-x))
    }

    /// `act * up`, for any element type.
    #[persim::func]
    pub fn gate<T>(act: Tile<T>, up: Tile<T>) -> Tile<T> {
        act * up
    }
}

/// GELU with the tanh approximation, as GPT-2 uses it.
#[persim::custom_op(symbol = "persim_gelu_tanh_f32")]
pub fn gelu_tanh(x: f32) -> f32 {
    const SQRT_2_OVER_PI: f32 = 0.797_884_6;
    0.5 * x * (1.0 + (SQRT_2_OVER_PI * (x + 0.044_715 * x * x * x)).tanh())
}

/// `out = act(gate) * up` with `act` SiLU (`GELU == false`) or GELU.
#[persim::kernel]
pub fn glu(
    gate: *const f32,
    up: *const f32,
    out: *mut f32,
    n: i32,
    #[constexpr] GELU: bool,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let g = load(gate + offs, mask, 0.0);
    let u = load(up + offs, mask, 0.0);
    let act = if GELU {
        gelu_tanh(g)
    } else {
        activations::silu(g)
    };
    store(out + offs, activations::gate(act, u), mask);
}

pub const SIZES: &[usize] = &[1, 7, 1000, 1023, 1025, 4096];
pub const BLOCK: i32 = 512;

fn silu_ref(x: f32) -> f32 {
    x / (1.0 + (-x).exp())
}

pub fn run(engine: &Engine, n: usize, gelu: bool) -> Result<Report, LaunchError> {
    // Wider than [-1, 1) so both activations leave their linear region.
    let gate: Vec<f32> = random_vec(n, 7).iter().map(|x| 4.0 * x).collect();
    let up = random_vec(n, 8);
    let mut out = vec![0.0f32; n];
    let args = glu::Args {
        gate: &gate,
        up: &up,
        out: &mut out,
        n: n as i32,
        GELU: gelu,
        BLOCK,
    };
    glu::launch(engine, n.div_ceil(BLOCK as usize) as u32, args)?;
    let act = if gelu { gelu_tanh } else { silu_ref };
    let want: Vec<f32> = gate.iter().zip(&up).map(|(&g, &u)| act(g) * u).collect();
    let name = if gelu { "geglu" } else { "swiglu" };
    Ok(compare(
        name,
        format!("n={n}"),
        &out,
        &want,
        Tolerance::Elementwise(1e-5),
    ))
}

/// Both activations at every size of [`SIZES`].
pub fn run_all(engine: &Engine) -> Result<Vec<Report>, LaunchError> {
    let mut reports = Vec::new();
    for gelu in [false, true] {
        for &n in SIZES {
            reports.push(run(engine, n, gelu)?);
        }
    }
    Ok(reports)
}
