#[persim::kernel]
fn k(out: *mut f32, n: i32) {
    let f = |a: i32| a + 1;
}

fn main() {}
