//! `dead-stores` changes no result: kernels whose loops store into local
//! buffers, some stores dead and some read again (in the next iteration,
//! or after the loop), interpreted before and after the pass.

mod lower_util;

use lower_util::*;
use persim_lang::interp::{run_grid, InterpArg};
use persim_lang::ir::{parse_function, Opcode};
use persim_lang::passes::pass_by_name;

/// A prefix recurrence through `b` (`b[iv + 4] = 2 · b[iv]`, read again
/// next iteration), a copy into `c` read after the loop, and a scaled copy
/// of `c` back into itself that nothing reads again (dead).
const KERNEL: &str = r#"
kernel @k(%0 out: ptr<f32> mut, %1 x: f32) attrs {lanes = 4, local_mem = 256} {
  %2 = alloc {ty = buf<20xf32>, offset = 0} : buf<20xf32>
  %3 = alloc {ty = buf<16xf32>, offset = 128} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  %7 = splat %1 {shape = [4]} : tile<4xf32>
  buf_store %2, %4, %7
  for %4, %5, %6 {
  ^(%8: i32):
    %9 = buf_load %2, %8 {lanes = 4} : tile<4xf32>
    %10 = add %9, %9 : tile<4xf32>
    %11 = add %8, %6 : i32
    buf_store %2, %11, %10
    buf_store %3, %8, %10
    yield
  }
  %12 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %13 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %4, %5, %6 {
  ^(%14: i32):
    %15 = buf_load %3, %14 {lanes = 4} : tile<4xf32>
    %16 = mul %15, %7 : tile<4xf32>
    buf_store %3, %14, %16
    %17 = splat %14 {shape = [4]} : tile<4xi32>
    %18 = add %13, %17 : tile<4xi32>
    %19 = ptr_add %12, %18 : tile<4xptr<f32>>
    store %19, %16 {arg = 0}
    yield
  }
  return
}
"#;

#[test]
fn dead_stores_go_and_read_ones_stay() {
    let f = parse_function(KERNEL).expect("valid IR");
    let mut g = f.clone();
    (pass_by_name("dead-stores").expect("registered").run)(&mut g, &target(4)).expect("pass");
    let stores = |h: &persim_lang::ir::Function| {
        h.all_ops()
            .into_iter()
            .filter(|&o| h.op(o).opcode == Opcode::BufStore)
            .count()
    };
    assert_eq!(
        stores(&f) - stores(&g),
        1,
        "one store is dead:\n{}",
        dump(&g)
    );
    for x in [1.5f32, -0.25] {
        let args = [InterpArg::slice(&[0.0f32; 16]), InterpArg::scalar(x)];
        let mut want = args.to_vec();
        run_grid(&f, [1, 1, 1], &mut want).expect("runs");
        let mut got = args.to_vec();
        run_grid(&g, [1, 1, 1], &mut got).expect("runs");
        compare(&f, &want, &got, 0.0, "dead-stores");
    }
}
