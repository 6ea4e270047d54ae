//! Invariants 4–18: the signature, then one walk in program order that keeps
//! the set of visible values (for dominance) and checks each op against the
//! op table and each block's terminator against the op that owns the block.
//! Runs after `structure`, so arena indexing cannot fail and regions form a
//! tree.

use super::{type_list, Report, VerifyError};
use crate::ir::attrs::Attr;
use crate::ir::builder::infer_types;
use crate::ir::entities::{Block, Op, Value};
use crate::ir::function::{FuncKind, Function, FUNCTION_ATTRS};
use crate::ir::opcodes::{Arity, Opcode};
use crate::ir::types::{numel, Dtype, Type};
use cranelift_entity::SecondaryMap;

pub(super) fn check(f: &Function, report: &Report) -> Result<(), VerifyError> {
    signature(f, report)?;
    let mut walk = Walk {
        f,
        report,
        visible: SecondaryMap::new(),
        scope: Vec::new(),
    };
    walk.block(f.body, &BlockRole::Body)
}

/// Invariants 4 and 5.
fn signature(f: &Function, report: &Report) -> Result<(), VerifyError> {
    let args = f.block_args(f.body);
    if args.len() != f.params.len() {
        return Err(report.at_function(format!(
            "{} parameters but the body has {} arguments",
            f.params.len(),
            args.len()
        )));
    }
    for (i, (p, &arg)) in f.params.iter().zip(args).enumerate() {
        if *f.ty(arg) != p.ty {
            return Err(report.at_function(format!(
                "parameter {i} has type {} but body argument {} has type {}",
                p.ty,
                report.value(arg),
                f.ty(arg)
            )));
        }
    }
    if f.kind == FuncKind::Kernel && !f.results.is_empty() {
        return Err(report.at_function(format!(
            "a kernel returns nothing, but this one declares results {}",
            type_list(&f.results)
        )));
    }
    if let Some(why) = f.results.iter().find_map(malformed) {
        return Err(report.at_function(format!("result type: {why}")));
    }
    if let Some((key, _)) = f.attrs.0.iter().find(|(k, _)| !FUNCTION_ATTRS.contains(k)) {
        return Err(report.at_function(format!(
            "unknown function attribute `{key}` (allowed: {})",
            FUNCTION_ATTRS.join(", ")
        )));
    }
    Ok(())
}

/// Invariant 6: a reason why `ty` is malformed, if it is.
fn malformed(ty: &Type) -> Option<String> {
    let positive = match ty {
        Type::Tile { shape, .. } => shape.iter().all(|&d| d > 0),
        Type::Buf { len, .. } => *len > 0,
    };
    if !positive {
        return Some(format!("type {ty} has an empty dimension"));
    }
    let count = match ty {
        Type::Tile { shape, .. } => numel(shape),
        Type::Buf { len, .. } => u64::from(*len),
    };
    (count > u64::from(u32::MAX)).then(|| format!("type {ty} has more than 2^32-1 elements"))
}

/// What a block is, which decides how it must end (17, 18).
enum BlockRole {
    Body,
    /// `yield` of the carried types.
    ForBody(Vec<Type>),
    /// `yield` of the `if`'s result types.
    IfBranch(Vec<Type>),
    /// `condition` of an `i1` scalar, then the carried types.
    WhileBefore(Vec<Type>),
    /// `yield` of the carried types.
    WhileAfter(Vec<Type>),
    /// `yield` of the combined scalars' types (`reduce_with`, `scan_with`).
    Combine(Vec<Type>),
}

impl BlockRole {
    fn describe(&self) -> &'static str {
        match self {
            BlockRole::Body => "the kernel body",
            BlockRole::ForBody(_) => "a `for` body",
            BlockRole::IfBranch(_) => "an `if` branch",
            BlockRole::WhileBefore(_) => "a `while` before-region",
            BlockRole::WhileAfter(_) => "a `while` after-region",
            BlockRole::Combine(_) => "a combine region",
        }
    }

    fn terminator(&self) -> Opcode {
        match self {
            BlockRole::Body => Opcode::Return,
            BlockRole::WhileBefore(_) => Opcode::Condition,
            _ => Opcode::Yield,
        }
    }
}

