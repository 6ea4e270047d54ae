//! The specializations `cargo build -p persim-kernels` compiles ahead of
//! time with the LLVM backend: one C entry point (and one safe Rust
//! wrapper in [`crate::aot`]) per line. Shared by the build script (which
//! `#[path]`-includes this file and the kernel files) and the library.
//!
//! To add one: a line here; the build script, the C header and the Rust
//! wrappers follow.

use persim::KernelSource;

/// One kernel specialized with fixed constexpr values.
#[derive(Debug)]
pub struct AotSpec {
    /// The C symbol of the grid entry point; the Rust wrapper is named
    /// after it without the `persim_` prefix.
    pub symbol: &'static str,
    pub kernel: &'static KernelSource,
    pub consts: &'static [(&'static str, i64)],
}

/// Every kernel of the library, with the constexprs its examples use.
pub static AOT_KERNELS: &[AotSpec] = &[
    AotSpec {
        symbol: "persim_vector_add_b1024",
        kernel: &crate::vector_add::vector_add::KERNEL,
        consts: &[("BLOCK", 1024)],
    },
    AotSpec {
        symbol: "persim_softmax_b1024",
        kernel: &crate::softmax::softmax::KERNEL,
        consts: &[("BLOCK", 1024)],
    },
    AotSpec {
        symbol: "persim_matmul_64x64x32",
        kernel: &crate::matmul::matmul::KERNEL,
        consts: &[
            ("BLOCK_M", 64),
            ("BLOCK_N", 64),
            ("BLOCK_K", 32),
            ("GROUP_M", 8),
            ("LEAKY_RELU", 0),
        ],
    },
    AotSpec {
        symbol: "persim_matmul_f16_64x64x32",
        kernel: &crate::matmul::matmul_f16::KERNEL,
        consts: &[
            ("BLOCK_M", 64),
            ("BLOCK_N", 64),
            ("BLOCK_K", 32),
            ("GROUP_M", 8),
            ("LEAKY_RELU", 0),
        ],
    },
    AotSpec {
        symbol: "persim_layer_norm_fwd_b1024",
        kernel: &crate::layer_norm::layer_norm_fwd::KERNEL,
        consts: &[("BLOCK", 1024)],
    },
    AotSpec {
        symbol: "persim_layer_norm_bwd_dx_b1024",
        kernel: &crate::layer_norm::layer_norm_bwd_dx::KERNEL,
        consts: &[("BLOCK_N", 1024)],
    },
    AotSpec {
        symbol: "persim_layer_norm_bwd_dwdb_32x128",
        kernel: &crate::layer_norm::layer_norm_bwd_dwdb::KERNEL,
        consts: &[("BLOCK_M", 32), ("BLOCK_N", 128)],
    },
    AotSpec {
        symbol: "persim_attention_fwd_d64",
        kernel: &crate::attention::attention_fwd::KERNEL,
        consts: &[
            ("HEAD_DIM", 64),
            ("BLOCK_M", 32),
            ("BLOCK_N", 32),
            ("CAUSAL", 0),
        ],
    },
    AotSpec {
        symbol: "persim_attention_fwd_f16_d64",
        kernel: &crate::attention::attention_fwd_f16::KERNEL,
        consts: &[
            ("HEAD_DIM", 64),
            ("BLOCK_M", 32),
            ("BLOCK_N", 32),
            ("CAUSAL", 0),
        ],
    },
];
