//! One negative test per invariant of `verify` (numbered as in the module
//! doc of `persim_lang::ir::verify`): a function that breaks exactly that
//! invariant, and the message it gets.

use persim_lang::ir::*;

/// A valid kernel: a `for` summing its induction variable, then a store.
const BASE: &str = r#"kernel @k(%0 p: ptr<f32> mut, %1 n: i32) files ["k.rs"] {
  %2 = const {value = 0, ty = i32} : i32 loc(2:3)
  %3 = const {value = 1, ty = i32} : i32 loc(3:3)
  %4 = const {value = 0.0, ty = f32} : f32 loc(4:3)
  %5 = for %2, %1, %3, %4 : f32 {
  ^(%6: i32, %7: f32):
    %8 = cast %6 {to = f32} : f32 loc(6:5)
    %9 = add %7, %8 : f32 loc(7:5)
    yield %9 loc(8:5)
  } loc(5:3)
  store %0, %5 {arg = 0} loc(10:3)
  return loc(11:3)
}
"#;

fn parse(text: &str) -> Function {
    parse_function(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn base() -> Function {
    parse(BASE)
}

/// `BASE` with `from` replaced by `to` (which must occur).
fn edited(from: &str, to: &str) -> Function {
    assert!(BASE.contains(from), "{from:?} not in BASE");
    parse(&BASE.replacen(from, to, 1))
}

fn error(f: &Function) -> VerifyError {
    match verify(f) {
        Ok(()) => panic!("verified, expected an error:\n{f}"),
        Err(e) => e,
    }
}

fn message(f: &Function) -> String {
    error(f).message
}

/// The `i`-th op in program order.
fn op(f: &Function, i: usize) -> Op {
    f.all_ops()[i]
}

// Op indices in BASE, in program order.
const FOR: usize = 3;
const CAST: usize = 4;
const ADD: usize = 5;
const YIELD: usize = 6;
const STORE: usize = 7;

#[test]
fn base_verifies() {
    verify(&base()).unwrap();
}

#[test]
fn errors_locate_and_print_the_op() {
    let f = edited(
        "%9 = add %7, %8 : f32 loc(7:5)",
        "%9 = add %7, %7 : f32 loc(7:5)",
    );
    let mut f = f;
    let add = op(&f, ADD);
    f.ops[add].operands[1] = f.param_value(1);
    let e = error(&f);
    assert_eq!(e.location, "k.rs:7:5");
    assert_eq!(e.op.as_deref(), Some("%9 = add %7, %1 : f32 loc(7:5)"));
    assert_eq!(
        e.to_string(),
        "k.rs:7:5: ill-typed: operand 1 has type i32, expected f32\n    %9 = add %7, %1 : f32 loc(7:5)"
    );
    // Without a known location the kernel is named instead.
    f.ops[add].loc = Loc::UNKNOWN;
    assert_eq!(error(&f).location, "@k");
}

// ---- 1. entity references -------------------------------------------------

#[test]
fn inv1_dangling_operand() {
    let mut f = base();
    let add = op(&f, ADD);
    f.ops[add].operands[0] = Value::from_u32(999);
    assert_eq!(
        message(&f),
        "operand 0 refers to %999, which is not in the value arena"
    );
}

#[test]
fn inv1_dangling_op_in_block() {
    let mut f = base();
    let body = f.body;
    f.blocks[body].ops.insert(0, Op::from_u32(500));
    assert_eq!(
        message(&f),
        "a block lists op500, which is not in the op arena"
    );
}

#[test]
fn inv1_dangling_region_and_body() {
    let mut f = base();
    let for_op = op(&f, FOR);
    f.ops[for_op].regions[0] = Block::from_u32(77);
    assert_eq!(
        message(&f),
        "region 0 refers to ^bb77, which is not in the block arena"
    );
    let mut f = base();
    f.body = Block::from_u32(77);
    assert_eq!(
        message(&f),
        "the body block ^bb77 is not in the block arena"
    );
}

#[test]
fn inv1_dangling_result_and_block_argument() {
    let mut f = base();
    let add = op(&f, ADD);
    f.ops[add].results[0] = Value::from_u32(4000);
    assert_eq!(
        message(&f),
        "result 0 refers to %4000, which is not in the value arena"
    );
    let mut f = base();
    let region = f.op(op(&f, FOR)).regions[0];
    f.blocks[region].args.push(Value::from_u32(4000));
    assert_eq!(
        message(&f),
        "block argument 2 refers to %4000, which is not in the value arena"
    );
}

// ---- 2. tree structure ------------------------------------------------------

#[test]
fn inv2_op_listed_twice() {
    let mut f = base();
    let body = f.body;
    let c = op(&f, 0);
    f.blocks[body].ops.insert(1, c);
    assert_eq!(message(&f), "op is listed in blocks more than once");
}

#[test]
fn inv2_op_parent_disagrees() {
    let mut f = base();
    let add = op(&f, ADD);
    f.ops[add].parent = Some(f.body);
    let msg = message(&f);
    assert!(
        msg.starts_with("the op's parent field is ^bb0, but it is listed in ^bb"),
        "{msg}"
    );
}

#[test]
fn inv2_region_shared_by_two_ops() {
    let text = "kernel @k(%0 c: i1) {\n  if %0 {\n    yield\n  } {\n    yield\n  }\n  return\n}\n";
    let mut f = parse(text);
    let if_op = op(&f, 0);
    let then = f.op(if_op).regions[0];
    f.ops[if_op].regions[1] = then;
    assert_eq!(
        message(&f),
        format!("region 1 ({then}) is already the body or a region elsewhere")
    );
}

#[test]
fn inv2_region_parent_disagrees() {
    let mut f = base();
    let region = f.op(op(&f, FOR)).regions[0];
    f.blocks[region].parent = None;
    assert_eq!(message(&f), "region 0's parent field is none, not this op");
}

#[test]
fn inv2_body_has_a_parent() {
    let mut f = base();
    let body = f.body;
    f.blocks[body].parent = Some(op(&f, FOR));
    assert_eq!(
        message(&f),
        format!("the body block has a parent op ({})", op(&f, FOR))
    );
}

// ---- 3. definitions -----------------------------------------------------------

#[test]
fn inv3_result_definition_disagrees() {
    let mut f = base();
    let (cast, add) = (op(&f, CAST), op(&f, ADD));
    let r = f.op(add).results[0];
    f.values[r].def = ValueDef::Result(cast, 0);
    assert!(message(&f).starts_with("result 0 ("), "{}", message(&f));
    assert!(message(&f).ends_with(&format!("records its definition as Result({cast}, 0)")));
}

#[test]
fn inv3_value_defined_twice() {
    let mut f = base();
    let (cast, add) = (op(&f, CAST), op(&f, ADD));
    let r = f.op(cast).results[0];
    f.ops[add].results[0] = r;
    assert!(message(&f).contains("records its definition as Result("));
}

#[test]
fn inv3_argument_definition_disagrees() {
    let mut f = base();
    let body = f.body;
    let v = f.param_value(0);
    f.values[v].def = ValueDef::Arg(body, 1);
    assert_eq!(
        message(&f),
        format!("block argument 0 ({v} in the arena) records its definition as Arg(^bb0, 1)")
    );
}

// ---- 4. signature ---------------------------------------------------------------

#[test]
fn inv4_parameter_without_argument() {
    let mut f = base();
    f.params.push(Param {
        name: "extra".into(),
        ty: Type::scalar(Dtype::I32),
        mutable: false,
    });
    assert_eq!(message(&f), "3 parameters but the body has 2 arguments");
}

#[test]
fn inv4_parameter_type_differs() {
    let mut f = base();
    f.params[1].ty = Type::scalar(Dtype::I64);
    assert_eq!(
        message(&f),
        "parameter 1 has type i64 but body argument %1 has type i32"
    );
}

// ---- 5. function attributes ----------------------------------------------------------

#[test]
fn inv5_unknown_function_attribute() {
    let mut f = base();
    f.attrs.set("vectorized", Attr::Bool(true));
    assert_eq!(
        message(&f),
        "unknown function attribute `vectorized` (allowed: lanes, local_mem)"
    );
}

// ---- 6. well-formed types --------------------------------------------------------------

#[test]
fn inv6_empty_dimension() {
    let mut f = base();
    let ty = Type::tile(Elem::Val(Dtype::F32), &[4, 0]);
    f.params[1].ty = ty.clone();
    let v = f.param_value(1);
    f.values[v].ty = ty;
    assert_eq!(
        message(&f),
        "argument %1: type tile<4x0xf32> has an empty dimension"
    );
}

#[test]
fn inv6_too_many_elements() {
    let mut f = base();
    let c = f.op(op(&f, 0)).results[0];
    f.values[c].ty = Type::tile(Elem::Val(Dtype::I32), &[1 << 16, 1 << 16]);
    assert_eq!(
        message(&f),
        "type tile<65536x65536xi32> has more than 2^32-1 elements"
    );
}

// ---- 7. counts ----------------------------------------------------------------------------

#[test]
fn inv7_operand_count() {
    let mut f = base();
    let add = op(&f, ADD);
    let extra = f.op(add).operands[0];
    f.ops[add].operands.push(extra);
    assert_eq!(message(&f), "`add` has 3 operands, but the op table says 2");
}

#[test]
fn inv7_region_count() {
    let mut f = base();
    let for_op = op(&f, FOR);
    let region = f.new_block();
    f.blocks[region].parent = Some(for_op);
    f.ops[for_op].regions.push(region);
    assert_eq!(message(&f), "`for` has 2 regions, but the op table says 1");
}

#[test]
fn inv7_result_count() {
    let mut f = base();
    let store = op(&f, STORE);
    let v = f.values.push(ValueData {
        ty: Type::scalar(Dtype::I32),
        def: ValueDef::Result(store, 0),
    });
    f.ops[store].results.push(v);
    assert_eq!(
        message(&f),
        "`store` has 1 results, but the op table says 0"
    );
}

// ---- 8. attributes -------------------------------------------------------------------------

#[test]
fn inv8_missing_attribute() {
    let mut f = base();
    let cast = op(&f, CAST);
    f.ops[cast].attrs = Attrs::new();
    assert_eq!(message(&f), "`cast` needs attribute `to`");
}

#[test]
fn inv8_undeclared_attribute() {
    let mut f = base();
    let add = op(&f, ADD);
    f.ops[add].attrs.set("axis", Attr::Int(0));
    assert_eq!(message(&f), "`add` takes no attribute `axis`");
}

#[test]
fn inv8_attribute_twice() {
    let mut f = base();
    let cast = op(&f, CAST);
    f.ops[cast].attrs.0.push(("to", Attr::Dtype(Dtype::F64)));
    assert_eq!(message(&f), "attribute `to` appears twice");
}

// ---- 9. dominance with structured scoping ------------------------------------------------------

#[test]
fn inv9_use_before_definition_in_a_block() {
    let mut f = base();
    let region = f.op(op(&f, FOR)).regions[0];
    f.blocks[region].ops.swap(0, 1);
    // Values are named as `print_function` numbers them: the `add` now
    // comes first, so its result is %8 and the `cast`'s is %9.
    let e = error(&f);
    assert_eq!(
        e.message,
        "operand 1 (%9) is not defined before this use in this block or an enclosing one"
    );
    assert_eq!(e.op.as_deref(), Some("%8 = add %7, %9 : f32 loc(7:5)"));
}

#[test]
fn inv9_use_after_the_defining_region() {
    let mut f = base();
    let (add, store) = (op(&f, ADD), op(&f, STORE));
    let inner = f.op(add).results[0];
    f.ops[store].operands[1] = inner;
    assert_eq!(
        message(&f),
        "operand 1 (%9) is not defined before this use in this block or an enclosing one"
    );
}

#[test]
fn inv9_result_used_inside_its_own_region() {
    let mut f = base();
    let (for_op, yield_op) = (op(&f, FOR), op(&f, YIELD));
    let own = f.op(for_op).results[0];
    f.ops[yield_op].operands[0] = own;
    assert_eq!(
        message(&f),
        "operand 0 (%5) is not defined before this use in this block or an enclosing one"
    );
}

#[test]
fn inv9_enclosing_values_are_visible() {
    // The loop body uses %1 and the constants from the enclosing body.
    let f = edited(
        "%9 = add %7, %8 : f32 loc(7:5)",
        "%9 = add %7, %4 : f32 loc(7:5)",
    );
    verify(&f).unwrap();
}

// ---- 10. result types ----------------------------------------------------------------------------

#[test]
fn inv10_result_type_differs_from_rule() {
    let mut f = base();
    let add = op(&f, ADD);
    let r = f.op(add).results[0];
    f.values[r].ty = Type::scalar(Dtype::F64);
    assert_eq!(
        message(&f),
        "result types (f64) differ from the typing rule's (f32)"
    );
}

#[test]
fn inv10_ill_typed_operands() {
    let mut f = base();
    let add = op(&f, ADD);
    f.ops[add].operands[1] = f.param_value(1);
    assert_eq!(
        message(&f),
        "ill-typed: operand 1 has type i32, expected f32"
    );
}

// ---- 11. attribute values --------------------------------------------------------------------------

#[test]
fn inv11_call_callee() {
    let text = "kernel @k() {\n  call {callee = \"\"}\n  return\n}\n";
    assert_eq!(
        message(&parse(text)),
        "`callee` must be a non-empty string, got \"\""
    );
    let text = "kernel @k() {\n  call {callee = 3}\n  return\n}\n";
    assert_eq!(
        message(&parse(text)),
        "`callee` must be a non-empty string, got 3"
    );
}

#[test]
fn inv11_load_store_arg() {
    let f = edited("{arg = 0}", "{arg = 2}");
    assert_eq!(
        message(&f),
        "`arg = 2` is not a parameter index (the kernel has 2)"
    );
    let f = edited("{arg = 0}", "{arg = 1}");
    assert_eq!(
        message(&f),
        "`arg = 1` names parameter `n` of type i32, not a pointer"
    );
    let f = edited("{arg = 0}", "{arg = true}");
    assert_eq!(message(&f), "`arg` must be a parameter index, got true");
}

// ---- 12. locations ------------------------------------------------------------------------------------

#[test]
fn inv12_location_file_out_of_range() {
    let mut f = base();
    let add = op(&f, ADD);
    f.ops[add].loc = Loc::new(1, 7, 5);
    let e = error(&f);
    assert_eq!(
        e.message,
        "location names file 1 but the kernel lists 1 files"
    );
    assert_eq!(e.location, "?:7:5");
}

// ---- 13. for ------------------------------------------------------------------------------------------

#[test]
fn inv13_for_body_arguments() {
    let mut f = base();
    let region = f.op(op(&f, FOR)).regions[0];
    let iv = f.blocks[region].args[0];
    f.values[iv].ty = Type::scalar(Dtype::I64);
    assert_eq!(
        message(&f),
        "the `for` body takes arguments (i64, f32) but must take (i32, f32)"
    );
}

// ---- 14. if -----------------------------------------------------------------------------------------------

#[test]
fn inv14_if_condition_not_i1_scalar() {
    let text = "kernel @k(%0 c: i32) {\n  if %0 {\n    yield\n  } {\n    yield\n  }\n  return\n}\n";
    assert_eq!(
        message(&parse(text)),
        "`if` condition must be an i1 scalar, got i32"
    );
}

#[test]
fn inv14_if_branch_with_arguments() {
    let text = "kernel @k(%0 c: i1) {\n  if %0 {\n    yield\n  } {\n  ^(%1: i32):\n    yield\n  }\n  return\n}\n";
    assert_eq!(
        message(&parse(text)),
        "the `if` else-branch takes arguments (i32) but must take ()"
    );
}

// ---- 15. while ---------------------------------------------------------------------------------------------

const WHILE: &str = "kernel @k(%0 n: i32) {
  %1 = while %0 : i32 {
  ^(%2: i32):
    %3 = cmp %2, %0 {pred = lt} : i1
    condition %3, %2
  } {
  ^(%4: i32):
    yield %4
  }
  return
}
";

#[test]
fn while_verifies() {
    verify(&parse(WHILE)).unwrap();
}

#[test]
fn inv15_while_before_arguments() {
    let f = parse(&WHILE.replace("^(%2: i32):", "^(%2: i32, %9: i32):"));
    assert_eq!(
        message(&f),
        "the `while` before-region takes arguments (i32, i32) but must take (i32)"
    );
}

#[test]
fn inv15_while_after_arguments() {
    let f = parse(&WHILE.replace("^(%4: i32):", "^(%4: i64):"));
    assert_eq!(
        message(&f),
        "the `while` after-region takes arguments (i64) but must take (i32)"
    );
}

// ---- 16. terminators ------------------------------------------------------------------------------------------

#[test]
fn inv16_empty_block() {
    let f = parse("kernel @k() {\n}\n");
    assert_eq!(
        message(&f),
        "the kernel body is empty; it must end with `return`"
    );
    let mut f = base();
    let region = f.op(op(&f, FOR)).regions[0];
    f.blocks[region].ops.clear();
    assert_eq!(
        message(&f),
        "a `for` body is empty; it must end with `yield`"
    );
}

#[test]
fn inv16_missing_terminator() {
    let f = edited("  return loc(11:3)\n", "");
    assert_eq!(
        message(&f),
        "the kernel body must end with `return`, but ends with `store`"
    );
}

#[test]
fn inv16_terminator_before_the_end() {
    let f = edited("  store %0, %5", "  return\n  store %0, %5");
    assert_eq!(
        message(&f),
        "terminator `return` is not the last op of its block"
    );
}

// ---- 17. terminator kinds ------------------------------------------------------------------------------------------

#[test]
fn inv17_return_inside_a_loop() {
    let f = edited("    yield %9 loc(8:5)", "    return loc(8:5)");
    let e = error(&f);
    assert_eq!(
        e.message,
        "`return` cannot end a `for` body, which ends with `yield`"
    );
    assert_eq!(e.location, "k.rs:8:5");
}

#[test]
fn inv17_yield_in_the_body() {
    let f = edited("  return loc(11:3)", "  yield loc(11:3)");
    assert_eq!(
        message(&f),
        "`yield` cannot end the kernel body, which ends with `return`"
    );
}

#[test]
fn inv17_yield_and_condition_in_the_wrong_while_region() {
    let f = parse(&WHILE.replace("    condition %3, %2", "    yield %2"));
    assert_eq!(
        message(&f),
        "`yield` cannot end a `while` before-region, which ends with `condition`"
    );
    let f = parse(&WHILE.replace(
        "    yield %4",
        "    %5 = cmp %4, %4 {pred = eq} : i1\n    condition %5, %4",
    ));
    assert_eq!(
        message(&f),
        "`condition` cannot end a `while` after-region, which ends with `yield`"
    );
}

// ---- 18. terminator operands ---------------------------------------------------------------------------------------

#[test]
fn inv18_for_yield_types() {
    let f = edited("    yield %9 loc(8:5)", "    yield %6 loc(8:5)");
    assert_eq!(
        message(&f),
        "`yield` passes (i32) but the loop's carried types are (f32)"
    );
}

#[test]
fn inv18_if_yield_types() {
    let text = "kernel @k(%0 c: i1, %1 x: f32) {\n  %2 = if %0 : f32 {\n    yield %1\n  } {\n    yield\n  }\n  return\n}\n";
    assert_eq!(
        message(&parse(text)),
        "`yield` passes () but the `if`'s result types are (f32)"
    );
}

#[test]
fn inv18_condition_operands() {
    let f = parse(&WHILE.replace("    condition %3, %2", "    condition %2, %2"));
    assert_eq!(
        message(&f),
        "`condition` must first pass an i1 scalar, got i32"
    );
    let f = parse(&WHILE.replace("    condition %3, %2", "    condition %3"));
    assert_eq!(
        message(&f),
        "`condition` passes () but the loop's carried types are (i32)"
    );
}

#[test]
fn inv18_while_yield_types() {
    let f = parse(&WHILE.replace("    yield %4", "    yield %4, %4"));
    assert_eq!(
        message(&f),
        "`yield` passes (i32, i32) but the loop's carried types are (i32)"
    );
}

// ---- 19. combine regions ---------------------------------------------------------------------------------------------

/// A `(value, index)` reduction with a combine region.
const COMBINE: &str = r#"kernel @k(%0 x: tile<8xf32>, %1 i: tile<8xi32>) {
  %2, %3 = reduce_with %0, %1 {axis = 0} : f32, i32 {
  ^(%4: f32, %5: i32, %6: f32, %7: i32):
    %8 = cmp %4, %6 {pred = ge} : i1
    %9 = select %8, %4, %6 : f32
    %10 = select %8, %5, %7 : i32
    yield %9, %10
  }
  return
}
"#;

