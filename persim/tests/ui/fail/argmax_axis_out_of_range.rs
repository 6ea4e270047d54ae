#[persim::kernel]
fn k(x: *const f32, out: *mut i32) {
    let v = load(x + arange(0, 16));
    store(out, argmax(v, 1));
}

fn main() {}
