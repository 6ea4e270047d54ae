//! Atomics from kernel source: built by the frontend, run in the
//! interpreter before and after lowering (L = 1, 4, 16, every buffer-reuse
//! variant, so partial chunks and their lane masks are exercised) and
//! compared with a plain-Rust model that applies lanes in row-major order.

mod front_util;
mod lower_util;

use front_util::build_ok;
use lower_util::{check_lowering, Rng};
use persim_lang::interp::InterpArg;

const HISTOGRAM: &str = "
fn hist(x: *const i32, bins: *mut i32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let b = load(x + offs, m, 0);
    atomic_add(bins + b, 1, m);
}";

#[test]
fn histogram_counts_exactly_across_instances_and_duplicate_lanes() {
    let mut rng = Rng::new(21);
    let f_bins = 13usize;
    for (block, n) in [
        (1u32, 5usize),
        (7, 50),
        (16, 16),
        (1000, 2500),
        (1023, 1025),
    ] {
        let x = rng.i32s(n, 0, f_bins as i32);
        let f = build_ok(HISTOGRAM, &[("BLOCK", block as i64)]);
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&vec![0i32; f_bins]),
            InterpArg::scalar(n as i32),
        ];
        let grid = [(n as u32).div_ceil(block), 1, 1];
        let got = check_lowering(&f, grid, &args, 0.0)[1]
            .to_vec::<i32>()
            .unwrap();
        let mut want = vec![0i32; f_bins];
        for &v in &x {
            want[v as usize] += 1;
        }
        assert_eq!(got, want, "BLOCK {block}, n {n}");
    }
}

/// Every integer atomic on lanes that collide (`offs % 3`), with and
/// without masks; every old value is stored.
const INT_ATOMICS: &str = "
fn ints(p: *mut i32, q: *mut u32, olds: *mut i32, uolds: *mut u32, #[constexpr] N: i32) {
    let offs = arange(0, N);
    let slot = p + offs % 3;
    let even = offs % 2 == 0;
    let a = atomic_add(slot, offs - 5);
    let b = atomic_max(slot, offs * 7 - 20, even);
    let c = atomic_min(slot, 30 - offs * 3);
    let d = atomic_xchg(slot, offs, offs % 3 != 1);
    let e = atomic_cas(slot, offs - 3, offs * 100);
    store(olds + offs * 5, a);
    store(olds + offs * 5 + 1, b);
    store(olds + offs * 5 + 2, c);
    store(olds + offs * 5 + 3, d);
    store(olds + offs * 5 + 4, e);
    let u = atomic_max(q + offs % 2, offs.to::<u32>() * 3000000000);
    store(uolds + offs, u);
}";

#[test]
fn integer_atomics_apply_lane_by_lane_and_return_old_values() {
    for n in [1usize, 3, 4, 7, 16, 17, 33] {
        let mut p = [4i32, -7, 100];
        let mut q = [5u32, 0];
        let mut olds = vec![0i32; 5 * n];
        let mut uolds = vec![0u32; n];
        let apply = |p: &mut [i32], i: usize, active: bool, f: &dyn Fn(i32) -> i32| -> i32 {
            if !active {
                return 0;
            }
            let old = p[i % 3];
            p[i % 3] = f(old);
            old
        };
        for k in 0..5 {
            for i in 0..n {
                let v = i as i32;
                let old = match k {
                    0 => apply(&mut p, i, true, &|o| o.wrapping_add(v - 5)),
                    1 => apply(&mut p, i, i % 2 == 0, &|o| o.max(v * 7 - 20)),
                    2 => apply(&mut p, i, true, &|o| o.min(30 - v * 3)),
                    3 => apply(&mut p, i, i % 3 != 1, &|_| v),
                    _ => apply(&mut p, i, true, &|o| if o == v - 3 { v * 100 } else { o }),
                };
                olds[i * 5 + k] = old;
            }
        }
        for (i, u) in uolds.iter_mut().enumerate() {
            let v = (i as u32).wrapping_mul(3_000_000_000);
            *u = q[i % 2];
            q[i % 2] = q[i % 2].max(v);
        }
        let f = build_ok(INT_ATOMICS, &[("N", n as i64)]);
        let args = vec![
            InterpArg::slice(&[4i32, -7, 100]),
            InterpArg::slice(&[5u32, 0]),
            InterpArg::slice(&vec![-1i32; 5 * n]),
            InterpArg::slice(&vec![0u32; n]),
        ];
        let got = check_lowering(&f, [1, 1, 1], &args, 0.0);
        assert_eq!(got[0].to_vec::<i32>().unwrap(), p, "N = {n}");
        assert_eq!(got[1].to_vec::<u32>().unwrap(), q, "N = {n}");
        assert_eq!(got[2].to_vec::<i32>().unwrap(), olds, "N = {n}");
        assert_eq!(got[3].to_vec::<u32>().unwrap(), uolds, "N = {n}");
    }
}

