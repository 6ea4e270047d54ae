//! The assembler: assembly text to a [`Program`], with `line:col` errors.
//!
//! Syntax (the disassembler prints exactly this form):
//! - `# ...` and `// ...` are comments;
//! - `.tile (col,row)` starts the code of a compute tile; labels are local to it;
//! - `.lock lN, value` sets a lock's initial value;
//! - `name:` labels the next bundle (labels may share a line with it);
//! - a bundle is one line of instructions separated by `|`; an instruction is
//!   a mnemonic, comma-separated operands and an optional `@mN` predicate.
//!
//! The assembler is machine-independent: it checks what the encoding can hold
//! (register numbers up to 31, masks up to 7, 32-bit immediates).
//! [`assemble_for`] also checks the result against a machine and reports a
//! bundle that does not fit at its source line.

use std::collections::BTreeMap;
use std::fmt;

use super::coord::{Direction, TileCoord};
use super::inst::{kind_name, Bundle, Inst, Operand};
use super::isa::{Opcode, OperandKind, RegClass};
use super::machine::Machine;
use super::program::{PeProgram, Program};

/// An assembly error at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsmError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for AsmError {}

/// Assembles text into a program (machine-independent checks only).
pub fn assemble(text: &str) -> Result<Program, AsmError> {
    Assembler::default().run(text)
}

/// Assembles and validates against `machine`; a bundle that does not fit is
/// reported at its line.
pub fn assemble_for(text: &str, machine: &Machine) -> Result<Program, AsmError> {
    let program = assemble(text)?;
    program.validate(machine).map_err(|e| AsmError {
        line: e.line.unwrap_or(0),
        col: 1,
        message: match e.bundle {
            Some(b) => format!("tile {} bundle {b}: {}", e.tile, e.message),
            None => format!("tile {}: {}", e.tile, e.message),
        },
    })?;
    Ok(program)
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Int(i64),
    Punct(char),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    col: u32,
}

/// A label use to resolve when its tile section ends.
struct Fixup {
    bundle: usize,
    inst: usize,
    label: String,
    line: u32,
    col: u32,
}

#[derive(Default)]
struct Assembler {
    program: Program,
    current: Option<TileCoord>,
    labels: BTreeMap<String, u32>,
    fixups: Vec<Fixup>,
    /// Labels seen since the last bundle, with their positions.
    pending_labels: Vec<(String, u32, u32)>,
}

fn err<T>(line: u32, col: u32, message: impl Into<String>) -> Result<T, AsmError> {
    Err(AsmError {
        line,
        col,
        message: message.into(),
    })
}

impl Assembler {
    fn run(mut self, text: &str) -> Result<Program, AsmError> {
        for (i, raw) in text.lines().enumerate() {
            let line = (i + 1) as u32;
            let tokens = tokenize(raw, line)?;
            self.line(line, &tokens)?;
        }
        self.finish_tile()?;
        Ok(self.program)
    }

    fn line(&mut self, line: u32, tokens: &[Token]) -> Result<(), AsmError> {
        let mut p = Cursor {
            tokens,
            pos: 0,
            line,
        };
        if let Some(Tok::Ident(word)) = p.peek() {
            match word.as_str() {
                ".tile" => return self.tile_directive(&mut p),
                ".lock" => return self.lock_directive(&mut p),
                w if w.starts_with('.') && !p.is_label_next() => {
                    return err(
                        line,
                        p.col(),
                        format!("unknown directive `{w}` (expected `.tile` or `.lock`)"),
                    );
                }
                _ => {}
            }
        }
        while p.is_label_next() {
            let (name, col) = p.ident()?;
            p.expect(':')?;
            if self.labels.contains_key(&name) || self.pending_labels.iter().any(|l| l.0 == name) {
                return err(
                    line,
                    col,
                    format!("label `{name}` is defined twice in this tile"),
                );
            }
            self.pending_labels.push((name, line, col));
        }
        if p.at_end() {
            return Ok(());
        }
        let tile = match self.current {
            Some(t) => t,
            None => {
                return err(
                    line,
                    p.col(),
                    "instruction before any `.tile (col,row)` directive",
                )
            }
        };
        let index = self.program.tiles[&tile].bundles.len() as u32;
        for (name, _, _) in self.pending_labels.drain(..) {
            self.labels.insert(name, index);
        }
        let mut insts = Vec::new();
        loop {
            let inst = self.inst(&mut p, index as usize, insts.len())?;
            insts.push(inst);
            if p.at_end() {
                break;
            }
            p.expect('|')?;
        }
        let pe = self.program.tile_mut(tile);
        pe.bundles.push(Bundle::new(insts));
        pe.lines.push(line);
        Ok(())
    }