struct Walk<'a, 'f> {
    f: &'f Function,
    report: &'a Report<'f>,
    /// Values visible at the current point of the walk.
    visible: SecondaryMap<Value, bool>,
    /// Visible values in definition order, so leaving a block hides its own.
    scope: Vec<Value>,
}

impl Walk<'_, '_> {
    fn define(&mut self, v: Value) {
        self.visible[v] = true;
        self.scope.push(v);
    }

    /// `owner` locates errors about the block as a whole.
    fn block(&mut self, block: Block, role: &BlockRole) -> Result<(), VerifyError> {
        let f = self.f;
        let owner = f.blocks[block].parent;
        let mark = self.scope.len();
        for &arg in f.block_args(block) {
            if let Some(why) = malformed(f.ty(arg)) {
                let message = format!("argument {}: {why}", self.report.value(arg));
                return Err(match owner {
                    Some(op) => self.report.at_op(op, message),
                    None => self.report.at_function(message),
                });
            }
            self.define(arg);
        }
        let ops = f.block_ops(block);
        let Some(&last) = ops.last() else {
            let message = format!(
                "{} is empty; it must end with `{}`",
                role.describe(),
                role.terminator().name()
            );
            return Err(match owner {
                Some(op) => self.report.at_op(op, message),
                None => self.report.at_function(message),
            });
        };
        for &op in ops {
            self.op(op)?;
            let opcode = f.op(op).opcode;
            if opcode.is_terminator() && op != last {
                return Err(self.report.at_op(
                    op,
                    format!(
                        "terminator `{}` is not the last op of its block",
                        opcode.name()
                    ),
                ));
            }
        }
        self.terminator(last, role)?;
        for v in self.scope.drain(mark..) {
            self.visible[v] = false;
        }
        Ok(())
    }

    /// Invariants 16–18 for the last op of a block.
    fn terminator(&self, op: Op, role: &BlockRole) -> Result<(), VerifyError> {
        let f = self.f;
        let data = f.op(op);
        let expected = role.terminator();
        if !data.opcode.is_terminator() {
            return Err(self.report.at_op(
                op,
                format!(
                    "{} must end with `{}`, but ends with `{}`",
                    role.describe(),
                    expected.name(),
                    data.opcode.name()
                ),
            ));
        }
        if data.opcode != expected {
            return Err(self.report.at_op(
                op,
                format!(
                    "`{}` cannot end {}, which ends with `{}`",
                    data.opcode.name(),
                    role.describe(),
                    expected.name()
                ),
            ));
        }
        let passed: Vec<&Type> = data.operands.iter().map(|&v| f.ty(v)).collect();
        let (carried, wanted): (&[&Type], &Vec<Type>) = match role {
            BlockRole::Body => (&passed, &f.results),
            BlockRole::WhileBefore(types) => {
                let Some((cond, rest)) = passed.split_first() else {
                    unreachable!("`condition` takes at least one operand (checked by 7)")
                };
                if **cond != Type::scalar(Dtype::I1) {
                    return Err(self.report.at_op(
                        op,
                        format!("`condition` must first pass an i1 scalar, got {cond}"),
                    ));
                }
                (rest, types)
            }
            BlockRole::ForBody(types)
            | BlockRole::IfBranch(types)
            | BlockRole::WhileAfter(types)
            | BlockRole::Combine(types) => (&passed, types),
        };
        if !carried.iter().copied().eq(wanted.iter()) {
            let what = match role {
                BlockRole::IfBranch(_) => "the `if`'s result types",
                BlockRole::Body => "the function's result types",
                BlockRole::Combine(_) => "the combined element types",
                _ => "the loop's carried types",
            };
            return Err(self.report.at_op(
                op,
                format!(
                    "`{}` passes {} but {} are {}",
                    data.opcode.name(),
                    type_list(carried.iter().copied()),
                    what,
                    type_list(wanted)
                ),
            ));
        }
        Ok(())
    }

