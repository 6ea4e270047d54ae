//! Lowering tile ops to loops of target-width vectors over local buffers.
//!
//! The output satisfies ARCHITECTURE.md, "Lowered IR": every tile value is a
//! scalar or one `[L]` vector (`L = target.lanes`); larger tiles live in
//! `alloc`ed buffers laid out as `layout::Layout` describes (row-major,
//! innermost dimension padded to a multiple of `L`); the function attributes
//! `lanes` and `local_mem` record the lane count and the local memory one
//! program instance needs.
//!
//! The pass walks the source function once, in order, and records for every
//! source value its `Repr`: a scalar, a vector register, a lazily splatted
//! scalar, or a buffer. Each op is then lowered by reading its operands in
//! `[L]` chunks (or scalars), computing, and writing the result's chunks.
//! One submodule per family of ops:
//!
//! - `elementwise`: arithmetic, comparisons, casts, `select`, `ptr_add`,
//!   `arange`, `splat`;
//! - `shape`: `broadcast`, `expand_dims`, `reshape`, `trans`;
//! - `reduce` and `dot`;
//! - `memory`: global `load`/`store` with lane-valid masks;
//! - `control`: `for`, `if`, `while` carrying tiles in buffers.
//!
//! Shared machinery: `emit` (typed op emission, folded index arithmetic),
//! `loops` (counted loops, elided when they run once), `buffers`
//! (allocation, chunk and scalar access, result destinations).
//!
//! Buffers are placed by a bump allocator (64-byte aligned, never reused) and
//! every `alloc` sits at the top of the function body, so a buffer dominates
//! all its uses wherever the op that needs it is nested.
//!
//! Every emitted op is typed by the op table's rule as it is built, so a
//! lowering bug surfaces as an error here, not as ill-typed IR downstream.
//! Every emitted op carries the `Loc` of the source op it implements.

mod buffers;
mod control;
mod dot;
mod elementwise;
mod emit;
mod layout;
mod loops;
mod memory;
mod reduce;
mod shape;

use crate::ir::{infer_types, Attr, Block, Function, Loc, Op, Opcode, Value};
use crate::target::Target;
use emit::LResult;
use layout::Repr;
use std::collections::HashMap;

/// Why a function could not be lowered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerError {
    pub message: String,
    /// `file:line:col` of the op that could not be lowered.
    pub location: String,
}

impl std::fmt::Display for LowerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for LowerError {}

/// Lower every tile op of `f` to loops of `target.lanes`-wide vectors over
/// local buffers. `f` is not modified.
pub fn lower_tiles(f: &Function, target: &Target) -> Result<Function, LowerError> {
    let at_kernel = |message: String| LowerError {
        message,
        location: format!("kernel `{}`", f.name),
    };
    if target.lanes == 0 {
        return Err(at_kernel(format!("target `{}` has 0 lanes", target.name)));
    }
    let mut out = Function::new(f.name.clone(), f.params.clone());
    out.consts = f.consts.clone();
    out.files = f.files.clone();
    out.attrs = f.attrs.clone();
    let mut cx = Lower {
        src: f,
        block: out.body,
        out,
        lanes: target.lanes,
        local_capacity: target.local_mem_bytes,
        map: HashMap::new(),
        loc: Loc::UNKNOWN,
        allocs: 0,
        local_mem: 0,
    };
    for (i, p) in f.params.iter().enumerate() {
        if !p.ty.is_scalar() {
            return Err(at_kernel(format!(
                "parameter `{}` has type {}; only scalars and pointers can be parameters",
                p.name, p.ty
            )));
        }
        cx.map
            .insert(f.param_value(i), Repr::Scalar(cx.out.param_value(i)));
    }
    let term = cx.lower_ops(f.body)?;
    match f.ops[term].opcode {
        Opcode::Return => cx.emit_void(Opcode::Return, &[], Default::default())?,
        other => {
            return Err(cx.error(format!(
                "the kernel body must end with `return`, not `{}`",
                other.name()
            )))
        }
    }
    let (lanes, local_mem) = (cx.lanes, cx.local_mem);
    let mut out = cx.out;
    out.attrs.set("lanes", Attr::Int(i64::from(lanes)));
    out.attrs.set("local_mem", Attr::Int(local_mem as i64));
    Ok(out)
}

/// The state of one lowering: the source, the function being built, and
/// where each source value went.
struct Lower<'a> {
    src: &'a Function,
    out: Function,
    lanes: u32,
    /// The target's local memory per program instance, if bounded.
    local_capacity: Option<u64>,
    map: HashMap<Value, Repr>,
    /// The output block ops are appended to.
    block: Block,
    /// Location of the source op being lowered; given to every emitted op.
    loc: Loc,
    /// Number of `alloc`s at the top of the output body.
    allocs: usize,
    /// Bytes of local memory handed out so far.
    local_mem: u64,
}

