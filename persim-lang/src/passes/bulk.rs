//! Block copies (`bulk-copies`), for targets that reach global memory
//! through a DMA engine (`Target::bulk_copies`).
//!
//! After lowering, a tile load is a loop over the tile's vectors, each a
//! `load` through `lanes` pointers. On a host that is what the hardware
//! does; behind a DMA engine every vector is a descriptor and an off-chip
//! round trip, so a 4 KiB row costs 64 round trips instead of one. This
//! pass finds the accesses of a `for` loop that walk contiguous memory and
//! moves each as one block:
//!
//! - a `load` becomes one `copy_in` into a new buffer before the loop and a
//!   `buf_load` (with a `select` of `other` for masked-off lanes) in it;
//! - a `store` becomes a `buf_store` into a new buffer in the loop and one
//!   `copy_out` after it.
//!
//! An access qualifies when it sits directly in the body of a `for` with
//! constant bounds whose step is the vector width, and, in iteration `iv`,
//! lane `l`
//! - its pointer is `splat(p) + (iv + c + l)` with `p` and `c` fixed for the
//!   whole loop (`c` an affine form of loop-invariant values, see
//!   `affine`), so the loop walks `p + c + lo ..` element by element;
//! - its mask is absent or compares such an index with a loop-invariant
//!   bound (`iv + c' + l < n`, or `<=`, `>`, `>=` with the sides swapped),
//!   so the active lanes of the whole loop are a prefix of the walk, whose
//!   length the copy computes: `clamp(n - c' - lo, 0, hi - lo)`.
//!
//! Moving a load before the loop or a store after it is sound only if no
//! other access of the loop may touch the same memory: a load qualifies if
//! no store or atomic of the loop may write its parameter's memory, a store
//! if no other global access of the loop may touch its parameter's memory;
//! an access whose parameter is unknown (no `arg`) conflicts with every
//! global access, and a loop with an op of unmodelled effects (a call) is
//! left alone. Different pointer parameters are assumed not to overlap, as
//! everywhere in persim (`access`). The index arithmetic is `i32` as in the
//! kernel; the walk is assumed not to wrap around 2³¹ (no memory persim
//! launches on is that large).
//!
//! The new buffers take local memory; a candidate is skipped when the
//! function would then need more than the target's local memory (before
//! `pack-buffers` shares bytes between buffers that are not live together).

use super::access::{accesses_in, Access};
use super::affine::{affine_index, defined_in, AffineIndex};
use super::rewrite::{for_loops, position, reserve_buffer, value, value_with};
use crate::ir::{
    Attr, Attrs, Block, Builder, CmpPred, Dtype, Effect, Elem, Function, Op, Opcode, Type, Value,
};
use crate::target::Target;
use std::collections::HashMap;

pub fn bulk_copies(f: &mut Function, target: &Target) {
    if !target.bulk_copies {
        return;
    }
    let loops = for_loops(f);
    for lp in loops {
        for plan in plan_loop(f, lp) {
            let bytes = u64::from(plan.len) * u64::from(plan.elem.size_bytes());
            if let Some(offset) = reserve_buffer(f, target, bytes) {
                apply(f, lp, &plan, offset);
            }
        }
    }
    gathers_into_buffers(f);
}

/// Every vector `load` whose value only goes into a buffer by the
/// `buf_store` that follows it (pure ops in between) becomes one
/// `copy_gather` there: the DMA engine then moves the lanes into the
/// buffer directly, and consecutive gathers of contiguous lanes merge into
/// one transfer in the backend (pointer tiles read from buffers, which the
/// walk analysis above cannot see, are mostly row after row of contiguous
/// lanes).
fn gathers_into_buffers(f: &mut Function) {
    let mut uses: HashMap<Value, usize> = HashMap::new();
    for op in f.all_ops() {
        for &v in &f.op(op).operands {
            *uses.entry(v).or_default() += 1;
        }
    }
    for load in f.all_ops() {
        let d = f.op(load);
        if d.opcode != Opcode::Load || !matches!(f.ty(d.operands[0]).shape(), Some([_])) {
            continue;
        }
        let v = d.results[0];
        if uses.get(&v) != Some(&1) || f.ty(v).elem() == Elem::Val(Dtype::I1) {
            continue;
        }
        let Some(block) = d.parent else { continue };
        let ops = f.block_ops(block);
        let at = ops
            .iter()
            .position(|&o| o == load)
            .expect("op in its block");
        let Some(store) = ops[at + 1..]
            .iter()
            .copied()
            .find(|&o| f.op(o).opcode.effect() != Effect::Pure || f.op(o).operands.contains(&v))
        else {
            continue;
        };
        let sd = f.op(store);
        if sd.opcode != Opcode::BufStore || sd.operands[2] != v || sd.operands[..2].contains(&v) {
            continue;
        }
        let mut operands = vec![sd.operands[0], sd.operands[1]];
        operands.extend(d.operands.iter().copied());
        let attrs = match d.attrs.int("arg") {
            Some(a) => Attrs::new().with("arg", Attr::Int(a)),
            None => Attrs::new(),
        };
        let loc = d.loc;
        let pos = position(f, block, store);
        let gather = f.create_op(Opcode::CopyGather, &operands, attrs, &[], vec![], loc);
        f.insert_op(block, pos, gather);
        f.detach_op(store);
        f.detach_op(load);
    }
}

