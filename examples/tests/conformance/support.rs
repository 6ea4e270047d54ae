//! What the cases share: sizes, seeded random data, and assertions that name
//! the first mismatch.

use persim_examples::check::{compare, Report, Tolerance};
use rand::distributions::uniform::SampleUniform;
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::fmt::Debug;

/// Lengths around a 256-wide block where masks matter: a single element, a
/// few, just under / at the edge / just over a multiple of the block.
pub const SIZES: &[usize] = &[1, 7, 1000, 1023, 1025];

/// The block width the 1-D cases launch with.
pub const BLOCK: i32 = 256;

/// Programs of a 1-D launch covering `n` elements in [`BLOCK`]s.
pub fn blocks(n: usize) -> u32 {
    n.div_ceil(BLOCK as usize) as u32
}

pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// `n` values drawn uniformly from `lo..hi`.
pub fn uniform<T: SampleUniform + PartialOrd + Copy>(n: usize, lo: T, hi: T, seed: u64) -> Vec<T> {
    let mut r = rng(seed);
    (0..n).map(|_| r.gen_range(lo..hi)).collect()
}

/// Random f32 in `[-1, 1)`.
pub fn f32s(n: usize, seed: u64) -> Vec<f32> {
    uniform(n, -1.0f32, 1.0, seed)
}

/// Random bools, about half true.
pub fn bools(n: usize, seed: u64) -> Vec<bool> {
    let mut r = rng(seed);
    (0..n).map(|_| r.gen_bool(0.5)).collect()
}

/// Panics naming the first differing element and the number of mismatches.
pub fn assert_exact<T: PartialEq + Debug>(what: &str, got: &[T], want: &[T]) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let bad: Vec<usize> = (0..got.len()).filter(|&i| got[i] != want[i]).collect();
    if let Some(&i) = bad.first() {
        panic!(
            "{what}: {} of {} elements differ; first at index {i}: got {:?}, want {:?}",
            bad.len(),
            got.len(),
            got[i],
            want[i]
        );
    }
}

/// Float results compared bit for bit, NaN payloads aside (`-0.0` and
/// `0.0` differ here, as they do for `maximum`).
pub fn assert_same_floats<T: Copy + Into<f64> + Debug>(what: &str, got: &[T], want: &[T]) {
    let key = |x: T| {
        let x: f64 = x.into();
        if x.is_nan() {
            u64::MAX
        } else {
            x.to_bits()
        }
    };
    let got_keys: Vec<u64> = got.iter().map(|&x| key(x)).collect();
    let want_keys: Vec<u64> = want.iter().map(|&x| key(x)).collect();
    if got_keys != want_keys {
        let i = (0..got.len().min(want.len()))
            .find(|&i| got_keys[i] != want_keys[i])
            .unwrap_or(0);
        panic!(
            "{what}: got {:?}, want {:?} at index {i} (lengths {} and {})",
            got.get(i),
            want.get(i),
            got.len(),
            want.len()
        );
    }
}

/// Within `tol` (see `persim_examples::check::tol`).
pub fn assert_close<G, W>(what: &str, got: &[G], want: &[W], tol: Tolerance)
where
    G: Copy + Into<f64>,
    W: Copy + Into<f64>,
{
    assert_passed(compare("case", what.to_string(), got, want, tol));
}

pub fn assert_passed(r: Report) {
    assert!(
        r.passed(),
        "{} {}: error {:e} > tolerance {:e}",
        r.kernel,
        r.size,
        r.error,
        r.tolerance
    );
}
