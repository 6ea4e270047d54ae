//! Text-IR file tests: each `filetests/**/*.pir` file names the passes to run
//! on its input and gives the expected output.
//!
//! ```text
//! ; passes: canonicalize, dce
//! ; target: cranelift            (optional, default cranelift; `dma` is
//! ;                                cranelift's lanes with `Target::bulk_copies`,
//! ;                                `vliw` with `Target::unroll` = 4, `affine`
//! ;                                with `Target::affine_tiles`, `dma-affine`
//! ;                                with both, `chains` with
//! ;                                `Target::reduce_chains` = 3, `modulo`
//! ;                                with `Target::modulo` as the spatial PE,
//! ;                                `prefetch` with
//! ;                                `Target::prefetch_programs_ahead` = 2,
//! ;                                `prefetch-own` that without
//! ;                                `Target::prefetch_other_programs`,
//! ;                                `dma-matmul` `dma` with
//! ;                                `Target::matmul_op` and
//! ;                                `Target::early_write_out`)
//! ; local-mem: 4096              (optional: the target's local memory in bytes)
//! ; inline-threshold: 20         (optional, for the `inline` pass)
//! ; check: %3 = add              (optional: substrings that must appear, in order)
//! ; check-not: mul               (optional: substrings that must not appear)
//! kernel @k(...) { ... }         (input)
//! ; expect:
//! kernel @k(...) { ... }         (the whole expected output)
//! ```
//!
//! The input may hold several functions (a module). `inline`, the one
//! module-level pass, may only come first: it runs on the whole module
//! (`passes::inline_calls`), the other passes then run on every function,
//! and the output is the whole module.
//!
//! `PERSIM_BLESS=1 cargo test -p persim-lang --test filetests` rewrites the
//! expected blocks from the actual output. Every test also checks that its
//! pipeline is idempotent: running it again on its own output changes
//! nothing.

mod lower_util;

use persim_lang::ir::parse_module;
use persim_lang::passes::{inline_calls, DumpFilter, InlineOptions, Pipeline};
use persim_lang::target::Target;
use std::path::{Path, PathBuf};

const EXPECT: &str = "; expect:";

struct Case {
    passes: Vec<String>,
    target: Target,
    inline: InlineOptions,
    checks: Vec<String>,
    check_nots: Vec<String>,
    input: String,
    expected: Option<String>,
}

fn parse_case(text: &str) -> Result<Case, String> {
    let (input, expected) = match text.find(&format!("\n{EXPECT}")) {
        Some(i) => (
            &text[..i + 1],
            Some(
                text[i + 1 + EXPECT.len()..]
                    .trim_start_matches('\n')
                    .to_string(),
            ),
        ),
        None => (text, None),
    };
    let mut case = Case {
        passes: Vec::new(),
        target: Target::cranelift(),
        inline: InlineOptions::ALL,
        checks: Vec::new(),
        check_nots: Vec::new(),
        input: input.to_string(),
        expected,
    };
    for line in input.lines() {
        let Some(directive) = line.trim().strip_prefix(';') else {
            continue;
        };
        let directive = directive.trim();
        if let Some(p) = directive.strip_prefix("passes:") {
            case.passes = p
                .split([',', ' '])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
        } else if let Some(t) = directive.strip_prefix("target:") {
            case.target = match t.trim() {
                "cranelift" => Target::cranelift(),
                "dma" => Target::cranelift().with_bulk_copies(true),
                "vliw" => Target::cranelift().with_unroll(4),
                "modulo" => Target {
                    vector_registers: 32,
                    ..Target::cranelift().with_modulo(Some(lower_util::ISSUE_MODEL))
                },
                "chains" => Target::cranelift().with_reduce_chains(3),
                "affine" => Target::cranelift().with_affine_tiles(true),
                "prefetch" => Target::cranelift().with_prefetch_programs_ahead(2),
                "prefetch-own" => Target::cranelift()
                    .with_prefetch_programs_ahead(2)
                    .with_prefetch_other_programs(false),
                "dma-affine" => Target::cranelift()
                    .with_bulk_copies(true)
                    .with_affine_tiles(true),
                "dma-matmul" => Target {
                    matmul_op: true,
                    ..Target::cranelift()
                        .with_bulk_copies(true)
                        .with_early_write_out(true)
                },
                other => return Err(format!("unknown target `{other}`")),
            };
        } else if let Some(n) = directive.strip_prefix("local-mem:") {
            let bytes = n
                .trim()
                .parse()
                .map_err(|e| format!("bad local memory `{}`: {e}", n.trim()))?;
            case.target = case.target.clone().with_local_mem(bytes);
        } else if let Some(n) = directive.strip_prefix("inline-threshold:") {
            case.inline.threshold = n
                .trim()
                .parse()
                .map_err(|e| format!("bad inline threshold `{}`: {e}", n.trim()))?;
        } else if let Some(c) = directive.strip_prefix("check-not:") {
            case.check_nots.push(c.trim().to_string());
        } else if let Some(c) = directive.strip_prefix("check:") {
            case.checks.push(c.trim().to_string());
        }
    }
    if case.passes.is_empty() {
        return Err("no `; passes:` line".into());
    }
    Ok(case)
}

