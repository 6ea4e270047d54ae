//! Layer norm forward and backward (two-stage dw/db reduction) on the
//! Cranelift JIT at awkward sizes, checked against Rust.
//! Run: `cargo run --release -p persim-examples --example layer_norm`

fn main() {
    persim_examples::run_example(persim_examples::layer_norm::run_all);
}
