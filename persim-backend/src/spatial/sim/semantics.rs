//! What each arithmetic instruction computes, as pure functions of operand
//! values. Timing, hazards and memory live in `pe.rs`; keeping the values
//! here makes them easy to check against the ISA table's one-line docs.

use crate::spatial::isa::Opcode;

/// A vector value: up to 32 lanes of 64 bits (32-bit instructions use a
/// lane's low half and clear its high half); lanes past the machine's
/// lane count stay zero.
pub type Vector = [u64; 32];

/// A PE's vector registers, stored densely (`lanes` words each), so a
/// 16-lane machine's file takes what it did with 32-bit lanes padded to 32:
/// the simulator keeps every PE's registers hot in cache.
#[derive(Clone, Debug)]
pub struct VectorFile {
    lanes: usize,
    words: Vec<u64>,
}

impl VectorFile {
    pub fn new(registers: usize, lanes: usize) -> VectorFile {
        VectorFile {
            lanes,
            words: vec![0; registers * lanes],
        }
    }

    /// Register `n` as a whole vector value.
    pub fn array(&self, n: usize) -> Vector {
        let mut v = [0; 32];
        v[..self.lanes].copy_from_slice(&self[n]);
        v
    }
}

impl std::ops::Index<usize> for VectorFile {
    type Output = [u64];
    fn index(&self, n: usize) -> &[u64] {
        &self.words[n * self.lanes..(n + 1) * self.lanes]
    }
}

impl std::ops::IndexMut<usize> for VectorFile {
    fn index_mut(&mut self, n: usize) -> &mut [u64] {
        &mut self.words[n * self.lanes..(n + 1) * self.lanes]
    }
}

fn f(x: u32) -> f32 {
    f32::from_bits(x)
}

fn b(x: f32) -> u32 {
    x.to_bits()
}

/// Scalar ALU results for two operands (the second is `rt` or the immediate).
pub fn scalar(op: Opcode, a: u32, c: u32) -> u32 {
    let (sa, sc) = (a as i32, c as i32);
    match op {
        Opcode::Li => c,
        Opcode::Mov => a,
        Opcode::Add | Opcode::Addi => a.wrapping_add(c),
        Opcode::Sub => a.wrapping_sub(c),
        Opcode::And | Opcode::Andi => a & c,
        Opcode::Or => a | c,
        Opcode::Xor => a ^ c,
        Opcode::Shl | Opcode::Shli => a << (c & 31),
        Opcode::Shr | Opcode::Shri => a >> (c & 31),
        Opcode::Sra | Opcode::Srai => (sa >> (c & 31)) as u32,
        Opcode::Slt | Opcode::Slti => u32::from(sa < sc),
        Opcode::Sltu => u32::from(a < c),
        Opcode::Seq => u32::from(a == c),
        Opcode::Mul | Opcode::Muli => a.wrapping_mul(c),
        Opcode::Div => {
            if sc == 0 {
                u32::MAX
            } else {
                sa.wrapping_div(sc) as u32
            }
        }
        Opcode::Rem => {
            if sc == 0 {
                a
            } else {
                sa.wrapping_rem(sc) as u32
            }
        }
        Opcode::Fadd => b(f(a) + f(c)),
        Opcode::Fsub => b(f(a) - f(c)),
        Opcode::Fmul => b(f(a) * f(c)),
        Opcode::Fdiv => b(f(a) / f(c)),
        Opcode::Fmin => fmin(a, c),
        Opcode::Fmax => fmax(a, c),
        Opcode::Flt => u32::from(f(a) < f(c)),
        Opcode::Fle => u32::from(f(a) <= f(c)),
        Opcode::Feq => u32::from(f(a) == f(c)),
        Opcode::I2f => b(sa as f32),
        Opcode::F2i => (f(a) as i32) as u32,
        Opcode::Mulhu => ((u64::from(a) * u64::from(c)) >> 32) as u32,
        Opcode::Divu => a.checked_div(c).unwrap_or(u32::MAX),
        Opcode::Remu => a.checked_rem(c).unwrap_or(a),
        Opcode::U2f => b(a as f32),
        Opcode::F2u => f(a) as u32,
        Opcode::F2h => u32::from(half::f16::from_f32(f(a)).to_bits()),
        Opcode::H2f => b(half::f16::from_bits(a as u16).to_f32()),
        Opcode::F2bf => u32::from(half::bf16::from_f32(f(a)).to_bits()),
        Opcode::Bf2f => b(half::bf16::from_bits(a as u16).to_f32()),
        _ => unreachable!("{op} is not a scalar ALU instruction"),
    }
}

