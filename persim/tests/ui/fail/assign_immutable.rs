#[persim::kernel]
fn k(out: *mut f32, n: i32) {
    let total = 0;
    total = n;
}

fn main() {}
