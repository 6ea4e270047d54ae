//! `modulo-schedule` through the whole standard pipeline, with every loop
//! the scheduler can take pipelined (no profitability test): each kernel
//! stores bit for bit what it stores unpipelined (values are only moved
//! between iterations' stages, never reassociated), at 1, 4 and 16 lanes,
//! with the loops unrolled or not.

mod buf_kernels;
mod lower_util;

use lower_util::*;
use persim_lang::interp::{run_grid, InterpArg};
use persim_lang::ir::{Function, Opcode};
use persim_lang::passes::Pipeline;
use persim_lang::target::IssueModel;

const MODEL: IssueModel = ISSUE_MODEL;

fn lowered(f: &Function, lanes: u32, unroll: u32, modulo: bool) -> Function {
    let mut g = f.clone();
    let mut t = target(lanes).with_unroll(unroll);
    t.vector_registers = 64;
    Pipeline::standard(t.with_modulo(modulo.then_some(MODEL)))
        .verify_each(true)
        .run(&mut g)
        .unwrap_or_else(|e| panic!("`{}` (L = {lanes}, unroll {unroll}): {e}", f.name));
    g
}

/// Loops the pass pipelined.
fn pipelined(g: &Function) -> usize {
    g.all_ops()
        .into_iter()
        .filter(|&o| g.op(o).opcode == Opcode::For && g.op(o).attrs.int("stages").is_some())
        .count()
}

/// Runs `f` with and without the pass; returns the loops pipelined at 4
/// lanes.
fn check(f: &Function, grid: [u32; 3], args: &[InterpArg]) -> usize {
    let mut count = 0;
    for lanes in LANES {
        for unroll in [1, 4] {
            let mut want = args.to_vec();
            run_grid(&lowered(f, lanes, unroll, false), grid, &mut want)
                .unwrap_or_else(|e| panic!("`{}` (L = {lanes}): {e}", f.name));
            let g = lowered(f, lanes, unroll, true);
            let mut got = args.to_vec();
            let what = format!("`{}` pipelined (L = {lanes}, unroll {unroll})", f.name);
            run_grid(&g, grid, &mut got).unwrap_or_else(|e| panic!("{what}: {e}\n{}", dump(&g)));
            compare(f, &want, &got, 0.0, &what);
            if lanes == 4 {
                count += pipelined(&g);
            }
        }
    }
    count
}

#[test]
fn softmax_pipelined_keeps_every_bit() {
    let mut rng = Rng::new(101);
    for (block, n_cols) in [(64u32, 50u32), (256, 256), (1024, 1000)] {
        let f = buf_kernels::softmax(block);
        let args = buf_kernels::softmax_args(&mut rng, n_cols);
        assert!(
            check(&f, [2, 1, 1], &args) > 0,
            "no loop of softmax ({block}, {n_cols}) pipelined"
        );
    }
}

#[test]
fn matmul_pipelined_keeps_every_bit() {
    let mut rng = Rng::new(102);
    for (m, n, k) in [(9u32, 16u32, 24u32), (16, 32, 64)] {
        let f = buf_kernels::matmul(8, 16, 8);
        let (args, grid) = buf_kernels::matmul_args(&mut rng, (m, n, k), (8, 16));
        assert!(check(&f, grid, &args) > 0);
    }
}

#[test]
fn loops_around_control_flow_pipelined_keep_every_bit() {
    let mut rng = Rng::new(103);
    let f = buf_kernels::if_in_loop(37);
    let args = vec![
        InterpArg::slice(&rng.f32s(37)),
        InterpArg::slice(&[0.0f32; 37]),
        InterpArg::scalar(5),
    ];
    check(&f, [1, 1, 1], &args);
    let f = buf_kernels::doubling_while(64);
    let x: Vec<i32> = (0..64).map(|i| i % 7 + 1).collect();
    let y: Vec<i32> = (0..64).map(|i| i % 3).collect();
    let args = vec![
        InterpArg::slice(&x),
        InterpArg::slice(&y),
        InterpArg::slice(&[0i32; 64]),
        InterpArg::scalar(100_000i32),
    ];
    check(&f, [1, 1, 1], &args);
}

/// A recurrence through memory: iteration `i` reads the element iteration
/// `i − 1` stored (`b[iv + 4] = 2 · b[iv] + 1`), so no load may move above
/// the previous iteration's store, and a sum carried beside it.
const THROUGH_MEMORY: &str = r#"
kernel @k(%0 out: ptr<f32> mut, %1 x: f32) attrs {lanes = 4, local_mem = 512} {
  %2 = alloc {ty = buf<68xf32>, offset = 0} : buf<68xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 64, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = splat %1 {shape = [4]} : tile<4xf32>
  buf_store %2, %3, %6
  %7 = const {value = 2.0, ty = f32} : f32
  %8 = splat %7 {shape = [4]} : tile<4xf32>
  %9 = const {value = 1.0, ty = f32} : f32
  %10 = splat %9 {shape = [4]} : tile<4xf32>
  %11 = for %3, %4, %5, %6 : tile<4xf32> {
  ^(%12: i32, %13: tile<4xf32>):
    %14 = buf_load %2, %12 {lanes = 4} : tile<4xf32>
    %15 = mul %14, %8 : tile<4xf32>
    %16 = add %15, %10 : tile<4xf32>
    %17 = exp %16 : tile<4xf32>
    %18 = add %12, %5 : i32
    buf_store %2, %18, %16
    %19 = add %13, %17 : tile<4xf32>
    yield %19
  }
  %20 = buf_load %2, %4 {lanes = 4} : tile<4xf32>
  %21 = add %20, %11 : tile<4xf32>
  %22 = arange {lo = 0, hi = 4} : tile<4xi32>
  %23 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %24 = ptr_add %23, %22 : tile<4xptr<f32>>
  store %24, %21 {arg = 0}
  return
}
"#;

#[test]
fn recurrence_through_a_buffer_keeps_every_bit() {
    use persim_lang::passes::pass_by_name;
    let f = persim_lang::ir::parse_function(THROUGH_MEMORY).expect("valid IR");
    let args = [InterpArg::slice(&[0.0f32; 4]), InterpArg::scalar(-3.0f32)];
    let mut want = args.to_vec();
    run_grid(&f, [1, 1, 1], &mut want).expect("runs");
    let mut g = f.clone();
    let mut t = target(4);
    t.vector_registers = 64;
    let t = t.with_modulo(Some(MODEL));
    (pass_by_name("modulo-schedule").expect("registered").run)(&mut g, &t).expect("pass");
    assert_eq!(pipelined(&g), 1, "not pipelined:\n{}", dump(&g));
    let mut got = args.to_vec();
    run_grid(&g, [1, 1, 1], &mut got).unwrap_or_else(|e| panic!("{e}\n{}", dump(&g)));
    compare(&f, &want, &got, 0.0, "recurrence through a buffer");
}
