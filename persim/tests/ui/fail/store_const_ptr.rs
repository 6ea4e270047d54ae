#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let offs = arange(0, 16);
    store(x + offs, load(out + offs));
}

fn main() {}
