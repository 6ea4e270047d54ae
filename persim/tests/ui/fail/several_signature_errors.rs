#[persim::kernel]
fn k(x: &[f32], #[constexpr] S: f64, n: usize) {}

fn uses_args() {
    // Parameters that parsed still get their `Args` field.
    let _ = |a: k::Args| a;
}

fn main() {}
