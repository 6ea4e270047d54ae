//! PLACEHOLDER (lowering work, issue 2): tiles → loops of target-width vectors
//! over local buffers. See ARCHITECTURE.md, "Lowered IR".

use crate::ir::Function;
use crate::target::Target;

#[derive(Debug, Clone)]
pub struct LowerError {
    pub message: String,
    /// `file:line:col` of the op that could not be lowered.
    pub location: String,
}

impl std::fmt::Display for LowerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for LowerError {}

pub fn lower_tiles(f: &Function, target: &Target) -> Result<Function, LowerError> {
    let _ = (f, target);
    unimplemented!()
}
