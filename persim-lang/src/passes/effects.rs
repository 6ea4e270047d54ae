//! Effect analysis shared by DCE, CSE and LICM: may an op be removed when its
//! results are unused, merged with an identical op, or moved?

use crate::ir::{Effect, Function, Op, Opcode};

/// Whether `op` (including, for structured ops, everything in its regions)
/// writes memory or otherwise must run even when its results are unused.
/// Terminators always count: removing one would break its block.
pub fn has_side_effects(f: &Function, op: Op) -> bool {
    let data = f.op(op);
    match data.opcode.effect() {
        Effect::Pure | Effect::Instance | Effect::Read => false,
        Effect::Write | Effect::Observe => true,
        Effect::Control if data.opcode.is_terminator() => true,
        Effect::Control => data.regions.iter().any(|&r| {
            f.block_ops(r)
                .iter()
                .any(|&o| !f.op(o).opcode.is_terminator() && has_side_effects(f, o))
        }),
    }
}

/// Whether `op` computes its results from its operands and attributes alone
/// (within one program instance), never traps and has no regions: such ops
/// may be merged (CSE) and moved (LICM) freely. Reads are excluded because
/// an intervening store may change what they see.
pub fn is_movable(f: &Function, op: Op) -> bool {
    let data = f.op(op);
    matches!(data.opcode.effect(), Effect::Pure | Effect::Instance)
        && data.regions.is_empty()
        && data.opcode != Opcode::Alloc
}

/// Whether `op` is `Pure` and has no regions: its results depend on its
/// operands alone, and running it, once more or not at all, changes nothing
/// else (unlike [`is_movable`], it excludes `Instance` ops such as
/// `program_id`, which a pass cloning code across instances must not copy,
/// and it keeps `alloc` out through its effect).
pub fn is_pure_leaf(f: &Function, op: Op) -> bool {
    let data = f.op(op);
    data.opcode.effect() == Effect::Pure && data.regions.is_empty()
}

/// Whether `op` is an atomic: a read and a write of global memory that
/// other program instances may observe and use to synchronize (a kernel may
/// publish data with plain stores, then count finished instances with
/// `atomic_add`; the last one reads what the others stored). Besides never
/// being removed, merged or moved (their effect is `Write`), atomics are
/// fences: a pass that reorders accesses through *different* parameters
/// (allowed by the no-alias invariant of `ARCHITECTURE.md`) must not move
/// any global access across an atomic.
pub fn is_atomic(opcode: Opcode) -> bool {
    matches!(
        opcode,
        Opcode::AtomicAdd
            | Opcode::AtomicMax
            | Opcode::AtomicMin
            | Opcode::AtomicXchg
            | Opcode::AtomicCas
    )
}
