//! Atomics on the simulator (`amo.*` read-modify-writes of off-chip
//! memory): many program instances on several PEs contend for the same
//! words, and the totals must come out as if every update ran alone;
//! `atomic_cas` builds a counter whose old values are a permutation.

mod sim_util;

use persim_backend::spatial::{Machine, SimEngine};
use persim_backend::{Arg, Grid};
use sim_util::*;

fn engine() -> SimEngine {
    SimEngine::new(Machine::from_toml("[grid]\ncols = 2\nrows = 2\n").unwrap())
}

/// Integer and float histograms, signed/unsigned/float maximum and
/// minimum (NaN wins for floats), all through contended words.
const HISTOGRAM: &str = r#"
fn histogram(x: *const i32, w: *const f32, counts: *mut i32, fw: *mut f32,
             hi: *mut i32, lo: *mut u32, fmax: *mut f32, fmin: *mut f32, n: i32,
             #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let bin = load(x + offs, m, 0);
    let wv = load(w + offs, m, 0.0);
    atomic_add(counts + bin, 1, m);
    atomic_add(fw + bin, wv, m);
    atomic_max(hi + bin, offs * 7 - 500, m);
    atomic_min(lo + bin, (offs * 3).to::<u32>(), m);
    atomic_max(fmax + bin, wv, m);
    atomic_min(fmin + bin, wv, m);
}"#;

#[test]
fn sim_contended_atomics_add_up() {
    let mut rng = Rng::new(21);
    for (n, block, bins) in [
        (1usize, 16i64, 1usize),
        (7, 16, 3),
        (100, 32, 5),
        (1025, 64, 4),
    ] {
        let x = rng.vec_i32(n, 0, bins as i32);
        // Small integers: every partial float sum is exact in any order.
        let mut w: Vec<f32> = rng
            .vec_i32(n, -8, 9)
            .into_iter()
            .map(|v| v as f32)
            .collect();
        if n > 50 {
            w[42] = f32::NAN;
        }
        let mut counts = vec![0i32; bins];
        let mut fw = vec![0.5f32; bins];
        let mut hi = vec![i32::MIN; bins];
        let mut lo = vec![u32::MAX; bins];
        let mut fmax = vec![f32::NEG_INFINITY; bins];
        let mut fmin = vec![f32::INFINITY; bins];
        let f = build_ok(HISTOGRAM, &[("BLOCK", block)]);
        engine()
            .launch_ir(
                &f,
                Grid::from(n.div_ceil(block as usize)),
                &mut [
                    Arg::from(&x[..]),
                    Arg::from(&w[..]),
                    Arg::from(&mut counts[..]),
                    Arg::from(&mut fw[..]),
                    Arg::from(&mut hi[..]),
                    Arg::from(&mut lo[..]),
                    Arg::from(&mut fmax[..]),
                    Arg::from(&mut fmin[..]),
                    Arg::from(n as i32),
                ],
            )
            .unwrap_or_else(|e| panic!("n = {n}: {e}"));
        for b in 0..bins {
            let members: Vec<usize> = (0..n).filter(|&i| x[i] == b as i32).collect();
            let at = format!("n = {n}, bin {b}");
            assert_eq!(counts[b], members.len() as i32, "{at}");
            let sum: f32 = members.iter().map(|&i| w[i]).fold(0.5, |a, v| a + v);
            assert!(
                fw[b] == sum || (fw[b].is_nan() && sum.is_nan()),
                "{at}: {} vs {sum}",
                fw[b]
            );
            let want_hi = members
                .iter()
                .map(|&i| i as i32 * 7 - 500)
                .max()
                .unwrap_or(i32::MIN);
            assert_eq!(hi[b], want_hi, "{at}");
            let want_lo = members
                .iter()
                .map(|&i| i as u32 * 3)
                .min()
                .unwrap_or(u32::MAX);
            assert_eq!(lo[b], want_lo, "{at}");
            let nan = members.iter().any(|&i| w[i].is_nan());
            let finite = members.iter().map(|&i| w[i]).filter(|v| !v.is_nan());
            let want_max = finite.clone().fold(f32::NEG_INFINITY, f32::max);
            let want_min = finite.fold(f32::INFINITY, f32::min);
            if nan {
                assert!(fmax[b].is_nan() && fmin[b].is_nan(), "{at}: NaN wins");
            } else {
                assert_eq!((fmax[b], fmin[b]), (want_max, want_min), "{at}");
            }
        }
    }
}

/// A ticket counter: each lane takes the next ticket with a CAS loop
/// (retrying on contention), writes it out, and the exchange of a flag
/// leaves the last writer's value.
const TICKETS: &str = r#"
fn tickets(counter: *mut i32, out: *mut i32, flag: *mut i32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let mut lane = 0;
    while lane < BLOCK {
        let me = program_id(0) * BLOCK + lane;
        if me < n {
            let mut got = -1;
            while got < 0 {
                let seen = load(counter);
                let old = atomic_cas(counter, seen, seen + 1);
                if old == seen {
                    got = seen;
                }
            }
            store(out + me, got);
        }
        lane += 1;
    }
    atomic_xchg(flag + offs * 0, offs, m);
}"#;

#[test]
fn sim_compare_and_swap_hands_out_every_ticket_once() {
    for (n, block) in [(1usize, 16i64), (7, 16), (70, 32)] {
        let mut counter = [0i32];
        let mut out = vec![-1i32; n];
        let mut flag = [-1i32];
        let f = build_ok(TICKETS, &[("BLOCK", block)]);
        engine()
            .launch_ir(
                &f,
                Grid::from(n.div_ceil(block as usize)),
                &mut [
                    Arg::from(&mut counter[..]),
                    Arg::from(&mut out[..]),
                    Arg::from(&mut flag[..]),
                    Arg::from(n as i32),
                ],
            )
            .unwrap_or_else(|e| panic!("n = {n}: {e}"));
        assert_eq!(counter[0], n as i32, "n = {n}");
        let mut seen = out.clone();
        seen.sort_unstable();
        assert_eq!(
            seen,
            (0..n as i32).collect::<Vec<_>>(),
            "n = {n}: every ticket once"
        );
        assert!(
            (0..n as i32).contains(&flag[0]),
            "n = {n}: flag {}",
            flag[0]
        );
    }
}
