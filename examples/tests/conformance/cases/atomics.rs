//! Atomics: `atomic_add` (integer and float), `atomic_max`, `atomic_min`,
//! `atomic_xchg`, `atomic_cas`, each with many program instances (far more
//! than the engine has threads) contending on a few addresses. Every check
//! is one that holds under any interleaving: totals, extremes, a counter
//! built from compare-and-swap, one winner per flag, a permutation of the
//! values handed out.

use persim::Engine;

use crate::support::{assert_exact, bools, uniform};

/// Programs of `BLOCK` lanes each: small blocks make many instances.
const BLOCK: i32 = 16;

/// Element counts of the contended cases: up to thousands of instances.
const COUNTS: &[usize] = &[1, 7, 1000, 1023, 1025, 40_000];

fn grid(n: usize) -> u32 {
    n.div_ceil(BLOCK as usize) as u32
}

/// A histogram of `x` into `bins` (three per lane: integer count, integer
/// weight, float weight) and a scalar running total per program.
#[persim::kernel]
fn histogram(
    x: *const i32,
    w: *const f32,
    counts: *mut i32,
    weights: *mut i64,
    fweights: *mut f32,
    total: *mut f64,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let bin = load(x + offs, m, 0);
    let wv = load(w + offs, m, 0.0);
    atomic_add(counts + bin, 1, m);
    atomic_add(weights + bin, bin.to::<i64>() * 1000000007, m);
    atomic_add(fweights + bin, wv, m);
    atomic_add(total, sum(wv, 0).to::<f64>());
}

/// Float weights are small integers, so every partial sum is exact in
/// `f32` whatever the order of the additions.
pub fn atomic_add_int_and_float(engine: &Engine) {
    for &n in COUNTS {
        for bins in [1usize, 3] {
            let x = uniform(n, 0, bins as i32, n as u64);
            let w: Vec<f32> = uniform(n, -8, 9, 1).into_iter().map(|v| v as f32).collect();
            let mut counts = vec![0i32; bins];
            let mut weights = vec![5i64; bins];
            let mut fweights = vec![0.5f32; bins];
            let mut total = vec![-1.0f64];
            let args = histogram::Args {
                x: &x,
                w: &w,
                counts: &mut counts,
                weights: &mut weights,
                fweights: &mut fweights,
                total: &mut total,
                n: n as i32,
                BLOCK,
            };
            histogram::launch(engine, grid(n), args).unwrap();
            let (mut c, mut iw, mut fw) = (vec![0i32; bins], vec![5i64; bins], vec![0.5f32; bins]);
            for (&b, &v) in x.iter().zip(&w) {
                c[b as usize] += 1;
                iw[b as usize] += b as i64 * 1_000_000_007;
                fw[b as usize] += v;
            }
            let what = format!("n={n}, {bins} bins");
            assert_exact(&what, &counts, &c);
            assert_exact(&what, &weights, &iw);
            assert_exact(&what, &fweights, &fw);
            let t: f64 = w.iter().map(|&v| v as f64).sum::<f64>() - 1.0;
            assert_exact(&what, &total, &[t]);
        }
    }
}

/// Extremes of signed, unsigned and float data into two addresses (lanes
/// alternate between them), returning old values that are never beyond
/// the final extreme.
#[persim::kernel]
fn extremes(
    x: *const i64,
    u: *const u32,
    f: *const f32,
    imax: *mut i64,
    imin: *mut i64,
    umax: *mut u32,
    fmin: *mut f32,
    fmax: *mut f32,
    olds: *mut i64,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let slot = offs % 2;
    let v = load(x + offs, m, 0);
    store(olds + offs, atomic_max(imax + slot, v, m), m);
    atomic_min(imin + slot, v, m);
    atomic_max(umax + slot, load(u + offs, m, 0), m);
    let fv = load(f + offs, m, 0.0);
    atomic_min(fmin + slot, fv, m);
    atomic_max(fmax + slot, fv, m);
}

pub fn atomic_max_min(engine: &Engine) {
    for &n in COUNTS {
        let x = uniform(n, i64::MIN, i64::MAX, 2);
        let u = uniform(n, 0, u32::MAX, 3);
        let f: Vec<f32> = uniform(n, -1e30f32, 1e30, 4);
        let mut imax = vec![i64::MIN; 2];
        let mut imin = vec![i64::MAX; 2];
        let mut umax = vec![0u32; 2];
        let mut fmin = vec![f32::INFINITY; 2];
        let mut fmax = vec![f32::NEG_INFINITY; 2];
        let mut olds = vec![0i64; n];
        let args = extremes::Args {
            x: &x,
            u: &u,
            f: &f,
            imax: &mut imax,
            imin: &mut imin,
            umax: &mut umax,
            fmin: &mut fmin,
            fmax: &mut fmax,
            olds: &mut olds,
            n: n as i32,
            BLOCK,
        };
        extremes::launch(engine, grid(n), args).unwrap();
        let of = |s: usize| (s..n).step_by(2);
        let what = format!("n={n}");
        for s in 0..2.min(n) {
            assert_eq!(imax[s], of(s).map(|i| x[i]).max().unwrap(), "{what}");
            assert_eq!(imin[s], of(s).map(|i| x[i]).min().unwrap(), "{what}");
            assert_eq!(umax[s], of(s).map(|i| u[i]).max().unwrap(), "{what}");
            let fl = of(s).map(|i| f[i]);
            assert_eq!(fmin[s], fl.clone().fold(f32::INFINITY, f32::min), "{what}");
            assert_eq!(fmax[s], fl.fold(f32::NEG_INFINITY, f32::max), "{what}");
            // An old value was the maximum of what came before: never above
            // the final maximum, and the initial value seen exactly once.
            assert!(of(s).all(|i| olds[i] <= imax[s]), "{what}");
            assert_eq!(of(s).filter(|&i| olds[i] == i64::MIN).count(), 1, "{what}");
        }
    }
}

