//! The main job's kernel graph (two library `vector_add`s, the sum handed
//! PE to PE) on the simulator, at sizes that leave a partial block.

use persim::spatial::SimEngine;
use persim_examples::graph;

#[test]
fn sim_graph_of_library_kernels_matches_plain_rust() {
    let sim = SimEngine::default();
    for n in [1usize, 7, 1025] {
        let report = graph::run(&sim, n).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.passed(), "{report:?}");
        assert!(
            report.size.contains("sum handed PE to PE"),
            "{}",
            report.size
        );
    }
}
