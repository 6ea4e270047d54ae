//! Handwritten text (named values, comments, free layout, attributes in any
//! order) parses, verifies, and prints in canonical form.

use persim_lang::ir::*;

const SOFTMAX_ROW: &str = r#"
; One row of softmax, as the frontend would emit it for BLOCK = 4.
kernel @softmax_row(
    %out out: ptr<f32> mut,
    %inp inp: ptr<f32>,
    %n n_cols: i32
) consts {BLOCK = 4} files ["kernels/softmax.rs"] {
  %row = program_id {axis = 0} : i32                    loc(3:15)
  %cols = arange {hi = 4, lo = 0} : tile<4xi32>         loc(4:16)  ; keys in any order
  %limit = splat %n {shape = [4]} : tile<4xi32>
  %mask = cmp %cols, %limit {pred = lt} : tile<4xi1>    loc(5:16)
  %base = splat %inp {shape = [4]} : tile<4xptr<f32>>
  %ptrs = ptr_add %base, %cols : tile<4xptr<f32>>
  %ninf = const {value = -inf, ty = f32} : f32
  %other = splat %ninf {shape = [4]} : tile<4xf32>
  %x = load %ptrs, %mask, %other {arg = 1} : tile<4xf32> loc(6:13)
  %m = reduce %x {axis = 0, kind = max} : f32
  %ms = splat %m {shape = [4]} : tile<4xf32>
  %z = sub %x, %ms : tile<4xf32>
  %num = exp %z : tile<4xf32>
  %den = reduce %num {kind = sum, axis = 0} : f32
  %dens = splat %den {shape = [4]} : tile<4xf32>
  %y = div %num, %dens : tile<4xf32>
  %obase = splat %out {shape = [4]} : tile<4xptr<f32>>
  %optrs = ptr_add %obase, %cols : tile<4xptr<f32>>
  store %optrs, %y, %mask {arg = 0}                      loc(9:5)
  return
}
"#;

const SOFTMAX_ROW_PRINTED: &str = r#"kernel @softmax_row(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_cols: i32) consts {BLOCK = 4} files ["kernels/softmax.rs"] {
  %3 = program_id {axis = 0} : i32 loc(3:15)
  %4 = arange {lo = 0, hi = 4} : tile<4xi32> loc(4:16)
  %5 = splat %2 {shape = [4]} : tile<4xi32>
  %6 = cmp %4, %5 {pred = lt} : tile<4xi1> loc(5:16)
  %7 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %8 = ptr_add %7, %4 : tile<4xptr<f32>>
  %9 = const {value = -inf, ty = f32} : f32
  %10 = splat %9 {shape = [4]} : tile<4xf32>
  %11 = load %8, %6, %10 {arg = 1} : tile<4xf32> loc(6:13)
  %12 = reduce %11 {kind = max, axis = 0} : f32
  %13 = splat %12 {shape = [4]} : tile<4xf32>
  %14 = sub %11, %13 : tile<4xf32>
  %15 = exp %14 : tile<4xf32>
  %16 = reduce %15 {kind = sum, axis = 0} : f32
  %17 = splat %16 {shape = [4]} : tile<4xf32>
  %18 = div %15, %17 : tile<4xf32>
  %19 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %20 = ptr_add %19, %4 : tile<4xptr<f32>>
  store %20, %18, %6 {arg = 0} loc(9:5)
  return
}
"#;

#[test]
fn handwritten_kernel_prints_canonically() {
    let f = parse_function(SOFTMAX_ROW).unwrap_or_else(|e| panic!("{e}"));
    verify(&f).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(print_function(&f), SOFTMAX_ROW_PRINTED);
    let again = parse_function(SOFTMAX_ROW_PRINTED).unwrap();
    structurally_equal(&again, &f).unwrap();
}

