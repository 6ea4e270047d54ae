#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let t = load(x + arange(0, 4).expand_dims(1) * 8 + arange(0, 8).expand_dims(0));
    store(out + arange(0, 8).expand_dims(1) * 4 + arange(0, 4).expand_dims(0), permute(t, [0, 0]));
}

fn main() {}
