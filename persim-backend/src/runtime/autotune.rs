//! Autotuning: pick a kernel's constexpr values by measuring them.
//!
//! A kernel declares candidate [`Config`]s (constexpr values) and a *key*
//! (runtime arguments whose values change the best choice, such as the
//! problem sizes). The first launch for each key value benchmarks every
//! candidate, prints one progress line to stderr, keeps the fastest and
//! caches it in memory and on disk; later launches with that key reuse it,
//! also in later processes.
//!
//! On the spatial simulator "fastest" means fewest simulated cycles: each
//! candidate runs once (the count is exact and deterministic), and the key
//! also names the machine (its name and a hash of its descriptor).
//!
//! ```ignore
//! let tuner = Autotuner::new(&matmul::KERNEL)
//!     .configs(vec![
//!         config! { BLOCK_M: 32, BLOCK_N: 32, BLOCK_K: 32 },
//!         config! { BLOCK_M: 64, BLOCK_N: 64, BLOCK_K: 16 },
//!     ])
//!     .key(&["m", "n", "k"]);
//! // Like Triton's `grid = lambda META: ...`: the grid depends on the choice.
//! tuner.launch(&engine, |c| cdiv(m, c["BLOCK_M"]) * cdiv(n, c["BLOCK_N"]),
//!              &[("GROUP_M", 8)], &mut [Arg::from(&a), Arg::from(&b), Arg::from(&mut c), ..])?;
//! ```
//!
//! Benchmarking never touches the caller's outputs: every mutable slice is
//! copied to a scratch buffer the candidates write to (the copy starts with
//! the slice's contents, so in-place kernels read what they would read), and
//! only the winner runs on the real arguments. This is what Triton asks of
//! the user with `reset_to_zero`/`restore_value`.
//!
//! # The cache directory
//!
//! Choices are stored under `<cache>/autotune/`, one text file per kernel
//! and candidate list, where `<cache>` is, in order:
//! 1. `$PERSIM_CACHE_DIR` if set and non-empty,
//! 2. `$XDG_CACHE_HOME/persim` if `XDG_CACHE_HOME` is an absolute path,
//! 3. `$HOME/.cache/persim`,
//!
//! or [`Autotuner::cache_dir`] for one tuner. A file's name carries a hash of
//! the kernel's source text, the candidates and the key names, so editing
//! any of them starts afresh; inside, one line per (target, key value)
//! records the chosen configuration. Deleting the directory is always safe.

#[path = "autotune_bench.rs"]
mod bench;
#[path = "autotune_cache.rs"]
pub mod cache;

use super::{Arg, ArgValue, Backend, Engine, Grid, LaunchError};
use bench::{benchmark, Scratch};
use cache::{default_cache_dir, DiskCache};
use persim_lang::front::KernelSource;
use persim_lang::ir::Dtype;
use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// One candidate: constexpr values by name. Build it with [`config!`]
/// (`config! { BLOCK: 1024 }`) or [`Config::new`].
///
/// [`config!`]: crate::config
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Config {
    values: Vec<(String, i64)>,
}

impl Config {
    pub fn new(values: &[(&str, i64)]) -> Config {
        Config {
            values: values.iter().map(|&(n, v)| (n.to_string(), v)).collect(),
        }
    }

    /// The value of constexpr `name`, if this configuration sets it.
    pub fn get(&self, name: &str) -> Option<i64> {
        self.values.iter().find(|(n, _)| n == name).map(|&(_, v)| v)
    }

    pub fn values(&self) -> &[(String, i64)] {
        &self.values
    }
}

/// `config["BLOCK"]`, for grid functions.
///
/// # Panics
///
/// If the configuration does not set `name`.
impl std::ops::Index<&str> for Config {
    type Output = i64;

    fn index(&self, name: &str) -> &i64 {
        match self.values.iter().find(|(n, _)| n == name) {
            Some((_, v)) => v,
            None => panic!("autotune config `{self}` does not set `{name}`"),
        }
    }
}

/// `BLOCK_M=64 BLOCK_N=32`: how configurations appear in progress lines and
/// in the disk cache.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (n, v)) in self.values.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{n}={v}")?;
        }
        Ok(())
    }
}

