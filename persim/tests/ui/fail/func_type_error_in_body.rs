/// A declared rank types the body at build time.
#[persim::func]
fn softplus(x: Tile<f32, 1>) -> Tile<f32, 1> {
    log(1.0 + exp(x.to::<i32>()))
}

fn main() {}
