//! Atomics end to end: `#[persim::kernel]` on the Cranelift JIT, program
//! instances on several threads, against plain Rust. Counts are exact, so
//! any lost update (a non-atomic read-modify-write racing another thread)
//! fails the test.

use persim::{Engine, LaunchError};

/// splitmix64, for test data.
fn rng(seed: u64) -> impl FnMut() -> u64 {
    let mut s = seed;
    move || {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[persim::kernel]
fn histogram(x: *const i32, bins: *mut i32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    atomic_add(bins + load(x + offs, m, 0), 1, m);
}

#[test]
fn histogram_over_many_instances_on_several_threads_is_exact() {
    let mut next = rng(1);
    let engine = Engine::jit().threads(4);
    for (n, n_bins, block) in [
        (100_000usize, 7usize, 64),
        (33_333, 1, 7),
        (50_000, 1000, 1000),
        (4097, 3, 1),
    ] {
        let x: Vec<i32> = (0..n).map(|_| (next() % n_bins as u64) as i32).collect();
        let mut bins = vec![0i32; n_bins];
        let grid = n.div_ceil(block);
        histogram::launch(
            &engine,
            grid,
            histogram::Args {
                x: &x,
                bins: &mut bins,
                n: n as i32,
                BLOCK: block as i32,
            },
        )
        .unwrap();
        let mut want = vec![0i32; n_bins];
        for &v in &x {
            want[v as usize] += 1;
        }
        assert_eq!(bins, want, "n {n}, {n_bins} bins, BLOCK {block}");
    }
}

/// Every lane of every instance bumps one integer and one float counter
/// `REPS` times (the float one through a compare-and-swap loop).
#[persim::kernel]
fn contended(
    counter: *mut i64,
    fcounter: *mut f64,
    #[constexpr] BLOCK: i32,
    #[constexpr] REPS: i32,
) {
    let same = arange(0, BLOCK) * 0;
    for _ in 0..REPS {
        atomic_add(counter + same, 1);
        atomic_add(fcounter + same, 1.0);
    }
}

#[test]
fn a_contended_counter_loses_no_update() {
    // Millions of updates of one address from four workers: a
    // read-modify-write that is not atomic loses some as soon as two
    // threads overlap.
    let engine = Engine::jit().threads(4);
    let (grid, block, reps) = (256usize, 1024usize, 32usize);
    let mut counter = vec![0i64];
    let mut fcounter = vec![0.0f64];
    contended::launch(
        &engine,
        grid,
        contended::Args {
            counter: &mut counter,
            fcounter: &mut fcounter,
            BLOCK: block as i32,
            REPS: reps as i32,
        },
    )
    .unwrap();
    let total = grid * block * reps;
    assert_eq!(counter[0], total as i64);
    assert_eq!(fcounter[0], total as f64);
}

/// Each instance takes a ticket with a scalar `atomic_add` and records it;
/// the tickets must be a permutation of 0..grid.
#[persim::kernel]
fn tickets(counter: *mut u64, ids: *mut u64) {
    let t = atomic_add(counter, 1);
    store(ids + program_id(0), t);
}

#[test]
fn scalar_atomic_add_hands_out_distinct_tickets() {
    let engine = Engine::jit().threads(4);
    let grid = 5000usize;
    let mut counter = vec![0u64];
    let mut ids = vec![u64::MAX; grid];
    tickets::launch(
        &engine,
        grid,
        tickets::Args {
            counter: &mut counter,
            ids: &mut ids,
        },
    )
    .unwrap();
    assert_eq!(counter[0], grid as u64);
    ids.sort_unstable();
    assert_eq!(ids, (0..grid as u64).collect::<Vec<_>>());
}

/// Global max and min of signed, unsigned and float data, and the argmax
/// found with a compare-and-swap spin on a packed (value, index) word.
#[persim::kernel]
fn extremes(
    x: *const i32,
    u: *const u32,
    f: *const f32,
    out: *mut i32,
    uout: *mut u32,
    fout: *mut f32,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let zero = offs * 0;
    atomic_max(out + zero, load(x + offs, m, 0), m);
    atomic_min(out + 1 + zero, load(x + offs, m, 0), m);
    atomic_max(uout + zero, load(u + offs, m, 0), m);
    atomic_min(uout + 1 + zero, load(u + offs, m, 0), m);
    atomic_max(fout + zero, load(f + offs, m, 0.0), m);
    atomic_min(fout + 1 + zero, load(f + offs, m, 0.0), m);
}

#[test]
fn max_and_min_of_signed_unsigned_and_float_data() {
    let mut next = rng(2);
    let engine = Engine::jit().threads(4);
    let n = 20_011usize;
    let x: Vec<i32> = (0..n).map(|_| next() as i32).collect();
    let u: Vec<u32> = (0..n).map(|_| next() as u32).collect();
    let f: Vec<f32> = (0..n)
        .map(|_| (next() % 2_000_001) as f32 / 1000.0 - 1000.0)
        .collect();
    let mut out = vec![i32::MIN, i32::MAX];
    let mut uout = vec![0u32, u32::MAX];
    let mut fout = vec![f32::NEG_INFINITY, f32::INFINITY];
    extremes::launch(
        &engine,
        n.div_ceil(128),
        extremes::Args {
            x: &x,
            u: &u,
            f: &f,
            out: &mut out,
            uout: &mut uout,
            fout: &mut fout,
            n: n as i32,
            BLOCK: 128,
        },
    )
    .unwrap();
    assert_eq!(out, [*x.iter().max().unwrap(), *x.iter().min().unwrap()]);
    assert_eq!(uout, [*u.iter().max().unwrap(), *u.iter().min().unwrap()]);
    let fmax = f.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let fmin = f.iter().copied().fold(f32::INFINITY, f32::min);
    assert_eq!(fout, [fmax, fmin]);
}

/// Floats: a sum of many small integers is exact in `f32` (every partial
/// sum is an integer below 2^24), whatever order the instances add in.
#[persim::kernel]
fn float_sum(x: *const f32, total: *mut f32, dtotal: *mut f64, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let v = load(x + offs, m, 0.0);
    atomic_add(total + offs * 0, v, m);
    atomic_add(dtotal, sum(v, 0).to::<f64>());
}

#[test]
fn float_atomic_add_of_integers_is_exact() {
    let mut next = rng(3);
    let engine = Engine::jit().threads(4);
    let n = 30_001usize;
    let x: Vec<f32> = (0..n).map(|_| (next() % 9) as f32).collect();
    let mut total = vec![0.5f32];
    let mut dtotal = vec![-1.0f64];
    float_sum::launch(
        &engine,
        n.div_ceil(64),
        float_sum::Args {
            x: &x,
            total: &mut total,
            dtotal: &mut dtotal,
            n: n as i32,
            BLOCK: 64,
        },
    )
    .unwrap();
    let want: f64 = x.iter().map(|&v| f64::from(v)).sum();
    assert_eq!(f64::from(total[0]), want + 0.5);
    assert_eq!(dtotal[0], want - 1.0);
}

/// `atomic_xchg` returns the previous occupant; `atomic_cas` succeeds for
/// exactly one instance per slot.
#[persim::kernel]
fn claims(
    slots: *mut i32,
    winners: *mut i32,
    chain: *mut i64,
    olds: *mut i64,
    #[constexpr] SLOTS: i32,
) {
    let pid = program_id(0);
    let slot = arange(0, SLOTS);
    let old = atomic_cas(slots + slot, -1, slot * 0 + pid);
    let won = (old == -1).to::<i32>();
    atomic_add(winners + slot, won);
    let prev = atomic_xchg(chain, pid.to::<i64>());
    store(olds + pid, prev);
}

#[test]
fn compare_and_swap_has_one_winner_and_exchange_forms_a_chain() {
    let engine = Engine::jit().threads(4);
    let (grid, slots) = (3000usize, 37usize);
    let mut s = vec![-1i32; slots];
    let mut winners = vec![0i32; slots];
    let mut chain = vec![-1i64];
    let mut olds = vec![i64::MIN; grid];
    claims::launch(
        &engine,
        grid,
        claims::Args {
            slots: &mut s,
            winners: &mut winners,
            chain: &mut chain,
            olds: &mut olds,
            SLOTS: slots as i32,
        },
    )
    .unwrap();
    assert_eq!(winners, vec![1; slots]);
    assert!(s.iter().all(|&w| (0..grid as i32).contains(&w)));
    // Each exchange hands over the previous value: following the chain from
    // the final value back visits every instance once and ends at -1.
    let mut seen = vec![false; grid];
    let mut at = chain[0];
    for _ in 0..grid {
        assert!((0..grid as i64).contains(&at), "broken chain at {at}");
        assert!(!seen[at as usize], "instance {at} seen twice");
        seen[at as usize] = true;
        at = olds[at as usize];
    }
    assert_eq!(at, -1);
}

/// Masked-off lanes do nothing; checked mode checks atomics like stores.
#[persim::kernel]
fn masked_bump(x: *mut i32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = arange(0, BLOCK);
    atomic_add(x + offs, 1, offs < n);
}

#[persim::kernel]
fn unmasked_bump(x: *mut i32, #[constexpr] BLOCK: i32) {
    atomic_add(x + arange(0, BLOCK), 1);
}

#[test]
fn masked_lanes_do_nothing_and_checked_mode_catches_out_of_bounds_atomics() {
    let engine = Engine::jit().checked(true);
    let mut x = vec![0i32; 10];
    masked_bump::launch(
        &engine,
        1u32,
        masked_bump::Args {
            x: &mut x[..7],
            n: 7,
            BLOCK: 16,
        },
    )
    .unwrap();
    assert_eq!(x, [1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
    let err = unmasked_bump::launch(
        &engine,
        1u32,
        unmasked_bump::Args {
            x: &mut x[..7],
            BLOCK: 16,
        },
    )
    .expect_err("lanes 7.. are out of bounds");
    match err {
        LaunchError::OutOfBounds {
            arg, index, store, ..
        } => {
            assert_eq!(arg, "x");
            assert_eq!(index, 7);
            assert!(store);
        }
        other => panic!("expected OutOfBounds, got {other}"),
    }
    // The check happens before each lane's access: lanes up to the first
    // bad one were applied, none after.
    assert_eq!(&x[..7], &[2; 7]);
}
