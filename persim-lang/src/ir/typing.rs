//! Typing rules of the op table: each computes an op's result types from its
//! operand types and attributes, or says why the op is ill-typed. The builder
//! uses them to type new ops; the verifier re-runs them on every op.

use super::attrs::{Attr, Attrs};
use super::types::{numel, Dtype, Elem, Shape, Type};

/// What a typing rule sees of an op.
pub struct TypingCtx<'a> {
    pub operands: &'a [Type],
    pub attrs: &'a Attrs,
}

type Rule = Result<Option<Vec<Type>>, String>;

fn one(t: Type) -> Rule {
    Ok(Some(vec![t]))
}

fn attr_int(cx: &TypingCtx, key: &str) -> Result<i64, String> {
    cx.attrs
        .int(key)
        .ok_or_else(|| format!("missing integer attribute `{key}`"))
}

fn attr_shape(cx: &TypingCtx, key: &str) -> Result<Shape, String> {
    let dims = cx
        .attrs
        .ints(key)
        .ok_or_else(|| format!("missing list attribute `{key}`"))?;
    dims.iter()
        .map(|&d| u32::try_from(d).ok().filter(|&d| d > 0))
        .collect::<Option<Shape>>()
        .ok_or_else(|| format!("`{key}` must list positive dimensions, got {dims:?}"))
}

fn tile<'a>(t: &'a Type, what: &str) -> Result<(Elem, &'a [u32]), String> {
    match t {
        Type::Tile { elem, shape } => Ok((*elem, shape)),
        Type::Buf { .. } => Err(format!("{what} must be a tile or scalar, got {t}")),
    }
}

fn dtype_of(t: &Type, what: &str) -> Result<Dtype, String> {
    match t {
        Type::Tile {
            elem: Elem::Val(d), ..
        } => Ok(*d),
        _ => Err(format!("{what} must hold data values, got {t}")),
    }
}

fn same_types<'a>(cx: &TypingCtx<'a>) -> Result<&'a Type, String> {
    let a = &cx.operands[0];
    for (i, b) in cx.operands.iter().enumerate().skip(1) {
        if a != b {
            return Err(format!("operand {i} has type {b}, expected {a}"));
        }
    }
    tile(a, "operand")?;
    Ok(a)
}

pub fn constant(cx: &TypingCtx) -> Rule {
    let d = cx.attrs.dtype("ty").ok_or("missing dtype attribute `ty`")?;
    match (cx.attrs.get("value"), d) {
        (Some(Attr::Bool(_)), Dtype::I1) => {}
        (Some(Attr::Int(_)), d) if d.is_int() || d.is_bool() => {}
        (Some(Attr::Float(_)), d) if d.is_float() => {}
        (Some(v), d) => return Err(format!("constant {v} does not fit type {d}")),
        (None, _) => return Err("missing attribute `value`".into()),
    }
    one(Type::scalar(d))
}

pub fn grid_index(cx: &TypingCtx) -> Rule {
    let axis = attr_int(cx, "axis")?;
    if !(0..3).contains(&axis) {
        return Err(format!("grid axis must be 0, 1 or 2, got {axis}"));
    }
    one(Type::scalar(Dtype::I32))
}

pub fn arange(cx: &TypingCtx) -> Rule {
    let (lo, hi) = (attr_int(cx, "lo")?, attr_int(cx, "hi")?);
    let len = hi.checked_sub(lo).and_then(|n| u32::try_from(n).ok());
    match len {
        Some(len) if len > 0 => one(Type::tile(Elem::Val(Dtype::I32), &[len])),
        _ => Err(format!(
            "arange needs lo < hi, at most 2^32-1 apart, got {lo}..{hi}"
        )),
    }
}

