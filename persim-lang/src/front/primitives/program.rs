//! The programming model: which program instance is running, and how many.

use super::CallSite;
use crate::front::diag::Diagnostic;
use crate::front::lowerer::Lowerer;
use crate::front::ty::TileTy;
use crate::front::value::{Provenance, Val};
use crate::ir::{Attr, Attrs, Dtype, Opcode};
use syn::spanned::Spanned;

pub fn program_id(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    grid_index(cx, site, Opcode::ProgramId)
}

pub fn num_programs(cx: &mut Lowerer, site: &CallSite) -> Result<Option<Val>, Diagnostic> {
    grid_index(cx, site, Opcode::NumPrograms)
}

fn grid_index(
    cx: &mut Lowerer,
    site: &CallSite,
    opcode: Opcode,
) -> Result<Option<Val>, Diagnostic> {
    let axis = cx.compile_time_int(site.args[0], "the grid axis")?;
    if let Some(a) = axis.filter(|a| !(0..3).contains(a)) {
        return Err(Diagnostic::new(
            site.args[0].span(),
            format!("the grid has axes 0, 1 and 2; found axis {a}"),
        ));
    }
    let attrs = Attrs::new().with("axis", Attr::Int(axis.unwrap_or(0) as i64));
    let ty = TileTy::scalar(Dtype::I32);
    cx.emit(site.span, opcode, &[], attrs, ty, Provenance::none())
        .map(Some)
}
