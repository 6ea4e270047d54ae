//! The SVG pictures are well-formed and contain what they show.

use persim_backend::spatial::map::svg::schedule::unit_color;
use persim_backend::spatial::map::{
    check_svg, mesh_svg, place, route, schedule_svg, AnnealConfig, Channel, MeshPicture,
    PlacementProblem, Rect, RouteConfig,
};
use persim_backend::spatial::{assemble_for, Machine, SlotKind, TileCoord};

#[test]
fn sim_mesh_picture_shows_heatmap_tasks_routes_and_legend() {
    let m = Machine::default_model();
    let mut p = PlacementProblem::new();
    let a = p.add_task("producer", 200 * 1024, 3.0);
    let b = p.add_task("consumer", 200 * 1024, 1.0);
    p.connect(a, b, 1 << 20);
    let placed = place(&m, &p, &AnnealConfig::default()).unwrap();
    let (ta, tb) = (placed.placement.tile(a), placed.placement.tile(b));
    let channels = vec![
        Channel::new("producer->consumer#0", ta, tb, 30.0),
        Channel::new("producer->consumer#1", ta, tb, 30.0),
        Channel::new("load#0", TileCoord::new(ta.col, 0), ta, 10.0),
    ];
    let routes = route(&m, &channels, &RouteConfig::default()).unwrap();
    let (utilization, labels) = MeshPicture::from_placement(&p, &placed.placement);
    assert_eq!(utilization[&ta], 1.0);
    assert!((utilization[&tb] - 1.0 / 3.0).abs() < 1e-12);
    let picture = MeshPicture {
        title: "two tasks <& one stream>".into(),
        utilization,
        labels,
        regions: vec![("all".into(), Rect::whole(&m))],
        routes: channels
            .iter()
            .map(|c| c.name.clone())
            .zip(routes.routes.iter().cloned())
            .collect(),
    };
    let svg = mesh_svg(&m, &picture);
    let s = check_svg(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    // 8 x 9 tiles + background + gradient bar + region outline and swatch.
    assert_eq!(s.count("rect"), 72 + 1 + 1 + 2);
    assert_eq!(s.count("polyline"), 3);
    assert_eq!(s.count("marker"), 1);
    assert!(s.has_text("two tasks <& one stream>"));
    assert!(s.has_text("producer") && s.has_text("consumer"));
    assert!(s.has_text("PE utilisation") && s.has_text("Channels") && s.has_text("Regions"));
    // Channel families: one legend entry per family, with its count.
    assert!(s.has_text("producer->consumer (2)"));
    assert!(s.has_text("load (1)"));
    assert!(s.has_text("shim 0"));
    assert!(s.has_text(&format!("PE {ta}: 100.0% utilised")));
    assert!(svg.contains("&lt;&amp; one stream&gt;"));
}

#[test]
fn sim_schedule_picture_has_one_box_per_instruction() {
    let m = Machine::default_model();
    let text = "\
.tile (0,1)
    li r1, 0 | vsplat v1, r0
    li r4, 3
    loop r4, end
    vldp v0, r1, 64 | vld v2, 0(r1)
    nop
    nop
    nop
    vadd.f32 v3, v0, v2 | vmac.f32 v1, v0, v2
end:
    halt
";
    let program = assemble_for(text, &m).unwrap();
    let pe = &program.tiles[&TileCoord::new(0, 1)];
    let svg = schedule_svg(&m, "PE (0,1)", pe, None);
    let s = check_svg(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    let insts = pe.inst_count();
    assert_eq!(insts, 9);
    // One box per instruction, the background, and 5 legend swatches.
    assert_eq!(s.count("rect"), insts + 1 + 5);
    // The loop bracket.
    assert_eq!(s.count("polyline"), 1);
    assert!(s.has_text("zero-overhead loop: bundles 3..8"));
    for mnemonic in [
        "li", "vspla", "loop", "vldp", "vld", "vadd.", "vmac.", "halt",
    ] {
        assert!(s.texts.iter().any(|t| t == mnemonic), "{mnemonic}");
    }
    assert!(s.has_text("bundle 7: vadd.f32 v3, v0, v2"));
    // Slot rows: scalar, 2 load, store, vector_alu, mac.
    for row in [
        "scalar 0",
        "load 0",
        "load 1",
        "store 0",
        "vector_alu 0",
        "mac 0",
    ] {
        assert!(s.has_text(row), "{row}");
    }
    assert!(svg.contains(unit_color(SlotKind::Mac)));
}

#[test]
fn sim_svg_checker_rejects_malformed_documents() {
    let ok = r#"<svg xmlns="http://www.w3.org/2000/svg"><g><rect x="1"/><text>a &amp; b</text></g></svg>"#;
    let s = check_svg(ok).unwrap();
    assert_eq!((s.count("g"), s.count("rect")), (1, 1));
    assert_eq!(s.texts, vec!["a & b".to_string()]);
    for (bad, why) in [
        ("<svg><g></svg>", "closes <g>"),
        ("<svg><g>", "never closed"),
        ("<svg><rect x=1/></svg>", "name=\"value\""),
        ("<svg>a & b</svg>", "without `;`"),
        ("<svg></svg><svg></svg>", "one <svg> root"),
        ("<g></g>", "not <svg>"),
        ("<svg><rect x=\"1\" x=\"2\"/></svg>", "repeated"),
        ("<svg><text>&bogus;</text></svg>", "unknown entity"),
    ] {
        let err = check_svg(bad).unwrap_err();
        assert!(err.contains(why), "{bad}: {err}");
    }
}
