//! Matmul (grouped ordering; f32 and f16 inputs) on the Cranelift JIT with
//! odd M, N, K, checked against Rust.
//! Run: `cargo run --release -p persim-examples --example matmul`

fn main() {
    persim_examples::run_example(persim_examples::matmul::run_all);
}
