//! Tile-level ops that move or combine elements across positions: broadcast,
//! transpose, `cat`/`join`/`split`, reduction and `dot`. Each is written as the index arithmetic of
//! its definition, with one fixed evaluation order so that results are
//! reproducible bit for bit.

use super::numeric::{arg_beats, binary, cast, reduce_op};
use super::value::Scalar;
use super::value::Tile;
use crate::ir::{numel, Dtype, Opcode, ReduceKind, Shape};

/// Row-major strides (in elements) of a shape.
pub(crate) fn strides(shape: &[u32]) -> Vec<usize> {
    let mut s = vec![1usize; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * shape[i + 1] as usize;
    }
    s
}

/// The multi-index of flat position `flat` in `shape`.
pub(crate) fn unravel(mut flat: usize, shape: &[u32]) -> Vec<usize> {
    let mut idx = vec![0; shape.len()];
    for (i, &d) in shape.iter().enumerate().rev() {
        idx[i] = flat % d as usize;
        flat /= d as usize;
    }
    idx
}

fn check_len(t: &Tile) -> Result<(), String> {
    if t.data.len() as u64 != numel(&t.shape) {
        return Err(format!(
            "tile of shape {:?} holds {} elements",
            t.shape,
            t.data.len()
        ));
    }
    Ok(())
}

/// `broadcast`: every dimension of `t` equals the target's or is 1.
pub(crate) fn broadcast(t: &Tile, shape: &[u32]) -> Result<Tile, String> {
    check_len(t)?;
    if t.shape.len() != shape.len() || t.shape.iter().zip(shape).any(|(&s, &d)| s != d && s != 1) {
        return Err(format!("cannot broadcast {:?} to {shape:?}", t.shape));
    }
    let src_strides = strides(&t.shape);
    let data = (0..numel(shape) as usize)
        .map(|i| {
            let idx = unravel(i, shape);
            let src: usize = idx
                .iter()
                .zip(&t.shape)
                .zip(&src_strides)
                .map(|((&x, &s), &st)| if s == 1 { 0 } else { x * st })
                .sum();
            t.data[src]
        })
        .collect();
    Ok(Tile {
        shape: Shape::from_slice(shape),
        data,
    })
}

/// `trans`: result dimension `k` is source dimension `perm[k]`.
pub(crate) fn trans(t: &Tile, perm: &[i64]) -> Result<Tile, String> {
    check_len(t)?;
    let rank = t.shape.len();
    let mut seen = vec![false; rank];
    let mut perm_u = Vec::with_capacity(rank);
    for &p in perm {
        match usize::try_from(p) {
            Ok(p) if p < rank && !seen[p] => {
                seen[p] = true;
                perm_u.push(p);
            }
            _ => return Err(format!("{perm:?} is not a permutation of rank {rank}")),
        }
    }
    if perm_u.len() != rank {
        return Err(format!("{perm:?} is not a permutation of rank {rank}"));
    }
    let shape: Shape = perm_u.iter().map(|&p| t.shape[p]).collect();
    let src_strides = strides(&t.shape);
    let data = (0..t.data.len())
        .map(|i| {
            let idx = unravel(i, &shape);
            let src: usize = idx
                .iter()
                .zip(&perm_u)
                .map(|(&x, &p)| x * src_strides[p])
                .sum();
            t.data[src]
        })
        .collect();
    Ok(Tile { shape, data })
}

/// `cat` along `axis`: for each index of the dimensions before `axis`, the
/// block of `a` then the block of `b` (row-major order is kept).
pub(crate) fn cat(a: &Tile, b: &Tile, axis: usize) -> Result<Tile, String> {
    check_len(a)?;
    check_len(b)?;
    let rank = a.shape.len();
    let same_others =
        b.shape.len() == rank && (0..rank).all(|k| k == axis || a.shape[k] == b.shape[k]);
    if axis >= rank || !same_others {
        return Err(format!(
            "cannot cat {:?} and {:?} along {axis}",
            a.shape, b.shape
        ));
    }
    let mut shape = a.shape.clone();
    shape[axis] += b.shape[axis];
    // Elements of one index of the leading dimensions form one contiguous
    // block in each operand: the axis and everything after it.
    let outer: usize = a.shape[..axis].iter().map(|&d| d as usize).product();
    let (na, nb) = (a.data.len() / outer.max(1), b.data.len() / outer.max(1));
    let mut data = Vec::with_capacity(a.data.len() + b.data.len());
    for i in 0..outer {
        data.extend_from_slice(&a.data[i * na..(i + 1) * na]);
        data.extend_from_slice(&b.data[i * nb..(i + 1) * nb]);
    }
    Ok(Tile { shape, data })
}

