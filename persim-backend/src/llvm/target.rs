//! Which machine the LLVM backend compiles for: a target triple, a CPU and
//! its features, detected from the host by LLVM or given explicitly (for
//! ahead-of-time objects). The vector width the mid-end lowers to follows
//! from the features, so a lowered vector is one hardware register.

use super::error::LlvmError;
use inkwell::targets::{
    CodeModel, InitializationConfig, RelocMode, Target as LlvmTarget, TargetMachine, TargetTriple,
};
use inkwell::OptimizationLevel;
use std::sync::OnceLock;

/// A target machine description: what `llc -mtriple -mcpu -mattr` take.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TargetSpec {
    /// LLVM target triple, e.g. `x86_64-pc-linux-gnu`.
    pub triple: String,
    /// CPU name, e.g. `znver4` or `skylake-avx512`; `generic` is allowed.
    pub cpu: String,
    /// Comma-separated feature list, e.g. `+avx2,+fma`.
    pub features: String,
}

/// Register every LLVM target once per process (explicit triples may name
/// any target the LLVM library was built with).
fn initialize() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| LlvmTarget::initialize_all(&InitializationConfig::default()));
}

impl TargetSpec {
    /// The host, as LLVM sees it: default triple, host CPU name and host
    /// CPU features (so AVX-512 is used where the machine has it).
    pub fn host() -> TargetSpec {
        initialize();
        TargetSpec {
            triple: TargetMachine::get_default_triple()
                .as_str()
                .to_string_lossy()
                .into_owned(),
            cpu: TargetMachine::get_host_cpu_name().to_string(),
            features: TargetMachine::get_host_cpu_features().to_string(),
        }
    }

    /// An explicit target (cross or ahead-of-time compilation).
    pub fn new(
        triple: impl Into<String>,
        cpu: impl Into<String>,
        features: impl Into<String>,
    ) -> TargetSpec {
        TargetSpec {
            triple: triple.into(),
            cpu: cpu.into(),
            features: features.into(),
        }
    }

    pub(crate) fn has_feature(&self, name: &str) -> bool {
        self.features
            .split(',')
            .any(|f| f.strip_prefix('+') == Some(name))
    }

    /// Width of a vector register in bits: 512 with AVX-512F, 256 with
    /// AVX, else 128 (SSE, NEON and targets whose features say nothing).
    pub fn vector_bits(&self) -> u32 {
        if self.has_feature("avx512f") {
            512
        } else if self.has_feature("avx") {
            256
        } else {
            128
        }
    }

    /// Lanes of 32-bit elements per vector register: the lowering width.
    pub fn lanes(&self) -> u32 {
        self.vector_bits() / 32
    }

    /// Whether the machine has fused multiply-add in its vector unit
    /// (x86 with FMA3 or AVX-512F; every AArch64 with NEON).
    pub fn has_fma(&self) -> bool {
        self.has_feature("fma") || self.has_feature("avx512f") || self.triple.starts_with("aarch64")
    }

    /// The target description the mid-end lowers for: `dot` fuses where
    /// the hardware does (`Target::dot_fma`), and only AMD Zen cores
    /// (`znver*`) go without hints of the next programs' rows
    /// (`Target::prefetch_other_programs`).
    pub fn lowering_target(&self) -> persim_lang::target::Target {
        persim_lang::target::Target::llvm_host(self.lanes())
            .with_dot_fma(self.has_fma())
            .with_prefetch_other_programs(!self.follows_row_streams())
    }

    /// Whether this CPU's hardware prefetchers carry a row-per-program
    /// kernel's stream of consecutive rows alone. Measured on a Zen 4
    /// (LLVM 14 calls it `znver3`, twenty-second session): with hints of
    /// the next programs' rows, layer norm ran at 0.70–0.77 of `memcpy`
    /// on one thread; without them, 0.87–0.95. On the Intel host of the
    /// fifteenth session the same hints had gained (0.65 → 0.695).
    fn follows_row_streams(&self) -> bool {
        self.cpu.starts_with("znver")
    }

    /// An LLVM target machine for this spec. `pic` selects
    /// position-independent code (for objects linked into any program).
    pub(crate) fn machine(&self, pic: bool) -> Result<TargetMachine, LlvmError> {
        initialize();
        let triple = TargetTriple::create(&self.triple);
        let target = LlvmTarget::from_triple(&triple).map_err(|e| {
            LlvmError::function(format!("unknown target triple `{}`: {e}", self.triple))
        })?;
        let reloc = if pic {
            RelocMode::PIC
        } else {
            RelocMode::Default
        };
        target
            .create_target_machine(
                &triple,
                &self.cpu,
                &self.features,
                OptimizationLevel::Aggressive,
                reloc,
                CodeModel::Default,
            )
            .ok_or_else(|| {
                LlvmError::function(format!(
                    "LLVM cannot build a target machine for `{}` (cpu `{}`, features `{}`)",
                    self.triple, self.cpu, self.features
                ))
            })
    }
}
