//! The local-memory report of lowered IR: every buffer with its size,
//! offset and live interval, and the peak the function needs.

use super::liveness::{buffer_lives, BufferLife, Interval};
use crate::ir::print::ValueNames;
use crate::ir::{Function, Type};
use std::fmt;

/// One buffer of a [`LocalMemReport`].
#[derive(Clone, Debug, PartialEq)]
pub struct BufferReport {
    /// The buffer as the printer names it (`%7`).
    pub name: String,
    /// The buffer type (`buf<1024xf32>`).
    pub ty: Type,
    /// The tile the buffer was made for, when the `alloc` records it.
    pub tile: Option<Type>,
    pub bytes: u64,
    pub offset: u64,
    /// Program-order positions of the first and last op of its live
    /// interval (ops numbered as `Function::walk` visits them).
    pub live: (u32, u32),
    /// `file:line:col` of the `alloc`: the tile op the buffer is for.
    pub location: String,
}

/// Local memory of one lowered function, as its `alloc`s place it.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalMemReport {
    pub kernel: String,
    /// Bytes one program instance needs with the current offsets: the end
    /// of the highest buffer.
    pub peak_bytes: u64,
    /// Bytes if no two buffers shared memory (each on its own 64-byte
    /// boundary): the peak before packing.
    pub unshared_bytes: u64,
    /// The most bytes live at one program point: no packing can need less.
    pub max_live_bytes: u64,
    /// In program order of the `alloc`s.
    pub buffers: Vec<BufferReport>,
}

/// The local-memory report of `f` (meaningful for lowered IR; a function
/// without buffers reports zeros).
pub fn local_memory_report(f: &Function) -> LocalMemReport {
    let lives = buffer_lives(f);
    let names = ValueNames::new(f);
    let buffers: Vec<BufferReport> = lives
        .iter()
        .map(|l| {
            let d = &f.ops[l.alloc];
            BufferReport {
                name: names.name(l.buf),
                ty: f.ty(l.buf).clone(),
                tile: d.attrs.ty("tile").cloned(),
                bytes: l.bytes,
                offset: d.attrs.int("offset").map_or(0, |o| o.max(0) as u64),
                live: (l.live.start, l.live.end),
                location: f.describe_loc(d.loc),
            }
        })
        .collect();
    LocalMemReport {
        kernel: f.name.clone(),
        peak_bytes: buffers
            .iter()
            .map(|b| b.offset + b.bytes)
            .max()
            .unwrap_or(0),
        unshared_bytes: buffers
            .iter()
            .fold(0, |end, b| end.next_multiple_of(64) + b.bytes),
        max_live_bytes: max_live(&lives).0,
        buffers,
    }
}

/// The most bytes live at one position, and that position (the first one
/// reaching it); `(0, 0)` without buffers.
pub(crate) fn max_live(lives: &[BufferLife]) -> (u64, u32) {
    max_live_within(lives, None)
}

/// [`max_live`] over the positions of `within` only.
pub(crate) fn max_live_within(lives: &[BufferLife], within: Option<Interval>) -> (u64, u32) {
    // The live bytes only rise where an interval starts.
    let mut best = (0u64, 0u32);
    let mut starts: Vec<u32> = lives.iter().map(|l| l.live.start).collect();
    starts.extend(within.map(|w| w.start));
    starts.sort_unstable();
    starts.dedup();
    for p in starts {
        if within.is_some_and(|w| !w.contains(p)) {
            continue;
        }
        let bytes = live_bytes_at(lives, p);
        if bytes > best.0 {
            best = (bytes, p);
        }
    }
    best
}

fn live_bytes_at(lives: &[BufferLife], p: u32) -> u64 {
    lives
        .iter()
        .filter(|l| l.live.contains(p))
        .map(|l| l.bytes)
        .sum()
}

/// `4 KiB`, `4.1 MiB`, `300 B`: sizes for people.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            return if n.is_multiple_of(size) {
                format!("{} {unit}", n / size)
            } else {
                format!("{:.1} {unit}", n as f64 / size as f64)
            };
        }
    }
    format!("{n} B")
}

impl fmt::Display for LocalMemReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "local memory of @{}: peak {} ({} B); {} B without sharing; at least {} B live at once",
            self.kernel,
            human_bytes(self.peak_bytes),
            self.peak_bytes,
            self.unshared_bytes,
            self.max_live_bytes
        )?;
        if self.buffers.is_empty() {
            return writeln!(f, "  no buffers");
        }
        let rows: Vec<[String; 7]> = self
            .buffers
            .iter()
            .map(|b| {
                [
                    b.name.clone(),
                    b.tile.as_ref().map_or("-".into(), Type::to_string),
                    b.ty.to_string(),
                    b.bytes.to_string(),
                    b.offset.to_string(),
                    format!("{}..{}", b.live.0, b.live.1),
                    b.location.clone(),
                ]
            })
            .collect();
        let header = [
            "buffer", "tile", "type", "bytes", "offset", "live", "source",
        ];
        let width = |i: usize| {
            rows.iter()
                .map(|r| r[i].len())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..header.len()).map(width).collect();
        let line = |f: &mut fmt::Formatter<'_>, cells: &[&str]| {
            write!(f, " ")?;
            for (i, c) in cells.iter().enumerate() {
                // Numbers right-aligned, text left-aligned.
                if (3..=4).contains(&i) {
                    write!(f, " {c:>w$}", w = widths[i])?;
                } else if i + 1 == cells.len() {
                    write!(f, " {c}")?;
                } else {
                    write!(f, " {c:<w$}", w = widths[i])?;
                }
            }
            writeln!(f)
        };
        line(f, &header)?;
        for r in &rows {
            let cells: Vec<&str> = r.iter().map(String::as_str).collect();
            line(f, &cells)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(4096), "4 KiB");
        assert_eq!(human_bytes(256 * 1024), "256 KiB");
        assert_eq!(human_bytes(4 * 1024 * 1024 + 100 * 1024), "4.1 MiB");
        assert_eq!(human_bytes(3 << 30), "3 GiB");
    }
}
