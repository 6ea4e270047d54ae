//! PLACEHOLDER (verifier work, issue 2).

use super::Function;

#[derive(Debug, Clone)]
pub struct VerifyError {
    pub message: String,
    pub location: String,
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for VerifyError {}

pub fn verify(f: &Function) -> Result<(), VerifyError> {
    let _ = f;
    Ok(())
}
