//! A compiled kernel: native code plus what launching it needs.

use super::backend::NativeCode;
use super::signature::ParamSpec;
use crate::cranelift::AccessSite;
use persim_lang::passes::PassStat;
use std::time::Duration;

/// Where compile time went, per stage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CompileTimes {
    /// Frontend specialization (zero for [`super::Engine::compile_ir`]).
    pub frontend: Duration,
    /// Verification and tile lowering.
    pub midend: Duration,
    /// Translation to the backend's IR and its code generation.
    pub codegen: Duration,
}

impl CompileTimes {
    pub fn total(&self) -> Duration {
        self.frontend + self.midend + self.codegen
    }
}

/// A kernel ready to launch; shared (`Arc`) between the cache and launches,
/// its code stays mapped while any holder lives.
#[derive(Debug)]
pub struct CompiledKernel {
    pub(crate) name: String,
    pub(crate) params: Vec<ParamSpec>,
    pub(crate) code: NativeCode,
    /// What each mid-end pass did (time, op counts).
    pub(crate) passes: Vec<PassStat>,
    pub(crate) times: CompileTimes,
}

impl CompiledKernel {
    /// Per-pass time and op counts of the mid-end run that produced this kernel.
    pub fn pass_stats(&self) -> &[PassStat] {
        &self.passes
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The runtime parameters, in argument order.
    pub fn params(&self) -> &[ParamSpec] {
        &self.params
    }

    /// Whether the code checks every global access (checked mode).
    pub fn is_checked(&self) -> bool {
        self.code.is_checked()
    }

    /// Bytes of local memory each program instance gets.
    pub fn local_mem(&self) -> u64 {
        self.code.local_mem()
    }

    /// Total compile time (frontend, mid-end and code generation).
    pub fn compile_time(&self) -> Duration {
        self.times.total()
    }

    pub fn compile_times(&self) -> CompileTimes {
        self.times
    }

    /// The global loads and stores checked mode reports on.
    pub fn access_sites(&self) -> &[AccessSite] {
        self.code.access_sites()
    }
}
