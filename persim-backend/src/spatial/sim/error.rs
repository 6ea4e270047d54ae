//! Simulation errors: every one names the cycle and, when an instruction
//! caused it, the tile, bundle, source line and instruction text.

use std::fmt;

use crate::spatial::coord::TileCoord;
use crate::spatial::program::ProgramError;

/// Where an error happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    pub tile: TileCoord,
    pub bundle: u32,
    /// Source line of the bundle, when assembled from text.
    pub line: Option<u32>,
    /// The instruction in assembly syntax.
    pub inst: String,
}

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimErrorKind {
    /// The program does not fit the machine (found at load).
    Program(ProgramError),
    /// A register was read before its producer's latency elapsed.
    LatencyViolation {
        register: String,
        producer_bundle: u32,
        ready_at: u64,
    },
    /// A register was written while an older, slower write to it is still
    /// in flight, which would land last and overwrite the newer value.
    WriteOrder {
        register: String,
        producer_bundle: u32,
        pending_until: u64,
        new_ready_at: u64,
    },
    /// An SRAM or off-chip access outside memory, or misaligned.
    Memory(String),
    /// A malformed DMA descriptor.
    Descriptor(String),
    /// Lock overflow.
    Lock(String),
    /// Control flow left the program or overflowed the loop stack.
    Control(String),
    /// A stream to or from a direction with no compute neighbour.
    Stream(String),
    /// No PE can make progress and nothing is in flight; the report prints
    /// the wait-for cycle.
    Deadlock(String),
    /// The run exceeded its cycle budget.
    CycleLimit(u64),
}

/// A simulation error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimError {
    pub cycle: u64,
    pub site: Option<Site>,
    pub kind: SimErrorKind,
}

impl SimError {
    pub fn is_deadlock(&self) -> bool {
        matches!(self.kind, SimErrorKind::Deadlock(_))
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let SimErrorKind::Program(e) = &self.kind {
            return write!(f, "program does not fit the machine: {e}");
        }
        write!(f, "cycle {}", self.cycle)?;
        if let Some(s) = &self.site {
            write!(f, ", tile {} bundle {}", s.tile, s.bundle)?;
            if let Some(line) = s.line {
                write!(f, " (line {line})")?;
            }
            write!(f, " `{}`", s.inst)?;
        }
        f.write_str(": ")?;
        match &self.kind {
            SimErrorKind::Program(_) => unreachable!("handled above"),
            SimErrorKind::LatencyViolation {
                register,
                producer_bundle,
                ready_at,
            } => write!(
                f,
                "reads {register} before it is ready: bundle {producer_bundle} writes it and the result is readable from cycle {ready_at}"
            ),
            SimErrorKind::WriteOrder {
                register,
                producer_bundle,
                pending_until,
                new_ready_at,
            } => write!(
                f,
                "writes {register} (ready at cycle {new_ready_at}) while the write by bundle {producer_bundle} lands later (cycle {pending_until}) and would overwrite it"
            ),
            SimErrorKind::Memory(m)
            | SimErrorKind::Descriptor(m)
            | SimErrorKind::Lock(m)
            | SimErrorKind::Control(m)
            | SimErrorKind::Stream(m) => f.write_str(m),
            SimErrorKind::Deadlock(report) => write!(f, "deadlock\n{report}"),
            SimErrorKind::CycleLimit(n) => write!(f, "no end after {n} cycles (cycle limit)"),
        }
    }
}

impl std::error::Error for SimError {}
