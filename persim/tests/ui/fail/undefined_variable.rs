#[persim::kernel]
fn k(x: *const f32, out: *mut f32, n: i32) {
    let offs = arange(0, 16);
    store(out + offs, load(x + ofs));
}

fn main_uses_module() {
    // The module exists despite the error: no secondary errors here.
    let _ = k::ir(&[]);
}

fn main() {}
