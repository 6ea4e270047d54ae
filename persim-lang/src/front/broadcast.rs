//! NumPy broadcasting, made explicit: shapes are aligned from the right and
//! each pair of dimensions must be equal or contain a 1. The IR's elementwise
//! ops take operands of one type, so the frontend emits `splat` (scalar to
//! tile), `expand_dims` (add leading dimensions) and `broadcast` (stretch
//! dimensions of size 1).

use super::diag::Diagnostic;
use super::lowerer::{dims_attr, Lowerer};
use super::ty::{dims_to_string, Dim, Dims};
use super::value::Val;
use crate::ir::{Attr, Attrs, Opcode};
use proc_macro2::Span;

/// The broadcast shape of two shapes, or the index (from the right) of the
/// first pair of dimensions that cannot broadcast.
///
/// Unknown dimensions (build-time check) broadcast with anything: the check
/// is deferred to launch, when they are known.
pub fn broadcast_dims(a: &[Dim], b: &[Dim]) -> Result<Dims, usize> {
    let rank = a.len().max(b.len());
    let mut out = Dims::new();
    for i in (0..rank).rev() {
        // Dimension `i` of the result, counted from the right.
        let da = (i < a.len()).then(|| a[a.len() - 1 - i]);
        let db = (i < b.len()).then(|| b[b.len() - 1 - i]);
        let d = match (da, db) {
            (Some(x), None) | (None, Some(x)) => x,
            (Some(x), Some(y)) => merge(x, y).ok_or(i)?,
            (None, None) => unreachable!("i < rank"),
        };
        out.push(d);
    }
    Ok(out)
}

fn merge(a: Dim, b: Dim) -> Option<Dim> {
    match (a, b) {
        (Dim::Known(x), Dim::Known(y)) if x == y => Some(a),
        (Dim::Known(1), other) | (other, Dim::Known(1)) => Some(other),
        (Dim::Known(_), Dim::Known(_)) => None,
        (Dim::Known(x), Dim::Unknown) | (Dim::Unknown, Dim::Known(x)) => Some(Dim::Known(x)),
        (Dim::Unknown, Dim::Unknown) => Some(Dim::Unknown),
    }
}

impl Lowerer<'_> {
    /// Broadcast `v` to `dims`; `what` names the value in the error.
    pub fn broadcast_to(
        &mut self,
        v: Val,
        dims: &[Dim],
        span: Span,
        what: &str,
    ) -> Result<Val, Diagnostic> {
        if v.ty.dims.as_slice() == dims {
            return Ok(v);
        }
        let fail = |v: &Val| {
            Diagnostic::new(
                span,
                format!(
                    "{what} of type `{}` cannot be broadcast to shape {}",
                    v.ty,
                    dims_to_string(dims)
                ),
            )
        };
        if v.ty.rank() > dims.len() {
            return Err(fail(&v));
        }
        let fits =
            v.ty.dims
                .iter()
                .zip(&dims[dims.len() - v.ty.rank()..])
                .all(|(&s, &t)| s.agrees(t) || s == Dim::Known(1));
        if !fits {
            return Err(fail(&v));
        }
        let origin = v.span;
        let prov = v.prov.clone();
        if v.ty.is_scalar() {
            let ty = v.ty.with_dims(dims);
            let attrs = Attrs::new().with("shape", dims_attr(dims));
            return Ok(self
                .emit(span, Opcode::Splat, &[&v], attrs, ty, prov)?
                .with_span(origin));
        }
        let mut v = v;
        while v.ty.rank() < dims.len() {
            let mut expanded = Dims::from_slice(&v.ty.dims);
            expanded.insert(0, Dim::Known(1));
            let ty = v.ty.with_dims(&expanded);
            let attrs = Attrs::new().with("axis", Attr::Int(0));
            v = self.emit(span, Opcode::ExpandDims, &[&v], attrs, ty, prov.clone())?;
        }
        if v.ty.dims.as_slice() != dims {
            let ty = v.ty.with_dims(dims);
            let attrs = Attrs::new().with("shape", dims_attr(dims));
            v = self.emit(span, Opcode::Broadcast, &[&v], attrs, ty, prov)?;
        }
        Ok(v.with_span(origin))
    }

    /// Broadcast two operands of a binary operation (at `span`, the operator)
    /// to their common shape.
    pub fn broadcast_pair(
        &mut self,
        a: Val,
        b: Val,
        span: Span,
        op: &str,
    ) -> Result<(Val, Val), Diagnostic> {
        let dims = broadcast_dims(&a.ty.dims, &b.ty.dims).map_err(|i| {
            let ra = a.ty.rank();
            let rb = b.ty.rank();
            Diagnostic::new(
                span,
                format!(
                    "shapes {} and {} of `{op}` do not broadcast: dimension {} is {} on the left and {} on the right",
                    dims_to_string(&a.ty.dims),
                    dims_to_string(&b.ty.dims),
                    ra.max(rb) - 1 - i,
                    a.ty.dims[ra - 1 - i],
                    b.ty.dims[rb - 1 - i],
                ),
            )
        })?;
        let a = self.broadcast_to(a, &dims, span, "the left operand")?;
        let b = self.broadcast_to(b, &dims, span, "the right operand")?;
        Ok((a, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dim::{Known as K, Unknown as U};

    #[test]
    fn numpy_rules() {
        assert_eq!(broadcast_dims(&[K(16)], &[]).unwrap().as_slice(), &[K(16)]);
        assert_eq!(
            broadcast_dims(&[K(4), K(1)], &[K(8)]).unwrap().as_slice(),
            &[K(4), K(8)]
        );
        assert_eq!(
            broadcast_dims(&[K(1), K(8)], &[K(4), K(1)])
                .unwrap()
                .as_slice(),
            &[K(4), K(8)]
        );
        assert_eq!(broadcast_dims(&[K(16)], &[K(32)]), Err(0));
        assert_eq!(broadcast_dims(&[K(3), K(4)], &[K(2), K(4)]), Err(1));
    }

    #[test]
    fn unknown_dims_defer() {
        assert_eq!(broadcast_dims(&[U], &[K(32)]).unwrap().as_slice(), &[K(32)]);
        assert_eq!(broadcast_dims(&[U], &[K(1)]).unwrap().as_slice(), &[U]);
        assert_eq!(
            broadcast_dims(&[U, K(1)], &[U]).unwrap().as_slice(),
            &[U, U]
        );
    }
}
