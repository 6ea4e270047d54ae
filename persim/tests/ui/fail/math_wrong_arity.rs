#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let v = load(x + arange(0, 16));
    store(out + arange(0, 16), fma(v, v));
}

fn main() {}
