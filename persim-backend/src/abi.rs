//! The kernel ABI shared by host backends (see `ARCHITECTURE.md`, "Kernel
//! ABI"): how the runtime calls one program instance of a compiled kernel.

use crate::runtime::checked::CheckState;
use crate::runtime::debug::LaunchDebug;

/// Per-instance context, read by the kernel through its second argument.
///
/// `#[repr(C)]` because JIT code reads the fields at the offsets
/// [`std::mem::offset_of!`] gives; the field order is part of the ABI.
#[repr(C)]
#[derive(Debug)]
pub struct InstanceCtx {
    /// Index of this instance along each grid axis.
    pub program_id: [u32; 3],
    /// Grid size along each axis.
    pub num_programs: [u32; 3],
    /// Base of this instance's local memory (64-byte aligned, `local_mem`
    /// bytes of the lowered function); dangling when the kernel needs none.
    pub local_mem: *mut u8,
    /// The checker of a checked-mode launch; null when unchecked. Code
    /// compiled unchecked never reads it.
    pub check: *mut CheckState,
    /// Where `device_assert` failures and `device_print` records go; null
    /// when the kernel has neither (its code never reads it then).
    pub debug: *const LaunchDebug,
}

/// A compiled program instance: `args[i]` is parameter `i` (a pointer's
/// address or a scalar's bits, zero-extended).
pub type KernelEntry = unsafe extern "C" fn(args: *const u64, ctx: *const InstanceCtx);

/// The `arg` value checked-mode code passes to report a local-buffer index
/// outside its buffer; `addr` is then the element index and `bytes` the
/// buffer's length in elements.
pub const LOCAL_BUFFER_ARG: i32 = -2;

/// The host function checked-mode code calls before every global memory
/// access: `(state, addr, bytes, arg index or -1, site, is_store) -> abort`.
/// A nonzero result makes the instance return at once, before the access.
pub type CheckAccessFn = unsafe extern "C" fn(
    state: *mut CheckState,
    addr: u64,
    bytes: u32,
    arg: i32,
    site: u32,
    is_store: u32,
) -> u32;

/// The host function a failing `device_assert` calls before the instance
/// returns: `(ctx, site)`, `site` indexing the kernel's debug sites.
pub type AssertFailFn = unsafe extern "C" fn(ctx: *const InstanceCtx, site: u32);

/// The host function `device_print` calls once per element:
/// `(ctx, site, bits, index, rank)`. `bits` is the element (integers
/// sign- or zero-extended to 64 bits, `f16`/`bf16`/`f32` as the bits of
/// the `f32` holding them, `f64` as its bits); `index` points to `rank`
/// `u32`s, the element's index in its tile (`rank` 0 for a scalar).
pub type PrintFn = unsafe extern "C" fn(
    ctx: *const InstanceCtx,
    site: u32,
    bits: u64,
    index: *const u32,
    rank: u32,
);

/// The runtime's `device_assert` and `device_print` functions, given to
/// the compiler so that code can call them.
#[derive(Clone, Copy, Debug)]
pub struct DebugHooks {
    pub assert_fail: AssertFailFn,
    pub print: PrintFn,
}

/// A `device_assert` or `device_print` of a kernel. Compiled code passes
/// the index of its site to the runtime's hook, so no string lives in
/// generated code. Here, not in one backend, because every host backend
/// (Cranelift, LLVM) numbers its sites the same way and the runtime reads
/// them the same way whichever made the code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebugSite {
    /// `file:line:col` of the op.
    pub location: String,
    pub kind: DebugSiteKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DebugSiteKind {
    Assert {
        message: String,
    },
    /// `dtype` is the printed elements' type, `None` for a lone prefix.
    Print {
        prefix: String,
        dtype: Option<persim_lang::ir::Dtype>,
    },
}

/// The byte offset in the instance's local memory of the buffer that the
/// `alloc` op `op` of lowered `f` makes, checked to lie within the
/// function's `local_mem` (what the host backends allocate per instance),
/// or why not.
pub(crate) fn local_buffer_offset(
    f: &persim_lang::ir::Function,
    op: persim_lang::ir::Op,
) -> Result<i64, String> {
    use persim_lang::ir::Type;
    let r = *f.op(op).results.first().ok_or("alloc without a result")?;
    let (elem, len) = match f.ty(r) {
        Type::Buf { elem, len } => (*elem, *len),
        t => return Err(format!("alloc must produce a buffer, got {t}")),
    };
    let offset = f
        .op(op)
        .attrs
        .int("offset")
        .ok_or("missing integer attribute `offset`")?;
    let local_mem = f.attrs.int("local_mem").unwrap_or(0);
    let end = offset.checked_add(i64::from(len) * elem.size_bytes() as i64);
    if offset < 0 || end.is_none_or(|e| e > local_mem) {
        return Err(format!(
            "buffer of {len} x {elem} at byte offset {offset} does not fit the function's \
             local_mem of {local_mem} bytes"
        ));
    }
    Ok(offset)
}
