//! The example kernel graphs, built for `SimEngine::launch_graph`.

use persim_backend::spatial::{GraphArg, SimGraph};
use persim_backend::{Arg, Grid};
use persim_lang::ir::Dtype;

use super::build;
use super::kernels::{BIAS, BIAS_GELU, MATMUL, RELU, SCALE};

/// scale → bias → relu, `out = max(2x + 1, 0)`, in blocks of `block`,
/// with the two intermediates as graph tensors.
pub fn pipeline<'a>(x: &'a [f32], out: &'a mut [f32], block: usize) -> SimGraph<'a> {
    let n = x.len();
    let grid = Grid::from(n.div_ceil(block));
    let mut g = SimGraph::new();
    let t1 = g.tensor("scaled", Dtype::F32, n);
    let t2 = g.tensor("biased", Dtype::F32, n);
    let consts = [("BLOCK", block as i64)];
    let len = || GraphArg::from(Arg::from(n as i32));
    g.kernel(
        build(SCALE, &consts),
        grid,
        vec![Arg::from(x).into(), t1.into(), len()],
    );
    g.kernel(
        build(BIAS, &consts),
        grid,
        vec![t1.into(), t2.into(), len()],
    );
    g.kernel(
        build(RELU, &consts),
        grid,
        vec![t2.into(), Arg::from(out).into(), len()],
    );
    g
}

/// The MLP block's operands: `x` is `tokens x d`, `w1` `d x hidden`, `b1`
/// `hidden`, `w2` `hidden x d`.
pub struct Mlp<'a> {
    pub dims: (usize, usize, usize),
    pub x: &'a [f32],
    pub w1: &'a [f32],
    pub b1: &'a [f32],
    pub w2: &'a [f32],
}

/// `y = gelu(x·w1 + b1)·w2` as matmul → bias+GELU → matmul, the first
/// product and the GELU in `up` blocks `(m, n, k)` and the second product
/// in `down` blocks.
pub fn mlp<'a>(
    m: Mlp<'a>,
    y: &'a mut [f32],
    up: (usize, usize, usize),
    down: (usize, usize, usize),
) -> SimGraph<'a> {
    let (tokens, d, hidden) = m.dims;
    let mut g = SimGraph::new();
    let product = g.tensor("x·w1", Dtype::F32, tokens * hidden);
    let act = g.tensor("gelu", Dtype::F32, tokens * hidden);
    let matmul = |(bm, bn, bk): (usize, usize, usize)| {
        build(
            MATMUL,
            &[
                ("BLOCK_M", bm as i64),
                ("BLOCK_N", bn as i64),
                ("BLOCK_K", bk as i64),
            ],
        )
    };
    let grid = |rows: usize, cols: usize, (bm, bn, _): (usize, usize, usize)| {
        Grid([(rows / bm) as u32, (cols / bn) as u32, 1])
    };
    let ints = |v: [usize; 3]| v.map(|x| GraphArg::from(Arg::from(x as i32)));
    let [m1, n1, k1] = ints([tokens, hidden, d]);
    g.kernel(
        matmul(up),
        grid(tokens, hidden, up),
        vec![
            Arg::from(m.x).into(),
            Arg::from(m.w1).into(),
            product.into(),
            m1,
            n1,
            k1,
        ],
    );
    let [m2, n2] = [tokens, hidden].map(|x| GraphArg::from(Arg::from(x as i32)));
    g.kernel(
        build(
            BIAS_GELU,
            &[("BLOCK_M", up.0 as i64), ("BLOCK_N", up.1 as i64)],
        ),
        grid(tokens, hidden, up),
        vec![product.into(), Arg::from(m.b1).into(), act.into(), m2, n2],
    );
    let [m3, n3, k3] = ints([tokens, d, hidden]);
    g.kernel(
        matmul(down),
        grid(tokens, d, down),
        vec![
            act.into(),
            Arg::from(m.w2).into(),
            Arg::from(y).into(),
            m3,
            n3,
            k3,
        ],
    );
    g
}