impl Lower<'_> {
    fn error(&self, message: impl Into<String>) -> LowerError {
        LowerError {
            message: message.into(),
            location: self.src.describe_loc(self.loc),
        }
    }

    /// A broken expectation of the pass itself, reported instead of panicking.
    fn internal(&self, message: impl Into<String>) -> LowerError {
        self.error(format!("internal lowering error: {}", message.into()))
    }

    /// Where source value `v` went.
    fn repr(&self, v: Value) -> LResult<Repr> {
        self.map
            .get(&v)
            .cloned()
            .ok_or_else(|| self.error(format!("{v} is used before it is defined")))
    }

    /// The lowered scalar for a rank-0 source value.
    fn scalar(&self, v: Value) -> LResult<Value> {
        match self.repr(v)? {
            Repr::Scalar(x) => Ok(x),
            r => Err(self.internal(format!("{v} should be a scalar, is {r:?}"))),
        }
    }

    fn bind(&mut self, v: Value, r: Repr) {
        self.map.insert(v, r);
    }

    /// Lower the ops of source block `b` into the current output block, up
    /// to its terminator, which is returned for the caller to lower.
    fn lower_ops(&mut self, b: Block) -> LResult<Op> {
        let ops = self.src.block_ops(b);
        let Some((&term, body)) = ops.split_last() else {
            return Err(self.error(format!("{b} is empty; it needs a terminator")));
        };
        for &op in body {
            self.loc = self.src.ops[op].loc;
            self.lower_op(op)?;
        }
        self.loc = self.src.ops[term].loc;
        if !self.src.ops[term].opcode.is_terminator() {
            return Err(self.error(format!("{b} does not end with a terminator")));
        }
        Ok(term)
    }

    /// Refuse ops whose types do not follow the op table, so that the
    /// lowering may rely on operand and result shapes.
    fn check_types(&self, op: Op) -> LResult<()> {
        let d = &self.src.ops[op];
        for &v in d.operands.iter().chain(&d.results) {
            let Some(shape) = self.src.ty(v).shape() else {
                continue;
            };
            let elements = shape.iter().try_fold(1u64, |n, &x| n.checked_mul(x.into()));
            if elements.is_none_or(|n| n > i32::MAX as u64) {
                return Err(self.error(format!(
                    "{v} of type {} is too large: tiles hold at most 2^31 - 1 elements",
                    self.src.ty(v)
                )));
            }
        }
        let inferred = infer_types(self.src, d.opcode, &d.operands, &d.attrs)
            .map_err(|e| self.error(format!("ill-typed input: {e}")))?;
        if let Some(types) = inferred {
            let declared: Vec<_> = d.results.iter().map(|&r| self.src.ty(r).clone()).collect();
            if types != declared {
                return Err(self.error(format!(
                    "ill-typed input: `{}` results declared {declared:?}, rule gives {types:?}",
                    d.opcode.name()
                )));
            }
        }
        if d.regions.len() != d.opcode.info().regions as usize {
            return Err(self.error(format!(
                "`{}` has {} regions, expected {}",
                d.opcode.name(),
                d.regions.len(),
                d.opcode.info().regions
            )));
        }
        Ok(())
    }

    fn lower_op(&mut self, op: Op) -> LResult<()> {
        self.check_types(op)?;
        use Opcode::*;
        let opcode = self.src.ops[op].opcode;
        match opcode {
            Const | ProgramId | NumPrograms => self.clone_scalar_op(op),
            Arange => self.lower_arange(op),
            Splat => self.lower_splat(op),
            Broadcast => self.lower_broadcast(op),
            ExpandDims => self.lower_expand_dims(op),
            Reshape => self.lower_reshape(op),
            Trans => self.lower_trans(op),
            Load => self.lower_load(op),
            Store => self.lower_store(op),
            Reduce => self.lower_reduce(op),
            Dot => self.lower_dot(op),
            For => self.lower_for(op),
            If => self.lower_if(op),
            While => self.lower_while(op),
            Yield | Condition | Return => {
                Err(self.error(format!("`{}` in the middle of a block", opcode.name())))
            }
            Call => Err(self.error("`call` must be inlined before lowering".to_string())),
            Alloc | BufLoad | BufStore => Err(self.error(format!(
                "`{}` in the input: the function is already lowered",
                opcode.name()
            ))),
            _ if opcode.is_elementwise() => self.lower_elementwise(op),
            _ => Err(self.error(format!("no lowering for `{}`", opcode.name()))),
        }
    }

    /// Re-emit an op on scalars as is.
    fn clone_scalar_op(&mut self, op: Op) -> LResult<()> {
        let src = self.src;
        let d = &src.ops[op];
        let (opcode, attrs) = (d.opcode, d.attrs.clone());
        let operands = d
            .operands
            .iter()
            .map(|&v| self.scalar(v))
            .collect::<LResult<Vec<_>>>()?;
        match d.results.as_slice() {
            [] => self.emit_void(opcode, &operands, attrs),
            [r] => {
                let v = self.emit(opcode, &operands, attrs)?;
                self.bind(*r, Repr::Scalar(v));
                Ok(())
            }
            _ => Err(self.internal(format!("`{}` with several results", opcode.name()))),
        }
    }
}
