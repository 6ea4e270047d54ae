//! The small self-contained pieces of the grammar: types, attribute values,
//! integers, names and locations.
//!
//! Attribute values are self-describing, so the parser needs no per-attribute
//! schema: `12` and `-3` are `Int`; `1.5`, `1e-5`, `inf`, `-inf` and `nan` are
//! `Float`; `true`/`false` are `Bool`; `"..."` is `Str`; a dtype name (`f32`)
//! is `Dtype`; `tile<..>`, `buf<..>` and `ptr<..>` are `Type`; `eq ne lt le gt
//! ge` are `Pred`; `sum max min` are `Reduce`; `[1, -2]` is `Ints`.
//!
//! One consequence: an `Attr::Type` holding a *scalar data* type prints as a
//! dtype name (`f32`) and parses back as `Attr::Dtype`. The op table never
//! asks for one (element types are `Attr::Dtype`; `alloc`'s `ty` is a
//! buffer), so the ambiguity is harmless; `structurally_equal` reports it if
//! it ever happens.

use super::cursor::{error_at, Cursor};
use super::lexer::{Tok, Token};
use super::ParseError;
use crate::ir::attrs::{Attr, CmpPred, ReduceKind};
use crate::ir::function::Loc;
use crate::ir::types::{numel, Dtype, Elem, Shape, Type};

/// The largest element count a tile or buffer type may have: every
/// consumer may count elements in a `u32`.
const MAX_ELEMENTS: u64 = u32::MAX as u64;

/// `i32`, `ptr<f32>`, `tile<4x8xf32>`, `tile<16xptr<f32>>`, `buf<1024xf32>`.
pub(super) fn parse_type(c: &mut Cursor) -> Result<Type, ParseError> {
    let tok = c.peek();
    let Tok::Ident(word) = &tok.tok else {
        return Err(c.unexpected("a type"));
    };
    match word.as_str() {
        "tile" | "buf" => {
            c.bump();
            c.expect_punct('<', &format!("after `{word}`"))?;
            let shape = parse_dims(c)?;
            let elem = parse_elem(c)?;
            c.expect_punct('>', &format!("to close `{word}<`"))?;
            let ty = if word == "tile" {
                Type::Tile { elem, shape }
            } else if let [len] = shape[..] {
                Type::Buf { elem, len }
            } else {
                return Err(error_at(tok, "a buffer has exactly one dimension"));
            };
            if numel(ty.shape().unwrap_or(&[])) > MAX_ELEMENTS || ty.numel() > MAX_ELEMENTS {
                return Err(error_at(tok, format!("{ty} has more than 2^32-1 elements")));
            }
            Ok(ty)
        }
        _ => Ok(Type::Tile {
            elem: parse_elem(c)?,
            shape: Shape::new(),
        }),
    }
}

/// `4x8x` (at least one dimension, each positive).
fn parse_dims(c: &mut Cursor) -> Result<Shape, ParseError> {
    let mut shape = Shape::new();
    while let Tok::Int(text) = &c.peek().tok {
        let tok = c.bump();
        let dim = text
            .parse::<u32>()
            .ok()
            .filter(|&d| d > 0)
            .ok_or_else(|| error_at(tok, format!("dimension `{text}` must be in 1..2^32")))?;
        shape.push(dim);
        if c.peek().tok != Tok::Cross {
            return Err(c.unexpected("`x` after a dimension"));
        }
        c.bump();
    }
    if shape.is_empty() {
        return Err(c.unexpected("a dimension (scalars are written without `tile<>`)"));
    }
    Ok(shape)
}

/// A dtype or `ptr<dtype>`.
fn parse_elem(c: &mut Cursor) -> Result<Elem, ParseError> {
    if c.at_keyword("ptr") {
        c.bump();
        c.expect_punct('<', "after `ptr`")?;
        let d = parse_dtype(c)?;
        c.expect_punct('>', "to close `ptr<`")?;
        return Ok(Elem::Ptr(d));
    }
    Ok(Elem::Val(parse_dtype(c)?))
}

