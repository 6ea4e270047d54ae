//! The kernel ABI shared by host backends (see `ARCHITECTURE.md`, "Kernel
//! ABI"): how the runtime calls one program instance of a compiled kernel.

use crate::runtime::checked::CheckState;

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
