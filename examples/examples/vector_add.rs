//! Vector add on the Cranelift JIT at awkward sizes, checked against Rust.
//! Run: `cargo run --release -p persim-examples --example vector_add`

fn main() {
    persim_examples::run_example(persim_examples::vector_add::run_all);
}
