//! The five Triton tutorials of the kernel library, through the same checks
//! as the examples (`persim_examples::<tutorial>`), at sizes that keep debug
//! test builds quick while still covering every masked edge.

use persim::Engine;
use persim_examples::{attention, layer_norm, matmul, softmax, vector_add};

use crate::support::{assert_passed, SIZES};

pub fn vector_add(engine: &Engine) {
    for &n in vector_add::SIZES {
        assert_passed(vector_add::run(engine, n).unwrap());
    }
}

pub fn softmax(engine: &Engine) {
    for &cols in SIZES {
        // One program per row, and persistent programs (fewer than rows).
        for programs in [5, 2] {
            let block = softmax::block_for(cols);
            assert_passed(softmax::run(engine, (5, cols), block, programs).unwrap());
        }
    }
    // A block wider than the row is only padding; a non-power-of-two block too.
    assert_passed(softmax::run(engine, (2, 1000), 1500, 2).unwrap());
    // More programs than rows: the extra ones have nothing to do.
    assert_passed(softmax::run(engine, (3, 7), 8, 11).unwrap());
}

/// Shapes with a K loop of several steps and partial tiles on every side.
const MATMUL_SHAPES: &[(usize, usize, usize)] = &[
    (1, 1, 1),
    (7, 7, 7),
    (1, 1000, 7),
    (33, 65, 17),
    (127, 129, 255),
];

const SMALL: matmul::Blocks = matmul::Blocks {
    m: 16,
    n: 8,
    k: 4,
    group_m: 3,
};

/// Tiles Triton refuses (not powers of two): 48×80 with a K step of 24.
const ODD_TILES: matmul::Blocks = matmul::Blocks {
    m: 48,
    n: 80,
    k: 24,
    group_m: 2,
};

const BT_RELU: matmul::Variant = matmul::Variant {
    b_col_major: true,
    leaky_relu: true,
};

pub fn matmul_f32(engine: &Engine) {
    for &shape in MATMUL_SHAPES {
        assert_passed(matmul::run_f32(engine, shape, matmul::BLOCKS, matmul::PLAIN).unwrap());
    }
    assert_passed(matmul::run_f32(engine, (19, 23, 41), SMALL, BT_RELU).unwrap());
    assert_passed(matmul::run_f32(engine, (65, 33, 100), matmul::BLOCKS, BT_RELU).unwrap());
    assert_passed(matmul::run_f32(engine, (101, 170, 53), ODD_TILES, matmul::PLAIN).unwrap());
}

pub fn matmul_f16(engine: &Engine) {
    for &shape in MATMUL_SHAPES {
        assert_passed(matmul::run_f16(engine, shape, matmul::BLOCKS, matmul::PLAIN).unwrap());
    }
    assert_passed(matmul::run_f16(engine, (19, 23, 41), SMALL, BT_RELU).unwrap());
}

const LN_SHAPES: &[(usize, usize)] = &[(1, 1), (7, 7), (9, 1000), (3, 1025)];

pub fn layer_norm_forward(engine: &Engine) {
    for &shape in LN_SHAPES {
        layer_norm::run_fwd(engine, shape)
            .unwrap()
            .into_iter()
            .for_each(assert_passed);
    }
}

pub fn layer_norm_backward(engine: &Engine) {
    for &shape in LN_SHAPES {
        for group in [1, 4, 8] {
            layer_norm::run_bwd(engine, shape, group)
                .unwrap()
                .into_iter()
                .for_each(assert_passed);
        }
    }
}

/// Odd sequence lengths around the 32-wide blocks, both head dims, f32 and
/// f16.
fn attention_problems(causal: bool) -> Vec<attention::Problem> {
    [(2, 1, 64), (1, 7, 128), (2, 33, 64), (1, 95, 128)]
        .iter()
        .enumerate()
        .flat_map(|(i, &(bh, seq, dim))| {
            [false, true].map(|half| attention::Problem {
                bh,
                seq,
                dim,
                causal,
                kv_seq_major: i % 2 == 0,
                half,
            })
        })
        .collect()
}

pub fn attention_non_causal(engine: &Engine) {
    for p in attention_problems(false) {
        attention::run(engine, p)
            .unwrap()
            .into_iter()
            .for_each(assert_passed);
    }
}

pub fn attention_causal(engine: &Engine) {
    for p in attention_problems(true) {
        attention::run(engine, p)
            .unwrap()
            .into_iter()
            .for_each(assert_passed);
    }
}
