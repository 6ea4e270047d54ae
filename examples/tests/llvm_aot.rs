//! The LLVM backend ahead of time: the kernel library `cargo build`
//! compiles (`persim-kernels/build.rs`), its C header and static library
//! linked into a C program built with the system C compiler, its safe Rust
//! wrappers against the Cranelift JIT, and LLVM's verifier on every `.ll`
//! the backend emits.
//!
//! `cargo test -- llvm` runs these with the LLVM conformance suite.

use persim::llvm::{self, AotKernel, TargetSpec};
use persim::passes::Pipeline;
use persim::{Arg, Engine, Grid};
use persim_kernels::aot;
use std::path::{Path, PathBuf};
use std::process::Command;

fn aot_dir() -> PathBuf {
    PathBuf::from(aot::AOT_DIR)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("persim-llvm-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// `opt-14 -passes=verify` accepts `ll`.
fn assert_verifies(ll: &Path) {
    let out = Command::new("opt-14")
        .args(["-passes=verify", "-disable-output"])
        .arg(ll)
        .output()
        .expect("running opt-14 (LLVM 14 tools are needed by this test)");
    assert!(
        out.status.success(),
        "opt-14 rejects {}: {}",
        ll.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn llvm_aot_library_outputs_exist_and_verify() {
    let dir = aot_dir();
    for name in [
        "persim_kernels.h",
        "persim_kernels.ll",
        "persim_kernels.o",
        "libpersim_kernels_aot.a",
    ] {
        assert!(
            dir.join(name).is_file(),
            "{} missing",
            dir.join(name).display()
        );
    }
    let header = std::fs::read_to_string(dir.join("persim_kernels.h")).unwrap();
    for spec in persim_kernels::aot_list::AOT_KERNELS {
        assert!(
            header.contains(&format!("int32_t {}(", spec.symbol)),
            "{} not declared",
            spec.symbol
        );
    }
    assert_verifies(&dir.join("persim_kernels.ll"));
}

/// Every tutorial kernel, emitted on its own for the host and for an
/// explicit AVX2 target, passes LLVM's verifier.
#[test]
fn llvm_every_emitted_ll_verifies() {
    let host = TargetSpec::host();
    let avx2 = TargetSpec::new(host.triple.clone(), "haswell", "+avx2,+fma,+avx");
    for spec in [host, avx2] {
        for k in persim_kernels::aot_list::AOT_KERNELS {
            let module = persim::front::specialize(k.kernel, k.consts).expect("specialize");
            let (f, _) = Pipeline::standard(spec.lowering_target())
                .run_module(&module, k.kernel.name)
                .expect("mid-end");
            let emitted = llvm::emit(
                k.symbol,
                &[AotKernel {
                    symbol: k.symbol,
                    func: &f,
                }],
                &spec,
            )
            .unwrap_or_else(|e| panic!("{}: {e}", k.symbol));
            assert!(!emitted.object.is_empty());
            let path = scratch(&format!("{}-{}.ll", k.symbol, spec.lanes()));
            std::fs::write(&path, &emitted.ll).unwrap();
            assert_verifies(&path);
        }
    }
}

#[test]
fn llvm_aot_c_program_links_and_runs() {
    let dir = aot_dir();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("c/softmax_matmul.c");
    let exe = scratch("softmax_matmul");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let build = Command::new(&cc)
        .args(["-O2", "-std=c11", "-Wall", "-Werror"])
        .arg(format!("-I{}", dir.display()))
        .arg(&src)
        .arg(dir.join("libpersim_kernels_aot.a"))
        .args(["-lm", "-o"])
        .arg(&exe)
        .output()
        .expect("running the C compiler");
    assert!(
        build.status.success(),
        "{cc} failed: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    let run = Command::new(&exe).output().expect("running the C program");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "C program failed:\n{stdout}");
    assert_eq!(stdout.matches(" ok").count(), 4, "{stdout}");
}

fn data(n: usize, seed: u32) -> Vec<f32> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(1_103_515_245).wrapping_add(12345);
            ((s >> 8) & 0xFFFF) as f32 / 32768.0 - 1.0
        })
        .collect()
}

#[test]
fn llvm_aot_rust_wrappers_match_the_cranelift_jit() {
    let engine = Engine::jit();
    // Softmax: 50 rows of 700 columns, 6 persistent programs.
    let (rows, cols) = (50usize, 700usize);
    let x = data(rows * cols, 3);
    let mut aot_out = vec![0f32; rows * cols];
    aot::softmax_b1024(
        &mut aot_out,
        &x,
        cols as i32,
        cols as i32,
        rows as i32,
        cols as i32,
        [6, 1, 1],
    )
    .expect("aot softmax");
    let mut jit_out = vec![0f32; rows * cols];
    engine
        .launch(
            &persim_kernels::softmax::softmax::KERNEL,
            Grid::from(6u32),
            &[("BLOCK", 1024)],
            &mut [
                Arg::from(&mut jit_out[..]),
                Arg::from(&x[..]),
                Arg::from(cols as i32),
                Arg::from(cols as i32),
                Arg::from(rows as i32),
                Arg::from(cols as i32),
            ],
        )
        .expect("jit softmax");
    let worst = aot_out
        .iter()
        .zip(&jit_out)
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(worst < 1e-6, "softmax differs by {worst}");

    // Matmul 130x70x90 (partial tiles on every side).
    let (m, n, k) = (130usize, 70usize, 90usize);
    let a = data(m * k, 4);
    let b = data(k * n, 5);
    let grid = (m.div_ceil(64) * n.div_ceil(64)) as u32;
    let mut c_aot = vec![0f32; m * n];
    let dims = (m as i32, n as i32, k as i32);
    aot::matmul_64x64x32(
        &a,
        &b,
        &mut c_aot,
        dims.0,
        dims.1,
        dims.2,
        k as i32,
        1,
        n as i32,
        1,
        n as i32,
        1,
        [grid, 1, 1],
    )
    .expect("aot matmul");
    let mut c_ref = vec![0f32; m * n];
    for i in 0..m {
        for j in 0..n {
            c_ref[i * n + j] = (0..k)
                .map(|p| a[i * k + p] as f64 * b[p * n + j] as f64)
                .sum::<f64>() as f32;
        }
    }
    let worst = c_aot
        .iter()
        .zip(&c_ref)
        .map(|(x, y)| (x - y).abs())
        .fold(0f32, f32::max);
    assert!(worst < 1e-4, "matmul differs from the reference by {worst}");
    // An empty grid is an error, not a launch.
    assert_eq!(
        aot::vector_add_b1024(&a, &a, &mut c_aot, 0, [0, 1, 1]),
        Err(aot::AotError::EmptyGrid)
    );
}

/// Asserts every element is non-negative (a tile assertion).
#[persim::kernel]
fn asserting(x: *const i32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = arange(0, BLOCK);
    device_assert(load(x + offs, offs < n, 0) >= 0, "negative input");
}

/// Prints a scalar.
#[persim::kernel]
fn printing(x: *const i32) {
    device_print("x", load(x));
}

/// `file:line:col` of the first occurrence of `needle` in this file.
fn position(needle: &str) -> String {
    let this = include_str!("llvm_aot.rs");
    let at = this.find(needle).expect("needle in this file");
    let before = &this[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    format!("llvm_aot.rs:{line}:{col}")
}

/// A library kernel has no runtime for `device_assert`/`device_print` to
/// report to: `llvm::emit` refuses it, naming the op and its source
/// location, and so does `llvm::compile` without the runtime's hooks (the
/// JIT engines pass them and run such kernels).
#[test]
fn llvm_aot_refuses_device_assert_and_print() {
    let spec = TargetSpec::host();
    let cases = [
        (
            asserting::ir(&[("BLOCK", 64)]).expect("asserting"),
            "assert",
            "device_assert",
            position("device_assert(load"),
        ),
        (
            printing::ir(&[]).expect("printing"),
            "print",
            "device_print",
            position("device_print(\"x\""),
        ),
    ];
    for (mut f, op, user, location) in cases {
        Pipeline::standard(spec.lowering_target())
            .run(&mut f)
            .expect("mid-end");
        let kernel = AotKernel {
            symbol: "debug_kernel",
            func: &f,
        };
        let err = llvm::emit("debug_kernel", &[kernel], &spec).unwrap_err();
        assert_eq!(err.op, op, "{err}");
        assert!(err.location.ends_with(&location), "{err}: want {location}");
        let text = err.to_string();
        for part in [user, "ahead of time", "in kernel `debug_kernel`"] {
            assert!(text.contains(part), "{text}: no `{part}`");
        }
        let err = llvm::compile(&f, &spec, &[], None).unwrap_err();
        assert_eq!(err.op, op, "{err}");
        assert!(err.location.ends_with(&location), "{err}: want {location}");
        assert!(err.message.contains("debug hooks"), "{err}");
    }
}

/// The wrappers spread a grid over threads, one range of programs each:
/// any thread count gives the single-thread result bit for bit, including
/// more threads than programs and a grid over three axes.
#[test]
fn llvm_aot_wrappers_split_grids_over_threads() {
    let (rows, cols) = (37usize, 300usize);
    let x = data(rows * cols, 7);
    let run = |threads: usize, grid: [u32; 3]| {
        let mut out = vec![0f32; rows * cols];
        aot::softmax_b1024_on(
            threads,
            &mut out,
            &x,
            cols as i32,
            cols as i32,
            rows as i32,
            cols as i32,
            grid,
        )
        .expect("aot softmax");
        out
    };
    let serial = run(1, [rows as u32, 1, 1]);
    for threads in [2, 3, 8, 64] {
        assert_eq!(
            run(threads, [rows as u32, 1, 1]),
            serial,
            "{threads} threads"
        );
    }
    // Vector add over a 3-D grid: the programs' linear numbering covers
    // every (x, y, z) once, whatever the split.
    let n = 5 * 1024;
    let (a, b) = (data(n, 8), data(n, 9));
    let want: Vec<f32> = a.iter().zip(&b).map(|(p, q)| p + q).collect();
    for threads in [1, 2, 3, 7] {
        let mut out = vec![0f32; n];
        // program_id(0) only: the y and z programs redo the same blocks.
        aot::vector_add_b1024_on(threads, &a, &b, &mut out, n as i32, [5, 2, 3]).expect("add");
        assert_eq!(out, want, "{threads} threads");
    }
    assert_eq!(
        aot::vector_add_b1024_on(4, &a, &b, &mut vec![0f32; n], n as i32, [5, 0, 3]),
        Err(aot::AotError::EmptyGrid)
    );
}
