//! `static_range`, which is not a function: `for i in static_range(..)` is a
//! loop the frontend unrolls (see `front::unroll`). It is listed as a
//! primitive so that other uses get this explanation (and "did you mean"
//! finds it) rather than "unknown function".

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::Lowerer;
use crate::front::value::Val;

pub fn static_range(_: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    Err(Diagnostic::new(
        site.span,
        "`static_range` is only allowed as the range of a `for` loop: \
         `for i in static_range(lo, hi) { .. }` (unrolled at compile time)",
    ))
}
