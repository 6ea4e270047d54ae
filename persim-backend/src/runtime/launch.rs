//! Running a grid of program instances.
//!
//! Instances are numbered linearly, axis 0 fastest. A one-instance grid (or
//! a one-thread engine) runs inline on the caller's thread. Otherwise the
//! range is cut into about four chunks per worker, claimed by the caller
//! and by helper jobs on a rayon pool (`chunks.rs`), so the per-instance
//! overhead is one indirect call; each worker thread keeps one
//! 64-byte-aligned local-memory scratch area, reused by every instance it
//! runs (local memory is not cleared between instances: lowered IR never
//! reads what it has not written in the same instance).
//!
//! Instances of one launch may run concurrently and in any order, as on a
//! GPU; instances writing the same element race, with an unspecified result.

use super::checked::{CheckState, LaunchCheck};
use super::chunks::Chunks;
use super::debug::LaunchDebug;
use super::Grid;
use crate::abi::{InstanceCtx, KernelEntry};
use std::alloc::{self, Layout};
use std::cell::RefCell;
use std::ops::Range;

/// Everything a worker needs to run instances of one launch.
pub(crate) struct GridLaunch<'a> {
    pub entry: KernelEntry,
    pub args: &'a [u64],
    pub grid: Grid,
    pub local_mem: usize,
    pub check: Option<&'a LaunchCheck>,
    /// Where `device_assert`/`device_print` report; `None` when the kernel
    /// has neither.
    pub debug: Option<&'a LaunchDebug>,
}

/// Alignment of local memory (ARCHITECTURE.md: buffers are 64-byte aligned).
const LOCAL_MEM_ALIGN: usize = 64;

/// A worker's local-memory scratch area.
struct Scratch {
    ptr: *mut u8,
    cap: usize,
}

impl Scratch {
    const fn new() -> Scratch {
        Scratch {
            ptr: std::ptr::null_mut(),
            cap: 0,
        }
    }

    /// At least `size` bytes, 64-byte aligned; null when `size` is 0 or the
    /// allocation fails (then the launch panics, see `run_range`).
    fn ensure(&mut self, size: usize) -> *mut u8 {
        if size == 0 {
            return std::ptr::null_mut();
        }
        if self.cap < size {
            self.release();
            let Ok(layout) = Layout::from_size_align(size, LOCAL_MEM_ALIGN) else {
                return std::ptr::null_mut();
            };
            // SAFETY: `layout` has a nonzero size.
            let ptr = unsafe { alloc::alloc_zeroed(layout) };
            if ptr.is_null() {
                alloc::handle_alloc_error(layout);
            }
            self.ptr = ptr;
            self.cap = size;
        }
        self.ptr
    }

    fn release(&mut self) {
        if !self.ptr.is_null() {
            // SAFETY: allocated in `ensure` with this size and alignment.
            unsafe {
                alloc::dealloc(
                    self.ptr,
                    Layout::from_size_align_unchecked(self.cap, LOCAL_MEM_ALIGN),
                )
            };
            self.ptr = std::ptr::null_mut();
            self.cap = 0;
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.release();
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch::new()) };
}

impl GridLaunch<'_> {
    /// Run every instance, on `pool` (or rayon's global pool) when
    /// `threads` allows more than one.
    pub fn run(&self, pool: Option<&rayon::ThreadPool>) {
        let total = self.grid.instances();
        let workers = pool.map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
        if total <= 1 || workers <= 1 {
            self.run_range(0..total);
            return;
        }
        let chunks = (workers as u64 * 4).min(total);
        let per_chunk = total.div_ceil(chunks);
        let chunk = |c: u64| {
            let start = c * per_chunk;
            self.run_range(start..(start + per_chunk).min(total));
        };
        // The caller is one of the `workers`.
        Chunks::run(chunks, workers - 1, &chunk, |job| match pool {
            Some(p) => p.spawn(job),
            None => rayon::spawn(job),
        });
    }

    /// Run instances `range` on this thread.
    fn run_range(&self, range: Range<u64>) {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.run_with(range, &mut scratch),
            // Re-entered on this thread (a launch from inside a launch):
            // use a scratch area of its own.
            Err(_) => self.run_with(range, &mut Scratch::new()),
        })
    }

    fn run_with(&self, range: Range<u64>, scratch: &mut Scratch) {
        let local_mem = scratch.ensure(self.local_mem);
        let [gx, gy, _] = self.grid.0.map(u64::from);
        let mut state = CheckState {
            launch: self
                .check
                .map_or(std::ptr::null(), |c| c as *const LaunchCheck),
            instance: 0,
        };
        let state_ptr: *mut CheckState = &mut state;
        let mut ctx = InstanceCtx {
            program_id: [0; 3],
            num_programs: self.grid.0,
            local_mem,
            check: if self.check.is_some() {
                state_ptr
            } else {
                std::ptr::null_mut()
            },
            debug: self
                .debug
                .map_or(std::ptr::null(), |d| d as *const LaunchDebug),
        };
        for i in range {
            if let Some(check) = self.check {
                // An instance numbered above a failed one cannot change the
                // reported failure; later ones in this range neither.
                if check.first_failed() < i {
                    break;
                }
            }
            if self.debug.is_some_and(|d| d.first_failed() < i) {
                break;
            }
            ctx.program_id = [
                (i % gx) as u32,
                ((i / gx) % gy) as u32,
                (i / (gx * gy)) as u32,
            ];
            // SAFETY: `state_ptr` points to `state`, alive for this loop;
            // the JIT code only reads it through `check_access` during the
            // call below, never concurrently with this write.
            unsafe { (*state_ptr).instance = i };
            // SAFETY: `entry` was compiled with the kernel ABI for exactly
            // these arguments (validated by the caller); `ctx` and `args`
            // outlive the call.
            unsafe { (self.entry)(self.args.as_ptr(), &ctx) };
        }
    }
}
