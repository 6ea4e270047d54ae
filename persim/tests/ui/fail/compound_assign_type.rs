#[persim::kernel]
fn k(out: *mut f32, n: i32) {
    let mut i = 0;
    while i < n {
        i += 1.5;
    }
}

fn main() {}