pub fn splat(cx: &TypingCtx) -> Rule {
    let (elem, shape) = tile(&cx.operands[0], "splat operand")?;
    if !shape.is_empty() {
        return Err(format!(
            "splat operand must be a scalar, got {}",
            cx.operands[0]
        ));
    }
    let shape = attr_shape(cx, "shape")?;
    one(Type::Tile { elem, shape })
}

pub fn broadcast(cx: &TypingCtx) -> Rule {
    let (elem, src) = tile(&cx.operands[0], "broadcast operand")?;
    let dst = attr_shape(cx, "shape")?;
    if src.len() != dst.len() || src.iter().zip(&dst).any(|(&s, &d)| s != d && s != 1) {
        return Err(format!(
            "cannot broadcast {} to shape {dst:?}",
            cx.operands[0]
        ));
    }
    one(Type::Tile { elem, shape: dst })
}

pub fn expand_dims(cx: &TypingCtx) -> Rule {
    let (elem, src) = tile(&cx.operands[0], "expand_dims operand")?;
    let axis = attr_int(cx, "axis")?;
    if axis < 0 || axis as usize > src.len() {
        return Err(format!("axis {axis} out of range for rank {}", src.len()));
    }
    let mut shape = Shape::from_slice(src);
    shape.insert(axis as usize, 1);
    one(Type::Tile { elem, shape })
}

pub fn reshape(cx: &TypingCtx) -> Rule {
    let (elem, src) = tile(&cx.operands[0], "reshape operand")?;
    let shape = attr_shape(cx, "shape")?;
    if numel(src) != numel(&shape) {
        return Err(format!(
            "cannot reshape {} ({} elements) to {shape:?}",
            cx.operands[0],
            numel(src)
        ));
    }
    one(Type::Tile { elem, shape })
}

pub fn trans(cx: &TypingCtx) -> Rule {
    let (elem, src) = tile(&cx.operands[0], "trans operand")?;
    let perm = cx
        .attrs
        .ints("perm")
        .ok_or("missing list attribute `perm`")?;
    let mut seen = vec![false; src.len()];
    let mut shape = Shape::new();
    if perm.len() != src.len() {
        return Err(format!("perm {perm:?} does not match rank {}", src.len()));
    }
    for &p in perm {
        let p = usize::try_from(p)
            .ok()
            .filter(|&p| p < src.len() && !seen[p]);
        let p = p.ok_or_else(|| format!("{perm:?} is not a permutation"))?;
        seen[p] = true;
        shape.push(src[p]);
    }
    one(Type::Tile { elem, shape })
}

// ---- shape: concatenation, join, split ---------------------------------------------

pub fn cat(cx: &TypingCtx) -> Rule {
    let (ea, sa) = tile(&cx.operands[0], "cat operand")?;
    let (eb, sb) = tile(&cx.operands[1], "cat operand")?;
    let axis = attr_int(cx, "axis")?;
    if ea != eb || sa.len() != sb.len() {
        return Err(format!(
            "cat operands differ in element type or rank: {} and {}",
            cx.operands[0], cx.operands[1]
        ));
    }
    let axis = usize::try_from(axis)
        .ok()
        .filter(|&a| a < sa.len())
        .ok_or_else(|| format!("axis {axis} out of range for rank {}", sa.len()))?;
    let mut shape = Shape::from_slice(sa);
    for (k, (&x, &y)) in sa.iter().zip(sb).enumerate() {
        if k == axis {
            shape[k] = x
                .checked_add(y)
                .ok_or_else(|| format!("cat along {axis} of {x} and {y} elements overflows"))?;
        } else if x != y {
            return Err(format!(
                "cat along axis {axis} needs equal dimension {k}: {} and {}",
                cx.operands[0], cx.operands[1]
            ));
        }
    }
    one(Type::Tile { elem: ea, shape })
}

pub fn join(cx: &TypingCtx) -> Rule {
    let t = same_types(cx)?;
    let (elem, shape) = tile(t, "join operand")?;
    let mut shape = Shape::from_slice(shape);
    shape.push(2);
    one(Type::Tile { elem, shape })
}

