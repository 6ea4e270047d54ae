#[persim::func]
fn helper(x: f32) -> f32 {
    x
}

fn main() {}
