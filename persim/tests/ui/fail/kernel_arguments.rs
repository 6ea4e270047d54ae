#[persim::kernel(fast)]
fn k(out: *mut f32) {}

fn main() {}
