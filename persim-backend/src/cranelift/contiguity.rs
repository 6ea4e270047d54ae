//! Contiguity facts: which vectors are `lane0 + i` (integers) or
//! `lane0 + i × size` (pointers), so a global access through them can be one
//! vector load or store instead of one access per lane.
//!
//! Facts come from `arange`, `add` of such a vector and a `splat`, and
//! `ptr_add` of a splatted pointer and such offsets (or of contiguous
//! pointers and a splatted offset). Integer lanes are computed with wrapping
//! arithmetic, so a fact carries a run-time condition that no lane wrapped
//! (`lane0 <= MAX - (L - 1)` in the offset type's order); the fast access
//! is guarded by it, and by the mask being all true, falling back to the
//! per-lane path otherwise.

use super::translate::Translator;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self as cl, types, InstBuilder};
use persim_lang::ir::{Dtype, Op, Opcode, Value};

/// A unit-stride vector.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Contig {
    /// Lane 0: an integer, or the address of the first element.
    pub lane0: cl::Value,
    /// An `i8` that is nonzero when no lane wrapped; `None` when that is
    /// known at compile time.
    pub no_wrap: Option<cl::Value>,
}

impl Translator<'_> {
    /// Record facts about `op`'s result after it was translated.
    pub fn note_contiguity(&mut self, op: Op) {
        let data = self.func.op(op);
        let Some(&r) = data.results.first() else {
            return;
        };
        let Some(&[lanes]) = self.func.ty(r).shape() else {
            return;
        };
        let fact = match data.opcode {
            Opcode::Arange => {
                let lo = data.attrs.int("lo").unwrap_or(0);
                Some(Contig {
                    lane0: self.fb.ins().iconst(types::I32, lo),
                    no_wrap: None,
                })
            }
            Opcode::Add => {
                let [a, b] = data.operands[..] else { return };
                let pair = match (
                    self.contig[a],
                    self.splat_of[b],
                    self.contig[b],
                    self.splat_of[a],
                ) {
                    (Some(c), Some(s), _, _) | (_, _, Some(c), Some(s)) => Some((c, s)),
                    _ => None,
                };
                pair.and_then(|(c, s)| {
                    let d = self.func.ty(r).dtype()?;
                    let lane0 = self.fb.ins().iadd(c.lane0, s);
                    let fits = self.lanes_fit(d, lane0, lanes);
                    let no_wrap = match c.no_wrap {
                        Some(w) => self.fb.ins().band(w, fits),
                        None => fits,
                    };
                    Some(Contig {
                        lane0,
                        no_wrap: Some(no_wrap),
                    })
                })
            }
            Opcode::PtrAdd => {
                let [p, off] = data.operands[..] else { return };
                let Some(size) = self.func.ty(p).elem().pointee().map(Dtype::size_bytes) else {
                    return;
                };
                let Some(od) = self.func.ty(off).dtype() else {
                    return;
                };
                match (
                    self.splat_of[p],
                    self.contig[off],
                    self.contig[p],
                    self.splat_of[off],
                ) {
                    (Some(base), Some(c), _, _) => {
                        let scaled = self.scaled_offset(od, c.lane0, size);
                        Some(Contig {
                            lane0: self.fb.ins().iadd(base, scaled),
                            no_wrap: c.no_wrap,
                        })
                    }
                    (_, _, Some(c), Some(s)) => {
                        let scaled = self.scaled_offset(od, s, size);
                        Some(Contig {
                            lane0: self.fb.ins().iadd(c.lane0, scaled),
                            no_wrap: c.no_wrap,
                        })
                    }
                    _ => None,
                }
            }
            // Hints are their operand.
            Opcode::MultipleOf | Opcode::MaxContiguous => self.contig[data.operands[0]],
            _ => None,
        };
        self.contig[r] = fact;
    }

    /// `lane0 + (lanes - 1)` does not exceed `d`'s maximum.
    fn lanes_fit(&mut self, d: Dtype, lane0: cl::Value, lanes: u32) -> cl::Value {
        let bits = d.bits();
        let (cc, max) = if d.is_signed_int() {
            (IntCC::SignedLessThanOrEqual, (1i128 << (bits - 1)) - 1)
        } else {
            (IntCC::UnsignedLessThanOrEqual, (1i128 << bits) - 1)
        };
        let limit = (max - (lanes as i128 - 1)) as i64;
        let ty = self.fb.func.dfg.value_type(lane0);
        let limit = super::emit::iconst(&mut self.fb, ty, limit);
        self.fb.ins().icmp(cc, lane0, limit)
    }

    /// An offset scalar extended to 64 bits by its signedness, times `size`.
    fn scaled_offset(&mut self, d: Dtype, off: cl::Value, size: u32) -> cl::Value {
        let off = if d.bits() < 64 {
            if d.is_signed_int() {
                self.fb.ins().sextend(types::I64, off)
            } else {
                self.fb.ins().uextend(types::I64, off)
            }
        } else {
            off
        };
        self.fb.ins().imul_imm_s(off, size as i64)
    }

    /// The facts of a pointer vector, if contiguous.
    pub fn contiguous(&self, v: Value) -> Option<Contig> {
        self.contig[v]
    }
}
