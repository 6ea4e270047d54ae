#[persim::kernel]
fn k(out: *mut i32, n: i32) {
    for i in static_range(0, n) {
        store(out + i, i);
    }
}

fn main() {}
