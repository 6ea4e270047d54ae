//! Building IR: a cursor into a block that types each new op with the op
//! table's rule, so ill-typed IR is refused at the point it is built.

use super::attrs::{Attr, Attrs, CmpPred, ReduceKind};
use super::entities::{Block, Op, Value};
use super::function::{Function, Loc};
use super::opcodes::Opcode;
use super::types::{Dtype, Type};
use super::typing::TypingCtx;

/// An op the typing rule refused; the message says why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeError {
    pub op: &'static str,
    pub message: String,
}

impl std::fmt::Display for TypeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.op, self.message)
    }
}

impl std::error::Error for TypeError {}

/// Compute result types of an op per the table (arity and typing rule).
/// `Ok(None)` for ops whose results are declared by their creator.
pub fn infer_types(
    f: &Function,
    opcode: Opcode,
    operands: &[Value],
    attrs: &Attrs,
) -> Result<Option<Vec<Type>>, TypeError> {
    let info = opcode.info();
    let err = |message: String| TypeError {
        op: info.name,
        message,
    };
    if !info.operands.accepts(operands.len()) {
        return Err(err(format!(
            "{} operands, expected {:?}",
            operands.len(),
            info.operands
        )));
    }
    for key in info.attrs {
        if attrs.get(key).is_none() {
            return Err(err(format!("missing attribute `{key}`")));
        }
    }
    let types: Vec<Type> = operands.iter().map(|&v| f.ty(v).clone()).collect();
    (info.infer)(&TypingCtx {
        operands: &types,
        attrs,
    })
    .map_err(err)
}

/// Inserts ops at the end of a block (or before a given position).
pub struct Builder<'f> {
    pub func: &'f mut Function,
    block: Block,
    /// Insert before this index of the block; `None` appends.
    index: Option<usize>,
    /// Location given to new ops.
    pub loc: Loc,
}

