mod act {
    #[persim::func]
    pub fn silu(x: Tile<f32>) -> Tile<f32> {
        x / (1.0 + exp(-x))
    }
}

#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let offs = arange(0, 16);
    store(out + offs, silu(load(x + offs)));
}

fn main() {}
