//! Custom ops: the interpreter calls each op's host reference through its
//! bit-pattern entry point ([`CustomOpSource::eval`]), lane by lane.

use super::numeric::wrap_int;
use super::value::Scalar;
use crate::front::CustomOpSource;
use crate::ir::Dtype;

/// The custom ops an interpreted kernel may call, found by symbol.
#[derive(Clone, Copy, Debug, Default)]
pub struct CustomOps<'a>(pub &'a [&'static CustomOpSource]);

impl CustomOps<'_> {
    /// The registration of `symbol`, checked against the types the IR
    /// calls it with.
    pub(crate) fn find(
        &self,
        name: &str,
        symbol: &str,
        params: &[Dtype],
        ret: Dtype,
    ) -> Result<&'static CustomOpSource, String> {
        let op = self.0.iter().find(|c| c.symbol == symbol).ok_or_else(|| {
            format!(
                "custom op `{name}` (symbol `{symbol}`) has no host reference: \
                     pass its registration to the interpreter"
            )
        })?;
        if op.params != params || op.ret != ret {
            return Err(format!(
                "custom op `{name}` is called as ({}) -> {ret}, but its registration (at \
                 {}:{}:{}) is ({}) -> {}",
                list(params),
                op.file,
                op.line,
                op.col,
                list(op.params),
                op.ret
            ));
        }
        Ok(op)
    }
}

fn list(ds: &[Dtype]) -> String {
    ds.iter().map(|d| d.name()).collect::<Vec<_>>().join(", ")
}

/// One lane: the reference applied to `args` (of types `op.params`). An
/// unspecified argument (a padded lane) gives an unspecified result without
/// calling the reference.
pub(crate) fn apply(op: &CustomOpSource, args: &[Scalar]) -> Result<Scalar, String> {
    if args.iter().any(|x| x.is_undef()) {
        return Ok(Scalar::Undef);
    }
    let bits = args
        .iter()
        .zip(op.params)
        .map(|(&x, &d)| to_bits(d, x))
        .collect::<Result<Vec<u64>, String>>()?;
    Ok(from_bits(op.ret, (op.eval)(&bits)))
}

/// A value of type `d` as the 64-bit pattern `eval` takes: zero-extended
/// two's complement for integers, IEEE bits for floats.
fn to_bits(d: Dtype, x: Scalar) -> Result<u64, String> {
    let width = 8 * d.size_bytes();
    let mask = if width >= 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    };
    match (x, d) {
        (Scalar::Float(v), Dtype::F32) => Ok(u64::from((v as f32).to_bits())),
        (Scalar::Float(v), Dtype::F64) => Ok(v.to_bits()),
        (Scalar::Int(v), d) if !d.is_float() => Ok((wrap_int(d, v) as u64) & mask),
        (x, d) => Err(format!("custom op argument {x:?} is not a {d} value")),
    }
}

/// The value of type `d` a 64-bit pattern from `eval` holds (upper bits
/// beyond `d`'s width ignored). Custom ops take integers and `f32`/`f64`
/// only (the macro refuses other types), so no other float appears here.
fn from_bits(d: Dtype, bits: u64) -> Scalar {
    match d {
        Dtype::F32 => Scalar::Float(f64::from(f32::from_bits(bits as u32))),
        Dtype::F64 => Scalar::Float(f64::from_bits(bits)),
        d if d.is_signed_int() => Scalar::Int(wrap_int(d, i128::from(bits as i64))),
        d => Scalar::Int(wrap_int(d, i128::from(bits))),
    }
}
