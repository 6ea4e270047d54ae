//! Which outer variables a loop body or `if` branch assigns.
//!
//! Structured control flow needs this before the body is lowered: the
//! variables become the loop's carried values (block arguments) or the `if`'s
//! results. A syntactic scan suffices because Rust scoping is lexical: an
//! assignment to `x` refers to an outer variable exactly when no `let x` (or
//! loop variable `x`) of the body is in scope at that point.

use std::collections::HashSet;
use syn::visit::{self, Visit};

/// Names assigned in `block` that it does not declare itself, in order of
/// first assignment.
pub fn assigned_in_block(block: &syn::Block) -> Vec<String> {
    let mut scan = Scan::default();
    scan.visit_block(block);
    scan.assigned
}

/// As [`assigned_in_block`], for an expression (a `while` condition, an `else`
/// branch).
pub fn assigned_in_expr(expr: &syn::Expr) -> Vec<String> {
    let mut scan = Scan::default();
    scan.visit_expr(expr);
    scan.assigned
}

#[derive(Default)]
struct Scan {
    /// Names declared by the body, one set per nested block.
    locals: Vec<HashSet<String>>,
    assigned: Vec<String>,
}

impl Scan {
    fn is_local(&self, name: &str) -> bool {
        self.locals.iter().any(|s| s.contains(name))
    }

    fn declare_pattern(&mut self, pat: &syn::Pat) {
        let mut names = PatNames::default();
        names.visit_pat(pat);
        if self.locals.is_empty() {
            self.locals.push(HashSet::new());
        }
        let frame = self.locals.last_mut().expect("a frame was just ensured");
        frame.extend(names.0);
    }

    fn record_target(&mut self, target: &syn::Expr) {
        if let syn::Expr::Path(p) = target {
            if let Some(ident) = p.path.get_ident() {
                let name = ident.to_string();
                if !self.is_local(&name) && !self.assigned.contains(&name) {
                    self.assigned.push(name);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Scan {
    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.locals.push(HashSet::new());
        visit::visit_block(self, block);
        self.locals.pop();
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        // The initializer sees the outer binding: `let x = x + 1`.
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        self.declare_pattern(&local.pat);
    }

    fn visit_expr_assign(&mut self, e: &'ast syn::ExprAssign) {
        self.record_target(&e.left);
        self.visit_expr(&e.right);
    }

    fn visit_expr_binary(&mut self, e: &'ast syn::ExprBinary) {
        if is_compound_assignment(&e.op) {
            self.record_target(&e.left);
        }
        visit::visit_expr_binary(self, e);
    }

    fn visit_expr_for_loop(&mut self, e: &'ast syn::ExprForLoop) {
        self.visit_expr(&e.expr);
        self.locals.push(HashSet::new());
        self.declare_pattern(&e.pat);
        self.visit_block(&e.body);
        self.locals.pop();
    }
}

pub fn is_compound_assignment(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}

#[derive(Default)]
struct PatNames(Vec<String>);

impl<'ast> Visit<'ast> for PatNames {
    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        self.0.push(p.ident.to_string());
        visit::visit_pat_ident(self, p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(src: &str) -> Vec<String> {
        assigned_in_block(&syn::parse_str(src).unwrap())
    }

    #[test]
    fn finds_outer_assignments_in_order() {
        assert_eq!(scan("{ b = 1; a += 2; b = 3; }"), ["b", "a"]);
    }

    #[test]
    fn respects_shadowing_and_nesting() {
        assert_eq!(scan("{ x = x + 1; let x = 0; x = 2; }"), ["x"]);
        assert_eq!(scan("{ let y = 0; { y = 1; } }"), Vec::<String>::new());
        assert_eq!(scan("{ { let y = 0; } y = 1; }"), ["y"]);
        assert_eq!(scan("{ for i in 0..4 { i = 1; acc = acc + i; } }"), ["acc"]);
        assert_eq!(scan("{ let z = { q = 1; 2 }; }"), ["q"]);
    }
}
