#[persim::kernel]
fn k(x: *const f32, #[constexpr] SCALE: f32) {
    let a = load(x) * SCALE;
}

fn main() {}
