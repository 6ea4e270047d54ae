//! The main job: compile the kernel library's kernels with the Cranelift JIT,
//! run them at awkward sizes and check every result against plain Rust.
//! Run: `cargo run --release -p persim-examples`

use persim_examples::{custom_activation, matmul, softmax, vector_add};

fn main() {
    persim_examples::run_example(|engine| {
        let mut reports = vector_add::run_all(engine)?;
        reports.extend(softmax::run_all(engine)?);
        reports.extend(matmul::run_all(engine)?);
        reports.extend(custom_activation::run_all(engine)?);
        println!("{} checks on the Cranelift JIT", reports.len());
        Ok(reports)
    });
}
