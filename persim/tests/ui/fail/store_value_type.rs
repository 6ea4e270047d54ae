#[persim::kernel]
fn k(x: *const f16, out: *mut f32) {
    let offs = arange(0, 16);
    store(out + offs, load(x + offs));
}

fn main() {}
