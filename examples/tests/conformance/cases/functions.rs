//! Device functions (`#[persim::func]`, inlined by the mid-end) and custom
//! ops (`#[persim::custom_op]`, a host reference on the JITs, a linked
//! symbol in a kernel library), through the `custom_activation` example.

use persim::Engine;
use persim_examples::custom_activation;

use crate::support::assert_passed;

/// SwiGLU through a device function and GeGLU through a custom op.
pub fn device_function_and_custom_op(engine: &Engine) {
    for gelu in [false, true] {
        for &n in custom_activation::SIZES {
            assert_passed(custom_activation::run(engine, n, gelu).unwrap());
        }
    }
}