pub fn split(cx: &TypingCtx) -> Rule {
    let (elem, src) = tile(&cx.operands[0], "split operand")?;
    match src.split_last() {
        Some((2, rest)) => {
            let half = Type::Tile {
                elem,
                shape: Shape::from_slice(rest),
            };
            Ok(Some(vec![half.clone(), half]))
        }
        _ => Err(format!(
            "split needs an innermost dimension of 2, got {}",
            cx.operands[0]
        )),
    }
}

pub fn cast(cx: &TypingCtx) -> Rule {
    dtype_of(&cx.operands[0], "cast operand")?;
    let to = cx.attrs.dtype("to").ok_or("missing dtype attribute `to`")?;
    one(cx.operands[0].with_elem(Elem::Val(to)))
}

pub fn arith(cx: &TypingCtx) -> Rule {
    let t = same_types(cx)?;
    let d = dtype_of(t, "arithmetic operand")?;
    if d.is_bool() {
        return Err("arithmetic on i1; cast to an integer type first".into());
    }
    one(t.clone())
}

pub fn bitwise(cx: &TypingCtx) -> Rule {
    let t = same_types(cx)?;
    if dtype_of(t, "bitwise operand")?.is_float() {
        return Err(format!("bitwise operation on float type {t}"));
    }
    one(t.clone())
}

pub fn shift(cx: &TypingCtx) -> Rule {
    let t = same_types(cx)?;
    if !dtype_of(t, "shift operand")?.is_int() {
        return Err(format!("shift needs integers, got {t}"));
    }
    one(t.clone())
}

pub fn cmp(cx: &TypingCtx) -> Rule {
    let t = same_types(cx)?;
    if cx.attrs.pred().is_none() {
        return Err("missing predicate attribute `pred`".into());
    }
    one(t.with_elem(Elem::Val(Dtype::I1)))
}

pub fn neg(cx: &TypingCtx) -> Rule {
    let t = &cx.operands[0];
    let d = dtype_of(t, "operand")?;
    if !(d.is_float() || d.is_signed_int()) {
        return Err(format!("negation needs a signed or float type, got {t}"));
    }
    one(t.clone())
}

pub fn bitwise_unary(cx: &TypingCtx) -> Rule {
    let t = &cx.operands[0];
    if dtype_of(t, "operand")?.is_float() {
        return Err(format!("bitwise not on float type {t}"));
    }
    one(t.clone())
}

pub fn float_unary(cx: &TypingCtx) -> Rule {
    let t = &cx.operands[0];
    if !dtype_of(t, "operand")?.is_float() {
        return Err(format!("needs a float type, got {t}"));
    }
    one(t.clone())
}

pub fn numeric_unary(cx: &TypingCtx) -> Rule {
    let t = &cx.operands[0];
    if dtype_of(t, "operand")?.is_bool() {
        return Err(format!("needs a numeric type, got {t}"));
    }
    one(t.clone())
}

pub fn select(cx: &TypingCtx) -> Rule {
    let [c, a, b] = cx.operands else {
        unreachable!("arity checked by the table")
    };
    if a != b {
        return Err(format!("select arms differ: {a} vs {b}"));
    }
    let (_, shape) = tile(a, "select arm")?;
    if *c != Type::tile(Elem::Val(Dtype::I1), shape) {
        return Err(format!(
            "select condition must be i1 shaped like {a}, got {c}"
        ));
    }
    one(a.clone())
}

pub fn ptr_add(cx: &TypingCtx) -> Rule {
    let (elem, shape) = tile(&cx.operands[0], "ptr_add base")?;
    if !elem.is_ptr() {
        return Err(format!(
            "ptr_add base must be a pointer, got {}",
            cx.operands[0]
        ));
    }
    let (off, off_shape) = tile(&cx.operands[1], "ptr_add offset")?;
    if off_shape != shape || !off.dtype().is_some_and(Dtype::is_int) {
        return Err(format!(
            "ptr_add offset must be an integer shaped like {}, got {}",
            cx.operands[0], cx.operands[1]
        ));
    }
    one(cx.operands[0].clone())
}

