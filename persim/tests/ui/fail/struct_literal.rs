#[persim::kernel]
fn k(x: *const f32, n: i32) {
    let p = Point { x: 1, y: 2 };
}

fn main() {}
