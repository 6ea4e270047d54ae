#[persim::kernel]
fn k(out: *mut f32, n: i32) {
    let offs = arange(0, 16);
    if offs < n {
        store(out + offs, 1.0);
    }
}

fn main() {}
