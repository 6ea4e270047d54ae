//! The machine descriptor: every parameter of the spatial accelerator that the
//! compiler and the simulator must agree on, read from one TOML file.
//!
//! Why one file for both: a scheduler that believes a load takes 4 cycles and
//! a simulator that charges 5 would produce code that is silently wrong (the
//! simulator flags early reads as errors). Both therefore construct a
//! [`Machine`] from the same descriptor, and the default model *is*
//! `machines/default.toml` (a test keeps [`Machine::default_model`] equal to it).
//!
//! Every field may be omitted and then takes the default model's value, so a
//! test machine is written as the few lines that differ (`[grid] cols = 2`).
//! Unknown fields are rejected, and [`Machine::validate`] checks each value
//! against what the ISA can encode, naming the field (`pe.vector_bits`).

use serde::Deserialize;
use std::fmt;
use std::path::Path;

use super::isa::{LatencyClass, SlotKind};

/// The text of the default machine descriptor.
pub const DEFAULT_MACHINE_TOML: &str = include_str!("../../machines/default.toml");

/// Largest vector the simulator's register file holds (32 lanes of 32 bits);
/// masks are 32-bit lane sets.
pub const MAX_VECTOR_BITS: u32 = 1024;

/// A complete, validated description of one spatial machine.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Machine {
    /// Name for reports.
    pub name: String,
    /// PE clock; used to turn cycles into seconds and bytes/cycle into GB/s.
    pub clock_mhz: u32,
    pub grid: Grid,
    pub pe: PeConfig,
    pub slots: Slots,
    pub latency: Latencies,
    pub matrix: MatrixUnit,
    pub noc: Noc,
    pub dma: Dma,
    pub offchip: Offchip,
}

/// The mesh: `cols` x `rows` compute tiles above one row of shim (DMA) tiles.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Grid {
    pub cols: u32,
    /// Compute rows; compute tiles have row 1..=rows, row 0 is the shim row.
    pub rows: u32,
}

/// One processing element: data memory, register files, hardware loops.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PeConfig {
    pub sram_bytes: u32,
    pub sram_banks: u32,
    /// Bank of an address is `(address / bank_interleave_bytes) % sram_banks`.
    pub bank_interleave_bytes: u32,
    /// Width of a vector of 32-bit lanes (`vector_bits / 32` lanes); each
    /// lane is 64 bits wide for the 64-bit instructions.
    pub vector_bits: u32,
    pub scalar_registers: u32,
    pub vector_registers: u32,
    pub mask_registers: u32,
    pub accumulators: u32,
    pub locks: u32,
    pub loop_depth: u32,
}

/// How many instructions of each slot kind fit in one bundle.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Slots {
    pub scalar: u32,
    pub load: u32,
    pub store: u32,
    pub vector_alu: u32,
    pub mac: u32,
}

/// Result latencies per [`LatencyClass`], in cycles, plus the taken-branch bubble.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Latencies {
    pub scalar_alu: u32,
    pub scalar_mul: u32,
    pub scalar_fp: u32,
    pub scalar_div: u32,
    pub load: u32,
    pub vector_alu: u32,
    pub vector_fp: u32,
    pub vector_special: u32,
    pub vector_reduce: u32,
    pub mac: u32,
    pub matrix: u32,
    pub stream: u32,
    /// An atomic read-modify-write of off-chip memory (`amo.*`): the round
    /// trip to the memory controller.
    pub atomic: u32,
    /// Cycles the PE issues nothing after a taken branch or jump.
    pub branch_taken: u32,
}

/// The matrix unit behind `mop.f32`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatrixUnit {
    pub macs_per_cycle: u32,
}

/// The 2-D mesh network on chip.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Noc {
    /// Bytes a link carries per cycle in each direction; also the flit size.
    pub link_bytes_per_cycle: u32,
    /// Cycles for a flit to cross one router and link.
    pub hop_latency: u32,
    /// Flits of one flow a router buffers before it back-pressures upstream.
    pub buffer_flits: u32,
    /// Vectors a PE's input stream FIFO (per direction) holds.
    pub stream_fifo_depth: u32,
}