    fn tile_directive(&mut self, p: &mut Cursor) -> Result<(), AsmError> {
        p.ident()?;
        let col = p.col();
        let tile = p.tile()?;
        p.end()?;
        self.finish_tile()?;
        if tile.is_shim() {
            return err(
                p.line,
                col,
                format!("{tile} is a shim tile (row 0); code runs on rows 1 and up"),
            );
        }
        if self.program.tiles.contains_key(&tile) {
            return err(
                p.line,
                col,
                format!("tile {tile} already has a `.tile` section"),
            );
        }
        self.program.tiles.insert(tile, PeProgram::default());
        self.current = Some(tile);
        Ok(())
    }

    fn lock_directive(&mut self, p: &mut Cursor) -> Result<(), AsmError> {
        p.ident()?;
        let col = p.col();
        let Some(tile) = self.current else {
            return err(p.line, col, "`.lock` before any `.tile` directive");
        };
        let lock = p.numbered("l", 31, "a lock")?;
        p.expect(',')?;
        let value = p.int_in(0, 65535, "a lock value")? as u16;
        p.end()?;
        if self
            .program
            .tile_mut(tile)
            .lock_init
            .insert(lock, value)
            .is_some()
        {
            return err(p.line, col, format!("l{lock} is initialised twice"));
        }
        Ok(())
    }

    fn inst(&mut self, p: &mut Cursor, bundle: usize, slot: usize) -> Result<Inst, AsmError> {
        let col = p.col();
        let (name, _) = p.ident()?;
        let Some(opcode) = Opcode::from_mnemonic(&name) else {
            return err(p.line, col, format!("unknown instruction `{name}`"));
        };
        let info = opcode.info();
        let mut operands = Vec::new();
        for (i, spec) in info.operands.iter().enumerate() {
            if i > 0 {
                p.expect(',')?;
            } else if p.at_operand_end() {
                return err(
                    p.line,
                    p.col(),
                    format!("`{name}` expects {}", kind_name(spec.kind)),
                );
            }
            let operand_col = p.col();
            let operand = match spec.kind {
                OperandKind::Target => {
                    let (label, _) = p.ident().or_else(|_| {
                        err(p.line, operand_col, format!("`{name}` expects a label"))
                    })?;
                    self.fixups.push(Fixup {
                        bundle,
                        inst: slot,
                        label,
                        line: p.line,
                        col: operand_col,
                    });
                    Operand::Target(0)
                }
                kind => p.operand(kind)?,
            };
            operands.push(operand);
        }
        let mut mask = 0;
        if p.peek() == Some(&Tok::Punct('@')) {
            let at = p.col();
            p.pos += 1;
            if !info.maskable {
                return err(p.line, at, format!("`{name}` takes no `@m` predicate"));
            }
            mask = p.numbered("m", 7, "a mask register")?;
        }
        if !p.at_end() && p.peek() != Some(&Tok::Punct('|')) {
            return err(
                p.line,
                p.col(),
                format!("unexpected {} after the operands of `{name}`", p.describe()),
            );
        }
        let inst = Inst::new(opcode, &operands)
            .and_then(|i| i.masked(mask))
            .map_err(|e| AsmError {
                line: p.line,
                col,
                message: e.to_string(),
            })?;
        Ok(inst)
    }