/// A [`Config`] from `NAME: value` pairs: `config! { BLOCK_M: 64, BLOCK_N: 32 }`.
#[macro_export]
macro_rules! config {
    ($($name:ident : $value:expr),* $(,)?) => {
        $crate::runtime::autotune::Config::new(&[$((::core::stringify!($name), ($value) as i64)),*])
    };
}

/// Picks, per key value, the fastest of a kernel's candidate configurations.
/// Share one tuner across launches (a `static` through `OnceLock`, or a
/// field): its memory cache lives as long as it does.
pub struct Autotuner {
    kernel: &'static KernelSource,
    configs: Vec<Config>,
    /// `(name, index among runtime arguments)` of each key argument.
    key: Vec<(String, usize)>,
    cache_dir: Option<PathBuf>,
    disk: bool,
    quiet: bool,
    budget: Duration,
    memory: Mutex<HashMap<String, Config>>,
    /// Held while benchmarking, so concurrent first launches tune once and
    /// never time each other.
    tuning: Mutex<()>,
    tunings: AtomicU64,
}

impl fmt::Debug for Autotuner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Autotuner")
            .field("kernel", &self.kernel.name)
            .field("configs", &self.configs.len())
            .field("key", &self.key)
            .field("tunings", &self.tunings())
            .finish()
    }
}

impl Autotuner {
    /// A tuner for `kernel` with no candidates yet; with an empty key every
    /// launch shares one choice.
    pub fn new(kernel: &'static KernelSource) -> Autotuner {
        Autotuner {
            kernel,
            configs: Vec::new(),
            key: Vec::new(),
            cache_dir: None,
            disk: true,
            quiet: false,
            budget: Duration::from_millis(100),
            memory: Mutex::new(HashMap::new()),
            tuning: Mutex::new(()),
            tunings: AtomicU64::new(0),
        }
    }

    /// The candidates, in order (on equal times the first wins).
    pub fn configs(mut self, configs: Vec<Config>) -> Autotuner {
        self.configs = configs;
        self
    }

    /// Runtime arguments whose values select the choice: scalars by value,
    /// slices by length.
    ///
    /// # Panics
    ///
    /// If a name is not a runtime parameter of the kernel (a constexpr
    /// cannot be a key: the candidates set those).
    pub fn key(mut self, names: &[&str]) -> Autotuner {
        self.key = names
            .iter()
            .map(|&name| {
                let index = self
                    .kernel
                    .runtime_params()
                    .position(|p| p.name == name)
                    .unwrap_or_else(|| {
                        panic!(
                            "autotune key `{name}` is not a runtime parameter of kernel `{}`",
                            self.kernel.name
                        )
                    });
                (name.to_string(), index)
            })
            .collect();
        self
    }

    /// Store choices under `dir/autotune/` instead of the default cache
    /// directory (see the module doc).
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Autotuner {
        self.cache_dir = Some(dir.into());
        self
    }

    /// Keep choices in memory only.
    pub fn disk_cache(mut self, on: bool) -> Autotuner {
        self.disk = on;
        self
    }

    /// No progress line.
    pub fn quiet(mut self, on: bool) -> Autotuner {
        self.quiet = on;
        self
    }

    /// Time spent measuring each candidate after its warm-up run (at least
    /// 3 and at most 25 timed runs; the median counts). Default 100 ms.
    pub fn budget(mut self, budget: Duration) -> Autotuner {
        self.budget = budget;
        self
    }

    /// How many times this tuner has benchmarked (once per new key value
    /// not found on disk).
    pub fn tunings(&self) -> u64 {
        self.tunings.load(Ordering::Relaxed)
    }