impl<'f> Builder<'f> {
    /// Append to the end of the function body.
    pub fn new(func: &'f mut Function) -> Builder<'f> {
        let block = func.body;
        Builder {
            func,
            block,
            index: None,
            loc: Loc::UNKNOWN,
        }
    }

    pub fn at_end(func: &'f mut Function, block: Block) -> Builder<'f> {
        Builder {
            func,
            block,
            index: None,
            loc: Loc::UNKNOWN,
        }
    }

    /// Insert before position `index` of `block`.
    pub fn before(func: &'f mut Function, block: Block, index: usize) -> Builder<'f> {
        Builder {
            func,
            block,
            index: Some(index),
            loc: Loc::UNKNOWN,
        }
    }

    pub fn block(&self) -> Block {
        self.block
    }

    /// Move the cursor to the end of `block`.
    pub fn switch_to(&mut self, block: Block) {
        self.block = block;
        self.index = None;
    }

    fn place(&mut self, op: Op) {
        match &mut self.index {
            Some(i) => {
                self.func.insert_op(self.block, *i, op);
                *i += 1;
            }
            None => self.func.append_op(self.block, op),
        }
    }

    /// Build an op whose result types follow from the table's typing rule.
    pub fn build(
        &mut self,
        opcode: Opcode,
        operands: &[Value],
        attrs: Attrs,
        regions: &[Block],
    ) -> Result<Op, TypeError> {
        let types = infer_types(self.func, opcode, operands, &attrs)?.ok_or_else(|| TypeError {
            op: opcode.name(),
            message: "result types must be declared".into(),
        })?;
        Ok(self.build_declared(opcode, operands, attrs, regions, types))
    }

    /// Build an op with declared result types (checked later by the verifier).
    pub fn build_declared(
        &mut self,
        opcode: Opcode,
        operands: &[Value],
        attrs: Attrs,
        regions: &[Block],
        result_types: Vec<Type>,
    ) -> Op {
        let op = self
            .func
            .create_op(opcode, operands, attrs, regions, result_types, self.loc);
        self.place(op);
        op
    }

    /// Build a single-result op and return its result.
    pub fn value(
        &mut self,
        opcode: Opcode,
        operands: &[Value],
        attrs: Attrs,
    ) -> Result<Value, TypeError> {
        let op = self.build(opcode, operands, attrs, &[])?;
        Ok(self.func.ops[op].results[0])
    }

    pub fn const_int(&mut self, value: i64, ty: Dtype) -> Value {
        let attrs = Attrs::new()
            .with("value", Attr::Int(value))
            .with("ty", Attr::Dtype(ty));
        self.value(Opcode::Const, &[], attrs)
            .expect("integer constant of an integer type")
    }

    pub fn const_i32(&mut self, value: i32) -> Value {
        self.const_int(value as i64, Dtype::I32)
    }

    pub fn const_float(&mut self, value: f64, ty: Dtype) -> Value {
        let attrs = Attrs::new()
            .with("value", Attr::Float(value))
            .with("ty", Attr::Dtype(ty));
        self.value(Opcode::Const, &[], attrs)
            .expect("float constant of a float type")
    }

    pub fn const_bool(&mut self, value: bool) -> Value {
        let attrs = Attrs::new()
            .with("value", Attr::Bool(value))
            .with("ty", Attr::Dtype(Dtype::I1));
        self.value(Opcode::Const, &[], attrs)
            .expect("bool constant")
    }

    /// A constant of any data type from an `f64` (integers truncate).
    pub fn const_of(&mut self, value: f64, ty: Dtype) -> Value {
        match ty {
            Dtype::I1 => self.const_bool(value != 0.0),
            d if d.is_float() => self.const_float(value, d),
            d => self.const_int(value as i64, d),
        }
    }

    pub fn binary(&mut self, opcode: Opcode, a: Value, b: Value) -> Result<Value, TypeError> {
        self.value(opcode, &[a, b], Attrs::new())
    }

    pub fn unary(&mut self, opcode: Opcode, a: Value) -> Result<Value, TypeError> {
        self.value(opcode, &[a], Attrs::new())
    }

    pub fn cmp(&mut self, pred: CmpPred, a: Value, b: Value) -> Result<Value, TypeError> {
        self.value(
            Opcode::Cmp,
            &[a, b],
            Attrs::new().with("pred", Attr::Pred(pred)),
        )
    }

    pub fn splat(&mut self, x: Value, shape: &[u32]) -> Result<Value, TypeError> {
        let dims = shape.iter().map(|&d| d as i64).collect();
        self.value(
            Opcode::Splat,
            &[x],
            Attrs::new().with("shape", Attr::Ints(dims)),
        )
    }

    pub fn cast(&mut self, x: Value, to: Dtype) -> Result<Value, TypeError> {
        self.value(Opcode::Cast, &[x], Attrs::new().with("to", Attr::Dtype(to)))
    }

    pub fn reduce(&mut self, kind: ReduceKind, x: Value, axis: u32) -> Result<Value, TypeError> {
        let attrs = Attrs::new()
            .with("kind", Attr::Reduce(kind))
            .with("axis", Attr::Int(axis as i64));
        self.value(Opcode::Reduce, &[x], attrs)
    }

    /// Build `for iv in lo..hi step step` carrying `inits`; `body` receives a
    /// builder at the start of the loop body, the induction variable and the
    /// carried values, and returns the values to yield.
    pub fn for_loop(
        &mut self,
        lo: Value,
        hi: Value,
        step: Value,
        inits: &[Value],
        body: impl FnOnce(&mut Builder, Value, &[Value]) -> Result<Vec<Value>, TypeError>,
    ) -> Result<Vec<Value>, TypeError> {
        let block = self.func.new_block();
        let iv = self.func.add_block_arg(block, self.func.ty(lo).clone());
        let args: Vec<Value> = inits
            .iter()
            .map(|&v| {
                let ty = self.func.ty(v).clone();
                self.func.add_block_arg(block, ty)
            })
            .collect();
        let mut operands = vec![lo, hi, step];
        operands.extend_from_slice(inits);
        let op = self.build(Opcode::For, &operands, Attrs::new(), &[block])?;
        let mut inner = Builder::at_end(self.func, block);
        inner.loc = self.loc;
        let yields = body(&mut inner, iv, &args)?;
        inner.build(Opcode::Yield, &yields, Attrs::new(), &[])?;
        Ok(self.func.ops[op].results.to_vec())
    }

    /// Build `if cond` with result types `types`; each closure fills a branch
    /// and returns the values it yields.
    pub fn if_else(
        &mut self,
        cond: Value,
        types: Vec<Type>,
        then_body: impl FnOnce(&mut Builder) -> Result<Vec<Value>, TypeError>,
        else_body: impl FnOnce(&mut Builder) -> Result<Vec<Value>, TypeError>,
    ) -> Result<Vec<Value>, TypeError> {
        let then_block = self.func.new_block();
        let else_block = self.func.new_block();
        let op = self.build_declared(
            Opcode::If,
            &[cond],
            Attrs::new(),
            &[then_block, else_block],
            types,
        );
        for (block, body) in [
            (
                then_block,
                Box::new(then_body) as Box<dyn FnOnce(&mut Builder) -> _>,
            ),
            (else_block, Box::new(else_body)),
        ] {
            let mut inner = Builder::at_end(self.func, block);
            inner.loc = self.loc;
            let yields = body(&mut inner)?;
            inner.build(Opcode::Yield, &yields, Attrs::new(), &[])?;
        }
        Ok(self.func.ops[op].results.to_vec())
    }
}
