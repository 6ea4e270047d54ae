#[persim::kernel]
fn k(out: *mut f32, #[constexpr] BLOCK: i32) {
    static_assert(BLOCK > 0, "decided at launch: BLOCK is not known yet");
    static_assert(2 * 8 == 15, "sixteen is not fifteen");
    store(out + arange(0, BLOCK), 1.0);
}

fn main() {}
