//! What the autotuner measures with: scratch copies of a launch's mutable
//! slices, and a median-of-runs timer.

use super::{Arg, LaunchError};
use crate::runtime::ArgValue;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

/// A launch's arguments with every mutable slice replaced by a private copy
/// of it, so that benchmark runs cannot change the caller's outputs.
/// Read-only slices and scalars are shared with the original arguments.
pub(super) struct Scratch<'a> {
    slots: Vec<Slot<'a>>,
}

enum Slot<'a> {
    /// A read-only slice or a scalar, as the caller passed it.
    Shared(SharedArg<'a>),
    /// A copy of a mutable slice: 16-byte aligned storage (enough for every
    /// element type) holding `len` elements of `dtype`.
    Copy {
        data: Vec<u128>,
        len: usize,
        dtype: persim_lang::ir::Dtype,
    },
}

/// The fields of a shared argument (an [`Arg`] cannot be cloned).
#[derive(Clone, Copy)]
enum SharedArg<'a> {
    Slice {
        addr: u64,
        len: usize,
        dtype: persim_lang::ir::Dtype,
        _borrow: PhantomData<&'a [u8]>,
    },
    Scalar {
        bits: u64,
        dtype: persim_lang::ir::Dtype,
    },
}

impl<'a> Scratch<'a> {
    /// Copy the mutable slices of `args` (their current contents, so
    /// kernels that read their outputs see the same data).
    pub(super) fn of(args: &'a [Arg<'_>]) -> Scratch<'a> {
        let slots = args
            .iter()
            .map(|arg| match *arg.value() {
                ArgValue::Slice {
                    addr,
                    len,
                    dtype,
                    mutable: true,
                } => {
                    let bytes = len * dtype.size_bytes() as usize;
                    let mut data = vec![0u128; bytes.div_ceil(16)];
                    // SAFETY: a `Slice` argument describes a live slice of
                    // `len` elements of `dtype` at `addr`, borrowed for as
                    // long as `args` is (that is how `Arg` is built from
                    // `&mut [T]`); we only read it, and `data` holds at
                    // least `bytes` bytes.
                    unsafe {
                        std::ptr::copy_nonoverlapping(
                            addr as *const u8,
                            data.as_mut_ptr().cast::<u8>(),
                            bytes,
                        );
                    }
                    Slot::Copy { data, len, dtype }
                }
                ArgValue::Slice {
                    addr, len, dtype, ..
                } => Slot::Shared(SharedArg::Slice {
                    addr,
                    len,
                    dtype,
                    _borrow: PhantomData,
                }),
                ArgValue::Scalar { bits, dtype } => Slot::Shared(SharedArg::Scalar { bits, dtype }),
            })
            .collect();
        Scratch { slots }
    }

    /// Arguments for one benchmark launch: the scratch copies in place of
    /// the mutable slices.
    pub(super) fn args(&mut self) -> Vec<Arg<'_>> {
        self.slots
            .iter_mut()
            .map(|slot| match slot {
                Slot::Shared(SharedArg::Slice {
                    addr, len, dtype, ..
                }) => {
                    // SAFETY: the caller's read-only slice, still borrowed
                    // through `args` for as long as this scratch lives.
                    unsafe { Arg::from_raw_parts(*addr, *len, *dtype, false) }
                }
                Slot::Shared(SharedArg::Scalar { bits, dtype }) => Arg::scalar_bits(*dtype, *bits),
                Slot::Copy { data, len, dtype } => {
                    // SAFETY: our own copy, exclusively borrowed here.
                    unsafe { Arg::from_raw_parts(data.as_mut_ptr() as u64, *len, *dtype, true) }
                }
            })
            .collect()
    }
}

/// Fewest and most timed runs per candidate.
const MIN_RUNS: u32 = 3;
const MAX_RUNS: u32 = 25;

/// The median time of `run` after one untimed warm-up run, with as many
/// timed runs as fit in `budget` (between [`MIN_RUNS`] and [`MAX_RUNS`]).
/// The first error ends the measurement.
pub(super) fn benchmark(
    budget: Duration,
    mut run: impl FnMut() -> Result<(), LaunchError>,
) -> Result<Duration, LaunchError> {
    let warm = Instant::now();
    run()?;
    let once = warm.elapsed().max(Duration::from_nanos(1));
    let fit = (budget.as_nanos() / once.as_nanos()).min(u128::from(MAX_RUNS)) as u32;
    let runs = fit.max(MIN_RUNS);
    let mut times = Vec::with_capacity(runs as usize);
    for _ in 0..runs {
        let t = Instant::now();
        run()?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;
    use persim_lang::ir::Dtype;

    #[test]
    fn scratch_copies_mutable_slices_and_shares_the_rest() {
        let input = vec![1.0f32, 2.0, 3.0];
        let mut output = vec![7i16, 8, 9];
        let args = [Arg::from(&input), Arg::from(&mut output), Arg::from(5i32)];
        let mut scratch = Scratch::of(&args);
        let copies = scratch.args();
        match (copies[0].value(), args[0].value()) {
            (
                ArgValue::Slice {
                    addr: a,
                    mutable: false,
                    ..
                },
                ArgValue::Slice { addr: b, .. },
            ) => {
                assert_eq!(a, b, "read-only slices are shared")
            }
            other => panic!("{other:?}"),
        }
        match (copies[1].value(), args[1].value()) {
            (
                ArgValue::Slice {
                    addr: a,
                    len: 3,
                    dtype: Dtype::I16,
                    mutable: true,
                    ..
                },
                ArgValue::Slice { addr: b, .. },
            ) => {
                assert_ne!(a, b, "mutable slices are copied");
                // SAFETY: the copy holds three i16 and lives in `scratch`.
                let copied = unsafe { std::slice::from_raw_parts(*a as *const i16, 3) };
                assert_eq!(copied, &[7, 8, 9]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            copies[2].value(),
            ArgValue::Scalar {
                bits: 5,
                dtype: Dtype::I32
            }
        ));
    }

    #[test]
    fn benchmark_takes_the_median_of_at_least_three_runs() {
        let mut calls = 0;
        let t = benchmark(Duration::ZERO, || {
            calls += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(calls, 1 + MIN_RUNS);
        assert!(t < Duration::from_secs(1));
    }

    #[test]
    fn benchmark_stops_at_the_first_error() {
        let mut calls = 0;
        let err = benchmark(Duration::from_secs(1), || {
            calls += 1;
            Err(LaunchError::Grid {
                kernel: "k".into(),
                message: "bad".into(),
            })
        });
        assert!(err.is_err());
        assert_eq!(calls, 1);
    }
}
