//! `out = x + y` over `n` elements, one `BLOCK`-wide tile per program
//! instance (Triton tutorial 01).

use persim::kernel;

#[kernel]
pub fn vector_add(x: *const f32, y: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let pid = program_id(0);
    let offs = pid * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let a = load(x + offs, mask);
    let b = load(y + offs, mask);
    store(out + offs, a + b, mask);
}
