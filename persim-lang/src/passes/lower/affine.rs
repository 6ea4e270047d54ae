//! Affine tiles (`Target::affine_tiles`): index and pointer tiles kept as
//! formulas instead of buffers.
//!
//! Triton kernels build their pointer tiles from `arange`, `splat`,
//! broadcasts and scalar arithmetic: `a + offs_m[:, None] * stride + k[None, :]`.
//! Stored, such a tile costs local memory (8 bytes per pointer) and a
//! load of every chunk, and the load through it cannot see that each row
//! walks contiguous memory. Kept as `offset + Σ i_d · stride_d` (an
//! [`AffineTile`]), each reader computes its chunk from scalars: lane `l`
//! of the chunk at row `r`, column `c` is
//! `offset + r · s₀ + (c + l) · s₁`, emitted as
//! `splat(offset + r · s₀ + c · s₁) + arange · s₁` — for `s₁ = 1` exactly
//! the walk `bulk-copies` turns into one copy per row.
//!
//! Only ops that stay affine produce one: `arange`; `+`/`-` of `i32`
//! affine tiles and splats; `*` by a splat; `ptr_add` of a pointer splat
//! (or affine pointer tile) and an affine index; `broadcast` and
//! `expand_dims` up to rank 2. Everything else reads chunks (or
//! elements) of it like any other tile. The arithmetic is `i32` modulo
//! 2³², so distributing products over sums changes no result; pointer
//! offsets are summed in `i32` before being added, which assumes (as
//! `bulk-copies` does) that no walk wraps around 2³¹ elements.

use super::emit::{Ix, LResult};
use super::layout::{AffineTile, Repr};
use super::Lower;
use crate::ir::{Attr, Attrs, Dtype, Elem, Opcode, Shape};

/// Ranks an affine tile may have (the row/column decomposition of chunks).
const MAX_RANK: usize = 2;

