//! Binary encoding of instructions, bundles and whole programs.
//!
//! Every instruction is one little-endian 64-bit word:
//!
//! ```text
//!  63                              32 31 29 28  24 23  19 18  14 13   9  8  7      0
//! +----------------------------------+-----+------+------+------+------+---+--------+
//! |            immediate             |mask |  D   |  C   |  B   |  A   | S | opcode |
//! +----------------------------------+-----+------+------+------+------+---+--------+
//! ```
//!
//! `S` is the stop bit: it marks the last instruction of a bundle (as the
//! parse bits of Hexagon or the p-bit of TI C6x), so bundles have no header
//! and a bundle costs one word per instruction. Which operand sits in which
//! field is fixed by the ISA table (`inst::placements`). Unused fields and
//! immediate bits must be zero, and every field must hold a value its
//! operand kind can take, so decoding is the exact inverse of encoding: each
//! valid word has one meaning and every other word is rejected.
//!
//! A program image is a header followed by one section per tile:
//!
//! ```text
//! "PSIMIMG\0"  version:u32=1  tiles:u32
//! per tile:  col:u8 row:u8 locks:u16  words:u32
//!            locks x (lock:u8 0:u8 value:u16)
//!            words x u64
//! ```

use std::fmt;

use super::coord::TileCoord;
use super::inst::{placements, Bundle, Inst, Placement, FIELDS};
use super::isa::Opcode;
use super::isa::{OperandKind, RegClass};
use super::program::{PeProgram, Program};

const STOP_BIT: u64 = 1 << 8;
const FIELD_SHIFT: [u32; FIELDS] = [9, 14, 19, 24];
const MASK_SHIFT: u32 = 29;
const IMAGE_MAGIC: &[u8; 8] = b"PSIMIMG\0";
const IMAGE_VERSION: u32 = 1;

/// Why bytes or words are not a valid encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Word index (for word streams) or byte offset (for images).
    pub at: usize,
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid encoding at {}: {}", self.at, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Encodes one instruction; `stop` marks the last of its bundle.
pub fn encode_inst(inst: &Inst, stop: bool) -> u64 {
    let mut word = u64::from(inst.opcode as u8);
    if stop {
        word |= STOP_BIT;
    }
    for (f, shift) in FIELD_SHIFT.iter().enumerate() {
        word |= u64::from(inst.fields[f] & 31) << shift;
    }
    word |= u64::from(inst.mask & 7) << MASK_SHIFT;
    word | u64::from(inst.imm) << 32
}

/// Decodes one word into an instruction and its stop bit.
pub fn decode_inst(word: u64) -> Result<(Inst, bool), String> {
    let byte = (word & 0xff) as u8;
    let opcode = Opcode::from_byte(byte).ok_or_else(|| format!("unknown opcode 0x{byte:02x}"))?;
    let info = opcode.info();
    let mut fields = [0u8; FIELDS];
    for (f, shift) in FIELD_SHIFT.iter().enumerate() {
        fields[f] = ((word >> shift) & 31) as u8;
    }
    let mask = ((word >> MASK_SHIFT) & 7) as u8;
    let imm = (word >> 32) as u32;
    if mask != 0 && !info.maskable {
        return Err(format!(
            "`{opcode}` is not maskable but the mask field is m{mask}"
        ));
    }
    let mut used_fields = [false; FIELDS];
    let mut imm_bits = 0u32;
    for (spec, place) in placements(info) {
        match place {
            Placement::Field(f) | Placement::FieldAndImm(f) => {
                used_fields[f] = true;
                let limit = match spec.kind {
                    OperandKind::Reg(RegClass::Mask) => 7,
                    OperandKind::Dir => 3,
                    _ => 31,
                };
                if fields[f] > limit {
                    return Err(format!(
                        "`{opcode}` field {} holds {} but its operand allows at most {limit}",
                        field_name(f),
                        fields[f]
                    ));
                }
                if matches!(place, Placement::FieldAndImm(_)) {
                    imm_bits = u32::MAX;
                }
            }
            Placement::Imm => imm_bits = u32::MAX,
            Placement::ImmHigh => imm_bits |= 0xffff_0000,
            Placement::ImmLow => imm_bits |= 0x0000_ffff,
        }
    }
    for f in 0..FIELDS {
        if !used_fields[f] && fields[f] != 0 {
            return Err(format!(
                "`{opcode}` does not use field {} but it holds {}",
                field_name(f),
                fields[f]
            ));
        }
    }
    if imm & !imm_bits != 0 {
        return Err(format!(
            "`{opcode}` leaves immediate bits 0x{:08x} unused but they are set",
            imm & !imm_bits
        ));
    }
    let inst = Inst {
        opcode,
        fields,
        mask,
        imm,
    };
    Ok((inst, word & STOP_BIT != 0))
}

