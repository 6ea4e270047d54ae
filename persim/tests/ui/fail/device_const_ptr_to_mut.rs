/// May store through `p`.
#[persim::func]
fn zero(p: Tile<*mut f32>) {
    store(p, 0.0);
}

#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let offs = arange(0, 16);
    zero(out + offs);
    zero(x + offs);
}

fn main() {}
