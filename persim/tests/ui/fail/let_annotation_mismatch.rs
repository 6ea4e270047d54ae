#[persim::kernel]
fn k(x: *const f16) {
    let v: f32 = load(x);
}

fn main() {}
