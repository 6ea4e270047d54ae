#[persim::kernel]
fn k(out: *mut f32, n: i32) {
    let r = &n;
}

fn main() {}
