//! persim: Triton-style tile kernels in Rust.
//!
//! A kernel is a Rust function under `#[persim::kernel]`. The macro checks it
//! at `cargo build` (errors point at the offending token) and turns it into a
//! module holding the kernel's recorded source, a typed `Args` struct, a
//! `launch` function and an `ir` function that shows the specialized IR.
//!
//! ```no_run
//! use persim::prelude::*;
//!
//! #[persim::kernel]
//! pub fn add(x: *const f32, y: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
//!     let offs = program_id(0) * BLOCK + arange(0, BLOCK);
//!     let mask = offs < n;
//!     store(out + offs, load(x + offs, mask) + load(y + offs, mask), mask);
//! }
//!
//! let (x, y) = (vec![1.0f32; 1000], vec![2.0f32; 1000]);
//! let mut out = vec![0.0f32; 1000];
//! let engine = Engine::jit();
//! add::launch(&engine, 1000u32.div_ceil(256), add::Args { x: &x, y: &y, out: &mut out, n: 1000, BLOCK: 256 })?;
//! println!("{}", add::ir(&[("BLOCK", 256)])?.name);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Kernels call *device functions* (`#[persim::func]`, inlined) and
//! *custom ops* (`#[persim::custom_op]`, an external elementwise op with a
//! host reference implementation) by their Rust paths:
//!
//! ```no_run
//! #[persim::func]
//! fn silu(x: Tile<f32>) -> Tile<f32> {
//!     x / (1.0 + exp(-x))
//! }
//!
//! #[persim::custom_op(symbol = "mylib_softplus_f32")]
//! fn softplus(x: f32) -> f32 {
//!     x.exp().ln_1p()
//! }
//!
//! #[persim::kernel]
//! fn act(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
//!     let offs = program_id(0) * BLOCK + arange(0, BLOCK);
//!     let mask = offs < n;
//!     let v = load(x + offs, mask);
//!     store(out + offs, silu(v) + softplus(v), mask);
//! }
//! # fn main() {}
//! ```
//!
//! The language is described in [`front`].

pub use half::{bf16, f16};
pub use persim_backend::llvm::{self, TargetSpec};
pub use persim_backend::spatial;
pub use persim_backend::{autotune, config, Autotuner};
pub use persim_backend::{Arg, Backend, Element, Engine, Grid, LaunchError};
pub use persim_lang::front::shadow::Tile;
pub use persim_lang::front::{Diagnostic, KernelSource, ParamKind, ParamSig};
pub use persim_lang::{front, ir, passes, target};
pub use persim_macros::{custom_op, func, kernel};

/// What a program launching kernels usually needs.
pub mod prelude {
    pub use crate::{bf16, f16, Arg, Diagnostic, Element, Engine, Grid, LaunchError};
}
