//! Constructs no kernel or device function may contain, found by syntax
//! alone.
//!
//! The lowering reports an unsupported construct when it reaches it, with
//! types in hand. The build-time check skips statements whose values are
//! only known at launch (calls of device functions, parameters of generic
//! device functions); this walk makes sure such statements still get
//! their syntax checked at `cargo build`. It only rejects what is wrong
//! everywhere, so it never contradicts the lowering.

use super::diag::Diagnostic;
use super::expr::unsupported;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

/// The first construct in `block` (in source order) that is never allowed.
pub fn check_syntax(block: &syn::Block) -> Result<(), Diagnostic> {
    let mut walk = Walk { error: None };
    walk.visit_block(block);
    walk.error.map_or(Ok(()), Err)
}

struct Walk {
    error: Option<Diagnostic>,
}

impl<'ast> Visit<'ast> for Walk {
    fn visit_expr(&mut self, e: &'ast syn::Expr) {
        if self.error.is_some() {
            return;
        }
        use syn::Expr::*;
        match e {
            Closure(_) | Match(_) | Loop(_) | Break(_) | Continue(_) | Reference(_)
            | RawAddr(_) | Index(_) | Field(_) | Struct(_) | Macro(_) | Try(_) | Async(_)
            | Await(_) | TryBlock(_) | Yield(_) | Unsafe(_) | Const(_) | Repeat(_) | Infer(_) => {
                self.error = Some(unsupported(e))
            }
            _ => visit::visit_expr(self, e),
        }
    }

    fn visit_stmt(&mut self, s: &'ast syn::Stmt) {
        if self.error.is_some() {
            return;
        }
        match s {
            syn::Stmt::Item(item) => {
                self.error = Some(Diagnostic::new(
                    item.span(),
                    "items (functions, structs, `use`, ...) cannot be declared inside kernels",
                ))
            }
            syn::Stmt::Macro(m) => {
                self.error = Some(Diagnostic::new(
                    m.mac.path.span(),
                    "macros are not supported inside kernels",
                ))
            }
            _ => visit::visit_stmt(self, s),
        }
    }
}

/// Every call in `block` whose callee may be a device function or custom
/// op: a path that is not a primitive's plain name. The build-time check
/// records the calls it reaches with their argument types; calls in
/// skipped (deferred) statements come from here, so that every callee is
/// still resolved by rustc and recorded for launch.
pub fn callee_calls(block: &syn::Block) -> Vec<&syn::ExprCall> {
    let mut calls = Calls(Vec::new());
    calls.visit_block(block);
    calls.0
}

struct Calls<'ast>(Vec<&'ast syn::ExprCall>);

impl<'ast> Visit<'ast> for Calls<'ast> {
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            let segments = &p.path.segments;
            let primitive = p.path.leading_colon.is_none()
                && segments.len() == 1
                && super::primitives::lookup(&segments[0].ident.to_string()).is_some();
            if !primitive && p.qself.is_none() {
                self.0.push(c);
            }
        }
        visit::visit_expr_call(self, c);
    }
}

/// The combine functions of the `reduce`/`associative_scan` calls in
/// `block`: the argument expression, its path and the number of tiles
/// combined as written (`k` for a tuple expression of `k` tiles, else 1).
pub fn combine_args(block: &syn::Block) -> Vec<(&syn::Expr, &syn::Path, usize)> {
    let mut found = CombineArgs(Vec::new());
    found.visit_block(block);
    found.0
}

struct CombineArgs<'ast>(Vec<(&'ast syn::Expr, &'ast syn::Path, usize)>);

impl<'ast> Visit<'ast> for CombineArgs<'ast> {
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            let combining = p.path.leading_colon.is_none()
                && p.path.segments.len() == 1
                && matches!(
                    p.path.segments[0].ident.to_string().as_str(),
                    "reduce" | "associative_scan"
                );
            if let (true, Some(syn::Expr::Path(f))) = (combining, c.args.iter().nth(2)) {
                let k = match c.args.first() {
                    Some(syn::Expr::Tuple(t)) => t.elems.len(),
                    _ => 1,
                };
                self.0.push((&c.args[2], &f.path, k));
            }
        }
        visit::visit_expr_call(self, c);
    }
}
