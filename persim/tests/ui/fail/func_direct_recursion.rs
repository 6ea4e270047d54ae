#[persim::func]
fn halve(x: Tile<f32>, #[constexpr] N: i32) -> Tile<f32> {
    if N == 0 {
        x
    } else {
        halve(x * 0.5, N - 1)
    }
}

fn main() {}
