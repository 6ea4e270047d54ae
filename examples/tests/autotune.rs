//! The autotuner on a real kernel: it tunes once per key value, reuses the
//! choice from memory and from disk (in a fresh tuner, as a new process
//! would), never lets benchmark runs touch the caller's outputs, skips
//! candidates that fail, and computes the right result throughout.

use persim::autotune::Config;
use persim::{config, Arg, Autotuner, Engine, LaunchError};
use std::path::{Path, PathBuf};

/// `acc += x` in place: a candidate run on the caller's `acc` would add
/// `x` more than once, so the result shows whether tuning leaked.
#[persim::kernel]
fn accumulate(x: *const f32, acc: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    store(acc + offs, load(acc + offs, m) + load(x + offs, m), m);
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "persim-autotune-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn candidates() -> Vec<Config> {
    vec![
        config! { BLOCK: 64 },
        config! { BLOCK: 256 },
        config! { BLOCK: 1024 },
    ]
}

fn tuner(dir: &Path) -> Autotuner {
    Autotuner::new(&accumulate::KERNEL)
        .configs(candidates())
        .key(&["n"])
        .cache_dir(dir)
        .budget(std::time::Duration::from_millis(2))
        .quiet(true)
}

/// Launch `acc += x` through `tuner` on `n` elements and check that `x` was
/// added exactly once. Returns the choice.
fn launch_and_check(engine: &Engine, tuner: &Autotuner, n: usize) -> Result<Config, LaunchError> {
    let x: Vec<f32> = (0..n).map(|i| i as f32 * 0.5).collect();
    let start: Vec<f32> = (0..n).map(|i| 1000.0 - i as f32).collect();
    let mut acc = start.clone();
    let mut args = [Arg::from(&x), Arg::from(&mut acc), Arg::from(n as i32)];
    // Robust to the deliberately broken candidates of the tests below.
    let grid = |c: &Config| n.div_ceil(c.get("BLOCK").unwrap_or(1).max(1) as usize) as u32;
    tuner.launch(engine, grid, &[], &mut args)?;
    let choice = tuner.choice(engine, &args).expect("a choice is cached");
    let want: Vec<f32> = start.iter().zip(&x).map(|(a, b)| a + b).collect();
    assert_eq!(acc, want, "acc += x exactly once with {choice}");
    Ok(choice)
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir.join("autotune")) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn tunes_once_per_key_then_reuses_memory_and_disk() {
    let dir = TempDir::new("reuse");
    let engine = Engine::jit();
    let first = tuner(dir.path());
    let choice = launch_and_check(&engine, &first, 1000).unwrap();
    assert_eq!(first.tunings(), 1);
    assert!(candidates().contains(&choice));

    // Same key: served from memory.
    assert_eq!(launch_and_check(&engine, &first, 1000).unwrap(), choice);
    assert_eq!(first.tunings(), 1);

    // A new key value tunes again.
    launch_and_check(&engine, &first, 1025).unwrap();
    assert_eq!(first.tunings(), 2);

    // A new tuner (a new process, say) finds both choices on disk.
    let second = tuner(dir.path());
    assert_eq!(launch_and_check(&engine, &second, 1000).unwrap(), choice);
    launch_and_check(&engine, &second, 1025).unwrap();
    assert_eq!(second.tunings(), 0);

    let files = cache_files(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        text.contains(&format!("n=1000 @cranelift\t{choice}\n")),
        "{text}"
    );
    assert!(text.contains("n=1025 @cranelift\t"), "{text}");
}

#[test]
fn other_candidates_or_no_disk_cache_start_afresh() {
    let dir = TempDir::new("afresh");
    let engine = Engine::jit();
    launch_and_check(&engine, &tuner(dir.path()), 7).unwrap();

    let fewer = tuner(dir.path()).configs(vec![config! { BLOCK: 64 }, config! { BLOCK: 128 }]);
    launch_and_check(&engine, &fewer, 7).unwrap();
    assert_eq!(
        fewer.tunings(),
        1,
        "a changed candidate list is a new cache file"
    );
    assert_eq!(cache_files(dir.path()).len(), 2);

    let memory_only = TempDir::new("memory-only");
    let t = tuner(memory_only.path()).disk_cache(false);
    launch_and_check(&engine, &t, 7).unwrap();
    launch_and_check(&engine, &t, 7).unwrap();
    assert_eq!(t.tunings(), 1);
    assert!(cache_files(memory_only.path()).is_empty());
}

