#[persim::func]
fn add3(a: f32, b: f32, c: f32) -> f32 {
    a + b + c
}

#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let v = load(x + arange(0, 16));
    store(out, reduce(v, 0, add3));
}

fn main() {}