fn pointee_type(t: &Type) -> Result<Type, String> {
    match t {
        Type::Tile {
            elem: Elem::Ptr(d),
            shape,
        } => Ok(Type::Tile {
            elem: Elem::Val(*d),
            shape: shape.clone(),
        }),
        _ => Err(format!("expected pointers, got {t}")),
    }
}

fn check_mask(mask: &Type, ptrs: &Type) -> Result<(), String> {
    if *mask != ptrs.with_elem(Elem::Val(Dtype::I1)) {
        return Err(format!("mask must be i1 shaped like {ptrs}, got {mask}"));
    }
    Ok(())
}

pub fn load(cx: &TypingCtx) -> Rule {
    let value = pointee_type(&cx.operands[0])?;
    if let Some(mask) = cx.operands.get(1) {
        check_mask(mask, &cx.operands[0])?;
    }
    if let Some(other) = cx.operands.get(2) {
        if *other != value {
            return Err(format!("`other` must have type {value}, got {other}"));
        }
    }
    one(value)
}

pub fn prefetch(cx: &TypingCtx) -> Rule {
    pointee_type(&cx.operands[0])?;
    Ok(Some(vec![]))
}

pub fn store(cx: &TypingCtx) -> Rule {
    let value = pointee_type(&cx.operands[0])?;
    if cx.operands[1] != value {
        return Err(format!(
            "stored value must have type {value}, got {}",
            cx.operands[1]
        ));
    }
    if let Some(mask) = cx.operands.get(2) {
        check_mask(mask, &cx.operands[0])?;
    }
    Ok(Some(vec![]))
}

// ---- atomics -------------------------------------------------------------------------

/// Element types atomics support: what every backend can update atomically
/// (integers natively, floats through compare-and-swap on their bits).
pub fn atomic_dtype(d: Dtype) -> bool {
    matches!(
        d,
        Dtype::I32 | Dtype::U32 | Dtype::I64 | Dtype::U64 | Dtype::F32 | Dtype::F64
    )
}

/// The old values an atomic through `ptrs` yields; `values` must have that
/// type and `mask`, if any, be `i1` of the pointers' shape.
fn atomic(ptrs: &Type, values: &[&Type], mask: Option<&Type>) -> Rule {
    let old = pointee_type(ptrs)?;
    if !old.dtype().is_some_and(atomic_dtype) {
        return Err(format!(
            "atomics need pointers to i32, u32, i64, u64, f32 or f64, got {ptrs}"
        ));
    }
    for v in values {
        if **v != old {
            return Err(format!("atomic operand must have type {old}, got {v}"));
        }
    }
    if let Some(mask) = mask {
        check_mask(mask, ptrs)?;
    }
    one(old)
}

pub fn atomic_rmw(cx: &TypingCtx) -> Rule {
    let o = cx.operands;
    atomic(&o[0], &[&o[1]], o.get(2))
}

pub fn atomic_cas(cx: &TypingCtx) -> Rule {
    let o = cx.operands;
    atomic(&o[0], &[&o[1], &o[2]], o.get(3))
}

pub fn reduce(cx: &TypingCtx) -> Rule {
    let (elem, src) = tile(&cx.operands[0], "reduce operand")?;
    let axis = attr_int(cx, "axis")?;
    if cx.attrs.reduce_kind().is_none() {
        return Err("missing reduction kind attribute `kind`".into());
    }
    if axis < 0 || axis as usize >= src.len() {
        return Err(format!("axis {axis} out of range for rank {}", src.len()));
    }
    if elem.dtype().is_none_or(Dtype::is_bool) {
        return Err(format!("cannot reduce {}", cx.operands[0]));
    }
    let mut shape = Shape::from_slice(src);
    shape.remove(axis as usize);
    let elem = match cx.attrs.reduce_kind() {
        Some(k) if k.is_index() => Elem::Val(Dtype::I32),
        _ => elem,
    };
    one(Type::Tile { elem, shape })
}

