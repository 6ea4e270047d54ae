//! Differential tests of loop fusion, store forwarding and dead-buffer
//! elimination: tile-level kernels run in the interpreter, then through the
//! whole standard pipeline (which lowers and fuses) for L = 1, 4, 16, and
//! memory must match bit for bit (fusion reorders no floating-point
//! operation). The shape of the result is checked too: vector add becomes one
//! loop without local memory, softmax keeps its two reductions apart from
//! three fused elementwise loops.

mod lower_util;

use lower_util::*;
use persim_lang::interp::{run_grid, InterpArg};
use persim_lang::ir::{CmpPred, Dtype, Function, Opcode, ReduceKind, Value};
use persim_lang::passes::pipeline::STANDARD_PASSES;
use persim_lang::passes::{DumpFilter, Pipeline};
use persim_lang::target::Target;

/// The passes this test file is about; [`unfused`] leaves them out.
const FUSION_PASSES: [&str; 3] = ["fuse-loops", "forward-stores", "dead-buffers"];

/// Mask tails off: the structural checks count the loops fusion leaves,
/// which `split-mask-tails` would double.
fn target_for(lanes: u32) -> Target {
    let t = if lanes == 4 {
        Target::cranelift()
    } else {
        target(lanes)
    };
    t.with_mask_tails(false)
}

fn run(f: &Function, pipeline: Pipeline, what: &str) -> Function {
    let mut g = f.clone();
    pipeline
        .verify_each(true)
        .dump(DumpFilter::default())
        .run(&mut g)
        .unwrap_or_else(|e| panic!("{what} pipeline on `{}`: {e}", f.name));
    g
}

/// The standard pipeline's output for `lanes` (the Cranelift target for 4).
fn standard(f: &Function, lanes: u32) -> Function {
    run(f, Pipeline::standard(target_for(lanes)), "standard")
}

/// The standard pipeline without fusion, forwarding and dead buffers.
fn unfused(f: &Function, lanes: u32) -> Function {
    let passes: Vec<&str> = STANDARD_PASSES
        .iter()
        .copied()
        .filter(|p| !FUSION_PASSES.contains(p))
        .collect();
    let pipeline = Pipeline::new(target_for(lanes))
        .with_passes(&passes)
        .expect("standard passes are registered");
    run(f, pipeline, "unfused")
}

fn interpret(g: &Function, grid: [u32; 3], args: &[InterpArg], what: &str) -> Vec<InterpArg> {
    let mut out = args.to_vec();
    run_grid(g, grid, &mut out).unwrap_or_else(|e| panic!("{what}: {e}\n{g}"));
    out
}

/// Run `f` as written, and after the standard pipeline for every lane
/// count: memory must match within `tol` (lowered reductions add in another
/// order), and bit for bit the memory the same pipeline without the fusion
/// passes leaves. Returns the pipeline outputs, by lane count.
fn check(f: &Function, grid: [u32; 3], args: &[InterpArg], tol: f64) -> Vec<(u32, Function)> {
    let want = interpret(f, grid, args, "reference run");
    LANES
        .iter()
        .map(|&lanes| {
            let what = format!("`{}` with L = {lanes}", f.name);
            let g = standard(f, lanes);
            check_lowered(f, &g, lanes, Offsets::Packed);
            let got = interpret(&g, grid, args, &what);
            compare(f, &want, &got, tol, &what);
            let base = interpret(&unfused(f, lanes), grid, args, &what);
            compare(f, &base, &got, 0.0, &format!("{what}, fused vs unfused"));
            (lanes, g)
        })
        .collect()
}

/// Number of `for` ops: (without carried values, with carried values).
fn loops(g: &Function) -> (usize, usize) {
    let fors: Vec<_> = g
        .all_ops()
        .into_iter()
        .filter(|&op| g.ops[op].opcode == Opcode::For)
        .collect();
    let carrying = fors.iter().filter(|&&op| !g.ops[op].results.is_empty());
    let carrying = carrying.count();
    (fors.len() - carrying, carrying)
}

fn local_mem(g: &Function) -> i64 {
    g.attrs.int("local_mem").expect("lowered IR has local_mem")
}

/// `[start, start + block)` offsets of this program and the mask `< n`.
fn block_offsets(b: &mut persim_lang::ir::Builder, block: u32, n: Value) -> (Value, Value) {
    let p = pid(b, 0);
    let bs = b.const_i32(block as i32);
    let start = bin(b, Opcode::Mul, p, bs);
    let start = splat(b, start, &[block]);
    let lanes = arange(b, 0, block as i64);
    let offs = bin(b, Opcode::Add, start, lanes);
    let n = splat(b, n, &[block]);
    let mask = cmp(b, CmpPred::Lt, offs, n);
    (offs, mask)
}