/// The contiguous walk of one access: element `iv + l` of the loop is at
/// `base + start + iv + l`; `limit` bounds the active ones.
struct Plan {
    access: Op,
    store: bool,
    elem: Elem,
    /// Elements the loop walks (`hi - lo`).
    len: u32,
    lo: i32,
    base: Value,
    /// `start` with the induction variable's coefficient dropped.
    start: AffineIndex,
    limit: Option<Limit>,
}

/// Lane `l` of iteration `iv` is active iff `iv + offset + l < bound`
/// (`<=` when `inclusive`).
struct Limit {
    offset: AffineIndex,
    bound: Value,
    inclusive: bool,
}

/// The vector `v` of a loop body as `lane0(iv) + lane · l`.
struct LaneForm {
    lane0: AffineIndex,
    lane: i32,
}

fn plan_loop(f: &Function, lp: Op) -> Vec<Plan> {
    let Some((lo, hi, step)) = const_bounds(f, lp) else {
        return Vec::new();
    };
    let body = f.op(lp).regions[0];
    let Some(&iv) = f.block_args(body).first() else {
        return Vec::new();
    };
    let accesses = accesses_in(f, body);
    if hi <= lo || accesses.iter().any(|a| matches!(a, Access::Opaque { .. })) {
        return Vec::new();
    }
    let Ok(len) = u32::try_from(hi - lo) else {
        return Vec::new();
    };
    let mut plans = Vec::new();
    for &op in f.block_ops(body) {
        let d = f.op(op);
        let store = match d.opcode {
            Opcode::Load => false,
            Opcode::Store => true,
            _ => continue,
        };
        let ptrs = d.operands[0];
        let (elem, width) = match f.ty(ptrs) {
            Type::Tile {
                elem: Elem::Ptr(dt),
                shape,
            } if shape.len() == 1 && *dt != Dtype::I1 => (Elem::Val(*dt), shape[0]),
            _ => continue,
        };
        if i64::from(width) != step || conflicts(f, &accesses, op, store) {
            continue;
        }
        let Some((base, start)) = contiguous_pointers(f, ptrs, iv, body) else {
            continue;
        };
        let mask = d.operands.get(if store { 2 } else { 1 }).copied();
        let limit = match mask {
            None => None,
            Some(m) => match prefix_limit(f, m, iv, body) {
                Some(l) => Some(l),
                None => continue,
            },
        };
        plans.push(Plan {
            access: op,
            store,
            elem,
            len,
            lo: lo as i32,
            base,
            start,
            limit,
        });
    }
    plans
}

/// `(lo, hi, step)` of a `for` with constant `i32` bounds and a positive step.
fn const_bounds(f: &Function, lp: Op) -> Option<(i64, i64, i64)> {
    let d = f.op(lp);
    let k = |i: usize| -> Option<i64> {
        let c = f.op(f.def_op(*d.operands.get(i)?)?);
        (c.opcode == Opcode::Const).then(|| c.attrs.int("value"))?
    };
    let (lo, hi, step) = (k(0)?, k(1)?, k(2)?);
    let fits = |x: i64| i32::try_from(x).is_ok();
    (step > 0 && fits(lo) && fits(hi)).then_some((lo, hi, step))
}