fn field_name(f: usize) -> char {
    (b'A' + f as u8) as char
}

/// Encodes bundles as a word stream (stop bit on each bundle's last word).
pub fn encode_bundles(bundles: &[Bundle]) -> Vec<u64> {
    let mut words = Vec::new();
    for bundle in bundles {
        let last = bundle.insts.len().saturating_sub(1);
        for (i, inst) in bundle.insts.iter().enumerate() {
            words.push(encode_inst(inst, i == last));
        }
    }
    words
}

/// Decodes a word stream into bundles; errors carry the word index.
pub fn decode_bundles(words: &[u64]) -> Result<Vec<Bundle>, DecodeError> {
    let mut bundles = Vec::new();
    let mut current = Vec::new();
    for (at, &word) in words.iter().enumerate() {
        let (inst, stop) = decode_inst(word).map_err(|message| DecodeError { at, message })?;
        current.push(inst);
        if stop {
            bundles.push(Bundle::new(std::mem::take(&mut current)));
        }
    }
    if !current.is_empty() {
        return Err(DecodeError {
            at: words.len(),
            message: "the last bundle has no stop bit".into(),
        });
    }
    Ok(bundles)
}

/// Encodes a whole program as an image.
pub fn encode_program(program: &Program) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(IMAGE_MAGIC);
    out.extend_from_slice(&IMAGE_VERSION.to_le_bytes());
    out.extend_from_slice(&(program.tiles.len() as u32).to_le_bytes());
    for (tile, pe) in &program.tiles {
        let words = encode_bundles(&pe.bundles);
        // At most 256 lock entries (lock numbers are u8), so u16 holds the count.
        out.extend_from_slice(&[tile.col, tile.row]);
        out.extend_from_slice(&(pe.lock_init.len() as u16).to_le_bytes());
        out.extend_from_slice(&(words.len() as u32).to_le_bytes());
        for (&lock, &value) in &pe.lock_init {
            out.extend_from_slice(&[lock, 0]);
            out.extend_from_slice(&value.to_le_bytes());
        }
        for w in words {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
    out
}

/// Decodes a program image; errors carry the byte offset.
pub fn decode_program(bytes: &[u8]) -> Result<Program, DecodeError> {
    let mut r = Reader { bytes, at: 0 };
    let magic = r.take(8, "the image header")?;
    if magic != IMAGE_MAGIC {
        return Err(DecodeError {
            at: 0,
            message: "not a persim program image (bad magic)".into(),
        });
    }
    let version = r.u32("the version")?;
    if version != IMAGE_VERSION {
        return Err(DecodeError {
            at: 8,
            message: format!("image version {version}, this decoder reads {IMAGE_VERSION}"),
        });
    }
    let count = r.u32("the tile count")?;
    let mut program = Program::new();
    for _ in 0..count {
        let start = r.at;
        let head = r.take(4, "a tile header")?;
        let (tile, locks) = (
            TileCoord::new(head[0], head[1]),
            u16::from_le_bytes([head[2], head[3]]),
        );
        if program.tiles.contains_key(&tile) {
            return Err(DecodeError {
                at: start,
                message: format!("tile {tile} appears twice"),
            });
        }
        let nwords = r.u32("the word count")? as usize;
        let mut pe = PeProgram::default();
        for _ in 0..locks {
            let at = r.at;
            let entry = r.take(4, "a lock entry")?;
            if entry[1] != 0 {
                return Err(DecodeError {
                    at: at + 1,
                    message: "reserved lock-entry byte is not zero".into(),
                });
            }
            if pe
                .lock_init
                .insert(entry[0], u16::from_le_bytes([entry[2], entry[3]]))
                .is_some()
            {
                return Err(DecodeError {
                    at,
                    message: format!("lock l{} initialised twice", entry[0]),
                });
            }
        }
        let words_at = r.at;
        let mut words = Vec::with_capacity(nwords.min(bytes.len() / 8));
        for _ in 0..nwords {
            words.push(r.u64("an instruction word")?);
        }
        pe.bundles = decode_bundles(&words).map_err(|e| DecodeError {
            at: words_at + 8 * e.at,
            message: format!("tile {tile}: {}", e.message),
        })?;
        program.tiles.insert(tile, pe);
    }
    if r.at != bytes.len() {
        return Err(DecodeError {
            at: r.at,
            message: format!("{} trailing bytes after the last tile", bytes.len() - r.at),
        });
    }
    Ok(program)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], DecodeError> {
        if self.bytes.len() - self.at < n {
            return Err(DecodeError {
                at: self.at,
                message: format!("truncated image: expected {what}"),
            });
        }
        let s = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }

    fn u32(&mut self, what: &str) -> Result<u32, DecodeError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }

    fn u64(&mut self, what: &str) -> Result<u64, DecodeError> {
        let b = self.take(8, what)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
}
