//! Offset assignment: pack buffers into local memory so that two buffers
//! live at the same time never share a byte.
//!
//! Finding the smallest such packing is NP-hard (dynamic storage
//! allocation); this is the usual greedy heuristic, as in TFLite's arena
//! planner: place buffers largest first, each at the lowest aligned offset
//! where it overlaps no already placed buffer whose live interval overlaps
//! its own. Large buffers placed first leave holes the small ones fill. The
//! result depends only on sizes and intervals, never on the offsets the
//! input had, so packing packed IR changes nothing.

use super::liveness::Interval;

/// Buffers start on this byte boundary (the lowered-IR contract).
pub const ALIGN: u64 = 64;

/// A buffer to place: its size in bytes and its live interval.
#[derive(Clone, Copy, Debug)]
pub struct Request {
    pub bytes: u64,
    pub live: Interval,
}

/// An offset for each request, in order, and the bytes they span.
pub fn assign(requests: &[Request]) -> (Vec<u64>, u64) {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    // Largest first; ties by live range, then input order: deterministic.
    order.sort_by_key(|&i| (std::cmp::Reverse(requests[i].bytes), requests[i].live, i));
    let mut offsets: Vec<Option<u64>> = vec![None; requests.len()];
    for &i in &order {
        let r = requests[i];
        let mut taken: Vec<(u64, u64)> = order
            .iter()
            .filter_map(|&j| {
                let o = offsets[j]?;
                requests[j]
                    .live
                    .overlaps(r.live)
                    .then_some((o, o + requests[j].bytes))
            })
            .collect();
        taken.sort_unstable();
        offsets[i] = Some(first_fit(&taken, r.bytes));
    }
    let offsets: Vec<u64> = offsets.into_iter().map(|o| o.unwrap_or(0)).collect();
    let span = offsets
        .iter()
        .zip(requests)
        .map(|(o, r)| o + r.bytes)
        .max()
        .unwrap_or(0);
    (offsets, span)
}

/// The lowest multiple of [`ALIGN`] where `bytes` fit between the `taken`
/// byte ranges (sorted by start; they may overlap one another).
fn first_fit(taken: &[(u64, u64)], bytes: u64) -> u64 {
    let mut at = 0u64;
    for &(start, end) in taken {
        if at.saturating_add(bytes) <= start {
            break;
        }
        at = at.max(end.next_multiple_of(ALIGN));
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(bytes: u64, start: u32, end: u32) -> Request {
        Request {
            bytes,
            live: Interval { start, end },
        }
    }

    #[test]
    fn disjoint_lifetimes_share_and_overlapping_ones_do_not() {
        let (offs, span) = assign(&[req(100, 0, 5), req(100, 6, 9), req(100, 5, 7)]);
        assert_eq!(offs, vec![0, 0, 128]);
        assert_eq!(span, 228);
    }

    #[test]
    fn buffers_take_bytes_of_buffers_not_live_with_them() {
        // A and B share bytes; C, live with both, goes above them; D, live
        // with A only, takes bytes that C uses at other times.
        let (offs, span) = assign(&[
            req(64, 0, 1),  // D
            req(256, 0, 3), // A
            req(512, 4, 9), // B
            req(256, 2, 5), // C
        ]);
        assert_eq!(offs, vec![256, 0, 0, 512]);
        assert_eq!(span, 768);
    }

    #[test]
    fn offsets_are_aligned_and_deterministic() {
        let reqs = [req(1, 0, 9), req(3, 0, 9), req(65, 0, 9), req(2, 0, 9)];
        let (offs, span) = assign(&reqs);
        assert!(offs.iter().all(|o| o % ALIGN == 0));
        assert_eq!(offs, vec![256, 128, 0, 192]);
        assert_eq!(span, 257);
        assert_eq!(assign(&reqs), (offs, span));
        assert_eq!(assign(&[]), (vec![], 0));
    }
}
