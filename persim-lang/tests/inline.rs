//! The inliner on text IR: the size threshold, recursion errors with the
//! call's location, the module verifier it relies on, and the pipeline's
//! module entry point. (Inlined output itself is covered by the file tests
//! under `filetests/inline/`.)

use persim_lang::ir::{parse_module, verify_module, Module, Opcode};
use persim_lang::passes::{inline_calls, DumpFilter, InlineOptions, Pipeline};
use persim_lang::target::Target;
use std::sync::{Arc, Mutex};

fn module(text: &str) -> Module {
    parse_module(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn calls(m: &Module, name: &str) -> usize {
    let f = m.get(name).unwrap();
    f.all_ops()
        .into_iter()
        .filter(|&op| f.op(op).opcode == Opcode::Call)
        .count()
}

/// `@k` calls `@three` (3 ops) twice and `@five` (5 ops) once.
const SIZES: &str = "
kernel @k(%0 out: ptr<i32> mut, %1 a: i32) {
  %2 = call %1 {callee = \"three\"} : i32
  %3 = call %2 {callee = \"three\"} : i32
  %4 = call %3 {callee = \"five\"} : i32
  store %0, %4
  return
}

func @three(%0 x: i32) -> i32 {
  %1 = neg %0 : i32
  %2 = add %1, %0 : i32
  return %2
}

func @five(%0 x: i32) -> i32 {
  %1 = mul %0, %0 : i32
  %2 = mul %1, %0 : i32
  %3 = add %2, %1 : i32
  %4 = add %3, %0 : i32
  return %4
}
";

#[test]
fn threshold_is_inclusive_and_counts_every_op() {
    let inline = |threshold| {
        let mut m = module(SIZES);
        let stats = inline_calls(&mut m, &InlineOptions { threshold }).unwrap();
        (m, stats)
    };
    let (m, stats) = inline(5);
    assert_eq!(stats.inlined, 3);
    assert!(stats.kept.is_empty());
    assert_eq!(stats.dropped, ["three", "five"]);
    assert_eq!(calls(&m, "k"), 0);
    assert_eq!(m.funcs.len(), 1);

    let (m, stats) = inline(4);
    assert_eq!(stats.inlined, 2);
    assert_eq!(stats.kept, [("k".to_string(), "five".to_string(), 5)]);
    assert_eq!(stats.dropped, ["three"]);
    assert_eq!(calls(&m, "k"), 1);

    let (m, stats) = inline(2);
    assert_eq!(stats.inlined, 0);
    assert_eq!(stats.kept.len(), 3);
    assert!(stats.dropped.is_empty());
    assert_eq!(calls(&m, "k"), 3);
}

#[test]
fn a_callee_is_measured_after_its_own_inlining() {
    // `@outer` is 3 ops itself but 4 once `@inner` (3 ops) is inlined.
    let text = "
kernel @k(%0 out: ptr<i32> mut, %1 a: i32) {
  %2 = call %1 {callee = \"outer\"} : i32
  store %0, %2
  return
}

func @outer(%0 x: i32) -> i32 {
  %1 = call %0 {callee = \"inner\"} : i32
  %2 = mul %1, %0 : i32
  return %2
}

func @inner(%0 x: i32) -> i32 {
  %1 = neg %0 : i32
  %2 = add %1, %0 : i32
  return %2
}
";
    let mut m = module(text);
    let stats = inline_calls(&mut m, &InlineOptions { threshold: 3 }).unwrap();
    assert_eq!(stats.kept, [("k".to_string(), "outer".to_string(), 4)]);
    assert_eq!(calls(&m, "outer"), 0, "`@inner` is inlined into `@outer`");
    assert_eq!(calls(&m, "k"), 1);
    let mut m = module(text);
    let stats = inline_calls(&mut m, &InlineOptions { threshold: 4 }).unwrap();
    assert_eq!(stats.inlined, 2);
    assert_eq!(m.funcs.len(), 1);
}

#[test]
fn direct_recursion_is_an_error_at_the_call() {
    let mut m = module(
        "
kernel @k(%0 out: ptr<f32> mut, %1 x: f32) files [\"k.rs\"] {
  %2 = call %1 {callee = \"f\"} : f32 loc(3:5)
  store %0, %2
  return
}

func @f(%0 x: f32) -> f32 files [\"f.rs\"] {
  %1 = call %0 {callee = \"f\"} : f32 loc(7:9)
  return %1
}
",
    );
    let e = inline_calls(&mut m, &InlineOptions::ALL).unwrap_err();
    assert_eq!(e.location, "f.rs:7:9");
    assert_eq!(e.function, "f");
    assert!(
        e.message.starts_with("recursive call: `@f` calls itself"),
        "{e}"
    );
}

#[test]
fn mutual_recursion_names_the_cycle() {
    let mut m = module(
        "
kernel @k(%0 x: f32) {
  %1 = call %0 {callee = \"a\"} : f32
  return
}

func @a(%0 x: f32) -> f32 files [\"ab.rs\"] {
  %1 = call %0 {callee = \"b\"} : f32 loc(2:3)
  return %1
}

func @b(%0 x: f32) -> f32 files [\"ab.rs\"] {
  %1 = call %0 {callee = \"c\"} : f32 loc(6:3)
  return %1
}

func @c(%0 x: f32) -> f32 files [\"ab.rs\"] {
  %1 = call %0 {callee = \"a\"} : f32 loc(10:3)
  return %1
}
",
    );
    let e = inline_calls(&mut m, &InlineOptions::ALL).unwrap_err();
    assert_eq!(e.location, "ab.rs:10:3");
    assert!(
        e.message
            .starts_with("recursive call: the calls `@a` -> `@b` -> `@c` -> `@a` form a cycle"),
        "{e}"
    );
}

#[test]
fn the_module_verifier_checks_calls_against_callees() {
    let kernel = |call: &str| {
        format!(
            "kernel @k(%0 x: f32, %1 n: i32) {{\n  {call}\n  return\n}}\n\n\
             func @f(%0 x: f32) -> f32 {{\n  return %0\n}}\n\n\
             kernel @j() {{\n  return\n}}\n"
        )
    };
    let error = |call: &str| verify_module(&module(&kernel(call))).unwrap_err().message;
    assert!(verify_module(&module(&kernel("%2 = call %0 {callee = \"f\"} : f32"))).is_ok());
    assert_eq!(
        error("%2 = call %0 {callee = \"g\"} : f32"),
        "`call` of `@g`, which the module does not define"
    );
    assert_eq!(
        error("call {callee = \"j\"}"),
        "`call` of kernel `@j`; only device functions can be called"
    );
    assert_eq!(
        error("%2 = call %1 {callee = \"f\"} : f32"),
        "`call` passes (i32) but `@f` takes (f32)"
    );
    assert_eq!(
        error("%2 = call %0 {callee = \"f\"} : i32"),
        "`call` results are (i32) but `@f` returns (f32)"
    );
    assert_eq!(
        error("%2, %3 = call %0 {callee = \"f\"} : f32, f32"),
        "`call` results are (f32, f32) but `@f` returns (f32)"
    );
}

#[test]
fn return_must_pass_the_declared_results() {
    let m = module("func @f(%0 x: f32) -> (f32, f32) {\n  return %0\n}\n");
    let e = verify_module(&m).unwrap_err();
    assert_eq!(
        e.message,
        "`return` passes (f32) but the function's result types are (f32, f32)"
    );
    let m = module("kernel @k(%0 x: f32) {\n  return %0\n}\n");
    assert!(verify_module(&m).is_err(), "a kernel returns nothing");
}

#[test]
fn run_module_inlines_then_runs_the_function_passes() {
    let dumps: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = dumps.clone();
    let pipeline = Pipeline::standard(Target::cranelift())
        .dump(DumpFilter::parse("k:inline"))
        .dump_to(move |kernel, pass, f| {
            sink.lock()
                .unwrap()
                .push(format!("{kernel}:{pass}:{}", f.op_count()))
        });
    let (f, stats) = pipeline.run_module(&module(SIZES), "k").unwrap();
    assert_eq!(stats[0].pass, "inline");
    assert_eq!(stats[0].ops_before, 5);
    assert_eq!(stats[0].ops_after, 10);
    assert!(f.attrs.int("lanes").is_some(), "lowered after inlining");
    assert_eq!(*dumps.lock().unwrap(), ["k:inline:10"]);
}

#[test]
fn run_module_refuses_a_call_that_stays() {
    let e = Pipeline::standard(Target::cranelift())
        .inline_threshold(4)
        .run_module(&module(SIZES), "k")
        .unwrap_err();
    assert_eq!(e.pass, "inline");
    assert!(
        e.message.contains(
            "device function `@five` has 5 ops, above the inline threshold (4), so its call stays"
        ),
        "{e}"
    );
    let e = Pipeline::standard(Target::cranelift())
        .run_module(&module(SIZES), "missing")
        .unwrap_err();
    assert_eq!(e.message, "the module has no function `@missing`");
}

#[test]
fn run_module_runs_kernels_only() {
    let e = Pipeline::standard(Target::cranelift())
        .run_module(&module(SIZES), "five")
        .unwrap_err();
    assert_eq!(e.message, "`@five` is a device function, not a kernel");
}
