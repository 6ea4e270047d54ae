//! Every kind of parse error, with the exact `line:col` of the token it
//! blames and its message.

use persim_lang::ir::{parse_function, parse_module};

/// A header declaring `%0: i32` and `%1: f32`, so ops start on line 2.
const HEADER: &str = "kernel @k(%0 a: i32, %1 b: f32) {\n";

fn error(text: &str) -> String {
    match parse_function(text) {
        Ok(f) => panic!("parsed, expected an error:\n{f}"),
        Err(e) => e.to_string(),
    }
}

/// Parses `HEADER`, the given op lines, then `return` and `}`.
fn op_error(lines: &str) -> String {
    error(&format!("{HEADER}{lines}\n  return\n}}\n"))
}

#[test]
fn unknown_op() {
    assert_eq!(op_error("  %2 = frob %0 : i32"), "2:8: unknown op `frob`");
}

#[test]
fn wrong_operand_count() {
    assert_eq!(
        op_error("  %2 = add %0 : i32"),
        "2:8: `add` takes 2 operands, got 1"
    );
    assert_eq!(
        op_error("  %2 = load %0, %0, %0, %0 : i32"),
        "2:8: `load` takes 1 to 3 operands, got 4"
    );
}

#[test]
fn wrong_result_count() {
    assert_eq!(
        op_error("  %2, %3 = add %0, %0 : i32, i32"),
        "2:12: `add` has 1 result, got 2"
    );
    assert_eq!(
        op_error("  %2 = add %0, %0 : i32, i32"),
        "2:21: 1 results are named but 2 types are written"
    );
    assert_eq!(
        op_error("  %2 = add %0, %0"),
        "2:8: `add` needs its result types after `:`"
    );
}

#[test]
fn unknown_attribute() {
    assert_eq!(
        op_error("  %2 = program_id {axis = 0, lanes = 2} : i32"),
        "2:30: `program_id` ops take no attribute `lanes` (allowed: `axis`)"
    );
    assert_eq!(
        op_error("  %2 = add %0, %0 {axis = 0} : i32"),
        "2:20: `add` ops take no attribute `axis` (allowed: none)"
    );
}

#[test]
fn missing_attribute() {
    assert_eq!(
        op_error("  %2 = program_id : i32"),
        "2:8: `program_id` needs attribute `axis`"
    );
}

#[test]
fn duplicate_attribute() {
    assert_eq!(
        op_error("  %2 = program_id {axis = 0, axis = 1} : i32"),
        "2:30: attribute `axis` is given twice"
    );
}

#[test]
fn unknown_attribute_value() {
    assert_eq!(
        op_error("  %2 = cmp %0, %0 {pred = less} : i1"),
        "2:27: unknown attribute value `less`"
    );
}

#[test]
fn undefined_value() {
    assert_eq!(
        op_error("  %2 = add %0, %9 : i32"),
        "2:16: undefined value `%9`"
    );
}

#[test]
fn redefined_value() {
    assert_eq!(
        op_error("  %0 = const {value = 1, ty = i32} : i32"),
        "2:3: value `%0` is defined twice"
    );
    assert_eq!(
        op_error("  %2, %2 = for %0, %0, %0, %0, %0 : i32, i32 {\n  ^(%3: i32, %4: i32, %5: i32):\n    yield %4, %5\n  }"),
        "2:7: value `%2` is defined twice"
    );
}

#[test]
fn value_out_of_scope_after_its_region() {
    let text = format!(
        "{HEADER}  for %0, %0, %0 {{\n  ^(%3: i32):\n    %4 = add %3, %3 : i32\n    yield\n  }}\n  %5 = add %4, %4 : i32\n  return\n}}\n"
    );
    assert_eq!(
        error(&text),
        "7:12: value `%4` is not visible here: it is defined inside a region that has closed, \
         or is a result of the op using it"
    );
}

