#[persim::func]
fn scale(x: Tile<f32>, s: f32) -> Tile<f32> {
    x * s
}

#[persim::kernel]
fn k(x: *const i32, out: *mut f32) {
    let offs = arange(0, 16);
    let v = load(x + offs);
    store(out + offs, scale(v, 2.0));
}

fn main() {}
