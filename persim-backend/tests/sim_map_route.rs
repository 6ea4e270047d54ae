//! PathFinder routing: shortest paths when free, detours under congestion,
//! clear errors when infeasible.

use persim_backend::spatial::map::{route, Channel, Link, Mesh, Route, RouteConfig, RouteError};
use persim_backend::spatial::{Direction, Machine, TileCoord};

fn t(col: u8, row: u8) -> TileCoord {
    TileCoord::new(col, row)
}

fn link_loads_ok(routes: &persim_backend::spatial::map::Routes) {
    for &(link, load) in &routes.link_load {
        assert!(load <= routes.capacity + 1e-9, "{link} carries {load}");
    }
}

/// Each route is a connected walk from its source to its destination.
fn assert_connected(r: &Route) {
    let mut at = r.src;
    for l in &r.links {
        assert_eq!(l.from, at);
        at = l.to();
    }
    assert_eq!(at, r.dst);
}

#[test]
fn sim_free_channels_take_the_dimension_order_shortest_path() {
    let m = Machine::default_model();
    let channels = vec![
        Channel::new("a", t(0, 1), t(3, 4), 10.0),
        Channel::new("b", t(6, 7), t(2, 2), 10.0),
        Channel::new("load", t(5, 0), t(5, 3), 10.0),
        Channel::new("local", t(4, 4), t(4, 4), 10.0),
    ];
    let r = route(&m, &channels, &RouteConfig::default()).unwrap();
    assert_eq!(r.iterations, 1);
    for (route, c) in r.routes.iter().zip(&channels) {
        assert_connected(route);
        assert_eq!(route.hops() as u32, c.src.hops_to(c.dst), "{}", c.name);
        assert!(route.is_dimension_order());
    }
    // X first, then Y, as the simulator routes DMA.
    assert_eq!(r.routes[0].links[0], Link::new(t(0, 1), Direction::East));
    assert_eq!(r.routes[0].links[3], Link::new(t(3, 1), Direction::North));
    assert!(r.routes[3].links.is_empty());
    assert_eq!(r.routes[3].waypoints(), vec![t(4, 4)]);
    assert_eq!(r.load(Link::new(t(1, 1), Direction::East)), 10.0);
    assert_eq!(r.load(Link::new(t(1, 1), Direction::West)), 0.0);
}

#[test]
fn sim_congested_link_is_resolved_by_a_detour() {
    // Both dimension-order routes use (1,2)->east and (2,2)->east; 40 + 40
    // exceeds the 64 B/cycle link, so one channel detours through a
    // neighbouring row (two extra hops).
    let m = Machine::default_model();
    let channels = vec![
        Channel::new("a", t(0, 2), t(3, 2), 40.0),
        Channel::new("b", t(1, 2), t(4, 2), 40.0),
    ];
    let r = route(&m, &channels, &RouteConfig::default()).unwrap();
    assert!(r.iterations > 1);
    link_loads_ok(&r);
    let hops: Vec<usize> = r.routes.iter().map(Route::hops).collect();
    assert_eq!(hops.iter().sum::<usize>(), 3 + 3 + 2, "{hops:?}");
    for route in &r.routes {
        assert_connected(route);
    }
    let detour = r.routes.iter().find(|r| r.hops() == 5).unwrap();
    assert!(!detour.is_dimension_order());
    // Waypoints split the detour into dimension-order pieces.
    let w = detour.waypoints();
    assert!(w.len() >= 3, "{w:?}");
    assert_eq!((w[0], *w.last().unwrap()), (detour.src, detour.dst));
    let mesh = Mesh::of(&m);
    let pieces: Vec<Link> = w
        .windows(2)
        .flat_map(|p| mesh.xy_route(p[0], p[1]))
        .collect();
    assert_eq!(pieces, detour.links);
    // Deterministic.
    assert_eq!(route(&m, &channels, &RouteConfig::default()).unwrap(), r);
}

#[test]
fn sim_many_channels_along_one_row_are_spread_over_rows() {
    // Four 40 B/cycle channels start along row 4 and end in column 7:
    // dimension-order routing would put all four on (3,4)->east (160 B/cycle
    // on a 64 B/cycle link); the router spreads them so no link carries two.
    let m = Machine::default_model();
    let ends = [(0, 1), (1, 3), (2, 6), (3, 8)];
    let channels: Vec<Channel> = ends
        .iter()
        .enumerate()
        .map(|(i, &(col, row))| Channel::new(format!("c#{i}"), t(col, 4), t(7, row), 40.0))
        .collect();
    let r = route(&m, &channels, &RouteConfig::default()).unwrap();
    link_loads_ok(&r);
    assert!(r.max_utilization() <= 40.0 / 64.0 + 1e-9);
    for (route, c) in r.routes.iter().zip(&channels) {
        assert_connected(route);
        assert!(route.hops() as u32 >= c.src.hops_to(c.dst));
    }
}

#[test]
fn sim_too_much_demand_out_of_a_corner_reports_the_overused_links() {
    // (0,8) is the top-left corner: two outgoing links (east, south). Three
    // unsplittable 40 B/cycle channels cannot leave it.
    let m = Machine::default_model();
    let channels: Vec<Channel> = (0..3)
        .map(|i| Channel::new(format!("out{i}"), t(0, 8), t(4, 4 + i as u8), 40.0))
        .collect();
    let cfg = RouteConfig {
        max_iterations: 20,
        ..RouteConfig::default()
    };
    let err = route(&m, &channels, &cfg).unwrap_err();
    let RouteError::Congested {
        iterations,
        ref overused,
    } = err
    else {
        panic!("{err}");
    };
    assert_eq!(iterations, 20);
    assert!(!overused.is_empty());
    assert!(overused
        .iter()
        .all(|o| o.link.from == t(0, 8) && o.load > o.capacity));
    let text = err.to_string();
    assert!(text.contains("(0,8)->"), "{text}");
    assert!(text.contains("of 64 B/cycle"), "{text}");
    assert!(text.contains("out"), "{text}");
}

#[test]
fn sim_bad_channels_are_errors() {
    let m = Machine::default_model();
    let err = route(
        &m,
        &[Channel::new("wide", t(0, 1), t(1, 1), 100.0)],
        &RouteConfig::default(),
    )
    .unwrap_err();
    assert!(matches!(err, RouteError::DemandExceedsLink { .. }));
    assert!(
        err.to_string()
            .contains("`wide` needs 100.00 B/cycle but a link carries 64"),
        "{err}"
    );
    let err = route(
        &m,
        &[Channel::new("far", t(0, 1), t(9, 1), 1.0)],
        &RouteConfig::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("(9,1) is outside the 8x9 mesh"),
        "{err}"
    );
    let err = route(
        &m,
        &[Channel::new("nan", t(0, 1), t(1, 1), f64::NAN)],
        &RouteConfig::default(),
    )
    .unwrap_err();
    assert!(matches!(err, RouteError::BadChannel { .. }));
}
