//! The kernel library on the Cranelift JIT against plain-Rust references at
//! awkward sizes (the examples run the same checks at full size).

use persim::Engine;
use persim_examples::{custom_activation, matmul, softmax, vector_add, Report};

fn assert_passed(r: Report) {
    assert!(
        r.passed(),
        "{} {}: error {:e} > {:e}",
        r.kernel,
        r.size,
        r.error,
        r.tolerance
    );
}

#[test]
fn vector_add_at_awkward_sizes() {
    let engine = Engine::jit();
    for &n in vector_add::SIZES {
        assert_passed(vector_add::run(&engine, n).unwrap());
    }
}

#[test]
fn softmax_at_awkward_widths() {
    let engine = Engine::jit();
    for &cols in softmax::WIDTHS {
        assert_passed(softmax::run(&engine, 3, cols, softmax::block_for(cols)).unwrap());
    }
}

#[test]
fn matmul_with_odd_shapes() {
    let engine = Engine::jit();
    for &shape in &matmul::SHAPES[..matmul::SHAPES.len() - 1] {
        assert_passed(matmul::run(&engine, shape, matmul::BLOCKS).unwrap());
    }
    assert_passed(matmul::run(&engine, (19, 23, 41), (16, 8, 4)).unwrap());
}

#[test]
fn device_function_and_custom_op_activations() {
    let engine = Engine::jit();
    for gelu in [false, true] {
        for &n in custom_activation::SIZES {
            assert_passed(custom_activation::run(&engine, n, gelu).unwrap());
        }
    }
}
