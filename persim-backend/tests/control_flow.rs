//! Structured control flow carrying scalars and vectors, reductions, local
//! buffers, and integer division that must not trap.

mod common;

use common::*;
use persim_backend::{Arg, Engine};
use persim_lang::ir::{
    Attr, Attrs, Block, Builder, CmpPred, Dtype, Elem, Function, Opcode, ReduceKind, Type, Value,
};

fn ret(b: &mut Builder) {
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
}

/// `for j in 0..m`: acc (vector) += x[j*L .. j*L+L]; count (scalar) += j.
/// Stores acc to out[0..L] and count to cnt[0].
#[test]
fn for_loop_carries_a_vector_and_a_scalar() {
    for lanes in [1u32, 4, 16] {
        let params = vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
            ptr_param("cnt", Dtype::I64, true),
            scalar_param("m", Dtype::I32),
        ];
        let mut f = lowered("rowsum", params, lanes, 0);
        {
            let mut b = Builder::new(&mut f);
            let (x, out, cnt, m) = (
                b.func.param_value(0),
                b.func.param_value(1),
                b.func.param_value(2),
                b.func.param_value(3),
            );
            let zero = b.const_float(0.0, Dtype::F32);
            let acc0 = b.splat(zero, &[lanes]).unwrap();
            let c0 = b.const_int(0, Dtype::I64);
            let lo = b.const_i32(0);
            let one = b.const_i32(1);
            let res = b
                .for_loop(lo, m, one, &[acc0, c0], |b, j, carried| {
                    let l = b.const_i32(lanes as i32);
                    let base = b.op(Opcode::Mul, &[j, l]);
                    let base = b.splat(base, &[lanes])?;
                    let r = b.arange(0, lanes as i64);
                    let offs = b.op(Opcode::Add, &[base, r]);
                    let p = b.ptrs(x, offs);
                    let v = b.load(p, None, None, Some(0));
                    let acc = b.op(Opcode::Add, &[carried[0], v]);
                    let j64 = b.cast(j, Dtype::I64)?;
                    let c = b.op(Opcode::Add, &[carried[1], j64]);
                    Ok(vec![acc, c])
                })
                .unwrap();
            let r = b.arange(0, lanes as i64);
            let po = b.ptrs(out, r);
            b.store(po, res[0], None, Some(1));
            b.store(cnt, res[1], None, Some(2));
            ret(&mut b);
        }
        let engine = Engine::jit();
        let kernel = engine.compile_ir(&f).unwrap();
        for m in [0usize, 1, 5] {
            let mut rng = Rng::new(m as u64);
            let x: Vec<f32> = (0..m * lanes as usize)
                .map(|_| rng.f64_in(-1.0, 1.0) as f32)
                .collect();
            let mut out = vec![f32::NAN; lanes as usize];
            let mut cnt = vec![-1i64];
            engine
                .launch_compiled(
                    &kernel,
                    1u32.into(),
                    &mut [
                        Arg::from(&x),
                        Arg::from(&mut out),
                        Arg::from(&mut cnt),
                        Arg::from(m as i32),
                    ],
                )
                .unwrap();
            for k in 0..lanes as usize {
                let want = (0..m).fold(0.0f32, |a, j| a + x[j * lanes as usize + k]);
                assert_eq!(out[k], want, "L={lanes} m={m} lane {k}");
            }
            assert_eq!(cnt[0], (0..m as i64).sum::<i64>());
        }
    }
}

/// A loop ending at the type's maximum terminates (no overflow of `iv + step`),
/// and unsigned loop bounds compare unsigned.
#[test]
fn loops_near_the_integer_limits_terminate() {
    for (d, lo, hi, step, trips) in [
        (Dtype::I32, i32::MAX as i64 - 5, i32::MAX as i64, 2i64, 3i64),
        (Dtype::U8, 250, 255, 1, 5),
        (Dtype::U32, 1, 0xFFFF_FFF0, 0x4000_0000, 4),
        (Dtype::I8, -128, 127, 100, 3),
    ] {
        let mut f = lowered("trips", vec![ptr_param("out", Dtype::I32, true)], 4, 0);
        {
            let mut b = Builder::new(&mut f);
            let out = b.func.param_value(0);
            let (lo, hi, step) = (b.const_int(lo, d), b.const_int(hi, d), b.const_int(step, d));
            let z = b.const_i32(0);
            let n = b
                .for_loop(lo, hi, step, &[z], |b, _, c| {
                    let one = b.const_i32(1);
                    Ok(vec![b.op(Opcode::Add, &[c[0], one])])
                })
                .unwrap();
            b.store(out, n[0], None, Some(0));
            ret(&mut b);
        }
        let engine = Engine::jit();
        let k = engine.compile_ir(&f).unwrap();
        let mut out = vec![0i32];
        engine
            .launch_compiled(&k, 1u32.into(), &mut [Arg::from(&mut out)])
            .unwrap();
        assert_eq!(out[0] as i64, trips, "{d} {lo}..{hi} step {step}");
    }
}

