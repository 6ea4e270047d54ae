//! Spatial-target benchmark: compiled kernels on the default 8x8 machine,
//! measured by the cycle-level simulator against the machine's roofline.
//! A benchmark, not a test: nothing is asserted beyond correct results.
//!
//! ```text
//! cargo run --release -p persim-backend --example sim_bench [-- --quick]
//! ```
//!
//! Rows: f32 matmul (`dot` → `buf_matmul` → `mop.f32`) as a fraction of
//! the machine's MAC peak and of its roofline bound; softmax, vector add and
//! an f64 axpy (64-bit lanes)
//! as a fraction of the off-chip bandwidth bound; the simulator's speed.
//! `--quick` shrinks the matmul to 256³. `--round-robin` places program
//! instances round robin instead of by annealing. `SIM_BENCH_BLOCKS=m,n,k`
//! picks the matmul's block shape; `SIM_BENCH_PROFILE=n` prints the matmul's
//! `n` most issued bundles (summed over PEs); `SIM_BENCH_SHIMS=n` prints
//! each shim's off-chip reads and writes over the run, per `n` windows of
//! 1 024 cycles (`Stats::shim_timeline`); `SIM_BENCH_PES=1` prints each PE's
//! issue cycles and stalls by cause; `SIM_BENCH_ASM=file` writes the
//! matmul's PE program as assembly; `SIM_BENCH_MATMUL_ONLY=1` stops after
//! the first matmul; `SIM_BENCH_MACHINE=file.toml` runs on another machine
//! descriptor (to ask what a resource is worth).
//!
//! A "loop scheduling" table compares the ways of scheduling innermost
//! loops (unrolling and list scheduling, modulo scheduling, both) on a
//! compute-bound loop nest and a small softmax (`SIM_BENCH_LOOP_ASM=dir`
//! writes their PE programs).
//!
//! Per kernel it then prints `SimReport::kernel_report` (off-chip bytes as
//! the simulator counted them) and writes `<kernel>-mesh.svg` (per-PE
//! utilisation, DMA routes) and `<kernel>-schedule.svg` (the busiest PE's
//! bundles) to `$PERSIM_REPORT_DIR`, else `$CARGO_TARGET_DIR/persim-reports`,
//! else `target/persim-reports`.

use std::path::PathBuf;
use std::time::Instant;

use persim_backend::spatial::map::{Roofline, Unit};
use persim_backend::spatial::{KernelReport, LoopScheduling, Machine, SimEngine, SimReport};
use persim_backend::{Arg, Grid};
use persim_lang::front;

mod common;
use common::kernels::MATMUL;
use common::{build, data};
use persim_lang::ir::Function;

/// Triton's tutorial form: persim-kernels' `matmul` itself (a 1-D grid in
/// grouped order, pointer tiles carried and advanced, `k`-tail masks,
/// run-time strides, `% m` wraps), read from the library's source.
const KERNELS_MATMUL: &str = include_str!("../../persim-kernels/src/matmul.rs");

/// The library's `matmul` kernel (the first `fn matmul` of its file).
fn tutorial_matmul(consts: &[(&str, i64)]) -> Function {
    let file: syn::File = syn::parse_str(KERNELS_MATMUL).expect("persim-kernels' matmul parses");
    let mut item = file
        .items
        .into_iter()
        .find_map(|i| match i {
            syn::Item::Fn(f) if f.sig.ident == "matmul" => Some(f),
            _ => None,
        })
        .expect("persim-kernels defines `matmul`");
    item.attrs.clear();
    item.vis = syn::Visibility::Inherited;
    let locate = |s: proc_macro2::Span| Some((s.start().line as u32, s.start().column as u32 + 1));
    front::build(&item, consts, &locate, "persim-kernels/src/matmul.rs")
        .expect("persim-kernels' matmul builds")
}

