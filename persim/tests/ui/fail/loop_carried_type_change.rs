#[persim::kernel]
fn k(x: *const f32, out: *mut f32, n: i32) {
    let mut acc = 0;
    for i in 0..n {
        acc = acc + load(x + i);
    }
    store(out, acc);
}

fn main() {}
