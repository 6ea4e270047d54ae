//! Every elementwise op of lowered IR, on every dtype it is defined for, at
//! scalar (rank 0) and vector lengths L = 1, 4 and 16, against the plain-Rust
//! model in `common::model`, on random data with masked tails.

mod common;

use common::model;
use common::*;
use persim_lang::ir::{Attrs, Builder, CmpPred, Dtype, Opcode, Value};

/// 0 stands for rank-0 scalars; 2, 3 and 8 exercise the other layouts
/// (i64x2 masks, scalar lanes, two registers per vector).
const LANES: [u32; 7] = [0, 1, 2, 3, 4, 8, 16];
/// Not a multiple of any lane count: the last block is partly masked.
const N: usize = 37;

/// Builds an op's result from the two loaded operands.
type BuildFn = dyn Fn(&mut Builder, Value, Value) -> Value;

/// One op under test: `out = build(a, b)` of dtype `result`.
struct OpCase {
    name: String,
    result: Dtype,
    build: Box<BuildFn>,
}

impl OpCase {
    fn new(
        name: impl Into<String>,
        result: Dtype,
        build: impl Fn(&mut Builder, Value, Value) -> Value + 'static,
    ) -> OpCase {
        OpCase {
            name: name.into(),
            result,
            build: Box::new(build),
        }
    }
}

/// Build one kernel computing `out_k = case_k(a, b)` for every case, run it
/// over `N` random elements of `d`, and compare each lane with
/// `reference(k, a, b)`. `nonzero_b` keeps integer divisors nonzero.
fn check_kernel(
    d: Dtype,
    lanes: u32,
    seed: u64,
    cases: &[OpCase],
    reference: &dyn Fn(usize, u64, u64) -> u64,
    nonzero_b: bool,
) {
    let mut params = vec![ptr_param("a", d, false), ptr_param("b", d, false)];
    for (k, c) in cases.iter().enumerate() {
        params.push(ptr_param(&format!("out{k}"), c.result, true));
    }
    params.push(scalar_param("n", Dtype::I32));
    let n_index = params.len() - 1;
    let mut f = lowered("ew", params, lanes.max(1), 0);
    {
        let mut b = Builder::new(&mut f);
        let n = b.func.param_value(n_index);
        let (offs, mask) = b.block_offsets(lanes, n);
        let pa = b.func.param_value(0);
        let pa = b.ptrs(pa, offs);
        let va = b.load(pa, Some(mask), None, Some(0));
        let pb = b.func.param_value(1);
        let pb = b.ptrs(pb, offs);
        let vb = b.load(pb, Some(mask), None, Some(1));
        for (k, c) in cases.iter().enumerate() {
            let r = (c.build)(&mut b, va, vb);
            let po = b.func.param_value(2 + k);
            let po = b.ptrs(po, offs);
            b.store(po, r, Some(mask), Some(2 + k as i64));
        }
        b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    }
    let engine = engine();
    let kernel = engine
        .compile_ir(&f)
        .unwrap_or_else(|e| panic!("{d} L={lanes}: {e}"));
    let mut rng = Rng::new(seed);
    let mut a = Buffer::zeroed(d, N);
    let mut bb = Buffer::zeroed(d, N);
    for i in 0..N {
        a.set(i, model::random_bits(&mut rng, d));
        let mut y = model::random_bits(&mut rng, d);
        while nonzero_b && !d.is_float() && model::int_val(d, y) == 0 {
            y = model::random_bits(&mut rng, d);
        }
        bb.set(i, y);
    }
    let mut outs: Vec<Buffer> = cases.iter().map(|c| Buffer::zeroed(c.result, N)).collect();
    {
        let mut args = vec![a.arg(), bb.arg()];
        args.extend(outs.iter_mut().map(|o| o.arg_mut()));
        args.push(scalar_arg(Dtype::I32, N as u64));
        engine
            .launch_compiled(&kernel, blocks(N, lanes).into(), &mut args)
            .unwrap();
    }
    for (k, c) in cases.iter().enumerate() {
        for i in 0..N {
            let want = reference(k, a.get(i), bb.get(i));
            let got = outs[k].get(i);
            assert!(
                model::same(c.result, want, got),
                "{} on {d}, L={lanes}, lane {i}: {} ∘ {} = {}, want {}",
                c.name,
                model::describe(d, a.get(i)),
                model::describe(d, bb.get(i)),
                model::describe(c.result, got),
                model::describe(c.result, want),
            );
        }
    }
}