    fn finish_tile(&mut self) -> Result<(), AsmError> {
        if let Some((name, line, col)) = self.pending_labels.first() {
            return err(*line, *col, format!("label `{name}` labels no bundle"));
        }
        if let Some(tile) = self.current {
            let pe = self.program.tile_mut(tile);
            for f in self.fixups.drain(..) {
                let Some(&target) = self.labels.get(&f.label) else {
                    return err(f.line, f.col, format!("undefined label `{}`", f.label));
                };
                pe.bundles[f.bundle].insts[f.inst].imm = target;
            }
        }
        self.labels.clear();
        Ok(())
    }
}

struct Cursor<'a> {
    tokens: &'a [Token],
    pos: usize,
    line: u32,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn col(&self) -> u32 {
        self.tokens
            .get(self.pos)
            .map_or_else(|| self.tokens.last().map_or(1, |t| t.col + 1), |t| t.col)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    fn at_operand_end(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(Tok::Punct('|')) | Some(Tok::Punct('@'))
        )
    }

    fn is_label_next(&self) -> bool {
        matches!(self.peek(), Some(Tok::Ident(_)))
            && matches!(
                self.tokens.get(self.pos + 1),
                Some(Token {
                    tok: Tok::Punct(':'),
                    ..
                })
            )
    }

    fn describe(&self) -> String {
        match self.peek() {
            None => "end of line".into(),
            Some(Tok::Ident(s)) => format!("`{s}`"),
            Some(Tok::Int(v)) => format!("`{v}`"),
            Some(Tok::Punct(c)) => format!("`{c}`"),
        }
    }

    fn expect(&mut self, c: char) -> Result<(), AsmError> {
        if self.peek() == Some(&Tok::Punct(c)) {
            self.pos += 1;
            Ok(())
        } else {
            err(
                self.line,
                self.col(),
                format!("expected `{c}`, found {}", self.describe()),
            )
        }
    }

    fn end(&self) -> Result<(), AsmError> {
        if self.at_end() {
            Ok(())
        } else {
            err(
                self.line,
                self.col(),
                format!("unexpected {} at the end of the line", self.describe()),
            )
        }
    }

    fn ident(&mut self) -> Result<(String, u32), AsmError> {
        let col = self.col();
        match self.peek() {
            Some(Tok::Ident(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok((s, col))
            }
            _ => err(
                self.line,
                col,
                format!("expected a name, found {}", self.describe()),
            ),
        }
    }

    fn int(&mut self, what: &str) -> Result<i64, AsmError> {
        match self.peek() {
            Some(Tok::Int(v)) => {
                let v = *v;
                self.pos += 1;
                Ok(v)
            }
            _ => err(
                self.line,
                self.col(),
                format!("expected {what}, found {}", self.describe()),
            ),
        }
    }

    fn int_in(&mut self, lo: i64, hi: i64, what: &str) -> Result<i64, AsmError> {
        let col = self.col();
        let v = self.int(what)?;
        if (lo..=hi).contains(&v) {
            Ok(v)
        } else {
            err(
                self.line,
                col,
                format!("{what} must be from {lo} to {hi}, got {v}"),
            )
        }
    }

    /// `prefix` followed by a number up to `max`, e.g. `v12`.
    fn numbered(&mut self, prefix: &str, max: u8, what: &str) -> Result<u8, AsmError> {
        let col = self.col();
        let (name, _) = self.ident().or_else(|_| {
            err(
                self.line,
                col,
                format!(
                    "expected {what} ({prefix}0..{prefix}{max}), found {}",
                    self.describe()
                ),
            )
        })?;
        let digits = name
            .strip_prefix(prefix)
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
        match digits.and_then(|d| d.parse::<u32>().ok()) {
            Some(n) if n <= u32::from(max) => Ok(n as u8),
            Some(n) => err(
                self.line,
                col,
                format!(
                    "{what} {prefix}{n} does not exist (the ISA encodes {prefix}0..{prefix}{max})"
                ),
            ),
            None => err(
                self.line,
                col,
                format!("expected {what} ({prefix}0..{prefix}{max}), found `{name}`"),
            ),
        }
    }

    fn tile(&mut self) -> Result<TileCoord, AsmError> {
        self.expect('(')?;
        let col = self.int_in(0, 255, "a tile column")? as u8;
        self.expect(',')?;
        let row = self.int_in(0, 255, "a tile row")? as u8;
        self.expect(')')?;
        Ok(TileCoord::new(col, row))
    }

    fn operand(&mut self, kind: OperandKind) -> Result<Operand, AsmError> {
        Ok(match kind {
            OperandKind::Reg(class) => {
                let max = if class == RegClass::Mask { 7 } else { 31 };
                let what = match class {
                    RegClass::Scalar => "a scalar register",
                    RegClass::Vector => "a vector register",
                    RegClass::Mask => "a mask register",
                    RegClass::Acc => "an accumulator",
                };
                Operand::Reg(class, self.numbered(class.prefix(), max, what)?)
            }
            OperandKind::Lock => Operand::Lock(self.numbered("l", 31, "a lock")?),
            OperandKind::Channel => Operand::Channel(self.numbered("ch", 31, "a DMA channel")?),
            OperandKind::Dir => {
                let col = self.col();
                let (name, _) = self.ident()?;
                match Direction::from_name(&name) {
                    Some(d) => Operand::Dir(d),
                    None => {
                        return err(
                            self.line,
                            col,
                            format!("expected north, east, south or west, found `{name}`"),
                        )
                    }
                }
            }
            OperandKind::Lane => Operand::Lane(self.int_in(0, 31, "a lane index")? as u8),
            OperandKind::Imm => Operand::Imm(self.imm32()?),
            OperandKind::Mem => {
                let offset = if matches!(self.peek(), Some(Tok::Int(_))) {
                    self.imm32()?
                } else {
                    0
                };
                self.expect('(')?;
                let base = self.numbered("r", 31, "a base register")?;
                self.expect(')')?;
                Operand::Mem { base, offset }
            }
            OperandKind::Tile => Operand::Tile(self.tile()?),
            OperandKind::Count => Operand::Count(self.int_in(0, 65535, "a count")? as u16),
            OperandKind::Target => unreachable!("labels are resolved by the caller"),
        })
    }

    /// A 32-bit immediate: signed, or unsigned up to 0xffffffff (wrapped).
    fn imm32(&mut self) -> Result<i32, AsmError> {
        Ok(self.int_in(
            i64::from(i32::MIN),
            i64::from(u32::MAX),
            "a 32-bit immediate",
        )? as u32 as i32)
    }
}

