//! The conformance suite: every language primitive and every tutorial
//! kernel, written once as a function taking an [`Engine`], run on random
//! data at awkward sizes against plain-Rust references, and instantiated per
//! backend by [`conformance_suite!`].
//!
//! Layout: `cases/<family>.rs` holds the cases of one family of primitives
//! (each case is `pub fn name(engine: &Engine)` with its own small kernels);
//! [`for_each_case!`] lists them all; `conformance_suite!(backend, engine)`
//! turns the list into one `#[test]` per case in the module
//! `conformance::<backend>::<family>::<case>`. So
//!
//! - `cargo test -p persim-examples -- conformance` runs everything,
//! - `cargo test -- conformance::cranelift::dot` one family on one backend;
//! - a new backend is one line in [`conformance`]:
//!   `conformance_suite!(llvm, persim::Engine::llvm());`
//! - a new case is a function in its family's file plus its name in
//!   [`for_each_case!`]; a new family is a file under `cases/` plus a line.
//!
//! Tolerances are the per-dtype ones of `persim_examples::check::tol`.

use persim::Engine;

mod cases;
mod support;

/// Every case of the suite, by family (a module of `cases/`). Calls
/// `$callback!($($args)*; family { case, .. }, ..)`.
macro_rules! for_each_case {
    ($callback:ident!($($args:tt)*)) => {
        $callback!($($args)*;
            program { program_id_1d, program_id_2d, program_id_3d },
            creation { arange, zeros_and_zeros_like, full },
            memory {
                masked_load_with_other, masked_load_2d, masked_store,
                scalar_load_store, every_dtype_round_trips
            },
            block_ptr { advance_and_zero_padding, nan_padding_and_checked_store, one_axis_checked },
            atomics {
                atomic_add_int_and_float, atomic_max_min, atomic_xchg, atomic_cas,
                masked_atomics
            },
            dtypes { every_dtype_through_ops, bool_through_ops },
            operators {
                arith_f32, arith_f64_and_f16, arith_signed_ints, arith_unsigned_ints,
                bitwise_and_shifts, comparisons, logical_and_unary, broadcasting
            },
            promotion { mixed_dtypes, weak_literals },
            cast {
                float_to_float, int_to_float, float_to_int, int_to_int, to_bool,
                three_spellings
            },
            math {
                exp_log_sqrt_f32, exp_log_sqrt_f16_f64, abs, maximum_minimum,
                maximum_minimum_nan_and_zero, where_select, cdiv
            },
            math_more { unary_f32, unary_f16, unary_f64, fma, clamp, umulhi },
            shape { expand_dims, broadcast_to, reshape, trans_2d, trans_3d },
            shape_more { permute, cat, join_split, non_power_of_two_tiles },
            reduce {
                sum_max_min_1d, sum_max_min_2d_each_axis, reduce_3d_each_axis,
                sum_widens_narrow_ints
            },
            scan { argmax_argmin, cumsum_cumprod },
            reduce_scan_combine {
                reduce_with_combine, reduce_tuple_argmax_style, associative_scan_forward_reverse
            },
            dot { dot_f32_odd_shapes, dot_f16_accumulates_in_f32, dot_bf16, dot_int_with_acc },
            control { for_runtime_bounds, for_nested_and_constexpr, while_loop, if_else },
            hints_debug {
                static_range_unrolls, hints_change_nothing, device_assert, device_print
            },
            functions { device_function_and_custom_op },
            tutorials {
                vector_add, softmax, matmul_f32, matmul_f16, layer_norm_forward,
                layer_norm_backward, attention_non_causal, attention_causal
            },
        );
    };
}

/// The test module of one backend: one `#[test]` per case of
/// [`for_each_case!`], each on a fresh engine from `$engine`.
macro_rules! backend_tests {
    ($backend:ident, $engine:expr; $($family:ident { $($case:ident),* $(,)? }),* $(,)?) => {
        pub mod $backend {
            $(pub mod $family {
                $(
                    #[test]
                    fn $case() {
                        let engine: $crate::Engine = $engine;
                        $crate::cases::$family::$case(&engine);
                    }
                )*
            })*
        }
    };
}

/// `conformance_suite!(name, engine expression)`: the whole suite on one
/// backend, as the module `name`.
macro_rules! conformance_suite {
    ($backend:ident, $engine:expr) => {
        for_each_case!(backend_tests!($backend, $engine));
    };
}

