//! Fused softmax on the Cranelift JIT at awkward row widths, checked against Rust.
//! Run: `cargo run --release -p persim-examples --example softmax`

fn main() {
    persim_examples::run_example(persim_examples::softmax::run_all);
}
