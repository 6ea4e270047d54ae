//! The lowering context: where ops go, what names mean, and the one place
//! that turns frontend values into IR.
//!
//! The same lowering code serves the build-time check and launch-time
//! specialization. The difference is only whether `func` is present: when it
//! is, every op the frontend decides on is built (typed by the op table, so
//! a frontend bug surfaces as an internal error instead of bad IR); when it is
//! not, the frontend still computes every type and reports every error, but
//! builds nothing. Loop bodies are also lowered without IR once ("dry run")
//! when pointer provenance must reach a fixpoint first.

use super::diag::Diagnostic;
use super::module::Calls;
use super::scope::Scope;
use super::shadow::CallShadow;
use super::signature::ParamInfo;
use super::srcmap::SourceMap;
use super::ty::TileTy;
use super::value::{Konst, Provenance, Repr, Val};
use crate::ir::{self, Attr, Attrs, Block, Builder, Function, Loc, Opcode};
use cranelift_entity::packed_option::ReservedValue;
use proc_macro2::Span;

/// A runtime parameter of the kernel as the IR numbers them.
#[derive(Clone, Debug)]
pub struct RuntimeParam {
    pub name: String,
    /// For pointers: declared `*mut`.
    pub mutable: bool,
    pub dtype_text: String,
}

pub struct Lowerer<'a> {
    /// The function being built; `None` while only checking.
    pub func: Option<Function>,
    /// Where new ops go (meaningless while `func` is `None`).
    pub block: Block,
    pub scope: Scope,
    /// The kernel's runtime parameters, indexed like the IR's.
    pub runtime_params: Vec<RuntimeParam>,
    /// How calls of device functions and custom ops resolve (at launch).
    pub(crate) calls: Option<Calls<'a>>,
    /// Build-time check: values only known at launch are deferred (see
    /// [`Diagnostic::deferred`]) instead of being an error.
    pub deferring: bool,
    /// Lowering a device function's body (for messages).
    pub device: bool,
    /// Build-time check: the calls seen, for rustc to check.
    pub shadows: Vec<CallShadow>,
    /// The call expression (by address) each shadow comes from.
    pub(crate) shadow_nodes: Vec<usize>,
    srcmap: Option<&'a SourceMap<'a>>,
    file: u32,
}