#[test]
fn result_used_inside_its_own_region() {
    let text = format!(
        "{HEADER}  %2 = if %9 : i32 {{\n    yield %2\n  }} {{\n    yield %0\n  }}\n  return\n}}\n"
    );
    assert_eq!(error(&text), "2:11: undefined value `%9`");
    let text = format!(
        "{HEADER}  %c = const {{value = true, ty = i1}} : i1\n  %2 = if %c : i32 {{\n    yield %2\n  }} {{\n    yield %0\n  }}\n  return\n}}\n"
    );
    assert!(error(&text).starts_with("4:11: value `%2` is not visible here"));
}

#[test]
fn result_type_differs_from_typing_rule() {
    assert_eq!(
        op_error("  %2 = add %0, %0 : f32"),
        "2:21: result 0 of `add` has type i32, but f32 is written"
    );
}

#[test]
fn ill_typed_operands() {
    assert_eq!(
        op_error("  %2 = add %0, %1 : i32"),
        "2:8: `add`: operand 1 has type f32, expected i32"
    );
    assert_eq!(
        op_error("  %2 = arange {lo = -9223372036854775808, hi = 9223372036854775807} : i32"),
        "2:8: `arange`: arange needs lo < hi, at most 2^32-1 apart, got \
         -9223372036854775808..9223372036854775807"
    );
}

#[test]
fn two_ops_on_one_line() {
    assert_eq!(
        op_error("  %2 = add %0, %0 : i32 return"),
        "2:25: expected the end of the line after `add`, found `return`"
    );
    assert_eq!(
        op_error("  %2 = add %0, %0 : i32 {"),
        "2:25: expected the end of the line after `add`, found `{`"
    );
}

#[test]
fn missing_region() {
    assert_eq!(
        op_error("  for %0, %0, %0"),
        "2:3: `for` needs region 1 to open with `{` on its line"
    );
    assert_eq!(
        op_error("  if %0 {\n    yield\n  } loc(1:1)"),
        "4:5: expected `{` to open region 2 of `if`, found `loc`"
    );
}

#[test]
fn unclosed_region() {
    assert_eq!(
        error("kernel @k() {\n  return\n"),
        "3:1: expected `}` to close the `{` at 1:13, found end of input"
    );
}

#[test]
fn body_takes_no_block_arguments() {
    assert_eq!(
        error("kernel @k() {\n^(%0: i32):\n  return\n}"),
        "2:1: the function body takes no block arguments; its arguments are the parameters"
    );
}

#[test]
fn lexical_errors() {
    assert_eq!(
        op_error("  %2 = add %0, %0 : i32 # x"),
        "2:25: unexpected character '#'"
    );
    assert_eq!(
        error("kernel @\"abc(\n"),
        "1:9: unterminated string literal"
    );
    assert_eq!(
        error("kernel @\"a\\qb\"() {\n}"),
        "1:11: unknown escape in string literal"
    );
    assert_eq!(
        error("kernel @\"a\\u{110000}\"() {\n}"),
        "1:11: bad `\\u{...}` escape in string literal"
    );
    assert_eq!(
        op_error("  % = add"),
        "2:3: expected a value name after `%`"
    );
    assert_eq!(
        op_error("  %2 = const {value = 1., ty = f32} : f32"),
        "2:23: expected digits after `1.`"
    );
}

#[test]
fn bad_locations() {
    assert_eq!(
        op_error("  %2 = add %0, %0 : i32 loc(3:4)"),
        "2:29: a location needs a `files [...]` section in the header"
    );
    let with_file = "kernel @k() files [\"a.rs\"] {\n";
    assert_eq!(
        error(&format!("{with_file}  return loc(f2:3:4)\n}}")),
        "2:14: file index 2 is out of range: the kernel lists 1 files"
    );
    assert_eq!(
        error(&format!("{with_file}  return loc(0:4)\n}}")),
        "2:14: line 0 means an unknown location; leave out `loc(...)` instead"
    );
    assert_eq!(
        error(&format!("{with_file}  return loc(g1:3:4)\n}}")),
        "2:14: expected a file index `fN`, found `g1`"
    );
    assert_eq!(
        error(&format!("{with_file}  return loc(4294967296:1)\n}}")),
        "2:14: a line number `4294967296` is too large"
    );
}

