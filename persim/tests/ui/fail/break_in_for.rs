#[persim::kernel]
fn k(out: *mut f32, n: i32) {
    for i in 0..n {
        break;
    }
}

fn main() {}