/// `if` yielding a vector and a scalar, chosen per program instance.
#[test]
fn if_else_yields_vectors_and_scalars() {
    for lanes in [1u32, 4, 16] {
        let params = vec![
            ptr_param("x", Dtype::I32, false),
            ptr_param("out", Dtype::I32, true),
        ];
        let mut f = lowered("branch", params, lanes, 0);
        {
            let mut b = Builder::new(&mut f);
            let (x, out) = (b.func.param_value(0), b.func.param_value(1));
            let (offs, _) = {
                let n = b.const_i32(i32::MAX);
                b.block_offsets(lanes, n)
            };
            let px = b.ptrs(x, offs);
            let v = b.load(px, None, None, Some(0));
            let pid = b.pid(0);
            let two = b.const_i32(2);
            let parity = b.op(Opcode::Rem, &[pid, two]);
            let zero = b.const_i32(0);
            let even = b.cmp(CmpPred::Eq, parity, zero).unwrap();
            let vt = Type::tile(Elem::Val(Dtype::I32), &[lanes]);
            let res = b
                .if_else(
                    even,
                    vec![vt, Type::scalar(Dtype::I32)],
                    |b| {
                        let k = b.const_i32(2);
                        let kv = b.splat(k, &[lanes])?;
                        Ok(vec![b.op(Opcode::Mul, &[v, kv]), b.const_i32(100)])
                    },
                    |b| {
                        let k = b.const_i32(1);
                        let kv = b.splat(k, &[lanes])?;
                        Ok(vec![b.op(Opcode::Add, &[v, kv]), b.const_i32(-100)])
                    },
                )
                .unwrap();
            let sv = b.splat(res[1], &[lanes]).unwrap();
            let sum = b.op(Opcode::Add, &[res[0], sv]);
            let po = b.ptrs(out, offs);
            b.store(po, sum, None, Some(1));
            ret(&mut b);
        }
        let engine = Engine::jit();
        let k = engine.compile_ir(&f).unwrap();
        let n = 6 * lanes as usize;
        let x: Vec<i32> = (0..n as i32).map(|i| i * 7 - 20).collect();
        let mut out = vec![0i32; n];
        engine
            .launch_compiled(&k, 6u32.into(), &mut [Arg::from(&x), Arg::from(&mut out)])
            .unwrap();
        for i in 0..n {
            let pid = i / lanes as usize;
            let want = if pid.is_multiple_of(2) {
                x[i] * 2 + 100
            } else {
                x[i] + 1 - 100
            };
            assert_eq!(out[i], want, "L={lanes} i={i}");
        }
    }
}

/// Build `while` by hand: before-region (carried values) → condition;
/// after-region → yield.
fn build_while(
    b: &mut Builder,
    inits: &[Value],
    before: impl FnOnce(&mut Builder, &[Value]) -> (Value, Vec<Value>),
    after: impl FnOnce(&mut Builder, &[Value]) -> Vec<Value>,
) -> Vec<Value> {
    let types: Vec<Type> = inits.iter().map(|&v| b.func.ty(v).clone()).collect();
    let before_b: Block = b.func.new_block();
    let after_b: Block = b.func.new_block();
    let bargs: Vec<Value> = types
        .iter()
        .map(|t| b.func.add_block_arg(before_b, t.clone()))
        .collect();
    let aargs: Vec<Value> = types
        .iter()
        .map(|t| b.func.add_block_arg(after_b, t.clone()))
        .collect();
    let op = b
        .build(Opcode::While, inits, Attrs::new(), &[before_b, after_b])
        .unwrap();
    let here = b.block();
    b.switch_to(before_b);
    let (c, fwd) = before(b, &bargs);
    let mut ops = vec![c];
    ops.extend(fwd);
    b.build(Opcode::Condition, &ops, Attrs::new(), &[]).unwrap();
    b.switch_to(after_b);
    let next = after(b, &aargs);
    b.build(Opcode::Yield, &next, Attrs::new(), &[]).unwrap();
    b.switch_to(here);
    b.func.op(op).results.to_vec()
}

