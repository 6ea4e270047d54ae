//! The per-kernel report of a simulated launch (roofline, off-chip bytes
//! counted by the simulator) and its pictures.

mod sim_util;

use persim_backend::spatial::coord::TileCoord;
use persim_backend::spatial::map::{check_svg, Limiter, Unit};
use persim_backend::spatial::{KernelReport, Machine, SimEngine, SimReport};
use persim_backend::{Arg, Grid};
use sim_util::*;

const ADD: &str = r#"
fn add(x: *const f32, y: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    store(out + offs, load(x + offs, mask) + load(y + offs, mask), mask);
}"#;

fn run_add(n: usize) -> SimReport {
    run_add_in_blocks(n, 64)
}

fn run_add_in_blocks(n: usize, block: i32) -> SimReport {
    let machine = Machine::from_toml("[grid]\ncols = 3\nrows = 2\n").unwrap();
    let mut rng = Rng::new(7);
    let x = rng.vec_f32(n, -1.0, 1.0);
    let y = rng.vec_f32(n, -1.0, 1.0);
    let mut out = vec![0.0f32; n];
    SimEngine::new(machine)
        .launch_ir(
            &build_ok(ADD, &[("BLOCK", i64::from(block))]),
            Grid::from(n.div_ceil(block as usize)),
            &mut [
                Arg::from(&x[..]),
                Arg::from(&y[..]),
                Arg::from(&mut out[..]),
                Arg::from(n as i32),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn sim_kernel_report_counts_offchip_bytes_and_the_roof() {
    // Masked-off lanes of the last instance move no bytes.
    let n = 64 * 9 + 5;
    let report = run_add(n);
    let k = report.kernel_report(Some(n as u64));
    assert_eq!(k.kernel, "add");
    assert_eq!(k.offchip_bytes, 3 * 4 * n as u64);
    assert_eq!(k.unit, Unit::Vector);
    assert_eq!(k.flops, n as u64);
    assert_eq!(k.mac_utilization, 0.0);
    assert_eq!(k.bound.limiter, Limiter::Bandwidth);
    // 3 shims x 32 B/cycle on this machine.
    assert_eq!(k.bound.cycles, (3 * 4 * n) as f64 / 96.0);
    assert!(k.achieved > 0.0 && k.achieved <= 1.0, "{}", k.achieved);
    let table = KernelReport::table(&[k.clone(), k.clone()]);
    assert_eq!(table.lines().count(), 3);
    assert!(k.to_string().contains("bandwidth"), "{k}");
    // Without a caller figure FLOPs are 2 per MAC: none here.
    assert_eq!(report.kernel_report(None).flops, 0);
}

#[test]
fn sim_report_pictures_are_well_formed() {
    let report = run_add(64 * 8);
    let mesh = check_svg(&report.placement_svg()).unwrap_or_else(|e| panic!("{e}"));
    assert!(mesh.has_text("add"));
    assert!(mesh.has_text("instances"));
    assert!(
        mesh.count("polyline") + mesh.count("path") > 0,
        "no DMA routes drawn"
    );
    let tile = report.placement.lists[0].0;
    let schedule = report.schedule_svg(tile).expect("the PE ran code");
    let summary = check_svg(&schedule).unwrap_or_else(|e| panic!("{e}"));
    assert!(summary.has_text(&format!("add on {tile}")));
    assert!(report.schedule_svg(TileCoord::new(0, 0)).is_none());
}

/// The shims' timelines: per window of `OFFCHIP_WINDOW` cycles, what each
/// off-chip port passed. They add up to the ports' totals, cover the run,
/// and no window passes more than the port's bandwidth allows (32 B/cycle
/// for reads and writes together, plus one flit of burst). Blocks of 1 024
/// elements keep the ports busy enough that the bound is nearly reached.
#[test]
fn sim_shim_timeline_adds_up_and_keeps_to_the_port_bandwidth() {
    use persim_backend::spatial::sim::noc::{Resource, OFFCHIP_WINDOW};
    let n = 1024 * 24 + 3;
    let report = run_add_in_blocks(n, 1024);
    let stats = &report.stats;
    let windows = stats.cycles.div_ceil(OFFCHIP_WINDOW) as usize;
    assert!(windows >= 2, "{} cycles: one window", stats.cycles);
    let (mut moved, mut busiest) = (0, 0);
    for col in 0..3u8 {
        let (read, write) = stats.shim_windows(col);
        assert_eq!((read.len(), write.len()), (windows, windows));
        assert_eq!(
            read.iter().sum::<u64>(),
            stats.bytes_on(Resource::OffchipRead { col })
        );
        assert_eq!(
            write.iter().sum::<u64>(),
            stats.bytes_on(Resource::OffchipWrite { col })
        );
        for (w, (r, wr)) in read.iter().zip(&write).enumerate() {
            assert!(
                r + wr <= OFFCHIP_WINDOW * 32 + 64,
                "shim {col}, window {w}: {} bytes",
                r + wr
            );
        }
        moved += read.iter().sum::<u64>() + write.iter().sum::<u64>();
        busiest = read
            .iter()
            .zip(&write)
            .map(|(r, w)| r + w)
            .fold(busiest, u64::max);
    }
    assert_eq!(moved, 3 * 4 * n as u64);
    assert!(
        busiest >= OFFCHIP_WINDOW * 24,
        "the busiest window passed {busiest} bytes: the bound went untested"
    );
    let text = stats.shim_timeline(32, 1);
    assert_eq!(text.lines().count(), 1 + 3 * 2, "{text}");
    assert!(text.contains("shim 2 write"), "{text}");
}
