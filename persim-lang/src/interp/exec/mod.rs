//! Executing one program instance: walk the blocks in order, keep every SSA
//! value's run-time value, and give each op its documented meaning.
//!
//! This module holds the instance state, value access and the op dispatch;
//! [`memory`] executes global and local memory ops, [`atomic`] atomics,
//! [`control`] structured control flow.

mod atomic;
mod combine;
mod control;
mod debug;
mod memory;

use super::custom::{self, CustomOps};
use super::error::{InterpError, InterpErrorKind};
use super::memory::{Global, Local};
use super::numeric::{binary, cast, compare, constant, fma, unary, wrap_int};
use super::tile_ops;
use super::value::{BufRef, Pointer, RtValue, Scalar, Tile};
use crate::debug::DevicePrint;
use crate::ir::{numel, Attr, Block, Dtype, Elem, Function, Loc, Op, Opcode, Shape, Type, Value};
use cranelift_entity::SecondaryMap;

/// How a block ended.
enum Flow {
    /// The op was not a terminator: go on with the next one.
    Next,
    Yield(Vec<RtValue>),
    Condition(bool, Vec<RtValue>),
    Return,
}

/// The state of one running program instance.
pub(crate) struct Instance<'f, 'g, 'a> {
    f: &'f Function,
    env: SecondaryMap<Value, Option<RtValue>>,
    global: &'g mut Global<'a>,
    local: Local,
    program: [u32; 3],
    grid: [u32; 3],
    customs: CustomOps<'f>,
    /// Location of the op being executed, for errors.
    loc: Loc,
    /// Where `print` ops send their records.
    printer: &'g mut dyn FnMut(&DevicePrint),
}

type Res<T> = Result<T, InterpError>;

/// The largest tile the interpreter builds (elements). Real kernels' tiles
/// are far smaller; this only turns absurd shapes into an error instead of
/// an allocation failure.
const MAX_TILE_ELEMENTS: u64 = 1 << 26;

impl<'f, 'g, 'a> Instance<'f, 'g, 'a> {
    pub fn new(
        f: &'f Function,
        global: &'g mut Global<'a>,
        local_size: usize,
        program: [u32; 3],
        grid: [u32; 3],
        customs: CustomOps<'f>,
        printer: &'g mut dyn FnMut(&DevicePrint),
    ) -> Self {
        Instance {
            f,
            env: SecondaryMap::with_capacity(f.values.len()),
            global,
            local: Local::new(local_size),
            program,
            grid,
            customs,
            loc: Loc::UNKNOWN,
            printer,
        }
    }

    /// Run the kernel body with the given parameter values.
    pub fn run(&mut self, params: Vec<RtValue>) -> Res<()> {
        match self.exec_block(self.f.body, params)? {
            Flow::Return => Ok(()),
            _ => Err(self.invalid("the kernel body must end with `return`")),
        }
    }

    fn error(&self, kind: InterpErrorKind) -> InterpError {
        InterpError {
            kind,
            location: self.f.describe_loc(self.loc),
            program: self.program,
        }
    }

    fn invalid(&self, message: impl Into<String>) -> InterpError {
        self.error(InterpErrorKind::Invalid(message.into()))
    }

    fn unspecified(&self, what: &str) -> InterpError {
        self.error(InterpErrorKind::Unspecified { what: what.into() })
    }

    fn arg_name(&self, arg: u32) -> String {
        self.f
            .params
            .get(arg as usize)
            .map_or_else(|| format!("#{arg}"), |p| p.name.clone())
    }

    // ---- values -------------------------------------------------------------

    fn get(&self, v: Value) -> Res<&RtValue> {
        self.env
            .get(v)
            .and_then(Option::as_ref)
            .ok_or_else(|| self.invalid(format!("{v} used before it is defined")))
    }

    fn tile(&self, v: Value) -> Res<&Tile> {
        match self.get(v)? {
            RtValue::Tile(t) => Ok(t),
            RtValue::Buf(_) => {
                Err(self.invalid(format!("{v} is a buffer where a tile is expected")))
            }
        }
    }

