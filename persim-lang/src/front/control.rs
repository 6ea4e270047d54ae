//! Control flow: `if`, `for` and `while` become the IR's structured `if`,
//! `for` and `while`; an `if` on a compile-time condition keeps only the
//! branch taken.
//!
//! Outer variables assigned inside (found by [`super::assigned`]) flow
//! through the op: as the `if`'s results, or as a loop's carried values
//! (block arguments in, `yield` out, results after). A loop-carried variable
//! keeps its type; its pointer provenance may widen, so loops carrying
//! pointers are first lowered without IR until provenance is stable.

use super::aggregate::check_carried;
use super::assigned::{assigned_in_block, assigned_in_expr};
use super::diag::Diagnostic;
use super::lowerer::Lowerer;
use super::promote::{promote, Side};
use super::scope::BindingId;
use super::ty::{Dim, TileTy};
use super::value::{Konst, Provenance, Repr, Val};
use crate::ir::{self, Attrs, Block, Dtype, Opcode};
use proc_macro2::Span;
use syn::spanned::Spanned;

/// The arms of an `if`: its then-block and optional else-expression.
enum Arm<'e> {
    Then(&'e syn::Block),
    Else(Option<&'e syn::Expr>),
}

impl Lowerer<'_> {
    pub fn lower_if(
        &mut self,
        e: &syn::ExprIf,
        want_value: bool,
    ) -> Result<Option<Val>, Diagnostic> {
        if let syn::Expr::Let(l) = &*e.cond {
            return Err(Diagnostic::new(
                l.let_token.span,
                "`if let` is not supported in kernels",
            ));
        }
        if want_value && e.else_branch.is_none() {
            return Err(Diagnostic::new(
                e.if_token.span,
                "an `if` without `else` has no value",
            ));
        }
        let cond = self.lower_value(&e.cond)?;
        self.check_condition(&cond, "if")?;
        let then_arm = Arm::Then(&e.then_branch);
        let else_arm = Arm::Else(e.else_branch.as_ref().map(|(_, x)| &**x));
        match cond.konst() {
            Some(Konst::Bool(true)) => self.lower_arm(&then_arm, want_value),
            Some(Konst::Bool(false)) => self.lower_arm(&else_arm, want_value),
            // `Unknown`: a constexpr condition at build time. Both arms are
            // checked; values stay compile-time constants where both arms agree.
            _ => self.lower_two_arms(e, cond, [then_arm, else_arm], want_value),
        }
    }

    /// The condition of an `if` or `while`: a scalar `bool`.
    pub fn check_condition(&self, cond: &Val, keyword: &str) -> Result<(), Diagnostic> {
        if cond.dtype() == Some(Dtype::I1) && cond.ty.is_scalar() {
            return Ok(());
        }
        let message = if cond.dtype() == Some(Dtype::I1) {
            format!(
                "`{keyword}` needs a scalar `bool` condition, found `{}`; choose elementwise with `where_(cond, a, b)`",
                cond.ty
            )
        } else {
            format!(
                "mismatched types: `{keyword}` needs a `bool` condition, found `{}`",
                cond.ty
            )
        };
        Err(Diagnostic::new(cond.span, message))
    }

    fn lower_arm(&mut self, arm: &Arm, want_value: bool) -> Result<Option<Val>, Diagnostic> {
        let (value, end) = match arm {
            Arm::Then(block) => (
                self.lower_block(block, want_value)?,
                block.brace_token.span.close(),
            ),
            Arm::Else(None) => return Ok(None),
            Arm::Else(Some(syn::Expr::If(nested))) => {
                (self.lower_if(nested, want_value)?, nested.if_token.span)
            }
            Arm::Else(Some(syn::Expr::Block(b))) => (
                self.lower_block(&b.block, want_value)?,
                b.block.brace_token.span.close(),
            ),
            Arm::Else(Some(other)) => {
                return Err(Diagnostic::new(
                    other.span(),
                    "expected a block after `else`",
                ))
            }
        };
        if want_value && value.is_none() {
            return Err(Diagnostic::new(
                end,
                "this branch has no value (its last expression ends with `;`)",
            ));
        }
        Ok(value)
    }

    /// An `if` whose condition is not known: an IR `if` (runtime condition)
    /// or, at build time with a constexpr condition, a check of both arms.
    fn lower_two_arms(
        &mut self,
        e: &syn::ExprIf,
        cond: Val,
        arms: [Arm; 2],
        want_value: bool,
    ) -> Result<Option<Val>, Diagnostic> {
        let span = e.if_token.span;
        let compile_time = cond.is_const();
        let mut names = assigned_in_block(&e.then_branch);
        if let Some((_, x)) = &e.else_branch {
            names.extend(assigned_in_expr(x));
        }
        let carried = self.resolve(names, span)?;
        let parent = self.block;
        let saved = self.scope.clone();
        let mut blocks = [parent; 2];
        let mut values: [Option<Val>; 2] = [None, None];
        let mut finals: [Vec<Val>; 2] = [Vec::new(), Vec::new()];
        for (i, arm) in arms.iter().enumerate() {
            self.scope = saved.clone();
            blocks[i] = self.new_block();
            self.block = blocks[i];
            values[i] = self.lower_arm(arm, want_value)?;
            finals[i] = carried
                .iter()
                .map(|&id| self.scope.get(id).val.clone())
                .collect();
        }
        self.scope = saved;
        // Unify each carried variable and the value across the arms.
        let mut merged = Vec::new();
        let mut yields: [Vec<Val>; 2] = [Vec::new(), Vec::new()];
        // A block pointer is merged as its offsets (see `super::aggregate`).
        let mut pairs: Vec<(Val, Val, String)> = Vec::new();
        for (k, &id) in carried.iter().enumerate() {
            let name = self.scope.get(id).name.clone();
            let before = &self.scope.get(id).val;
            for arm in &finals {
                check_carried(before, &arm[k], &name, span)?;
            }
            let what = format!("variable `{name}`");
            for (a, b) in finals[0][k].parts().into_iter().zip(finals[1][k].parts()) {
                pairs.push((a, b, what.clone()));
            }
        }
        if let [Some(a), Some(b)] = &values {
            pairs.push((a.clone(), b.clone(), "value".to_string()));
        }
        for (a, b, what) in pairs {
            let ty = self.unify(&a, &b, span, &what)?;
            if compile_time {
                merged.push(merge_compile_time(&a, &b, ty));
                continue;
            }
            for (i, v) in [a, b].into_iter().enumerate() {
                self.block = blocks[i];
                let v = self.coerce(v, &ty, span)?;
                yields[i].push(v);
            }
            let prov = yields[0]
                .last()
                .expect("pushed")
                .prov
                .union(&yields[1].last().expect("pushed").prov);
            merged.push(Val::dynamic(ty, None, prov, span));
        }
        if !compile_time {
            let types = merged.iter().map(|v| v.ty.clone()).collect::<Vec<_>>();
            for (i, y) in yields.iter().enumerate() {
                self.block = blocks[i];
                self.emit_terminator(span, Opcode::Yield, y)?;
            }
            self.block = parent;
            let results =
                self.emit_structured(span, Opcode::If, &[&cond], &blocks, Some(&types))?;
            for (v, r) in merged.iter_mut().zip(results) {
                v.repr = Repr::Dyn(r);
            }
        }
        self.block = parent;
        let value = want_value.then(|| merged.pop()).flatten();
        let mut merged = merged.into_iter();
        for (k, &id) in carried.iter().enumerate() {
            let v = finals[0][k].with_parts(&mut merged);
            self.scope.set(id, v);
        }
        Ok(value)
    }

    /// The common type of two arms' values: equal types, or a weak literal
    /// adopting the other arm's type.
    fn unify(&self, a: &Val, b: &Val, span: Span, what: &str) -> Result<TileTy, Diagnostic> {
        let fail = || {
            Diagnostic::new(
                span,
                format!("the {what} has type `{}` after the `if` branch but `{}` after the `else` branch", a.ty, b.ty),
            )
        };
        match (a.is_weak(), b.is_weak()) {
            (true, true) => {
                let d = promote(
                    Side::weak(a.dtype().expect("data")),
                    Side::weak(b.dtype().expect("data")),
                )
                .dtype;
                Ok(TileTy::scalar(d))
            }
            (true, false) | (false, true) => {
                let (weak, strong) = if a.is_weak() { (a, b) } else { (b, a) };
                match (weak.dtype(), strong.dtype()) {
                    (Some(w), Some(s)) if s.is_float() || (w.is_int() && s.is_int()) => {
                        Ok(strong.ty.clone())
                    }
                    _ => Err(fail()),
                }
            }
            (false, false) if a.ty.agrees(&b.ty) => Ok(TileTy {
                elem: a.ty.elem,
                dims: a
                    .ty
                    .dims
                    .iter()
                    .zip(&b.ty.dims)
                    .map(|(x, y)| if x == y { *x } else { Dim::Unknown })
                    .collect(),
            }),
            (false, false) => Err(fail()),
        }
    }

    /// `v` converted to `ty` (weak literal settled, scalar broadcast).
    fn coerce(&mut self, v: Val, ty: &TileTy, span: Span) -> Result<Val, Diagnostic> {
        let v = match ty.dtype() {
            Some(d) if v.is_weak() => self.settle_weak(&v, d)?,
            _ => self.strengthen(v),
        };
        self.broadcast_to(v, &ty.dims, span, "the value")
    }

    pub fn lower_for(&mut self, e: &syn::ExprForLoop) -> Result<(), Diagnostic> {
        if let Some(label) = &e.label {
            return Err(Diagnostic::new(
                label.name.span(),
                "labels are not supported in kernels",
            ));
        }
        if let Some(call) = super::unroll::static_range_call(&e.expr) {
            return self.lower_static_for(e, call);
        }
        let span = e.for_token.span;
        let var = match &*e.pat {
            syn::Pat::Ident(p)
                if p.by_ref.is_none() && p.subpat.is_none() && p.mutability.is_none() =>
            {
                Some(p.ident.to_string())
            }
            syn::Pat::Wild(_) => None,
            other => {
                return Err(Diagnostic::new(
                    other.span(),
                    "a `for` loop binds one variable: `for i in lo..hi`",
                ))
            }
        };
        let [lo, hi, step] = self.range_bounds(&e.expr)?;
        let iv_ty = lo.ty.clone();
        let carried = self.resolve(assigned_in_block(&e.body), span)?;
        let body = |this: &mut Self, iv: Option<ir::Value>| -> Result<(), Diagnostic> {
            this.scope.push_frame();
            if let Some(name) = &var {
                let v = Val::dynamic(iv_ty.clone(), iv, Provenance::none(), span);
                this.scope.bind(name.clone(), v, false);
            }
            let r = this.lower_block(&e.body, false).map(drop);
            this.scope.pop_frame();
            r
        };
        let inits = self.loop_inits(&carried, span, |this, args| {
            this.bind_carried(&carried, args);
            body(this, None)
        })?;
        let block = self.new_block();
        let iv = self.add_block_arg(block, &iv_ty, span)?;
        let args = self.carried_args(block, &inits, span)?;
        let yields = self.in_region(block, &carried, args, span, |this| body(this, iv))?;
        self.emit_terminator_in(block, span, &yields)?;
        let init_parts: Vec<Val> = inits.iter().flat_map(Val::parts).collect();
        let mut operands = vec![&lo, &hi, &step];
        operands.extend(init_parts.iter());
        let results = self.emit_structured(span, Opcode::For, &operands, &[block], None)?;
        self.finish_loop(&carried, inits, results);
        Ok(())
    }

    pub fn lower_while(&mut self, e: &syn::ExprWhile) -> Result<(), Diagnostic> {
        if let Some(label) = &e.label {
            return Err(Diagnostic::new(
                label.name.span(),
                "labels are not supported in kernels",
            ));
        }
        if let syn::Expr::Let(l) = &*e.cond {
            return Err(Diagnostic::new(
                l.let_token.span,
                "`while let` is not supported in kernels",
            ));
        }
        let span = e.while_token.span;
        let mut names = assigned_in_expr(&e.cond);
        names.extend(assigned_in_block(&e.body));
        let carried = self.resolve(names, span)?;
        let cond_then_body = |this: &mut Self| -> Result<(), Diagnostic> {
            let cond = this.lower_value(&e.cond)?;
            this.check_condition(&cond, "while")?;
            this.lower_block(&e.body, false).map(drop)
        };
        let inits = self.loop_inits(&carried, span, |this, args| {
            this.bind_carried(&carried, args);
            cond_then_body(this)
        })?;
        // Before-region: evaluate the condition, pass the carried values on.
        let before = self.new_block();
        let before_args = self.carried_args(before, &inits, span)?;
        let mut cond_val = None;
        let passed = self.in_region(before, &carried, before_args, span, |this| {
            let cond = this.lower_value(&e.cond)?;
            this.check_condition(&cond, "while")?;
            cond_val = Some(cond);
            Ok(())
        })?;
        let cond = cond_val.expect("set by the region");
        let mut operands = vec![cond];
        operands.extend(passed);
        self.emit_terminator_op(before, span, Opcode::Condition, &operands)?;
        // After-region: the body.
        let after = self.new_block();
        let after_args = self.carried_args(after, &inits, span)?;
        let yields = self.in_region(after, &carried, after_args, span, |this| {
            this.lower_block(&e.body, false).map(drop)
        })?;
        self.emit_terminator_in(after, span, &yields)?;
        let init_parts: Vec<Val> = inits.iter().flat_map(Val::parts).collect();
        let operands: Vec<&Val> = init_parts.iter().collect();
        let results =
            self.emit_structured(span, Opcode::While, &operands, &[before, after], None)?;
        self.finish_loop(&carried, inits, results);
        Ok(())
    }

    /// `lo..hi` or `(lo..hi).step_by(s)`: three scalars of one integer type.
    fn range_bounds(&mut self, e: &syn::Expr) -> Result<[Val; 3], Diagnostic> {
        let shape_error = || {
            Diagnostic::new(
                e.span(),
                "a `for` loop runs over a range: `lo..hi` or `(lo..hi).step_by(step)`",
            )
        };
        let (range, step) = match strip(e) {
            syn::Expr::Range(r) => (r, None),
            syn::Expr::MethodCall(m) if m.method == "step_by" => {
                match (strip(&m.receiver), m.args.len()) {
                    (syn::Expr::Range(r), 1) => (r, Some(&m.args[0])),
                    _ => return Err(shape_error()),
                }
            }
            _ => return Err(shape_error()),
        };
        if let syn::RangeLimits::Closed(t) = range.limits {
            return Err(Diagnostic::new(
                t.spans[0],
                "use an exclusive range `lo..hi` (`..=` is not supported)",
            ));
        }
        let (Some(start), Some(end)) = (&range.start, &range.end) else {
            return Err(Diagnostic::new(
                range.limits.span(),
                "a `for` range needs both bounds: `lo..hi`",
            ));
        };
        let lo = self.lower_value(start)?;
        let hi = self.lower_value(end)?;
        let step = match step {
            Some(s) => self.lower_value(s)?,
            None => Val::constant(Dtype::I32, Konst::Int(1), true, range.limits.span()),
        };
        for v in [&lo, &hi, &step] {
            if !(v.ty.is_scalar() && v.dtype().is_some_and(Dtype::is_int)) {
                return Err(Diagnostic::new(
                    v.span,
                    format!("loop bounds must be integer scalars, found `{}`", v.ty),
                ));
            }
        }
        let side = |v: &Val| Side {
            dtype: v.dtype().expect("checked"),
            weak: v.is_weak(),
        };
        let d = promote(promote(side(&lo), side(&hi)), side(&step)).dtype;
        let span = range.limits.span();
        let mut bounds = Vec::with_capacity(3);
        for v in [lo, hi, step] {
            let v = self.promote_to(v, d, span)?;
            bounds.push(self.strengthen(v));
        }
        let [lo, hi, step]: [Val; 3] = bounds.try_into().expect("three bounds");
        if let Some(Konst::Int(s)) = step.konst() {
            if s <= 0 {
                return Err(Diagnostic::new(
                    step.span,
                    format!("`step_by` needs a positive step, found {s}"),
                ));
            }
        }
        Ok([lo, hi, step])
    }

    /// Bindings of assigned names visible here (others are reported when the
    /// assignment itself is lowered). A deferred one defers the whole
    /// construct: its type is needed to carry it.
    fn resolve(&self, names: Vec<String>, span: Span) -> Result<Vec<BindingId>, Diagnostic> {
        let ids: Vec<BindingId> = names.iter().filter_map(|n| self.scope.lookup(n)).collect();
        if ids.iter().any(|&id| self.scope.get(id).deferred) {
            return Err(Diagnostic::deferred(span));
        }
        Ok(ids)
    }

    /// The carried values' initial values (weak literals settled to their
    /// default type), with provenance widened until the body preserves it.
    fn loop_inits(
        &mut self,
        carried: &[BindingId],
        span: Span,
        mut dry_body: impl FnMut(&mut Self, Vec<Val>) -> Result<(), Diagnostic>,
    ) -> Result<Vec<Val>, Diagnostic> {
        let mut inits: Vec<Val> = carried
            .iter()
            .map(|&id| self.strengthen(self.scope.get(id).val.clone()))
            .collect();
        if !inits.iter().any(|v| v.ty.is_ptr()) {
            return Ok(inits);
        }
        loop {
            let saved = self.scope.clone();
            let args: Vec<Val> = inits
                .iter()
                .map(|v| {
                    let mut parts = v
                        .parts()
                        .into_iter()
                        .map(|p| Val::dynamic(p.ty, None, p.prov, span));
                    v.with_parts(&mut parts)
                })
                .collect();
            let finals = self.dry_run(|this| {
                dry_body(this, args)?;
                Ok(carried
                    .iter()
                    .map(|&id| this.scope.get(id).val.prov.clone())
                    .collect::<Vec<_>>())
            });
            self.scope = saved;
            let mut widened = false;
            for (v, p) in inits.iter_mut().zip(finals?) {
                if !v.prov.contains_all(&p) {
                    v.prov = v.prov.union(&p);
                    widened = true;
                }
            }
            if !widened {
                return Ok(inits);
            }
        }
    }

    /// Rebind carried variables to a region's arguments.
    fn bind_carried(&mut self, carried: &[BindingId], args: Vec<Val>) {
        for (&id, v) in carried.iter().zip(args) {
            let b = self.scope.get_mut(id);
            b.val = v;
            b.carried = true;
        }
    }

    /// Block arguments for the carried values (one per part, see
    /// [`Val::parts`]), as frontend values.
    fn carried_args(
        &mut self,
        block: Block,
        inits: &[Val],
        span: Span,
    ) -> Result<Vec<Val>, Diagnostic> {
        let mut args = Vec::with_capacity(inits.len());
        for v in inits {
            let mut parts = Vec::new();
            for p in v.parts() {
                let arg = self.add_block_arg(block, &p.ty, span)?;
                parts.push(Val::dynamic(p.ty, arg, p.prov, span));
            }
            args.push(v.with_parts(&mut parts.into_iter()));
        }
        Ok(args)
    }

    /// Lower `body` into `block` with the carried variables bound to `args`;
    /// returns their final values' parts (see [`Val::parts`]), converted to
    /// their types. The scope is restored afterwards.
    fn in_region(
        &mut self,
        block: Block,
        carried: &[BindingId],
        args: Vec<Val>,
        span: Span,
        body: impl FnOnce(&mut Self) -> Result<(), Diagnostic>,
    ) -> Result<Vec<Val>, Diagnostic> {
        let saved = self.scope.clone();
        let parent = self.block;
        self.block = block;
        let templates = args.clone();
        self.bind_carried(carried, args);
        body(self)?;
        let mut finals = Vec::new();
        for (&id, template) in carried.iter().zip(&templates) {
            let b = self.scope.get(id);
            let v = b.val.clone();
            let ty = &template.ty;
            if !(v.ty.agrees(ty) || v.is_weak()) {
                return Err(Diagnostic::new(
                    v.span,
                    format!(
                        "loop-carried variable `{}` changes type from `{ty}` to `{}`",
                        b.name, v.ty
                    ),
                ));
            }
            check_carried(template, &v, &b.name, v.span)?;
            for (p, t) in v.parts().into_iter().zip(template.parts()) {
                finals.push(self.coerce(p, &t.ty, span)?);
            }
        }
        self.block = parent;
        self.scope = saved;
        Ok(finals)
    }

    fn finish_loop(
        &mut self,
        carried: &[BindingId],
        inits: Vec<Val>,
        results: Vec<Option<ir::Value>>,
    ) {
        let mut results = results.into_iter();
        for (&id, init) in carried.iter().zip(inits) {
            let b = self.scope.get_mut(id);
            let span = b.val.span;
            let parts: Vec<Val> = init
                .parts()
                .into_iter()
                .map(|p| Val::dynamic(p.ty, results.next().flatten(), p.prov, span))
                .collect();
            b.val = init.with_parts(&mut parts.into_iter());
        }
    }

    fn emit_terminator(
        &mut self,
        span: Span,
        opcode: Opcode,
        values: &[Val],
    ) -> Result<(), Diagnostic> {
        let mut operands = Vec::new();
        for v in values {
            operands.extend(self.materialize(v)?);
        }
        self.emit_op(span, opcode, &operands, Attrs::new(), &[], None)
            .map(drop)
    }

    fn emit_terminator_op(
        &mut self,
        block: Block,
        span: Span,
        opcode: Opcode,
        values: &[Val],
    ) -> Result<(), Diagnostic> {
        let parent = self.block;
        self.block = block;
        let r = self.emit_terminator(span, opcode, values);
        self.block = parent;
        r
    }

    fn emit_terminator_in(
        &mut self,
        block: Block,
        span: Span,
        values: &[Val],
    ) -> Result<(), Diagnostic> {
        self.emit_terminator_op(block, span, Opcode::Yield, values)
    }

    /// Build a structured op in the current block; its results, `None`s when
    /// not building.
    fn emit_structured(
        &mut self,
        span: Span,
        opcode: Opcode,
        operands: &[&Val],
        regions: &[Block],
        declared: Option<&[TileTy]>,
    ) -> Result<Vec<Option<ir::Value>>, Diagnostic> {
        let count = match declared {
            Some(types) => types.len(),
            None => operands
                .len()
                .saturating_sub(if opcode == Opcode::For { 3 } else { 0 }),
        };
        if !self.is_building() {
            return Ok(vec![None; count]);
        }
        let mut values = Vec::new();
        for v in operands {
            values.extend(self.materialize(v)?);
        }
        let declared = match declared {
            Some(types) => Some(
                types
                    .iter()
                    .map(|t| {
                        t.to_ir()
                            .ok_or_else(|| super::lowerer::internal(span, "unknown dimension"))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        let op = self.emit_op(span, opcode, &values, Attrs::new(), regions, declared)?;
        Ok(self.op_results(op))
    }
}

/// The value after an `if` on a constexpr unknown at build time: a constant
/// (of unknown value) if both arms are constants, else a runtime value.
fn merge_compile_time(a: &Val, b: &Val, ty: TileTy) -> Val {
    let prov = a.prov.union(&b.prov);
    if a.is_const() && b.is_const() && ty.is_scalar() {
        let weak = a.is_weak() && b.is_weak();
        let d = ty.dtype().expect("constants are data");
        return Val::constant(d, Konst::Unknown, weak, a.span);
    }
    Val::dynamic(ty, None, prov, a.span)
}

fn strip(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => strip(&p.expr),
        syn::Expr::Group(g) => strip(&g.expr),
        e => e,
    }
}