fn parse_dtype(c: &mut Cursor) -> Result<Dtype, ParseError> {
    match &c.peek().tok {
        Tok::Ident(word) => match Dtype::from_name(word) {
            Some(d) => {
                c.bump();
                Ok(d)
            }
            None => Err(error_at(c.peek(), format!("unknown type `{word}`"))),
        },
        _ => Err(c.unexpected("an element type")),
    }
}

/// A decimal integer with an optional `-`, in `i64`.
pub(super) fn parse_int(c: &mut Cursor) -> Result<i64, ParseError> {
    let start = c.peek();
    let negative = c.eat_punct('-');
    let Tok::Int(digits) = &c.peek().tok else {
        return Err(c.unexpected("an integer"));
    };
    c.bump();
    let text = if negative {
        format!("-{digits}")
    } else {
        digits.clone()
    };
    text.parse()
        .map_err(|_| error_at(start, format!("integer `{text}` does not fit in 64 bits")))
}

/// An unsigned integer that fits `u32` (line, column, file index).
fn parse_u32(c: &mut Cursor, what: &str) -> Result<u32, ParseError> {
    let tok = c.peek();
    let Tok::Int(digits) = &tok.tok else {
        return Err(c.unexpected(what));
    };
    c.bump();
    digits
        .parse()
        .map_err(|_| error_at(tok, format!("{what} `{digits}` is too large")))
}

/// An identifier, or a string for names that are not identifiers.
pub(super) fn parse_name(c: &mut Cursor, what: &str) -> Result<String, ParseError> {
    match &c.peek().tok {
        Tok::Ident(s) | Tok::Str(s) => {
            c.bump();
            Ok(s.clone())
        }
        _ => Err(c.unexpected(what)),
    }
}

pub(super) fn parse_string(c: &mut Cursor, what: &str) -> Result<String, ParseError> {
    match &c.peek().tok {
        Tok::Str(s) => {
            c.bump();
            Ok(s.clone())
        }
        _ => Err(c.unexpected(what)),
    }
}

pub(super) fn parse_attr_value(c: &mut Cursor) -> Result<Attr, ParseError> {
    let tok = c.peek();
    match &tok.tok {
        Tok::Int(_) => parse_int(c).map(Attr::Int),
        Tok::Float(_) => parse_float(c).map(Attr::Float),
        Tok::Punct('-') => match &c.peek_nth(1).tok {
            Tok::Int(_) => parse_int(c).map(Attr::Int),
            Tok::Float(_) => parse_float(c).map(Attr::Float),
            Tok::Ident(word) if word == "inf" => {
                c.bump();
                c.bump();
                Ok(Attr::Float(f64::NEG_INFINITY))
            }
            _ => {
                c.bump();
                Err(c.unexpected("a number after `-`"))
            }
        },
        Tok::Str(s) => {
            c.bump();
            Ok(Attr::Str(s.clone()))
        }
        Tok::Punct('[') => parse_int_list(c).map(Attr::Ints),
        Tok::Ident(word) => {
            if let Some(attr) = word_attr(word) {
                c.bump();
                return Ok(attr);
            }
            if matches!(word.as_str(), "tile" | "buf" | "ptr") {
                return parse_type(c).map(Attr::Type);
            }
            Err(error_at(tok, format!("unknown attribute value `{word}`")))
        }
        _ => Err(c.unexpected("an attribute value")),
    }
}

/// Attribute values spelled as one word.
fn word_attr(word: &str) -> Option<Attr> {
    let attr = match word {
        "true" => Attr::Bool(true),
        "false" => Attr::Bool(false),
        "inf" => Attr::Float(f64::INFINITY),
        "nan" => Attr::Float(f64::NAN),
        _ => {
            if let Some(d) = Dtype::from_name(word) {
                Attr::Dtype(d)
            } else if let Some(p) = CmpPred::ALL.into_iter().find(|p| p.name() == word) {
                Attr::Pred(p)
            } else {
                Attr::Reduce(ReduceKind::ALL.into_iter().find(|r| r.name() == word)?)
            }
        }
    };
    Some(attr)
}

