//! Contiguity facts: which vectors are `lane0 + i` (integers) or
//! `&lane0[i]` (pointers), so a global access through them can be one
//! vector load or store (masked by the op's mask) instead of a gather or
//! scatter.
//!
//! Facts come from `arange`, `add` of such a vector and a `splat`, and
//! `ptr_add` of a splatted pointer and such offsets (or of contiguous
//! pointers and a splatted offset). Integer lanes are computed with
//! wrapping arithmetic, so a fact carries a run-time condition that no
//! lane wrapped (`lane0 <= MAX - (L - 1)` in the offset type's order); the
//! vector access is guarded by it, falling back to a gather or scatter.
//!
//! Pointer vectors with no fact (read back from a local buffer: a pointer
//! tile carried by a loop, as in a matmul's `a_ptrs += BLOCK_K`) are
//! checked at run time instead ([`Translator::runtime_contig`]): when every
//! active lane is `&lane0[i]`, the access is one masked vector load or
//! store, else a gather or scatter. The check is a few vector ops; a gather
//! of sixteen lanes costs more than that on every x86 that has one.

use super::error::LlvmError;
use super::translate::Translator;
use inkwell::values::{BasicValueEnum, InstructionOpcode as I, IntValue};
use inkwell::IntPredicate;
use persim_lang::ir::{Dtype, Op, Opcode};

/// A unit-stride vector.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Contig<'ctx> {
    /// Lane 0: an integer, or a typed pointer to the first element.
    pub lane0: BasicValueEnum<'ctx>,
    /// An `i1` that is true when no lane wrapped; `None` when that is known
    /// at compile time.
    pub no_wrap: Option<IntValue<'ctx>>,
}

impl<'a, 'ctx> Translator<'a, 'ctx> {
    /// Record facts about `op`'s result after it was translated.
    pub fn note_contiguity(&mut self, op: Op) -> Result<(), LlvmError> {
        let data = self.func.op(op);
        let Some(&r) = data.results.first() else {
            return Ok(());
        };
        let Some(&[lanes]) = self.func.ty(r).shape() else {
            return Ok(());
        };
        let fact = match data.opcode {
            Opcode::Arange => {
                let lo = data.attrs.int("lo").unwrap_or(0);
                Some(Contig {
                    lane0: self.i32c(lo).into(),
                    no_wrap: None,
                })
            }
            Opcode::Add => {
                let [a, b] = data.operands[..] else {
                    return Ok(());
                };
                let pair = match (
                    self.contig.get(&a),
                    self.splat_of.get(&b),
                    self.contig.get(&b),
                    self.splat_of.get(&a),
                ) {
                    (Some(c), Some(s), _, _) | (_, _, Some(c), Some(s)) => Some((*c, *s)),
                    _ => None,
                };
                match (pair, self.func.ty(r).dtype()) {
                    (Some((c, s)), Some(d)) if d.is_int() => {
                        let lane0 = self.b.build_binop(I::Add, c.lane0, s, "")?;
                        let fits = self.lanes_fit(d, lane0, lanes)?;
                        let no_wrap = match c.no_wrap {
                            Some(w) => self.b.build_and(w, fits, "")?,
                            None => fits,
                        };
                        Some(Contig {
                            lane0,
                            no_wrap: Some(no_wrap),
                        })
                    }
                    _ => None,
                }
            }
            Opcode::PtrAdd => {
                let [p, off] = data.operands[..] else {
                    return Ok(());
                };
                let Some(od) = self.func.ty(off).dtype() else {
                    return Ok(());
                };
                match (
                    self.splat_of.get(&p).copied(),
                    self.contig.get(&off).copied(),
                    self.contig.get(&p).copied(),
                    self.splat_of.get(&off).copied(),
                ) {
                    (Some(BasicValueEnum::PointerValue(base)), Some(c), _, _) => {
                        let lane0 = self.offset_pointer(base, od, c.lane0)?;
                        Some(Contig {
                            lane0,
                            no_wrap: c.no_wrap,
                        })
                    }
                    (_, _, Some(c), Some(s)) if c.lane0.is_pointer_value() => {
                        let lane0 = self.offset_pointer(c.lane0.into_pointer_value(), od, s)?;
                        Some(Contig {
                            lane0,
                            no_wrap: c.no_wrap,
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(f) = fact {
            self.contig.insert(r, f);
        }
        Ok(())
    }

    /// A contiguity fact for the address vector `addrs` (`<L x i64>`) of
    /// elements of `elem_bytes`, guarded by the run-time condition that
    /// every lane `mask` enables holds `addrs[0] + i · elem_bytes`.
    pub fn runtime_contig(
        &self,
        addrs: BasicValueEnum<'ctx>,
        mask: BasicValueEnum<'ctx>,
        elem_bytes: u32,
    ) -> Result<Contig<'ctx>, LlvmError> {
        let n = self.lanes_of(addrs);
        let a0 = self.lane(addrs, 0)?;
        let base = self.splat_value(a0, n)?;
        let steps: Vec<_> = (0..n)
            .map(|i| {
                self.cx
                    .i64_type()
                    .const_int(u64::from(i * elem_bytes), false)
            })
            .collect();
        let steps = inkwell::types::VectorType::const_vector(&steps);
        let expect = self.b.build_binop(I::Add, base, steps.into(), "")?;
        let same = self.icmp(IntPredicate::EQ, addrs, expect)?;
        let off = self
            .b
            .build_binop(I::Xor, mask, self.int_const(mask.get_type(), -1), "")?;
        let fine = self.b.build_binop(I::Or, same, off, "")?;
        let all = self.intrinsic("llvm.vector.reduce.and", &[fine.get_type()], &[fine])?;
        let lane0 = self.b.build_int_to_ptr(
            a0.into_int_value(),
            self.cx.i8_type().ptr_type(inkwell::AddressSpace::default()),
            "",
        )?;
        Ok(Contig {
            lane0: lane0.into(),
            no_wrap: Some(all.into_int_value()),
        })
    }

    /// `lane0 + (lanes - 1)` does not exceed `d`'s maximum.
    fn lanes_fit(
        &self,
        d: Dtype,
        lane0: BasicValueEnum<'ctx>,
        lanes: u32,
    ) -> Result<IntValue<'ctx>, LlvmError> {
        let bits = d.bits();
        let (pred, max) = if d.is_signed_int() {
            (IntPredicate::SLE, (1i128 << (bits - 1)) - 1)
        } else {
            (IntPredicate::ULE, (1i128 << bits) - 1)
        };
        let limit = self.int_const(lane0.get_type(), (max - (lanes as i128 - 1)) as i64);
        Ok(self.icmp(pred, lane0, limit)?.into_int_value())
    }
}
