//! Comparing kernel output with a reference, and reporting it.

use persim::f16;
use rand::{rngs::StdRng, Rng, SeedableRng};

/// The outcome of one checked launch.
#[derive(Clone, Debug)]
pub struct Report {
    pub kernel: &'static str,
    /// Problem size, human-readable (`n=1023`, `M=7 N=9 K=13`).
    pub size: String,
    /// The error measure (see [`Tolerance`]).
    pub error: f64,
    pub tolerance: f64,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.error <= self.tolerance
    }
}

/// How output is compared with the reference.
#[derive(Clone, Copy, Debug)]
pub enum Tolerance {
    /// Largest per-element relative error `|got - want| / |want|` (absolute
    /// where `want` is zero).
    Elementwise(f64),
    /// Largest error relative to the largest reference magnitude: the
    /// usual measure for reductions such as matmul, whose elements may cancel
    /// to near zero.
    Normwise(f64),
}

/// The tolerances of every check, per output dtype, in one place. References
/// are computed in f64 (or exactly) from the very values the kernel reads,
/// so a tolerance only has to cover the kernel's own rounding:
///
/// | constant | output | measure | tolerance | why |
/// |---|---|---|---|---|
/// | `F32_ELEMENTWISE` | f32, one elementwise op (`+`, `exp`, `log`, ..) | elementwise | `1e-6` | f32 ulp is `2^-23 ≈ 1.2e-7`: eight ulps |
/// | `F32_NORMALIZED` | f32 divided by a reduction (softmax) | elementwise | `1e-5` | the reduction's error, relative to each element |
/// | `F32_REDUCTION` | f32 sums and dots of up to ~`10^4` terms | normwise | `1e-5` | rounding grows like `sqrt(terms)` ulps of the largest partial sum |
/// | `F64_TRANSCENDENTAL` | f64 `exp`, `log` | elementwise | `1e-14` | f64 ulp is `2^-52 ≈ 2.2e-16` |
/// | `F16_ELEMENTWISE` | f16 op computed in f32, rounded once | elementwise | `1e-3` | one f16 rounding costs `≤ 2^-11 ≈ 4.9e-4` |
/// | `F16_OUTPUT` | f16 from f32 accumulation (matmul) | normwise | `2e-3` | one final f16 rounding plus the f32 accumulation |
///
/// Exact operations (integers, comparisons, casts, IEEE `+ - * / sqrt` of
/// one op) are compared bit for bit, not with a tolerance.
pub mod tol {
    use super::Tolerance;

    pub const F32_ELEMENTWISE: Tolerance = Tolerance::Elementwise(1e-6);
    pub const F32_NORMALIZED: Tolerance = Tolerance::Elementwise(1e-5);
    pub const F32_REDUCTION: Tolerance = Tolerance::Normwise(1e-5);
    pub const F64_TRANSCENDENTAL: Tolerance = Tolerance::Elementwise(1e-14);
    pub const F16_ELEMENTWISE: Tolerance = Tolerance::Elementwise(1e-3);
    pub const F16_OUTPUT: Tolerance = Tolerance::Normwise(2e-3);
}

/// Seeded random data in `[-1, 1)`, reproducible across runs.
pub fn random_vec(n: usize, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n).map(|_| rng.gen_range(-1.0f32..1.0)).collect()
}

/// Seeded random data in `[-1, 1)` rounded to f16 (references then see
/// exactly the values the kernel sees).
pub fn random_f16(n: usize, seed: u64) -> Vec<f16> {
    random_vec(n, seed).into_iter().map(f16::from_f32).collect()
}

/// Compare and build a report. Length mismatch or non-finite output counts as
/// an infinite error. `got` and `want` may be any float type (`f16`, `f32`,
/// `f64` references).
pub fn compare<G, W>(
    kernel: &'static str,
    size: String,
    got: &[G],
    want: &[W],
    tolerance: Tolerance,
) -> Report
where
    G: Copy + Into<f64>,
    W: Copy + Into<f64>,
{
    let error = if got.len() != want.len() {
        f64::INFINITY
    } else {
        match tolerance {
            Tolerance::Elementwise(_) => got
                .iter()
                .zip(want)
                .map(|(&g, &w)| relative(g.into(), w.into()))
                .fold(0.0, f64::max),
            Tolerance::Normwise(_) => {
                let scale = want.iter().map(|&w| w.into().abs()).fold(0.0, f64::max);
                let worst = got
                    .iter()
                    .zip(want)
                    .map(|(&g, &w)| abs_diff(g.into(), w.into()))
                    .fold(0.0, f64::max);
                if scale > 0.0 {
                    worst / scale
                } else {
                    worst
                }
            }
        }
    };
    let tolerance = match tolerance {
        Tolerance::Elementwise(t) | Tolerance::Normwise(t) => t,
    };
    Report {
        kernel,
        size,
        error,
        tolerance,
    }
}

fn abs_diff(g: f64, w: f64) -> f64 {
    if g == w {
        0.0
    } else if g.is_nan() || w.is_nan() || g.is_infinite() || w.is_infinite() {
        f64::INFINITY
    } else {
        (g - w).abs()
    }
}

fn relative(g: f64, w: f64) -> f64 {
    let d = abs_diff(g, w);
    if w == 0.0 {
        d
    } else {
        d / w.abs()
    }
}

/// Print one line per report; returns whether all passed.
pub fn print_reports(reports: &[Report]) -> bool {
    for r in reports {
        println!(
            "{:<16} {:<34} max error {:>10.3e} (tolerance {:.0e})  {}",
            r.kernel,
            r.size,
            r.error,
            r.tolerance,
            if r.passed() { "ok" } else { "MISMATCH" }
        );
    }
    reports.iter().all(Report::passed)
}