/// Whether another access of the loop may touch the memory of `op`'s
/// parameter in a way that forbids moving `op` out of the loop.
fn conflicts(f: &Function, accesses: &[Access], op: Op, store: bool) -> bool {
    let arg = f.op(op).attrs.int("arg");
    accesses.iter().any(|a| match *a {
        Access::Global {
            op: other,
            arg: other_arg,
            write,
        } => {
            other != op
                && (write || store)
                && (arg.is_none() || other_arg.is_none() || arg == other_arg)
        }
        Access::Local { .. } => false,
        Access::Opaque { .. } => true,
    })
}

/// `splat(p) + idx` with `p` fixed in the loop and lane `l` of `idx` equal
/// to `iv + start + l`: returns `(p, start)`.
fn contiguous_pointers(
    f: &Function,
    ptrs: Value,
    iv: Value,
    body: Block,
) -> Option<(Value, AffineIndex)> {
    let d = f.op(f.def_op(ptrs)?);
    if d.opcode != Opcode::PtrAdd {
        return None;
    }
    let splat = f.op(f.def_op(d.operands[0])?);
    let base = *splat.operands.first()?;
    if splat.opcode != Opcode::Splat || defined_in(f, base, body) {
        return None;
    }
    Some((base, walk_offset(f, d.operands[1], iv, body)?))
}

/// The form of `idx` without its `iv`, if lane `l` is `iv + c + l`.
fn walk_offset(f: &Function, idx: Value, iv: Value, body: Block) -> Option<AffineIndex> {
    let form = lane_form(f, idx, iv, body, 0)?;
    if form.lane != 1 || form.lane0.coef != 1 {
        return None;
    }
    Some(AffineIndex {
        coef: 0,
        ..form.lane0
    })
}

/// A mask whose active lanes, over the whole loop, are a prefix of the walk.
fn prefix_limit(f: &Function, mask: Value, iv: Value, body: Block) -> Option<Limit> {
    let d = f.op(f.def_op(mask)?);
    if d.opcode != Opcode::Cmp {
        return None;
    }
    let (lhs, rhs) = (d.operands[0], d.operands[1]);
    let (idx, bound, inclusive) = match d.attrs.pred()? {
        CmpPred::Lt => (lhs, rhs, false),
        CmpPred::Le => (lhs, rhs, true),
        CmpPred::Gt => (rhs, lhs, false),
        CmpPred::Ge => (rhs, lhs, true),
        _ => return None,
    };
    if f.ty(idx).elem() != Elem::Val(Dtype::I32) {
        return None;
    }
    let splat = f.op(f.def_op(bound)?);
    let bound = *splat.operands.first()?;
    if splat.opcode != Opcode::Splat || defined_in(f, bound, body) {
        return None;
    }
    Some(Limit {
        offset: walk_offset(f, idx, iv, body)?,
        bound,
        inclusive,
    })
}

/// Bounds the recursion on any input.
const MAX_DEPTH: u32 = 32;

/// `v` (an `i32` vector) as `lane0(iv) + lane · l`: built from `arange`,
/// `splat` of affine scalars, `add` and `sub`.
fn lane_form(f: &Function, v: Value, iv: Value, body: Block, depth: u32) -> Option<LaneForm> {
    if depth > MAX_DEPTH || f.ty(v).elem() != Elem::Val(Dtype::I32) {
        return None;
    }
    let d = f.op(f.def_op(v)?);
    match d.opcode {
        Opcode::Arange => Some(LaneForm {
            lane0: AffineIndex::constant(i32::try_from(d.attrs.int("lo")?).ok()?),
            lane: 1,
        }),
        Opcode::Splat => Some(LaneForm {
            lane0: affine_index(f, d.operands[0], iv, body)?,
            lane: 0,
        }),
        Opcode::Add | Opcode::Sub => {
            let sign = if d.opcode == Opcode::Add { 1 } else { -1 };
            let a = lane_form(f, d.operands[0], iv, body, depth + 1)?;
            let b = lane_form(f, d.operands[1], iv, body, depth + 1)?;
            Some(LaneForm {
                lane0: a.lane0.add(b.lane0, sign),
                lane: a.lane.wrapping_add(b.lane.wrapping_mul(sign)),
            })
        }
        _ => None,
    }
}

