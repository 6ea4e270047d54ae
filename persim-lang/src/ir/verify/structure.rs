//! Invariants 1–3: valid entity references, a tree of ops and blocks, and
//! definitions that agree with their values. Checked before anything else,
//! so the later checks may index the arenas freely and recurse without
//! meeting a cycle.

use super::{Report, VerifyError};
use crate::ir::entities::{Block, Op};
use crate::ir::function::{Function, ValueDef};
use std::collections::HashSet;

pub(super) fn check(f: &Function, report: &Report) -> Result<(), VerifyError> {
    let Some(body) = f.blocks.get(f.body) else {
        return Err(report.at_function(format!(
            "the body block {} is not in the block arena",
            f.body
        )));
    };
    if let Some(op) = body.parent {
        return Err(report.at_function(format!("the body block has a parent op ({op})")));
    }
    let mut walk = Walk {
        f,
        report,
        blocks: HashSet::from([f.body]),
        ops: HashSet::new(),
    };
    walk.block(f.body, None)
}

struct Walk<'a, 'f> {
    f: &'f Function,
    report: &'a Report<'f>,
    blocks: HashSet<Block>,
    ops: HashSet<Op>,
}

impl Walk<'_, '_> {
    /// `owner` is the op whose region `block` is (`None` for the body), for
    /// locating errors.
    fn block(&mut self, block: Block, owner: Option<Op>) -> Result<(), VerifyError> {
        let f = self.f;
        let err = |message: String| match owner {
            Some(op) => self.report.at_op(op, message),
            None => self.report.at_function(message),
        };
        let data = &f.blocks[block];
        for (i, &arg) in data.args.iter().enumerate() {
            match f.values.get(arg) {
                None => {
                    return Err(err(format!(
                        "block argument {i} refers to {arg}, which is not in the value arena"
                    )))
                }
                Some(v) if v.def != ValueDef::Arg(block, i as u32) => {
                    return Err(err(format!(
                        "block argument {i} ({arg} in the arena) records its definition as {:?}",
                        v.def
                    )));
                }
                Some(_) => {}
            }
        }
        for &op in &data.ops {
            if !f.ops.is_valid(op) {
                return Err(err(format!(
                    "a block lists {op}, which is not in the op arena"
                )));
            }
            if !self.ops.insert(op) {
                return Err(self
                    .report
                    .at_op(op, "op is listed in blocks more than once"));
            }
            self.op(block, op)?;
        }
        Ok(())
    }

    fn op(&mut self, block: Block, op: Op) -> Result<(), VerifyError> {
        let f = self.f;
        let data = &f.ops[op];
        let err = |message: String| self.report.at_op(op, message);
        if data.parent != Some(block) {
            return Err(err(format!(
                "the op's parent field is {}, but it is listed in {block}",
                describe(data.parent)
            )));
        }
        for (i, &result) in data.results.iter().enumerate() {
            match f.values.get(result) {
                None => {
                    return Err(err(format!(
                        "result {i} refers to {result}, which is not in the value arena"
                    )))
                }
                Some(v) if v.def != ValueDef::Result(op, i as u32) => {
                    return Err(err(format!(
                        "result {i} ({result} in the arena) records its definition as {:?}",
                        v.def
                    )));
                }
                Some(_) => {}
            }
        }
        if let Some((i, v)) = data
            .operands
            .iter()
            .enumerate()
            .find(|(_, &v)| !f.values.is_valid(v))
        {
            return Err(err(format!(
                "operand {i} refers to {v}, which is not in the value arena"
            )));
        }
        for (i, &region) in data.regions.iter().enumerate() {
            let Some(region_data) = f.blocks.get(region) else {
                return Err(err(format!(
                    "region {i} refers to {region}, which is not in the block arena"
                )));
            };
            if !self.blocks.insert(region) {
                return Err(err(format!(
                    "region {i} ({region}) is already the body or a region elsewhere"
                )));
            }
            if region_data.parent != Some(op) {
                return Err(err(format!(
                    "region {i}'s parent field is {}, not this op",
                    describe(region_data.parent)
                )));
            }
            self.block(region, Some(op))?;
        }
        Ok(())
    }
}

/// An optional parent entity for messages: `op3`, `^bb2` or `none`.
fn describe<T: std::fmt::Display>(parent: Option<T>) -> String {
    parent.map_or("none".to_string(), |p| p.to_string())
}
