//! Round trips of the text format: `parse(print(f))` is structurally equal
//! to `f`, and printing is a fixed point of `print ∘ parse`.

mod text_samples;

use persim_lang::ir::*;
use std::collections::HashSet;
use text_samples::*;

fn round_trip(f: &Function) -> Function {
    let text = print_function(f);
    let g = parse_function(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    if let Err(diff) = structurally_equal(&g, f) {
        panic!("round trip changed `{}`: {diff}\n{text}", f.name);
    }
    assert_eq!(print_function(&g), text, "printing is not a fixed point");
    g
}

#[test]
fn samples_verify() {
    for f in all_samples() {
        if let Err(e) = verify(&f) {
            panic!("{e}\n{f}");
        }
    }
}

#[test]
fn samples_cover_every_op() {
    let used: HashSet<Opcode> = all_samples()
        .iter()
        .flat_map(|f| {
            f.all_ops()
                .into_iter()
                .map(|op| f.op(op).opcode)
                .collect::<Vec<_>>()
        })
        .collect();
    let missing: Vec<&str> = OP_TABLE
        .iter()
        .filter(|info| !used.contains(&info.opcode))
        .map(|info| info.name)
        .collect();
    assert!(missing.is_empty(), "no round-trip sample uses {missing:?}");
}

#[test]
fn tile_ops_round_trip() {
    round_trip(&tile_ops());
}

#[test]
fn constants_round_trip_bit_exactly() {
    let f = constants();
    let g = round_trip(&f);
    let floats = |f: &Function| -> Vec<u64> {
        f.all_ops()
            .into_iter()
            .filter_map(|op| match f.op(op).attrs.get("value") {
                Some(Attr::Float(x)) if !x.is_nan() => Some(x.to_bits()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(floats(&f), floats(&g));
    assert!(floats(&f).contains(&(-0.0f64).to_bits()));
}

#[test]
fn control_flow_round_trip() {
    round_trip(&control_flow());
}

#[test]
fn lowered_round_trip() {
    round_trip(&lowered());
}

#[test]
fn shape_and_atomics_round_trip() {
    round_trip(&shape_and_atomics());
}

#[test]
fn odd_names_round_trip() {
    let g = round_trip(&odd_names());
    assert_eq!(g.name, "odd name");
    assert_eq!(g.params[1].name, "");
    assert_eq!(g.files[0], "dir/ü \"quoted\".rs");
}

#[test]
fn module_round_trip() {
    let module = Module {
        funcs: all_samples(),
    };
    let text = module.to_string();
    let parsed = parse_module(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(parsed.funcs.len(), module.funcs.len());
    for (a, b) in parsed.funcs.iter().zip(&module.funcs) {
        structurally_equal(a, b).unwrap();
    }
    assert_eq!(parsed.to_string(), text);
    assert!(
        text.contains("}\n\nkernel @constants()"),
        "functions are separated by a blank line"
    );
}

#[test]
fn empty_module_round_trips() {
    assert_eq!(parse_module("").unwrap().funcs.len(), 0);
    assert_eq!(parse_module("  ; only a comment\n").unwrap().funcs.len(), 0);
    assert_eq!(Module::default().to_string(), "");
}

/// Values print densely in program order whatever the arena order: an op
/// inserted at the front of the body after others were built still gets the
/// first number.
#[test]
fn values_are_renumbered_in_print_order() {
    let mut f = Function::new("order", vec![param("n", i32_ty(), false)]);
    let n = f.param_value(0);
    let mut b = Builder::new(&mut f);
    let late = b.const_i32(2);
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    let body = f.body;
    let mut front = Builder::before(&mut f, body, 0);
    let early = front.const_i32(1);
    let sum = front.binary(Opcode::Add, early, n).unwrap();
    let _ = (late, sum);
    let text = print_function(&f);
    let expected = "\
kernel @order(%0 n: i32) {
  %1 = const {value = 1, ty = i32} : i32
  %2 = add %1, %0 : i32
  %3 = const {value = 2, ty = i32} : i32
  return
}
";
    assert_eq!(text, expected);
    round_trip(&f);
}

/// The control-flow sample prints exactly so: results before region
/// arguments, regions joined by `} {`, locations after the last region.
#[test]
fn control_flow_prints_as_documented() {
    let text = print_function(&control_flow());
    let expected = r#"kernel @control_flow(%0 out: ptr<f32> mut, %1 n: i32) files ["kernels/loops.rs"] {
  %2 = const {value = 0, ty = i32} : i32 loc(2:1)
  %3 = const {value = 1, ty = i32} : i32 loc(2:1)
  %4 = const {value = 10, ty = i32} : i32 loc(2:1)
  %5 = const {value = 0.0, ty = f32} : f32 loc(2:1)
  %6, %7 = for %2, %1, %3, %5, %2 : f32, i32 {
  ^(%8: i32, %9: f32, %10: i32):
    %11 = cmp %8, %4 {pred = lt} : i1 loc(5:5)
    %12, %13 = if %11 : f32, i32 {
      %14 = for %2, %8, %3, %9 : f32 {
      ^(%15: i32, %16: f32):
        %17 = cast %15 {to = f32} : f32 loc(5:5)
        %18 = add %16, %17 : f32 loc(5:5)
        yield %18 loc(5:5)
      } loc(5:5)
      %19 = add %10, %3 : i32 loc(5:5)
      yield %14, %19 loc(5:5)
    } {
      yield %9, %10 loc(5:5)
    } loc(5:5)
    yield %12, %13 loc(5:5)
  } loc(5:5)
  %20 = cmp %7, %2 {pred = gt} : i1 loc(5:5)
  if %20 {
    store %0, %6 loc(5:5)
    yield loc(5:5)
  } {
    yield loc(5:5)
  } loc(5:5)
  %21, %22 = while %2, %5 : i32, f32 {
  ^(%23: i32, %24: f32):
    %25 = cmp %23, %1 {pred = lt} : i1 loc(5:5)
    condition %25, %23, %24 loc(5:5)
  } {
  ^(%26: i32, %27: f32):
    %28 = add %26, %3 : i32 loc(5:5)
    %29 = const {value = 2.0, ty = f32} : f32 loc(5:5)
    %30 = mul %27, %29 : f32 loc(5:5)
    yield %28, %30 loc(5:5)
  } loc(5:5)
  %31, %32 = call %21, %6 {callee = "helper \"v2\"\n"} : f32, tile<4xi32> loc(5:5)
  call {callee = "barrier"} loc(5:5)
  return loc(5:5)
}
"#;
    assert_eq!(text, expected);
}

#[test]
fn device_function_header_round_trips() {
    let f = device_function();
    let text = f.to_string();
    assert!(
        text.starts_with(
            "func @\"act<tile<4xf32>, f32>\"(%0 x: tile<4xf32>, %1 s: f32) -> (tile<4xf32>, f32) files"
        ),
        "{text}"
    );
    let g = round_trip(&f);
    assert_eq!(g.kind, FuncKind::Device);
    assert_eq!(g.results.len(), 2);
    let mut one = f.clone();
    one.results.truncate(1);
    assert!(one.to_string().contains(") -> tile<4xf32> files"));
}