/// The DMA engines, one set per tile.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Dma {
    pub channels_per_tile: u32,
    pub queue_depth: u32,
    pub setup_cycles: u32,
}

/// Off-chip memory, reached through the shim tiles.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Offchip {
    pub bytes: u64,
    pub bytes_per_cycle_per_shim: u32,
    pub read_latency: u32,
    pub write_latency: u32,
}

/// Why a descriptor was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MachineError {
    /// The file could not be read.
    Io { path: String, message: String },
    /// Not TOML, or a field has the wrong type or name; the message carries
    /// `line:col` and the offending key from the TOML parser.
    Parse { message: String },
    /// A value is out of the range the machine or the ISA encoding supports.
    Invalid {
        field: &'static str,
        message: String,
    },
}

impl fmt::Display for MachineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MachineError::Io { path, message } => {
                write!(f, "cannot read machine descriptor {path}: {message}")
            }
            MachineError::Parse { message } => {
                write!(f, "bad machine descriptor: {}", message.trim_end())
            }
            MachineError::Invalid { field, message } => {
                write!(f, "bad machine descriptor: `{field}` {message}")
            }
        }
    }
}

impl std::error::Error for MachineError {}

impl Machine {
    /// The default model (`machines/default.toml`).
    pub fn default_model() -> Machine {
        Machine::default()
    }

    /// Parses and validates a descriptor; omitted fields take default values.
    pub fn from_toml(text: &str) -> Result<Machine, MachineError> {
        let machine: Machine = toml::from_str(text).map_err(|e| MachineError::Parse {
            message: describe_toml_error(text, &e),
        })?;
        machine.validate()?;
        Ok(machine)
    }

