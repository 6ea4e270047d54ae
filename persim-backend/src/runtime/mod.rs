//! The runtime: engines, launch arguments, the compiled-kernel cache and
//! launching a grid of program instances.

pub mod args;
pub mod engine;
pub mod error;

pub use args::{Arg, Element, Grid};
pub use engine::Engine;
pub use error::LaunchError;