#[test]
fn bad_numbers() {
    assert_eq!(
        op_error("  %2 = const {value = 9223372036854775808, ty = i64} : i64"),
        "2:23: integer `9223372036854775808` does not fit in 64 bits"
    );
    assert_eq!(
        op_error("  %2 = const {value = -1e999, ty = f64} : f64"),
        "2:23: float literal `1e999` is out of range; write `inf`"
    );
    assert_eq!(
        op_error("  %2 = const {value = -x, ty = f64} : f64"),
        "2:24: expected a number after `-`, found `x`"
    );
}

#[test]
fn bad_types() {
    assert_eq!(
        op_error("  %2 = add %0, %0 : f31"),
        "2:21: unknown type `f31`"
    );
    assert_eq!(
        op_error("  %2 = add %0, %0 : tile<f32>"),
        "2:26: expected a dimension (scalars are written without `tile<>`), found `f32`"
    );
    assert_eq!(
        op_error("  %2 = add %0, %0 : tile<0xf32>"),
        "2:26: dimension `0` must be in 1..2^32"
    );
    assert_eq!(
        op_error("  %2 = add %0, %0 : buf<2x2xf32>"),
        "2:21: a buffer has exactly one dimension"
    );
    assert_eq!(
        op_error("  %2 = add %0, %0 : tile<65536x65536xf32>"),
        "2:21: tile<65536x65536xf32> has more than 2^32-1 elements"
    );
    assert_eq!(
        op_error("  %2 = add %0, %0 : tile<4 f32>"),
        "2:28: expected `x` after a dimension, found `f32`"
    );
    assert_eq!(
        op_error("  %2 = add %0, %0 : ptr<ptr<f32>>"),
        "2:25: unknown type `ptr`"
    );
}

#[test]
fn bad_header() {
    assert_eq!(
        error("kernel @k() attrs {foo = 1} {\n  return\n}"),
        "1:20: kernels take no attribute `foo` (allowed: `lanes`, `local_mem`)"
    );
    assert_eq!(
        error("kernel @k() consts {N = 1} consts {M = 2} {\n  return\n}"),
        "1:28: section `consts` appears twice"
    );
    assert_eq!(
        error("kernel @k() consts {N = 1, N = 2} {\n  return\n}"),
        "1:28: constexpr `N` is given twice"
    );
    assert_eq!(
        error("kernel @k(%0 a i32) {\n  return\n}"),
        "1:16: expected `:` before the parameter type, found `i32`"
    );
    assert_eq!(
        error("kernel @k(%0: i32, %0: i32) {\n  return\n}"),
        "1:20: value `%0` is defined twice"
    );
    assert_eq!(
        error("fn @k() {\n}"),
        "1:1: expected `kernel` or `func`, found `fn`"
    );
    assert_eq!(
        error(""),
        "1:1: expected `kernel` or `func`, found end of input"
    );
    assert_eq!(
        error("func @f(%0: i32) -> {\n  return\n}"),
        "1:21: expected a type, found `{`"
    );
}

#[test]
fn trailing_input_after_the_kernel() {
    assert_eq!(
        error("kernel @k() {\n  return\n}\nkernel @j() {\n  return\n}"),
        "4:1: expected the end of the input after the function, found `kernel`"
    );
}

#[test]
fn duplicate_kernel_in_module() {
    let text = "kernel @k() {\n  return\n}\nkernel @k() {\n  return\n}\n";
    assert_eq!(
        parse_module(text).unwrap_err().to_string(),
        "4:9: function `@k` is defined twice"
    );
}

#[test]
fn nesting_is_bounded() {
    let depth = 300;
    let mut text = String::from("kernel @k(%0 c: i1) {\n");
    for _ in 0..depth {
        text.push_str("if %0 {\n");
    }
    for _ in 0..depth {
        text.push_str("yield\n} {\nyield\n}\n");
    }
    text.push_str("return\n}\n");
    assert_eq!(error(&text), "202:7: regions nest deeper than 200 levels");
}

#[test]
fn comments_and_layout_are_free() {
    let text = "; leading comment\nkernel @k(\n  %0 a: i32,   ; first\n  %1 b: f32\n) {\n  return ; done\n}\n; trailing";
    let f = parse_function(text).unwrap();
    assert_eq!(f.params.len(), 2);
}