    fn scalar(&self, v: Value) -> Res<Scalar> {
        let t = self.tile(v)?;
        match t.data.as_slice() {
            [x] if t.shape.is_empty() => Ok(*x),
            _ => Err(self.invalid(format!("{v} is not a scalar"))),
        }
    }

    /// A scalar that decides control or addressing: it must be a defined integer.
    fn index_scalar(&self, v: Value, what: &str) -> Res<i128> {
        match self.scalar(v)? {
            Scalar::Int(i) => Ok(i),
            Scalar::Undef => Err(self.unspecified(what)),
            x => Err(self.invalid(format!("{what} {v} is {x:?}, not an integer"))),
        }
    }

    fn buf(&self, v: Value) -> Res<BufRef> {
        match self.get(v)? {
            RtValue::Buf(b) => Ok(*b),
            RtValue::Tile(_) => Err(self.invalid(format!("{v} is not a buffer"))),
        }
    }

    fn dtype(&self, v: Value) -> Res<Dtype> {
        self.f
            .ty(v)
            .dtype()
            .ok_or_else(|| self.invalid(format!("{v} holds pointers, not data")))
    }

    fn set(&mut self, v: Value, x: RtValue) {
        self.env[v] = Some(x);
    }

    fn set_results(&mut self, op: Op, values: Vec<RtValue>) -> Res<()> {
        let results = &self.f.ops[op].results;
        if results.len() != values.len() {
            return Err(self.invalid(format!(
                "op has {} results but produced {} values",
                results.len(),
                values.len()
            )));
        }
        for (&r, x) in results.clone().iter().zip(values) {
            self.set(r, x);
        }
        Ok(())
    }

    fn set_tile(&mut self, op: Op, t: Tile) -> Res<()> {
        self.set_results(op, vec![RtValue::Tile(t)])
    }

    fn operand(&self, op: Op, i: usize) -> Res<Value> {
        self.f.ops[op]
            .operands
            .get(i)
            .copied()
            .ok_or_else(|| self.invalid(format!("missing operand {i}")))
    }

    fn attr_int(&self, op: Op, key: &str) -> Res<i64> {
        self.f.ops[op]
            .attrs
            .int(key)
            .ok_or_else(|| self.invalid(format!("missing integer attribute `{key}`")))
    }

    fn attr_shape(&self, op: Op, key: &str) -> Res<Shape> {
        let dims = self.f.ops[op]
            .attrs
            .ints(key)
            .ok_or_else(|| self.invalid(format!("missing list attribute `{key}`")))?;
        let shape = dims
            .iter()
            .map(|&d| u32::try_from(d).ok().filter(|&d| d > 0))
            .collect::<Option<Shape>>()
            .ok_or_else(|| self.invalid(format!("bad shape {dims:?}")))?;
        self.check_size(shape.iter().try_fold(1u64, |n, &d| n.checked_mul(d.into())))?;
        Ok(shape)
    }

    /// Refuse tiles too large to hold in memory (`None`: overflowed u64).
    fn check_size(&self, elements: Option<u64>) -> Res<()> {
        match elements {
            Some(n) if n <= MAX_TILE_ELEMENTS => Ok(()),
            _ => Err(self.invalid(format!(
                "a tile of more than {MAX_TILE_ELEMENTS} elements is too large to interpret"
            ))),
        }
    }

    // ---- blocks -------------------------------------------------------------

    fn exec_block(&mut self, block: Block, args: Vec<RtValue>) -> Res<Flow> {
        let params = &self.f.blocks[block].args;
        if params.len() != args.len() {
            return Err(self.invalid(format!(
                "{block} takes {} arguments, given {}",
                params.len(),
                args.len()
            )));
        }
        for (&p, x) in params.clone().iter().zip(args) {
            self.set(p, x);
        }
        for &op in self.f.block_ops(block) {
            match self.exec_op(op)? {
                Flow::Next => {}
                flow => return Ok(flow),
            }
        }
        Err(self.invalid(format!("{block} ends without a terminator")))
    }

