#[persim::func]
fn scale(x: Tile<f32>, s: f32) -> Tile<f32> {
    x * s
}

#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let offs = arange(0, 16);
    store(out + offs, scale(load(x + offs)));
}

fn main() {}
