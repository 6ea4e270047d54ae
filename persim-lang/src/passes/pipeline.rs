//! The pass pipeline: an explicit list of named passes per target, run in
//! order with the verifier after each (in debug builds, or when asked), the
//! time and op count of each pass recorded, and the IR dumped after the
//! passes a filter selects — persim's counterpart of Triton's
//! `MLIR_ENABLE_DUMP`.
//!
//! Dumps are selected by the `PERSIM_DUMP` environment variable or by
//! [`Pipeline::dump`]: a comma-separated list of `kernel`, `kernel:pass`,
//! `:pass` or `all` (`*` also matches everything), e.g.
//! `PERSIM_DUMP=softmax:lower-tiles,matmul`. Dumps go to standard error, or
//! into files `<kernel>.<index>.<pass>.pir` under `PERSIM_DUMP_DIR` when set.

use super::inline::{inline_calls, InlineOptions};
use super::registry::{pass_by_name, Pass};
use crate::ir::verify::{verify, verify_lowered};
use crate::ir::{parse_function, structurally_equal, FuncKind, Function, Module};
use crate::target::Target;
use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The passes of [`Pipeline::standard`], in order.
pub const STANDARD_PASSES: &[&str] = &[
    "canonicalize",
    "cse",
    "licm",
    "dce",
    "version-wraps",
    "prove-masks",
    "canonicalize",
    "prefetch-next-programs",
    "split-mask-tails",
    "canonicalize",
    "lower-tiles",
    "fuse-loops",
    "prefetch-in-compute-loops",
    "forward-stores",
    "rematerialize",
    "dead-buffers",
    "dead-stores",
    "prove-masks",
    "split-mask-tails",
    "bulk-copies",
    "double-buffer",
    "early-write-out",
    "unroll-loops",
    "canonicalize",
    "cse",
    "licm",
    "dce",
    "interleave-three-final-steps",
    "interleave-final-steps",
    "fetch-last-operand-early",
    "modulo-schedule",
    "canonicalize",
    "cse",
    "dce",
    "dead-buffers",
    "pack-buffers",
];

/// A pass failed, or left IR the verifier rejects.
#[derive(Clone, Debug)]
pub struct PassError {
    pub pass: &'static str,
    pub message: String,
}

impl fmt::Display for PassError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pass `{}`: {}", self.pass, self.message)
    }
}

impl std::error::Error for PassError {}

/// What one pass did.
#[derive(Clone, Debug)]
pub struct PassStat {
    pub pass: &'static str,
    pub time: Duration,
    pub ops_before: usize,
    pub ops_after: usize,
}

/// Which (kernel, pass) pairs to dump.
#[derive(Clone, Debug, Default)]
pub struct DumpFilter {
    rules: Vec<(Option<String>, Option<String>)>,
}