    fn region(&self, op: Op, i: usize) -> Res<Block> {
        self.f.ops[op]
            .regions
            .get(i)
            .copied()
            .ok_or_else(|| self.invalid(format!("missing region {i}")))
    }

    fn operand_values(&self, op: Op, from: usize) -> Res<Vec<RtValue>> {
        let ops = &self.f.ops[op].operands;
        ops.get(from..)
            .unwrap_or_default()
            .iter()
            .map(|&v| self.get(v).cloned())
            .collect()
    }

    // ---- ops ----------------------------------------------------------------

    fn exec_op(&mut self, op: Op) -> Res<Flow> {
        let data = &self.f.ops[op];
        self.loc = data.loc;
        let opcode = data.opcode;
        if !opcode.info().operands.accepts(data.operands.len()) {
            return Err(self.invalid(format!(
                "`{}` with {} operands",
                opcode.name(),
                data.operands.len()
            )));
        }
        use Opcode::*;
        match opcode {
            Const => {
                let d = self.f.ops[op]
                    .attrs
                    .dtype("ty")
                    .ok_or_else(|| self.invalid("missing `ty`"))?;
                let value = self.f.ops[op]
                    .attrs
                    .get("value")
                    .ok_or_else(|| self.invalid("missing `value`"))?;
                let x = constant(d, value).map_err(|m| self.invalid(m))?;
                self.set_tile(op, Tile::scalar(x))?;
            }
            ProgramId | NumPrograms => {
                let axis = self.attr_int(op, "axis")?;
                let axis = usize::try_from(axis)
                    .ok()
                    .filter(|&a| a < 3)
                    .ok_or_else(|| self.invalid(format!("grid axis {axis}")))?;
                let v = if opcode == ProgramId {
                    self.program[axis]
                } else {
                    self.grid[axis]
                };
                self.set_tile(op, Tile::scalar(Scalar::Int(v.into())))?;
            }
            Arange => {
                let (lo, hi) = (self.attr_int(op, "lo")?, self.attr_int(op, "hi")?);
                if hi <= lo {
                    return Err(self.invalid(format!("arange {lo}..{hi}")));
                }
                self.check_size(u64::try_from(hi.wrapping_sub(lo)).ok())?;
                let data = (lo..hi)
                    .map(|i| Scalar::Int(wrap_int(Dtype::I32, i.into())))
                    .collect();
                self.set_tile(op, Tile::vector(data))?;
            }
            Splat => {
                let x = self.scalar(self.operand(op, 0)?)?;
                let shape = self.attr_shape(op, "shape")?;
                let data = vec![x; numel(&shape) as usize];
                self.set_tile(op, Tile { shape, data })?;
            }
            Broadcast => {
                let shape = self.attr_shape(op, "shape")?;
                let t = tile_ops::broadcast(self.tile(self.operand(op, 0)?)?, &shape)
                    .map_err(|m| self.invalid(m))?;
                self.set_tile(op, t)?;
            }
            ExpandDims => {
                let mut t = self.tile(self.operand(op, 0)?)?.clone();
                let axis = self.attr_int(op, "axis")?;
                let axis = usize::try_from(axis)
                    .ok()
                    .filter(|&a| a <= t.shape.len())
                    .ok_or_else(|| self.invalid(format!("expand_dims axis {axis}")))?;
                t.shape.insert(axis, 1);
                self.set_tile(op, t)?;
            }
            Reshape => {
                let mut t = self.tile(self.operand(op, 0)?)?.clone();
                let shape = self.attr_shape(op, "shape")?;
                if numel(&shape) != t.data.len() as u64 {
                    return Err(self.invalid(format!("reshape {:?} to {shape:?}", t.shape)));
                }
                t.shape = shape;
                self.set_tile(op, t)?;
            }
            Trans => {
                let perm = self.f.ops[op]
                    .attrs
                    .ints("perm")
                    .ok_or_else(|| self.invalid("missing `perm`"))?;
                let t = tile_ops::trans(self.tile(self.operand(op, 0)?)?, perm)
                    .map_err(|m| self.invalid(m))?;
                self.set_tile(op, t)?;
            }
            Cat => {
                let axis = usize::try_from(self.attr_int(op, "axis")?)
                    .map_err(|_| self.invalid("negative `cat` axis"))?;
                let (a, b) = (self.operand(op, 0)?, self.operand(op, 1)?);
                let t = tile_ops::cat(self.tile(a)?, self.tile(b)?, axis)
                    .map_err(|m| self.invalid(m))?;
                self.set_tile(op, t)?;
            }
            Join => {
                let (a, b) = (self.operand(op, 0)?, self.operand(op, 1)?);
                let t =
                    tile_ops::join(self.tile(a)?, self.tile(b)?).map_err(|m| self.invalid(m))?;
                self.set_tile(op, t)?;
            }
            Split => {
                let (x, y) = tile_ops::split(self.tile(self.operand(op, 0)?)?)
                    .map_err(|m| self.invalid(m))?;
                self.set_results(op, vec![RtValue::Tile(x), RtValue::Tile(y)])?;
            }
            Cast => {
                let x = self.operand(op, 0)?;
                let from = self.dtype(x)?;
                let to = self.f.ops[op]
                    .attrs
                    .dtype("to")
                    .ok_or_else(|| self.invalid("missing `to`"))?;
                let t = self.map_lanes(&[x], |xs| cast(from, to, xs[0]))?;
                self.set_tile(op, t)?;
            }
            Add | Sub | Mul | Div | Rem | Maximum | Minimum | And | Or | Xor | Shl | Shr
            | Umulhi => {
                let (a, b) = (self.operand(op, 0)?, self.operand(op, 1)?);
                let d = self.dtype(a)?;
                let t = self.map_lanes(&[a, b], |xs| binary(opcode, d, xs[0], xs[1]))?;
                self.set_tile(op, t)?;
            }
            Cmp => {
                let (a, b) = (self.operand(op, 0)?, self.operand(op, 1)?);
                let pred = self.f.ops[op]
                    .attrs
                    .pred()
                    .ok_or_else(|| self.invalid("missing `pred`"))?;
                let t = self.map_lanes(&[a, b], |xs| compare(pred, xs[0], xs[1]))?;
                self.set_tile(op, t)?;
            }
            Neg | Not | Exp | Log | Sqrt | Abs | Exp2 | Log2 | Rsqrt | Erf | Sin | Cos | Floor
            | Ceil => {
                let a = self.operand(op, 0)?;
                let d = self.dtype(a)?;
                let t = self.map_lanes(&[a], |xs| unary(opcode, d, xs[0]))?;
                self.set_tile(op, t)?;
            }
            Fma => {
                let ops = [
                    self.operand(op, 0)?,
                    self.operand(op, 1)?,
                    self.operand(op, 2)?,
                ];
                let d = self.dtype(ops[0])?;
                let t = self.map_lanes(&ops, |xs| fma(d, xs[0], xs[1], xs[2]))?;
                self.set_tile(op, t)?;
            }
            MultipleOf | MaxContiguous => self.exec_hint(op)?,
            Assume => self.exec_assume(op)?,
            // A hint: nothing is read.
            Prefetch => {}
            Assert => self.exec_assert(op)?,
            Print => self.exec_print(op)?,
            Scan => {
                let x = self.operand(op, 0)?;
                let d = self.dtype(x)?;
                let attrs = &self.f.ops[op].attrs;
                let kind = attrs
                    .reduce_kind()
                    .ok_or_else(|| self.invalid("missing `kind`"))?;
                let reverse = matches!(attrs.get("reverse"), Some(Attr::Bool(true)));
                let axis = usize::try_from(self.attr_int(op, "axis")?)
                    .map_err(|_| self.invalid("negative scan axis"))?;
                let t = tile_ops::scan(self.tile(x)?, axis, kind, reverse, d)
                    .map_err(|m| self.invalid(m))?;
                self.set_tile(op, t)?;
            }
            Select => {
                let ops = [
                    self.operand(op, 0)?,
                    self.operand(op, 1)?,
                    self.operand(op, 2)?,
                ];
                let t = self.map_lanes(&ops, |xs| {
                    Ok(match xs[0] {
                        Scalar::Int(0) => xs[2],
                        Scalar::Int(_) => xs[1],
                        Scalar::Undef => Scalar::Undef,
                        c => return Err(format!("select condition {c:?}")),
                    })
                })?;
                self.set_tile(op, t)?;
            }
            PtrAdd => {
                let (p, off) = (self.operand(op, 0)?, self.operand(op, 1)?);
                let size = match self.f.ty(p).elem() {
                    Elem::Ptr(d) => i64::from(d.size_bytes()),
                    e => return Err(self.invalid(format!("ptr_add on {e}"))),
                };
                let t = self.map_lanes(&[p, off], |xs| {
                    Ok(match (xs[0], xs[1]) {
                        (Scalar::Ptr(p), Scalar::Int(k)) => Scalar::Ptr(Pointer {
                            arg: p.arg,
                            offset: p.offset.wrapping_add((k as i64).wrapping_mul(size)),
                        }),
                        (Scalar::Undef, _) | (_, Scalar::Undef) => Scalar::Undef,
                        (a, b) => return Err(format!("ptr_add of {a:?} and {b:?}")),
                    })
                })?;
                self.set_tile(op, t)?;
            }
            Load => self.exec_load(op)?,
            Store => self.exec_store(op)?,
            AtomicAdd | AtomicMax | AtomicMin | AtomicXchg | AtomicCas => self.exec_atomic(op)?,
            Reduce => {
                let x = self.operand(op, 0)?;
                let d = self.dtype(x)?;
                let kind = self.f.ops[op]
                    .attrs
                    .reduce_kind()
                    .ok_or_else(|| self.invalid("missing `kind`"))?;
                let axis = usize::try_from(self.attr_int(op, "axis")?)
                    .map_err(|_| self.invalid("negative reduction axis"))?;
                let t =
                    tile_ops::reduce(self.tile(x)?, axis, kind, d).map_err(|m| self.invalid(m))?;
                self.set_tile(op, t)?;
            }
            ReduceWith => self.exec_reduce_with(op)?,
            ScanWith => self.exec_scan_with(op)?,
            Dot => {
                let (a, b, c) = (
                    self.operand(op, 0)?,
                    self.operand(op, 1)?,
                    self.operand(op, 2)?,
                );
                let (ab, out) = (self.dtype(a)?, self.dtype(c)?);
                let t = tile_ops::dot(self.tile(a)?, self.tile(b)?, self.tile(c)?, ab, out)
                    .map_err(|m| self.invalid(m))?;
                self.set_tile(op, t)?;
            }
            For => return self.exec_for(op),
            If => return self.exec_if(op),
            While => return self.exec_while(op),
            Yield => return Ok(Flow::Yield(self.operand_values(op, 0)?)),
            Condition => {
                let c = self.index_scalar(self.operand(op, 0)?, "a `while` condition")?;
                return Ok(Flow::Condition(c != 0, self.operand_values(op, 1)?));
            }
            Return => return Ok(Flow::Return),
            Call => {
                return Err(self.invalid(
                    "`call` is not interpreted: device functions are inlined before execution",
                ))
            }
            Custom => self.exec_custom(op)?,
            Alloc => self.exec_alloc(op)?,
            BufLoad => self.exec_buf_load(op)?,
            BufStore => self.exec_buf_store(op)?,
            BufMatmul => self.exec_buf_matmul(op)?,
            CopyIn => self.exec_copy(op, false)?,
            CopyOut => self.exec_copy(op, true)?,
            CopyGather => self.exec_copy_gather(op)?,
            // Copies are done when the interpreter runs them.
            CopyWait => {}
        }
        Ok(Flow::Next)
    }