#[test]
fn inv19_combine_region_verifies_and_round_trips() {
    let f = parse(COMBINE);
    verify(&f).unwrap();
    assert_eq!(print_function(&f), COMBINE);
}

#[test]
fn inv19_combine_region_arguments() {
    let f = parse(&COMBINE.replace("%7: i32", "%7: f32").replace(
        "%10 = select %8, %5, %7 : i32",
        "%10 = select %8, %5, %5 : i32",
    ));
    assert_eq!(
        message(&f),
        "the combine region takes arguments (f32, i32, f32, f32) but must take (f32, i32, f32, i32)"
    );
}

#[test]
fn inv19_combine_region_yield_types() {
    let f = parse(&COMBINE.replace("yield %9, %10", "yield %9"));
    assert_eq!(
        message(&f),
        "`yield` passes (f32) but the combined element types are (f32, i32)"
    );
}

#[test]
fn inv19_combine_region_ops() {
    let f = parse(&COMBINE.replace(
        "    yield %9, %10",
        "    %11 = splat %9 {shape = [2]} : tile<2xf32>\n    yield %9, %10",
    ));
    assert_eq!(
        message(&f),
        "`splat` in a combine region, which may only hold `const`, elementwise ops and `call`s of scalars"
    );
    let f = parse(&COMBINE.replace(
        "%8 = cmp %4, %6 {pred = ge} : i1",
        "%8 = cmp %4, %6 {pred = ge} : i1\n    %11 = reduce %0 {kind = sum, axis = 0} : f32",
    ));
    assert_eq!(
        message(&f),
        "`reduce` in a combine region, which may only hold `const`, elementwise ops and `call`s of scalars"
    );
}
