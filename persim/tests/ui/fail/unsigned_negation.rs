#[persim::kernel]
fn k(out: *mut u32, n: u32) {
    store(out, -n);
}

fn main() {}
