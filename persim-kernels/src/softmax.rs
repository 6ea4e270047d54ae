//! Row-wise softmax, one row per program instance, the whole row in one tile
//! (Triton tutorial 02, fused softmax). `BLOCK` must be at least `n_cols`.

use persim::kernel;

#[kernel]
pub fn softmax(
    out: *mut f32,
    inp: *const f32,
    in_stride: i32,
    out_stride: i32,
    n_cols: i32,
    #[constexpr] BLOCK: i32,
) {
    let row = program_id(0);
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    let x = load(inp + row * in_stride + cols, mask, f32::NEG_INFINITY);
    let z = x - max(x, 0);
    let num = exp(z);
    let den = sum(num, 0);
    store(out + row * out_stride + cols, num / den, mask);
}
