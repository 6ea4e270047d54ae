#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let v = laod(x + arange(0, 16));
}

fn main() {}
