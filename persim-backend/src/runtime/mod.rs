//! The runtime: engines, launch arguments and their validation, the
//! compiled-kernel cache, launching a grid of program instances on a thread
//! pool, and checked mode.
//!
//! Code map: [`args`] (what callers pass), [`signature`] (validating
//! arguments, constexprs, grid), [`engine`] (the public entry points),
//! [`backend`] (Cranelift or LLVM behind one interface),
//! [`cache`], [`pipeline`] (IR → compiled kernel), [`compiled`],
//! [`launch`] (grid execution), [`checked`] (checked mode), [`debug`]
//! (`device_assert`, `device_print`), [`error`].

pub mod args;
pub mod autotune;
pub mod backend;
pub mod cache;
pub mod checked;
mod chunks;
pub mod compiled;
pub mod debug;
pub mod engine;
pub mod error;
pub mod launch;
pub mod pipeline;
pub mod signature;

pub use args::{Arg, ArgValue, Element, Grid};
pub use backend::Backend;
pub use compiled::{CompileTimes, CompiledKernel};
pub use debug::PrintSink;
pub use engine::{Engine, EngineStats, Specializer};
pub use error::LaunchError;
pub use signature::{ParamSpec, ParamType};
