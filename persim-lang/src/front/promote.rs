//! Type promotion for binary operations, after Triton's rules.
//!
//! - float beats int; the wider float wins; `f16` with `bf16` gives `f32`;
//! - among integers of one signedness the wider wins; with mixed signedness
//!   the unsigned type wins if it is at least as wide, else the signed one;
//! - `bool` takes the other operand's type;
//! - *weak* operands (unsuffixed literals, like Python scalars in Triton) take
//!   the other operand's type: an integer literal adopts any integer or float
//!   type, a float literal adopts a float type (with an integer or `bool`
//!   operand the result is `f32`). Two weak operands stay weak.
//!
//! Whether the promoted type suits the operation (no arithmetic on `bool`,
//! no bitwise ops on floats) is the caller's business.

use crate::ir::Dtype;

/// One operand as promotion sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Side {
    pub dtype: Dtype,
    pub weak: bool,
}

impl Side {
    pub fn strong(dtype: Dtype) -> Side {
        Side { dtype, weak: false }
    }

    pub fn weak(dtype: Dtype) -> Side {
        Side { dtype, weak: true }
    }
}

/// The type both operands are converted to before the operation.
pub fn promote(a: Side, b: Side) -> Side {
    match (a.weak, b.weak) {
        (true, true) => Side::weak(promote_strong(a.dtype, b.dtype)),
        (true, false) => Side::strong(adopt_weak(a.dtype, b.dtype)),
        (false, true) => Side::strong(adopt_weak(b.dtype, a.dtype)),
        (false, false) => Side::strong(promote_strong(a.dtype, b.dtype)),
    }
}

/// The type a weak literal of (default) type `weak` takes next to `strong`.
fn adopt_weak(weak: Dtype, strong: Dtype) -> Dtype {
    if weak.is_float() {
        if strong.is_float() {
            strong
        } else {
            Dtype::F32
        }
    } else if strong.is_bool() {
        // `mask + 1`: the bool promotes, the literal keeps its default type.
        weak
    } else {
        strong
    }
}

/// Promotion of two typed operands.
pub fn promote_strong(a: Dtype, b: Dtype) -> Dtype {
    if a == b {
        return a;
    }
    match (a.is_float(), b.is_float()) {
        (true, true) => promote_floats(a, b),
        (true, false) => a,
        (false, true) => b,
        (false, false) if a.is_bool() => b,
        (false, false) if b.is_bool() => a,
        (false, false) => promote_ints(a, b),
    }
}

fn promote_floats(a: Dtype, b: Dtype) -> Dtype {
    if a == Dtype::F64 || b == Dtype::F64 {
        Dtype::F64
    } else {
        // Any other pair of distinct floats: one is f32, or they are f16 and
        // bf16, whose common supertype is f32.
        Dtype::F32
    }
}

fn promote_ints(a: Dtype, b: Dtype) -> Dtype {
    if a.is_signed_int() == b.is_signed_int() {
        return if a.bits() >= b.bits() { a } else { b };
    }
    let (signed, unsigned) = if a.is_signed_int() { (a, b) } else { (b, a) };
    if unsigned.bits() >= signed.bits() {
        unsigned
    } else {
        signed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dtype::*;

    #[test]
    fn promotion_is_symmetric() {
        for a in Dtype::ALL {
            for b in Dtype::ALL {
                for (wa, wb) in [(false, false), (true, false), (true, true)] {
                    let x = promote(Side { dtype: a, weak: wa }, Side { dtype: b, weak: wb });
                    let y = promote(Side { dtype: b, weak: wb }, Side { dtype: a, weak: wa });
                    assert_eq!(x, y, "{a}/{wa} with {b}/{wb}");
                }
            }
        }
    }

    #[test]
    fn strong_table() {
        let cases = [
            (F16, BF16, F32),
            (F16, F32, F32),
            (BF16, F64, F64),
            (I8, F16, F16),
            (U64, BF16, BF16),
            (I8, I64, I64),
            (U8, U32, U32),
            (I32, U32, U32),
            (I64, U32, I64),
            (I16, U8, I16),
            (U16, I16, U16),
            (I1, U8, U8),
            (I1, F32, F32),
            (I1, I1, I1),
        ];
        for (a, b, want) in cases {
            assert_eq!(promote_strong(a, b), want, "{a} with {b}");
        }
    }
}
