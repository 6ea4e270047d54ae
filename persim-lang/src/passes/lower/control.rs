//! Structured control flow: `for`, `if` and `while` whose carried or yielded
//! values may be tiles.
//!
//! Scalars and `[L]` vectors cross region boundaries as SSA values, as
//! before. A larger tile gets one buffer (a *slot*) for the whole op: the
//! initial value is copied into it before a loop, and the yielded value is
//! copied into it at the end of each iteration or branch — unless the
//! yielded value already lives there, as when a loop passes a tile through
//! unchanged. Inside the region the slot's buffer *is* the carried value.
//!
//! With reuse on, a loop's slot may be its initial value's own buffer when
//! nothing living there is read once the loop starts (see `reuse`): the
//! loop then carries the value where it already is, with no copy. Ops in
//! the body may overwrite the carried value in place (see `inplace`), so an
//! accumulator is updated in its slot and yielded without a copy.

use super::emit::{Ix, LResult};
use super::layout::{AffineTile, Repr};
use super::Lower;
use crate::ir::{Attrs, Block, Op, Opcode, Shape, Type, Value};

/// How one carried or yielded value crosses a region boundary.
#[derive(Clone, Debug)]
enum Slot {
    /// A scalar or a `[L]` vector: an SSA block argument / op result.
    Ssa { ty: Type, vector: bool },
    /// A larger tile: a buffer shared by every iteration or branch.
    Buf { buf: Value, shape: Shape },
    /// An affine tile a loop moves by a scalar each iteration (`a_ptrs +=
    /// BLOCK_K * stride`): only its offset is carried, as an `i32`.
    Affine(AffineTile),
}

