#[persim::kernel]
fn k(x: &[f32], n: i32) {
    let a = n + 1;
}

fn main() {}
