//! Loop unrolling (`unroll-loops`), for targets that schedule straight-line
//! code statically (`Target::unroll`: a VLIW core with exposed latencies).
//!
//! A lowered loop body is a short chain: load a vector, a few arithmetic
//! ops, store or accumulate. Scheduled one iteration at a time, every
//! iteration waits out the whole chain's latency and pays the loop's
//! compare and branch. Unrolled `k` times, the copies' independent work
//! fills each other's latency slots (the accumulator chain stays
//! sequential: values are carried copy to copy, so results do not change,
//! not even by rounding).
//!
//! A `for` is unrolled when its body holds no regions (innermost), at most
//! [`MAX_BODY_OPS`] ops, its bounds and step are constants and its trip
//! count is a multiple of the factor: the largest of `Target::unroll`,
//! `Target::unroll / 2`, ... that divides it (no remainder loop is needed,
//! which keeps the code one block). Copy `j` of the body sees the
//! induction variable plus `j · step` and the values copy `j - 1` yields.
//! The loop is marked `unrolled = k`, and marked loops are not unrolled
//! again (running the pass twice changes nothing).

use super::rewrite::{deep_copy, for_loops, position};
use crate::ir::{Attr, Attrs, Dtype, Function, Op, Opcode, Value};
use crate::target::Target;
use std::collections::HashMap;

/// Bodies longer than this are not copied (code size, register pressure).
pub const MAX_BODY_OPS: usize = 48;

pub fn unroll_loops(f: &mut Function, target: &Target) {
    if target.unroll < 2 {
        return;
    }
    let loops = for_loops(f);
    for lp in loops {
        if let Some((factor, step)) = plan(f, lp, target.unroll) {
            unroll(f, lp, factor, step);
        }
    }
}

/// `(factor, step)` if `lp` is unrolled.
fn plan(f: &Function, lp: Op, max_factor: u32) -> Option<(i64, i64)> {
    let d = f.op(lp);
    let k = |i: usize| -> Option<i64> {
        let c = f.op(f.def_op(*d.operands.get(i)?)?);
        (c.opcode == Opcode::Const).then(|| c.attrs.int("value"))?
    };
    let (lo, hi, step) = (k(0)?, k(1)?, k(2)?);
    let body = d.regions[0];
    let ops = f.block_ops(body);
    if step <= 0 || hi <= lo || ops.len() > MAX_BODY_OPS || d.attrs.get("unrolled").is_some() {
        return None;
    }
    let iv_is_i32 = f
        .block_args(body)
        .first()
        .is_some_and(|&iv| *f.ty(iv) == crate::ir::Type::scalar(Dtype::I32));
    let (&last, rest) = ops.split_last()?;
    let copyable = |o: &Op| {
        let d = f.op(*o);
        d.regions.is_empty() && d.opcode != Opcode::Alloc && !d.opcode.is_terminator()
    };
    if !iv_is_i32 || f.op(last).opcode != Opcode::Yield || !rest.iter().all(copyable) {
        return None;
    }
    let trips = (hi - lo + step - 1) / step;
    let mut factor = i64::from(max_factor);
    while factor >= 2 {
        let wide = step.checked_mul(factor)?;
        if trips % factor == 0 && i32::try_from(wide).is_ok() {
            return Some((factor, step));
        }
        factor /= 2;
    }
    None
}

fn unroll(f: &mut Function, lp: Op, factor: i64, step: i64) {
    let body = f.op(lp).regions[0];
    let args = f.block_args(body).to_vec();
    let ops = f.block_ops(body).to_vec();
    let (&yield_op, original) = ops.split_last().expect("a loop body ends in `yield`");
    let loc = f.op(lp).loc;
    let yielded: Vec<Value> = f.op(yield_op).operands.to_vec();
    let mut carried = yielded.clone();
    for j in 1..factor {
        let offset = const_i32(f, j * step, loc);
        f.insert_op(body, f.block_ops(body).len() - 1, offset.0);
        let iv = f.create_op(
            Opcode::Add,
            &[args[0], offset.1],
            Attrs::new(),
            &[],
            vec![f.ty(args[0]).clone()],
            loc,
        );
        f.insert_op(body, f.block_ops(body).len() - 1, iv);
        let mut map: HashMap<Value, Value> = HashMap::new();
        map.insert(args[0], f.op(iv).results[0]);
        for (&a, &v) in args[1..].iter().zip(&carried) {
            map.insert(a, v);
        }
        for &op in original {
            let copy = deep_copy(f, op, &mut map);
            f.insert_op(body, f.block_ops(body).len() - 1, copy);
        }
        carried = yielded.iter().map(|v| *map.get(v).unwrap_or(v)).collect();
    }
    f.ops[yield_op].operands = carried.into_iter().collect();
    // The loop now steps over `factor` iterations at a time.
    let parent = f.op(lp).parent.expect("a loop sits in a block");
    let at = position(f, parent, lp);
    let wide = const_i32(f, step * factor, loc);
    f.insert_op(parent, at, wide.0);
    f.ops[lp].operands[2] = wide.1;
    f.ops[lp].attrs.set("unrolled", Attr::Int(factor));
}

/// A detached `i32` constant op and its value.
pub(super) fn const_i32(f: &mut Function, value: i64, loc: crate::ir::Loc) -> (Op, Value) {
    let attrs = Attrs::new()
        .with("value", Attr::Int(value))
        .with("ty", Attr::Dtype(Dtype::I32));
    let op = f.create_op(
        Opcode::Const,
        &[],
        attrs,
        &[],
        vec![crate::ir::Type::scalar(Dtype::I32)],
        loc,
    );
    (op, f.op(op).results[0])
}
