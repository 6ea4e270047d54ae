//! The reference interpreter: the executable specification of the kernel IR.
//!
//! It runs any [`Function`] — tile-level IR with tiles of any shape, or
//! lowered IR with local buffers — for one program instance or a whole grid,
//! on host memory given per pointer argument. Its purpose is to define what
//! every op means (as documented in the op table) so that the lowering and
//! every backend can be tested against it; it aims at clarity, not speed.
//!
//! Semantics in brief (details in `numeric` and `tile_ops`):
//! - integers wrap; `div`/`rem` truncate toward zero as in C and give 0 on a
//!   zero divisor (unspecified by the IR, never a trap);
//! - float→int casts truncate and saturate, NaN becomes 0;
//! - `maximum`/`minimum` propagate NaN and order `-0.0 < +0.0`;
//! - `f16`/`bf16` results are rounded once through the `half` crate;
//! - masked loads and stores never touch masked-off lanes;
//! - reductions and scans combine left to right (scans with `reverse` from
//!   the end), `dot` adds products in increasing `k`; `argmax`/`argmin`
//!   give the first extreme position, NaN counting as the extreme;
//! - `fma` rounds once; hints (`assume`, `multiple_of`) are checked and a
//!   false one is an error; a failed `assert` is an error naming its
//!   message; `print` sends [`DevicePrint`] records to a printer.
//!
//! Pointers are (argument, byte offset) pairs, so every out-of-bounds access
//! is an error naming the argument, the op's location and the element index.
//! Local memory that was never written reads as an *unspecified* value; if
//! one ever reaches a stored value, an address, a mask, a loop bound or a
//! branch, the run fails. This is how the interpreter checks the lowering's
//! promise that padded lanes are never observed.
//!
//! Program instances run one after another in grid order (axis 0 fastest),
//! so a racy kernel gets one deterministic interleaving.

mod custom;
mod error;
mod exec;
mod host;
mod memory;
pub(crate) mod numeric;
mod tile_ops;
pub(crate) mod value;

pub use custom::CustomOps;
pub use error::{InterpError, InterpErrorKind};
pub use host::{HostElem, InterpArg};
pub use value::{Pointer, Scalar};

use crate::debug::DevicePrint;
use crate::ir::{Elem, Function, Type};
use exec::{local_size, param_value, Instance};
use host::normalize_scalar;
use memory::Global;
use value::RtValue;

/// Local memory larger than this is refused rather than allocated: no
/// program instance of a real target needs that much scratch.
const MAX_LOCAL_BYTES: usize = 1 << 28;

/// Run every program instance of `grid` (axis 0 fastest). Memory arguments
/// are updated in place by the kernel's stores; `device_print` records go to
/// standard error.
pub fn run_grid(f: &Function, grid: [u32; 3], args: &mut [InterpArg]) -> Result<(), InterpError> {
    run_grid_hooked(f, grid, args, CustomOps::default(), &mut |r| {
        eprintln!("{r}")
    })
}

/// [`run_grid`] for a kernel calling custom ops: `customs` holds their
/// registrations (the interpreter calls each one's host reference).
pub fn run_grid_with(
    f: &Function,
    grid: [u32; 3],
    args: &mut [InterpArg],
    customs: CustomOps,
) -> Result<(), InterpError> {
    run_grid_hooked(f, grid, args, customs, &mut |r| eprintln!("{r}"))
}

/// [`run_grid`], sending each `device_print` record to `printer`.
pub fn run_grid_printing(
    f: &Function,
    grid: [u32; 3],
    args: &mut [InterpArg],
    printer: &mut dyn FnMut(&DevicePrint),
) -> Result<(), InterpError> {
    run_grid_hooked(f, grid, args, CustomOps::default(), printer)
}

/// [`run_grid`] with both hooks: custom ops' host references and the
/// `device_print` sink.
pub fn run_grid_hooked(
    f: &Function,
    grid: [u32; 3],
    args: &mut [InterpArg],
    customs: CustomOps,
    printer: &mut dyn FnMut(&DevicePrint),
) -> Result<(), InterpError> {
    let setup_error = |kind| InterpError {
        kind,
        location: format!("kernel `{}`", f.name),
        program: [0; 3],
    };
    for (axis, &n) in grid.iter().enumerate() {
        if n == 0 || n > i32::MAX as u32 {
            return Err(setup_error(InterpErrorKind::Arguments(format!(
                "grid axis {axis} has {n} program instances"
            ))));
        }
    }
    for z in 0..grid[2] {
        for y in 0..grid[1] {
            for x in 0..grid[0] {
                run_program_hooked(f, [x, y, z], grid, args, customs, printer)?;
            }
        }
    }
    Ok(())
}