const SOFTMAX: &str = r#"
fn softmax(out: *mut f32, inp: *const f32, n_rows: i32, n_cols: i32, #[constexpr] BLOCK: i32) {
    let cols = arange(0, BLOCK);
    let mask = cols < n_cols;
    for row in (program_id(0)..n_rows).step_by(num_programs(0)) {
        let x = load(inp + row * n_cols + cols, mask, f32::NEG_INFINITY);
        let z = x - max(x, 0);
        let num = exp(z);
        let den = sum(num, 0);
        store(out + row * n_cols + cols, num / den, mask);
    }
}"#;

/// A compute-bound loop nest: each program keeps its tile in SRAM and
/// applies `x = exp(x · c) − 1` `ITERS` times (the chunk loops are all
/// latency: a load, a multiply, an `exp`, a subtract and a store each).
const EXP_CHAIN: &str = r#"
fn exp_chain(x: *const f32, out: *mut f32, c: f32, #[constexpr] BLOCK: i32, #[constexpr] ITERS: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mut v = load(x + offs);
    for _ in 0..ITERS {
        v = exp(v * c) - 1.0;
    }
    store(out + offs, v);
}"#;

const ADD: &str = r#"
fn add(x: *const f32, y: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    store(out + offs, load(x + offs, mask) + load(y + offs, mask), mask);
}"#;

/// The same bytes as `ADD` in 64-bit lanes (`vld.64`, `vmul.f64`, …).
const AXPY_F64: &str = r#"
fn axpy(x: *const f64, y: *const f64, out: *mut f64, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    store(out + offs, load(x + offs, mask) * 2.5 + load(y + offs, mask), mask);
}"#;

struct Row {
    name: String,
    report: SimReport,
    wall: f64,
    /// Useful MACs (the kernel's, not the compiler's identity products).
    macs: u64,
    offchip_bytes: u64,
    /// Useful FLOPs for the roofline report (2 per useful MAC; for vector
    /// kernels a count per element: add 1, softmax 5 = max, sub, exp, sum, div).
    flops: u64,
}

impl Row {
    /// An `s`³ f32 matmul's row: `s³` MACs, A and B read and C written once.
    fn matmul(name: String, report: SimReport, wall: f64, s: usize) -> Row {
        Row {
            name,
            report,
            wall,
            macs: (s * s * s) as u64,
            flops: 2 * (s * s * s) as u64,
            offchip_bytes: (3 * s * s * 4) as u64,
        }
    }
}

/// Spot-checks `c = a · b` (`s`×`s`, row-major) at a few elements against
/// a sequential f32 sum, bit for bit.
fn check_matmul(a: &[f32], b: &[f32], c: &[f32], s: usize, what: &str) {
    for &(i, j) in &[(0usize, 0usize), (s - 1, s - 1), (s / 3, s / 2)] {
        let r = (0..s).fold(0.0f32, |r, kk| r + a[i * s + kk] * b[kk * s + j]);
        assert_eq!(c[i * s + j].to_bits(), r.to_bits(), "{what} c[{i}][{j}]");
    }
}

