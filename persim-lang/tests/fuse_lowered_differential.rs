//! Differential tests on lowered IR: every file test of `fuse-loops`,
//! `forward-stores` and `dead-buffers` (positive and negative) also runs in
//! the interpreter before and after its passes, on the same deterministic
//! arguments, and memory must be identical. A file test's `; expect:` block
//! says what the passes do; this says that what they do is correct — an
//! illegal fusion reads elements before they are written (the interpreter
//! rejects the unspecified values) or reorders stores, and fails here.

mod lower_util;

use lower_util::{compare, Rng};
use persim_lang::interp::{run_grid, InterpArg};
use persim_lang::ir::{parse_function, Dtype, Elem, Function};
use persim_lang::passes::{DumpFilter, Pipeline};
use persim_lang::target::Target;
use std::path::{Path, PathBuf};

/// The passes under test, which are also the file test directories.
const DIRS: [&str; 3] = ["fuse-loops", "forward-stores", "dead-buffers"];

/// Files whose input the interpreter cannot run, and why. Every other file
/// must run; a file listed here that runs is an error too, so the list stays
/// exact.
const NOT_RUNNABLE: [(&str, &str); 3] = [
    ("fuse-loops/call_blocks.pir", "`call` is not interpreted"),
    ("forward-stores/call_kept.pir", "`call` is not interpreted"),
    (
        "dead-buffers/untraceable_read.pir",
        "stores a never-written element",
    ),
];

/// Elements behind every pointer argument: more than any file test indexes.
const MEM_ELEMS: usize = 2048;
/// Every integer scalar argument (loop bounds, buffer indices `< 16`).
const SCALAR: i32 = 3;

fn args_for(f: &Function, rng: &mut Rng) -> Vec<InterpArg> {
    f.params
        .iter()
        .map(|p| match p.ty.elem() {
            Elem::Ptr(Dtype::F32) => InterpArg::slice(&rng.f32s(MEM_ELEMS)),
            Elem::Ptr(Dtype::I32) => InterpArg::slice(&rng.i32s(MEM_ELEMS, -100, 100)),
            Elem::Val(Dtype::I32) => InterpArg::scalar(SCALAR),
            e => panic!("`{}`: no test argument for {e}", p.name),
        })
        .collect()
}

/// The input part of a file test and its `; passes:` list.
fn read_case(path: &Path) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let input = match text.find("\n; expect:") {
        Some(i) => text[..i + 1].to_string(),
        None => text.clone(),
    };
    let passes = input
        .lines()
        .find_map(|l| l.trim().strip_prefix("; passes:"))
        .expect("a `; passes:` line")
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    (input, passes)
}

fn files() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("filetests");
    let mut out = Vec::new();
    for dir in DIRS {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "pir"))
            .collect();
        entries.sort();
        for p in entries {
            let name = format!("{dir}/{}", p.file_name().unwrap().to_string_lossy());
            out.push((name, p));
        }
    }
    out
}

#[test]
fn file_tests_preserve_results() {
    let mut compared = 0;
    let mut failures = Vec::new();
    for (name, path) in files() {
        let (input, passes) = read_case(&path);
        let f = parse_function(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
        let args = args_for(&f, &mut Rng::new(7));
        let mut want = args.clone();
        let reference = run_grid(&f, [1, 1, 1], &mut want);
        let excused = NOT_RUNNABLE.iter().any(|(n, _)| *n == name);
        match (reference, excused) {
            (Err(_), true) => continue,
            (Err(e), false) => {
                failures.push(format!("{name}: reference run failed: {e}"));
                continue;
            }
            (Ok(()), true) => {
                failures.push(format!("{name}: runs now; remove it from NOT_RUNNABLE"));
                continue;
            }
            (Ok(()), false) => {}
        }
        let names: Vec<&str> = passes.iter().map(String::as_str).collect();
        let mut g = f.clone();
        Pipeline::new(Target::cranelift())
            .with_passes(&names)
            .unwrap()
            .verify_each(true)
            .dump(DumpFilter::default())
            .run(&mut g)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut got = args.clone();
        if let Err(e) = run_grid(&g, [1, 1, 1], &mut got) {
            failures.push(format!("{name}: after {passes:?}: {e}\n{g}"));
            continue;
        }
        let cmp = std::panic::catch_unwind(|| compare(&f, &want, &got, 0.0, &name));
        if cmp.is_err() {
            failures.push(format!("{name}: results differ after {passes:?}\n{g}"));
        }
        compared += 1;
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
    assert!(compared >= 30, "only {compared} file tests compared");
}

/// Every file test input of the repository (tile-level or lowered, of any
/// pass) through each of the three passes alone: the output verifies (the
/// pipeline checks it), prints and parses back, and a second run changes
/// nothing.
#[test]
fn passes_keep_any_file_test_input_valid() {
    fn all_pir(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                all_pir(&p, out);
            } else if p.extension().is_some_and(|x| x == "pir") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    all_pir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("filetests"),
        &mut paths,
    );
    paths.sort();
    assert!(paths.len() > 50);
    for path in &paths {
        // `inline/` cases are modules (a kernel and its device functions):
        // the per-function passes below run after inlining, never on them.
        if path.parent().is_some_and(|d| d.ends_with("inline")) {
            continue;
        }
        let (input, _) = read_case(path);
        let f = parse_function(&input).unwrap();
        for pass in DIRS {
            let once = |f: &Function| {
                let mut g = f.clone();
                Pipeline::new(Target::cranelift())
                    .with_passes(&[pass])
                    .unwrap()
                    .verify_each(true)
                    .dump(DumpFilter::default())
                    .run(&mut g)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                g
            };
            let g = once(&f);
            let h = once(&g);
            assert_eq!(
                g.to_string(),
                h.to_string(),
                "{pass} is not idempotent on {}",
                path.display()
            );
        }
    }
}
