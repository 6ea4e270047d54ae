#[persim::func]
fn f(x: &Tile<f32>, n: usize, v: Vec<f32>) -> Tile<f32, 128> {
    x
}

fn main() {}
