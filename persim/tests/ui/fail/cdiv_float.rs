#[persim::kernel]
fn k(out: *mut i32, n: f32) {
    store(out, cdiv(n, 16));
}

fn main() {}
