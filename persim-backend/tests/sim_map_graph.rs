//! Kernel graphs: region assignment, channels, routing them, the off-chip
//! traffic model and the roofline.

use persim_backend::spatial::map::{
    assign_regions, plan_channels, route, traffic, ChannelKind, GraphError, KernelGraph, KernelId,
    Limiter, Rect, Roofline, RouteConfig, Unit,
};
use persim_backend::spatial::{Machine, TileCoord};

fn adjacent(a: Rect, b: Rect) -> bool {
    a.tiles().any(|t| b.tiles().any(|u| t.hops_to(u) == 1))
}

#[test]
fn sim_regions_tile_the_grid_in_proportion_to_work() {
    let m = Machine::default_model();
    let g = KernelGraph::mlp(256, 256, 1024, 4);
    let regions = assign_regions(&g, &m).unwrap();
    // Disjoint and covering: every PE in exactly one region.
    for t in Rect::whole(&m).tiles() {
        let owners = regions.rects.iter().filter(|r| r.contains(t)).count();
        assert_eq!(owners, 1, "{t}");
    }
    // Producer/consumer regions touch.
    for s in &g.streams {
        assert!(adjacent(regions.of(s.from), regions.of(s.to)));
    }
    // Work per PE within a factor of two across kernels.
    let per_pe: Vec<f64> = (0..3)
        .map(|k| g.pe_cycles(KernelId(k), &m) / f64::from(regions.of(KernelId(k)).area()))
        .collect();
    let (lo, hi) = per_pe
        .iter()
        .fold((f64::MAX, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
    assert!(hi / lo < 2.0, "{per_pe:?} {:?}", regions.rects);
    // The two matmuls have equal work, so (up to the cut granularity) equal areas.
    let (a, b) = (
        regions.of(KernelId(0)).area(),
        regions.of(KernelId(2)).area(),
    );
    assert!(a.abs_diff(b) <= 2, "{:?}", regions.rects);
}

#[test]
fn sim_a_chain_of_equal_kernels_snakes_through_equal_quadrants() {
    let m = Machine::default_model();
    let mut g = KernelGraph::new();
    let ids: Vec<KernelId> = (0..4)
        .map(|i| g.add_kernel(format!("k{i}"), Unit::Matrix, 1 << 20, 0, 4096))
        .collect();
    for w in ids.windows(2) {
        g.stream(w[0], w[1]);
    }
    let r = assign_regions(&g, &m).unwrap();
    let quad = |col, row| Rect {
        col,
        row,
        cols: 4,
        rows: 4,
    };
    let got: Vec<Rect> = ids.iter().map(|&k| r.of(k)).collect();
    // West half bottom-up, then east half top-down: each next to the last.
    assert_eq!(got, vec![quad(0, 1), quad(0, 5), quad(4, 5), quad(4, 1)]);
}

#[test]
fn sim_bad_graphs_are_errors() {
    let m = Machine::from_toml("[grid]\ncols = 2\nrows = 1\n").unwrap();
    let mut g = KernelGraph::new();
    let a = g.add_kernel("a", Unit::Vector, 10, 0, 4);
    let b = g.add_kernel("b", Unit::Vector, 10, 0, 4);
    g.stream(a, b);
    g.stream(b, a);
    let err = assign_regions(&g, &m).unwrap_err();
    assert_eq!(
        err,
        GraphError::Cycle {
            kernels: vec!["a".into(), "b".into()]
        }
    );
    assert!(err.to_string().contains("cycle through a, b"));
    let mut g = KernelGraph::new();
    for i in 0..3 {
        g.add_kernel(format!("k{i}"), Unit::Vector, 10, 0, 4);
    }
    let err = assign_regions(&g, &m).unwrap_err();
    assert_eq!(
        err.to_string(),
        "3 kernels need a region of at least one PE each, but the machine has 2 PEs"
    );
    let mut g = KernelGraph::new();
    let a = g.add_kernel("a", Unit::Vector, 10, 0, 4);
    g.stream(a, KernelId(7));
    assert!(assign_regions(&g, &m)
        .unwrap_err()
        .to_string()
        .contains("kernel 7 does not exist"));
    assert_eq!(
        assign_regions(&KernelGraph::new(), &m).unwrap_err(),
        GraphError::Empty
    );
}

#[test]
fn sim_mlp_channels_route_and_fusion_saves_the_intermediates() {
    let m = Machine::default_model();
    let (t, d, h, e) = (256u64, 256u64, 1024u64, 4u64);
    let g = KernelGraph::mlp(t, d, h, e);
    let regions = assign_regions(&g, &m).unwrap();
    let plan = plan_channels(&g, &regions, &m).unwrap();
    // Stream channels carry the whole intermediate between them.
    let streamed: u64 = plan
        .channels
        .iter()
        .filter(|c| matches!(c.kind, ChannelKind::Stream { .. }))
        .map(|c| c.bytes)
        .sum();
    assert_eq!(streamed, 2 * t * h * e);
    let loads: u64 = plan
        .channels
        .iter()
        .filter(|c| matches!(c.kind, ChannelKind::Load { .. }))
        .map(|c| c.bytes)
        .sum();
    assert_eq!(loads, (t * d + d * h) * e + h * e + h * d * e);
    for c in &plan.channels {
        assert!(c.demand > 0.0 && c.demand <= 64.0, "{c}");
    }
    let routes = route(&m, &plan.channels, &RouteConfig::default()).unwrap();
    assert!(routes.max_utilization() <= 1.0 + 1e-9);
    let report = traffic(&g, &regions, &plan, &routes);
    // Fused: inputs and weights in, the final output out.
    let fused = (t * d + d * h) * e + h * e + h * d * e + t * d * e;
    assert_eq!(report.offchip_fused, fused);
    // One by one: plus both intermediates written and read back.
    assert_eq!(report.offchip_unfused, fused + 2 * 2 * t * h * e);
    assert_eq!(report.streamed_bytes, 2 * t * h * e);
    let link_total: u64 = report.noc_link_bytes.iter().map(|(_, b)| b).sum();
    assert_eq!(link_total, report.noc_byte_hops);
    let text = report.to_string();
    assert!(text.contains("matmul_up"), "{text}");
    assert!(text.contains("saved"), "{text}");
    assert!(text.contains("busiest link"), "{text}");
    assert!(report.saving() > 0.5);
}

#[test]
fn sim_roofline_bounds_and_achieved_fraction() {
    let m = Machine::default_model();
    let roof = Roofline::of(&m, Unit::Matrix);
    // 64 PEs x 256 MACs x 2 FLOPs; 8 shims x 32 B.
    assert_eq!(roof.compute, 32768.0);
    assert_eq!(roof.bandwidth, 256.0);
    assert_eq!(roof.ridge(), 128.0);
    // A 512^3 matmul in f32 reading A, B and writing C once has 85 FLOP/B,
    // below the ridge: bandwidth bound. 1024^3 (171 FLOP/B) is compute bound.
    let n = 512u64;
    let b = roof.bound(2 * n * n * n, 3 * n * n * 4);
    assert_eq!(b.limiter, Limiter::Bandwidth);
    assert_eq!(b.cycles, 12288.0);
    let n = 1024u64;
    let b = roof.bound(2 * n * n * n, 3 * n * n * 4);
    assert_eq!(b.limiter, Limiter::Compute);
    assert_eq!(b.cycles, 65536.0);
    assert_eq!(b.achieved(131072), 0.5);
    // Vector add: bandwidth bound.
    let v = Roofline::of(&m, Unit::Vector).bound(1 << 20, 12 << 20);
    assert_eq!(v.limiter, Limiter::Bandwidth);
    assert_eq!(v.cycles, (12u64 << 20) as f64 / 256.0);
    assert!(v.to_string().contains("bandwidth bound"));
    // One PE and one shim.
    let one = Roofline::of_part(&m, Unit::Vector, 1, 1);
    assert_eq!((one.compute, one.bandwidth), (16.0, 32.0));
    assert_eq!(one.attainable(0.25), 8.0);
    let _ = TileCoord::new(0, 1);
}
