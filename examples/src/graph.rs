//! A kernel graph on the spatial simulator: the library's `vector_add`
//! twice, `out = (x + y) + z`, launched as one graph
//! (`SimEngine::launch_graph`) whose intermediate sum goes PE to PE, checked
//! against plain Rust; the same kernels one by one give the off-chip
//! traffic it saves.

use crate::check::{compare, random_vec, tol, Report};
use persim::ir::Dtype;
use persim::spatial::{GraphMode, GraphReport, SimEngine, SimGraph, TensorPath};
use persim::{Arg, Grid, LaunchError};
use persim_kernels::vector_add::vector_add;

/// Awkward sizes around the block, and a larger one.
pub const SIZES: &[usize] = &[1, 7, 1000, 1025, 1 << 16];
pub const BLOCK: i64 = 1024;

/// `(x + y) + z` over `n` elements in `mode`.
fn add_twice(
    sim: &SimEngine,
    (x, y, z): (&[f32], &[f32], &[f32]),
    mode: GraphMode,
) -> Result<(Vec<f32>, GraphReport), LaunchError> {
    let n = x.len();
    let grid = Grid::from(n.div_ceil(BLOCK as usize));
    let mut out = vec![0.0f32; n];
    let report = {
        let mut g = SimGraph::new();
        let sum = g.tensor("x + y", Dtype::F32, n);
        let consts = [("BLOCK", BLOCK)];
        let len = || Arg::from(n as i32).into();
        g.kernel_source(
            &vector_add::KERNEL,
            &consts,
            grid,
            vec![Arg::from(x).into(), Arg::from(y).into(), sum.into(), len()],
        )?;
        g.kernel_source(
            &vector_add::KERNEL,
            &consts,
            grid,
            vec![
                sum.into(),
                Arg::from(z).into(),
                Arg::from(&mut out[..]).into(),
                len(),
            ],
        )?;
        sim.launch_graph(&mut g, mode)?
    };
    Ok((out, report))
}

pub fn run(sim: &SimEngine, n: usize) -> Result<Report, LaunchError> {
    let (x, y, z) = (random_vec(n, 11), random_vec(n, 12), random_vec(n, 13));
    let inputs = (&x[..], &y[..], &z[..]);
    let (out, streamed) = add_twice(sim, inputs, GraphMode::Streamed)?;
    let (_, one_by_one) = add_twice(sim, inputs, GraphMode::OneByOne)?;
    let handed = matches!(streamed.tensors[0].path, TensorPath::HandedOff { .. });
    let want: Vec<f32> = (0..n).map(|i| (x[i] + y[i]) + z[i]).collect();
    Ok(compare(
        "vector_add -> vector_add graph",
        format!(
            "n={n}: {} off-chip B and {} cycles ({}), one by one {} B and {} cycles",
            streamed.offchip_bytes(),
            streamed.cycles(),
            if handed {
                "sum handed PE to PE"
            } else {
                "sum off-chip"
            },
            one_by_one.offchip_bytes(),
            one_by_one.cycles()
        ),
        &out,
        &want,
        tol::F32_ELEMENTWISE,
    ))
}

/// Every size of [`SIZES`] on the default machine.
pub fn run_all() -> Result<Vec<Report>, LaunchError> {
    let sim = SimEngine::default();
    SIZES.iter().map(|&n| run(&sim, n)).collect()
}
