//! PLACEHOLDER signatures, to be implemented by the runtime work (issue 2).
//! The macro-generated code calls exactly these.

use super::{Arg, Grid, LaunchError};
use persim_lang::front::KernelSource;

/// A backend plus its compiled-kernel cache and launch settings.
pub struct Engine {
    _private: (),
}

impl Engine {
    /// The Cranelift JIT engine.
    pub fn jit() -> Engine {
        Engine { _private: () }
    }

    /// Launch `kernel` over `grid` with constexpr values `consts` and runtime
    /// arguments `args` (in the kernel's parameter order, constexprs omitted).
    pub fn launch(
        &self,
        kernel: &'static KernelSource,
        grid: Grid,
        consts: &[(&str, i64)],
        args: &mut [Arg<'_>],
    ) -> Result<(), LaunchError> {
        let _ = (kernel, grid, consts, args);
        unimplemented!("runtime not implemented yet")
    }
}
