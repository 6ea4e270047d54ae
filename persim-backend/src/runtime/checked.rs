//! Checked mode: every global access of a checked kernel is validated
//! against the launch's slices before it happens.
//!
//! The JIT calls `check_access` with the address, the access size (one
//! element, or a whole vector of consecutive elements), the
//! kernel parameter the op says the pointers derive from (its `arg`
//! attribute, or -1), the op's site number and whether it stores. The access
//! must lie entirely inside that parameter's slice (or, without `arg`, inside
//! some argument's slice), and a store must target a mutable slice.
//!
//! Checked code also validates local-buffer indices; a bad one (a compiler
//! bug) is reported through the same function with `arg` =
//! [`LOCAL_BUFFER_ARG`].
//!
//! Failures are reported deterministically whatever the thread count: the
//! launch keeps the failure of the *lowest-numbered* program instance (grid
//! order, axis 0 fastest), each instance stopping at its first failing
//! access. Once an instance has failed, instances numbered above it abort at
//! their next access and the scheduler skips those not yet started; lower
//! ones run on, since one of them may fail first.

use super::signature::{ParamSpec, ParamType};
use super::{Arg, ArgValue};
use crate::abi::LOCAL_BUFFER_ARG;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// One argument's slice as the checker sees it.
#[derive(Clone, Debug)]
struct SliceBounds {
    addr: u64,
    bytes: u64,
    elem_bytes: u64,
    len: usize,
    mutable: bool,
}

impl SliceBounds {
    fn contains(&self, addr: u64, bytes: u32) -> bool {
        addr >= self.addr
            && addr
                .checked_add(bytes as u64)
                .is_some_and(|end| end <= self.addr + self.bytes)
    }

    /// Element index of `addr` relative to the slice start (may be negative
    /// or past the end).
    fn index(&self, addr: u64) -> i64 {
        let delta = addr as i128 - self.addr as i128;
        delta.div_euclid(self.elem_bytes.max(1) as i128) as i64
    }

    /// Distance in bytes from `addr` to the slice, 0 inside it.
    fn distance(&self, addr: u64) -> u64 {
        if addr < self.addr {
            self.addr - addr
        } else {
            addr.saturating_sub(self.addr + self.bytes)
        }
    }
}

/// A failed access, before it is turned into a [`super::LaunchError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fault {
    pub site: u32,
    /// The parameter index the access was checked against, if any.
    pub arg: Option<usize>,
    pub index: i64,
    pub len: usize,
    pub store: bool,
    /// A store into a read-only slice (else: out of bounds).
    pub read_only: bool,
    /// An index outside a local buffer (`index`, `len` in its elements).
    pub local: bool,
}

/// The checker of one launch, shared by all workers.
#[derive(Debug)]
pub(crate) struct LaunchCheck {
    slices: Vec<Option<SliceBounds>>,
    /// Lowest instance with a recorded fault; `u64::MAX` while none.
    first_failed: AtomicU64,
    fault: Mutex<Option<(u64, Fault)>>,
}

impl LaunchCheck {
    pub fn new(params: &[ParamSpec], args: &[Arg<'_>]) -> LaunchCheck {
        let slices = params
            .iter()
            .zip(args)
            .map(|(p, a)| match (&p.ty, a.value()) {
                (
                    ParamType::Slice { dtype, .. },
                    ArgValue::Slice {
                        addr, len, mutable, ..
                    },
                ) => {
                    let elem_bytes = dtype.size_bytes() as u64;
                    Some(SliceBounds {
                        addr: *addr,
                        bytes: *len as u64 * elem_bytes,
                        elem_bytes,
                        len: *len,
                        mutable: *mutable,
                    })
                }
                _ => None,
            })
            .collect();
        LaunchCheck {
            slices,
            first_failed: AtomicU64::new(u64::MAX),
            fault: Mutex::new(None),
        }
    }

    /// The lowest failed instance so far (`u64::MAX` if none).
    pub fn first_failed(&self) -> u64 {
        self.first_failed.load(Ordering::Acquire)
    }

    /// The recorded fault of the lowest failing instance.
    pub fn into_fault(self) -> Option<Fault> {
        let fault = match self.fault.into_inner() {
            Ok(f) => f,
            Err(poisoned) => poisoned.into_inner(),
        };
        fault.map(|(_, f)| f)
    }

    fn judge(&self, addr: u64, bytes: u32, arg: i32, site: u32, store: bool) -> Result<(), Fault> {
        if arg == LOCAL_BUFFER_ARG {
            return Err(Fault {
                site,
                arg: None,
                index: addr as i64,
                len: bytes as usize,
                store,
                read_only: false,
                local: true,
            });
        }
        let target = if arg >= 0 {
            let i = arg as usize;
            self.slices.get(i).and_then(Option::as_ref).map(|s| (i, s))
        } else {
            let inside = self
                .slices
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.as_ref().map(|s| (i, s)));
            match inside.clone().find(|(_, s)| s.contains(addr, bytes)) {
                Some(hit) => Some(hit),
                // Unknown provenance: report against the nearest slice.
                None => inside.min_by_key(|(_, s)| s.distance(addr)),
            }
        };
        let Some((i, s)) = target else {
            return Err(Fault {
                site,
                arg: None,
                index: -1,
                len: 0,
                store,
                read_only: false,
                local: false,
            });
        };
        // A whole-vector access covers consecutive elements: when it starts
        // inside the slice, its first bad element is the one past the end.
        let first_bad = if addr >= s.addr && addr < s.addr + s.bytes {
            s.len as i64
        } else {
            s.index(addr)
        };
        let fault = |read_only| Fault {
            site,
            arg: Some(i),
            index: if read_only { s.index(addr) } else { first_bad },
            len: s.len,
            store,
            read_only,
            local: false,
        };
        if !s.contains(addr, bytes) {
            Err(fault(false))
        } else if store && !s.mutable {
            Err(fault(true))
        } else {
            Ok(())
        }
    }

    fn record(&self, instance: u64, fault: Fault) {
        let mut slot = match self.fault.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if slot.as_ref().is_none_or(|(i, _)| instance < *i) {
            *slot = Some((instance, fault));
        }
        self.first_failed.fetch_min(instance, Ordering::AcqRel);
    }
}

/// What checked code's `InstanceCtx::check` points to: the launch's checker
/// and the program instance running on this worker.
#[derive(Debug)]
pub struct CheckState {
    pub(crate) launch: *const LaunchCheck,
    /// Linear index of the running instance (axis 0 fastest).
    pub(crate) instance: u64,
}

/// The host side of checked mode's access check (see the module docs).
/// Returns nonzero to make the instance return before the access.
///
/// # Safety
/// `state` must point to a live [`CheckState`] whose `launch` is live; the
/// runtime guarantees both for the duration of a checked launch.
pub(crate) unsafe extern "C" fn check_access(
    state: *mut CheckState,
    addr: u64,
    bytes: u32,
    arg: i32,
    site: u32,
    is_store: u32,
) -> u32 {
    // SAFETY: the caller's contract; only shared references are formed.
    let state = unsafe { &*state };
    // SAFETY: as above.
    let launch = unsafe { &*state.launch };
    if launch.first_failed() < state.instance {
        return 1;
    }
    match launch.judge(addr, bytes, arg, site, is_store != 0) {
        Ok(()) => 0,
        Err(fault) => {
            launch.record(state.instance, fault);
            1
        }
    }
}
