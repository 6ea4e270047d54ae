#[persim::func]
fn exp(x: Tile<f32>) -> Tile<f32> {
    x * 2.718
}

fn main() {}
