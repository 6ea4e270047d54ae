//! Memory accesses of lowered IR, for the passes that reorder or remove them
//! (`fuse-loops`, `forward-stores`, `dead-buffers`).
//!
//! Two memories never alias each other: *local* memory (the `alloc`ed
//! buffers of one program instance) and *global* memory (what the kernel's
//! pointer parameters point into). Within local memory, a buffer is known
//! exactly when it is the result of an `alloc`: its bytes are then
//! `[offset, offset + len * elem size)`. Two buffers may alias when they are
//! the same value, when their byte ranges overlap (a buffer-packing pass may
//! give buffers with disjoint lifetimes the same bytes), or when either is
//! not an `alloc` result (a buffer reached through a block argument or an
//! `if` result could be any buffer). Within global memory, an access is
//! described by the `arg` attribute of its `load`/`store`, when present.
//!
//! Ops whose memory effects are not modelled here (`call`, and any future op
//! that reads or writes memory) are reported as [`Access::Opaque`], so that
//! clients can refuse to reason past them.

use super::canonicalize::constant_of;
use crate::interp::value::Scalar;
use crate::ir::{Block, Effect, Function, Op, Opcode, Type, Value};

/// One op that touches memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// `buf_load` (`write == false`) or `buf_store`: elements
    /// `[index, index + width)` of `buf`.
    Local {
        op: Op,
        buf: Value,
        index: Value,
        width: u32,
        write: bool,
    },
    /// Global `load` or `store` through pointers derived from kernel
    /// parameter `arg` (unknown when `None`).
    Global {
        op: Op,
        arg: Option<i64>,
        write: bool,
    },
    /// An op that may read or write any memory.
    Opaque { op: Op },
}

impl Access {
    pub fn op(self) -> Op {
        match self {
            Access::Local { op, .. } | Access::Global { op, .. } | Access::Opaque { op } => op,
        }
    }

    pub fn writes(self) -> bool {
        match self {
            Access::Local { write, .. } | Access::Global { write, .. } => write,
            Access::Opaque { .. } => true,
        }
    }
}

/// The access `op` makes by itself (not counting its regions), if any. A
/// malformed buffer access (which the verifier rejects) is opaque.
pub fn access_of(f: &Function, op: Op) -> Option<Access> {
    let d = f.op(op);
    let local = |width: Option<u32>, write: bool| match (width, d.operands.get(..2)) {
        (Some(width), Some(&[buf, index])) => Access::Local {
            op,
            buf,
            index,
            width,
            write,
        },
        _ => Access::Opaque { op },
    };
    match d.opcode {
        Opcode::BufLoad => Some(local(d.attrs.int("lanes").and_then(load_width), false)),
        Opcode::BufStore => Some(local(
            d.operands.get(2).and_then(|&v| value_width(f.ty(v))),
            true,
        )),
        Opcode::Load | Opcode::Store => Some(Access::Global {
            op,
            arg: d.attrs.int("arg"),
            write: d.opcode == Opcode::Store,
        }),
        other if matches!(other.effect(), Effect::Read | Effect::Write) => {
            Some(Access::Opaque { op })
        }
        _ => None,
    }
}

/// Every access made by the ops of `block` and of their regions, in program
/// order.
pub fn accesses_in(f: &Function, block: Block) -> Vec<Access> {
    let mut out = Vec::new();
    f.walk(block, &mut |op| out.extend(access_of(f, op)));
    out
}

/// Every access made by `op` and by the ops of its regions.
pub fn accesses_of_op(f: &Function, op: Op) -> Vec<Access> {
    let mut out: Vec<Access> = access_of(f, op).into_iter().collect();
    for &r in &f.op(op).regions {
        out.extend(accesses_in(f, r));
    }
    out
}

/// Elements a `buf_load` of `lanes` lanes reads (`lanes == 0` is a scalar).
fn load_width(lanes: i64) -> Option<u32> {
    u32::try_from(lanes).ok().map(|l| l.max(1))
}

/// Elements a `buf_store` of a value of type `t` writes.
fn value_width(t: &Type) -> Option<u32> {
    match t.shape()? {
        [] => Some(1),
        [n] => Some(*n),
        _ => None,
    }
}

/// The byte range `[start, end)` of local memory a buffer occupies, when the
/// buffer is an `alloc` result.
pub fn buffer_bytes(f: &Function, buf: Value) -> Option<(u64, u64)> {
    let d = f.op(f.def_op(buf)?);
    if d.opcode != Opcode::Alloc {
        return None;
    }
    let start = u64::try_from(d.attrs.int("offset")?).ok()?;
    let Some(Type::Buf { elem, len }) = d.attrs.ty("ty") else {
        return None;
    };
    let size = u64::from(*len).checked_mul(u64::from(elem.size_bytes()))?;
    Some((start, start.checked_add(size)?))
}

/// Whether accesses to buffers `a` and `b` may touch the same bytes (see the
/// module documentation).
pub fn may_alias(f: &Function, a: Value, b: Value) -> bool {
    if a == b {
        return true;
    }
    match (buffer_bytes(f, a), buffer_bytes(f, b)) {
        (Some((a0, a1)), Some((b0, b1))) => a0 < b1 && b0 < a1 && a0 < a1 && b0 < b1,
        _ => true,
    }
}

/// Whether integer scalars `a` and `b` are certainly equal: the same SSA
/// value, or constants of one type with one value (lowering emits a fresh
/// `const` for every index and loop bound it needs).
pub fn same_int(f: &Function, a: Value, b: Value) -> bool {
    if a == b {
        return true;
    }
    match (constant_of(f, a), constant_of(f, b)) {
        (Some((Scalar::Int(x), dx)), Some((Scalar::Int(y), dy))) => dx == dy && x == y,
        _ => false,
    }
}
