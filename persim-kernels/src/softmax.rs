//! Row-wise softmax (Triton tutorial 02, fused softmax): each row is read
//! once, normalized in one tile and written once. `BLOCK` must be at least
//! `n_cols` (the tutorial's `next_power_of_2(n_cols)`; any width works).
//!
//! As in the tutorial, programs are persistent: program `p` of `P` handles
//! rows `p, p + P, p + 2P, ..`, so the grid can be sized to the machine
//! rather than to the matrix (a grid of `n_rows` gives one row each).

use persim::kernel;

#[kernel]
pub fn softmax(
    out: *mut f32,
    inp: *const f32,
    in_stride: i32,
    out_stride: i32,
    n_rows: i32,
    n_cols: i32,
    #[constexpr] BLOCK: i32,
) {
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    for row in (program_id(0)..n_rows).step_by(num_programs(0)) {
        let x = load(inp + row * in_stride + cols, mask, f32::NEG_INFINITY);
        let z = x - max(x, 0);
        let num = exp(z);
        let den = sum(num, 0);
        store(out + row * out_stride + cols, num / den, mask);
    }
}
