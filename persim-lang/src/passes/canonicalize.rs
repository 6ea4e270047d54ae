//! Canonicalization: constant folding, algebraic identities and control-flow
//! simplification, repeated until nothing changes.
//!
//! - **Folding**: an elementwise op whose operands are all constants (a
//!   scalar `const`, or a `splat` of one) becomes a constant (or a splat of
//!   one). Element semantics come from the interpreter's
//!   [`crate::interp::numeric`], so folding can never disagree with the
//!   executable specification.
//! - **Identities**: `x + 0`, `x - 0`, `x * 1`, `x / 1` (floats only where
//!   IEEE makes them exact identities: `x * 1.0`, `x / 1.0`, `x - 0.0`,
//!   `x + -0.0`), `x & true`, `x | false`, `x & x`, `x | x`, integer
//!   `x * 0`, `select(c, a, a)`, `select` on a constant condition, casts to
//!   the same type, `broadcast`/`reshape` to the same shape, identity `trans`.
//! - **Checks**: `assert` and `assume` of a constant-true condition go.
//! - **Masks**: a load, store or atomic with a constant mask loses the mask
//!   (all-true) or its memory access (all-false).
//! - **Copies**: a `copy_in` or `copy_out` of a constant `count <= 0` (or,
//!   2-D, `rows <= 0`) copies nothing: it goes (a peeled last iteration's
//!   prefetch of the step after it).
//! - **Control flow**: `if` on a constant condition is replaced by the taken
//!   branch; a `for` with constant bounds that runs zero times is replaced by
//!   its initial values, one that runs once by its body.

use crate::interp::numeric;
use crate::interp::value::Scalar;
use crate::ir::{Attr, Attrs, Block, Builder, Dtype, Function, Op, Opcode, Type, Value};

/// Rounds of rewriting before giving up on a fixpoint (each round is linear).
const MAX_ROUNDS: usize = 16;

pub fn canonicalize(f: &mut Function) {
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for op in f.all_ops() {
            if f.op(op).parent.is_none() {
                continue; // removed earlier in this round
            }
            changed |= simplify(f, op);
        }
        if !changed {
            return;
        }
    }
}

/// An integer constant (as [`constant_of`] sees it) that fits an `i64`.
pub(crate) fn int_constant(f: &Function, v: Value) -> Option<i64> {
    match constant_of(f, v)? {
        (Scalar::Int(i), _) => i64::try_from(i).ok(),
        _ => None,
    }
}

/// A constant seen through `splat`/`broadcast`/`expand_dims`/`reshape`.
pub(crate) fn constant_of(f: &Function, v: Value) -> Option<(Scalar, Dtype)> {
    let op = f.def_op(v)?;
    let d = f.op(op);
    match d.opcode {
        Opcode::Const => {
            let dt = d.attrs.dtype("ty")?;
            Some((numeric::constant(dt, d.attrs.get("value")?).ok()?, dt))
        }
        Opcode::Splat | Opcode::Broadcast | Opcode::ExpandDims | Opcode::Reshape => {
            constant_of(f, d.operands[0])
        }
        _ => None,
    }
}

fn is_const(f: &Function, v: Value, want: f64) -> bool {
    match constant_of(f, v) {
        Some((Scalar::Int(i), _)) => i as f64 == want,
        Some((Scalar::Float(x), _)) => {
            x == want && (want != 0.0 || x.is_sign_negative() == want.is_sign_negative())
        }
        _ => false,
    }
}

fn simplify(f: &mut Function, op: Op) -> bool {
    let data = f.op(op).clone();
    let result = data.results.first().copied();
    if let Some(r) = result {
        if data.opcode.is_elementwise() || data.opcode == Opcode::Select {
            if let Some(c) = fold(f, op) {
                let v = materialize(f, op, c, f.ty(r).clone());
                return replace(f, op, &[v]);
            }
        }
        if let Some(v) = identity(f, &data.opcode, &data.operands, &data.attrs, r) {
            return replace(f, op, &[v]);
        }
    }
    match data.opcode {
        Opcode::Load | Opcode::Store => simplify_masked(f, op),
        o if atomic_mask_index(o).is_some() => simplify_masked(f, op),
        Opcode::If => simplify_if(f, op),
        Opcode::For => simplify_for(f, op),
        Opcode::Assert | Opcode::Assume => simplify_check(f, op),
        Opcode::CopyIn | Opcode::CopyOut => simplify_copy(f, op),
        _ => false,
    }
}

/// An `assert` or `assume` of a condition that is constant true says
/// nothing: it goes.
fn simplify_check(f: &mut Function, op: Op) -> bool {
    match constant_of(f, f.op(op).operands[0]) {
        Some((Scalar::Int(c), _)) if c != 0 => {
            f.detach_op(op);
            true
        }
        _ => false,
    }
}