fn tokenize(raw: &str, line: u32) -> Result<Vec<Token>, AsmError> {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = (i + 1) as u32;
        if c.is_whitespace() {
            i += 1;
        } else if c == '#' || (c == '/' && chars.get(i + 1) == Some(&'/')) {
            break;
        } else if c.is_ascii_alphabetic() || c == '_' || c == '.' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(chars[start..i].iter().collect()),
                col,
            });
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let text: String = chars[start..i].iter().filter(|&&c| c != '_').collect();
            let (neg, body) = match text.strip_prefix('-') {
                Some(b) => (true, b),
                None => (false, text.as_str()),
            };
            let parsed =
                if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
                    i64::from_str_radix(hex, 16)
                } else if let Some(bin) = body.strip_prefix("0b") {
                    i64::from_str_radix(bin, 2)
                } else {
                    body.parse::<i64>()
                };
            match parsed {
                Ok(v) => out.push(Token {
                    tok: Tok::Int(if neg { -v } else { v }),
                    col,
                }),
                Err(_) => return err(line, col, format!("bad number `{text}`")),
            }
        } else if "(),|:@".contains(c) {
            out.push(Token {
                tok: Tok::Punct(c),
                col,
            });
            i += 1;
        } else {
            return err(line, col, format!("unexpected character `{c}`"));
        }
    }
    Ok(out)
}