/// Collatz steps with a `while` carrying a scalar and a vector.
#[test]
fn while_loop_carries_a_scalar_and_a_vector() {
    let lanes = 4;
    let params = vec![
        scalar_param("start", Dtype::I64),
        ptr_param("out", Dtype::I64, true),
    ];
    let mut f = lowered("collatz", params, lanes, 0);
    {
        let mut b = Builder::new(&mut f);
        let (start, out) = (b.func.param_value(0), b.func.param_value(1));
        let zero = b.const_int(0, Dtype::I64);
        let zv = b.splat(zero, &[lanes]).unwrap();
        let res = build_while(
            &mut b,
            &[start, zv],
            |b, a| {
                let one = b.const_int(1, Dtype::I64);
                (b.cmp(CmpPred::Ne, a[0], one).unwrap(), a.to_vec())
            },
            |b, a| {
                let two = b.const_int(2, Dtype::I64);
                let r = b.op(Opcode::Rem, &[a[0], two]);
                let zero = b.const_int(0, Dtype::I64);
                let even = b.cmp(CmpPred::Eq, r, zero).unwrap();
                let half = b.op(Opcode::Div, &[a[0], two]);
                let three = b.const_int(3, Dtype::I64);
                let t = b.op(Opcode::Mul, &[a[0], three]);
                let one = b.const_int(1, Dtype::I64);
                let t = b.op(Opcode::Add, &[t, one]);
                let next = b
                    .value(Opcode::Select, &[even, half, t], Attrs::new())
                    .unwrap();
                let ones = b.splat(one, &[lanes]).unwrap();
                let steps = b.op(Opcode::Add, &[a[1], ones]);
                vec![next, steps]
            },
        );
        let r = b.arange(0, lanes as i64);
        let po = b.ptrs(out, r);
        b.store(po, res[1], None, Some(1));
        ret(&mut b);
    }
    let engine = Engine::jit();
    let k = engine.compile_ir(&f).unwrap();
    for start in [1i64, 6, 27, 97] {
        let mut out = vec![0i64; 4];
        engine
            .launch_compiled(
                &k,
                1u32.into(),
                &mut [Arg::from(start), Arg::from(&mut out)],
            )
            .unwrap();
        let (mut v, mut steps) = (start, 0);
        while v != 1 {
            v = if v % 2 == 0 { v / 2 } else { 3 * v + 1 };
            steps += 1;
        }
        assert_eq!(out, vec![steps; 4], "start {start}");
    }
}

