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
//! - `combine`: `cat`, `join`, `split`;
//! - `reduce` (`arg_reduce` for `argmax`/`argmin`), `scan` and `dot`;
//!   `combine_region` for `reduce_with`/`scan_with` (user combine regions);
//! - `debug`: `assert` and `print` of tiles;
//! - `memory`: global `load`/`store` with lane-valid masks;
//! - `atomic`: the atomics, chunk by chunk like `load`;
//! - `control`: `for`, `if`, `while` carrying tiles in buffers.
//!
//! Shared machinery: `emit` (typed op emission, folded index arithmetic),
//! `loops` (counted loops, elided when they run once), `buffers`
//! (allocation, chunk and scalar access, result destinations), `inplace`
//! (which operands an op may overwrite, decided on the tile-level input) and
//! `reuse` (which buffers those are, given what lives in them).
//!
//! **Buffer assignment.** A tile that is not a scalar or one vector gets a
//! buffer when it is produced — unless its op may write it *in place*, into
//! the buffer of an operand nothing reads afterwards (`inplace` states the
//! rule), or it is a loop's initial value that the loop may carry in its own
//! buffer. Each `alloc` sits at the top of the output block of the source
//! region where its tile is produced: the function body, or the body of a
//! `for`, a branch of an `if`, a region of a `while`. So a buffer dominates
//! all its uses, and one made inside a loop body holds a value of one
//! iteration only — the fact `pack-buffers` relies on to let buffers of one
//! iteration share memory. Offsets come from a bump allocator (64-byte
//! aligned, no sharing); `local_mem` is their sum, the footprint before
//! `pack-buffers` packs them by liveness and checks the target's capacity.
//!
//! Every emitted op is typed by the op table's rule as it is built, so a
//! lowering bug surfaces as an error here, not as ill-typed IR downstream.
//! Every emitted op carries the `Loc` of the source op it implements.

mod affine;
mod arg_reduce;
mod atomic;
mod block_copy;
mod buffers;
mod combine;
mod combine_region;
mod control;
mod debug;
mod dot;
mod elementwise;
mod emit;
mod inplace;
mod layout;
mod loops;
mod memory;
mod reduce;
mod reuse;
mod scan;
mod shape;

use crate::ir::{infer_types, Attr, Block, Function, Loc, Op, Opcode, Value};
use crate::target::Target;
use emit::LResult;
use inplace::InPlace;
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

/// Choices of the lowering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LowerOptions {
    /// Write results in place and let loops carry their initial value's
    /// buffer when the in-place analysis allows it. Off, every tile that
    /// needs a buffer gets a new one: the reference the reuse is tested
    /// against.
    pub in_place: bool,
}

impl Default for LowerOptions {
    fn default() -> LowerOptions {
        LowerOptions { in_place: true }
    }
}

/// Lower every tile op of `f` to loops of `target.lanes`-wide vectors over
/// local buffers, writing in place where the in-place analysis allows. `f`
/// is not modified. A function already lowered for `target.lanes` lanes is
/// returned as it is, so the pass is idempotent.
pub fn lower_tiles(f: &Function, target: &Target) -> Result<Function, LowerError> {
    lower_tiles_with(f, target, LowerOptions::default())
}

/// [`lower_tiles`] with explicit [`LowerOptions`].
pub fn lower_tiles_with(
    f: &Function,
    target: &Target,
    options: LowerOptions,
) -> Result<Function, LowerError> {
    let at_kernel = |message: String| LowerError {
        message,
        location: format!("kernel `{}`", f.name),
    };
    if target.lanes == 0 {
        return Err(at_kernel(format!("target `{}` has 0 lanes", target.name)));
    }
    match f.attrs.get("lanes") {
        None => {}
        Some(Attr::Int(n)) if *n == i64::from(target.lanes) => return Ok(f.clone()),
        Some(other) => {
            return Err(at_kernel(format!(
                "the function is already lowered for {other} lanes; target `{}` has {}",
                target.name, target.lanes
            )))
        }
    }
    let mut out = Function::new(f.name.clone(), f.params.clone());
    out.consts = f.consts.clone();
    out.files = f.files.clone();
    out.attrs = f.attrs.clone();
    let mut cx = Lower {
        src: f,
        block: out.body,
        scope: out.body,
        out,
        lanes: target.lanes,
        pow2_rows: target.pow2_rows,
        matmul_op: target.matmul_op,
        vector_registers: target.vector_registers,
        dot_fma: target.dot_fma,
        affine_tiles: target.affine_tiles,
        bulk_copies: target.bulk_copies,
        reduce_chains: target.reduce_chains,
        map: HashMap::new(),
        in_place: options.in_place.then(|| InPlace::new(f)),
        living_in: HashMap::new(),
        loc: Loc::UNKNOWN,
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
    /// Buffer rows padded to powers of two (`Target::pow2_rows`).
    pow2_rows: bool,
    /// Lower eligible `dot`s to `buf_matmul` (`Target::matmul_op`).
    matmul_op: bool,
    /// Sizes `dot`'s register blocks (`Target::vector_registers`).
    vector_registers: u32,
    /// `dot` steps are `fma`s (`Target::dot_fma`).
    dot_fma: bool,
    /// Index and pointer tiles stay formulas (`Target::affine_tiles`).
    affine_tiles: bool,
    /// Global memory is reached by block copies (`Target::bulk_copies`).
    bulk_copies: bool,
    /// Accumulators of an innermost reduction (`Target::reduce_chains`).
    reduce_chains: u32,
    map: HashMap<Value, Repr>,
    /// The output block ops are appended to.
    block: Block,
    /// The output block of the source region being lowered: new `alloc`s go
    /// to its top.
    scope: Block,
    /// The in-place analysis of `src`; `None` when reuse is off.
    in_place: Option<InPlace<'a>>,
    /// For each buffer, the source values bound to it so far: everything a
    /// write into the buffer could clobber.
    living_in: HashMap<Value, Vec<Value>>,
    /// Location of the source op being lowered; given to every emitted op.
    loc: Loc,
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
        if let Repr::Buf { buf, .. } = &r {
            self.living_in.entry(*buf).or_default().push(v);
        }
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
            Cat => self.lower_cat(op),
            Join => self.lower_join(op),
            Split => self.lower_split(op),
            Load => self.lower_load(op),
            Store => self.lower_store(op),
            Prefetch => self.lower_prefetch(op),
            AtomicAdd | AtomicMax | AtomicMin | AtomicXchg | AtomicCas => self.lower_atomic(op),
            Reduce => self.lower_reduce(op),
            Scan => self.lower_scan(op),
            ReduceWith => self.lower_reduce_with(op),
            ScanWith => self.lower_scan_with(op),
            Assume => self.clone_scalar_op(op),
            Assert => self.lower_assert(op),
            Print => self.lower_print(op),
            Dot => self.lower_dot(op),
            For => self.lower_for(op),
            If => self.lower_if(op),
            While => self.lower_while(op),
            Yield | Condition | Return => {
                Err(self.error(format!("`{}` in the middle of a block", opcode.name())))
            }
            Call => Err(self.error("`call` must be inlined before lowering".to_string())),
            Alloc | BufLoad | BufStore | BufMatmul => Err(self.error(format!(
                "`{}` in the input: the function is already lowered",
                opcode.name()
            ))),
            _ if opcode.is_elementwise() => self.lower_elementwise(op),
            _ => Err(self.error(format!("no lowering for `{}`", opcode.name()))),
        }
    }

    /// Re-emit an op on scalars as is.
    pub(super) fn clone_scalar_op(&mut self, op: Op) -> LResult<()> {
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
