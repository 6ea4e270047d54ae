//! What the 64-bit-lane instructions compute (`vadd.i64` … `vredsum.f64`,
//! `amo.*.64`), and the bitwise ones that move whole lanes. A vector lane
//! holds 64 bits; every other vector instruction reads a lane's low half
//! and clears the high half of what it writes (`semantics.rs`).

use crate::spatial::isa::Opcode;

fn d(x: u64) -> f64 {
    f64::from_bits(x)
}

fn bits(x: f64) -> u64 {
    x.to_bits()
}

/// One lane of a vector instruction that works on whole 64-bit lanes;
/// `None` for the 32-bit ones.
#[inline]
pub fn lane(op: Opcode, a: u64, c: u64) -> Option<u64> {
    use Opcode::*;
    let (sa, sc) = (a as i64, c as i64);
    Some(match op {
        Vmov => a,
        Vand => a & c,
        Vor => a | c,
        Vxor => a ^ c,
        VaddL => a.wrapping_add(c),
        VsubL => a.wrapping_sub(c),
        VmulL => a.wrapping_mul(c),
        VmaxL => sa.max(sc) as u64,
        VminL => sa.min(sc) as u64,
        VmaxUL => a.max(c),
        VminUL => a.min(c),
        VshlL => a << (c & 63),
        VshrL => a >> (c & 63),
        VsraL => (sa >> (c & 63)) as u64,
        VmulhUL => ((u128::from(a) * u128::from(c)) >> 64) as u64,
        VdivL => match sc {
            0 => u64::MAX,
            _ => sa.wrapping_div(sc) as u64,
        },
        VremL => match sc {
            0 => a,
            _ => sa.wrapping_rem(sc) as u64,
        },
        VdivUL => a.checked_div(c).unwrap_or(u64::MAX),
        VremUL => a.checked_rem(c).unwrap_or(a),
        VsextW => a as u32 as i32 as i64 as u64,
        VzextW => a & 0xffff_ffff,
        VaddD => bits(d(a) + d(c)),
        VsubD => bits(d(a) - d(c)),
        VmulD => bits(d(a) * d(c)),
        VdivD => bits(d(a) / d(c)),
        VmaxD => max_num(a, c),
        VminD => min_num(a, c),
        VnegD => a ^ (1 << 63),
        VabsD => a & !(1 << 63),
        VexpD => bits(d(a).exp()),
        VlogD => bits(d(a).ln()),
        VsqrtD => bits(d(a).sqrt()),
        Vexp2D => bits(d(a).exp2()),
        Vlog2D => bits(d(a).log2()),
        VrsqrtD => bits(1.0 / d(a).sqrt()),
        VerfD => bits(libm::erf(d(a))),
        VsinD => bits(d(a).sin()),
        VcosD => bits(d(a).cos()),
        VfloorD => bits(d(a).floor()),
        VceilD => bits(d(a).ceil()),
        VremD => bits(d(a) % d(c)),
        CvtDF => bits(f64::from(f32::from_bits(a as u32))),
        CvtFD => u64::from((d(a) as f32).to_bits()),
        CvtDL => bits(sa as f64),
        CvtDUL => bits(a as f64),
        CvtLD => d(a) as i64 as u64,
        CvtULD => d(a) as u64,
        CvtFL => u64::from((sa as f32).to_bits()),
        CvtFUL => u64::from((a as f32).to_bits()),
        CvtLF => f32::from_bits(a as u32) as i64 as u64,
        CvtULF => f32::from_bits(a as u32) as u64,
        _ => return None,
    })
}

/// Whether an elementwise vector instruction works on whole 64-bit lanes
/// (decided once per instruction, not per lane).
pub fn works_on_whole_lanes(op: Opcode) -> bool {
    lane(op, 0, 1).is_some()
}

/// The compare of a 64-bit `vcmp*` on one lane; `None` for the 32-bit ones.
pub fn compare(op: Opcode, a: u64, c: u64) -> Option<bool> {
    use Opcode::*;
    Some(match op {
        VcmpltL => (a as i64) < (c as i64),
        VcmpleL => (a as i64) <= (c as i64),
        VcmpeqL => a == c,
        VcmpltUL => a < c,
        VcmpleUL => a <= c,
        VcmpltD => d(a) < d(c),
        VcmpleD => d(a) <= d(c),
        VcmpeqD => d(a) == d(c),
        _ => return None,
    })
}

/// A 64-bit reduction over the enabled lanes, as the same pairwise tree as
/// the 32-bit ones (`semantics::pairwise`).
pub fn reduce(op: Opcode, v: &[u64], lanes: usize, mask: u32) -> u64 {
    use Opcode::*;
    let (identity, combine): (u64, fn(u64, u64) -> u64) = match op {
        RedsumL => (0, u64::wrapping_add),
        RedmaxL => (i64::MIN as u64, |x, y| (x as i64).max(y as i64) as u64),
        RedminL => (i64::MAX as u64, |x, y| (x as i64).min(y as i64) as u64),
        RedmaxUL => (0, u64::max),
        RedminUL => (u64::MAX, u64::min),
        RedsumD => (bits(0.0), |x, y| bits(d(x) + d(y))),
        RedmaxD => (bits(f64::NEG_INFINITY), max_num),
        RedminD => (bits(f64::INFINITY), min_num),
        _ => unreachable!("{op} is not a 64-bit reduction"),
    };
    super::semantics::pairwise(lanes, mask, identity, |i| v[i], combine)
}

/// `vfma.f64`: `dst + a · c`, rounded once.
pub fn fma(dst: u64, a: u64, c: u64) -> u64 {
    bits(d(a).mul_add(d(c), d(dst)))
}

/// The new value of a 64-bit atomic from the `old` doubleword, the operand
/// `v` and (`amo.cas.64`) the new value `new`.
pub fn atomic(op: Opcode, old: u64, v: u64, new: u64) -> u64 {
    use Opcode::*;
    match op {
        AmoAddL => old.wrapping_add(v),
        AmoAddD => bits(d(old) + d(v)),
        AmoMaxL => (old as i64).max(v as i64) as u64,
        AmoMaxUL => old.max(v),
        AmoMinL => (old as i64).min(v as i64) as u64,
        AmoMinUL => old.min(v),
        AmoMaxD | AmoMinD => {
            if d(old).is_nan() {
                old
            } else if d(v).is_nan() {
                v
            } else if op == AmoMaxD {
                max_num(old, v)
            } else {
                min_num(old, v)
            }
        }
        AmoXchgL => v,
        AmoCasL => {
            if old == v {
                new
            } else {
                old
            }
        }
        _ => unreachable!("{op} is not a 64-bit atomic"),
    }
}

/// Whether an instruction is a 64-bit atomic.
pub fn is_atomic(op: Opcode) -> bool {
    use Opcode::*;
    matches!(
        op,
        AmoAddL
            | AmoAddD
            | AmoMaxL
            | AmoMaxUL
            | AmoMaxD
            | AmoMinL
            | AmoMinUL
            | AmoMinD
            | AmoXchgL
            | AmoCasL
    )
}

/// IEEE 754-2019 `maximumNumber` on f64 bit patterns (+0 over -0), as the
/// 32-bit `fmax`.
fn max_num(x: u64, y: u64) -> u64 {
    let (a, c) = (d(x), d(y));
    if a == c {
        x & y
    } else {
        bits(a.max(c))
    }
}

/// `minimumNumber` on f64 bit patterns (-0 under +0).
fn min_num(x: u64, y: u64) -> u64 {
    let (a, c) = (d(x), d(y));
    if a == c {
        x | y
    } else {
        bits(a.min(c))
    }
}
