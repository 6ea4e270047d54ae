/// `x` has no known rank at build time, so the statement using it is typed
/// at launch; its syntax is still checked now.
#[persim::func]
fn clamp_all(x: Tile<f32>) -> Tile<f32> {
    let y = match x {
        _ => x,
    };
    y
}

fn main() {}