#[test]
fn failing_candidates_are_skipped_and_all_failing_is_an_error() {
    let dir = TempDir::new("failing");
    let engine = Engine::jit();
    // `arange(0, 0)` is rejected when the kernel is specialized.
    let t = tuner(dir.path()).configs(vec![config! { BLOCK: 0 }, config! { BLOCK: 128 }]);
    assert_eq!(
        launch_and_check(&engine, &t, 1023).unwrap(),
        config! { BLOCK: 128 }
    );

    let none =
        tuner(dir.path()).configs(vec![config! { BLOCK: 0 }, config! { NOT_A_CONSTEXPR: 1 }]);
    let err = launch_and_check(&engine, &none, 1023).unwrap_err();
    assert!(matches!(err, LaunchError::Frontend(_)), "{err}");
}

#[test]
fn outputs_are_untouched_by_benchmark_runs_in_checked_mode_too() {
    let dir = TempDir::new("checked");
    let engine = Engine::jit().checked(true);
    for n in [1, 1000, 4097] {
        launch_and_check(&engine, &tuner(dir.path()), n).unwrap();
    }
}

#[test]
#[should_panic(expected = "autotune key `BLOCK` is not a runtime parameter of kernel `accumulate`")]
fn a_key_must_name_a_runtime_parameter() {
    let _ = Autotuner::new(&accumulate::KERNEL).key(&["BLOCK"]);
}

/// The usual home of a tuner is a `static`, shared by every launch site and
/// thread; concurrent first launches tune once.
#[test]
fn a_static_tuner_serves_concurrent_launches() {
    use std::sync::OnceLock;
    static DIR: OnceLock<TempDir> = OnceLock::new();
    static TUNER: OnceLock<Autotuner> = OnceLock::new();
    let dir = DIR.get_or_init(|| TempDir::new("static"));
    let tuner = TUNER.get_or_init(|| tuner(dir.path()));
    let engine = Engine::jit();
    let choices: Vec<Config> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| launch_and_check(&engine, tuner, 777).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(choices.windows(2).all(|w| w[0] == w[1]), "{choices:?}");
    assert_eq!(tuner.tunings(), 1);
    let _ = std::fs::remove_dir_all(dir.path());
}

/// On the simulator the tuner compares simulated cycles (exact, one run
/// per candidate) instead of wall time: it picks the candidate the machine
/// model says is fastest, every time, and the key names the machine.
#[test]
fn sim_tunes_by_simulated_cycles() {
    let dir = TempDir::new("sim");
    let n = 20_000;
    let engine = Engine::sim();
    let first = tuner(dir.path());
    let choice = launch_and_check(&engine, &first, n).unwrap();
    // Each candidate's cycles, from the simulator directly.
    let cycles: Vec<(u64, Config)> = candidates()
        .into_iter()
        .map(|c| {
            let x = vec![1.0f32; n];
            let mut acc = vec![0.0f32; n];
            let mut args = [Arg::from(&x), Arg::from(&mut acc), Arg::from(n as i32)];
            let block = c["BLOCK"];
            let grid = n.div_ceil(block as usize) as u32;
            let report = persim::spatial::SimEngine::default()
                .launch(
                    &accumulate::KERNEL,
                    grid.into(),
                    &[("BLOCK", block)],
                    &mut args,
                )
                .unwrap();
            (report.stats.cycles, c)
        })
        .collect();
    let fastest = cycles.iter().min_by_key(|(c, _)| *c).unwrap();
    assert_eq!(choice, fastest.1, "cycles per candidate: {cycles:?}");
    assert!(
        cycles.iter().any(|(c, _)| *c != fastest.0),
        "the candidates differ: {cycles:?}"
    );
    // A fresh tuner reads the choice back from disk: the key carries the
    // machine's identity, so it is this machine's choice.
    let again = tuner(dir.path());
    assert_eq!(launch_and_check(&engine, &again, n).unwrap(), choice);
    assert_eq!(again.tunings(), 0);
    let text = std::fs::read_to_string(&cache_files(dir.path())[0]).unwrap();
    assert!(text.contains("@spatial on persim-default #"), "{text}");
}