pub fn dot(cx: &TypingCtx) -> Rule {
    let [a, b, acc] = cx.operands else {
        unreachable!("arity checked by the table")
    };
    let (ea, sa) = tile(a, "dot lhs")?;
    let (eb, sb) = tile(b, "dot rhs")?;
    let (eacc, sacc) = tile(acc, "dot accumulator")?;
    if sa.len() != 2 || sb.len() != 2 || sacc.len() != 2 {
        return Err(format!("dot needs 2-D tiles, got {a}, {b}, {acc}"));
    }
    if sa[1] != sb[0] || sacc[0] != sa[0] || sacc[1] != sb[1] {
        return Err(format!("dot shape mismatch: {a} @ {b} + {acc}"));
    }
    if ea != eb || ea.dtype().is_none_or(Dtype::is_bool) || eacc.dtype().is_none_or(Dtype::is_bool)
    {
        return Err(format!("dot element types: {a} @ {b} + {acc}"));
    }
    one(acc.clone())
}

pub fn for_loop(cx: &TypingCtx) -> Rule {
    let iv = &cx.operands[0];
    if !iv.is_scalar() || !iv.dtype().is_some_and(Dtype::is_int) {
        return Err(format!("loop bounds must be integer scalars, got {iv}"));
    }
    if cx.operands[1] != *iv || cx.operands[2] != *iv {
        return Err("loop bounds and step must have one type".into());
    }
    Ok(Some(cx.operands[3..].to_vec()))
}

pub fn while_loop(cx: &TypingCtx) -> Rule {
    Ok(Some(cx.operands.to_vec()))
}

/// `custom`: data tiles of one shape in, one tile of that shape and data
/// type `ret` out.
pub fn custom(cx: &TypingCtx) -> Rule {
    let ret = cx
        .attrs
        .dtype("ret")
        .ok_or("missing dtype attribute `ret`")?;
    let first = cx
        .operands
        .first()
        .ok_or("`custom` needs at least one operand")?;
    let shape = first
        .shape()
        .ok_or_else(|| format!("expected a tile, got {first}"))?;
    for t in cx.operands {
        if t.shape() != Some(shape) {
            return Err(format!(
                "operands of `custom` must share one shape, got {first} and {t}"
            ));
        }
        if t.elem().is_ptr() {
            return Err(format!("operands of `custom` must be data, got {t}"));
        }
    }
    one(Type::tile(Elem::Val(ret), shape))
}

pub fn declared(_: &TypingCtx) -> Rule {
    Ok(None)
}

pub fn no_results(_: &TypingCtx) -> Rule {
    Ok(Some(vec![]))
}

pub fn alloc(cx: &TypingCtx) -> Rule {
    let t = cx.attrs.ty("ty").ok_or("missing type attribute `ty`")?;
    if !t.is_buf() {
        return Err(format!("alloc type must be a buffer, got {t}"));
    }
    let off = attr_int(cx, "offset")?;
    if off < 0 {
        return Err(format!("negative offset {off}"));
    }
    if let Some(tile) = cx.attrs.get("tile") {
        match tile.as_type() {
            Some(tt) if tt.is_tile() && tt.elem() == t.elem() => {}
            _ => {
                return Err(format!(
                    "`tile` must be a tile type of {}, got {tile}",
                    t.elem()
                ))
            }
        }
    }
    one(t.clone())
}

fn buf_elem(t: &Type) -> Result<Elem, String> {
    match t {
        Type::Buf { elem, .. } => Ok(*elem),
        _ => Err(format!("expected a buffer, got {t}")),
    }
}

