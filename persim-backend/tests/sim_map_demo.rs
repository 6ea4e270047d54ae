//! The end-to-end demo: a placed and routed 3-stage pipeline streaming over
//! the NoC versus the same stages run one by one through off-chip memory.

use persim_backend::spatial::map::{check_svg, run_pipeline_demo};
use persim_backend::spatial::Machine;

#[test]
fn sim_streamed_pipeline_beats_one_by_one_in_cycles_and_offchip_bytes() {
    let m = Machine::default_model();
    let vectors = 256;
    let bytes = u64::from(vectors * m.vector_bytes());
    let out = run_pipeline_demo(&m, vectors).unwrap();
    // Placement: a line of three neighbours next to the shim row.
    let tiles = &out.placement.placement.tiles;
    assert_eq!(tiles[0].hops_to(tiles[1]), 1);
    assert_eq!(tiles[1].hops_to(tiles[2]), 1);
    assert!(tiles.iter().all(|t| t.row == 1), "{tiles:?}");
    // Off-chip: input once and output once, versus in and out per stage.
    assert_eq!(
        (out.streamed.offchip_read, out.streamed.offchip_write),
        (bytes, bytes)
    );
    assert_eq!(
        (out.one_by_one.offchip_read, out.one_by_one.offchip_write),
        (3 * bytes, 3 * bytes)
    );
    // The streamed run overlaps the stages and skips four off-chip trips.
    assert!(out.streamed.cycles * 2 < out.one_by_one.cycles, "{out}");
    // Every stream vector crossed exactly one link per stage boundary.
    let stream_links: u64 = out
        .routes
        .routes
        .iter()
        .take(2)
        .map(|r| out.streamed_stats.bytes_on(r.links[0].resource()))
        .sum();
    assert_eq!(stream_links, 2 * bytes);
    let text = out.to_string();
    assert!(text.contains("speed-up"), "{text}");
    // The pictures of the run are well-formed.
    let (mesh, schedule) = persim_backend::spatial::map::demo::pictures(&m, &out);
    check_svg(&mesh).unwrap();
    check_svg(&schedule).unwrap();
}

#[test]
fn sim_demo_rejects_sizes_its_buffers_cannot_hold() {
    let m = Machine::default_model();
    assert!(run_pipeline_demo(&m, 0).is_err());
    let err = run_pipeline_demo(&m, 2000).unwrap_err();
    assert!(err.contains("1 to 1024 vectors"), "{err}");
    assert!(run_pipeline_demo(&m, u32::MAX).is_err());
}