/// A two-input elementwise kernel `(src, BLOCK)` over `x` and `y`, checked
/// exactly against `want` per element; `flops` per element.
fn streaming_row<T: persim_backend::Element + Copy + PartialEq + std::fmt::Debug + Default>(
    engine: &SimEngine,
    (src, block): (&str, usize),
    name: String,
    (x, y): (&[T], &[T]),
    want: impl Fn(T, T) -> T,
    flops: u64,
) -> Row {
    let n = x.len();
    let mut out = vec![T::default(); n];
    let f = build(src, &[("BLOCK", block as i64)]);
    let t = Instant::now();
    let report = engine
        .launch_ir(
            &f,
            Grid::from(n.div_ceil(block) as u32),
            &mut [
                Arg::from(x),
                Arg::from(y),
                Arg::from(&mut out[..]),
                Arg::from(n as i32),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    for i in 0..n {
        assert_eq!(out[i], want(x[i], y[i]), "{name} out[{i}]");
    }
    Row {
        name,
        report,
        wall: t.elapsed().as_secs_f64(),
        macs: 0,
        offchip_bytes: (3 * n * std::mem::size_of::<T>()) as u64,
        flops: flops * n as u64,
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let machine = match std::env::var("SIM_BENCH_MACHINE") {
        Ok(path) => Machine::from_file(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
        Err(_) => Machine::default_model(),
    };
    let engine = if std::env::args().any(|a| a == "--round-robin") {
        SimEngine::new(machine.clone()).with_round_robin()
    } else {
        SimEngine::new(machine.clone())
    };
    let mut rows = Vec::new();

    let s = if quick { 256 } else { 1024 };
    let (a, b) = (data(s * s, 1), data(s * s, 2));
    let mut c = vec![0.0f32; s * s];
    // 128x128x64 blocks: one instance per PE, and with the pointer tiles
    // kept as formulas (affine tiles) the tiles, their twins for double
    // buffering and the result fit a PE's SRAM. `SIM_BENCH_BLOCKS=m,n,k`
    // measures another shape.
    let (bm, bn, bk) = std::env::var("SIM_BENCH_BLOCKS")
        .ok()
        .and_then(|v| {
            let b: Vec<usize> = v.split(',').filter_map(|x| x.parse().ok()).collect();
            (b.len() == 3).then(|| (b[0], b[1], b[2]))
        })
        .unwrap_or(((s / 8).min(128), (s / 8).min(128), (s / 16).min(64)));
    let f = build(
        MATMUL,
        &[
            ("BLOCK_M", bm as i64),
            ("BLOCK_N", bn as i64),
            ("BLOCK_K", bk as i64),
        ],
    );
    let t = Instant::now();
    let report = engine
        .launch_ir(
            &f,
            Grid::from(((s / bm) as u32, (s / bn) as u32)),
            &mut [
                Arg::from(&a[..]),
                Arg::from(&b[..]),
                Arg::from(&mut c[..]),
                Arg::from(s as i32),
                Arg::from(s as i32),
                Arg::from(s as i32),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let wall = t.elapsed().as_secs_f64();
    if let Some(path) = std::env::var_os("SIM_BENCH_ASM") {
        std::fs::write(
            path,
            persim_backend::spatial::disasm::disassemble_pe(&report.program),
        )
        .expect("writing the assembly");
    }
    if let Some(cell) = std::env::var("SIM_BENCH_SHIMS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        print!(
            "{}",
            report
                .stats
                .shim_timeline(machine.offchip.bytes_per_cycle_per_shim, cell)
        );
    }
    if std::env::var_os("SIM_BENCH_PES").is_some() {
        for p in &report.stats.pes {
            let s = &p.stats;
            println!(
                "{}: issue {} lock {} dma {} matrix {} bank {} branch {} halted {:?}",
                p.tile,
                s.issue_cycles,
                s.wait_lock,
                s.wait_dma,
                s.stall_matrix,
                s.stall_bank,
                s.stall_branch,
                s.halted_at
            );
        }
    }
    if let Some(top) = std::env::var("SIM_BENCH_PROFILE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        print_profile(&report, top);
    }
    check_matmul(&a, &b, &c, s, "matmul");
    rows.push(Row::matmul(
        format!("matmul f32 {s}^3 (BLOCK {bm}x{bn}x{bk})"),
        report,
        wall,
        s,
    ));

    if std::env::var_os("SIM_BENCH_MATMUL_ONLY").is_some() {
        let stats = &rows[0].report.stats;
        println!(
            "{}: {} cycles, {:.2}% of MAC peak, {} off-chip bytes; simulated in {:.2} s, {:.2} M instructions/s",
            rows[0].name,
            stats.cycles,
            100.0 * stats.machine_mac_utilization,
            persim_backend::spatial::launch::offchip_bytes(stats),
            stats.wall.as_secs_f64(),
            stats.insts as f64 / stats.wall.as_secs_f64().max(1e-9) / 1e6
        );
        return;
    }

    // The same product written as Triton's tutorial, same blocks
    // (`SIM_BENCH_TUTORIAL_BLOCKS=m,n,k` picks others).
    c.fill(0.0);
    let (bm, bn, bk) = std::env::var("SIM_BENCH_TUTORIAL_BLOCKS")
        .ok()
        .and_then(|v| {
            let b: Vec<usize> = v.split(',').filter_map(|x| x.parse().ok()).collect();
            (b.len() == 3).then(|| (b[0], b[1], b[2]))
        })
        .unwrap_or((bm, bn, bk));
    let f = tutorial_matmul(&[
        ("BLOCK_M", bm as i64),
        ("BLOCK_N", bn as i64),
        ("BLOCK_K", bk as i64),
        ("GROUP_M", 8),
        ("LEAKY_RELU", 0),
    ]);
    let t = Instant::now();
    let si = s as i32;
    let report = engine
        .launch_ir(
            &f,
            Grid::from(((s / bm) * (s / bn)) as u32),
            &mut [
                Arg::from(&a[..]),
                Arg::from(&b[..]),
                Arg::from(&mut c[..]),
                Arg::from(si),
                Arg::from(si),
                Arg::from(si),
                Arg::from(si),
                Arg::from(1i32),
                Arg::from(si),
                Arg::from(1i32),
                Arg::from(si),
                Arg::from(1i32),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let wall = t.elapsed().as_secs_f64();
    check_matmul(&a, &b, &c, s, "tutorial matmul");
    rows.push(Row::matmul(
        format!("matmul {s}^3, tutorial form ({bm}x{bn}x{bk})"),
        report,
        wall,
        s,
    ));

    let (r, cols) = (1024usize, 1000usize);
    let x = data(r * cols, 3);
    let mut out = vec![0.0f32; r * cols];
    let f = build(SOFTMAX, &[("BLOCK", 1024)]);
    let t = Instant::now();
    let report = engine
        .launch_ir(
            &f,
            Grid::from(64u32),
            &mut [
                Arg::from(&mut out[..]),
                Arg::from(&x[..]),
                Arg::from(r as i32),
                Arg::from(cols as i32),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    // Spot-check a few rows against a sequential reference.
    for row in [0, r / 2, r - 1] {
        let xs = &x[row * cols..][..cols];
        let m = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let s: f32 = xs.iter().map(|v| (v - m).exp()).sum();
        for c in 0..cols {
            let want = (xs[c] - m).exp() / s;
            let got = out[row * cols + c];
            assert!(
                (got - want).abs() <= 1e-5 * want.abs().max(1e-3),
                "softmax [{row}][{c}]: {got} vs {want}"
            );
        }
    }
    rows.push(Row {
        name: format!("softmax {r}x{cols}"),
        report,
        wall: t.elapsed().as_secs_f64(),
        macs: 0,
        offchip_bytes: (2 * r * cols * 4) as u64,
        flops: 5 * (r * cols) as u64,
    });

    let n = 1 << 20;
    let (x, y) = (data(n, 4), data(n, 5));
    rows.push(streaming_row(
        &engine,
        (ADD, 4096),
        format!("vector add {n} f32"),
        (&x, &y),
        |a, b| a + b,
        1,
    ));
    let n = 1 << 19;
    let x: Vec<f64> = data(n, 6).iter().map(|&v| f64::from(v)).collect();
    let y: Vec<f64> = data(n, 7).iter().map(|&v| f64::from(v)).collect();
    rows.push(streaming_row(
        &engine,
        (AXPY_F64, 2048),
        format!("axpy {n} f64"),
        (&x, &y),
        |a, b| a * 2.5 + b,
        2,
    ));

    loop_scheduling(&machine);

    let roof = Roofline::of(&machine, Unit::Matrix);
    let peak_macs = f64::from(machine.pe_count()) * f64::from(machine.matrix.macs_per_cycle);
    println!(
        "machine `{}`: {} PEs, {:.0} MACs/cycle peak, {:.0} off-chip B/cycle\n",
        machine.name,
        machine.pe_count(),
        peak_macs,
        roof.bandwidth
    );
    println!(
        "{:<40} {:>11} {:>10} {:>12} {:>10} {:>10} {:>9} {:>11} {:>7}",
        "kernel",
        "cycles",
        "MAC peak",
        "roof bound",
        "of roof",
        "bw bound",
        "of bw",
        "sim Minst/s",
        "host s"
    );
    for row in &rows {
        let cycles = row.report.stats.cycles;
        let bound = roof.bound(2 * row.macs, row.offchip_bytes);
        let bw_cycles = row.offchip_bytes as f64 / roof.bandwidth;
        println!(
            "{:<40} {:>11} {:>9.2}% {:>12.0} {:>9.2}% {:>10.0} {:>8.2}% {:>11.2} {:>7.1}",
            row.name,
            cycles,
            100.0 * row.macs as f64 / (cycles as f64 * peak_macs),
            bound.cycles,
            100.0 * bound.achieved(cycles),
            bw_cycles,
            100.0 * bw_cycles / cycles as f64,
            row.report.stats.insts as f64 / row.report.stats.wall.as_secs_f64().max(1e-9) / 1e6,
            row.wall,
        );
    }

    println!();
    let kernels: Vec<KernelReport> = rows
        .iter()
        .map(|row| row.report.kernel_report(Some(row.flops)))
        .collect();
    print!("{}", KernelReport::table(&kernels));
    for row in &rows {
        if let Some(a) = &row.report.placement.anneal {
            println!(
                "{}: placement cost {} (greedy start {}, round robin {})",
                row.report.kernel, a.cost, a.initial, a.round_robin
            );
        }
    }
    let dir = report_dir();
    if let Err(e) = write_pictures(&dir, &rows) {
        eprintln!("could not write pictures to {}: {e}", dir.display());
    } else {
        println!("pictures in {}", dir.display());
    }
}

/// The two ways of scheduling innermost loops, alone and together, on a
/// compute-bound loop nest and on softmax: cycles, and the busiest PE's
/// issue cycles (softmax waits on its DMA either way).
fn loop_scheduling(machine: &Machine) {
    let configs = [
        ("list scheduling only", 1, None),
        ("modulo scheduling (default gate)", 1, Some(90)),
        ("unroll 8 + list scheduling", 8, None),
        ("unroll 8 + modulo (the default)", 8, Some(90)),
        ("unroll 8 + modulo forced on every loop", 8, Some(100_000)),
    ];
    println!("loop scheduling (innermost loops):");
    println!(
        "{:<44} {:>10} {:>12} {:>10} {:>12}",
        "", "exp chain", "(issue/PE)", "softmax", "(issue/PE)"
    );
    let n = 64 * 1024;
    let x = data(n, 6);
    let exp_chain = build(EXP_CHAIN, &[("BLOCK", 1024), ("ITERS", 8)]);
    let (r, cols) = (256usize, 1000usize);
    let sx = data(r * cols, 7);
    let softmax = build(SOFTMAX, &[("BLOCK", 1024)]);
    let mut first: Option<Vec<f32>> = None;
    for (name, unroll, modulo) in configs {
        let engine = SimEngine::new(machine.clone()).with_loop_scheduling(LoopScheduling {
            unroll,
            modulo_max_cost_percent: modulo,
            modulo_max_stages: 8,
        });
        let mut out = vec![0.0f32; n];
        let a = engine
            .launch_ir(
                &exp_chain,
                Grid::from((n / 1024) as u32),
                &mut [
                    Arg::from(&x[..]),
                    Arg::from(&mut out[..]),
                    Arg::from(0.5f32),
                ],
            )
            .unwrap_or_else(|e| panic!("{e}"));
        // Every configuration computes the same bits.
        match &first {
            None => first = Some(out),
            Some(want) => assert!(
                want.iter()
                    .zip(&out)
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "exp chain differs under {name}"
            ),
        }
        let mut sout = vec![0.0f32; r * cols];
        let b = engine
            .launch_ir(
                &softmax,
                Grid::from(64u32),
                &mut [
                    Arg::from(&mut sout[..]),
                    Arg::from(&sx[..]),
                    Arg::from(r as i32),
                    Arg::from(cols as i32),
                ],
            )
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(dir) = std::env::var_os("SIM_BENCH_LOOP_ASM") {
            let file = std::path::Path::new(&dir).join(format!("exp-chain-{unroll}-{modulo:?}.s"));
            std::fs::write(
                file,
                persim_backend::spatial::disasm::disassemble_pe(&a.program),
            )
            .expect("writing the assembly");
        }
        if std::env::var_os("SIM_BENCH_PES").is_some() {
            let p = &a.stats.pes[0].stats;
            println!(
                "  exp chain PE 0: issue {} lock {} dma {} bank {} branch {} halted {:?}",
                p.issue_cycles, p.wait_lock, p.wait_dma, p.stall_bank, p.stall_branch, p.halted_at
            );
        }
        if let Some(dir) = std::env::var_os("SIM_BENCH_LOOP_ASM") {
            let file = std::path::Path::new(&dir).join(format!("softmax-{unroll}-{modulo:?}.s"));
            std::fs::write(
                file,
                persim_backend::spatial::disasm::disassemble_pe(&b.program),
            )
            .expect("writing the assembly");
        }
        let issue = |rep: &SimReport| {
            rep.stats
                .pes
                .iter()
                .map(|p| p.stats.issue_cycles)
                .max()
                .unwrap_or(0)
        };
        println!(
            "{name:<44} {:>10} {:>12} {:>10} {:>12}",
            a.stats.cycles,
            issue(&a),
            b.stats.cycles,
            issue(&b)
        );
    }
    println!();
}

fn report_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PERSIM_REPORT_DIR") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("persim-reports")
}

fn write_pictures(dir: &std::path::Path, rows: &[Row]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for row in rows {
        let r = &row.report;
        std::fs::write(
            dir.join(format!("{}-mesh.svg", r.kernel)),
            r.placement_svg(),
        )?;
        let busiest = r.stats.pes.iter().max_by_key(|p| p.stats.issue_cycles);
        if let Some(svg) = busiest.and_then(|p| r.schedule_svg(p.tile)) {
            std::fs::write(dir.join(format!("{}-schedule.svg", r.kernel)), svg)?;
        }
    }
    Ok(())
}

/// The `top` bundles that issued most often, summed over the PEs (which
/// run one program): where a kernel's issue cycles go.
fn print_profile(report: &SimReport, top: usize) {
    let bundles = &report.program.bundles;
    // A per-bundle count summed over the PEs.
    let summed = |per_pe: fn(&persim_backend::spatial::sim::PeStats) -> &Vec<u64>| {
        let mut sum = vec![0u64; bundles.len()];
        for p in &report.stats.pes {
            for (s, n) in sum.iter_mut().zip(per_pe(&p.stats)) {
                *s += n;
            }
        }
        sum
    };
    let counts = summed(|s| &s.bundle_issues);
    let total: u64 = counts.iter().sum();
    // Bundles without a matrix-unit op are where a matmul loses its peak.
    let matrix = |i: usize| {
        bundles[i]
            .real_insts()
            .any(|inst| matches!(inst.opcode, persim_backend::spatial::isa::Opcode::Mop))
    };
    let with_mop: u64 = (0..bundles.len())
        .filter(|&i| matrix(i))
        .map(|i| counts[i])
        .sum();
    let mut order: Vec<usize> = (0..bundles.len()).filter(|&i| !matrix(i)).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(counts[i]));
    println!(
        "issue profile: {total} bundle issues over {} PEs, {:.1}% with a `mop`; the most issued others:",
        report.stats.pes.len(),
        100.0 * with_mop as f64 / total.max(1) as f64
    );
    for &i in order.iter().take(top) {
        println!(
            "  {:>6.2}% {:>8}  #{i:<5} {}",
            100.0 * counts[i] as f64 / total.max(1) as f64,
            counts[i],
            persim_backend::spatial::disasm::bundle_text(&bundles[i])
        );
    }
    let waits = summed(|s| &s.bundle_waits);
    let pes = report.stats.pes.len().max(1) as f64;
    let mut order: Vec<usize> = (0..bundles.len()).filter(|&i| waits[i] > 0).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(waits[i]));
    println!("wait profile (cycles per PE, mean over PEs) of the bundles that waited most:");
    for &i in order.iter().take(top) {
        println!(
            "  {:>8.1}  #{i:<5} {}",
            waits[i] as f64 / pes,
            persim_backend::spatial::disasm::bundle_text(&bundles[i])
        );
    }
}