/// A block copy of a constant empty extent moves nothing: it goes.
fn simplify_copy(f: &mut Function, op: Op) -> bool {
    let operands = &f.op(op).operands;
    let empty = |i: usize| {
        operands
            .get(i)
            .and_then(|&v| constant_of(f, v))
            .is_some_and(|(c, _)| matches!(c, Scalar::Int(n) if n <= 0))
    };
    if empty(3) || empty(4) {
        f.detach_op(op);
        return true;
    }
    false
}

/// The constant an elementwise op computes, if all its operands are constant.
fn fold(f: &Function, op: Op) -> Option<Scalar> {
    let d = f.op(op);
    let consts: Vec<(Scalar, Dtype)> = d
        .operands
        .iter()
        .map(|&v| constant_of(f, v))
        .collect::<Option<_>>()?;
    let dt = consts.first()?.1;
    let out = match (d.opcode, consts.as_slice()) {
        (Opcode::Cast, [(x, from)]) => numeric::cast(*from, d.attrs.dtype("to")?, *x),
        (Opcode::Cmp, [(a, _), (b, _)]) => numeric::compare(d.attrs.pred()?, *a, *b),
        (Opcode::Select, [(c, _), (a, _), (b, _)]) => Ok(if c.as_int()? != 0 { *a } else { *b }),
        (Opcode::Fma, [(a, _), (b, _), (c, _)]) => numeric::fma(dt, *a, *b, *c),
        // Hints keep their operand (and their promise) even on constants.
        (Opcode::MultipleOf | Opcode::MaxContiguous, _) => return None,
        (op, [(a, _)]) => numeric::unary(op, dt, *a),
        (op, [(a, _), (b, _)]) => numeric::binary(op, dt, *a, *b),
        _ => return None,
    };
    out.ok().filter(|s| !s.is_undef())
}

/// A `const` (scalar) or `splat` of one (tile) with value `c`, placed before `op`.
pub(crate) fn materialize(f: &mut Function, op: Op, c: Scalar, ty: Type) -> Value {
    let dt = ty.dtype().expect("folded values are data, not pointers");
    let value = match c {
        Scalar::Int(i) if dt == Dtype::I1 => Attr::Bool(i != 0),
        Scalar::Int(i) => Attr::Int(i as i64),
        Scalar::Float(x) => Attr::Float(x),
        _ => unreachable!("fold yields only ints and floats"),
    };
    let (block, index) = position(f, op);
    let mut b = Builder::before(f, block, index);
    b.loc = b.func.op(op).loc;
    let attrs = Attrs::new()
        .with("value", value)
        .with("ty", Attr::Dtype(dt));
    let scalar = b
        .value(Opcode::Const, &[], attrs)
        .expect("constant of its own type");
    match ty.shape() {
        Some(s) if !s.is_empty() => b.splat(scalar, s).expect("splat of a scalar"),
        _ => scalar,
    }
}

fn identity(
    f: &Function,
    opcode: &Opcode,
    ops: &[Value],
    attrs: &Attrs,
    r: Value,
) -> Option<Value> {
    let ty = f.ty(r);
    let same = |v: Value| (f.ty(v) == ty).then_some(v);
    let float = ty.dtype().is_some_and(Dtype::is_float);
    let c = |v: Value, x: f64| is_const(f, v, x);
    match (opcode, ops) {
        (Opcode::Add, [x, y]) if !float && c(*y, 0.0) => same(*x),
        (Opcode::Add, [x, y]) if !float && c(*x, 0.0) => same(*y),
        (Opcode::Add, [x, y]) if float && c(*y, -0.0) => same(*x),
        (Opcode::Sub, [x, y]) if c(*y, 0.0) => same(*x),
        (Opcode::Mul, [x, y]) if c(*y, 1.0) => same(*x),
        (Opcode::Mul, [x, y]) if c(*x, 1.0) => same(*y),
        (Opcode::Mul, [_, y]) if !float && c(*y, 0.0) => same(*y),
        (Opcode::Mul, [x, _]) if !float && c(*x, 0.0) => same(*x),
        (Opcode::Div, [x, y]) if c(*y, 1.0) => same(*x),
        (Opcode::And | Opcode::Or, [x, y]) if x == y => same(*x),
        (Opcode::And, [x, y]) if ty.dtype() == Some(Dtype::I1) && c(*y, 1.0) => same(*x),
        (Opcode::And, [x, y]) if ty.dtype() == Some(Dtype::I1) && c(*x, 1.0) => same(*y),
        (Opcode::Or, [x, y]) if c(*y, 0.0) => same(*x),
        (Opcode::Or, [x, y]) if c(*x, 0.0) => same(*y),
        (Opcode::Select, [_, a, b]) if a == b => same(*a),
        (Opcode::Select, [cond, a, b]) => match constant_of(f, *cond) {
            Some((Scalar::Int(0), _)) => same(*b),
            Some((Scalar::Int(_), _)) => same(*a),
            _ => None,
        },
        (Opcode::Cast | Opcode::Broadcast | Opcode::Reshape, [x]) => same(*x),
        (Opcode::Trans, [x]) => {
            let perm = attrs.ints("perm")?;
            perm.iter()
                .enumerate()
                .all(|(i, &p)| p == i as i64)
                .then_some(*x)
        }
        _ => None,
    }
}

