#[persim::func]
fn pick(v0: f32, i0: i32, v1: f32, i1: i32) -> (f32, i32) {
    (v0, i0)
}

#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let v = load(x + arange(0, 16));
    let (m, i) = reduce((v, arange(0, 8)), 0, pick);
    store(out, m);
}

fn main() {}