/// A finite float literal with an optional `-`. A literal too large for
/// `f64` is an error rather than a silent infinity.
fn parse_float(c: &mut Cursor) -> Result<f64, ParseError> {
    let start = c.peek();
    let negative = c.eat_punct('-');
    let Tok::Float(text) = &c.peek().tok else {
        return Err(c.unexpected("a float"));
    };
    c.bump();
    let value: f64 = text
        .parse()
        .map_err(|_| error_at(start, format!("bad float literal `{text}`")))?;
    if value.is_infinite() {
        return Err(error_at(
            start,
            format!("float literal `{text}` is out of range; write `inf`"),
        ));
    }
    Ok(if negative { -value } else { value })
}

fn parse_int_list(c: &mut Cursor) -> Result<Vec<i64>, ParseError> {
    c.expect_punct('[', "to start a list")?;
    let mut list = Vec::new();
    if c.eat_punct(']') {
        return Ok(list);
    }
    loop {
        list.push(parse_int(c)?);
        if c.eat_punct(']') {
            return Ok(list);
        }
        c.expect_punct(',', "or `]` in an integer list")?;
    }
}

/// `(line:col)` or `(fN:line:col)`, after the `loc` keyword. The file index
/// must name one of the function's `files`.
pub(super) fn parse_loc(c: &mut Cursor, file_count: usize) -> Result<Loc, ParseError> {
    c.expect_punct('(', "after `loc`")?;
    let mut file = 0;
    let file_tok = c.peek();
    if let Tok::Ident(word) = &file_tok.tok {
        let index = word.strip_prefix('f').and_then(|n| n.parse::<u32>().ok());
        file = index.ok_or_else(|| {
            error_at(
                file_tok,
                format!("expected a file index `fN`, found `{word}`"),
            )
        })?;
        c.bump();
        c.expect_punct(':', "after the file index")?;
    }
    if file_count == 0 {
        return Err(error_at(
            file_tok,
            "a location needs a `files [...]` section in the header",
        ));
    }
    if file as usize >= file_count {
        return Err(error_at(
            file_tok,
            format!("file index {file} is out of range: the kernel lists {file_count} files"),
        ));
    }
    let line_tok = c.peek();
    let line = parse_u32(c, "a line number")?;
    if line == 0 {
        return Err(error_at(
            line_tok,
            "line 0 means an unknown location; leave out `loc(...)` instead",
        ));
    }
    c.expect_punct(':', "between line and column")?;
    let col = parse_u32(c, "a column number")?;
    c.expect_punct(')', "to close `loc(`")?;
    Ok(Loc { file, line, col })
}

/// `{entry, entry, ...}`, possibly empty.
pub(super) fn parse_dict(
    c: &mut Cursor,
    what: &str,
    mut entry: impl FnMut(&mut Cursor) -> Result<(), ParseError>,
) -> Result<(), ParseError> {
    c.expect_punct('{', &format!("to open {what}"))?;
    if c.eat_punct('}') {
        return Ok(());
    }
    loop {
        entry(c)?;
        if c.eat_punct('}') {
            return Ok(());
        }
        c.expect_punct(',', &format!("or `}}` in {what}"))?;
    }
}

/// An attribute key, returned as the `&'static str` of the declaring table.
pub(super) fn parse_attr_key<'t>(
    c: &mut Cursor<'t>,
    allowed: &[&'static str],
    owner: &str,
) -> Result<(&'static str, &'t Token), ParseError> {
    let tok = c.peek();
    let Tok::Ident(word) = &tok.tok else {
        return Err(c.unexpected("an attribute name"));
    };
    let Some(&key) = allowed.iter().find(|k| *k == word) else {
        let known = if allowed.is_empty() {
            "none".to_string()
        } else {
            allowed
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(error_at(
            tok,
            format!("{owner} take no attribute `{word}` (allowed: {known})"),
        ));
    };
    c.bump();
    Ok((key, tok))
}