/// Where an atomic's optional mask sits.
fn atomic_mask_index(opcode: Opcode) -> Option<usize> {
    match opcode {
        Opcode::AtomicAdd | Opcode::AtomicMax | Opcode::AtomicMin | Opcode::AtomicXchg => Some(2),
        Opcode::AtomicCas => Some(3),
        _ => None,
    }
}

/// A load, store or atomic whose mask is constant: all-true drops the mask
/// (and `other`), an all-false store disappears and an all-false load
/// becomes its `other` value (zero when absent), an all-false atomic zero.
fn simplify_masked(f: &mut Function, op: Op) -> bool {
    let d = f.op(op);
    let atomic = atomic_mask_index(d.opcode).is_some();
    let mask_index = match d.opcode {
        Opcode::Load => 1,
        o => atomic_mask_index(o).unwrap_or(2),
    };
    let Some(&mask) = d.operands.get(mask_index) else {
        return false;
    };
    let all_true = match constant_of(f, mask) {
        Some((Scalar::Int(m), _)) => m != 0,
        _ => return false,
    };
    if all_true {
        f.ops[op].operands.truncate(mask_index);
        return true;
    }
    if d.opcode == Opcode::Store {
        f.detach_op(op);
        return true;
    }
    let result = d.results[0];
    let other = if atomic { None } else { d.operands.get(2) };
    let value = match other {
        Some(&other) => other,
        None => {
            let ty = f.ty(result).clone();
            let zero = if ty.dtype().is_some_and(Dtype::is_float) {
                Scalar::Float(0.0)
            } else {
                Scalar::Int(0)
            };
            materialize(f, op, zero, ty)
        }
    };
    replace(f, op, &[value])
}

fn simplify_if(f: &mut Function, op: Op) -> bool {
    let d = f.op(op);
    let taken = match constant_of(f, d.operands[0]) {
        Some((Scalar::Int(c), _)) => d.regions[if c != 0 { 0 } else { 1 }],
        _ => return false,
    };
    let yields = inline_block(f, op, taken, &[]);
    replace(f, op, &yields)
}

fn simplify_for(f: &mut Function, op: Op) -> bool {
    let d = f.op(op).clone();
    let (Some(lo), Some(hi), Some(step)) = (
        int_constant(f, d.operands[0]),
        int_constant(f, d.operands[1]),
        int_constant(f, d.operands[2]),
    ) else {
        return false;
    };
    let inits: Vec<Value> = d.operands[3..].to_vec();
    if step > 0 && lo >= hi {
        return replace(f, op, &inits);
    }
    if step > 0 && hi - lo <= step {
        let mut args = vec![d.operands[0]];
        args.extend(inits);
        let yields = inline_block(f, op, d.regions[0], &args);
        return replace(f, op, &yields);
    }
    false
}

/// Move the ops of `block` (a region of `op`) before `op`, binding the
/// block's arguments to `args`; returns the values its terminator yields.
fn inline_block(f: &mut Function, op: Op, block: Block, args: &[Value]) -> Vec<Value> {
    for (&arg, &v) in f.block_args(block).to_vec().iter().zip(args) {
        f.replace_uses(arg, v);
    }
    let ops = f.block_ops(block).to_vec();
    let (terminator, body) = ops.split_last().expect("regions end with a terminator");
    let yields = f.op(*terminator).operands.to_vec();
    let (parent, mut index) = position(f, op);
    for &o in body {
        f.detach_op(o);
        f.insert_op(parent, index, o);
        index += 1;
    }
    f.detach_op(*terminator);
    yields
}

fn position(f: &Function, op: Op) -> (Block, usize) {
    let block = f.op(op).parent.expect("op is placed");
    let index = f
        .block_ops(block)
        .iter()
        .position(|&o| o == op)
        .expect("op listed in its block");
    (block, index)
}

/// Replace `op`'s results with `values` and remove it.
fn replace(f: &mut Function, op: Op, values: &[Value]) -> bool {
    for (r, &v) in f.op(op).results.clone().iter().zip(values) {
        f.replace_uses(*r, v);
    }
    f.detach_op(op);
    true
}