fn vector_add(block: u32) -> Function {
    kernel(
        "vector_add",
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("y", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
            scalar_param("n", Dtype::I32),
        ],
        |b, a| {
            let (offs, mask) = block_offsets(b, block, a[3]);
            let px = ptrs(b, a[0], offs);
            let x = load(b, 0, px, Some(mask), None);
            let py = ptrs(b, a[1], offs);
            let y = load(b, 1, py, Some(mask), None);
            let s = bin(b, Opcode::Add, x, y);
            let po = ptrs(b, a[2], offs);
            store(b, 2, po, s, Some(mask));
        },
    )
}

fn grid_for(n: usize, block: u32) -> [u32; 3] {
    [n.div_ceil(block as usize).max(1) as u32, 1, 1]
}

#[test]
fn vector_add_becomes_one_loop_without_local_memory() {
    let block = 1024;
    let f = vector_add(block);
    let mut rng = Rng::new(1);
    for n in [1usize, 7, 1000, 1023, 1025] {
        let args = vec![
            InterpArg::slice(&rng.f32s(n)),
            InterpArg::slice(&rng.f32s(n)),
            InterpArg::slice(&vec![f32::NAN; n]),
            InterpArg::scalar(n as i32),
        ];
        for (lanes, g) in check(&f, grid_for(n, block), &args, 0.0) {
            assert_eq!(loops(&g), (1, 0), "L = {lanes}: one loop\n{g}");
            assert_eq!(local_mem(&g), 0, "L = {lanes}: no local memory\n{g}");
            let bufs = g.all_ops().into_iter().any(|op| {
                matches!(
                    g.ops[op].opcode,
                    Opcode::Alloc | Opcode::BufLoad | Opcode::BufStore
                )
            });
            assert!(!bufs, "L = {lanes}: buffer ops left\n{g}");
        }
    }
}

/// Row softmax as in Triton's tutorial: one row of `n_cols <= block`
/// elements per program, `-inf` in masked lanes.
fn softmax(block: u32) -> Function {
    kernel(
        "softmax",
        vec![
            ptr_param("out", Dtype::F32, true),
            ptr_param("inp", Dtype::F32, false),
            scalar_param("stride", Dtype::I32),
            scalar_param("n_cols", Dtype::I32),
        ],
        |b, a| {
            let row = pid(b, 0);
            let cols = arange(b, 0, block as i64);
            let n = splat(b, a[3], &[block]);
            let mask = cmp(b, CmpPred::Lt, cols, n);
            let base = bin(b, Opcode::Mul, row, a[2]);
            let pin = b.binary(Opcode::PtrAdd, a[1], base).unwrap();
            let pin = ptrs(b, pin, cols);
            let ninf = b.const_float(f64::NEG_INFINITY, Dtype::F32);
            let ninf = splat(b, ninf, &[block]);
            let x = load(b, 1, pin, Some(mask), Some(ninf));
            let m = reduce(b, ReduceKind::Max, x, 0);
            let m = splat(b, m, &[block]);
            let z = bin(b, Opcode::Sub, x, m);
            let num = b.unary(Opcode::Exp, z).unwrap();
            let den = reduce(b, ReduceKind::Sum, num, 0);
            let den = splat(b, den, &[block]);
            let y = bin(b, Opcode::Div, num, den);
            let pout = b.binary(Opcode::PtrAdd, a[0], base).unwrap();
            let pout = ptrs(b, pout, cols);
            store(b, 0, pout, y, Some(mask));
        },
    )
}

#[test]
fn softmax_fuses_elementwise_chains_and_keeps_reductions() {
    let block = 256;
    let f = softmax(block);
    let mut rng = Rng::new(2);
    for (rows, cols) in [(3usize, 256usize), (4, 255), (2, 1), (5, 100)] {
        let stride = 256;
        let args = vec![
            InterpArg::slice(&vec![0f32; rows * stride]),
            InterpArg::slice(&rng.f32s(rows * stride)),
            InterpArg::scalar(stride as i32),
            InterpArg::scalar(cols as i32),
        ];
        for (lanes, g) in check(&f, [rows as u32, 1, 1], &args, 1e-5) {
            // The load fuses into the `max` loop, `sub`/`exp` into the
            // `sum` loop; the division and store stay a loop of their own
            // (a reduction of a single vector has no loop).
            let (plain, carrying) = loops(&g);
            assert_eq!(plain, 1, "L = {lanes}: elementwise loops\n{g}");
            assert_eq!(carrying, 2, "L = {lanes}: reduction loops\n{g}");
        }
    }
}

