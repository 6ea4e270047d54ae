//! Locks (counting semaphores, one set per compute tile) and the signals that
//! cross tiles: lock releases and stream credits.
//!
//! Why signals are delayed by at least one cycle: PEs step one after another
//! within a cycle, and a release applied at once would be seen by a PE later
//! in the order but not by one earlier — the result would depend on tile
//! order. Queuing every cross-tile effect to a later cycle makes a cycle's
//! outcome independent of the order PEs are stepped in.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::spatial::coord::Direction;

/// Largest value a lock holds; a release past it is an error (a lost or
/// duplicated release is a synchronisation bug worth stopping for).
pub const LOCK_MAX: u32 = 0xffff;

/// The locks of one tile.
#[derive(Clone, Debug)]
pub struct LockFile {
    values: Vec<u32>,
}

impl LockFile {
    pub fn new(count: u32) -> LockFile {
        LockFile {
            values: vec![0; count as usize],
        }
    }

    pub fn value(&self, lock: u8) -> u32 {
        self.values[usize::from(lock)]
    }

    /// Sets an initial value.
    pub fn set(&mut self, lock: u8, value: u32) {
        self.values[usize::from(lock)] = value;
    }

    /// Takes `amount`; the caller has checked that the lock holds it.
    pub fn acquire(&mut self, lock: u8, amount: u32) {
        let v = &mut self.values[usize::from(lock)];
        debug_assert!(*v >= amount, "acquire checked by the PE before issue");
        *v -= amount;
    }

    /// Adds `amount`, or reports an overflow.
    pub fn release(&mut self, lock: u8, amount: u32) -> Result<(), String> {
        let v = &mut self.values[usize::from(lock)];
        match v.checked_add(amount).filter(|&n| n <= LOCK_MAX) {
            Some(n) => {
                *v = n;
                Ok(())
            }
            None => Err(format!(
                "lock l{lock} overflows: {} + {amount} exceeds {LOCK_MAX}",
                *v
            )),
        }
    }
}

/// Who sent a lock release (for error messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Releaser {
    Pe(usize),
    Dma { tile: usize, channel: usize },
}

/// A cross-tile effect due at some cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Signal {
    /// Add `amount` to lock `lock` of compute tile `tile`.
    Release {
        tile: usize,
        lock: u8,
        amount: u32,
        by: Releaser,
    },
    /// Give tile `tile` back one credit for its stream towards `dir`.
    Credit { tile: usize, dir: Direction },
}

/// Signals ordered by due cycle, then by the order they were sent.
#[derive(Clone, Debug, Default)]
pub struct Signals {
    heap: BinaryHeap<Reverse<(u64, u64, Signal)>>,
    sequence: u64,
}

impl Signals {
    pub fn send(&mut self, at: u64, signal: Signal) {
        self.heap.push(Reverse((at, self.sequence, signal)));
        self.sequence += 1;
    }

    /// The next signal due at or before `now`.
    pub fn pop_due(&mut self, now: u64) -> Option<Signal> {
        match self.heap.peek() {
            Some(Reverse((at, _, _))) if *at <= now => self.heap.pop().map(|Reverse((_, _, s))| s),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}
