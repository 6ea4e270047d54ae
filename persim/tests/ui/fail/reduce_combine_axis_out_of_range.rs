#[persim::func]
fn add(a: f32, b: f32) -> f32 {
    a + b
}

#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let v = load(x + arange(0, 16));
    store(out + arange(0, 16), associative_scan(v, 1, add));
}

fn main() {}
