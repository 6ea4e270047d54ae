//! `device_assert` and `device_print` at run time: the host functions JIT
//! code calls ([`crate::abi::DebugHooks`]) and the per-launch state they
//! report into.
//!
//! - **Assertions.** A failing instance records its failure and returns.
//!   As in checked mode, the launch reports the failure of the
//!   *lowest-numbered* failing instance (grid order, axis 0 fastest),
//!   whatever the thread count: instances numbered above a recorded failure
//!   are skipped if not yet started; lower ones run on, since one of them
//!   may fail too. The launch then fails with
//!   [`super::LaunchError::Assertion`].
//! - **Printing.** Each element becomes a [`DevicePrint`] record handed to
//!   the engine's print sink ([`super::Engine::print_sink`], standard error
//!   by default) as it is printed; instances running on several threads
//!   interleave their records. A sink that panics does not unwind through
//!   JIT code: the panic is caught, and re-raised on the launching thread
//!   once the launch is over.

use crate::abi::{DebugHooks, DebugSite, DebugSiteKind, InstanceCtx};
use persim_lang::debug::{DevicePrint, PrintValue};
use persim_lang::ir::Dtype;
use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Where `device_print` records go.
pub type PrintSink = Arc<dyn Fn(&DevicePrint) + Send + Sync>;

/// The default sink: one line per record on standard error.
pub fn stderr_sink() -> PrintSink {
    Arc::new(|r: &DevicePrint| eprintln!("{r}"))
}

/// The hooks to compile kernels with.
pub(crate) fn hooks() -> DebugHooks {
    DebugHooks { assert_fail, print }
}

/// A failed `device_assert`, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AssertFailure {
    pub site: u32,
    pub program: [u32; 3],
}

/// The debug state of one launch, shared by all workers through
/// [`InstanceCtx::debug`].
pub struct LaunchDebug {
    sites: Vec<DebugSite>,
    sink: PrintSink,
    /// Lowest instance with a recorded failure; `u64::MAX` while none.
    first_failed: AtomicU64,
    failure: Mutex<Option<(u64, AssertFailure)>>,
    /// The first panic of the print sink, re-raised after the launch.
    sink_panic: Mutex<Option<Box<dyn Any + Send>>>,
}

impl std::fmt::Debug for LaunchDebug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LaunchDebug")
            .field("sites", &self.sites)
            .field("first_failed", &self.first_failed())
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

impl LaunchDebug {
    pub(crate) fn new(sites: &[DebugSite], sink: PrintSink) -> LaunchDebug {
        LaunchDebug {
            sites: sites.to_vec(),
            sink,
            first_failed: AtomicU64::new(u64::MAX),
            failure: Mutex::new(None),
            sink_panic: Mutex::new(None),
        }
    }

    /// The lowest instance whose assertion failed so far (`u64::MAX` if none).
    pub(crate) fn first_failed(&self) -> u64 {
        self.first_failed.load(Ordering::Acquire)
    }

    pub(crate) fn site(&self, site: u32) -> Option<&DebugSite> {
        self.sites.get(site as usize)
    }

    /// The failure of the lowest failing instance, and the print sink's
    /// panic if it had one.
    pub(crate) fn finish(self) -> (Option<AssertFailure>, Option<Box<dyn Any + Send>>) {
        let failure = self.failure.into_inner().unwrap_or_else(|p| p.into_inner());
        let panic = self
            .sink_panic
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        (failure.map(|(_, f)| f), panic)
    }

    fn record(&self, instance: u64, failure: AssertFailure) {
        let mut slot = lock(&self.failure);
        if slot.as_ref().is_none_or(|(i, _)| instance < *i) {
            *slot = Some((instance, failure));
        }
        self.first_failed.fetch_min(instance, Ordering::AcqRel);
    }

    fn emit(&self, record: &DevicePrint) {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| (self.sink)(record))) {
            lock(&self.sink_panic).get_or_insert(payload);
        }
    }
}

/// The linear number of the instance (axis 0 fastest).
fn instance_number(ctx: &InstanceCtx) -> u64 {
    let [x, y, z] = ctx.program_id.map(u64::from);
    let [gx, gy, _] = ctx.num_programs.map(u64::from);
    x + gx * (y + gy * z)
}

/// The host side of a failed `device_assert`.
///
/// # Safety
/// `ctx` must point to the live context of a running instance whose
/// `debug` points to a live [`LaunchDebug`]; the launch guarantees both.
unsafe extern "C" fn assert_fail(ctx: *const InstanceCtx, site: u32) {
    // SAFETY: the caller's contract; only shared references are formed.
    let ctx = unsafe { &*ctx };
    if ctx.debug.is_null() {
        return;
    }
    // SAFETY: as above.
    let debug = unsafe { &*ctx.debug };
    let failure = AssertFailure {
        site,
        program: ctx.program_id,
    };
    debug.record(instance_number(ctx), failure);
}

/// The host side of `device_print` for one element (see
/// [`crate::abi::PrintFn`]).
///
/// # Safety
/// As [`assert_fail`]; `index` must point to `rank` readable `u32`s.
unsafe extern "C" fn print(
    ctx: *const InstanceCtx,
    site: u32,
    bits: u64,
    index: *const u32,
    rank: u32,
) {
    // SAFETY: the caller's contract.
    let ctx = unsafe { &*ctx };
    if ctx.debug.is_null() {
        return;
    }
    // SAFETY: as above.
    let debug = unsafe { &*ctx.debug };
    let Some(s) = debug.site(site) else { return };
    let DebugSiteKind::Print { prefix, dtype } = &s.kind else {
        return;
    };
    let index = if rank == 0 || index.is_null() {
        Vec::new()
    } else {
        // SAFETY: the JIT passes `rank` values in a stack slot it owns
        // for the duration of this call.
        unsafe { std::slice::from_raw_parts(index, rank as usize) }.to_vec()
    };
    let record = DevicePrint {
        location: s.location.clone(),
        program: ctx.program_id,
        index,
        prefix: prefix.clone(),
        value: dtype.map(|d| value_of(d, bits)),
    };
    debug.emit(&record);
}

/// Decode an element passed as 64 bits (see [`crate::abi::PrintFn`]).
pub(crate) fn value_of(d: Dtype, bits: u64) -> PrintValue {
    match d {
        Dtype::I1 => PrintValue::Bool(bits != 0),
        Dtype::F64 => PrintValue::Float(f64::from_bits(bits), d),
        Dtype::F32 | Dtype::F16 | Dtype::BF16 => {
            PrintValue::Float(f64::from(f32::from_bits(bits as u32)), d)
        }
        d if d.is_signed_int() => PrintValue::Int(i128::from(bits as i64)),
        _ => PrintValue::Int(i128::from(bits)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_decode_in_their_type() {
        assert_eq!(value_of(Dtype::I8, (-3i64) as u64), PrintValue::Int(-3));
        assert_eq!(
            value_of(Dtype::U64, u64::MAX),
            PrintValue::Int(u64::MAX as i128)
        );
        assert_eq!(value_of(Dtype::I1, 1), PrintValue::Bool(true));
        let h = half::f16::from_f32(0.1).to_f32();
        assert_eq!(
            value_of(Dtype::F16, u64::from(h.to_bits())).to_string(),
            "0.1"
        );
        assert_eq!(value_of(Dtype::F64, 2.5f64.to_bits()).to_string(), "2.5");
    }
}