#[test]
fn parsed_kernel_has_the_written_signature_and_attributes() {
    let f = parse_function(SOFTMAX_ROW).unwrap();
    assert_eq!(f.name, "softmax_row");
    let names: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["out", "inp", "n_cols"]);
    assert!(f.params[0].mutable && !f.params[1].mutable);
    assert_eq!(f.consts, [("BLOCK".to_string(), 4)]);
    let ops = f.all_ops();
    let arange = f.op(ops[1]);
    assert_eq!(arange.opcode, Opcode::Arange);
    // Stored in table order with the table's keys, whatever the text order.
    let keys: Vec<&str> = arange.attrs.0.iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, ["lo", "hi"]);
    assert_eq!(arange.loc, Loc::new(0, 4, 16));
    let ninf = f.op(ops[6]);
    assert_eq!(
        ninf.attrs.get("value"),
        Some(&Attr::Float(f64::NEG_INFINITY))
    );
}

#[test]
fn attribute_values_are_self_describing() {
    let text = r#"kernel @k(%0 p: ptr<f32>) attrs {lanes = 4, local_mem = 0} {
  %1 = alloc {ty = buf<8xptr<f16>>, offset = 64} : buf<8xptr<f16>>
  %2 = const {value = 1e-5, ty = bf16} : bf16
  %3 = const {value = -2.5, ty = f64} : f64
  %4 = const {value = nan, ty = f32} : f32
  %5 = const {value = false, ty = i1} : i1
  %6 = const {value = -12, ty = i8} : i8
  %7 = const {value = 3, ty = u64} : u64
  %8 = arange {lo = -4, hi = 4} : tile<8xi32>
  %9 = reshape %8 {shape = [2, 4]} : tile<2x4xi32>
  %10 = reduce %9 {kind = min, axis = 1} : tile<2xi32>
  %11 = call %10 {callee = "f\u{e9}e\t"} : tile<2xptr<f32>>
  return
}
"#;
    let f = parse_function(text).unwrap_or_else(|e| panic!("{e}"));
    let ops = f.all_ops();
    let attr = |i: usize, key: &str| f.op(ops[i]).attrs.get(key).cloned().unwrap();
    assert_eq!(
        attr(0, "ty"),
        Attr::Type(Type::buf(Elem::Ptr(Dtype::F16), 8))
    );
    assert_eq!(attr(1, "value"), Attr::Float(1e-5));
    assert_eq!(attr(1, "ty"), Attr::Dtype(Dtype::BF16));
    assert_eq!(attr(2, "value"), Attr::Float(-2.5));
    assert!(matches!(attr(3, "value"), Attr::Float(x) if x.is_nan()));
    assert_eq!(attr(4, "value"), Attr::Bool(false));
    assert_eq!(attr(5, "value"), Attr::Int(-12));
    assert_eq!(attr(7, "lo"), Attr::Int(-4));
    assert_eq!(attr(8, "shape"), Attr::Ints(vec![2, 4]));
    assert_eq!(attr(9, "kind"), Attr::Reduce(ReduceKind::Min));
    assert_eq!(attr(10, "callee"), Attr::Str("fée\t".into()));
    assert_eq!(f.attrs.get("lanes"), Some(&Attr::Int(4)));
    // `call` result types are taken as written.
    let call = f.op(ops[10]);
    assert_eq!(
        *f.ty(call.results[0]),
        Type::tile(Elem::Ptr(Dtype::F32), &[2])
    );
    // Attribute keys are the table's own `&'static str`s.
    let key = f.op(ops[0]).attrs.0[0].0;
    assert!(std::ptr::eq(key, Opcode::Alloc.info().attrs[0]));
    assert_eq!(
        print_function(&f).lines().nth(11).unwrap(),
        "  %11 = call %10 {callee = \"fée\\t\"} : tile<2xptr<f32>>"
    );
}

/// Text that parses but breaks block structure: the parser leaves it to the
/// verifier, which names the problem.
#[test]
fn parser_leaves_block_structure_to_the_verifier() {
    let text = "kernel @k(%0 c: i1) {\n  if %0 {\n    yield\n  } {\n  }\n  return\n}\n";
    let f = parse_function(text).unwrap();
    let e = verify(&f).unwrap_err();
    assert_eq!(
        e.message,
        "an `if` branch is empty; it must end with `yield`"
    );
    assert_eq!(print_function(&f), text);
}
