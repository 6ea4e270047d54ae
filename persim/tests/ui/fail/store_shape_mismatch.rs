#[persim::kernel]
fn k(out: *mut f32) {
    let offs = arange(0, 16);
    store(out + offs, zeros::<f32>([32]));
}

fn main() {}