fn run_passes(case: &Case, text: &str) -> Result<String, String> {
    let mut m = parse_module(text).map_err(|e| format!("parse error at {e}"))?;
    let mut names: Vec<&str> = case.passes.iter().map(String::as_str).collect();
    if names.first() == Some(&"inline") {
        names.remove(0);
        inline_calls(&mut m, &case.inline).map_err(|e| format!("pass `inline`: {e}"))?;
    }
    if names.contains(&"inline") {
        return Err("`inline` is a module pass and must come first".into());
    }
    let pipeline = Pipeline::new(case.target.clone())
        .with_passes(&names)
        .map_err(|e| e.to_string())?
        .verify_each(true)
        .dump(DumpFilter::default());
    for f in &mut m.funcs {
        pipeline.run(f).map_err(|e| e.to_string())?;
    }
    Ok(m.to_string())
}

fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let first = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let mut out = format!("first difference at output line {}\n", first + 1);
    for l in &e[first.saturating_sub(2)..] {
        out.push_str(&format!("- {l}\n"));
    }
    for l in &a[first.saturating_sub(2)..] {
        out.push_str(&format!("+ {l}\n"));
    }
    out
}

fn check_file(path: &Path, bless: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case = parse_case(&text)?;
    let actual = run_passes(&case, &case.input)?;
    let again = run_passes(&case, &actual)?;
    if again != actual {
        return Err(format!(
            "pipeline {:?} is not idempotent on its own output:\n{}",
            case.passes,
            diff(&actual, &again)
        ));
    }
    let mut rest = actual.as_str();
    for c in &case.checks {
        match rest.find(c.as_str()) {
            Some(i) => rest = &rest[i + c.len()..],
            None => return Err(format!("`; check: {c}` not found (in order) in:\n{actual}")),
        }
    }
    if let Some(c) = case.check_nots.iter().find(|c| actual.contains(c.as_str())) {
        return Err(format!("`; check-not: {c}` found in:\n{actual}"));
    }
    if bless {
        let new = format!("{}{EXPECT}\n{actual}", case.input);
        return std::fs::write(path, new).map_err(|e| e.to_string());
    }
    match case.expected {
        None => Err("no `; expect:` block (run with PERSIM_BLESS=1 to create it)".into()),
        Some(e) if e.trim_end() == actual.trim_end() => Ok(()),
        Some(e) => Err(format!(
            "output differs from `; expect:`\n{}",
            diff(&e, &actual)
        )),
    }
}

fn pir_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            pir_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "pir") {
            out.push(p);
        }
    }
}

#[test]
fn filetests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("filetests");
    let bless = std::env::var_os("PERSIM_BLESS").is_some();
    let mut files = Vec::new();
    pir_files(&root, &mut files);
    assert!(!files.is_empty(), "no file tests under {}", root.display());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|p| {
            check_file(p, bless)
                .err()
                .map(|e| format!("{}: {e}", p.strip_prefix(&root).unwrap_or(p).display()))
        })
        .collect();
    println!("{} file tests, {} failed", files.len(), failures.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
