#[persim::kernel]
fn k(out: *mut f32) {
    let a = zeros::<f32>([16, 32]);
    let b = zeros::<f32>([16, 16]);
    let c = dot(a, b);
}

fn main() {}
