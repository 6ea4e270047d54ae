//! The mid-end: passes are free functions over the IR, run by an explicit
//! [`pipeline::Pipeline`] per target and registered by name in
//! [`registry::PASSES`].

pub mod access;
pub mod affine;
pub mod bulk;
pub mod canonicalize;
pub mod cse;
pub mod dce;
pub mod dead_buffers;
pub mod dead_stores;
pub mod double_buffer;
mod early_copies;
pub mod early_write_out;
pub mod effects;
pub mod fetch_last_operand_early;
pub mod forward;
pub mod fuse;
pub mod inline;
pub mod interleave_final_steps;
pub mod interleave_three_final_steps;
pub mod licm;
pub mod lower;
pub mod mask_tails;
pub mod masks;
pub mod modulo;
pub mod pack_buffers;
mod ping_pong;
pub mod pipeline;
pub mod prefetch;
pub mod prefetch_in_compute;
pub mod ranges;
pub mod registry;
pub mod remat;
pub mod rewrite;
pub mod unroll;
pub mod version_wraps;

pub use inline::{inline_calls, InlineOptions};
pub use pipeline::{DumpFilter, PassError, PassStat, Pipeline};
pub use registry::{pass_by_name, Pass, PASSES};