/// `join`: `r[.., 0] = a[..]`, `r[.., 1] = b[..]`.
pub(crate) fn join(a: &Tile, b: &Tile) -> Result<Tile, String> {
    check_len(a)?;
    check_len(b)?;
    if a.shape != b.shape {
        return Err(format!("cannot join {:?} and {:?}", a.shape, b.shape));
    }
    let mut shape = a.shape.clone();
    shape.push(2);
    let data = a
        .data
        .iter()
        .zip(&b.data)
        .flat_map(|(&x, &y)| [x, y])
        .collect();
    Ok(Tile { shape, data })
}

/// `split`: the halves `x[.., 0]` and `x[.., 1]` of an innermost dimension 2.
pub(crate) fn split(x: &Tile) -> Result<(Tile, Tile), String> {
    check_len(x)?;
    if x.shape.last() != Some(&2) {
        return Err(format!("cannot split {:?}", x.shape));
    }
    let shape = Shape::from_slice(&x.shape[..x.shape.len() - 1]);
    let half = |k: usize| Tile {
        shape: shape.clone(),
        data: x.data.iter().skip(k).step_by(2).copied().collect(),
    };
    Ok((half(0), half(1)))
}

/// `reduce` along `axis`, combining left to right starting from the first
/// element (so a sum of `-0.0`s stays `-0.0`).
pub(crate) fn reduce(t: &Tile, axis: usize, kind: ReduceKind, d: Dtype) -> Result<Tile, String> {
    check_len(t)?;
    if axis >= t.shape.len() {
        return Err(format!("axis {axis} out of range for shape {:?}", t.shape));
    }
    let mut shape = t.shape.clone();
    let n = shape.remove(axis) as usize;
    let st = strides(&t.shape);
    let data = (0..numel(&shape) as usize)
        .map(|i| {
            let mut idx = unravel(i, &shape);
            idx.insert(axis, 0);
            let base: usize = idx.iter().zip(&st).map(|(&x, &s)| x * s).sum();
            let at = |k: usize| t.data[base + k * st[axis]];
            match reduce_op(kind) {
                Some(op) => (1..n).try_fold(at(0), |acc, k| binary(op, d, acc, at(k))),
                None => arg_reduce(kind, n, at),
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(Tile { shape, data })
}

/// `argmax`/`argmin` of the `n` elements `at(0..n)`: the `i32` position of
/// the first extreme (see [`arg_beats`]); unspecified if any element is.
fn arg_reduce(kind: ReduceKind, n: usize, at: impl Fn(usize) -> Scalar) -> Result<Scalar, String> {
    let mut best = 0;
    for k in 1..n {
        match arg_beats(kind, at(k), at(best))? {
            Some(true) => best = k,
            Some(false) => {}
            None => return Ok(Scalar::Undef),
        }
    }
    Ok(Scalar::Int(best as i128))
}

/// `scan` along `axis`: element `k` is `x[0] ∘ x[1] ∘ … ∘ x[k]` combined
/// left to right, or, with `reverse`, `x[k] ∘ … ∘ x[n-1]` combined from the
/// end (`(x[n-1] ∘ x[n-2]) ∘ …`).
pub(crate) fn scan(
    t: &Tile,
    axis: usize,
    kind: ReduceKind,
    reverse: bool,
    d: Dtype,
) -> Result<Tile, String> {
    check_len(t)?;
    if axis >= t.shape.len() {
        return Err(format!("axis {axis} out of range for shape {:?}", t.shape));
    }
    let op = reduce_op(kind).ok_or_else(|| format!("`{}` is not a scan", kind.name()))?;
    let n = t.shape[axis] as usize;
    let st = strides(&t.shape);
    let mut data = t.data.clone();
    for i in 0..t.data.len() {
        let idx = unravel(i, &t.shape);
        if idx[axis] != 0 {
            continue;
        }
        let order: Vec<usize> = if reverse {
            (0..n).rev().collect()
        } else {
            (0..n).collect()
        };
        let mut acc: Option<Scalar> = None;
        for k in order {
            let at = i + k * st[axis];
            let x = match acc {
                Some(a) => binary(op, d, a, t.data[at])?,
                None => t.data[at],
            };
            data[at] = x;
            acc = Some(x);
        }
    }
    Ok(Tile {
        shape: t.shape.clone(),
        data,
    })
}

/// `dot(a, b, acc)`: `acc[m,n] + Σ_k a[m,k]·b[k,n]` in `acc`'s type, `a` and
/// `b` elements cast to it first, products added in increasing `k`, each
/// product and sum rounded (no fused multiply-add).
pub(crate) fn dot(a: &Tile, b: &Tile, acc: &Tile, ab: Dtype, out: Dtype) -> Result<Tile, String> {
    for t in [a, b, acc] {
        check_len(t)?;
    }
    let (m, k, n) = match (&a.shape[..], &b.shape[..], &acc.shape[..]) {
        ([m, k], [k2, n], [m2, n2]) if k == k2 && m == m2 && n == n2 => {
            (*m as usize, *k as usize, *n as usize)
        }
        _ => {
            return Err(format!(
                "dot shapes {:?} @ {:?} + {:?}",
                a.shape, b.shape, acc.shape
            ))
        }
    };
    let mut data = acc.data.clone();
    for i in 0..m {
        for j in 0..n {
            let mut r = data[i * n + j];
            for kk in 0..k {
                let x = cast(ab, out, a.data[i * k + kk])?;
                let y = cast(ab, out, b.data[kk * n + j])?;
                r = binary(Opcode::Add, out, r, binary(Opcode::Mul, out, x, y)?)?;
            }
            data[i * n + j] = r;
        }
    }
    Ok(Tile {
        shape: acc.shape.clone(),
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(shape: &[u32], xs: &[i128]) -> Tile {
        Tile {
            shape: Shape::from_slice(shape),
            data: xs.iter().map(|&x| Scalar::Int(x)).collect(),
        }
    }

    #[test]
    fn transpose_and_broadcast_move_elements() {
        let t = ints(&[2, 3], &[0, 1, 2, 3, 4, 5]);
        assert_eq!(
            trans(&t, &[1, 0]).unwrap(),
            ints(&[3, 2], &[0, 3, 1, 4, 2, 5])
        );
        let col = ints(&[2, 1], &[7, 8]);
        assert_eq!(
            broadcast(&col, &[2, 3]).unwrap(),
            ints(&[2, 3], &[7, 7, 7, 8, 8, 8])
        );
        assert!(trans(&t, &[0, 0]).is_err());
    }

    #[test]
    fn cat_join_split_follow_their_definitions() {
        let a = ints(&[2, 2], &[0, 1, 2, 3]);
        let b = ints(&[2, 1], &[8, 9]);
        assert_eq!(cat(&a, &b, 1).unwrap(), ints(&[2, 3], &[0, 1, 8, 2, 3, 9]));
        let c = ints(&[1, 2], &[7, 7]);
        assert_eq!(cat(&a, &c, 0).unwrap(), ints(&[3, 2], &[0, 1, 2, 3, 7, 7]));
        assert!(cat(&a, &b, 0).is_err());
        let j = join(&ints(&[3], &[1, 2, 3]), &ints(&[3], &[4, 5, 6])).unwrap();
        assert_eq!(j, ints(&[3, 2], &[1, 4, 2, 5, 3, 6]));
        let (x, y) = split(&j).unwrap();
        assert_eq!((x, y), (ints(&[3], &[1, 2, 3]), ints(&[3], &[4, 5, 6])));
        assert!(split(&a).is_ok() && split(&ints(&[3], &[1, 2, 3])).is_err());
    }

    #[test]
    fn reduce_and_dot_follow_their_definitions() {
        let t = ints(&[2, 3], &[0, 1, 2, 3, 4, 5]);
        let r0 = reduce(&t, 0, ReduceKind::Sum, Dtype::I32).unwrap();
        assert_eq!(r0, ints(&[3], &[3, 5, 7]));
        let r1 = reduce(&t, 1, ReduceKind::Max, Dtype::I32).unwrap();
        assert_eq!(r1, ints(&[2], &[2, 5]));
        let b = ints(&[3, 1], &[1, 1, 1]);
        let acc = ints(&[2, 1], &[100, 200]);
        let d = dot(&t, &b, &acc, Dtype::I32, Dtype::I32).unwrap();
        assert_eq!(d, ints(&[2, 1], &[103, 212]));
    }
}