fn check_index(t: &Type) -> Result<(), String> {
    if *t != Type::scalar(Dtype::I32) {
        return Err(format!("buffer index must be i32, got {t}"));
    }
    Ok(())
}

pub fn buf_load(cx: &TypingCtx) -> Rule {
    let elem = buf_elem(&cx.operands[0])?;
    check_index(&cx.operands[1])?;
    let lanes = attr_int(cx, "lanes")?;
    match u32::try_from(lanes) {
        Ok(0) => one(Type::Tile {
            elem,
            shape: Shape::new(),
        }),
        Ok(l) => one(Type::tile(elem, &[l])),
        Err(_) => Err(format!("bad lane count {lanes}")),
    }
}

pub fn buf_store(cx: &TypingCtx) -> Rule {
    let elem = buf_elem(&cx.operands[0])?;
    check_index(&cx.operands[1])?;
    let (e, shape) = tile(&cx.operands[2], "stored value")?;
    if e != elem || shape.len() > 1 {
        return Err(format!(
            "cannot store {} into {}",
            cx.operands[2], cx.operands[0]
        ));
    }
    Ok(Some(vec![]))
}

/// `copy_in buf, idx, src, count` and `copy_out dst, buf, idx, count`: a
/// scalar pointer whose pointee is the buffer's element, `i32` index and count.
fn block_copy(buf: &Type, idx: &Type, ptr: &Type, count: &Type, what: &str) -> Rule {
    let elem = buf_elem(buf)?;
    check_index(idx)?;
    match ptr {
        Type::Tile {
            elem: Elem::Ptr(d),
            shape,
        } if shape.is_empty() && Elem::Val(*d) == elem => {}
        _ => {
            return Err(format!(
                "`{what}` needs a scalar pointer to the elements of {buf}, got {ptr}"
            ))
        }
    }
    if *count != Type::scalar(Dtype::I32) {
        return Err(format!("`{what}` count must be i32, got {count}"));
    }
    Ok(Some(vec![]))
}

pub fn copy_gather(cx: &TypingCtx) -> Rule {
    let o = &cx.operands;
    let elem = buf_elem(&o[0])?;
    check_index(&o[1])?;
    let value = pointee_type(&o[2])?;
    match value.shape() {
        Some([_]) if value.elem() == elem => {}
        _ => {
            return Err(format!(
                "`copy_gather` needs a vector of pointers to the elements of {}, got {}",
                o[0], o[2]
            ))
        }
    }
    if let Some(mask) = o.get(3) {
        check_mask(mask, &o[2])?;
    }
    if let Some(other) = o.get(4) {
        if *other != value {
            return Err(format!("`other` must have type {value}, got {other}"));
        }
    }
    Ok(Some(vec![]))
}

pub fn copy_in(cx: &TypingCtx) -> Rule {
    let o = &cx.operands;
    block_rows(&o[4..], "copy_in")?;
    block_copy(&o[0], &o[1], &o[2], &o[3], "copy_in")
}

pub fn copy_out(cx: &TypingCtx) -> Rule {
    let o = &cx.operands;
    block_rows(&o[4..], "copy_out")?;
    block_copy(&o[1], &o[2], &o[0], &o[3], "copy_out")
}

/// The optional `rows` and two strides of a 2-D block copy: none, or all
/// three, each an `i32` scalar.
fn block_rows(extra: &[Type], what: &str) -> Result<(), String> {
    match extra {
        [] => Ok(()),
        [_, _, _] if extra.iter().all(|t| *t == Type::scalar(Dtype::I32)) => Ok(()),
        [_, _, _] => Err(format!("`{what}` rows and strides must be i32")),
        _ => Err(format!(
            "`{what}` takes 4 operands, or 7 for a 2-D block (rows and two strides), got {}",
            4 + extra.len()
        )),
    }
}

