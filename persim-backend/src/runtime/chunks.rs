//! Sharing a launch's chunks between the launching thread and pool workers.
//!
//! A launch handed to rayon as a parallel iterator costs two cross-thread
//! wake-ups even when the kernel does nothing: the caller (not a worker)
//! injects the job and sleeps, a worker wakes, runs it and wakes the caller
//! (11–26 µs per launch of an empty 64-program kernel on this project's
//! 2-core VM). Here the caller claims chunks from a shared counter itself,
//! and `workers − 1` helper jobs on the pool claim from the same counter
//! when they get to run. A small launch is over before a helper wakes; a
//! large one is shared as before, the chunks balancing dynamically.
//!
//! The caller returns once every chunk is *done*, not once every helper has
//! run: a helper that arrives late finds the counter exhausted and touches
//! nothing but the reference-counted [`Chunks`]. A helper that claims a
//! chunk holds the caller until the chunk is done, which is what keeps the
//! launch (borrowed from the caller's stack) alive while it runs.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// Spins of the caller's wait before it sleeps: long enough to cover a
/// helper finishing a short chunk (a `pause` is 10–140 cycles, so this is
/// 5–70 µs), short next to the chunk a longer wait would be for.
const SPINS: u32 = 1 << 10;

/// The chunks of one launch. `run` is the caller's closure, lifetime-erased:
/// it is called only for a claimed chunk, and the caller does not return
/// before every claimed chunk is done.
pub(crate) struct Chunks {
    count: u64,
    next: AtomicU64,
    done: AtomicU64,
    run: *const (dyn Fn(u64) + Sync),
    /// The first panic of a chunk, re-raised on the caller's thread.
    panic: Mutex<Option<Box<dyn Any + Send>>>,
    all_done: Condvar,
}

// SAFETY: `run` points to a `Sync` closure, dereferenced only while the
// caller waits (see the type's comment); every other field is `Sync`.
unsafe impl Send for Chunks {}
// SAFETY: as above.
unsafe impl Sync for Chunks {}

impl Chunks {
    /// Run `count` chunks, `run(i)` for each `i`, on this thread and on
    /// `helpers` jobs spawned by `spawn`; returns when all are done and
    /// re-raises a chunk's panic.
    pub(crate) fn run(
        count: u64,
        helpers: usize,
        run: &(dyn Fn(u64) + Sync),
        spawn: impl Fn(Box<dyn FnOnce() + Send>),
    ) {
        let run: *const (dyn Fn(u64) + Sync + '_) = run;
        // SAFETY: only the lifetime is erased; `wait` below keeps the
        // closure alive for every use (see the type's comment).
        let run: *const (dyn Fn(u64) + Sync + 'static) = unsafe { std::mem::transmute(run) };
        let chunks = Arc::new(Chunks {
            count,
            next: AtomicU64::new(0),
            done: AtomicU64::new(0),
            run,
            panic: Mutex::new(None),
            all_done: Condvar::new(),
        });
        for _ in 0..helpers.min(count.saturating_sub(1) as usize) {
            let chunks = Arc::clone(&chunks);
            spawn(Box::new(move || chunks.help()));
        }
        chunks.help();
        chunks.wait();
        let panic = chunks.panic.lock().map(|mut p| p.take());
        if let Ok(Some(payload)) = panic {
            panic::resume_unwind(payload);
        }
    }

    /// Claim and run chunks until none is left.
    fn help(&self) {
        loop {
            let i = self.next.fetch_add(1, Ordering::AcqRel);
            if i >= self.count {
                return;
            }
            // SAFETY: chunk `i` is claimed and not done, so the caller is
            // still in `wait` and the closure alive.
            let run = unsafe { &*self.run };
            if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| run(i))) {
                if let Ok(mut slot) = self.panic.lock() {
                    slot.get_or_insert(payload);
                }
            }
            if self.done.fetch_add(1, Ordering::AcqRel) + 1 == self.count {
                // Taking the lock orders this with the caller's check below.
                drop(self.panic.lock());
                self.all_done.notify_all();
            }
        }
    }

    /// Until every chunk is done: spin briefly, then sleep.
    fn wait(&self) {
        for _ in 0..SPINS {
            if self.done.load(Ordering::Acquire) == self.count {
                return;
            }
            std::hint::spin_loop();
        }
        let mut guard = match self.panic.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        while self.done.load(Ordering::Acquire) < self.count {
            guard = match self.all_done.wait(guard) {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Chunks;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
    }

    #[test]
    fn every_chunk_runs_once_whoever_claims_it() {
        let pool = pool(3);
        for count in [1u64, 2, 7, 64, 1000] {
            let hits: Vec<AtomicU64> = (0..count).map(|_| AtomicU64::new(0)).collect();
            let run = |i: u64| {
                hits[i as usize].fetch_add(1, Ordering::Relaxed);
            };
            Chunks::run(count, 2, &run, |job| pool.spawn(job));
            assert!(
                hits.iter().all(|h| h.load(Ordering::Relaxed) == 1),
                "{count}"
            );
        }
    }

    /// A helper claims chunks while the caller runs others: with chunks
    /// that take a while, both make progress.
    #[test]
    fn helpers_share_long_chunks() {
        let pool = pool(2);
        let threads = std::sync::Mutex::new(std::collections::HashSet::new());
        let run = |_: u64| {
            std::thread::sleep(std::time::Duration::from_millis(5));
            threads.lock().unwrap().insert(std::thread::current().id());
        };
        Chunks::run(16, 1, &run, |job| pool.spawn(job));
        assert!(threads.lock().unwrap().len() >= 2);
    }

    #[test]
    fn a_chunk_panic_reaches_the_caller_after_every_chunk_is_done() {
        let pool = pool(2);
        let done = AtomicU64::new(0);
        let run = |i: u64| {
            done.fetch_add(1, Ordering::Relaxed);
            assert!(i != 5, "chunk five fails");
        };
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Chunks::run(32, 1, &run, |job| pool.spawn(job))
        }));
        let payload = caught.expect_err("the panic is re-raised");
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        assert!(message.contains("chunk five fails"), "{message}");
        assert_eq!(done.load(Ordering::Relaxed), 32);
    }

    /// A chunk that launches again from a pool worker neither deadlocks nor
    /// loses chunks.
    #[test]
    fn nested_launches_on_one_pool_finish() {
        let pool = pool(2);
        let total = AtomicU64::new(0);
        let outer = |_: u64| {
            let inner = |_: u64| {
                total.fetch_add(1, Ordering::Relaxed);
            };
            Chunks::run(8, 1, &inner, |job| pool.spawn(job));
        };
        Chunks::run(8, 1, &outer, |job| pool.spawn(job));
        assert_eq!(total.load(Ordering::Relaxed), 64);
    }
}