    /// Reads, parses and validates a descriptor file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Machine, MachineError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| MachineError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Machine::from_toml(&text)
    }

    /// Checks every value against the simulator's and the encoding's limits.
    pub fn validate(&self) -> Result<(), MachineError> {
        let g = &self.grid;
        let p = &self.pe;
        range("clock_mhz", self.clock_mhz, 1, 100_000)?;
        // Tile coordinates are 8-bit fields in the encoding (`lock.relr`) and
        // in DMA descriptors; row 0 is the shim row.
        range("grid.cols", g.cols, 1, 255)?;
        range("grid.rows", g.rows, 1, 254)?;
        if !p.vector_bits.is_power_of_two() || !(64..=MAX_VECTOR_BITS).contains(&p.vector_bits) {
            return invalid(
                "pe.vector_bits",
                format!(
                    "must be a power of two from 64 to {MAX_VECTOR_BITS}, got {}",
                    p.vector_bits
                ),
            );
        }
        range("pe.sram_banks", p.sram_banks, 1, 64)?;
        range("pe.sram_bytes", p.sram_bytes, 1024, u32::MAX)?;
        if !p.sram_bytes.is_multiple_of(64) {
            return invalid(
                "pe.sram_bytes",
                format!("must be a multiple of 64, got {}", p.sram_bytes),
            );
        }
        range(
            "pe.bank_interleave_bytes",
            p.bank_interleave_bytes,
            4,
            p.sram_bytes,
        )?;
        if !p.bank_interleave_bytes.is_power_of_two() {
            return invalid(
                "pe.bank_interleave_bytes",
                format!("must be a power of two, got {}", p.bank_interleave_bytes),
            );
        }
        // Register numbers are 5-bit fields (masks: 3-bit); r0 is the zero
        // register and m0 the all-lanes mask, so at least one more is needed.
        range("pe.scalar_registers", p.scalar_registers, 2, 32)?;
        range("pe.vector_registers", p.vector_registers, 1, 32)?;
        range("pe.mask_registers", p.mask_registers, 1, 8)?;
        range("pe.accumulators", p.accumulators, 1, 32)?;
        range("pe.locks", p.locks, 1, 32)?;
        range("pe.loop_depth", p.loop_depth, 1, 16)?;
        for kind in SlotKind::ALL {
            range(kind.field(), self.slots.count(kind), 1, 8)?;
        }
        for class in LatencyClass::ALL {
            range(class.field(), self.latency.of(class), 1, 1000)?;
        }
        range("latency.branch_taken", self.latency.branch_taken, 0, 1000)?;
        let lanes = self.lanes();
        range(
            "matrix.macs_per_cycle",
            self.matrix.macs_per_cycle,
            1,
            lanes * lanes,
        )?;
        let n = &self.noc;
        range("noc.link_bytes_per_cycle", n.link_bytes_per_cycle, 4, 4096)?;
        range("noc.hop_latency", n.hop_latency, 1, 1000)?;
        range("noc.buffer_flits", n.buffer_flits, 1, 1024)?;
        range("noc.stream_fifo_depth", n.stream_fifo_depth, 1, 1024)?;
        // DMA channel numbers are 5-bit fields.
        range("dma.channels_per_tile", self.dma.channels_per_tile, 1, 32)?;
        range("dma.queue_depth", self.dma.queue_depth, 1, 1024)?;
        range("dma.setup_cycles", self.dma.setup_cycles, 0, 100_000)?;
        let o = &self.offchip;
        // Descriptor addresses are 32-bit.
        if o.bytes == 0 || o.bytes > 1 << 32 {
            return invalid(
                "offchip.bytes",
                format!(
                    "must be from 1 to 4294967296 (32-bit addresses), got {}",
                    o.bytes
                ),
            );
        }
        range(
            "offchip.bytes_per_cycle_per_shim",
            o.bytes_per_cycle_per_shim,
            1,
            1 << 20,
        )?;
        range("offchip.read_latency", o.read_latency, 1, 100_000)?;
        range("offchip.write_latency", o.write_latency, 1, 100_000)?;
        Ok(())
    }

    /// 32-bit lanes per vector register.
    pub fn lanes(&self) -> u32 {
        self.pe.vector_bits / 32
    }

    /// Bytes per vector register.
    pub fn vector_bytes(&self) -> u32 {
        self.pe.vector_bits / 8
    }

    /// Cycles of the latency class (from `[latency]`).
    pub fn latency(&self, class: LatencyClass) -> u32 {
        self.latency.of(class)
    }

    /// Instructions of this slot kind one bundle may hold.
    pub fn slot_count(&self, kind: SlotKind) -> u32 {
        self.slots.count(kind)
    }

    /// Cycles between two `mop.f32` on one matrix unit.
    pub fn matrix_interval(&self) -> u32 {
        let lanes = self.lanes();
        (lanes * lanes).div_ceil(self.matrix.macs_per_cycle)
    }

    /// SRAM bank holding byte `address`.
    pub fn bank_of(&self, address: u32) -> u32 {
        (address / self.pe.bank_interleave_bytes) % self.pe.sram_banks
    }

    /// Number of compute PEs.
    pub fn pe_count(&self) -> u32 {
        self.grid.cols * self.grid.rows
    }

    /// Peak MACs per cycle of the whole machine (matrix units only).
    pub fn peak_macs_per_cycle(&self) -> u64 {
        u64::from(self.pe_count()) * u64::from(self.matrix.macs_per_cycle)
    }
}

impl Slots {
    pub fn count(&self, kind: SlotKind) -> u32 {
        match kind {
            SlotKind::Scalar => self.scalar,
            SlotKind::Load => self.load,
            SlotKind::Store => self.store,
            SlotKind::VectorAlu => self.vector_alu,
            SlotKind::Mac => self.mac,
        }
    }
}