    /// `custom`: the registered host reference, lane by lane.
    fn exec_custom(&mut self, op: Op) -> Res<()> {
        let data = &self.f.ops[op];
        let text = |key: &str| match data.attrs.get(key) {
            Some(Attr::Str(s)) => Ok(s.clone()),
            _ => Err(self.invalid(format!("missing string attribute `{key}`"))),
        };
        let (name, symbol) = (text("name")?, text("symbol")?);
        let ret = data
            .attrs
            .dtype("ret")
            .ok_or_else(|| self.invalid("missing dtype attribute `ret`"))?;
        let operands = data.operands.clone();
        let params = operands
            .iter()
            .map(|&v| self.dtype(v))
            .collect::<Res<Vec<_>>>()?;
        let imp = self
            .customs
            .find(&name, &symbol, &params, ret)
            .map_err(|m| self.invalid(m))?;
        let t = self.map_lanes(&operands, |xs| custom::apply(imp, xs))?;
        self.set_tile(op, t)
    }

    /// Apply `f` lane by lane to operands of one shape.
    fn map_lanes(
        &self,
        operands: &[Value],
        f: impl Fn(&[Scalar]) -> Result<Scalar, String>,
    ) -> Res<Tile> {
        let tiles = operands
            .iter()
            .map(|&v| self.tile(v))
            .collect::<Res<Vec<_>>>()?;
        let shape = tiles[0].shape.clone();
        if let Some(t) = tiles.iter().find(|t| t.shape != shape) {
            return Err(self.invalid(format!(
                "elementwise operands of shapes {shape:?} and {:?}",
                t.shape
            )));
        }
        let mut lanes = Vec::with_capacity(tiles.len());
        let data = (0..tiles[0].data.len())
            .map(|i| {
                lanes.clear();
                lanes.extend(tiles.iter().map(|t| t.data[i]));
                f(&lanes).map_err(|m| self.invalid(m))
            })
            .collect::<Res<_>>()?;
        Ok(Tile { shape, data })
    }
}