/// The cases the spatial simulator runs (see `conformance` below for the
/// others). Calls `$callback!($($args)*; family { case, .. }, ..)`.
macro_rules! for_each_sim_case {
    ($callback:ident!($($args:tt)*)) => {
        $callback!($($args)*;
        program { program_id_1d, program_id_2d, program_id_3d },
        creation { arange, zeros_and_zeros_like, full },
        memory {
            masked_load_with_other, masked_load_2d, masked_store, scalar_load_store,
            every_dtype_round_trips
        },
        block_ptr { advance_and_zero_padding, nan_padding_and_checked_store },
        atomics { atomic_xchg, masked_atomics },
        dtypes { every_dtype_through_ops, bool_through_ops },
        operators {
            arith_f32, arith_f64_and_f16, arith_signed_ints, arith_unsigned_ints,
            bitwise_and_shifts, comparisons, logical_and_unary, broadcasting
        },
        promotion { mixed_dtypes, weak_literals },
        cast {
            float_to_float, int_to_float, float_to_int, int_to_int, to_bool, three_spellings
        },
        math {
            exp_log_sqrt_f32, exp_log_sqrt_f16_f64, abs, maximum_minimum,
            maximum_minimum_nan_and_zero, where_select, cdiv
        },
        math_more { unary_f32, unary_f16, unary_f64, fma, clamp, umulhi },
        shape { broadcast_to, reshape, trans_2d, trans_3d },
        shape_more { permute, cat, join_split, non_power_of_two_tiles },
        reduce {
            sum_max_min_1d, sum_max_min_2d_each_axis, reduce_3d_each_axis, sum_widens_narrow_ints
        },
        scan { argmax_argmin, cumsum_cumprod },
        reduce_scan_combine {
            reduce_with_combine, reduce_tuple_argmax_style, associative_scan_forward_reverse
        },
        dot { dot_f32_odd_shapes, dot_f16_accumulates_in_f32, dot_bf16, dot_int_with_acc },
        control { for_runtime_bounds, for_nested_and_constexpr, while_loop, if_else },
        hints_debug { static_range_unrolls, hints_change_nothing, device_assert, device_print },
        tutorials {
            vector_add, softmax, matmul_f32, matmul_f16, layer_norm_forward, layer_norm_backward,
            attention_causal, attention_non_causal
        },
        );
    };
}

/// The suite on every backend. `cranelift_checked` runs it again in checked
/// mode, where any access outside an argument's slice fails the launch: it
/// proves the kernels' masks, not just their results. `llvm` is the LLVM
/// JIT at the host's vector width (16 lanes with AVX-512), so the same
/// cases also exercise a second lowering width.
mod conformance {
    conformance_suite!(cranelift, persim::Engine::jit());
    conformance_suite!(cranelift_checked, persim::Engine::jit().checked(true));
    conformance_suite!(llvm, persim::Engine::llvm());

    // The spatial simulator runs every case but one: a custom op calls a
    // host function, which a PE cannot (refused at compile time, naming
    // the op and its location). 64-bit elements (`i64`, `u64`, `f64`) run
    // in the PEs' 64-bit vector lanes (`compile/isel/wide.rs`). The three
    // atomics cases on 64-bit counters run once, below: their contended
    // read-modify-write loops simulate for long and have no innermost
    // loops for the pipelined variants to change.
    for_each_sim_case!(backend_tests!(sim, persim::Engine::sim()));

    // The same cases with every innermost loop the modulo scheduler can
    // take software-pipelined, unrolled or not (by default it only takes
    // loops it estimates faster).
    for_each_sim_case!(backend_tests!(sim_modulo, crate::every_loop_pipelined(1)));
    for_each_sim_case!(backend_tests!(
        sim_modulo_unrolled,
        crate::every_loop_pipelined(8)
    ));

    // The cases whose tiles (`[3, 1025, 1]` pointers padded to a vector per
    // row; `[1024, 13]` `i64` pointers and values) need more than the
    // default PE's 256 KiB: the same compiler on a
    // machine with 4 MiB of SRAM per PE, on a 2×2 grid to keep the
    // simulation short. (Ten more cases were listed here; they fit the
    // default PE now and run above.)
    backend_tests!(sim_large_sram, persim::Engine::sim_on(crate::large_sram_machine());
        shape { expand_dims },
        block_ptr { one_axis_checked },
    );

    backend_tests!(sim_wide_atomics, persim::Engine::sim();
        atomics { atomic_add_int_and_float, atomic_max_min, atomic_cas },
    );
}

/// The default machine's simulator with innermost loops unrolled `unroll`
/// times and every loop the modulo scheduler can take pipelined.
fn every_loop_pipelined(unroll: u32) -> Engine {
    use persim::spatial::{LoopScheduling, SimEngine};
    Engine::sim_with(SimEngine::default().with_loop_scheduling(LoopScheduling {
        unroll,
        modulo_max_cost_percent: Some(100_000),
        modulo_max_stages: 16,
    }))
}

/// The default machine with 4 MiB of SRAM per PE and a 2×2 grid.
fn large_sram_machine() -> persim::spatial::Machine {
    persim::spatial::Machine::from_toml("[grid]\ncols = 2\nrows = 2\n[pe]\nsram_bytes = 4194304\n")
        .expect("a valid machine descriptor")
}

/// The case the simulator leaves out: its device-function half (SwiGLU)
/// runs there; its custom op (GeGLU's host function, which a PE cannot
/// call) fails at compile time, naming the op and its location.
#[test]
fn sim_runs_device_functions_and_refuses_custom_ops() {
    use persim_examples::custom_activation;
    let engine = Engine::sim();
    for n in [1, 7, 1025] {
        support::assert_passed(custom_activation::run(&engine, n, false).unwrap());
    }
    match custom_activation::run(&engine, 7, true) {
        Err(persim::LaunchError::Compile { message, .. }) => assert!(
            message.contains("custom_activation.rs:")
                && message.contains("`custom`")
                && message.contains("not supported by the spatial backend"),
            "{message}"
        ),
        other => panic!("expected a compile error, got {other:?}"),
    }
}