/// Run the single program instance `program` of a launch over `grid`;
/// `device_print` records go to standard error.
pub fn run_program(
    f: &Function,
    program: [u32; 3],
    grid: [u32; 3],
    args: &mut [InterpArg],
) -> Result<(), InterpError> {
    run_program_hooked(f, program, grid, args, CustomOps::default(), &mut |r| {
        eprintln!("{r}")
    })
}

/// [`run_program`] for a kernel calling custom ops (see [`run_grid_with`]).
pub fn run_program_with(
    f: &Function,
    program: [u32; 3],
    grid: [u32; 3],
    args: &mut [InterpArg],
    customs: CustomOps,
) -> Result<(), InterpError> {
    run_program_hooked(f, program, grid, args, customs, &mut |r| eprintln!("{r}"))
}

/// [`run_program`], sending each `device_print` record to `printer`.
pub fn run_program_printing(
    f: &Function,
    program: [u32; 3],
    grid: [u32; 3],
    args: &mut [InterpArg],
    printer: &mut dyn FnMut(&DevicePrint),
) -> Result<(), InterpError> {
    run_program_hooked(f, program, grid, args, CustomOps::default(), printer)
}

/// [`run_program`] with both hooks (see [`run_grid_hooked`]).
pub fn run_program_hooked(
    f: &Function,
    program: [u32; 3],
    grid: [u32; 3],
    args: &mut [InterpArg],
    customs: CustomOps,
    printer: &mut dyn FnMut(&DevicePrint),
) -> Result<(), InterpError> {
    let error = |kind| InterpError {
        kind,
        location: format!("kernel `{}`", f.name),
        program,
    };
    if program.iter().zip(&grid).any(|(p, g)| p >= g) {
        return Err(error(InterpErrorKind::Arguments(format!(
            "program {program:?} outside grid {grid:?}"
        ))));
    }
    let params = bind(f, args).map_err(|m| error(InterpErrorKind::Arguments(m)))?;
    let local = local_size(f);
    if local > MAX_LOCAL_BYTES {
        return Err(error(InterpErrorKind::Invalid(format!(
            "{local} bytes of local memory"
        ))));
    }
    let mut global = Global {
        mutable: f.params.iter().map(|p| p.mutable).collect(),
        regions: args
            .iter_mut()
            .map(|a| match a {
                InterpArg::Mem(bytes) => Some(bytes),
                InterpArg::Scalar(..) => None,
            })
            .collect(),
    };
    Instance::new(f, &mut global, local, program, grid, customs, printer).run(params)
}

/// Check `args` against the parameters and build the body's argument values.
fn bind(f: &Function, args: &[InterpArg]) -> Result<Vec<RtValue>, String> {
    if args.len() != f.params.len() {
        return Err(format!(
            "`{}` takes {} arguments, given {}",
            f.name,
            f.params.len(),
            args.len()
        ));
    }
    f.params
        .iter()
        .zip(args)
        .enumerate()
        .map(|(i, (p, a))| {
            let scalar = match (&p.ty, a) {
                (
                    Type::Tile {
                        elem: Elem::Ptr(_), ..
                    },
                    InterpArg::Mem(_),
                ) => None,
                (
                    Type::Tile {
                        elem: Elem::Val(d), ..
                    },
                    InterpArg::Scalar(ad, x),
                ) if d == ad => {
                    Some(normalize_scalar(*d, *x).map_err(|m| format!("`{}`: {m}", p.name))?)
                }
                (t, a) => {
                    let given = match a {
                        InterpArg::Mem(_) => "memory".to_string(),
                        InterpArg::Scalar(d, _) => format!("a {d} scalar"),
                    };
                    return Err(format!("`{}` has type {t}, given {given}", p.name));
                }
            };
            param_value(i, &p.ty, scalar).map_err(|m| format!("`{}`: {m}", p.name))
        })
        .collect()
}
