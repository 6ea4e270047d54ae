//! A cursor over the token list, with the small helpers every grammar rule
//! uses: look ahead, consume expected punctuation, build located errors.

use super::lexer::{Tok, Token};
use super::ParseError;

pub(super) struct Cursor<'t> {
    toks: &'t [Token],
    pos: usize,
}

impl<'t> Cursor<'t> {
    /// `toks` must end with [`Tok::Eof`], as [`super::lexer::tokenize`]
    /// guarantees; the cursor never moves past it.
    pub(super) fn new(toks: &'t [Token]) -> Cursor<'t> {
        debug_assert!(matches!(toks.last().map(|t| &t.tok), Some(Tok::Eof)));
        Cursor { toks, pos: 0 }
    }

    pub(super) fn peek(&self) -> &'t Token {
        self.peek_nth(0)
    }

    /// The token `n` places ahead (the final `Eof` if that is past the end).
    pub(super) fn peek_nth(&self, n: usize) -> &'t Token {
        let last = self.toks.len() - 1;
        &self.toks[(self.pos + n).min(last)]
    }

    /// Returns the current token and moves past it (except past `Eof`).
    pub(super) fn bump(&mut self) -> &'t Token {
        let tok = self.peek();
        if tok.tok != Tok::Eof {
            self.pos += 1;
        }
        tok
    }

    pub(super) fn at_eof(&self) -> bool {
        self.peek().tok == Tok::Eof
    }

    pub(super) fn at_punct(&self, c: char) -> bool {
        self.peek().tok == Tok::Punct(c)
    }

    pub(super) fn at_keyword(&self, word: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(s) if s == word)
    }

    /// The next token continues the current line (so it may continue an op).
    pub(super) fn on_same_line(&self) -> bool {
        let tok = self.peek();
        !tok.starts_line && tok.tok != Tok::Eof
    }

    pub(super) fn eat_punct(&mut self, c: char) -> bool {
        let found = self.at_punct(c);
        if found {
            self.bump();
        }
        found
    }

    /// Consumes `c` or fails with "expected `c` `context`, found ...".
    pub(super) fn expect_punct(&mut self, c: char, context: &str) -> Result<&'t Token, ParseError> {
        if self.at_punct(c) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(&format!("`{c}` {context}")))
        }
    }

    /// "expected `what`, found <next token>" at the next token.
    pub(super) fn unexpected(&self, what: &str) -> ParseError {
        let tok = self.peek();
        error_at(
            tok,
            format!("expected {what}, found {}", tok.tok.describe()),
        )
    }
}

pub(super) fn error_at(tok: &Token, message: impl Into<String>) -> ParseError {
    ParseError {
        line: tok.line,
        col: tok.col,
        message: message.into(),
    }
}
