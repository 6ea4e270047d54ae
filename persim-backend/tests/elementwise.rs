//! Every elementwise op of lowered IR, on every dtype it is defined for, at
//! scalar (rank 0) and vector lengths L = 1, 4 and 16, against the plain-Rust
//! model in `common::model`, on random data with masked tails.

mod common;

use common::model;
use common::*;
use persim_lang::ir::{Builder, CmpPred, Dtype, Opcode};

const LANES: [u32; 4] = [0, 1, 4, 16];
/// Not a multiple of any lane count: the last block is partly masked.
const N: usize = 37;

/// Build `out_k = op_k(a, b)` for each op, run it, compare with the model.
/// `ops[k] = (name, result dtype, build)`.
#[allow(clippy::type_complexity)]
fn check_kernel(
    d: Dtype,
    lanes: u32,
    seed: u64,
    ops: &[(
        String,
        Dtype,
        &dyn Fn(
            &mut Builder,
            persim_lang::ir::Value,
            persim_lang::ir::Value,
        ) -> persim_lang::ir::Value,
    )],
    reference: &dyn Fn(usize, u64, u64) -> u64,
    nonzero_b: bool,
) {
    let mut params = vec![ptr_param("a", d, false), ptr_param("b", d, false)];
    for (k, (_, rd, _)) in ops.iter().enumerate() {
        params.push(ptr_param(&format!("out{k}"), *rd, true));
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
        for (k, (_, _, build)) in ops.iter().enumerate() {
            let r = build(&mut b, va, vb);
            let po = b.func.param_value(2 + k);
            let po = b.ptrs(po, offs);
            b.store(po, r, Some(mask), Some(2 + k as i64));
        }
        b.build(Opcode::Return, &[], Default::default(), &[])
            .unwrap();
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
    let mut outs: Vec<Buffer> = ops
        .iter()
        .map(|(_, rd, _)| Buffer::zeroed(*rd, N))
        .collect();
    {
        let mut args = vec![a.arg(), bb.arg()];
        args.extend(outs.iter_mut().map(|o| o.arg_mut()));
        args.push(scalar_arg(Dtype::I32, N as u64));
        engine
            .launch_compiled(&kernel, blocks(N, lanes).into(), &mut args)
            .unwrap();
    }
    for (k, (name, rd, _)) in ops.iter().enumerate() {
        for i in 0..N {
            let want = reference(k, a.get(i), bb.get(i));
            let got = outs[k].get(i);
            assert!(
                model::same(*rd, want, got),
                "{name} on {d}, L={lanes}, lane {i}: {} ∘ {} = {}, want {}",
                model::describe(d, a.get(i)),
                model::describe(d, bb.get(i)),
                model::describe(*rd, got),
                model::describe(*rd, want),
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
        for lanes in LANES {
            let opcodes = binary_ops(d);
            let builders: Vec<_> = opcodes
                .iter()
                .map(|&op| {
                    let build = move |b: &mut Builder, x, y| b.binary(op, x, y).unwrap();
                    (
                        op.name().to_string(),
                        d,
                        Box::new(build) as Box<dyn Fn(&mut Builder, _, _) -> _>,
                    )
                })
                .collect();
            let ops: Vec<_> = builders
                .iter()
                .map(|(n, d, f)| {
                    (
                        n.clone(),
                        *d,
                        f.as_ref() as &dyn Fn(&mut Builder, _, _) -> _,
                    )
                })
                .collect();
            check_kernel(
                d,
                lanes,
                seed as u64,
                &ops,
                &|k, x, y| model::binary(opcodes[k], d, x, y),
                true,
            );
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
            let builders: Vec<_> = opcodes
                .iter()
                .map(|&op| {
                    let build = move |b: &mut Builder, x, _y| b.unary(op, x).unwrap();
                    (
                        op.name().to_string(),
                        d,
                        Box::new(build) as Box<dyn Fn(&mut Builder, _, _) -> _>,
                    )
                })
                .collect();
            let ops: Vec<_> = builders
                .iter()
                .map(|(n, d, f)| {
                    (
                        n.clone(),
                        *d,
                        f.as_ref() as &dyn Fn(&mut Builder, _, _) -> _,
                    )
                })
                .collect();
            check_kernel(
                d,
                lanes,
                100 + seed as u64,
                &ops,
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
            let mut builders: Vec<(String, Dtype, Box<dyn Fn(&mut Builder, _, _) -> _>)> =
                CmpPred::ALL
                    .iter()
                    .map(|&p| {
                        let build = move |b: &mut Builder, x, y| b.cmp(p, x, y).unwrap();
                        (
                            format!("cmp {}", p.name()),
                            Dtype::I1,
                            Box::new(build) as Box<dyn Fn(&mut Builder, _, _) -> _>,
                        )
                    })
                    .collect();
            // select(a < b, a, b), and select over a mask that went through
            // and/not (mask plumbing).
            builders.push((
                "select".into(),
                d,
                Box::new(|b: &mut Builder, x, y| {
                    let c = b.cmp(CmpPred::Lt, x, y).unwrap();
                    b.value(Opcode::Select, &[c, x, y], Default::default())
                        .unwrap()
                }),
            ));
            builders.push((
                "select not(a == b) & (a >= b)".into(),
                d,
                Box::new(|b: &mut Builder, x, y| {
                    let eq = b.cmp(CmpPred::Eq, x, y).unwrap();
                    let ne = b.unary(Opcode::Not, eq).unwrap();
                    let ge = b.cmp(CmpPred::Ge, x, y).unwrap();
                    let c = b.binary(Opcode::And, ne, ge).unwrap();
                    b.value(Opcode::Select, &[c, x, y], Default::default())
                        .unwrap()
                }),
            ));
            let ops: Vec<_> = builders
                .iter()
                .map(|(n, d, f)| {
                    (
                        n.clone(),
                        *d,
                        f.as_ref() as &dyn Fn(&mut Builder, _, _) -> _,
                    )
                })
                .collect();
            check_kernel(
                d,
                lanes,
                200 + seed as u64,
                &ops,
                &|k, x, y| {
                    if k < CmpPred::ALL.len() {
                        model::cmp(CmpPred::ALL[k], d, x, y) as u64
                    } else if k == CmpPred::ALL.len() {
                        if model::cmp(CmpPred::Lt, d, x, y) {
                            x
                        } else {
                            y
                        }
                    } else if !model::cmp(CmpPred::Eq, d, x, y) && model::cmp(CmpPred::Ge, d, x, y)
                    {
                        x
                    } else {
                        y
                    }
                },
                false,
            );
        }
    }
}

#[test]
fn casts_between_all_dtypes_match_the_model() {
    for (seed, from) in Dtype::ALL.into_iter().enumerate() {
        for lanes in LANES {
            let builders: Vec<_> = Dtype::ALL
                .iter()
                .map(|&to| {
                    let build = move |b: &mut Builder, x, _y| b.cast(x, to).unwrap();
                    (
                        format!("cast to {to}"),
                        to,
                        Box::new(build) as Box<dyn Fn(&mut Builder, _, _) -> _>,
                    )
                })
                .collect();
            let ops: Vec<_> = builders
                .iter()
                .map(|(n, d, f)| {
                    (
                        n.clone(),
                        *d,
                        f.as_ref() as &dyn Fn(&mut Builder, _, _) -> _,
                    )
                })
                .collect();
            check_kernel(
                from,
                lanes,
                300 + seed as u64,
                &ops,
                &|k, x, _| model::cast(from, Dtype::ALL[k], x),
                false,
            );
        }
    }
}