impl DumpFilter {
    /// Parse `kernel`, `kernel:pass`, `:pass`, `all`/`*` rules, comma-separated.
    pub fn parse(spec: &str) -> DumpFilter {
        let wild = |s: &str| (!s.is_empty() && s != "*").then(|| s.to_string());
        let rules = spec
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|rule| match rule {
                "all" | "1" | "*" => (None, None),
                _ => match rule.split_once(':') {
                    Some((k, p)) => (wild(k), wild(p)),
                    None => (wild(rule), None),
                },
            })
            .collect();
        DumpFilter { rules }
    }

    /// The filter given by `PERSIM_DUMP`, empty when unset.
    pub fn from_env() -> DumpFilter {
        std::env::var("PERSIM_DUMP")
            .map(|s| DumpFilter::parse(&s))
            .unwrap_or_default()
    }

    pub fn matches(&self, kernel: &str, pass: &str) -> bool {
        self.rules.iter().any(|(k, p)| {
            k.as_deref().is_none_or(|k| k == kernel) && p.as_deref().is_none_or(|p| p == pass)
        })
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

type DumpSink = Box<dyn Fn(&str, &str, &Function) + Send + Sync>;

/// An ordered list of passes for one target.
pub struct Pipeline {
    pub target: Target,
    passes: Vec<&'static Pass>,
    /// Run the verifier after every pass (default: in debug builds).
    pub verify_each: bool,
    /// Inliner settings for [`Pipeline::run_module`].
    pub inline: InlineOptions,
    dump: DumpFilter,
    sink: Option<DumpSink>,
}

impl Pipeline {
    /// An empty pipeline; dumps selected by `PERSIM_DUMP`.
    pub fn new(target: Target) -> Pipeline {
        Pipeline {
            target,
            passes: Vec::new(),
            verify_each: cfg!(debug_assertions),
            inline: InlineOptions::ALL,
            dump: DumpFilter::from_env(),
            sink: None,
        }
    }

    /// The standard mid-end for `target`: clean up the tile IR, lower it,
    /// fuse the loops lowering emitted (keeping intermediates in registers
    /// and dropping the buffers that carried them), then clean up again what
    /// lowering exposed (constant lane masks, repeated index arithmetic,
    /// loop-invariant address computations).
    pub fn standard(target: Target) -> Pipeline {
        Pipeline::new(target)
            .with_passes(STANDARD_PASSES)
            .expect("standard passes are registered")
    }

    /// The part of [`Pipeline::standard`] after lowering, for IR that is
    /// already lowered.
    pub fn post_lowering(target: Target) -> Pipeline {
        let after = STANDARD_PASSES
            .iter()
            .position(|&p| p == "lower-tiles")
            .expect("standard pipeline lowers");
        Pipeline::new(target)
            .with_passes(&STANDARD_PASSES[after + 1..])
            .expect("standard passes are registered")
    }

    /// Append passes by name; unknown names are an error listing the known ones.
    pub fn with_passes(mut self, names: &[&str]) -> Result<Pipeline, PassError> {
        for name in names {
            let pass = pass_by_name(name).ok_or_else(|| PassError {
                pass: "pipeline",
                message: format!(
                    "unknown pass `{name}`; known passes: {}",
                    super::registry::PASSES
                        .iter()
                        .map(|p| p.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
            self.passes.push(pass);
        }
        Ok(self)
    }

    pub fn pass_names(&self) -> Vec<&'static str> {
        self.passes.iter().map(|p| p.name).collect()
    }

    /// Dump after the passes `filter` selects (replaces `PERSIM_DUMP`).
    pub fn dump(mut self, filter: DumpFilter) -> Pipeline {
        self.dump = filter;
        self
    }

    /// Send dumps to `sink(kernel, pass, function)` instead of stderr/files.
    pub fn dump_to(
        mut self,
        sink: impl Fn(&str, &str, &Function) + Send + Sync + 'static,
    ) -> Pipeline {
        self.sink = Some(Box::new(sink));
        self
    }

    pub fn verify_each(mut self, on: bool) -> Pipeline {
        self.verify_each = on;
        self
    }

    /// Leave calls of device functions with more than `ops` ops as calls
    /// (see [`super::inline`]); the default inlines everything.
    pub fn inline_threshold(mut self, ops: usize) -> Pipeline {
        self.inline.threshold = ops;
        self
    }

    /// Run the module-level `inline` pass on `m`, then the function passes
    /// on its kernel `kernel`, which is returned call-free. The `inline`
    /// step is timed, dumped (as pass `inline`) and verified like the
    /// others. A call that stays because its callee is above the threshold
    /// is an error: no backend calls device functions yet.
    pub fn run_module(
        &self,
        m: &Module,
        kernel: &str,
    ) -> Result<(Function, Vec<PassStat>), PassError> {
        let err = |message: String| PassError {
            pass: "inline",
            message,
        };
        match m.get(kernel) {
            None => return Err(err(format!("the module has no function `@{kernel}`"))),
            Some(f) if f.kind != FuncKind::Kernel => {
                return Err(err(format!(
                    "`@{kernel}` is a device function, not a kernel"
                )))
            }
            Some(_) => {}
        }
        let mut m = m.clone();
        let ops_before = m.get(kernel).map_or(0, Function::op_count);
        let start = Instant::now();
        inline_calls(&mut m, &self.inline).map_err(|e| err(e.to_string()))?;
        let time = start.elapsed();
        let mut f = m.take(kernel).expect("inlining keeps kernels");
        if let Some((callee, site)) = super::inline::first_call(&f) {
            let size = m.get(&callee).map_or(0, Function::op_count);
            return Err(err(format!(
                "{site}: device function `@{callee}` has {size} ops, above the inline threshold \
                 ({}), so its call stays; no backend calls device functions yet, so raise the \
                 threshold",
                self.inline.threshold
            )));
        }
        if self.verify_each {
            check(&f, "inline", None)?;
        }
        self.emit_dump(0, "inline", &f);
        let mut all = vec![PassStat {
            pass: "inline",
            time,
            ops_before,
            ops_after: f.op_count(),
        }];
        all.extend(self.run(&mut f)?);
        Ok((f, all))
    }

    /// Run every pass in order on `f`.
    pub fn run(&self, f: &mut Function) -> Result<Vec<PassStat>, PassError> {
        let mut stats = Vec::with_capacity(self.passes.len());
        self.emit_dump(0, "input", f);
        // The input always gets verified (it comes from outside the mid-end);
        // IR carrying `lanes` is already lowered and must follow those rules.
        let input_lanes = f.attrs.int("lanes").and_then(|l| u32::try_from(l).ok());
        check(f, "input", input_lanes)?;
        let mut lowered = input_lanes.is_some();
        for (i, pass) in self.passes.iter().enumerate() {
            let ops_before = f.op_count();
            let start = Instant::now();
            (pass.run)(f, &self.target).map_err(|message| PassError {
                pass: pass.name,
                message,
            })?;
            let time = start.elapsed();
            lowered |= pass.lowers;
            if self.verify_each {
                check(f, pass.name, lowered.then_some(self.target.lanes))?;
            }
            self.emit_dump(i + 1, pass.name, f);
            stats.push(PassStat {
                pass: pass.name,
                time,
                ops_before,
                ops_after: f.op_count(),
            });
        }
        Ok(stats)
    }

    fn emit_dump(&self, index: usize, pass: &'static str, f: &Function) {
        if !self.dump.matches(&f.name, pass) {
            return;
        }
        if let Some(sink) = &self.sink {
            return sink(&f.name, pass, f);
        }
        let text = format!(
            "; persim IR of `{}` after `{pass}` ({})\n{f}",
            f.name, self.target.name
        );
        match std::env::var_os("PERSIM_DUMP_DIR") {
            Some(dir) => {
                let path = PathBuf::from(dir).join(format!("{}.{index:02}.{pass}.pir", f.name));
                if let Err(e) = std::fs::write(&path, text) {
                    eprintln!("persim: cannot write dump {}: {e}", path.display());
                }
            }
            None => eprintln!("{text}"),
        }
    }
}

/// The verifier, then a text round trip: every IR a pipeline produces must
/// print, parse back and compare equal, so dumps are always faithful.
fn check(f: &Function, pass: &'static str, lanes: Option<u32>) -> Result<(), PassError> {
    let err = |message: String| PassError { pass, message };
    match lanes {
        Some(l) => verify_lowered(f, l),
        None => verify(f),
    }
    .map_err(|e| err(format!("verifier: {e}")))?;
    let text = f.to_string();
    let back = parse_function(&text)
        .map_err(|e| err(format!("printed IR does not parse back: {e}\n{text}")))?;
    structurally_equal(&back, f)
        .map_err(|e| err(format!("printed IR does not round-trip: {e}\n{text}")))
}

#[cfg(test)]
mod tests {
    use super::DumpFilter;

    #[test]
    fn dump_filter_rules() {
        let f = DumpFilter::parse("softmax:lower-tiles, matmul ,:cse");
        assert!(f.matches("softmax", "lower-tiles"));
        assert!(!f.matches("softmax", "cse") || f.matches("x", "cse"));
        assert!(f.matches("matmul", "anything"));
        assert!(f.matches("other", "cse"));
        assert!(!f.matches("other", "dce"));
        assert!(DumpFilter::parse("all").matches("k", "p"));
        assert!(DumpFilter::parse("").is_empty());
    }
}