    /// Invariants 7–15 for one op, then its regions.
    fn op(&mut self, op: Op) -> Result<(), VerifyError> {
        let f = self.f;
        let data = f.op(op);
        let info = data.opcode.info();
        let err = |message: String| self.report.at_op(op, message);
        let counts = [
            ("operands", info.operands, data.operands.len()),
            ("results", info.results, data.results.len()),
            ("regions", Arity::Exact(info.regions), data.regions.len()),
        ];
        for (what, arity, got) in counts {
            if !arity.accepts(got) {
                return Err(err(format!(
                    "`{}` has {got} {what}, but the op table says {}",
                    info.name,
                    describe_arity(arity)
                )));
            }
        }
        for (i, (key, _)) in data.attrs.0.iter().enumerate() {
            if !info.attrs.contains(key) && !info.optional_attrs.contains(key) {
                return Err(err(format!("`{}` takes no attribute `{key}`", info.name)));
            }
            if data.attrs.0[..i].iter().any(|(k, _)| k == key) {
                return Err(err(format!("attribute `{key}` appears twice")));
            }
        }
        if let Some(key) = info.attrs.iter().find(|k| data.attrs.get(k).is_none()) {
            return Err(err(format!("`{}` needs attribute `{key}`", info.name)));
        }
        for (i, &v) in data.operands.iter().enumerate() {
            if !self.visible[v] {
                return Err(err(format!(
                    "operand {i} ({}) is not defined before this use in this block or an \
                     enclosing one",
                    self.report.value(v)
                )));
            }
        }
        self.result_types(op)?;
        self.attr_values(op)?;
        if data.loc.is_known() && data.loc.file as usize >= f.files.len() {
            return Err(err(format!(
                "location names file {} but the kernel lists {} files",
                data.loc.file,
                f.files.len()
            )));
        }
        for (role, &region) in self.region_roles(op)?.iter().zip(&data.regions) {
            self.block(region, role)?;
        }
        for &r in &data.results {
            self.define(r);
        }
        Ok(())
    }

    /// Invariants 6 (for results) and 10.
    fn result_types(&self, op: Op) -> Result<(), VerifyError> {
        let f = self.f;
        let data = f.op(op);
        let err = |message: String| self.report.at_op(op, message);
        let types: Vec<&Type> = data.results.iter().map(|&r| f.ty(r)).collect();
        if let Some(why) = types.iter().find_map(|t| malformed(t)) {
            return Err(err(why));
        }
        let inferred = infer_types(f, data.opcode, &data.operands, &data.attrs)
            .map_err(|e| err(format!("ill-typed: {}", e.message)))?;
        match inferred {
            Some(inferred) if !types.iter().copied().eq(inferred.iter()) => Err(err(format!(
                "result types {} differ from the typing rule's {}",
                type_list(types.iter().copied()),
                type_list(&inferred)
            ))),
            _ => Ok(()),
        }
    }

    /// Invariant 11.
    fn attr_values(&self, op: Op) -> Result<(), VerifyError> {
        let f = self.f;
        let data = f.op(op);
        let err = |message: String| self.report.at_op(op, message);
        match data.opcode {
            Opcode::Call => non_empty_str(data.attrs.get("callee"), "callee").map_err(err),
            Opcode::Custom => non_empty_str(data.attrs.get("name"), "name")
                .and_then(|()| non_empty_str(data.attrs.get("symbol"), "symbol"))
                .map_err(err),
            Opcode::Load
            | Opcode::Store
            | Opcode::AtomicAdd
            | Opcode::AtomicMax
            | Opcode::AtomicMin
            | Opcode::AtomicXchg
            | Opcode::AtomicCas
            | Opcode::CopyIn
            | Opcode::CopyOut
            | Opcode::CopyGather => match data.attrs.get("arg") {
                None => Ok(()),
                Some(Attr::Int(i)) => {
                    let param = usize::try_from(*i).ok().and_then(|i| f.params.get(i));
                    match param {
                        Some(p) if p.ty.elem().is_ptr() => Ok(()),
                        Some(p) => Err(err(format!(
                            "`arg = {i}` names parameter `{}` of type {}, not a pointer",
                            p.name, p.ty
                        ))),
                        None => Err(err(format!(
                            "`arg = {i}` is not a parameter index (the kernel has {})",
                            f.params.len()
                        ))),
                    }
                }
                Some(other) => Err(err(format!("`arg` must be a parameter index, got {other}"))),
            },
            _ => Ok(()),
        }
    }

