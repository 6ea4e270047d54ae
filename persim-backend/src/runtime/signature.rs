//! Launch validation: runtime arguments against the kernel's parameters,
//! constexpr values against its constexpr parameters, and the grid. Every
//! mistake is an `Err` naming the parameter, constexpr or axis.

use super::{Arg, ArgValue, Grid, LaunchError};
use persim_lang::front::{KernelSource, ParamKind};
use persim_lang::ir::{Dtype, Elem, Param, Type};

/// How a runtime parameter is passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamType {
    /// A slice for a pointer parameter; `mutable` parameters need `&mut`.
    Slice {
        dtype: Dtype,
        mutable: bool,
    },
    Scalar(Dtype),
}

/// A runtime (non-constexpr) parameter of a kernel.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ParamSpec {
    pub name: String,
    pub ty: ParamType,
}

impl ParamType {
    /// As a Rust launch argument spells it: `&mut [f32]`, `&[i32]`, `u8`.
    pub fn describe(self) -> String {
        match self {
            ParamType::Slice {
                dtype,
                mutable: true,
            } => format!("&mut [{dtype}]"),
            ParamType::Slice { dtype, .. } => format!("&[{dtype}]"),
            ParamType::Scalar(d) => d.to_string(),
        }
    }
}

impl ParamSpec {
    /// The runtime parameters of a kernel source, in order.
    pub fn of_source(src: &KernelSource) -> Vec<ParamSpec> {
        src.runtime_params()
            .filter_map(|p| {
                let ty = match p.kind {
                    ParamKind::Ptr { dtype, mutable } => ParamType::Slice { dtype, mutable },
                    ParamKind::Scalar(d) => ParamType::Scalar(d),
                    ParamKind::Constexpr(_) => return None,
                };
                Some(ParamSpec {
                    name: p.name.to_string(),
                    ty,
                })
            })
            .collect()
    }

    /// The parameter of an IR function; `Err` for types no argument can have.
    pub fn of_ir(p: &Param) -> Result<ParamSpec, String> {
        let ty = match &p.ty {
            Type::Tile {
                elem: Elem::Ptr(d),
                shape,
            } if shape.is_empty() => ParamType::Slice {
                dtype: *d,
                mutable: p.mutable,
            },
            Type::Tile {
                elem: Elem::Val(d),
                shape,
            } if shape.is_empty() => ParamType::Scalar(*d),
            t => {
                return Err(format!(
                    "parameter `{}` has type {t}, not a scalar or pointer",
                    p.name
                ))
            }
        };
        Ok(ParamSpec {
            name: p.name.clone(),
            ty,
        })
    }
}

/// Check the argument count and each argument's kind, element type and
/// mutability.
pub(crate) fn check_args(
    kernel: &str,
    params: &[ParamSpec],
    args: &[Arg<'_>],
) -> Result<(), LaunchError> {
    if params.len() != args.len() {
        return Err(LaunchError::Arity {
            kernel: kernel.to_string(),
            expected: params.len(),
            got: args.len(),
        });
    }
    for (p, a) in params.iter().zip(args) {
        let ok = match (p.ty, a.value()) {
            (
                ParamType::Slice { dtype, mutable },
                ArgValue::Slice {
                    dtype: d,
                    mutable: m,
                    ..
                },
            ) => dtype == *d && (*m || !mutable),
            (ParamType::Scalar(dtype), ArgValue::Scalar { dtype: d, .. }) => dtype == *d,
            _ => false,
        };
        if !ok {
            return Err(LaunchError::ArgType {
                kernel: kernel.to_string(),
                arg: p.name.clone(),
                expected: p.ty.describe(),
                got: a.describe(),
            });
        }
    }
    Ok(())
}

/// Check constexpr values: each must name a constexpr parameter, once, and
/// fit its type; none may be missing. Returns them sorted by name (the cache
/// key's canonical form).
pub(crate) fn check_constexprs(
    src: &KernelSource,
    consts: &[(&str, i64)],
) -> Result<Vec<(String, i64)>, LaunchError> {
    let err = |message: String| LaunchError::Constexpr {
        kernel: src.name.to_string(),
        message,
    };
    let mut sorted: Vec<(String, i64)> = Vec::with_capacity(consts.len());
    for &(name, value) in consts {
        let Some(param) = src.params.iter().find(|p| p.name == name) else {
            return Err(err(format!("unknown constexpr `{name}`")));
        };
        let ParamKind::Constexpr(d) = param.kind else {
            return Err(err(format!(
                "`{name}` is a runtime parameter, not a constexpr; pass it as an argument"
            )));
        };
        if sorted.iter().any(|(n, _)| n == name) {
            return Err(err(format!("constexpr `{name}` given twice")));
        }
        if !fits(d, value) {
            return Err(err(format!(
                "constexpr `{name}` = {value} does not fit {d}"
            )));
        }
        sorted.push((name.to_string(), value));
    }
    let missing: Vec<&str> = src
        .constexpr_params()
        .map(|p| p.name)
        .filter(|n| !sorted.iter().any(|(s, _)| s == n))
        .collect();
    if !missing.is_empty() {
        let list = missing
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(err(format!("missing constexpr {list}")));
    }
    sorted.sort();
    Ok(sorted)
}

fn fits(d: Dtype, v: i64) -> bool {
    match d {
        Dtype::I1 => v == 0 || v == 1,
        Dtype::I8 => i8::try_from(v).is_ok(),
        Dtype::I16 => i16::try_from(v).is_ok(),
        Dtype::I32 => i32::try_from(v).is_ok(),
        Dtype::U8 => u8::try_from(v).is_ok(),
        Dtype::U16 => u16::try_from(v).is_ok(),
        Dtype::U32 => u32::try_from(v).is_ok(),
        Dtype::U64 => v >= 0,
        _ => true,
    }
}

/// Largest grid: `program_id` is an `i32`, and the instance count is kept
/// within `u32` so grid loops never overflow.
pub const MAX_GRID_AXIS: u32 = i32::MAX as u32;
pub const MAX_GRID_INSTANCES: u64 = u32::MAX as u64;

pub(crate) fn check_grid(kernel: &str, grid: Grid) -> Result<(), LaunchError> {
    let err = |message: String| LaunchError::Grid {
        kernel: kernel.to_string(),
        message,
    };
    for (axis, &n) in grid.0.iter().enumerate() {
        if n == 0 {
            return Err(err(format!(
                "grid axis {axis} has size 0 (grid {:?})",
                grid.0
            )));
        }
        if n > MAX_GRID_AXIS {
            return Err(err(format!(
                "grid axis {axis} has size {n}, more than {MAX_GRID_AXIS} (program ids are i32)"
            )));
        }
    }
    if grid.instances() > MAX_GRID_INSTANCES {
        return Err(err(format!(
            "grid {:?} has {} program instances, more than {MAX_GRID_INSTANCES}",
            grid.0,
            grid.instances()
        )));
    }
    Ok(())
}
