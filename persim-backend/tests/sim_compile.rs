//! The spatial compiler end to end: kernels from source text through the
//! frontend, the mid-end (with the machine's target), the compiler and the
//! simulator, checked against plain-Rust references on random data at
//! awkward sizes.

mod sim_util;

use persim_backend::spatial::{Machine, SimEngine, SimLaunchError, SimReport};
use persim_backend::{Arg, Grid};
use sim_util::*;

/// A small machine keeps the simulated grid (and so the tests) fast.
fn engine() -> SimEngine {
    let machine = Machine::from_toml("[grid]\ncols = 2\nrows = 2\n").unwrap();
    SimEngine::new(machine)
}

fn run(src: &str, consts: &[(&str, i64)], grid: Grid, args: &mut [Arg<'_>]) -> SimReport {
    let f = build_ok(src, consts);
    match engine().launch_ir(&f, grid, args) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

const ADD: &str = r#"
fn add(x: *const f32, y: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let pid = program_id(0);
    let offs = pid * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    let a = load(x + offs, mask);
    let b = load(y + offs, mask);
    store(out + offs, a + b, mask);
}"#;

#[test]
fn sim_vector_add_awkward_sizes() {
    let mut rng = Rng::new(1);
    for (n, block) in [(1usize, 16i64), (7, 16), (1000, 64), (1025, 128), (33, 32)] {
        let x = rng.vec_f32(n, -10.0, 10.0);
        let y = rng.vec_f32(n, -10.0, 10.0);
        let mut out = vec![0.0f32; n];
        let grid = Grid::from(n.div_ceil(block as usize));
        run(
            ADD,
            &[("BLOCK", block)],
            grid,
            &mut [
                Arg::from(&x[..]),
                Arg::from(&y[..]),
                Arg::from(&mut out[..]),
                Arg::from(n as i32),
            ],
        );
        let want: Vec<f32> = x.iter().zip(&y).map(|(a, b)| a + b).collect();
        assert_eq!(out, want, "n = {n}, BLOCK = {block}");
    }
}
