#[persim::custom_op(symbol = "mylib_softsign_f32")]
fn softsign(x: f32) -> f32 {
    x / (1.0 + x.abs())
}

#[persim::kernel]
fn k(x: *const f64, out: *mut f64) {
    let offs = arange(0, 16);
    store(out + offs, softsign(load(x + offs)));
}

fn main() {}