impl Lower<'_> {
    fn slot(&mut self, ty: &Type) -> LResult<Slot> {
        let shape = ty
            .shape()
            .ok_or_else(|| self.error(format!("a region carries a {ty}")))?;
        if shape.is_empty() || self.is_vector_shape(shape) {
            return Ok(Slot::Ssa {
                ty: ty.clone(),
                vector: !shape.is_empty(),
            });
        }
        Ok(Slot::Buf {
            buf: self.alloc(ty.elem(), shape)?,
            shape: Shape::from_slice(shape),
        })
    }

    fn slots(&mut self, values: &[Value]) -> LResult<Vec<Slot>> {
        let src = self.src;
        values.iter().map(|&v| self.slot(src.ty(v))).collect()
    }

    /// Slots for the values loop `op` carries, starting from `inits`: each
    /// init's own buffer when the loop may carry it there, else a new slot.
    fn carried_slots(&mut self, op: Op, inits: &[Value]) -> LResult<Vec<Slot>> {
        let mut slots = Vec::with_capacity(inits.len());
        let mut taken = Vec::new();
        for (i, &v) in inits.iter().enumerate() {
            if let Some(tile) = self.affine_carry(op, i, v)? {
                slots.push(Slot::Affine(tile));
                continue;
            }
            let slot = match self.carried_in_place(op, v, &taken)? {
                Some(buf) => {
                    taken.push(buf);
                    Slot::Buf {
                        buf,
                        shape: self.src_shape(v)?,
                    }
                }
                None => self.slot(self.src.ty(v))?,
            };
            slots.push(slot);
        }
        Ok(slots)
    }

    /// Types of the SSA slots, in order.
    fn ssa_types(slots: &[Slot]) -> Vec<Type> {
        slots
            .iter()
            .filter_map(|s| match s {
                Slot::Ssa { ty, .. } => Some(ty.clone()),
                Slot::Affine(_) => Some(Type::scalar(crate::ir::Dtype::I32)),
                Slot::Buf { .. } => None,
            })
            .collect()
    }

    /// A fresh block with one argument per SSA slot (after `leading` ones).
    fn slot_block(&mut self, leading: &[Type], slots: &[Slot]) -> (Block, Vec<Value>) {
        let block = self.out.new_block();
        let mut args = Vec::new();
        for t in leading.iter().cloned().chain(Self::ssa_types(slots)) {
            args.push(self.out.add_block_arg(block, t));
        }
        (block, args)
    }

    /// The representation of each slot's value, given the SSA values (block
    /// arguments or op results) of its SSA slots.
    fn slot_reprs(&self, slots: &[Slot], ssa: &[Value]) -> LResult<Vec<Repr>> {
        let mut ssa = ssa.iter();
        slots
            .iter()
            .map(|s| match s {
                Slot::Buf { buf, shape } => Ok(Repr::Buf {
                    buf: *buf,
                    shape: shape.clone(),
                }),
                Slot::Affine(tile) => {
                    let v = *ssa
                        .next()
                        .ok_or_else(|| self.internal("fewer SSA values than slots"))?;
                    Ok(Repr::Affine(AffineTile {
                        offset: Ix::Dyn(v),
                        ..tile.clone()
                    }))
                }
                Slot::Ssa { vector, .. } => {
                    let v = *ssa
                        .next()
                        .ok_or_else(|| self.internal("fewer SSA values than slots"))?;
                    Ok(if *vector {
                        Repr::Vector(v)
                    } else {
                        Repr::Scalar(v)
                    })
                }
            })
            .collect()
    }

    /// Bind source values to the representations of their slots.
    fn bind_slots(&mut self, values: &[Value], slots: &[Slot], ssa: &[Value]) -> LResult<()> {
        let reprs = self.slot_reprs(slots, ssa)?;
        for (&v, r) in values.iter().zip(reprs) {
            self.bind(v, r);
        }
        Ok(())
    }

    /// Put `values` into their slots: copy tiles into slot buffers and return
    /// the SSA values to pass on.
    fn fill_slots(&mut self, slots: &[Slot], values: &[Value]) -> LResult<Vec<Value>> {
        if slots.len() != values.len() {
            return Err(self.error(format!(
                "{} values for {} results or carried values",
                values.len(),
                slots.len()
            )));
        }
        let mut reprs = values
            .iter()
            .map(|&v| self.repr(v))
            .collect::<LResult<Vec<_>>>()?;
        // A value living in *another* slot's buffer (a loop yielding its
        // carried tiles swapped) would be overwritten before it is copied:
        // take it out first. Only slots whose value is not already in place
        // are overwritten.
        let lives_in = |r: &Repr, b: &Value| matches!(r, Repr::Buf { buf, .. } if buf == b);
        let overwritten: Vec<Value> = slots
            .iter()
            .zip(&reprs)
            .filter_map(|(s, r)| match s {
                Slot::Buf { buf, .. } if !lives_in(r, buf) => Some(*buf),
                _ => None,
            })
            .collect();
        for (slot, r) in slots.iter().zip(reprs.iter_mut()) {
            if let Repr::Buf { buf, shape } = r {
                let own = matches!(slot, Slot::Buf { buf: b, .. } if b == buf);
                if !own && overwritten.contains(buf) {
                    let (b, s) = (*buf, shape.clone());
                    let tmp = self.alloc(self.out.ty(b).elem(), &s)?;
                    self.copy_into(tmp, &s, r)?;
                    *r = Repr::Buf { buf: tmp, shape: s };
                }
            }
        }
        let mut ssa = Vec::new();
        for (slot, r) in slots.iter().zip(&reprs) {
            match slot {
                Slot::Affine(tile) => match r {
                    Repr::Affine(a) if a.base == tile.base && a.strides == tile.strides => {
                        let offset = self.ix(a.offset)?;
                        ssa.push(offset);
                    }
                    r => return Err(self.internal(format!("affine slot holds {r:?}"))),
                },
                Slot::Buf { buf, shape } => self.copy_into(*buf, shape, r)?,
                Slot::Ssa { vector: false, .. } => match r {
                    Repr::Scalar(v) => ssa.push(*v),
                    r => return Err(self.internal(format!("scalar slot holds {r:?}"))),
                },
                Slot::Ssa { vector: true, .. } => ssa.push(self.read_chunk(r, Ix::Const(0))?),
            }
        }
        Ok(ssa)
    }

    /// Lower a source region into `block`; it must end with `expected`,
    /// whose first `skip` operands (the `condition` flag) are scalars passed
    /// as they are and whose others are put into `slots`.
    fn lower_region(
        &mut self,
        region: Block,
        block: Block,
        expected: Opcode,
        skip: usize,
        slots: &[Slot],
    ) -> LResult<()> {
        let outer = std::mem::replace(&mut self.block, block);
        let outer_scope = std::mem::replace(&mut self.scope, block);
        let term = self.lower_ops(region)?;
        let data = &self.src.ops[term];
        if data.opcode != expected {
            return Err(self.error(format!(
                "region ends with `{}`, expected `{}`",
                data.opcode.name(),
                expected.name()
            )));
        }
        let operands = data.operands.clone();
        let lead = operands
            .get(..skip)
            .ok_or_else(|| self.error(format!("`{}` without operands", expected.name())))?
            .iter()
            .map(|&v| self.scalar(v))
            .collect::<LResult<Vec<_>>>()?;
        let ssa = self.fill_slots(slots, &operands[skip..])?;
        let all: Vec<Value> = lead.into_iter().chain(ssa).collect();
        self.emit_void(expected, &all, Attrs::new())?;
        self.block = outer;
        self.scope = outer_scope;
        Ok(())
    }

    fn region_args(&self, op: Op, i: usize, expected: usize) -> LResult<(Block, Vec<Value>)> {
        let region = self.src.ops[op].regions[i];
        let args = self.src.block_args(region).to_vec();
        if args.len() != expected {
            return Err(self.error(format!(
                "region {i} of `{}` has {} arguments, expected {expected}",
                self.src.ops[op].opcode.name(),
                args.len()
            )));
        }
        Ok((region, args))
    }

    /// The slot of carried value `i` of `for` loop `op` (initially `init`)
    /// when it can be carried as an affine tile's offset: the target keeps
    /// affine tiles, `init` is one, and the body yields the carried value
    /// itself or it moved by a splat (`ptr_add(x, splat(s))`, `x +
    /// splat(s)`), which keeps its base and strides.
    fn affine_carry(&self, op: Op, i: usize, init: Value) -> LResult<Option<AffineTile>> {
        let data = &self.src.ops[op];
        if data.opcode != Opcode::For || !self.affine_tiles {
            return Ok(None);
        }
        let Repr::Affine(tile) = self.repr(init)? else {
            return Ok(None);
        };
        let body = data.regions[0];
        let arg = self.src.block_args(body)[i + 1];
        let Some(&term) = self.src.block_ops(body).last() else {
            return Ok(None);
        };
        let Some(&yielded) = self.src.ops[term].operands.get(i) else {
            return Ok(None);
        };
        let is_splat = |v: Value| {
            self.src
                .def_op(v)
                .is_some_and(|o| self.src.ops[o].opcode == Opcode::Splat)
        };
        let moved = yielded == arg
            || self.src.def_op(yielded).is_some_and(|o| {
                let d = &self.src.ops[o];
                match (d.opcode, d.operands.as_slice()) {
                    (Opcode::PtrAdd, &[p, s]) => p == arg && is_splat(s),
                    (Opcode::Add, &[x, y]) => {
                        (x == arg && is_splat(y)) || (y == arg && is_splat(x))
                    }
                    _ => false,
                }
            });
        Ok(moved.then_some(tile))
    }

    pub(super) fn lower_for(&mut self, op: Op) -> LResult<()> {
        let loc = self.loc;
        let data = &self.src.ops[op];
        let (operands, results) = (data.operands.clone(), data.results.clone());
        let bounds = operands[..3]
            .iter()
            .map(|&v| self.scalar(v))
            .collect::<LResult<Vec<_>>>()?;
        let inits = &operands[3..];
        let (body, args) = self.region_args(op, 0, inits.len() + 1)?;
        let slots = self.carried_slots(op, inits)?;
        let ssa_inits = self.fill_slots(&slots, inits)?;
        let iv_ty = self.out.ty(bounds[0]).clone();
        let (block, block_args) = self.slot_block(&[iv_ty], &slots);
        let mut loop_operands = bounds;
        loop_operands.extend(ssa_inits);
        // A tile loop `split-mask-tails` split keeps its mark: the lowered
        // loop is the same main loop or tail.
        let mut attrs = Attrs::new();
        if let Some(mark) = self.src.ops[op].attrs.get("mask_tail") {
            attrs = attrs.with("mask_tail", mark.clone());
        }
        let new = self.emit_op(Opcode::For, &loop_operands, attrs, &[block], None)?;
        self.bind(args[0], Repr::Scalar(block_args[0]));
        self.bind_slots(&args[1..], &slots, &block_args[1..])?;
        self.lower_region(body, block, Opcode::Yield, 0, &slots)?;
        self.loc = loc;
        let new_results = self.out.ops[new].results.to_vec();
        self.bind_slots(&results, &slots, &new_results)
    }

    pub(super) fn lower_if(&mut self, op: Op) -> LResult<()> {
        let loc = self.loc;
        let data = &self.src.ops[op];
        let (cond, results) = (self.scalar(data.operands[0])?, data.results.clone());
        let (then_region, _) = self.region_args(op, 0, 0)?;
        let (else_region, _) = self.region_args(op, 1, 0)?;
        let slots = self.slots(&results)?;
        let (then_block, _) = self.slot_block(&[], &[]);
        let (else_block, _) = self.slot_block(&[], &[]);
        let types = Self::ssa_types(&slots);
        let new = self.emit_op(
            Opcode::If,
            &[cond],
            Attrs::new(),
            &[then_block, else_block],
            Some(types),
        )?;
        self.lower_region(then_region, then_block, Opcode::Yield, 0, &slots)?;
        self.lower_region(else_region, else_block, Opcode::Yield, 0, &slots)?;
        self.loc = loc;
        let new_results = self.out.ops[new].results.to_vec();
        self.bind_slots(&results, &slots, &new_results)
    }

    pub(super) fn lower_while(&mut self, op: Op) -> LResult<()> {
        let loc = self.loc;
        let data = &self.src.ops[op];
        let (inits, results) = (data.operands.clone(), data.results.clone());
        let (before, before_args) = self.region_args(op, 0, inits.len())?;
        let (after, after_args) = self.region_args(op, 1, results.len())?;
        // Carried values (before-region arguments) and passed-on values
        // (after-region arguments, then results) get separate slots.
        let carried = self.carried_slots(op, &inits)?;
        let passed = self.slots(&results)?;
        let ssa_inits = self.fill_slots(&carried, &inits)?;
        let (before_block, before_ssa) = self.slot_block(&[], &carried);
        let (after_block, after_ssa) = self.slot_block(&[], &passed);
        let new = self.emit_op(
            Opcode::While,
            &ssa_inits,
            Attrs::new(),
            &[before_block, after_block],
            None,
        )?;
        self.bind_slots(&before_args, &carried, &before_ssa)?;
        self.lower_region(before, before_block, Opcode::Condition, 1, &passed)?;
        self.bind_slots(&after_args, &passed, &after_ssa)?;
        self.lower_region(after, after_block, Opcode::Yield, 0, &carried)?;
        self.loc = loc;
        let new_results = self.out.ops[new].results.to_vec();
        self.bind_slots(&results, &passed, &new_results)
    }
}