fn binary_ops(d: Dtype) -> Vec<Opcode> {
    use Opcode::*;
    if d == Dtype::I1 {
        return vec![And, Or, Xor];
    }
    let mut ops = vec![Add, Sub, Mul, Div, Rem, Maximum, Minimum];
    if !d.is_float() {
        ops.extend([And, Or, Xor, Shl, Shr]);
    }
    ops
}

#[test]
fn binary_ops_match_the_model() {
    for (seed, d) in Dtype::ALL.into_iter().enumerate() {
        let opcodes = binary_ops(d);
        for lanes in LANES {
            let cases: Vec<OpCase> = opcodes
                .iter()
                .map(|&op| OpCase::new(op.name(), d, move |b, x, y| b.binary(op, x, y).unwrap()))
                .collect();
            check_kernel(
                d,
                lanes,
                seed as u64,
                &cases,
                &|k, x, y| model::binary(opcodes[k], d, x, y),
                true,
            );
        }
    }
}

/// Shifts by a splatted scalar amount (the native vector shift path), with
/// amounts beyond the bit width (taken modulo the width).
#[test]
fn shifts_by_a_uniform_amount_match_the_model() {
    for d in [
        Dtype::I8,
        Dtype::U8,
        Dtype::I16,
        Dtype::U16,
        Dtype::I32,
        Dtype::U32,
        Dtype::I64,
        Dtype::U64,
    ] {
        for lanes in [4u32, 16] {
            let params = vec![
                ptr_param("a", d, false),
                ptr_param("shl", d, true),
                ptr_param("shr", d, true),
                scalar_param("s", d),
            ];
            let mut f = lowered("shifts", params, lanes, 0);
            {
                let mut b = Builder::new(&mut f);
                let n = b.const_i32(i32::MAX);
                let (offs, _) = b.block_offsets(lanes, n);
                let pa = b.func.param_value(0);
                let pa = b.ptrs(pa, offs);
                let va = b.load(pa, None, None, Some(0));
                let s = b.func.param_value(3);
                let sv = b.splat(s, &[lanes]).unwrap();
                for (k, op) in [Opcode::Shl, Opcode::Shr].into_iter().enumerate() {
                    let r = b.binary(op, va, sv).unwrap();
                    let po = b.func.param_value(1 + k);
                    let po = b.ptrs(po, offs);
                    b.store(po, r, None, Some(1 + k as i64));
                }
                b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
            }
            let engine = engine();
            let kernel = engine.compile_ir(&f).unwrap();
            let n = 2 * lanes as usize;
            let mut rng = Rng::new(11);
            let mut a = Buffer::zeroed(d, n);
            for i in 0..n {
                a.set(i, model::random_bits(&mut rng, d));
            }
            for amount in [0u64, 1, 3, d.bits() as u64 - 1, d.bits() as u64 + 2] {
                let mut shl = Buffer::zeroed(d, n);
                let mut shr = Buffer::zeroed(d, n);
                engine
                    .launch_compiled(
                        &kernel,
                        2u32.into(),
                        &mut [
                            a.arg(),
                            shl.arg_mut(),
                            shr.arg_mut(),
                            scalar_arg(d, model::int_bits(d, amount as i128)),
                        ],
                    )
                    .unwrap();
                for i in 0..n {
                    let amt = model::int_bits(d, amount as i128);
                    assert_eq!(
                        shl.get(i),
                        model::binary(Opcode::Shl, d, a.get(i), amt),
                        "shl {d} L={lanes} by {amount}"
                    );
                    assert_eq!(
                        shr.get(i),
                        model::binary(Opcode::Shr, d, a.get(i), amt),
                        "shr {d} L={lanes} by {amount}"
                    );
                }
            }
        }
    }
}

