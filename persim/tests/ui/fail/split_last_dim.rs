#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let v = load(x + arange(0, 16));
    let (a, b) = split(v);
    store(out + arange(0, 8), a + b);
}

fn main() {}
