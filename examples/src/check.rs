//! Comparing kernel output with a reference, and reporting it.

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

/// Seeded random data in `[-1, 1)`, reproducible across runs.
pub fn random_vec(n: usize, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n).map(|_| rng.gen_range(-1.0f32..1.0)).collect()
}

/// Compare and build a report. Length mismatch or non-finite output counts as
/// an infinite error.
pub fn compare(
    kernel: &'static str,
    size: String,
    got: &[f32],
    want: &[f32],
    tolerance: Tolerance,
) -> Report {
    let error = if got.len() != want.len() {
        f64::INFINITY
    } else {
        match tolerance {
            Tolerance::Elementwise(_) => got
                .iter()
                .zip(want)
                .map(|(&g, &w)| relative(g as f64, w as f64))
                .fold(0.0, f64::max),
            Tolerance::Normwise(_) => {
                let scale = want.iter().map(|w| w.abs() as f64).fold(0.0, f64::max);
                let worst = got
                    .iter()
                    .zip(want)
                    .map(|(&g, &w)| abs_diff(g as f64, w as f64))
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
            "{:<12} {:<28} max error {:>10.3e} (tolerance {:.0e})  {}",
            r.kernel,
            r.size,
            r.error,
            r.tolerance,
            if r.passed() { "ok" } else { "MISMATCH" }
        );
    }
    reports.iter().all(Report::passed)
}
