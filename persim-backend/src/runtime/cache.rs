//! The compiled-kernel cache: one compilation per (kernel, constexpr values,
//! checked flag), shared by every launch and thread.
//!
//! The map lock is held only to find a key's slot; compilation happens under
//! the slot's own lock, so concurrent launches of one specialization compile
//! it once (the others wait), while different kernels compile in parallel.
//! Failed compilations are not cached: the error goes to the caller, and a
//! later launch tries again.

use super::{CompiledKernel, LaunchError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Identity of one specialization.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct CacheKey {
    /// Address of the kernel's `'static KernelSource`.
    pub kernel: usize,
    /// Constexpr values sorted by name.
    pub consts: Vec<(String, i64)>,
    pub checked: bool,
    /// Bit `i`: integer argument `i` is 1, and the code was specialized so
    /// (`engine::unit_arguments`).
    pub ones: u64,
}

type Slot = Arc<Mutex<Option<Arc<CompiledKernel>>>>;

#[derive(Debug, Default)]
pub(crate) struct KernelCache {
    slots: Mutex<HashMap<CacheKey, Slot>>,
    hits: AtomicU64,
    compiles: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl KernelCache {
    pub fn get_or_compile(
        &self,
        key: CacheKey,
        compile: impl FnOnce() -> Result<CompiledKernel, LaunchError>,
    ) -> Result<Arc<CompiledKernel>, LaunchError> {
        let slot = lock(&self.slots).entry(key).or_default().clone();
        let mut entry = lock(&slot);
        if let Some(k) = entry.as_ref() {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(k.clone());
        }
        let k = Arc::new(compile()?);
        self.compiles.fetch_add(1, Ordering::Relaxed);
        *entry = Some(k.clone());
        Ok(k)
    }

    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    pub fn compiles(&self) -> u64 {
        self.compiles.load(Ordering::Relaxed)
    }

    pub fn len(&self) -> usize {
        lock(&self.slots)
            .values()
            .filter(|s| lock(s).is_some())
            .count()
    }
}
