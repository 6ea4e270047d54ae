#[persim::kernel]
fn k(x: Vec<f32>, n: i32) {
    let a = n + 1;
}

fn main() {}
