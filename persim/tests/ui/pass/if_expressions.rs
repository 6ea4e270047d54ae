#[persim::kernel]
fn clamp_rows(x: *const f32, out: *mut f32, lo: f32, n: i32, flip: bool, #[constexpr] BLOCK: i32, #[constexpr] WIDE: bool) {
    let offs = arange(0, BLOCK);
    let v = load(x + offs, offs < n, 0.0);
    let bound = if flip { -lo } else { lo };
    let scale = if WIDE { 2.0 } else { 1.0 };
    let mut w = maximum(v, bound) * scale;
    if BLOCK > 64 {
        w = w + 1.0;
    } else if BLOCK > 16 {
        w = w - 1.0;
    }
    let y = if n > 0 { w } else { 0.0 };
    store(out + offs, where_(offs < n, y, 0.0), offs < n);
}

fn main() {
    clamp_rows::ir(&[("BLOCK", 128), ("WIDE", 1)]).unwrap();
    clamp_rows::ir(&[("BLOCK", 32), ("WIDE", 0)]).unwrap();
}
