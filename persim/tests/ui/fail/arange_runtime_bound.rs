#[persim::kernel]
fn k(out: *mut f32, n: i32) {
    let offs = arange(0, n);
}

fn main() {}
