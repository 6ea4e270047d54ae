#[persim::kernel]
fn k(x: *const f32, y: *const f16, out: *mut f32, c: bool) {
    let v = if c { load(x) } else { load(y) };
}

fn main() {}