/// Each program exchanges its id into one cell; the old values it gets
/// back chain every program once, back to the initial value.
#[persim::kernel]
fn exchange_chain(cell: *mut i32, prev: *mut i32, fcell: *mut f32, fprev: *mut f32) {
    let pid = program_id(0);
    store(prev + pid, atomic_xchg(cell, pid));
    store(fprev + pid, atomic_xchg(fcell, pid.to::<f32>()));
}

pub fn atomic_xchg(engine: &Engine) {
    for programs in [1usize, 7, 1000, 1025, 5000] {
        let (mut cell, mut prev) = (vec![-1i32], vec![i32::MIN; programs]);
        let (mut fcell, mut fprev) = (vec![-1.0f32], vec![f32::NAN; programs]);
        let args = exchange_chain::Args {
            cell: &mut cell,
            prev: &mut prev,
            fcell: &mut fcell,
            fprev: &mut fprev,
        };
        exchange_chain::launch(engine, programs as u32, args).unwrap();
        let follow = |last: i32, back: &dyn Fn(usize) -> i32| {
            let mut seen = vec![false; programs];
            let mut at = last;
            for _ in 0..programs {
                assert!((0..programs as i32).contains(&at), "broken chain at {at}");
                assert!(!seen[at as usize], "program {at} seen twice");
                seen[at as usize] = true;
                at = back(at as usize);
            }
            assert_eq!(at, -1, "the chain ends at the initial value");
        };
        follow(cell[0], &|p| prev[p]);
        follow(fcell[0] as i32, &|p| fprev[p] as i32);
    }
}

/// A lock-free counter: each program adds its `k` by a compare-and-swap
/// loop, one unit at a time, reading the current value atomically
/// (`atomic_add` of 0). Also a "first writer wins" flag per slot: exactly
/// one program's `atomic_cas` sees the initial 0.
#[persim::kernel]
fn cas_counter(
    counter: *mut i64,
    k: *const i32,
    flags: *mut u32,
    wins: *mut i32,
    #[constexpr] SLOTS: i32,
) {
    let pid = program_id(0);
    for _ in 0..load(k + pid) {
        let mut done = false;
        while !done {
            let cur = atomic_add(counter, 0);
            done = atomic_cas(counter, cur, cur + 1) == cur;
        }
    }
    let slots = arange(0, SLOTS);
    let old = atomic_cas(flags + slots, 0, (slots * 0 + pid + 1).to::<u32>());
    store(wins + pid * SLOTS + slots, (old == 0).to::<i32>());
}

pub fn atomic_cas(engine: &Engine) {
    for (programs, slots) in [(1usize, 1usize), (7, 3), (1000, 5), (1025, 1)] {
        let k = uniform(programs, 0, 20, programs as u64);
        let mut counter = vec![3i64];
        let mut flags = vec![0u32; slots];
        let mut wins = vec![-1i32; programs * slots];
        let args = cas_counter::Args {
            counter: &mut counter,
            k: &k,
            flags: &mut flags,
            wins: &mut wins,
            SLOTS: slots as i32,
        };
        cas_counter::launch(engine, programs as u32, args).unwrap();
        let what = format!("{programs} programs, {slots} slots");
        let total: i64 = k.iter().map(|&v| v as i64).sum();
        assert_eq!(counter[0], 3 + total, "{what}");
        for s in 0..slots {
            let winners: Vec<usize> = (0..programs)
                .filter(|&p| wins[p * slots + s] == 1)
                .collect();
            assert_eq!(winners.len(), 1, "{what}: slot {s} has one winner");
            assert_eq!(
                flags[s],
                winners[0] as u32 + 1,
                "{what}: the winner's id stays"
            );
            assert!((0..programs).all(|p| wins[p * slots + s] >= 0), "{what}");
        }
    }
}

/// Masked-off lanes do nothing (here with a data-dependent mask).
#[persim::kernel]
fn masked_add(x: *mut i32, keep: *const bool, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    atomic_add(x + offs % 3, 1, m & load(keep + offs, m, false));
}

pub fn masked_atomics(engine: &Engine) {
    for &n in COUNTS {
        let keep = bools(n, 5);
        let mut x = vec![0i32; 3];
        let args = masked_add::Args {
            x: &mut x,
            keep: &keep,
            n: n as i32,
            BLOCK,
        };
        masked_add::launch(engine, grid(n), args).unwrap();
        let mut want = vec![0i32; 3];
        for (i, _) in keep.iter().enumerate().filter(|(_, &k)| k) {
            want[i % 3] += 1;
        }
        assert_exact(&format!("n={n}"), &x, &want);
    }
}
