#[persim::kernel]
fn k(x: *const f32, n: i32) {
    return n;
}

fn main() {}
