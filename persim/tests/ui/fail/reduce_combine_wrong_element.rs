#[persim::func]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let v = load(x + arange(0, 16));
    store(out, reduce(v, 0, add));
}

fn main() {}