/// `w = (y * y + y) - x` with `y = exp(x)`: `y` is used three times, `x`
/// twice, across what lowering emits as separate loops.
#[test]
fn elementwise_chain_with_reused_values() {
    let block = 512;
    let f = kernel(
        "chain",
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
            scalar_param("n", Dtype::I32),
        ],
        |b, a| {
            let (offs, mask) = block_offsets(b, block, a[2]);
            let px = ptrs(b, a[0], offs);
            let x = load(b, 0, px, Some(mask), None);
            let y = b.unary(Opcode::Exp, x).unwrap();
            let yy = bin(b, Opcode::Mul, y, y);
            let z = bin(b, Opcode::Add, yy, y);
            let w = bin(b, Opcode::Sub, z, x);
            let po = ptrs(b, a[1], offs);
            store(b, 1, po, w, Some(mask));
        },
    );
    let mut rng = Rng::new(3);
    for n in [1usize, 511, 512, 513, 1500] {
        let args = vec![
            InterpArg::slice(&rng.f32s(n)),
            InterpArg::slice(&vec![0f32; n]),
            InterpArg::scalar(n as i32),
        ];
        for (lanes, g) in check(&f, grid_for(n, block), &args, 0.0) {
            assert_eq!(loops(&g), (1, 0), "L = {lanes}\n{g}");
            assert_eq!(local_mem(&g), 0, "L = {lanes}\n{g}");
        }
    }
}

/// A source-level loop carrying a tile: `acc += x[k] * x[k]` over `k`
/// blocks, then `out = acc`. The tile is carried in a buffer; the loops
/// lowering emits inside the source loop fuse with each other.
#[test]
fn loop_carrying_a_tile() {
    let block = 64;
    let steps = 5;
    let f = kernel(
        "carry",
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
        ],
        |b, a| {
            let zero = b.const_float(0.0, Dtype::F32);
            let acc0 = splat(b, zero, &[block]);
            let lo = b.const_i32(0);
            let hi = b.const_i32(steps);
            let one = b.const_i32(1);
            let x = a[0];
            let acc = b
                .for_loop(lo, hi, one, &[acc0], |b, k, carried| {
                    let bs = b.const_i32(block as i32);
                    let start = bin(b, Opcode::Mul, k, bs);
                    let start = splat(b, start, &[block]);
                    let lanes = arange(b, 0, block as i64);
                    let offs = bin(b, Opcode::Add, start, lanes);
                    let px = ptrs(b, x, offs);
                    let v = load(b, 0, px, None, None);
                    let sq = bin(b, Opcode::Mul, v, v);
                    Ok(vec![bin(b, Opcode::Add, carried[0], sq)])
                })
                .unwrap()[0];
            let offs = arange(b, 0, block as i64);
            let po = ptrs(b, a[1], offs);
            store(b, 1, po, acc, None);
        },
    );
    let mut rng = Rng::new(4);
    let args = vec![
        InterpArg::slice(&rng.f32s(block as usize * steps as usize)),
        InterpArg::slice(&vec![0f32; block as usize]),
    ];
    for (lanes, g) in check(&f, [1, 1, 1], &args, 0.0) {
        if lanes >= block {
            continue; // one vector: lowering emits no inner loops
        }
        // The tile is carried in a buffer, updated in place: the source
        // loop's body holds the lowered offsets, load, square and sum,
        // fused into one inner loop.
        let inner: Vec<usize> = g
            .block_ops(g.body)
            .iter()
            .filter(|&&op| g.ops[op].opcode == Opcode::For)
            .map(|&op| {
                let body = g.ops[op].regions[0];
                let nested = g.block_ops(body).iter();
                nested.filter(|&&o| g.ops[o].opcode == Opcode::For).count()
            })
            .filter(|&n| n > 0)
            .collect();
        assert_eq!(inner, vec![1], "L = {lanes}\n{g}");
    }
}

/// A 2-D tile with a broadcast row: `out[r, c] = x[r, c] * s[c] + 1`. The
/// broadcast's copy loops do not fuse with the flat elementwise loops (other
/// bounds); results must still match.
#[test]
fn broadcast_rows() {
    let (rows, cols) = (8u32, 32u32);
    let f = kernel(
        "scale_rows",
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("s", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
        ],
        |b, a| {
            let x = load_tile(b, a, 0, &[rows, cols]);
            let s = load_tile(b, a, 1, &[cols]);
            let s = expand(b, s, 0);
            let s = bcast(b, s, &[rows, cols]);
            let one = b.const_float(1.0, Dtype::F32);
            let one = splat(b, one, &[rows, cols]);
            let y = bin(b, Opcode::Mul, x, s);
            let y = bin(b, Opcode::Add, y, one);
            store_tile(b, a, 2, y);
        },
    );
    let mut rng = Rng::new(5);
    let args = vec![
        InterpArg::slice(&rng.f32s((rows * cols) as usize)),
        InterpArg::slice(&rng.f32s(cols as usize)),
        InterpArg::slice(&vec![0f32; (rows * cols) as usize]),
    ];
    check(&f, [1, 1, 1], &args, 0.0);
}
