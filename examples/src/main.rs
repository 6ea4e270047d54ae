//! The main job: compile the kernel library's kernels (the five Triton
//! tutorials) with the Cranelift JIT, run them at awkward sizes and check
//! every result against plain Rust.
//! Run: `cargo run --release -p persim-examples`

use persim_examples::{attention, custom_activation, layer_norm, matmul, softmax, vector_add};

fn main() {
    persim_examples::run_example(|engine| {
        let mut reports = vector_add::run_all(engine)?;
        reports.extend(softmax::run_all(engine)?);
        reports.extend(matmul::run_all(engine)?);
        reports.extend(layer_norm::run_all(engine)?);
        reports.extend(attention::run_all(engine)?);
        reports.extend(custom_activation::run_all(engine)?);
        println!("{} checks on the Cranelift JIT", reports.len());
        Ok(reports)
    });
}
