//! `verify_lowered`: one negative test per rule L1–L7 of the lowered-IR
//! contract (see the module doc of `persim_lang::ir::verify`).

mod text_samples;

use persim_lang::ir::*;

/// Valid lowered IR for 4 lanes: one 256-byte buffer, vectors and scalars.
const BASE: &str = "kernel @l(%0 x: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 256} {
  %2 = alloc {ty = buf<64xf32>, offset = 0} : buf<64xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
  %5 = reduce %4 {kind = sum, axis = 0} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  %7 = arange {lo = 0, hi = 4} : tile<4xi32>
  %8 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %9 = ptr_add %8, %7 : tile<4xptr<f32>>
  store %9, %6
  buf_store %2, %3, %6
  return
}
";

fn parse(text: &str) -> Function {
    parse_function(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// `BASE` with `from` replaced by `to` (which must occur).
fn edited(from: &str, to: &str) -> Function {
    assert!(BASE.contains(from), "{from:?} not in BASE");
    parse(&BASE.replacen(from, to, 1))
}

fn message(f: &Function, lanes: u32) -> String {
    match verify_lowered(f, lanes) {
        Ok(()) => panic!("verified, expected an error:\n{f}"),
        Err(e) => e.message,
    }
}

#[test]
fn lowered_ir_verifies() {
    verify_lowered(&parse(BASE), 4).unwrap();
    verify_lowered(&text_samples::lowered(), 4).unwrap();
}

#[test]
fn general_invariants_come_first() {
    let f = edited("  return\n", "");
    assert_eq!(
        message(&f, 4),
        "the kernel body must end with `return`, but ends with `buf_store`"
    );
}

#[test]
fn l1_lanes_attribute() {
    assert_eq!(
        message(&parse(BASE), 8),
        "function attribute `lanes` is 4, but the target has 8 lanes"
    );
    let f = edited(
        "attrs {lanes = 4, local_mem = 256}",
        "attrs {local_mem = 256}",
    );
    assert_eq!(
        message(&f, 4),
        "lowered IR must record the function attribute `lanes`"
    );
}

#[test]
fn l1_local_mem_attribute() {
    let f = edited("local_mem = 256", "local_mem = -1");
    assert_eq!(
        message(&f, 4),
        "function attribute `local_mem` must be a byte count, got -1"
    );
    let f = edited("attrs {lanes = 4, local_mem = 256}", "attrs {lanes = 4}");
    assert_eq!(
        message(&f, 4),
        "lowered IR must record the function attribute `local_mem`"
    );
}

#[test]
fn l2_tile_only_ops() {
    let cases = [
        ("%10 = expand_dims %5 {axis = 0} : tile<1xf32>", "expand_dims"),
        ("%10 = broadcast %6 {shape = [4]} : tile<4xf32>", "broadcast"),
        ("%10 = reshape %6 {shape = [4]} : tile<4xf32>", "reshape"),
        ("%10 = trans %6 {perm = [0]} : tile<4xf32>", "trans"),
        (
            "%10 = reshape %6 {shape = [2, 2]} : tile<2x2xf32>\n  %11 = dot %10, %10, %10 : tile<2x2xf32>",
            "reshape",
        ),
    ];
    for (line, op) in cases {
        let f = edited("  return\n", &format!("  {line}\n  return\n"));
        assert_eq!(message(&f, 4), format!("`{op}` must be lowered away"));
    }
    // `dot` on its own, from tiles that arrive as parameters.
    let text = "kernel @l(%0 a: tile<2x2xf32>) attrs {lanes = 4, local_mem = 0} {
  %1 = dot %0, %0, %0 : tile<2x2xf32>
  return
}
";
    assert_eq!(message(&parse(text), 4), "`dot` must be lowered away");
}

#[test]
fn l3_reduce_of_one_vector() {
    let text = "kernel @l(%0 t: tile<8xf32>) attrs {lanes = 4, local_mem = 0} {
  %1 = reduce %0 {kind = max, axis = 0} : f32
  return
}
";
    assert_eq!(
        message(&parse(text), 4),
        "`reduce` of tile<8xf32> to f32: lowered reductions take one vector of 4 lanes to a scalar"
    );
}

#[test]
fn l4_splat_to_one_vector() {
    let f = edited(
        "%6 = splat %5 {shape = [4]} : tile<4xf32>",
        "%6 = splat %5 {shape = [4]} : tile<4xf32>\n  %10 = splat %5 {shape = [8]} : tile<8xf32>",
    );
    assert_eq!(
        message(&f, 4),
        "`splat` produces tile<8xf32>: lowered `splat` produces one vector of 4 lanes"
    );
}

#[test]
fn l5_arange_of_lanes_elements() {
    let f = edited(
        "%7 = arange {lo = 0, hi = 4} : tile<4xi32>",
        "%7 = arange {lo = 0, hi = 4} : tile<4xi32>\n  %10 = arange {lo = 4, hi = 12} : tile<8xi32>",
    );
    assert_eq!(
        message(&f, 4),
        "`arange` produces tile<8xi32>: lowered `arange` produces one vector of 4 lanes"
    );
}

#[test]
fn l6_alloc_alignment_and_capacity() {
    let f = edited("offset = 0}", "offset = 32}");
    assert_eq!(
        message(&f, 4),
        "buffer offset 32 is not a multiple of 64 bytes"
    );
    let f = edited("local_mem = 256", "local_mem = 255");
    assert_eq!(
        message(&f, 4),
        "buf<64xf32> at offset 0 ends at byte 256, past `local_mem` = 255"
    );
}

#[test]
fn l7_results_are_scalars_or_one_vector() {
    let f = edited(
        "%4 = buf_load %2, %3 {lanes = 4} : tile<4xf32>",
        "%4 = buf_load %2, %3 {lanes = 4} : tile<4xf32>\n  %10 = buf_load %2, %3 {lanes = 8} : tile<8xf32>",
    );
    // Named as printed: the new op is the fourth, so its result is %5.
    let e = verify_lowered(&f, 4).unwrap_err();
    assert_eq!(
        e.message,
        "%5 has type tile<8xf32>: lowered tiles are scalars or vectors of 4 lanes"
    );
    assert_eq!(
        e.op.as_deref(),
        Some("%5 = buf_load %2, %3 {lanes = 8} : tile<8xf32>")
    );
}

#[test]
fn l7_parameters_and_loop_carried_values() {
    let text = "kernel @l(%0 t: tile<2x4xf32>, %1 n: i32) attrs {lanes = 4, local_mem = 0} {
  return
}
";
    let e = verify_lowered(&parse(text), 4).unwrap_err();
    assert_eq!(
        e.message,
        "%0 has type tile<2x4xf32>: lowered tiles are scalars or vectors of 4 lanes"
    );
    assert_eq!(e.location, "@l");
    // A carried tile is reported at the loop, before the parameter it
    // comes from.
    let text = "kernel @l(%0 t: tile<8xi32>, %1 n: i32) attrs {lanes = 4, local_mem = 0} {
  %2 = for %1, %1, %1, %0 : tile<8xi32> {
  ^(%3: i32, %4: tile<8xi32>):
    yield %4
  }
  return
}
";
    let e = verify_lowered(&parse(text), 4).unwrap_err();
    assert_eq!(
        e.message,
        "%2 has type tile<8xi32>: lowered tiles are scalars or vectors of 4 lanes"
    );
    assert_eq!(
        e.op.as_deref(),
        Some("%2 = for %1, %1, %1, %0 : tile<8xi32> {...}")
    );
}
