#[persim::kernel]
fn k(x: *const f32, n: i32) -> i32 {
    n
}

fn main() {}