    /// The choice cached in memory for these arguments on `engine`, if any.
    pub fn choice(&self, engine: &Engine, args: &[Arg<'_>]) -> Option<Config> {
        let key = self.key_text(engine, args).ok()?;
        self.memory.lock().ok()?.get(&key).cloned()
    }

    /// Launch with the best configuration for these arguments, tuning
    /// first if this key value has no choice yet. `grid` maps a
    /// configuration to the launch grid; `consts` are constexprs that are
    /// not tuned; `args` are the runtime arguments in parameter order (as
    /// for [`Engine::launch`]).
    ///
    /// A candidate that fails to compile or launch is skipped (and named in
    /// the progress line); if all fail, the first failure is returned.
    pub fn launch<G: Into<Grid>>(
        &self,
        engine: &Engine,
        grid: impl Fn(&Config) -> G,
        consts: &[(&str, i64)],
        args: &mut [Arg<'_>],
    ) -> Result<(), LaunchError> {
        let key = self.key_text(engine, args)?;
        let cached = self.memory.lock().ok().and_then(|m| m.get(&key).cloned());
        let config = match cached {
            Some(c) => c,
            None => self.choose(engine, &grid, consts, args, &key)?,
        };
        let all = merged(&config, consts);
        engine.launch(self.kernel, grid(&config).into(), &all, args)
    }

    /// The choice for `key` from disk, or by benchmarking; remembered.
    fn choose<G: Into<Grid>>(
        &self,
        engine: &Engine,
        grid: &impl Fn(&Config) -> G,
        consts: &[(&str, i64)],
        args: &[Arg<'_>],
        key: &str,
    ) -> Result<Config, LaunchError> {
        let _one_at_a_time = self.tuning.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = self.memory.lock().ok().and_then(|m| m.get(key).cloned()) {
            return Ok(c);
        }
        let disk = self.disk_cache_file();
        let stored = disk.as_ref().and_then(|d| d.lookup(key));
        let config =
            match stored.and_then(|text| self.configs.iter().find(|c| c.to_string() == text)) {
                Some(c) => c.clone(),
                None => {
                    let c = self.tune(engine, grid, consts, args, key)?;
                    if let Some(d) = &disk {
                        if let Err(e) = d.store(key, &c.to_string()) {
                            eprintln!("persim autotune: cannot write {}: {e}", d.path().display());
                        }
                    }
                    c
                }
            };
        if let Ok(mut m) = self.memory.lock() {
            m.insert(key.to_string(), config.clone());
        }
        Ok(config)
    }

    /// Benchmark every candidate on scratch copies of the outputs and return
    /// the fastest, printing one progress line.
    fn tune<G: Into<Grid>>(
        &self,
        engine: &Engine,
        grid: &impl Fn(&Config) -> G,
        consts: &[(&str, i64)],
        args: &[Arg<'_>],
        key: &str,
    ) -> Result<Config, LaunchError> {
        if self.configs.is_empty() {
            return Err(LaunchError::Constexpr {
                kernel: self.kernel.name.to_string(),
                message: "the autotuner has no candidate configurations".to_string(),
            });
        }
        self.tunings.fetch_add(1, Ordering::Relaxed);
        let mut progress = Progress::new(self.quiet);
        progress.say(format_args!(
            "persim autotune: `{}` [{key}] over {} configs:",
            self.kernel.name,
            self.configs.len()
        ));
        let mut scratch = Scratch::of(args);
        let mut best: Option<(Cost, &Config)> = None;
        let mut first_error = None;
        let simulated = matches!(engine.backend(), Backend::Spatial(_));
        for config in &self.configs {
            let all = merged(config, consts);
            let g: Grid = grid(config).into();
            let measured = if simulated {
                // Simulated cycles are exact and deterministic: one run.
                engine
                    .simulate(self.kernel, g, &all, &mut scratch.args())
                    .map(Cost::Cycles)
            } else {
                engine.compile(self.kernel, &all).and_then(|_| {
                    benchmark(self.budget, || {
                        engine.launch(self.kernel, g, &all, &mut scratch.args())
                    })
                    .map(Cost::Time)
                })
            };
            match measured {
                Ok(t) => {
                    progress.say(format_args!(" {config}: {t};"));
                    if best.is_none_or(|(b, _)| t < b) {
                        best = Some((t, config));
                    }
                }
                Err(e) => {
                    progress.say(format_args!(" {config}: failed;"));
                    first_error.get_or_insert(e);
                }
            }
        }
        match best {
            Some((t, c)) => {
                progress.finish(format_args!(" best {c} ({t})"));
                Ok(c.clone())
            }
            None => {
                progress.finish(format_args!(" every config failed"));
                Err(first_error.expect("at least one config ran"))
            }
        }
    }

    /// `m=1023 n=1025 @cranelift`: the key arguments' values and the target.
    fn key_text(&self, engine: &Engine, args: &[Arg<'_>]) -> Result<String, LaunchError> {
        let mut parts = Vec::with_capacity(self.key.len() + 1);
        for (name, index) in &self.key {
            let value = match args.get(*index).map(Arg::value) {
                Some(ArgValue::Scalar { bits, dtype }) => scalar_text(*bits, *dtype),
                Some(ArgValue::Slice { len, .. }) => format!("len {len}"),
                None => {
                    return Err(LaunchError::Arity {
                        kernel: self.kernel.name.to_string(),
                        expected: self.kernel.runtime_params().count(),
                        got: args.len(),
                    })
                }
            };
            parts.push(format!("{name}={value}"));
        }
        parts.push(format!("@{}", engine.target().name));
        if let Backend::Spatial(sim) = engine.backend() {
            // The best choice depends on the machine, not just the target.
            parts.push(format!("on {}", sim.machine_identity()));
        }
        Ok(parts.join(" "))
    }

    fn disk_cache_file(&self) -> Option<DiskCache> {
        if !self.disk {
            return None;
        }
        let dir = self.cache_dir.clone().or_else(default_cache_dir)?;
        Some(DiskCache::new(&dir, self.kernel, &self.identity()))
    }

    /// What a cache file is valid for besides the kernel source: the
    /// candidates and the key names.
    fn identity(&self) -> String {
        let configs: Vec<String> = self.configs.iter().map(Config::to_string).collect();
        let key: Vec<&str> = self.key.iter().map(|(n, _)| n.as_str()).collect();
        format!("configs [{}] key [{}]", configs.join("; "), key.join(" "))
    }
}

/// The configuration's values followed by the fixed constexprs (a name in
/// both is reported by the engine as given twice).
fn merged<'a>(config: &'a Config, consts: &[(&'a str, i64)]) -> Vec<(&'a str, i64)> {
    let mut all: Vec<(&str, i64)> = config
        .values
        .iter()
        .map(|(n, v)| (n.as_str(), *v))
        .collect();
    all.extend_from_slice(consts);
    all
}

/// A scalar argument's value as text.
fn scalar_text(bits: u64, dtype: Dtype) -> String {
    match dtype {
        Dtype::I1 => (bits != 0).to_string(),
        Dtype::I8 => (bits as i8).to_string(),
        Dtype::I16 => (bits as i16).to_string(),
        Dtype::I32 => (bits as i32).to_string(),
        Dtype::I64 => (bits as i64).to_string(),
        Dtype::F16 => half::f16::from_bits(bits as u16).to_string(),
        Dtype::BF16 => half::bf16::from_bits(bits as u16).to_string(),
        Dtype::F32 => f32::from_bits(bits as u32).to_string(),
        Dtype::F64 => f64::from_bits(bits).to_string(),
        _ => bits.to_string(),
    }
}

/// What a candidate cost: the median wall time of runs on a host JIT, or
/// the simulated cycles of one run on the spatial backend (exact, so
/// candidates are compared by the machine model, not by how long the
/// simulator took). One tuning compares one kind.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
enum Cost {
    Time(Duration),
    Cycles(u64),
}

/// `0.123 ms`, or `41230 cycles`.
impl fmt::Display for Cost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cost::Time(t) => write!(f, "{:.3} ms", t.as_secs_f64() * 1e3),
            Cost::Cycles(c) => write!(f, "{c} cycles"),
        }
    }
}

/// The progress line: pieces appear on stderr as candidates finish.
struct Progress {
    quiet: bool,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        Progress { quiet }
    }

    fn say(&mut self, piece: fmt::Arguments<'_>) {
        if !self.quiet {
            let mut err = std::io::stderr().lock();
            let _ = err.write_fmt(piece);
            let _ = err.flush();
        }
    }

    fn finish(&mut self, piece: fmt::Arguments<'_>) {
        if !self.quiet {
            eprintln!("{piece}");
        }
    }
}
