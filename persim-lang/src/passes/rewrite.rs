//! Small helpers for passes that add buffers and ops to lowered IR
//! (`bulk-copies`, `double-buffer`).

use crate::ir::{Attr, Attrs, Block, Builder, Function, Op, Opcode, Value};
use crate::target::Target;

/// Byte alignment of new buffers, as the lowering's.
const ALIGN: u64 = 64;

/// The offset of a new buffer of `bytes` after the function's local memory,
/// which grows to hold it; `None` (and nothing changes) if the function
/// would then need more than the target has. Before `pack-buffers` this is
/// the sum of every buffer, so a `Some` never makes packing fail.
pub fn reserve_buffer(f: &mut Function, target: &Target, bytes: u64) -> Option<u64> {
    let used = f.attrs.int("local_mem").unwrap_or(0).max(0) as u64;
    let offset = used.next_multiple_of(ALIGN);
    if target
        .local_mem_bytes
        .is_some_and(|cap| offset + bytes > cap)
    {
        return None;
    }
    f.attrs.set("local_mem", Attr::Int((offset + bytes) as i64));
    Some(offset)
}

/// Every `for` of the function, outer before inner.
pub fn for_loops(f: &Function) -> Vec<Op> {
    f.all_ops()
        .into_iter()
        .filter(|&op| f.op(op).opcode == Opcode::For)
        .collect()
}

/// The index of `op` in `block`.
pub fn position(f: &Function, block: Block, op: Op) -> usize {
    f.block_ops(block)
        .iter()
        .position(|&o| o == op)
        .expect("op in its block")
}

/// Builds a single-result op the pass made well-typed by construction.
pub fn value(b: &mut Builder, opcode: Opcode, operands: &[Value]) -> Value {
    value_with(b, opcode, operands, Attrs::new())
}

/// [`value`] with attributes.
pub fn value_with(b: &mut Builder, opcode: Opcode, operands: &[Value], attrs: Attrs) -> Value {
    b.value(opcode, operands, attrs).unwrap_or_else(|e| {
        panic!(
            "a pass built an ill-typed `{}`: {}",
            opcode.name(),
            e.message
        )
    })
}
