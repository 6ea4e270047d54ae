#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let v = load(x + arange(0, 16));
    store(out, reduce(v, 0, maximum));
}

fn main() {}