/// Float atomics: add rounds once per lane, max/min follow `maximum` and
/// `minimum` (NaN wins), xchg and cas work on bits. (Many lanes updating one
/// location take pointers splatted to the values' shape: as in Triton and
/// for `store`, the pointers decide the shape.)
const FLOAT_ATOMICS: &str = "
fn floats(x: *const f32, acc: *mut f32, olds: *mut f32, d: *mut f64, #[constexpr] N: i32) {
    let offs = arange(0, N);
    let v = load(x + offs);
    let s = atomic_add(acc + offs % 2, v);
    let same = offs * 0;
    let m = atomic_max(acc + 2 + same, v);
    let l = atomic_min(acc + 3 + same, v, offs != 1);
    let c = atomic_cas(acc + 4 + same, -0.0, v);
    store(olds + offs * 4, s);
    store(olds + offs * 4 + 1, m);
    store(olds + offs * 4 + 2, l);
    store(olds + offs * 4 + 3, c);
    atomic_add(d + same, v.to::<f64>());
    atomic_xchg(d + 1 + same, v.to::<f64>() * 2.0);
}";

#[test]
fn float_atomics_follow_the_elementwise_semantics() {
    let mut rng = Rng::new(22);
    for n in [1usize, 2, 5, 16, 31] {
        let mut x = rng.f32s(n);
        if n > 3 {
            x[3] = f32::NAN;
        }
        let init = [0.0f32, 1.0, -5.0, 5.0, 0.0];
        let f = build_ok(FLOAT_ATOMICS, &[("N", n as i64)]);
        let args = vec![
            InterpArg::slice(&x),
            InterpArg::slice(&init),
            InterpArg::slice(&vec![0.0f32; 4 * n]),
            InterpArg::slice(&[0.5f64, 0.0]),
        ];
        let got = check_lowering(&f, [1, 1, 1], &args, 0.0);
        let mut acc = init;
        let mut olds = vec![0.0f32; 4 * n];
        let nan_max = |a: f32, b: f32| {
            if a.is_nan() || b.is_nan() {
                f32::NAN
            } else {
                a.max(b)
            }
        };
        let nan_min = |a: f32, b: f32| {
            if a.is_nan() || b.is_nan() {
                f32::NAN
            } else {
                a.min(b)
            }
        };
        for (i, &v) in x.iter().enumerate() {
            olds[i * 4] = acc[i % 2];
            acc[i % 2] += v;
        }
        for (i, &v) in x.iter().enumerate() {
            olds[i * 4 + 1] = acc[2];
            acc[2] = nan_max(acc[2], v);
        }
        for (i, &v) in x.iter().enumerate().filter(|(i, _)| *i != 1) {
            olds[i * 4 + 2] = acc[3];
            acc[3] = nan_min(acc[3], v);
        }
        // The slot holds +0.0, which is not -0.0 bitwise: no lane swaps.
        for i in 0..n {
            olds[i * 4 + 3] = acc[4];
        }
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let got_acc = got[1].to_vec::<f32>().unwrap();
        let got_olds = got[2].to_vec::<f32>().unwrap();
        assert_eq!(bits(&got_acc), bits(&acc), "N = {n}");
        assert_eq!(bits(&got_olds), bits(&olds), "N = {n}");
        let mut sum = 0.5f64;
        for &v in &x {
            sum += f64::from(v);
        }
        let d = got[3].to_vec::<f64>().unwrap();
        assert_eq!(d[0].to_bits(), sum.to_bits());
        assert_eq!(d[1].to_bits(), (f64::from(x[n - 1]) * 2.0).to_bits());
    }
}

/// A scalar atomic per program instance hands out tickets; the old value is
/// a scalar.
const TICKETS: &str = "
fn tickets(counter: *mut i64, ids: *mut i64) {
    let t = atomic_add(counter, 1);
    store(ids + program_id(0), t);
}";

#[test]
fn scalar_atomics_hand_out_one_ticket_per_instance() {
    let f = build_ok(TICKETS, &[]);
    let args = vec![InterpArg::slice(&[10i64]), InterpArg::slice(&[0i64; 9])];
    let got = check_lowering(&f, [9, 1, 1], &args, 0.0);
    assert_eq!(got[0].to_vec::<i64>().unwrap(), vec![19]);
    let ids = got[1].to_vec::<i64>().unwrap();
    assert_eq!(ids, (10..19).collect::<Vec<_>>());
}