impl Latencies {
    pub fn of(&self, class: LatencyClass) -> u32 {
        match class {
            LatencyClass::ScalarAlu => self.scalar_alu,
            LatencyClass::ScalarMul => self.scalar_mul,
            LatencyClass::ScalarFp => self.scalar_fp,
            LatencyClass::ScalarDiv => self.scalar_div,
            LatencyClass::Load => self.load,
            LatencyClass::VectorAlu => self.vector_alu,
            LatencyClass::VectorFp => self.vector_fp,
            LatencyClass::VectorSpecial => self.vector_special,
            LatencyClass::VectorReduce => self.vector_reduce,
            LatencyClass::Mac => self.mac,
            LatencyClass::Matrix => self.matrix,
            LatencyClass::Stream => self.stream,
            LatencyClass::Atomic => self.atomic,
        }
    }
}

fn range(field: &'static str, value: u32, lo: u32, hi: u32) -> Result<(), MachineError> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        invalid(field, format!("must be from {lo} to {hi}, got {value}"))
    }
}

fn invalid(field: &'static str, message: String) -> Result<(), MachineError> {
    Err(MachineError::Invalid { field, message })
}

/// The TOML parser's message, prefixed with `line:col` of its span.
fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim_end().to_string();
    match error.span() {
        Some(span) => {
            let (line, col) = line_col(text, span.start);
            format!("{line}:{col}: {message}")
        }
        None => message,
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

// The defaults are the default model's values; `machines/default.toml` holds
// the same numbers and a test (`sim_default_toml_is_default_model`) keeps them equal.
impl Default for Machine {
    fn default() -> Machine {
        Machine {
            name: "persim-default".to_string(),
            clock_mhz: 1000,
            grid: Grid::default(),
            pe: PeConfig::default(),
            slots: Slots::default(),
            latency: Latencies::default(),
            matrix: MatrixUnit::default(),
            noc: Noc::default(),
            dma: Dma::default(),
            offchip: Offchip::default(),
        }
    }
}

impl Default for Grid {
    fn default() -> Grid {
        Grid { cols: 8, rows: 8 }
    }
}

impl Default for PeConfig {
    fn default() -> PeConfig {
        PeConfig {
            sram_bytes: 256 * 1024,
            sram_banks: 8,
            bank_interleave_bytes: 32 * 1024,
            vector_bits: 512,
            scalar_registers: 32,
            vector_registers: 32,
            mask_registers: 8,
            accumulators: 4,
            locks: 16,
            loop_depth: 4,
        }
    }
}

impl Default for Slots {
    fn default() -> Slots {
        Slots {
            scalar: 1,
            load: 2,
            store: 1,
            vector_alu: 1,
            mac: 1,
        }
    }
}

impl Default for Latencies {
    fn default() -> Latencies {
        Latencies {
            scalar_alu: 1,
            scalar_mul: 2,
            scalar_fp: 3,
            scalar_div: 12,
            load: 4,
            vector_alu: 2,
            vector_fp: 4,
            vector_special: 8,
            vector_reduce: 6,
            mac: 4,
            matrix: 4,
            stream: 2,
            atomic: 220,
            branch_taken: 2,
        }
    }
}

impl Default for MatrixUnit {
    fn default() -> MatrixUnit {
        MatrixUnit {
            macs_per_cycle: 256,
        }
    }
}

impl Default for Noc {
    fn default() -> Noc {
        Noc {
            link_bytes_per_cycle: 64,
            hop_latency: 3,
            buffer_flits: 4,
            stream_fifo_depth: 4,
        }
    }
}

impl Default for Dma {
    fn default() -> Dma {
        Dma {
            channels_per_tile: 2,
            queue_depth: 4,
            setup_cycles: 8,
        }
    }
}

impl Default for Offchip {
    fn default() -> Offchip {
        Offchip {
            bytes: 256 * 1024 * 1024,
            bytes_per_cycle_per_shim: 32,
            read_latency: 100,
            write_latency: 100,
        }
    }
}
