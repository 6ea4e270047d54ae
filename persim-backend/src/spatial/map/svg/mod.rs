//! Hand-written SVG pictures of mappings and schedules, and the checker
//! their tests use.

pub mod check;
pub mod color;
pub mod mesh;
pub mod schedule;
pub mod writer;

pub use check::{check_svg, SvgSummary};
pub use mesh::{mesh_svg, MeshPicture};
pub use schedule::schedule_svg;