impl Lower<'_> {
    /// `arange(lo, ..)` as an affine tile, when the target keeps them.
    pub(super) fn affine_arange(&self, lo: i64, shape: &Shape) -> Option<Repr> {
        (self.affine_tiles && shape.len() == 1).then(|| {
            Repr::Affine(AffineTile {
                base: None,
                offset: Ix::Const(lo),
                strides: vec![Ix::Const(1)],
                shape: shape.clone(),
            })
        })
    }

    /// The affine form of an operand of shape `shape`: affine tiles, and
    /// splats of `i32` or pointer scalars (zero strides).
    fn affine_form(&self, r: &Repr, shape: &[u32]) -> Option<AffineTile> {
        match r {
            Repr::Affine(a) => Some(a.clone()),
            Repr::Splat { scalar, .. } => {
                let zeros = vec![Ix::Const(0); shape.len()];
                let shape = Shape::from_slice(shape);
                match self.out.ty(*scalar).elem() {
                    Elem::Ptr(_) => Some(AffineTile {
                        base: Some(*scalar),
                        offset: Ix::Const(0),
                        strides: zeros,
                        shape,
                    }),
                    Elem::Val(Dtype::I32) => Some(AffineTile {
                        base: None,
                        offset: Ix::Dyn(*scalar),
                        strides: zeros,
                        shape,
                    }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// An elementwise op that keeps its operands affine, as an affine tile
    /// (emitting the scalar arithmetic on offsets and strides); `None`
    /// when the op must run chunk by chunk.
    pub(super) fn affine_elementwise(
        &mut self,
        opcode: Opcode,
        operands: &[Repr],
        shape: &[u32],
        result: Elem,
    ) -> LResult<Option<Repr>> {
        if !self.affine_tiles
            || shape.is_empty()
            || shape.len() > MAX_RANK
            || !operands.iter().any(|r| matches!(r, Repr::Affine(_)))
        {
            return Ok(None);
        }
        let forms: Option<Vec<AffineTile>> = operands
            .iter()
            .map(|r| self.affine_form(r, shape))
            .collect();
        let Some(forms) = forms else {
            return Ok(None);
        };
        let int = |a: &AffineTile| a.base.is_none();
        let uniform = |a: &AffineTile| a.strides.iter().all(|&s| s == Ix::Const(0));
        let tile = match (opcode, forms.as_slice()) {
            (Opcode::Add | Opcode::Sub, [a, b])
                if result == Elem::Val(Dtype::I32) && int(a) && int(b) =>
            {
                let sub = opcode == Opcode::Sub;
                let combine = |s: &mut Self, x: Ix, y: Ix| {
                    if sub {
                        s.ix_sub(x, y)
                    } else {
                        s.ix_add(x, y)
                    }
                };
                let offset = combine(self, a.offset, b.offset)?;
                let strides = (0..shape.len())
                    .map(|d| combine(self, a.strides[d], b.strides[d]))
                    .collect::<LResult<_>>()?;
                AffineTile {
                    base: None,
                    offset,
                    strides,
                    shape: a.shape.clone(),
                }
            }
            (Opcode::Mul, [a, b])
                if result == Elem::Val(Dtype::I32)
                    && int(a)
                    && int(b)
                    && (uniform(a) || uniform(b)) =>
            {
                let (t, k) = if uniform(b) {
                    (a, b.offset)
                } else {
                    (b, a.offset)
                };
                let offset = self.ix_times(t.offset, k)?;
                let strides = t
                    .strides
                    .iter()
                    .map(|&s| self.ix_times(s, k))
                    .collect::<LResult<_>>()?;
                AffineTile {
                    base: None,
                    offset,
                    strides,
                    shape: t.shape.clone(),
                }
            }
            (Opcode::PtrAdd, [p, i]) if p.base.is_some() && int(i) => {
                let offset = self.ix_add(p.offset, i.offset)?;
                let strides = (0..shape.len())
                    .map(|d| self.ix_add(p.strides[d], i.strides[d]))
                    .collect::<LResult<_>>()?;
                AffineTile {
                    base: p.base,
                    offset,
                    strides,
                    shape: p.shape.clone(),
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(Repr::Affine(tile)))
    }

    /// `broadcast` or `expand_dims` of an affine tile to `to` (up to rank
    /// 2): `dims` gives, per result dimension, the source dimension it
    /// comes from (`None`: a new dimension of size 1). A dimension that
    /// was 1 is constant along its broadcast: stride 0.
    pub(super) fn affine_view(
        &self,
        r: &Repr,
        from: &[u32],
        to: &[u32],
        dims: &[Option<usize>],
    ) -> Option<Repr> {
        let Repr::Affine(a) = r else { return None };
        if to.len() > MAX_RANK {
            return None;
        }
        let strides = dims
            .iter()
            .map(|d| match d {
                Some(d) if from[*d] != 1 => a.strides[*d],
                _ => Ix::Const(0),
            })
            .collect();
        Some(Repr::Affine(AffineTile {
            base: a.base,
            offset: a.offset,
            strides,
            shape: Shape::from_slice(to),
        }))
    }

    /// Element offset (from `base` for pointers) of index (`row`, `col`).
    fn affine_offset(&mut self, a: &AffineTile, row: Option<Ix>, col: Ix) -> LResult<Ix> {
        let mut off = a.offset;
        if let (Some(r), [s0, _]) = (row, a.strides.as_slice()) {
            let t = self.ix_times(r, *s0)?;
            off = self.ix_add(off, t)?;
        }
        let last = *a.strides.last().unwrap_or(&Ix::Const(0));
        let t = self.ix_times(col, last)?;
        self.ix_add(off, t)
    }

    /// The `[L]` chunk of an affine tile starting at column `col` of row
    /// `row` (`None` for rank 1): `splat(offset) + arange · s₁`, plus the
    /// base for pointers.
    pub(super) fn affine_chunk(
        &mut self,
        a: &AffineTile,
        row: Option<Ix>,
        col: Ix,
    ) -> LResult<crate::ir::Value> {
        let off = self.affine_offset(a, row, col)?;
        let off = self.ix(off)?;
        let mut idx = self.splat_vec(off)?;
        let last = *a.strides.last().unwrap_or(&Ix::Const(0));
        if last != Ix::Const(0) {
            let attrs = Attrs::new()
                .with("lo", Attr::Int(0))
                .with("hi", Attr::Int(i64::from(self.lanes)));
            let mut lanes = self.emit(Opcode::Arange, &[], attrs)?;
            if last != Ix::Const(1) {
                let s = self.ix(last)?;
                let s = self.splat_vec(s)?;
                lanes = self.binary(Opcode::Mul, lanes, s)?;
            }
            idx = self.binary(Opcode::Add, idx, lanes)?;
        }
        match a.base {
            Some(p) => {
                let p = self.splat_vec(p)?;
                self.binary(Opcode::PtrAdd, p, idx)
            }
            None => Ok(idx),
        }
    }

    /// Row `row` of a rank-2 affine tile (the tile itself for rank 1) as a
    /// rank-1 affine tile, its start computed here.
    pub(super) fn affine_row(&mut self, a: &AffineTile, row: Option<Ix>) -> LResult<AffineTile> {
        let Some(r) = row.filter(|_| a.strides.len() == 2) else {
            return Ok(a.clone());
        };
        let t = self.ix_times(r, a.strides[0])?;
        Ok(AffineTile {
            base: a.base,
            offset: self.ix_add(a.offset, t)?,
            strides: vec![a.strides[1]],
            shape: Shape::from_slice(&a.shape[1..]),
        })
    }

    /// Row and column of element index `at` of the tile's layout.
    fn affine_split(&mut self, a: &AffineTile, at: Ix) -> LResult<(Option<Ix>, Ix)> {
        if a.shape.len() < 2 {
            return Ok((None, at));
        }
        let pitch = self.layout(&a.shape).pitch() as i64;
        let (r, c) = self.ix_divmod(at, pitch)?;
        Ok((Some(r), c))
    }

    /// The chunk starting at element index `at` of the tile's layout.
    pub(super) fn affine_chunk_at(&mut self, a: &AffineTile, at: Ix) -> LResult<crate::ir::Value> {
        let (row, col) = self.affine_split(a, at)?;
        self.affine_chunk(a, row, col)
    }

    /// The element at index `at` of the tile's layout.
    pub(super) fn affine_scalar_at(&mut self, a: &AffineTile, at: Ix) -> LResult<crate::ir::Value> {
        let (row, col) = self.affine_split(a, at)?;
        let off = self.affine_offset(a, row, col)?;
        let off = self.ix(off)?;
        match a.base {
            Some(p) => self.binary(Opcode::PtrAdd, p, off),
            None => Ok(off),
        }
    }

    /// The element type of an affine tile.
    pub(super) fn affine_elem(&self, a: &AffineTile) -> Elem {
        match a.base {
            Some(p) => self.out.ty(p).elem(),
            None => Elem::Val(Dtype::I32),
        }
    }

    /// `a · b` on indices (folding constants).
    pub(super) fn ix_times(&mut self, a: Ix, b: Ix) -> LResult<Ix> {
        match (a, b) {
            (x, Ix::Const(k)) | (Ix::Const(k), x) => self.ix_mul(x, k),
            (Ix::Dyn(x), Ix::Dyn(y)) => Ok(Ix::Dyn(self.binary(Opcode::Mul, x, y)?)),
        }
    }

    /// `a - b` on indices (folding constants).
    pub(super) fn ix_sub(&mut self, a: Ix, b: Ix) -> LResult<Ix> {
        match b {
            Ix::Const(k) => self.ix_add(a, Ix::Const(-k)),
            Ix::Dyn(y) => {
                let x = self.ix(a)?;
                Ok(Ix::Dyn(self.binary(Opcode::Sub, x, y)?))
            }
        }
    }
}
