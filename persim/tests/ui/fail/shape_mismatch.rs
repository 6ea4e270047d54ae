#[persim::kernel]
fn k(out: *mut i32) {
    let v = arange(0, 16) + arange(0, 32);
}

fn main() {}
