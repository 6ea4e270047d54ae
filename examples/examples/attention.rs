//! Fused attention forward (flash attention) on the Cranelift JIT: causal and
//! non-causal, head dims 64 and 128, odd sequence lengths, checked against Rust.
//! Run: `cargo run --release -p persim-examples --example attention`

fn main() {
    persim_examples::run_example(persim_examples::attention::run_all);
}
