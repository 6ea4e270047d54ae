#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let a = load(x + arange(0, 4).expand_dims(1) * 8 + arange(0, 8).expand_dims(0));
    let b = load(x + arange(0, 4).expand_dims(1) * 16 + arange(0, 16).expand_dims(0));
    store(out + arange(0, 8).expand_dims(1) * 8 + arange(0, 8).expand_dims(0), cat(a, b));
}

fn main() {}
