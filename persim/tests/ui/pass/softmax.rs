use persim::prelude::*;

#[persim::kernel]
pub fn softmax(out: *mut f32, inp: *const f32, stride: i32, n_cols: i32, #[constexpr] BLOCK: i32) {
    let row = program_id(0);
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    let x = load(inp + row * stride + cols, mask, f32::NEG_INFINITY);
    let z = x - max(x, 0);
    let num = exp(z);
    store(out + row * stride + cols, num / sum(num, 0), mask);
}

fn main() {
    let _launch = |engine: &Engine, out: &mut [f32], inp: &[f32]| {
        softmax::launch(engine, 4u32, softmax::Args { out, inp, stride: 8, n_cols: 8, BLOCK: 8 })
    };
    softmax::ir(&[("BLOCK", 1024)]).unwrap();
    softmax::ir(&[("BLOCK", 1000)]).unwrap();
}
