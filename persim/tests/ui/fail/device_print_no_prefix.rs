#[persim::kernel]
fn k(x: *const f32) {
    let v = load(x + arange(0, 16));
    device_print(v);
}

fn main() {}