/// One lane of an elementwise vector instruction (`c` is ignored by unary ones).
#[inline]
pub fn lane(op: Opcode, a: u32, c: u32) -> u32 {
    let (sa, sc) = (a as i32, c as i32);
    match op {
        Opcode::VaddF => b(f(a) + f(c)),
        Opcode::VsubF => b(f(a) - f(c)),
        Opcode::VmulF => b(f(a) * f(c)),
        Opcode::VmaxF => fmax(a, c),
        Opcode::VminF => fmin(a, c),
        Opcode::VdivF => b(f(a) / f(c)),
        Opcode::VabsF => a & 0x7fff_ffff,
        Opcode::VnegF => a ^ 0x8000_0000,
        Opcode::VexpF => b(f(a).exp()),
        Opcode::VlogF => b(f(a).ln()),
        Opcode::VsqrtF => b(f(a).sqrt()),
        Opcode::VrsqrtF => b(1.0 / f(a).sqrt()),
        Opcode::VaddI => a.wrapping_add(c),
        Opcode::VsubI => a.wrapping_sub(c),
        Opcode::VmulI => a.wrapping_mul(c),
        Opcode::VmaxI => sa.max(sc) as u32,
        Opcode::VminI => sa.min(sc) as u32,
        Opcode::Vand => a & c,
        Opcode::Vor => a | c,
        Opcode::Vxor => a ^ c,
        Opcode::Vshl => a << (c & 31),
        Opcode::Vshr => a >> (c & 31),
        Opcode::Vsra => (sa >> (c & 31)) as u32,
        Opcode::CvtFI => b(sa as f32),
        Opcode::CvtIF => (f(a) as i32) as u32,
        Opcode::CvtFU => b(a as f32),
        Opcode::CvtUF => f(a) as u32,
        Opcode::Vexp2F => via_f64(a, f64::exp2),
        Opcode::Vlog2F => via_f64(a, f64::log2),
        Opcode::VsinF => via_f64(a, f64::sin),
        Opcode::VcosF => via_f64(a, f64::cos),
        Opcode::VerfF => via_f64(a, libm::erf),
        Opcode::VfloorF => b(f(a).floor()),
        Opcode::VceilF => b(f(a).ceil()),
        Opcode::VremF => b(f(a) % f(c)),
        Opcode::VrndF16 => b(half::f16::from_f32(f(a)).to_f32()),
        Opcode::VrndBf16 => b(half::bf16::from_f32(f(a)).to_f32()),
        Opcode::VmulhU => ((u64::from(a) * u64::from(c)) >> 32) as u32,
        Opcode::Vmov | Opcode::Vsplat => a,
        _ => unreachable!("{op} is not an elementwise vector instruction"),
    }
}

/// The compare of a `vcmp*` instruction on one lane.
pub fn compare(op: Opcode, a: u32, c: u32) -> bool {
    match op {
        Opcode::VcmpltF => f(a) < f(c),
        Opcode::VcmpleF => f(a) <= f(c),
        Opcode::VcmpeqF => f(a) == f(c),
        Opcode::VcmpltI => (a as i32) < (c as i32),
        Opcode::VcmpleI => (a as i32) <= (c as i32),
        Opcode::VcmpeqI => a == c,
        _ => unreachable!("{op} is not a compare"),
    }
}

/// A reduction over the enabled lanes, as a pairwise tree: at each level lane
/// `i` combines with lane `i + half`. Disabled lanes hold the identity, so the
/// order of operations depends only on the lane count.
pub fn reduce(op: Opcode, v: &[u64], lanes: usize, mask: u32) -> u32 {
    let (identity, combine): (u32, fn(u32, u32) -> u32) = match op {
        Opcode::RedsumF => (b(0.0), |x, y| b(f(x) + f(y))),
        Opcode::RedmaxF => (b(f32::NEG_INFINITY), fmax),
        Opcode::RedminF => (b(f32::INFINITY), fmin),
        Opcode::RedsumI => (0, u32::wrapping_add),
        Opcode::RedmaxI => (i32::MIN as u32, |x, y| (x as i32).max(y as i32) as u32),
        Opcode::RedminI => (i32::MAX as u32, |x, y| (x as i32).min(y as i32) as u32),
        _ => unreachable!("{op} is not a reduction"),
    };
    pairwise(lanes, mask, identity, |i| v[i] as u32, combine)
}

/// The pairwise tree of every reduction (32- and 64-bit): lane `i`
/// combines with lane `i + half` at each level, disabled lanes holding the
/// identity, so the order of operations depends only on the lane count.
pub fn pairwise<T: Copy>(
    lanes: usize,
    mask: u32,
    identity: T,
    lane: impl Fn(usize) -> T,
    combine: fn(T, T) -> T,
) -> T {
    let mut t = [identity; 32];
    for (i, slot) in t.iter_mut().enumerate().take(lanes) {
        if mask >> i & 1 == 1 {
            *slot = lane(i);
        }
    }
    let mut n = lanes;
    while n > 1 {
        let half = n / 2;
        for i in 0..half {
            t[i] = combine(t[i], t[i + half]);
        }
        n = half;
    }
    t[0]
}

