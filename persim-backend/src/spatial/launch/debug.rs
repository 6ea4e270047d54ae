//! The run's `dbg` events as the JITs report `device_assert` and
//! `device_print`: print records to the engine's sink, in simulated time
//! (ties in tile order), and the failure of the lowest-numbered failing
//! instance as [`LaunchError::Assertion`]. The record layout is the
//! compiler's (`compile/isel/debug.rs`).

use persim_lang::debug::DevicePrint;
use persim_lang::ir::Dtype;

use super::super::coord::TileCoord;
use super::super::sim::{DebugEvent, Stats};
use crate::abi::{DebugSite, DebugSiteKind};
use crate::runtime::debug::{value_of, PrintSink};
use crate::runtime::LaunchError;

/// Reports the events of `stats`; the error of a failed assertion, if any.
pub(super) fn report(
    kernel: &str,
    sites: &[DebugSite],
    stats: &Stats,
    grid: [u32; 3],
    sink: &PrintSink,
) -> Result<(), LaunchError> {
    let mut events: Vec<(TileCoord, &DebugEvent)> = stats
        .pes
        .iter()
        .flat_map(|p| p.stats.debug.iter().map(move |e| (p.tile, e)))
        .collect();
    events.sort_by_key(|(tile, e)| (e.cycle, *tile));
    let mut failed: Option<(u64, [u32; 3], &DebugSite)> = None;
    for (_, e) in events {
        let Some(site) = sites.get(e.site as usize) else {
            continue;
        };
        let program = [e.words[0], e.words[1], e.words[2]];
        match &site.kind {
            DebugSiteKind::Assert { .. } => {
                let [x, y, z] = program.map(u64::from);
                let instance = x + u64::from(grid[0]) * (y + u64::from(grid[1]) * z);
                if failed.is_none_or(|(i, _, _)| instance < i) {
                    failed = Some((instance, program, site));
                }
            }
            DebugSiteKind::Print { prefix, dtype } => {
                let rank = (e.words[4] as usize).min(3);
                sink(&DevicePrint {
                    location: site.location.clone(),
                    program,
                    index: e.words[5..5 + rank].to_vec(),
                    prefix: prefix.clone(),
                    value: dtype.map(|d| value_of(d, register_bits(d, e.words[3], e.words[8]))),
                });
            }
        }
    }
    match failed {
        Some((_, program, site)) => Err(LaunchError::Assertion {
            kernel: kernel.to_string(),
            location: site.location.clone(),
            message: match &site.kind {
                DebugSiteKind::Assert { message } => message.clone(),
                DebugSiteKind::Print { .. } => String::new(),
            },
            program,
        }),
        None => Ok(()),
    }
}

/// A record's value as the 64 bits the JITs pass their print hook: a
/// 64-bit type's two halves (the low one first, the high one last in the
/// record), signed integers sign-extended (the register holds them so),
/// the rest as is.
fn register_bits(d: Dtype, word: u32, high: u32) -> u64 {
    if d.size_bytes() == 8 {
        u64::from(word) | u64::from(high) << 32
    } else if d.is_signed_int() {
        word as i32 as i64 as u64
    } else {
        u64::from(word)
    }
}