    /// Invariants 13–15, returning what each region is.
    fn region_roles(&self, op: Op) -> Result<Vec<BlockRole>, VerifyError> {
        let f = self.f;
        let data = f.op(op);
        let err = |message: String| self.report.at_op(op, message);
        let operand_types: Vec<Type> = data.operands.iter().map(|&v| f.ty(v).clone()).collect();
        let result_types: Vec<Type> = data.results.iter().map(|&v| f.ty(v).clone()).collect();
        let args_of = |region: usize| -> Vec<Type> {
            f.block_args(data.regions[region])
                .iter()
                .map(|&v| f.ty(v).clone())
                .collect()
        };
        let expect_args = |region: usize, what: &str, wanted: &[Type]| {
            let got = args_of(region);
            if got == wanted {
                Ok(())
            } else {
                Err(err(format!(
                    "{what} takes arguments {} but must take {}",
                    type_list(&got),
                    type_list(wanted)
                )))
            }
        };
        Ok(match data.opcode {
            Opcode::For => {
                let inits = operand_types[3..].to_vec();
                let mut wanted = vec![operand_types[0].clone()];
                wanted.extend(inits.iter().cloned());
                expect_args(0, "the `for` body", &wanted)?;
                vec![BlockRole::ForBody(inits)]
            }
            Opcode::If => {
                if operand_types[0] != Type::scalar(Dtype::I1) {
                    return Err(err(format!(
                        "`if` condition must be an i1 scalar, got {}",
                        operand_types[0]
                    )));
                }
                expect_args(0, "the `if` then-branch", &[])?;
                expect_args(1, "the `if` else-branch", &[])?;
                vec![
                    BlockRole::IfBranch(result_types.clone()),
                    BlockRole::IfBranch(result_types),
                ]
            }
            Opcode::While => {
                expect_args(0, "the `while` before-region", &operand_types)?;
                expect_args(1, "the `while` after-region", &operand_types)?;
                vec![
                    BlockRole::WhileBefore(operand_types.clone()),
                    BlockRole::WhileAfter(operand_types),
                ]
            }
            Opcode::ReduceWith | Opcode::ScanWith => {
                let elems: Vec<Type> = operand_types
                    .iter()
                    .map(|t| match t.elem().dtype() {
                        Some(d) => Type::scalar(d),
                        None => t.clone(),
                    })
                    .collect();
                let wanted: Vec<Type> = elems.iter().chain(&elems).cloned().collect();
                expect_args(0, "the combine region", &wanted)?;
                self.combine_ops(data.regions[0])?;
                vec![BlockRole::Combine(elems)]
            }
            _ if data.regions.is_empty() => Vec::new(),
            other => {
                return Err(err(format!(
                    "the verifier does not know what the regions of `{}` are",
                    other.name()
                )))
            }
        })
    }
}

impl Walk<'_, '_> {
    /// Invariant 19: a combine region computes on scalars only, with ops
    /// that have no effect and no regions (`call` too, before inlining), so
    /// the interpreter may run it per pair of elements and the lowering may
    /// apply it lane by lane to vectors.
    fn combine_ops(&self, region: Block) -> Result<(), VerifyError> {
        let f = self.f;
        for &op in f.block_ops(region) {
            let data = f.op(op);
            let allowed = data.opcode == Opcode::Const
                || data.opcode == Opcode::Call
                || data.opcode == Opcode::Yield
                || data.opcode.is_elementwise();
            if !allowed {
                return Err(self.report.at_op(
                    op,
                    format!(
                        "`{}` in a combine region, which may only hold `const`, elementwise \
                         ops and `call`s of scalars",
                        data.opcode.name()
                    ),
                ));
            }
            let values = data.results.iter().chain(&data.operands);
            if let Some(&v) = values.into_iter().find(|&&v| !f.ty(v).is_scalar()) {
                return Err(self.report.at_op(
                    op,
                    format!(
                        "{} of type {} in a combine region, which computes on scalars only",
                        self.report.value(v),
                        f.ty(v)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Invariant 11 for string attributes naming a function or symbol.
fn non_empty_str(attr: Option<&Attr>, key: &str) -> Result<(), String> {
    match attr {
        Some(Attr::Str(name)) if !name.is_empty() => Ok(()),
        other => Err(format!(
            "`{key}` must be a non-empty string, got {}",
            other.map_or("nothing".to_string(), Attr::to_string)
        )),
    }
}

/// `2`, `1 to 3`, `at least 3`.
fn describe_arity(arity: Arity) -> String {
    match arity {
        Arity::Exact(n) => n.to_string(),
        Arity::Range(lo, hi) => format!("{lo} to {hi}"),
        Arity::AtLeast(n) => format!("at least {n}"),
    }
}
