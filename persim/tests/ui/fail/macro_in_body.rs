#[persim::kernel]
fn k(x: *const f32, n: i32) {
    println!("n = {}", n);
}

fn main() {}