impl<'a> Lowerer<'a> {
    /// A lowerer for a kernel with these parameters.
    pub fn new(
        func: Option<Function>,
        params: &[ParamInfo],
        srcmap: Option<&'a SourceMap<'a>>,
    ) -> Lowerer<'a> {
        let runtime_params = params
            .iter()
            .filter(|p| !p.is_constexpr())
            .map(|p| RuntimeParam {
                name: p.name.clone(),
                mutable: matches!(p.kind, super::ParamKind::Ptr { mutable: true, .. }),
                dtype_text: match p.kind {
                    super::ParamKind::Ptr { dtype, mutable } => {
                        let m = if mutable { "mut" } else { "const" };
                        format!("*{m} {}", super::dtype_syntax::source_name(dtype))
                    }
                    super::ParamKind::Scalar(d) | super::ParamKind::Constexpr(d) => {
                        super::dtype_syntax::source_name(d).to_string()
                    }
                },
            })
            .collect();
        Lowerer::with_params(func, runtime_params, srcmap, None)
    }

    /// A lowerer for a function with these runtime parameters, resolving
    /// calls through `calls`.
    pub(crate) fn with_params(
        func: Option<Function>,
        runtime_params: Vec<RuntimeParam>,
        srcmap: Option<&'a SourceMap<'a>>,
        calls: Option<Calls<'a>>,
    ) -> Lowerer<'a> {
        let mut func = func;
        let file = match (&mut func, srcmap) {
            (Some(f), Some(map)) => f.file_index(map.file),
            _ => 0,
        };
        let block = func.as_ref().map_or(Block::reserved_value(), |f| f.body);
        Lowerer {
            func,
            block,
            scope: Scope::default(),
            runtime_params,
            calls,
            deferring: false,
            device: false,
            shadows: Vec::new(),
            shadow_nodes: Vec::new(),
            srcmap,
            file,
        }
    }

    pub fn is_building(&self) -> bool {
        self.func.is_some()
    }

    pub fn loc(&self, span: Span) -> Loc {
        match self.srcmap.and_then(|m| m.position(span)) {
            Some((line, col)) => Loc::new(self.file, line, col),
            None => Loc::UNKNOWN,
        }
    }

    /// A new block (a placeholder while not building).
    pub fn new_block(&mut self) -> Block {
        match &mut self.func {
            Some(f) => f.new_block(),
            None => Block::reserved_value(),
        }
    }

    pub fn add_block_arg(
        &mut self,
        block: Block,
        ty: &TileTy,
        span: Span,
    ) -> Result<Option<ir::Value>, Diagnostic> {
        let Some(f) = &mut self.func else {
            return Ok(None);
        };
        let ty = ty
            .to_ir()
            .ok_or_else(|| internal(span, "unknown dimension while building IR"))?;
        Ok(Some(f.add_block_arg(block, ty)))
    }

    /// Run `body` without building IR (types and errors only).
    pub fn dry_run<T>(
        &mut self,
        body: impl FnOnce(&mut Self) -> Result<T, Diagnostic>,
    ) -> Result<T, Diagnostic> {
        let func = self.func.take();
        let block = self.block;
        let result = body(self);
        self.func = func;
        self.block = block;
        result
    }

    /// The IR value holding `v`, building a constant if `v` is one. `None`
    /// while not building.
    pub fn materialize(&mut self, v: &Val) -> Result<Option<ir::Value>, Diagnostic> {
        if !self.is_building() {
            return Ok(None);
        }
        match &v.repr {
            Repr::Dyn(Some(value)) => Ok(Some(*value)),
            Repr::Dyn(None) => Err(internal(v.span, "value from a dry run used while building")),
            Repr::Aggregate(_) => Err(internal(
                v.span,
                "a tuple or block pointer used as one value",
            )),
            Repr::Const { value, .. } => {
                let dtype = v
                    .dtype()
                    .ok_or_else(|| internal(v.span, "pointer constant"))?;
                let attr = match *value {
                    Konst::Int(i) => Attr::Int(i64::try_from(i).unwrap_or(i as u64 as i64)),
                    Konst::Float(x) => Attr::Float(super::numeric::round_float(x, dtype)),
                    Konst::Bool(b) => Attr::Bool(b),
                    Konst::Unknown => {
                        return Err(internal(v.span, "unknown constant while building"))
                    }
                };
                let attrs = Attrs::new()
                    .with("value", attr)
                    .with("ty", Attr::Dtype(dtype));
                let built = self.build_op(v.span, Opcode::Const, &[], attrs, &v.ty)?;
                Ok(built)
            }
        }
    }

    /// Build a single-result op whose type the frontend has already computed
    /// as `ty`; the op table's typing rule must agree.
    pub fn emit(
        &mut self,
        span: Span,
        opcode: Opcode,
        operands: &[&Val],
        attrs: Attrs,
        ty: TileTy,
        prov: Provenance,
    ) -> Result<Val, Diagnostic> {
        let mut values = Vec::with_capacity(operands.len());
        for v in operands {
            values.extend(self.materialize(v)?);
        }
        let value = self.build_op(span, opcode, &values, attrs, &ty)?;
        Ok(Val::dynamic(ty, value, prov, span))
    }

    fn build_op(
        &mut self,
        span: Span,
        opcode: Opcode,
        operands: &[ir::Value],
        attrs: Attrs,
        ty: &TileTy,
    ) -> Result<Option<ir::Value>, Diagnostic> {
        let loc = self.loc(span);
        let block = self.block;
        let Some(func) = &mut self.func else {
            return Ok(None);
        };
        let mut b = Builder::at_end(func, block);
        b.loc = loc;
        let value = b
            .value(opcode, operands, attrs)
            .map_err(|e| internal(span, &e.to_string()))?;
        if ty.to_ir().as_ref() != Some(func.ty(value)) {
            return Err(internal(
                span,
                &format!(
                    "`{}` typed {} by the IR, {ty} by the frontend",
                    opcode.name(),
                    func.ty(value)
                ),
            ));
        }
        Ok(Some(value))
    }

    /// Build an op with no single result (terminators, `store`, structured
    /// control flow) and return it.
    pub fn emit_op(
        &mut self,
        span: Span,
        opcode: Opcode,
        operands: &[ir::Value],
        attrs: Attrs,
        regions: &[Block],
        declared: Option<Vec<ir::Type>>,
    ) -> Result<Option<ir::Op>, Diagnostic> {
        let loc = self.loc(span);
        let block = self.block;
        let Some(func) = &mut self.func else {
            return Ok(None);
        };
        let mut b = Builder::at_end(func, block);
        b.loc = loc;
        let op = match declared {
            Some(types) => b.build_declared(opcode, operands, attrs, regions, types),
            None => b
                .build(opcode, operands, attrs, regions)
                .map_err(|e| internal(span, &e.to_string()))?,
        };
        Ok(Some(op))
    }

    /// Results of an op built by [`Lowerer::emit_op`].
    pub fn op_results(&self, op: Option<ir::Op>) -> Vec<Option<ir::Value>> {
        match (op, &self.func) {
            (Some(op), Some(f)) => f.ops[op].results.iter().map(|&v| Some(v)).collect(),
            _ => Vec::new(),
        }
    }

    /// Attach a file position to a diagnostic that has none yet.
    pub fn locate(&self, mut d: Diagnostic) -> Diagnostic {
        if d.location.is_none() {
            d.location = self.srcmap.and_then(|m| m.describe(d.span));
        }
        d
    }
}

/// A frontend bug caught by the IR's typing rules: reported, never a panic.
pub fn internal(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        span,
        format!("internal error in the persim frontend ({what}); please report it"),
    )
}

/// A list of dimensions as an IR attribute; only built when all are known.
pub fn dims_attr(dims: &[super::ty::Dim]) -> Attr {
    Attr::Ints(
        dims.iter()
            .map(|d| d.known().map_or(-1, i64::from))
            .collect(),
    )
}