/// The value of kernel parameter `i` as the body block receives it.
pub(crate) fn param_value(i: usize, ty: &Type, x: Option<Scalar>) -> Result<RtValue, String> {
    let x = match (ty, x) {
        (t, _) if !t.is_scalar() => return Err(format!("parameter of type {t} is not supported")),
        (
            Type::Tile {
                elem: Elem::Ptr(_), ..
            },
            _,
        ) => Scalar::Ptr(Pointer {
            arg: i as u32,
            offset: 0,
        }),
        (_, Some(x)) => x,
        (t, None) => return Err(format!("parameter of type {t} needs a scalar")),
    };
    Ok(RtValue::Tile(Tile::scalar(x)))
}

/// Bytes of local memory the function needs: its `local_mem` attribute, or
/// (for hand-written lowered IR without it) the end of its last buffer.
pub(crate) fn local_size(f: &Function) -> usize {
    if let Some(Attr::Int(n)) = f.attrs.get("local_mem") {
        return usize::try_from(*n).unwrap_or(0);
    }
    let mut end = 0u64;
    f.walk(f.body, &mut |op| {
        let d = &f.ops[op];
        if let (Opcode::Alloc, Some(Type::Buf { elem, len }), Some(off)) =
            (d.opcode, d.attrs.ty("ty"), d.attrs.int("offset"))
        {
            let bytes = u64::from(*len) * u64::from(elem.size_bytes());
            end = end.max(u64::try_from(off).unwrap_or(0).saturating_add(bytes));
        }
    });
    usize::try_from(end).unwrap_or(usize::MAX)
}
