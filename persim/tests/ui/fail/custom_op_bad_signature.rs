#[persim::custom_op(symbol = "my_op")]
fn widen(x: persim::f16, flag: bool) -> &'static f32 {
    if flag && x.to_f32() > 0.0 {
        &1.0
    } else {
        &0.0
    }
}

fn main() {}
