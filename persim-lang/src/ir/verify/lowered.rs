//! Rules L1–L7: the "Lowered IR" contract of `ARCHITECTURE.md`, which every
//! backend relies on. Runs after the general invariants hold.

use super::{Report, VerifyError};
use crate::ir::attrs::Attr;
use crate::ir::entities::{Op, Value};
use crate::ir::function::Function;
use crate::ir::opcodes::Opcode;
use crate::ir::types::Type;

/// Ops that only exist before lowering (L2).
const TILE_ONLY_OPS: [Opcode; 11] = [
    Opcode::Broadcast,
    Opcode::ExpandDims,
    Opcode::Reshape,
    Opcode::Trans,
    Opcode::Dot,
    Opcode::Cat,
    Opcode::Join,
    Opcode::Split,
    Opcode::Scan,
    Opcode::ReduceWith,
    Opcode::ScanWith,
];

/// Buffers start on this byte alignment in local memory (L6).
const ALLOC_ALIGN: i64 = 64;

pub(super) fn check(f: &Function, lanes: u32, report: &Report) -> Result<(), VerifyError> {
    let local_mem = function_attrs(f, lanes, report)?;
    let check = Check {
        f,
        lanes,
        local_mem,
        report,
    };
    for op in f.all_ops() {
        check.op(op)?;
    }
    for &param in f.block_args(f.body) {
        if !check.is_vector_or_scalar(f.ty(param)) {
            return Err(report.at_function(check.bad_tile_message(param)));
        }
    }
    Ok(())
}

/// L1; returns `local_mem`.
fn function_attrs(f: &Function, lanes: u32, report: &Report) -> Result<i64, VerifyError> {
    match f.attrs.get("lanes") {
        Some(Attr::Int(n)) if *n == i64::from(lanes) => {}
        Some(other) => {
            return Err(report.at_function(format!(
                "function attribute `lanes` is {other}, but the target has {lanes} lanes"
            )))
        }
        None => {
            return Err(report.at_function("lowered IR must record the function attribute `lanes`"))
        }
    }
    match f.attrs.get("local_mem") {
        Some(Attr::Int(n)) if *n >= 0 => Ok(*n),
        Some(other) => Err(report.at_function(format!(
            "function attribute `local_mem` must be a byte count, got {other}"
        ))),
        None => {
            Err(report.at_function("lowered IR must record the function attribute `local_mem`"))
        }
    }
}

struct Check<'a, 'f> {
    f: &'f Function,
    lanes: u32,
    local_mem: i64,
    report: &'a Report<'f>,
}

impl Check<'_, '_> {
    fn is_vector_or_scalar(&self, ty: &Type) -> bool {
        match ty.shape() {
            Some(shape) => shape.is_empty() || shape == [self.lanes],
            None => true,
        }
    }

    fn is_vector(&self, ty: &Type) -> bool {
        ty.shape() == Some(&[self.lanes][..])
    }

    fn bad_tile_message(&self, v: Value) -> String {
        format!(
            "{} has type {}: lowered tiles are scalars or vectors of {} lanes",
            self.report.value(v),
            self.f.ty(v),
            self.lanes
        )
    }

    /// L2–L6, then L7 on the op's results and its regions' arguments.
    fn op(&self, op: Op) -> Result<(), VerifyError> {
        let f = self.f;
        let data = f.op(op);
        let err = |message: String| self.report.at_op(op, message);
        let name = data.opcode.name();
        let lanes = self.lanes;
        if TILE_ONLY_OPS.contains(&data.opcode) {
            return Err(err(format!("`{name}` must be lowered away")));
        }
        match data.opcode {
            Opcode::Reduce => {
                let (src, dst) = (f.ty(data.operands[0]), f.ty(data.results[0]));
                if !self.is_vector(src) || !dst.is_scalar() {
                    return Err(err(format!(
                        "`reduce` of {src} to {dst}: lowered reductions take one vector of \
                         {lanes} lanes to a scalar"
                    )));
                }
            }
            Opcode::Splat | Opcode::Arange => {
                let ty = f.ty(data.results[0]);
                if !self.is_vector(ty) {
                    return Err(err(format!(
                        "`{name}` produces {ty}: lowered `{name}` produces one vector of {lanes} lanes"
                    )));
                }
            }
            Opcode::Alloc => self.alloc(op)?,
            _ => {}
        }
        let region_args = data.regions.iter().flat_map(|&r| f.block_args(r));
        if let Some(&v) = data
            .results
            .iter()
            .chain(region_args)
            .find(|&&v| !self.is_vector_or_scalar(f.ty(v)))
        {
            return Err(err(self.bad_tile_message(v)));
        }
        Ok(())
    }

    /// L6. The op is well-typed (checked by `verify`), so `ty` is a buffer
    /// and `offset` a non-negative integer.
    fn alloc(&self, op: Op) -> Result<(), VerifyError> {
        let data = self.f.op(op);
        let err = |message: String| self.report.at_op(op, message);
        let (Some(ty), Some(offset)) = (data.attrs.ty("ty"), data.attrs.int("offset")) else {
            return Err(err(
                "`alloc` needs a buffer type `ty` and an integer `offset`".into(),
            ));
        };
        if offset % ALLOC_ALIGN != 0 {
            return Err(err(format!(
                "buffer offset {offset} is not a multiple of {ALLOC_ALIGN} bytes"
            )));
        }
        let bytes = ty.numel().saturating_mul(u64::from(ty.elem().size_bytes()));
        let end = u64::try_from(offset)
            .unwrap_or(u64::MAX)
            .saturating_add(bytes);
        if end > self.local_mem as u64 {
            return Err(err(format!(
                "{ty} at offset {offset} ends at byte {end}, past `local_mem` = {}",
                self.local_mem
            )));
        }
        Ok(())
    }
}
