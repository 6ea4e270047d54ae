#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let v = load(x + arange(0, 8).expand_dims(1) * 2 + arange(0, 2).expand_dims(0));
    let halves = split(v);
    store(out + arange(0, 8), halves);
}

fn main() {}
