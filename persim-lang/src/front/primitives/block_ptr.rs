//! Block pointers: `make_block_ptr`, `advance`, and `load`/`store` through
//! one (Triton's `tl.make_block_ptr`, `tl.advance`, and `tl.load`/`tl.store`
//! with `boundary_check` and `padding_option`).
//!
//! ```text
//! let a_bp = make_block_ptr(a, [M, K], [stride_m, 1], [pid * BM, 0], [BM, BK], [1, 0]);
//! let a = load(a_bp, [0, 1], Padding::Zero);   // or "zero"; Padding::Nan or "nan"
//! a_bp = advance(a_bp, [0, BK]);
//! store(c_bp, acc, [0, 1]);
//! ```
//!
//! Rust has no keyword arguments, so the boundary check and the padding are
//! `load`'s second and third arguments and the boundary check `store`'s
//! third (where pointer loads and stores take their mask and `other`).
//!
//! A block pointer is a frontend value (see `front::aggregate`), not an IR
//! type: a load or store through it expands into what one would write by
//! hand, `base + Σ_d (offsets[d] + arange(0, block[d]))·strides[d]` with each
//! index term laid along its dimension, and, for each checked dimension `d`,
//! the mask `0 <= offs_d < shape[d]`. The mid-end sees ordinary pointer
//! tiles and masks, so it lowers non-power-of-two blocks, proves masks and
//! fuses as it does for hand-written code; checked mode sees ordinary
//! accesses. Tensor descriptors would need the same expansion plus a
//! descriptor type in the IR, for no gain on the targets persim has.
//!
//! Types: `offsets` are `i32` (as in Triton; `advance` keeps them so);
//! `shape` and `strides` keep their integer types and the address arithmetic
//! follows the usual promotion (pass `i64` strides for tensors beyond 2^31
//! elements, as Triton's `i64` shape and strides always are). Without a
//! padding option, masked-off elements read as zero (Triton leaves them
//! undefined). `order` is checked to be a permutation and otherwise has no
//! effect: it is a layout hint for Triton's GPU code generator.

use super::memory::{check_mutable, provenance_attrs};
use super::CallSite;
use crate::front::aggregate::BlockPtr;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::{dims_attr, Lowerer};
use crate::front::operators::BinKind;
use crate::front::ty::{Dim, Dims, TileTy};
use crate::front::value::{Konst, Provenance, Val};
use crate::ir::{Attr, Attrs, CmpPred, Dtype, Elem, Opcode};
use proc_macro2::Span;
use syn::spanned::Spanned;

/// `make_block_ptr(base, shape, strides, offsets, block_shape, order)`.
pub fn make_block_ptr(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let base = cx.arg(site, 0)?;
    if !(base.ty.is_ptr() && base.ty.is_scalar()) {
        return Err(Diagnostic::new(
            base.span,
            format!(
                "`make_block_ptr` needs a scalar pointer (a pointer parameter) as its base, found `{}`",
                base.ty
            ),
        ));
    }
    let block = cx.shape_arg(site.args[4])?;
    let rank = block.len();
    if rank == 0 {
        return Err(Diagnostic::new(
            site.args[4].span(),
            "a block has at least one dimension",
        ));
    }
    let shape = int_list(cx, site.args[1], rank, "`shape`")?;
    let strides = int_list(cx, site.args[2], rank, "`strides`")?;
    let offsets = offset_list(cx, site.args[3], rank, "`offsets`")?;
    super::shape::permutation(cx, site.args[5], rank)?;
    let bp = BlockPtr {
        id: BlockPtr::new_id(),
        base,
        shape,
        strides,
        offsets,
        block,
    };
    Ok(Some(Val::block_ptr(bp, site.span)))
}

/// `advance(bp, offsets)`: the same block pointer moved by `offsets`
/// elements along each dimension.
pub fn advance(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    let v = cx.lower_item(site.args[0])?;
    let Some(bp) = v.as_block_ptr() else {
        return Err(Diagnostic::new(
            v.span,
            format!(
                "`advance` moves a block pointer (made by `make_block_ptr`), found `{}`",
                v.ty
            ),
        ));
    };
    let mut bp = bp.clone();
    let deltas = offset_list(cx, site.args[1], bp.rank(), "the offsets of `advance`")?;
    for (o, delta) in bp.offsets.iter_mut().zip(deltas) {
        *o = cx.binary(
            BinKind::Arith(Opcode::Add),
            "+",
            o.clone(),
            delta,
            site.span,
        )?;
    }
    Ok(Some(Val::block_ptr(bp, site.span)))
}

