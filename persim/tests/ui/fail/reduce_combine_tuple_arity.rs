#[persim::func]
fn add(a: f32, b: f32) -> f32 {
    a + b
}

#[persim::kernel]
fn k(x: *const f32, out: *mut f32) {
    let offs = arange(0, 16);
    let v = load(x + offs);
    let (m, i) = reduce((v, offs), 0, add);
    store(out, m + i.to::<f32>());
}

fn main() {}
