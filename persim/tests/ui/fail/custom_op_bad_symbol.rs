#[persim::custom_op(symbol = "my-op.f32")]
fn gelu(x: f32) -> f32 {
    x
}

fn main() {
    assert_eq!(gelu(1.0), 1.0);
}