fn apply(f: &mut Function, lp: Op, plan: &Plan, offset: u64) {
    let outer = f.op(lp).parent.expect("a planned loop is in a block");
    let at = position(f, outer, lp);
    let body = f.op(lp).regions[0];
    let iv = f.block_args(body)[0];
    let access = f.op(plan.access).clone();
    let loc = access.loc;
    let arg_attrs = match access.attrs.int("arg") {
        Some(a) => Attrs::new().with("arg", Attr::Int(a)),
        None => Attrs::new(),
    };
    let buf_ty = Type::Buf {
        elem: plan.elem,
        len: plan.len,
    };

    // Before the loop: the buffer, the walk's first pointer and its length.
    let mut b = Builder::before(f, outer, at);
    b.loc = loc;
    let alloc_attrs = Attrs::new()
        .with("ty", Attr::Type(buf_ty.clone()))
        .with("offset", Attr::Int(offset as i64));
    let alloc = b.build_declared(Opcode::Alloc, &[], alloc_attrs, &[], vec![buf_ty]);
    let buf = b.func.op(alloc).results[0];
    let start = emit_form(&mut b, &plan.start, plan.lo);
    let first = value(&mut b, Opcode::PtrAdd, &[plan.base, start]);
    let count = match &plan.limit {
        None => b.const_i32(plan.len as i32),
        Some(limit) => {
            let before = emit_form(&mut b, &limit.offset, plan.lo);
            let mut left = value(&mut b, Opcode::Sub, &[limit.bound, before]);
            if limit.inclusive {
                let one = b.const_i32(1);
                left = value(&mut b, Opcode::Add, &[left, one]);
            }
            let zero = b.const_i32(0);
            let len = b.const_i32(plan.len as i32);
            let left = value(&mut b, Opcode::Maximum, &[left, zero]);
            value(&mut b, Opcode::Minimum, &[left, len])
        }
    };
    let zero_idx = b.const_i32(0);
    if !plan.store {
        b.build(
            Opcode::CopyIn,
            &[buf, zero_idx, first, count],
            arg_attrs.clone(),
            &[],
        )
        .expect("copy_in of a loaded buffer types");
    }

    // In the loop, where the access was: the buffer at `iv - lo`.
    let pos = position(f, body, plan.access);
    let mut b = Builder::before(f, body, pos);
    b.loc = loc;
    let idx = if plan.lo == 0 {
        iv
    } else {
        let lo = b.const_i32(plan.lo);
        value(&mut b, Opcode::Sub, &[iv, lo])
    };
    if plan.store {
        b.build(
            Opcode::BufStore,
            &[buf, idx, access.operands[1]],
            Attrs::new(),
            &[],
        )
        .expect("buf_store of a stored value types");
    } else {
        let width = match b.func.ty(access.results[0]).shape() {
            Some(&[w]) => w,
            _ => unreachable!("planned loads are vectors"),
        };
        let lanes = Attrs::new().with("lanes", Attr::Int(i64::from(width)));
        let mut loaded = value_with(&mut b, Opcode::BufLoad, &[buf, idx], lanes);
        if let Some(&mask) = access.operands.get(1) {
            let other = match access.operands.get(2) {
                Some(&o) => o,
                None => {
                    let Elem::Val(dt) = plan.elem else {
                        unreachable!("planned accesses move data")
                    };
                    let zero = if dt.is_float() {
                        b.const_float(0.0, dt)
                    } else {
                        b.const_int(0, dt)
                    };
                    let shape = Attrs::new().with("shape", Attr::Ints(vec![i64::from(width)]));
                    value_with(&mut b, Opcode::Splat, &[zero], shape)
                }
            };
            loaded = value(&mut b, Opcode::Select, &[mask, loaded, other]);
        }
        b.func.replace_uses(access.results[0], loaded);
    }
    f.detach_op(plan.access);

    if plan.store {
        let at = position(f, outer, lp);
        let mut b = Builder::before(f, outer, at + 1);
        b.loc = loc;
        b.build(
            Opcode::CopyOut,
            &[first, buf, zero_idx, count],
            arg_attrs,
            &[],
        )
        .expect("copy_out of a stored buffer types");
    }
}

/// Emits `form` (no induction variable) `+ plus` as `i32` scalar ops.
fn emit_form(b: &mut Builder, form: &AffineIndex, plus: i32) -> Value {
    let mut acc = b.const_i32(form.konst.wrapping_add(plus));
    for (&v, &c) in &form.terms {
        let term = if c == 1 {
            v
        } else {
            let k = b.const_i32(c);
            value(b, Opcode::Mul, &[v, k])
        };
        acc = value(b, Opcode::Add, &[acc, term]);
    }
    acc
}