/// `load(bp, boundary_check?, padding?)`.
pub(super) fn load(cx: &mut Lowerer, bp: &BlockPtr, site: &CallSite) -> Result<Val, Diagnostic> {
    let checks = match site.args.get(1) {
        Some(e) => boundary_check(cx, e, bp.rank())?,
        None => Vec::new(),
    };
    let pointee = bp.pointee();
    let other = match site.args.get(2) {
        Some(e) => padding(e, pointee)?,
        None => None,
    };
    let (ptrs, mask) = expand(cx, bp, &checks, site.span)?;
    let mut operands = vec![ptrs.clone()];
    if let Some(mask) = mask {
        operands.push(cx.mask(mask, &bp.block, site)?);
        if let Some(x) = other {
            let nan = Val::constant(pointee, Konst::Float(x), false, site.span);
            operands.push(cx.broadcast_to(nan, &bp.block, site.span, "the padding")?);
        }
    }
    let attrs = provenance_attrs(&ptrs.prov);
    let ty = ptrs.ty.with_dtype(pointee);
    let operands: Vec<&Val> = operands.iter().collect();
    cx.emit(
        site.span,
        Opcode::Load,
        &operands,
        attrs,
        ty,
        Provenance::none(),
    )
}

/// `store(bp, value, boundary_check?)`.
pub(super) fn store(cx: &mut Lowerer, bp: &BlockPtr, site: &CallSite) -> Result<(), Diagnostic> {
    let pointee = bp.pointee();
    // Reported at the block pointer argument, not where it was made.
    let base = bp.base.clone().with_span(site.args[0].span());
    check_mutable(cx, &base, pointee, "store through")?;
    let value = cx.arg(site, 1)?;
    let value = cx.element_of(
        value,
        pointee,
        "the stored value",
        "the block pointer points to",
    )?;
    let value = cx.broadcast_to(value, &bp.block, site.span, "the stored value")?;
    let checks = match site.args.get(2) {
        Some(e) => boundary_check(cx, e, bp.rank())?,
        None => Vec::new(),
    };
    let (ptrs, mask) = expand(cx, bp, &checks, site.span)?;
    let mut operands = vec![ptrs.clone(), value];
    if let Some(mask) = mask {
        operands.push(cx.mask(mask, &bp.block, site)?);
    }
    let mut values = Vec::new();
    for v in &operands {
        values.extend(cx.materialize(v)?);
    }
    cx.emit_op(
        site.span,
        Opcode::Store,
        &values,
        provenance_attrs(&ptrs.prov),
        &[],
        None,
    )?;
    Ok(())
}

/// The pointers of a block and, if any dimension is checked, its boundary
/// mask (shaped to broadcast to the block).
fn expand(
    cx: &mut Lowerer,
    bp: &BlockPtr,
    checks: &[usize],
    span: Span,
) -> Result<(Val, Option<Val>), Diagnostic> {
    let add = BinKind::Arith(Opcode::Add);
    let rank = bp.rank();
    let mut linear: Option<Val> = None;
    let mut mask: Option<Val> = None;
    for d in 0..rank {
        let index = arange_along(cx, bp.block[d], d, rank, span)?;
        let offs = cx.binary(add, "+", index, bp.offsets[d].clone(), span)?;
        if checks.contains(&d) {
            let zero = Val::constant(Dtype::I32, Konst::Int(0), true, span);
            let ge = cx.binary(BinKind::Cmp(CmpPred::Ge), ">=", offs.clone(), zero, span)?;
            let lt = cx.binary(
                BinKind::Cmp(CmpPred::Lt),
                "<",
                offs.clone(),
                bp.shape[d].clone(),
                span,
            )?;
            let and = BinKind::Logical(Opcode::And);
            let inside = cx.binary(and, "&&", ge, lt, span)?;
            mask = Some(match mask {
                Some(m) => cx.binary(and, "&&", m, inside, span)?,
                None => inside,
            });
        }
        // A unit stride (the usual innermost one) needs no multiplication.
        let term = match bp.strides[d].konst() {
            Some(Konst::Int(1)) => offs,
            _ => cx.binary(
                BinKind::Arith(Opcode::Mul),
                "*",
                offs,
                bp.strides[d].clone(),
                span,
            )?,
        };
        linear = Some(match linear {
            Some(l) => cx.binary(add, "+", l, term, span)?,
            None => term,
        });
    }
    let linear = linear.expect("a block has at least one dimension");
    let linear = cx.broadcast_to(linear, &bp.block, span, "the block's offsets")?;
    let ptrs = cx.binary(add, "+", bp.base.clone(), linear, span)?;
    Ok((ptrs, mask))
}

/// `arange(0, n)` laid along dimension `d` of a rank-`rank` tile (the other
/// dimensions 1).
fn arange_along(
    cx: &mut Lowerer,
    n: Dim,
    d: usize,
    rank: usize,
    span: Span,
) -> Result<Val, Diagnostic> {
    let attrs = Attrs::new()
        .with("lo", Attr::Int(0))
        .with("hi", Attr::Int(n.known().map_or(0, i64::from)));
    let ty = TileTy::new(Elem::Val(Dtype::I32), &[n]);
    let index = cx.emit(span, Opcode::Arange, &[], attrs, ty, Provenance::none())?;
    if rank == 1 {
        return Ok(index);
    }
    let mut dims: Dims = std::iter::repeat_n(Dim::Known(1), rank).collect();
    dims[d] = n;
    let attrs = Attrs::new().with("shape", dims_attr(&dims));
    let ty = index.ty.with_dims(&dims);
    cx.emit(
        span,
        Opcode::Reshape,
        &[&index],
        attrs,
        ty,
        Provenance::none(),
    )
}

