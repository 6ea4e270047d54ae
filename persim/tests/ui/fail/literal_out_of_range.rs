#[persim::kernel]
fn k(x: *const u8, out: *mut u8) {
    let offs = arange(0, 16);
    store(out + offs, load(x + offs) + 300);
}

fn main() {}
