//! The spatial accelerator target: machine descriptor, ISA, encoding,
//! assembler/disassembler and the cycle-level simulator.
//!
//! # Bird's-eye view
//!
//! ```text
//!  machines/*.toml ──▶ Machine (machine.rs) ◀── read by compiler and simulator
//!
//!  lowered IR ──compile/ (isel, regalloc2, schedule, assemble)──▶ Program + SRAM image
//!  KernelSource / Function ──SimEngine (launch.rs)──▶ mid-end ▶ compile ▶ simulate ▶ Stats
//!  Program ──encode_program──▶ image bytes
//!  assembly text ──assemble──▶ Program ◀──decode_program── image bytes
//!  Program ──disassemble──▶ assembly text
//!  Program + Machine ──Simulator::new──▶ run ──▶ Stats | SimError (latency,
//!                                                  bounds, deadlock report, ...)
//! ```
//!
//! The ISA table (`isa.rs`) is the single declaration of every instruction;
//! encoding, text syntax, validation, hazard checks and `docs/isa.md` derive
//! from it (`isa_doc.rs` generates the document and a test keeps it current).
//!
//! # Code map
//! - `machine.rs` — descriptor, defaults (= `machines/default.toml`), validation.
//! - `isa.rs` — the instruction table: opcode, slot, latency class, operands.
//! - `coord.rs` — tile coordinates and mesh directions.
//! - `inst.rs` — [`Inst`], [`Operand`], [`Bundle`]; operand placement.
//! - `program.rs` — [`Program`] and its validation against a machine.
//! - `encoding.rs` — 64-bit instruction words, bundles, program images.
//! - `asm.rs`, `disasm.rs` — text syntax in both directions.
//! - `isa_doc.rs` — the ISA reference generated from the table.
//! - `compile/` — the compiler from lowered IR (its module doc has the map).
//! - `launch.rs` — [`SimEngine`]: the launch path (validate, lower, compile,
//!   simulate, copy results back).
//! - `sim/` — the simulator: `pe.rs` (VLIW issue, hazards), `semantics.rs`
//!   (values), `memory.rs` (SRAM, off-chip), `dma.rs` (descriptors,
//!   engines), `noc.rs` (mesh, contention), `locks.rs` (locks, cross-tile
//!   signals), `deadlock.rs` (wait-for report), `stats.rs`.
//! - `map/` — placement, kernel regions, channel routing, traffic and
//!   roofline models, SVG pictures (its module doc has its own map).
//!
//! **Architecture invariant:** the simulator runs only validated programs;
//! anything an instruction can do wrong at run time (early reads, bounds,
//! bad descriptors, deadlock) is a [`SimError`], never a panic.
//!
//! **Architecture invariant:** a run is a function of (machine, program,
//! initial memory): no host time, hashing or thread order enters the
//! simulated state.

pub mod asm;
pub mod compile;
pub mod coord;
pub mod disasm;
pub mod encoding;
pub mod inst;
pub mod isa;
pub mod isa_doc;
pub mod launch;
pub mod machine;
pub mod map;
pub mod program;
pub mod sim;

pub use asm::{assemble, assemble_for, AsmError};
pub use compile::{CompileError, CompiledProgram, InstanceMap};
pub use coord::{Direction, TileCoord};
pub use disasm::disassemble;
pub use encoding::{decode_program, encode_program, DecodeError};
pub use inst::{Bundle, Inst, InstError, Operand};
pub use isa::{LatencyClass, OpInfo, Opcode, RegClass, SlotKind};
pub use launch::{
    GraphArg, GraphMode, GraphReport, InstancePlacement, KernelReport, LoopScheduling, PhaseReport,
    PlacementPolicy, SimEngine, SimGraph, SimImage, SimLaunchError, SimReport, TensorId,
    TensorPath, TensorReport,
};
pub use machine::{Machine, MachineError};
pub use program::{PeProgram, Program, ProgramError};
pub use sim::{Descriptor, SimError, SimErrorKind, Simulator, Stats};
