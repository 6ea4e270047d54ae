#[persim::custom_op(symbol = "mylib_hypot_f32")]
fn hypot(a: f32, b: f32) -> f32 {
    (a * a + b * b).sqrt()
}

#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let v = load(x + arange(0, 16));
    store(out, reduce(v, 0, hypot));
}

fn main() {}