/// `d + a · b` on f32 lanes: `vmac.f32` rounds the product and then the
/// sum (as the reference `dot`), `vfma.f32` rounds once.
pub fn multiply_add(op: Opcode, d: u32, a: u32, c: u32) -> u32 {
    match op {
        Opcode::VmacF => b(f(d) + f(a) * f(c)),
        Opcode::VfmaF => f(a).mul_add(f(c), f(d)).to_bits(),
        _ => unreachable!("{op} is not a multiply-add"),
    }
}

/// The new value of an atomic (`amo.*`) from the `old` word and the
/// operands `v` (and `cmp` for `amo.cas`).
pub fn atomic(op: Opcode, old: u32, v: u32, cmp: u32) -> u32 {
    use Opcode::*;
    match op {
        AmoAddI => old.wrapping_add(v),
        AmoAddF => b(f(old) + f(v)),
        AmoMaxI => (old as i32).max(v as i32) as u32,
        AmoMaxU => old.max(v),
        AmoMinI => (old as i32).min(v as i32) as u32,
        AmoMinU => old.min(v),
        AmoMaxF | AmoMinF => {
            let (x, y) = (f(old), f(v));
            if x.is_nan() {
                old
            } else if y.is_nan() {
                v
            } else if op == AmoMaxF {
                fmax(old, v)
            } else {
                fmin(old, v)
            }
        }
        AmoXchg => v,
        // `v` is the compared value, `cmp` the new one (operand order rt, ru).
        AmoCas => {
            if old == v {
                cmp
            } else {
                old
            }
        }
        _ => unreachable!("{op} is not an atomic"),
    }
}

/// A unary f32 function computed in `f64` and rounded once, so that the
/// simulator agrees with the reference interpreter bit for bit.
fn via_f64(a: u32, g: fn(f64) -> f64) -> u32 {
    b(g(f64::from(f(a))) as f32)
}

/// Bytes per element of a narrow load or store (`lb` … `vst.u16`); `None`
/// for every other instruction.
pub fn narrow_width(op: Opcode) -> Option<u64> {
    use Opcode::*;
    match op {
        Lb | Lbu | Sb | VldI8 | VldU8 | VstU8 => Some(1),
        Lh | Lhu | Sh | VldI16 | VldU16 | VstU16 | VldF16 | VldBf16 | VstF16 | VstBf16 => Some(2),
        _ => None,
    }
}

/// A narrow element of a load (the low `narrow_width` bytes of `bits`)
/// widened into a 32-bit register: sign- or zero-extended, or converted
/// from f16/bf16 to f32 (exact).
pub fn widen(op: Opcode, bits: u32) -> u32 {
    use Opcode::*;
    match op {
        Lb | VldI8 => bits as u8 as i8 as i32 as u32,
        Lbu | VldU8 => bits & 0xff,
        Lh | VldI16 => bits as u16 as i16 as i32 as u32,
        Lhu | VldU16 => bits & 0xffff,
        VldBf16 => half::bf16::from_bits(bits as u16).to_f32().to_bits(),
        VldF16 => half::f16::from_bits(bits as u16).to_f32().to_bits(),
        _ => unreachable!("{op} is not a narrow load"),
    }
}

/// The narrow element a store writes for a 32-bit register: its low bytes,
/// or f32 narrowed to bf16/f16 (round to nearest even).
pub fn narrow(op: Opcode, bits: u32) -> u32 {
    use Opcode::*;
    match op {
        Sb | VstU8 => bits & 0xff,
        Sh | VstU16 => bits & 0xffff,
        VstBf16 => u32::from(half::bf16::from_f32(f(bits)).to_bits()),
        VstF16 => u32::from(half::f16::from_f32(f(bits)).to_bits()),
        _ => unreachable!("{op} is not a narrow store"),
    }
}

/// The mask with lanes `0..n` on (n clamped to `0..=lanes`).
pub fn first_lanes(n: i32, lanes: u32) -> u32 {
    let n = n.clamp(0, lanes as i32) as u32;
    if n >= 32 {
        u32::MAX
    } else {
        (1u32 << n) - 1
    }
}

/// The mask of all `lanes` lanes.
pub fn all_lanes(lanes: u32) -> u32 {
    first_lanes(lanes as i32, lanes)
}

/// `fmax`/`vmax.f32`/`redmax.f32` on f32 bit patterns: the larger operand,
/// the other one if one is NaN, and +0 over -0 (IEEE 754-2019
/// `maximumNumber`; Rust's `f32::max` leaves the sign of equal zeros
/// unspecified, so it cannot define the ISA).
fn fmax(x: u32, y: u32) -> u32 {
    let (a, c) = (f32::from_bits(x), f32::from_bits(y));
    if a == c {
        // Equal values differ at most in the sign of zero: +0 wins.
        x & y
    } else {
        a.max(c).to_bits()
    }
}

/// `fmin`/`vmin.f32`/`redmin.f32`: as [`fmax`], with -0 under +0.
fn fmin(x: u32, y: u32) -> u32 {
    let (a, c) = (f32::from_bits(x), f32::from_bits(y));
    if a == c {
        x | y
    } else {
        a.min(c).to_bits()
    }
}
