//! `persim-opt`: run mid-end passes on text IR, like `mlir-opt`.
//!
//! ```text
//! persim-opt [--passes p1,p2,...] [--target cranelift] [--dump-after-each]
//!            [--dump FILTER] [--timing] [--inline-threshold N] [--list-passes]
//!            [FILE | -]
//! ```
//!
//! Reads a module (one or more functions; `-`/no file: standard input), runs
//! the passes on every function with the verifier after each, prints the
//! result. `inline`, the module-level pass, may come first in `--passes`
//! (`--inline-threshold` sets its size threshold). `--dump-after-each`
//! prints the IR after every pass (the same as `PERSIM_DUMP=all`); `--dump`
//! takes a `PERSIM_DUMP`-style filter; `--timing` prints per-pass time and
//! op counts.

use persim_lang::ir::parse_module;
use persim_lang::passes::{inline_calls, DumpFilter, InlineOptions, Pipeline, PASSES};
use persim_lang::target::Target;
use std::io::Read;
use std::process::ExitCode;

struct Options {
    passes: Vec<String>,
    target: Target,
    dump: Option<DumpFilter>,
    timing: bool,
    inline: InlineOptions,
    input: Option<String>,
}

fn usage() -> String {
    "usage: persim-opt [--passes p1,p2,...] [--target cranelift] [--dump-after-each] \
     [--dump FILTER] [--timing] [--inline-threshold N] [--list-passes] [FILE | -]"
        .into()
}

fn parse_args() -> Result<Option<Options>, String> {
    let mut o = Options {
        passes: Vec::new(),
        target: Target::cranelift(),
        dump: None,
        timing: false,
        inline: InlineOptions::ALL,
        input: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--passes" => {
                o.passes = value("--passes")?
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            "--target" => {
                o.target = match value("--target")?.as_str() {
                    "cranelift" => Target::cranelift(),
                    t => return Err(format!("unknown target `{t}` (known: cranelift)")),
                }
            }
            "--dump-after-each" => o.dump = Some(DumpFilter::parse("all")),
            "--dump" => o.dump = Some(DumpFilter::parse(&value("--dump")?)),
            "--timing" => o.timing = true,
            "--inline-threshold" => {
                let v = value("--inline-threshold")?;
                o.inline.threshold = v
                    .parse()
                    .map_err(|e| format!("bad --inline-threshold `{v}`: {e}"))?;
            }
            "--list-passes" => {
                println!(
                    "{:<14} inline calls of device functions (module pass; must come first)",
                    "inline"
                );
                for p in PASSES {
                    println!("{:<14} {}", p.name, p.doc);
                }
                return Ok(None);
            }
            "-h" | "--help" => {
                println!("{}", usage());
                return Ok(None);
            }
            f if !f.starts_with("--") && o.input.is_none() => o.input = Some(f.to_string()),
            other => return Err(format!("unexpected argument `{other}`\n{}", usage())),
        }
    }
    Ok(Some(o))
}

fn run(o: Options) -> Result<(), String> {
    let (name, text) = match o.input.as_deref() {
        None | Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| e.to_string())?;
            ("<stdin>".to_string(), s)
        }
        Some(path) => (
            path.to_string(),
            std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?,
        ),
    };
    let mut m = parse_module(&text).map_err(|e| format!("{name}:{e}"))?;
    let mut names: Vec<&str> = o.passes.iter().map(String::as_str).collect();
    if names.first() == Some(&"inline") {
        names.remove(0);
        let stats = inline_calls(&mut m, &o.inline).map_err(|e| format!("pass `inline`: {e}"))?;
        if o.timing {
            eprintln!(
                "{:<14} {} calls inlined, {} kept",
                "inline",
                stats.inlined,
                stats.kept.len()
            );
        }
    }
    if names.contains(&"inline") {
        return Err("`inline` is a module pass: put it first in --passes".into());
    }
    let mut pipeline = Pipeline::new(o.target)
        .with_passes(&names)
        .map_err(|e| e.to_string())?
        .verify_each(true);
    if let Some(d) = o.dump {
        pipeline = pipeline.dump(d);
    }
    for f in &mut m.funcs {
        let stats = pipeline.run(f).map_err(|e| e.to_string())?;
        if o.timing {
            for s in &stats {
                eprintln!(
                    "{:<14} {:>9.3} ms  ops {:>5} -> {:>5}  @{}",
                    s.pass,
                    s.time.as_secs_f64() * 1e3,
                    s.ops_before,
                    s.ops_after,
                    f.name
                );
            }
        }
    }
    print!("{m}");
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|o| o.map_or(Ok(()), run)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("persim-opt: {e}");
            ExitCode::FAILURE
        }
    }
}
