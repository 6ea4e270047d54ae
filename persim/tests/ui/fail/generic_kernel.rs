#[persim::kernel]
fn k<T>(x: *const f32, n: i32) {
    let a = n + 1;
}

fn main() {}
