#[persim::kernel]
fn k(x: *const f32, n: i32) {
    let offs = arange(0, 16);
    let v = load(x + offs, offs);
}

fn main() {}
