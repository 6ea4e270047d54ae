#[persim::kernel]
fn k(out: *mut f32) {
    let v = exp(arange(0, 16));
}

fn main() {}