// ---- math, hints, assertions, printing and scans ------------------------------

pub fn fma(cx: &TypingCtx) -> Rule {
    let t = same_types(cx)?;
    if !dtype_of(t, "fma operand")?.is_float() {
        return Err(format!("fma needs floats, got {t}"));
    }
    one(t.clone())
}

pub fn umulhi(cx: &TypingCtx) -> Rule {
    let t = same_types(cx)?;
    let d = dtype_of(t, "umulhi operand")?;
    if !(d.is_int() && d.bits() >= 32) {
        return Err(format!("umulhi needs i32, u32, i64 or u64, got {t}"));
    }
    one(t.clone())
}

/// `multiple_of` (`divisor`) and `max_contiguous` (`count`): an integer
/// operand and one positive integer attribute.
pub fn int_hint(cx: &TypingCtx) -> Rule {
    let t = &cx.operands[0];
    if !dtype_of(t, "hint operand")?.is_int() {
        return Err(format!("hints apply to integers, got {t}"));
    }
    let (key, k) = ["divisor", "count"]
        .into_iter()
        .find_map(|key| Some((key, cx.attrs.int(key)?)))
        .ok_or("missing integer attribute `divisor` or `count`")?;
    if k < 1 {
        return Err(format!("`{key}` must be positive, got {k}"));
    }
    one(t.clone())
}

pub fn assume(cx: &TypingCtx) -> Rule {
    if cx.operands[0] != Type::scalar(Dtype::I1) {
        return Err(format!("assume takes an i1 scalar, got {}", cx.operands[0]));
    }
    Ok(Some(vec![]))
}

pub fn assert(cx: &TypingCtx) -> Rule {
    if dtype_of(&cx.operands[0], "assert condition")? != Dtype::I1 {
        return Err(format!("assert takes i1 elements, got {}", cx.operands[0]));
    }
    if !matches!(cx.attrs.get("message"), Some(Attr::Str(_))) {
        return Err("missing string attribute `message`".into());
    }
    Ok(Some(vec![]))
}

/// `print` with no operand, one data operand (scalar or tile), or a data
/// scalar followed by `i32` scalar indices.
pub fn print(cx: &TypingCtx) -> Rule {
    if !matches!(cx.attrs.get("prefix"), Some(Attr::Str(_))) {
        return Err("missing string attribute `prefix`".into());
    }
    let Some((value, indices)) = cx.operands.split_first() else {
        return Ok(Some(vec![]));
    };
    dtype_of(value, "printed value")?;
    if !indices.is_empty() {
        if !value.is_scalar() {
            return Err(format!(
                "a printed value with indices must be a scalar, got {value}"
            ));
        }
        if let Some(i) = indices.iter().find(|&i| *i != Type::scalar(Dtype::I32)) {
            return Err(format!("print indices must be i32 scalars, got {i}"));
        }
    }
    Ok(Some(vec![]))
}

pub fn scan(cx: &TypingCtx) -> Rule {
    let t = &cx.operands[0];
    let (_, src) = tile(t, "scan operand")?;
    let axis = attr_int(cx, "axis")?;
    match cx.attrs.reduce_kind() {
        Some(k) if !k.is_index() => {}
        Some(k) => {
            return Err(format!(
                "scan kind must be sum, prod, max or min, got {}",
                k.name()
            ))
        }
        None => return Err("missing scan kind attribute `kind`".into()),
    }
    if !matches!(cx.attrs.get("reverse"), Some(Attr::Bool(_))) {
        return Err("missing boolean attribute `reverse`".into());
    }
    if axis < 0 || axis as usize >= src.len() {
        return Err(format!("axis {axis} out of range for rank {}", src.len()));
    }
    if dtype_of(t, "scan operand")?.is_bool() {
        return Err(format!("cannot scan {t}"));
    }
    one(t.clone())
}