/// An array literal of `rank` integer scalars (runtime values allowed).
fn int_list(
    cx: &mut Lowerer,
    e: &syn::Expr,
    rank: usize,
    what: &str,
) -> Result<Vec<Val>, Diagnostic> {
    let elems = list(e, rank, what)?;
    let mut out = Vec::with_capacity(rank);
    for elem in elems {
        let v = cx.lower_value(elem)?;
        if !(v.ty.is_scalar() && v.dtype().is_some_and(Dtype::is_int)) {
            return Err(Diagnostic::new(
                v.span,
                format!("{what} lists integer scalars, found `{}`", v.ty),
            ));
        }
        out.push(cx.strengthen(v));
    }
    Ok(out)
}

/// An array literal of `rank` `i32` scalars (a literal takes `i32`).
fn offset_list(
    cx: &mut Lowerer,
    e: &syn::Expr,
    rank: usize,
    what: &str,
) -> Result<Vec<Val>, Diagnostic> {
    let elems = list(e, rank, what)?;
    let mut out = Vec::with_capacity(rank);
    for elem in elems {
        let v = cx.lower_value(elem)?;
        if v.is_weak() && v.dtype().is_some_and(Dtype::is_int) {
            out.push(cx.settle_weak(&v, Dtype::I32)?);
        } else if v.ty.is_scalar() && v.dtype() == Some(Dtype::I32) {
            out.push(v);
        } else {
            let hint = if v.dtype().is_some_and(Dtype::is_int) && v.ty.is_scalar() {
                "; convert it with `.to::<i32>()`"
            } else {
                ""
            };
            return Err(Diagnostic::new(
                v.span,
                format!(
                    "{what} are `i32` scalars (as in Triton), found `{}`{hint}",
                    v.ty
                ),
            ));
        }
    }
    Ok(out)
}

/// The elements of an array literal that must have `rank` of them.
fn list<'e>(e: &'e syn::Expr, rank: usize, what: &str) -> Result<Vec<&'e syn::Expr>, Diagnostic> {
    let syn::Expr::Array(array) = strip(e) else {
        return Err(Diagnostic::new(
            e.span(),
            format!("{what} is a list with one entry per dimension, like `[m, n]`"),
        ));
    };
    if array.elems.len() != rank {
        return Err(Diagnostic::new(
            e.span(),
            format!(
                "{what} needs {rank} entries (one per dimension of the block), found {}",
                array.elems.len()
            ),
        ));
    }
    Ok(array.elems.iter().collect())
}

/// `boundary_check`: the dimensions to mask, `[0, 1]` (compile-time, each
/// at most once). Unknown entries (build-time check) are left out.
fn boundary_check(cx: &mut Lowerer, e: &syn::Expr, rank: usize) -> Result<Vec<usize>, Diagnostic> {
    let syn::Expr::Array(array) = strip(e) else {
        return Err(Diagnostic::new(
            e.span(),
            "the boundary check lists the dimensions to check, like `[0, 1]` (or `[]`)",
        ));
    };
    let mut axes = Vec::new();
    for elem in &array.elems {
        let Some(axis) = cx.compile_time_int(elem, "a boundary-check axis")? else {
            continue;
        };
        let axis = usize::try_from(axis)
            .ok()
            .filter(|&a| a < rank)
            .ok_or_else(|| {
                Diagnostic::new(
                    elem.span(),
                    format!(
                        "boundary-check axis {axis} is out of range for a block pointer of rank {rank}"
                    ),
                )
            })?;
        if axes.contains(&axis) {
            return Err(Diagnostic::new(
                elem.span(),
                format!("axis {axis} is listed twice in the boundary check"),
            ));
        }
        axes.push(axis);
    }
    Ok(axes)
}

/// The padding option: `Padding::Zero` or `"zero"` (`None`: masked-off
/// elements read as zero), `Padding::Nan` or `"nan"` (they read as NaN;
/// floats only).
fn padding(e: &syn::Expr, pointee: Dtype) -> Result<Option<f64>, Diagnostic> {
    let word = match strip(e) {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        syn::Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 2 => {
            let s = &p.path.segments;
            (s[0].ident == "Padding" && s[0].arguments.is_none())
                .then(|| s[1].ident.to_string().to_lowercase())
        }
        _ => None,
    };
    match word.as_deref() {
        Some("zero") => Ok(None),
        Some("nan") if pointee.is_float() => Ok(Some(f64::NAN)),
        Some("nan") => Err(Diagnostic::new(
            e.span(),
            format!(
                "NaN padding needs floats, but the block pointer points to `{}`",
                crate::front::dtype_syntax::source_name(pointee)
            ),
        )),
        _ => Err(Diagnostic::new(
            e.span(),
            "the padding option is `Padding::Zero` or `Padding::Nan` (or Triton's \"zero\" or \"nan\")",
        )),
    }
}

fn strip(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => strip(&p.expr),
        syn::Expr::Group(g) => strip(&g.expr),
        e => e,
    }
}
