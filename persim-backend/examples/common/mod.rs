//! Helpers of the spatial examples (and, `#[path]`-included, of
//! `tests/sim_graph_launch.rs`).

// Each example and test uses a subset.
#![allow(dead_code)]

pub mod graphs;
pub mod kernels;

use persim_lang::front;
use persim_lang::ir::Function;

/// Builds a kernel from its source text with `consts`.
pub fn build(src: &str, consts: &[(&str, i64)]) -> Function {
    let item: syn::ItemFn = syn::parse_str(src).expect("example kernel parses");
    let locate = |s: proc_macro2::Span| Some((s.start().line as u32, s.start().column as u32 + 1));
    front::build(&item, consts, &locate, "example.rs").expect("example kernel builds")
}

/// `n` deterministic values in [-0.5, 0.5).
pub fn data(n: usize, seed: u32) -> Vec<f32> {
    (0..n)
        .map(|i| {
            ((i as u32).wrapping_mul(2654435761).wrapping_add(seed) >> 8) as f32
                / (1u32 << 24) as f32
                - 0.5
        })
        .collect()
}
