//! The kernel header: parameters and the `consts`, `attrs` and `files`
//! sections.

use super::cursor::{error_at, Cursor};
use super::lexer::{Tok, Token};
use super::terms::{
    parse_attr_key, parse_attr_value, parse_dict, parse_int, parse_name, parse_string, parse_type,
};
use super::ParseError;
use crate::ir::function::{Function, Param, FUNCTION_ATTRS};
use crate::ir::types::Type;

/// `(%0 name: type [mut], ...)`; the name may be omitted.
pub(super) fn parse_params<'t>(c: &mut Cursor<'t>) -> Result<Vec<(&'t Token, Param)>, ParseError> {
    c.expect_punct('(', "after the function name")?;
    let mut params = Vec::new();
    if c.eat_punct(')') {
        return Ok(params);
    }
    loop {
        let tok = c.peek();
        if !matches!(tok.tok, Tok::Value(_)) {
            return Err(c.unexpected("a parameter `%name`"));
        }
        c.bump();
        let name = if c.at_punct(':') {
            String::new()
        } else {
            parse_name(c, "a parameter name or `:`")?
        };
        c.expect_punct(':', "before the parameter type")?;
        let ty = parse_type(c)?;
        let mutable = c.at_keyword("mut");
        if mutable {
            c.bump();
        }
        params.push((tok, Param { name, ty, mutable }));
        if c.eat_punct(')') {
            return Ok(params);
        }
        c.expect_punct(',', "or `)` after a parameter")?;
    }
}

/// `-> type` or `-> (type, ...)` after a device function's parameters;
/// nothing when it returns no values.
pub(super) fn parse_results(c: &mut Cursor) -> Result<Vec<Type>, ParseError> {
    if !c.eat_punct('-') {
        return Ok(Vec::new());
    }
    c.expect_punct('>', "after `-` (result types are written `-> type`)")?;
    if !c.eat_punct('(') {
        return Ok(vec![parse_type(c)?]);
    }
    let mut results = Vec::new();
    if c.eat_punct(')') {
        return Ok(results);
    }
    loop {
        results.push(parse_type(c)?);
        if c.eat_punct(')') {
            return Ok(results);
        }
        c.expect_punct(',', "or `)` after a result type")?;
    }
}

/// The optional header sections, each at most once.
pub(super) fn parse_sections(c: &mut Cursor, f: &mut Function) -> Result<(), ParseError> {
    let mut seen: Vec<&str> = Vec::new();
    loop {
        let tok = c.peek();
        let section = match &tok.tok {
            Tok::Ident(w) if matches!(w.as_str(), "consts" | "attrs" | "files") => w.as_str(),
            _ => return Ok(()),
        };
        if seen.contains(&section) {
            return Err(error_at(tok, format!("section `{section}` appears twice")));
        }
        seen.push(section);
        c.bump();
        match section {
            "consts" => parse_consts(c, f)?,
            "attrs" => parse_function_attrs(c, f)?,
            _ => parse_files(c, f)?,
        }
    }
}

fn parse_consts(c: &mut Cursor, f: &mut Function) -> Result<(), ParseError> {
    parse_dict(c, "`consts`", |c| {
        let tok = c.peek();
        let key = parse_name(c, "a constexpr name")?;
        if f.consts.iter().any(|(k, _)| *k == key) {
            return Err(error_at(tok, format!("constexpr `{key}` is given twice")));
        }
        c.expect_punct('=', "after the constexpr name")?;
        f.consts.push((key, parse_int(c)?));
        Ok(())
    })
}

fn parse_function_attrs(c: &mut Cursor, f: &mut Function) -> Result<(), ParseError> {
    parse_dict(c, "`attrs`", |c| {
        let (key, tok) = parse_attr_key(c, FUNCTION_ATTRS, "kernels")?;
        if f.attrs.get(key).is_some() {
            return Err(error_at(tok, format!("attribute `{key}` is given twice")));
        }
        c.expect_punct('=', "after the attribute name")?;
        f.attrs.set(key, parse_attr_value(c)?);
        Ok(())
    })
}

fn parse_files(c: &mut Cursor, f: &mut Function) -> Result<(), ParseError> {
    c.expect_punct('[', "after `files`")?;
    if c.eat_punct(']') {
        return Ok(());
    }
    loop {
        f.files.push(parse_string(c, "a file name string")?);
        if c.eat_punct(']') {
            return Ok(());
        }
        c.expect_punct(',', "or `]` in the file list")?;
    }
}