#[test]
fn unary_ops_match_the_model() {
    use Opcode::*;
    for (seed, d) in Dtype::ALL.into_iter().enumerate() {
        let opcodes: Vec<Opcode> = match d {
            Dtype::I1 => vec![Not],
            d if d.is_float() => vec![Neg, Abs, Exp, Log, Sqrt],
            d if d.is_signed_int() => vec![Neg, Not, Abs],
            _ => vec![Not, Abs],
        };
        for lanes in LANES {
            let cases: Vec<OpCase> = opcodes
                .iter()
                .map(|&op| OpCase::new(op.name(), d, move |b, x, _| b.unary(op, x).unwrap()))
                .collect();
            check_kernel(
                d,
                lanes,
                100 + seed as u64,
                &cases,
                &|k, x, _| model::unary(opcodes[k], d, x),
                false,
            );
        }
    }
}

#[test]
fn compares_and_select_match_the_model() {
    for (seed, d) in Dtype::ALL.into_iter().enumerate() {
        for lanes in LANES {
            let mut cases: Vec<OpCase> = CmpPred::ALL
                .iter()
                .map(|&p| {
                    OpCase::new(format!("cmp {}", p.name()), Dtype::I1, move |b, x, y| {
                        b.cmp(p, x, y).unwrap()
                    })
                })
                .collect();
            cases.push(OpCase::new("select(a < b, a, b)", d, |b, x, y| {
                let c = b.cmp(CmpPred::Lt, x, y).unwrap();
                b.value(Opcode::Select, &[c, x, y], Attrs::new()).unwrap()
            }));
            // A mask through `not` and `and` (mask plumbing).
            cases.push(OpCase::new(
                "select(!(a == b) & (a >= b), a, b)",
                d,
                |b, x, y| {
                    let eq = b.cmp(CmpPred::Eq, x, y).unwrap();
                    let ne = b.unary(Opcode::Not, eq).unwrap();
                    let ge = b.cmp(CmpPred::Ge, x, y).unwrap();
                    let c = b.binary(Opcode::And, ne, ge).unwrap();
                    b.value(Opcode::Select, &[c, x, y], Attrs::new()).unwrap()
                },
            ));
            let preds = CmpPred::ALL.len();
            let reference = |k: usize, x: u64, y: u64| {
                if k < preds {
                    model::cmp(CmpPred::ALL[k], d, x, y) as u64
                } else if k == preds {
                    if model::cmp(CmpPred::Lt, d, x, y) {
                        x
                    } else {
                        y
                    }
                } else if !model::cmp(CmpPred::Eq, d, x, y) && model::cmp(CmpPred::Ge, d, x, y) {
                    x
                } else {
                    y
                }
            };
            check_kernel(d, lanes, 200 + seed as u64, &cases, &reference, false);
        }
    }
}

#[test]
fn casts_between_all_dtypes_match_the_model() {
    for (seed, from) in Dtype::ALL.into_iter().enumerate() {
        for lanes in LANES {
            let cases: Vec<OpCase> = Dtype::ALL
                .iter()
                .map(|&to| {
                    OpCase::new(format!("cast to {to}"), to, move |b, x, _| {
                        b.cast(x, to).unwrap()
                    })
                })
                .collect();
            check_kernel(
                from,
                lanes,
                300 + seed as u64,
                &cases,
                &|k, x, _| model::cast(from, Dtype::ALL[k], x),
                false,
            );
        }
    }
}