pub fn buf_matmul(cx: &TypingCtx) -> Rule {
    for (i, name) in ["a", "b", "c", "d"].iter().enumerate() {
        if buf_elem(&cx.operands[i])? != Elem::Val(Dtype::F32) {
            return Err(format!(
                "`buf_matmul` operand `{name}` must be an f32 buffer, got {}",
                cx.operands[i]
            ));
        }
    }
    let dim = |name: &str| -> Result<u64, String> {
        let v = attr_int(cx, name)?;
        u64::try_from(v)
            .ok()
            .filter(|&v| v > 0)
            .ok_or_else(|| format!("`buf_matmul` needs `{name}` > 0, got {v}"))
    };
    let (m, n, k) = (dim("m")?, dim("n")?, dim("k")?);
    let (lda, ldb, ldc) = (dim("lda")?, dim("ldb")?, dim("ldc")?);
    let first_row = |name: &str, default: u64| match cx.attrs.int(name) {
        None => Ok(default),
        Some(r) => {
            u64::try_from(r).map_err(|_| format!("`buf_matmul` needs `{name}` >= 0, got {r}"))
        }
    };
    let row0 = first_row("row0", 0)?;
    let arow0 = first_row("arow0", row0)?;
    if lda < k || ldb < n || ldc < n {
        return Err(format!(
            "`buf_matmul` pitches lda={lda}, ldb={ldb}, ldc={ldc} are shorter than rows of k={k}, n={n}"
        ));
    }
    let last = row0 + m - 1;
    let need = [
        (arow0 + m - 1) * lda + k,
        (k - 1) * ldb + n,
        last * ldc + n,
        last * ldc + n,
    ];
    for (i, name) in ["a", "b", "c", "d"].iter().enumerate() {
        let len = match &cx.operands[i] {
            Type::Buf { len, .. } => u64::from(*len),
            _ => unreachable!("checked above"),
        };
        if len < need[i] {
            return Err(format!(
                "`buf_matmul` operand `{name}` has {len} elements, needs {}",
                need[i]
            ));
        }
    }
    Ok(Some(vec![]))
}

/// The operands of `reduce_with`/`scan_with`: data tiles of one shape, and
/// the `axis` into it. The combine region is checked by the verifier.
fn combined_operands<'a>(cx: &TypingCtx<'a>, what: &str) -> Result<(&'a [u32], usize), String> {
    let mut shape: Option<&[u32]> = None;
    for t in cx.operands {
        let (elem, s) = tile(t, what)?;
        if elem.dtype().is_none() {
            return Err(format!("{what} must hold data, got {t}"));
        }
        match shape {
            Some(first) if first != s => {
                return Err(format!(
                    "{what}s must have one shape, got {} and {t}",
                    cx.operands[0]
                ))
            }
            _ => shape = Some(s),
        }
    }
    let shape = shape.ok_or_else(|| format!("{what} needs at least one operand"))?;
    let axis = attr_int(cx, "axis")?;
    if axis < 0 || axis as usize >= shape.len() {
        return Err(format!("axis {axis} out of range for rank {}", shape.len()));
    }
    Ok((shape, axis as usize))
}

pub fn reduce_with(cx: &TypingCtx) -> Rule {
    let (_, axis) = combined_operands(cx, "reduce_with operand")?;
    let results = cx
        .operands
        .iter()
        .map(|t| {
            let mut shape = Shape::from_slice(t.shape().unwrap_or_default());
            shape.remove(axis);
            Type::Tile {
                elem: t.elem(),
                shape,
            }
        })
        .collect();
    Ok(Some(results))
}

pub fn scan_with(cx: &TypingCtx) -> Rule {
    combined_operands(cx, "scan_with operand")?;
    if !matches!(cx.attrs.get("reverse"), Some(Attr::Bool(_))) {
        return Err("missing boolean attribute `reverse`".into());
    }
    Ok(Some(cx.operands.to_vec()))
}
