#[persim::kernel]
fn k(x: *const f32, out: *mut f32, n: i32) {
    let mut bp = make_block_ptr(x, [n], [1], [0], [16], [0]);
    let mut acc = zeros([16]);
    for i in 0..4 {
        acc += load(bp, [0]);
        bp = make_block_ptr(x, [n], [1], [i * 16], [16], [0]);
    }
    store(out + arange(0, 16), acc);
}

fn main() {}
