//! Functions, regions and ops: the part of the grammar that builds IR.
//!
//! Each op is checked against the op table as it is read: its name, operand,
//! result and region counts, its attribute keys, and its result types, which
//! must equal what the op's typing rule computes (ops whose rule declares no
//! types, `if` and `call`, take the printed types). Block structure
//! (terminators, region signatures) is left to the verifier.

use super::cursor::{error_at, Cursor};
use super::header::{parse_params, parse_results, parse_sections};
use super::lexer::{Tok, Token};
use super::scope::Scope;
use super::terms::{
    parse_attr_key, parse_attr_value, parse_dict, parse_loc, parse_name, parse_type,
};
use super::ParseError;
use crate::ir::attrs::{Attr, Attrs};
use crate::ir::builder::infer_types;
use crate::ir::entities::{Block, Value};
use crate::ir::function::{FuncKind, Function, Loc};
use crate::ir::opcodes::{Arity, OpInfo, Opcode};
use crate::ir::types::Type;

/// Regions nest at most this deep, so hostile input cannot exhaust the stack.
const MAX_NESTING: usize = 200;

/// `(kernel | func) @name(params) [-> results] [consts {..}] [attrs {..}]
/// [files [..]] { ops }`.
pub(super) fn parse_function(c: &mut Cursor) -> Result<Function, ParseError> {
    let kind = if c.at_keyword("func") {
        FuncKind::Device
    } else if c.at_keyword("kernel") {
        FuncKind::Kernel
    } else {
        return Err(c.unexpected("`kernel` or `func`"));
    };
    c.bump();
    c.expect_punct('@', "before the function name")?;
    let name = parse_name(c, "a function name")?;
    let params = parse_params(c)?;
    let params_only = params.iter().map(|(_, p)| p.clone()).collect();
    let mut f = match kind {
        FuncKind::Kernel => Function::new(name, params_only),
        FuncKind::Device => Function::device(name, params_only, parse_results(c)?),
    };
    let mut scope = Scope::default();
    for (i, (tok, _)) in params.iter().enumerate() {
        let Tok::Value(name) = &tok.tok else {
            unreachable!("parse_params keeps the `%name` token")
        };
        scope.define(tok, name, f.param_value(i))?;
    }
    parse_sections(c, &mut f)?;
    let open = c.expect_punct('{', "to open the function body")?;
    if c.at_punct('^') {
        return Err(error_at(
            c.peek(),
            "the function body takes no block arguments; its arguments are the parameters",
        ));
    }
    let mut parser = FnParser {
        c,
        f,
        scope,
        depth: 0,
    };
    let body = parser.f.body;
    parser.ops_until_close(body, open)?;
    Ok(parser.f)
}

struct FnParser<'c, 't> {
    c: &'c mut Cursor<'t>,
    f: Function,
    scope: Scope,
    depth: usize,
}

/// What the op line said, before the op exists.
struct OpHead<'t> {
    name_tok: &'t Token,
    info: &'static OpInfo,
    /// Names of the results, reserved in the scope.
    results: Vec<String>,
    operands: Vec<Value>,
    attrs: Attrs,
    types: Vec<(&'t Token, Type)>,
}