/// `reduce` sum/max/min over one vector per instance, lanes folded in order.
#[test]
fn reductions_fold_lanes_in_order() {
    for d in [
        Dtype::F32,
        Dtype::F64,
        Dtype::F16,
        Dtype::I32,
        Dtype::U8,
        Dtype::I64,
    ] {
        for lanes in [1u32, 4, 16] {
            let params = vec![ptr_param("x", d, false), ptr_param("out", d, true)];
            let mut f = lowered("reduce", params, lanes, 0);
            {
                let mut b = Builder::new(&mut f);
                let (x, out) = (b.func.param_value(0), b.func.param_value(1));
                let n = b.const_i32(i32::MAX);
                let (offs, _) = b.block_offsets(lanes, n);
                let px = b.ptrs(x, offs);
                let v = b.load(px, None, None, Some(0));
                let pid = b.pid(0);
                let three = b.const_i32(3);
                let slot = b.op(Opcode::Mul, &[pid, three]);
                for (k, kind) in [ReduceKind::Sum, ReduceKind::Max, ReduceKind::Min]
                    .into_iter()
                    .enumerate()
                {
                    let r = b.reduce(kind, v, 0).unwrap();
                    let kk = b.const_i32(k as i32);
                    let idx = b.op(Opcode::Add, &[slot, kk]);
                    let p = b.ptr_add(out, idx);
                    b.store(p, r, None, Some(1));
                }
                ret(&mut b);
            }
            let engine = Engine::jit();
            let k = engine.compile_ir(&f).unwrap();
            let programs = 5;
            let n = programs * lanes as usize;
            let mut rng = Rng::new(lanes as u64);
            let mut x = Buffer::zeroed(d, n);
            for i in 0..n {
                let bits = if d.is_float() {
                    model::fbits(d, rng.f64_in(-4.0, 4.0))
                } else {
                    model::random_bits(&mut rng, d)
                };
                x.set(i, bits);
            }
            let mut out = Buffer::zeroed(d, programs * 3);
            engine
                .launch_compiled(&k, (programs as u32).into(), &mut [x.arg(), out.arg_mut()])
                .unwrap();
            for p in 0..programs {
                let lanes_v: Vec<u64> = (0..lanes as usize)
                    .map(|i| x.get(p * lanes as usize + i))
                    .collect();
                for (kidx, op) in [Opcode::Add, Opcode::Maximum, Opcode::Minimum]
                    .into_iter()
                    .enumerate()
                {
                    let want = lanes_v[1..]
                        .iter()
                        .fold(lanes_v[0], |a, &b| model::binary(op, d, a, b));
                    let got = out.get(p * 3 + kidx);
                    assert!(
                        model::same(d, want, got),
                        "{op:?} {d} L={lanes} program {p}: got {} want {}",
                        model::describe(d, got),
                        model::describe(d, want)
                    );
                }
            }
        }
    }
}

use common::model;

/// Local buffers: vectors stored at element 0 and L, read back at an
/// unaligned index (1), scalars read and written at arbitrary indices;
/// for f32, f16 (16-bit storage) and i1 (byte storage) elements.
#[test]
fn local_buffers_round_trip_vectors_and_scalars() {
    for lanes in [1u32, 4, 16] {
        for d in [Dtype::F32, Dtype::F16, Dtype::I1, Dtype::I64] {
            let size = d.size_bytes() as u64;
            let local_mem = (2 * lanes as u64 * size).div_ceil(64) * 64;
            let params = vec![ptr_param("x", d, false), ptr_param("out", d, true)];
            let mut f: Function = lowered("bufs", params, lanes, local_mem);
            {
                let mut b = Builder::new(&mut f);
                let (x, out) = (b.func.param_value(0), b.func.param_value(1));
                let attrs = Attrs::new()
                    .with("ty", Attr::Type(Type::buf(Elem::Val(d), 2 * lanes)))
                    .with("offset", Attr::Int(0));
                let buf = b.value(Opcode::Alloc, &[], attrs).unwrap();
                let r = b.arange(0, lanes as i64);
                let l = b.const_i32(lanes as i32);
                let lv = b.splat(l, &[lanes]).unwrap();
                let r2 = b.op(Opcode::Add, &[r, lv]);
                let p0 = b.ptrs(x, r);
                let v0 = b.load(p0, None, None, Some(0));
                let p1 = b.ptrs(x, r2);
                let v1 = b.load(p1, None, None, Some(0));
                let i0 = b.const_i32(0);
                b.build(Opcode::BufStore, &[buf, i0, v0], Attrs::new(), &[])
                    .unwrap();
                b.build(Opcode::BufStore, &[buf, l, v1], Attrs::new(), &[])
                    .unwrap();
                let i1 = b.const_i32(1);
                let w = b
                    .value(
                        Opcode::BufLoad,
                        &[buf, i1],
                        Attrs::new().with("lanes", Attr::Int(lanes as i64)),
                    )
                    .unwrap();
                let po = b.ptrs(out, r);
                b.store(po, w, None, Some(1));
                // out[L] = buf[2L-1] (scalar), buf[0] = that, out[L+1] = buf[0]
                let last = b.const_i32(2 * lanes as i32 - 1);
                let s = b
                    .value(
                        Opcode::BufLoad,
                        &[buf, last],
                        Attrs::new().with("lanes", Attr::Int(0)),
                    )
                    .unwrap();
                let ps = b.ptr_add(out, l);
                b.store(ps, s, None, Some(1));
                b.build(Opcode::BufStore, &[buf, i0, s], Attrs::new(), &[])
                    .unwrap();
                let s2 = b
                    .value(
                        Opcode::BufLoad,
                        &[buf, i0],
                        Attrs::new().with("lanes", Attr::Int(0)),
                    )
                    .unwrap();
                let lp1 = b.op(Opcode::Add, &[l, i1]);
                let ps2 = b.ptr_add(out, lp1);
                b.store(ps2, s2, None, Some(1));
                ret(&mut b);
            }
            let engine = Engine::jit();
            let k = engine.compile_ir(&f).unwrap();
            let n = 2 * lanes as usize;
            let mut rng = Rng::new(7);
            let mut x = Buffer::zeroed(d, n);
            for i in 0..n {
                x.set(i, model::random_bits(&mut rng, d));
            }
            let mut out = Buffer::zeroed(d, lanes as usize + 2);
            engine
                .launch_compiled(&k, 1u32.into(), &mut [x.arg(), out.arg_mut()])
                .unwrap();
            for i in 0..lanes as usize {
                assert!(
                    model::same(d, out.get(i), x.get(i + 1)),
                    "{d} L={lanes} lane {i}"
                );
            }
            assert!(model::same(d, out.get(lanes as usize), x.get(n - 1)));
            assert!(model::same(d, out.get(lanes as usize + 1), x.get(n - 1)));
        }
    }
}

