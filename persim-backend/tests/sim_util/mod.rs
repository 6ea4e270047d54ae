//! Helpers shared by the `sim_*` tests: build kernels from source text with
//! the frontend, random data, and comparisons against plain-Rust references.
#![allow(dead_code)]

use persim_lang::front::{self, Diagnostic};
use persim_lang::ir::Function;

pub const FILE: &str = "kernel.rs";

/// A blocked matmul whose tile pointers are affine in the tile indices
/// (`BM x BN` blocks of `c`, `BK` steps of `k`; sizes multiples of the
/// blocks): one 2-D copy per tile, double-buffered, and its `A` and `B`
/// tiles shared along `program_id(1)` and `program_id(0)`.
pub const TILE_MATMUL: &str = r#"
fn matmul(a: *const f32, b: *const f32, c: *mut f32, m: i32, n: i32, k: i32,
    #[constexpr] BM: i32, #[constexpr] BN: i32, #[constexpr] BK: i32) {
    let offs_m = program_id(0) * BM + arange(0, BM);
    let offs_n = program_id(1) * BN + arange(0, BN);
    let offs_k = arange(0, BK);
    let mut acc = zeros::<f32>([BM, BN]);
    for kb in 0..cdiv(k, BK) {
        let kk = kb * BK + offs_k;
        let a_tile = load(a + offs_m.expand_dims(1) * k + kk.expand_dims(0));
        let b_tile = load(b + kk.expand_dims(1) * n + offs_n.expand_dims(0));
        acc = dot(a_tile, b_tile, acc);
    }
    store(c + offs_m.expand_dims(1) * n + offs_n.expand_dims(0), acc);
}"#;

/// Positions in the test's own text: proc-macro2 columns are 0-based.
fn locate(span: proc_macro2::Span) -> Option<(u32, u32)> {
    let start = span.start();
    Some((start.line as u32, start.column as u32 + 1))
}

/// Tile IR of a kernel written as Rust source text, specialized on `consts`.
pub fn build(src: &str, consts: &[(&str, i64)]) -> Result<Function, Diagnostic> {
    let item: syn::ItemFn =
        syn::parse_str(src).unwrap_or_else(|e| panic!("test kernel does not parse: {e}"));
    front::build(&item, consts, &locate, FILE)
}

pub fn build_ok(src: &str, consts: &[(&str, i64)]) -> Function {
    build(src, consts).unwrap_or_else(|d| panic!("build failed: {d} at {:?}", d.location))
}

/// splitmix64: small, deterministic, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    pub fn f32_in(&mut self, lo: f32, hi: f32) -> f32 {
        let u = (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32;
        lo + (hi - lo) * u
    }
    pub fn vec_f32(&mut self, n: usize, lo: f32, hi: f32) -> Vec<f32> {
        (0..n).map(|_| self.f32_in(lo, hi)).collect()
    }
    pub fn vec_i32(&mut self, n: usize, lo: i32, hi: i32) -> Vec<i32> {
        (0..n)
            .map(|_| lo + (self.next_u64() % (hi - lo) as u64) as i32)
            .collect()
    }
}

/// Asserts `got` and `want` agree within `tol` relative (and absolute near 0).
pub fn assert_close(got: &[f32], want: &[f32], tol: f32, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let ok = (g - w).abs() <= tol * w.abs().max(1.0) || (g.is_nan() && w.is_nan());
        assert!(ok, "{what}: element {i}: got {g}, want {w}");
    }
}