impl<'t> FnParser<'_, 't> {
    /// Ops of `block` up to and including the `}` that closes it.
    fn ops_until_close(&mut self, block: Block, open: &Token) -> Result<(), ParseError> {
        loop {
            if self.c.eat_punct('}') {
                return Ok(());
            }
            if self.c.at_eof() {
                return Err(self.c.unexpected(&format!(
                    "`}}` to close the `{{` at {}:{}",
                    open.line, open.col
                )));
            }
            self.op(block)?;
        }
    }

    /// `[results =] name [operands] [{attrs}] [: types] [regions] [loc(..)]`,
    /// ending at the end of the line.
    fn op(&mut self, block: Block) -> Result<(), ParseError> {
        let head = self.op_head()?;
        let name = head.info.name;
        let result_types = self.check_types(&head)?;
        let mut regions = Vec::new();
        for i in 1..=head.info.regions {
            if !self.c.on_same_line() {
                return Err(error_at(
                    head.name_tok,
                    format!("`{name}` needs region {i} to open with `{{` on its line"),
                ));
            }
            if !self.c.at_punct('{') {
                return Err(self
                    .c
                    .unexpected(&format!("`{{` to open region {i} of `{name}`")));
            }
            regions.push(self.region()?);
        }
        let loc = if self.c.on_same_line() && self.c.at_keyword("loc") {
            self.c.bump();
            parse_loc(self.c, self.f.files.len())?
        } else {
            Loc::UNKNOWN
        };
        if self.c.on_same_line() && !self.c.at_punct('}') {
            return Err(self
                .c
                .unexpected(&format!("the end of the line after `{name}`")));
        }
        let op = self.f.create_op(
            head.info.opcode,
            &head.operands,
            head.attrs,
            &regions,
            result_types,
            loc,
        );
        self.f.append_op(block, op);
        for (name, &v) in head.results.iter().zip(&self.f.ops[op].results) {
            self.scope.bind(name, v);
        }
        Ok(())
    }

    fn op_head(&mut self) -> Result<OpHead<'t>, ParseError> {
        let results = self.result_names()?;
        let name_tok = self.c.peek();
        let Tok::Ident(name) = &name_tok.tok else {
            return Err(self.c.unexpected("an op name"));
        };
        let opcode = Opcode::from_name(name)
            .ok_or_else(|| error_at(name_tok, format!("unknown op `{name}`")))?;
        let info = opcode.info();
        self.c.bump();
        let operands = self.operands()?;
        if !info.operands.accepts(operands.len()) {
            return Err(error_at(
                name_tok,
                format!(
                    "`{name}` takes {}, got {}",
                    count(info.operands, "operand"),
                    operands.len()
                ),
            ));
        }
        let attrs = if self.c.on_same_line() && self.at_attr_dict(info) {
            self.op_attrs(info)?
        } else {
            Attrs::new()
        };
        if let Some(missing) = info.attrs.iter().find(|k| attrs.get(k).is_none()) {
            return Err(error_at(
                name_tok,
                format!("`{name}` needs attribute `{missing}`"),
            ));
        }
        let mut types = Vec::new();
        if self.c.on_same_line() && self.c.eat_punct(':') {
            loop {
                types.push((self.c.peek(), parse_type(self.c)?));
                if !self.c.eat_punct(',') {
                    break;
                }
            }
        }
        if !info.results.accepts(results.len()) {
            return Err(error_at(
                name_tok,
                format!(
                    "`{name}` has {}, got {}",
                    count(info.results, "result"),
                    results.len()
                ),
            ));
        }
        if types.is_empty() && !results.is_empty() {
            return Err(error_at(
                name_tok,
                format!("`{name}` needs its result types after `:`"),
            ));
        }
        if types.len() != results.len() {
            return Err(error_at(
                types[0].0,
                format!(
                    "{} results are named but {} types are written",
                    results.len(),
                    types.len()
                ),
            ));
        }
        Ok(OpHead {
            name_tok,
            info,
            results,
            operands,
            attrs,
            types,
        })
    }

    /// `%a, %b =`, reserving the names; empty if the line starts with an op name.
    fn result_names(&mut self) -> Result<Vec<String>, ParseError> {
        let mut results = Vec::new();
        if !matches!(self.c.peek().tok, Tok::Value(_)) {
            return Ok(results);
        }
        loop {
            let tok = self.c.peek();
            let Tok::Value(name) = &tok.tok else {
                return Err(self.c.unexpected("a result name"));
            };
            self.scope.reserve(tok, name)?;
            self.c.bump();
            results.push(name.clone());
            if !self.c.eat_punct(',') {
                break;
            }
        }
        self.c.expect_punct('=', "after the result names")?;
        Ok(results)
    }

    /// `%a, %b` on the op's line, each visible here.
    fn operands(&mut self) -> Result<Vec<Value>, ParseError> {
        let mut operands = Vec::new();
        if !(self.c.on_same_line() && matches!(self.c.peek().tok, Tok::Value(_))) {
            return Ok(operands);
        }
        loop {
            let tok = self.c.peek();
            let Tok::Value(name) = &tok.tok else {
                return Err(self.c.unexpected("an operand"));
            };
            operands.push(self.scope.lookup(tok, name)?);
            self.c.bump();
            if !self.c.eat_punct(',') {
                return Ok(operands);
            }
        }
    }

    /// Whether a `{` opens the attribute dictionary rather than a region:
    /// always for ops without regions, else only if it reads `{ key =`.
    fn at_attr_dict(&self, info: &OpInfo) -> bool {
        if !self.c.at_punct('{') {
            return false;
        }
        info.regions == 0
            || (matches!(self.c.peek_nth(1).tok, Tok::Ident(_))
                && self.c.peek_nth(2).tok == Tok::Punct('='))
    }

    /// `{key = value, ...}` with keys from the op's declaration, returned in
    /// the table's order.
    fn op_attrs(&mut self, info: &OpInfo) -> Result<Attrs, ParseError> {
        let allowed: Vec<&'static str> = info
            .attrs
            .iter()
            .chain(info.optional_attrs)
            .copied()
            .collect();
        let mut entries: Vec<(&'static str, Attr)> = Vec::new();
        let owner = format!("`{}` ops", info.name);
        parse_dict(self.c, &format!("the attributes of `{}`", info.name), |c| {
            let (key, tok) = parse_attr_key(c, &allowed, &owner)?;
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(error_at(tok, format!("attribute `{key}` is given twice")));
            }
            c.expect_punct('=', "after the attribute name")?;
            entries.push((key, parse_attr_value(c)?));
            Ok(())
        })?;
        entries.sort_by_key(|(k, _)| allowed.iter().position(|a| a == k));
        Ok(Attrs(entries))
    }

    /// The result types: the typing rule's, which must equal the printed
    /// ones, or the printed ones for ops whose types are declared.
    fn check_types(&self, head: &OpHead) -> Result<Vec<Type>, ParseError> {
        let printed: Vec<Type> = head.types.iter().map(|(_, t)| t.clone()).collect();
        let inferred = infer_types(&self.f, head.info.opcode, &head.operands, &head.attrs)
            .map_err(|e| error_at(head.name_tok, e.to_string()))?;
        let Some(inferred) = inferred else {
            return Ok(printed);
        };
        if inferred.len() != printed.len() {
            return Err(error_at(
                head.name_tok,
                format!(
                    "`{}` here has {} results, but {} are written",
                    head.info.name,
                    inferred.len(),
                    printed.len()
                ),
            ));
        }
        for (i, ((tok, written), expected)) in head.types.iter().zip(&inferred).enumerate() {
            if written != expected {
                return Err(error_at(
                    tok,
                    format!(
                        "result {i} of `{}` has type {expected}, but {written} is written",
                        head.info.name
                    ),
                ));
            }
        }
        Ok(inferred)
    }

    /// `{ [^(%a: type, ...):] ops }` as a new block.
    fn region(&mut self) -> Result<Block, ParseError> {
        let open = self.c.expect_punct('{', "to open a region")?;
        if self.depth >= MAX_NESTING {
            return Err(error_at(
                open,
                format!("regions nest deeper than {MAX_NESTING} levels"),
            ));
        }
        self.depth += 1;
        let block = self.f.new_block();
        let mark = self.scope.enter();
        if self.c.eat_punct('^') {
            self.block_args(block)?;
        }
        self.ops_until_close(block, open)?;
        self.scope.leave(mark);
        self.depth -= 1;
        Ok(block)
    }

    /// `(%a: type, ...):` after `^`.
    fn block_args(&mut self, block: Block) -> Result<(), ParseError> {
        self.c.expect_punct('(', "after `^`")?;
        if !self.c.eat_punct(')') {
            loop {
                let tok = self.c.peek();
                let Tok::Value(name) = &tok.tok else {
                    return Err(self.c.unexpected("a block argument `%name`"));
                };
                self.c.bump();
                self.c
                    .expect_punct(':', "before the block argument's type")?;
                let ty = parse_type(self.c)?;
                let v = self.f.add_block_arg(block, ty);
                self.scope.define(tok, name, v)?;
                if self.c.eat_punct(')') {
                    break;
                }
                self.c.expect_punct(',', "or `)` after a block argument")?;
            }
        }
        self.c.expect_punct(':', "after the block arguments")?;
        Ok(())
    }
}

/// "2 operands", "1 to 3 operands", "at least 3 operands".
fn count(arity: Arity, noun: &str) -> String {
    let plural = |n: u8| {
        if n == 1 {
            noun.to_string()
        } else {
            format!("{noun}s")
        }
    };
    match arity {
        Arity::Exact(n) => format!("{n} {}", plural(n)),
        Arity::Range(lo, hi) => format!("{lo} to {hi} {}", plural(hi)),
        Arity::AtLeast(n) => format!("at least {n} {}", plural(n)),
    }
}
