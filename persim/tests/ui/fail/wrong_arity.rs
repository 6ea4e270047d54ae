#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let v = load(x + arange(0, 16), arange(0, 16) < 8, 0.0, 1.0);
}

fn main() {}
