//! SwiGLU and GeGLU from a `#[persim::func]` device function and a
//! `#[persim::custom_op]` on the Cranelift JIT, checked against Rust.
//! Run: `cargo run --release -p persim-examples --example custom_activation`

use persim_examples::custom_activation::glu;

fn main() {
    // What the frontend builds before inlining: the kernel, then one
    // specialization per device function and argument types.
    match glu::module(&[("GELU", 0), ("BLOCK", 512)]) {
        Ok(m) => {
            let names: Vec<&str> = m.funcs.iter().map(|f| f.name.as_str()).collect();
            println!("module: {}", names.join(", "));
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
    persim_examples::run_example(persim_examples::custom_activation::run_all);
}