/// Integer division and remainder by zero, and `MIN / -1`, never trap, on
/// scalars and vectors of every integer type; `MIN / -1` wraps to `MIN`.
#[test]
fn integer_division_by_zero_does_not_trap() {
    for d in [
        Dtype::I8,
        Dtype::I16,
        Dtype::I32,
        Dtype::I64,
        Dtype::U8,
        Dtype::U32,
        Dtype::U64,
    ] {
        for lanes in [0u32, 4, 16] {
            let params = vec![
                ptr_param("a", d, false),
                ptr_param("b", d, false),
                ptr_param("q", d, true),
                ptr_param("r", d, true),
                scalar_param("n", Dtype::I32),
            ];
            let mut f = lowered("div0", params, lanes.max(1), 0);
            {
                let mut b = Builder::new(&mut f);
                let n = b.func.param_value(4);
                let (offs, mask) = b.block_offsets(lanes, n);
                let pa = b.func.param_value(0);
                let pa = b.ptrs(pa, offs);
                let va = b.load(pa, Some(mask), None, Some(0));
                let pb = b.func.param_value(1);
                let pb = b.ptrs(pb, offs);
                let vb = b.load(pb, Some(mask), None, Some(1));
                let q = b.op(Opcode::Div, &[va, vb]);
                let r = b.op(Opcode::Rem, &[va, vb]);
                let pq = b.func.param_value(2);
                let pq = b.ptrs(pq, offs);
                b.store(pq, q, Some(mask), Some(2));
                let pr = b.func.param_value(3);
                let pr = b.ptrs(pr, offs);
                b.store(pr, r, Some(mask), Some(3));
                ret(&mut b);
            }
            let engine = Engine::jit();
            let k = engine.compile_ir(&f).unwrap();
            let n = 32;
            let min = if d.is_signed_int() {
                1u64 << (d.bits() - 1)
            } else {
                0
            };
            let minus_one = model::int_bits(d, -1);
            let mut a = Buffer::zeroed(d, n);
            let mut bb = Buffer::zeroed(d, n);
            for i in 0..n {
                a.set(
                    i,
                    if i % 2 == 0 {
                        min
                    } else {
                        model::int_bits(d, 77 + i as i128)
                    },
                );
                bb.set(i, if i % 4 < 2 { 0 } else { minus_one });
            }
            let mut q = Buffer::zeroed(d, n);
            let mut r = Buffer::zeroed(d, n);
            engine
                .launch_compiled(
                    &k,
                    blocks(n, lanes).into(),
                    &mut [
                        a.arg(),
                        bb.arg(),
                        q.arg_mut(),
                        r.arg_mut(),
                        Arg::from(n as i32),
                    ],
                )
                .unwrap();
            for i in 0..n {
                if bb.get(i) == minus_one && d.is_signed_int() {
                    // Well defined: wrapping division.
                    assert_eq!(
                        q.get(i),
                        model::int_bits(d, model::int_val(d, a.get(i)).wrapping_neg()),
                        "{d} L={lanes} i={i}"
                    );
                    assert_eq!(r.get(i), 0);
                }
            }
        }
    }
}
