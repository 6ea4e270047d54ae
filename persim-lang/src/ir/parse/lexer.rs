//! Tokens of the IR text format.
//!
//! The format is free-form except for one rule: an op ends at the end of its
//! line. Newlines are therefore not tokens; instead each token records
//! whether it is the first on its line, and the parser uses that to see where
//! an op's optional trailing parts stop. `;` starts a comment that runs to the
//! end of the line.
//!
//! One context rule keeps shapes readable: right after `tile<` or `buf<`,
//! `4x8x` lexes as dimensions separated by [`Tok::Cross`]; anywhere else `x8`
//! would be an identifier.

use super::ParseError;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    /// `[A-Za-z_][A-Za-z0-9_]*`: op names, keywords, type and attribute words.
    Ident(String),
    /// `%name` (the text after `%`).
    Value(String),
    /// Unsigned decimal digits; a sign is a separate `-`.
    Int(String),
    /// Digits with a fraction and/or exponent: `1.5`, `1e-5`.
    Float(String),
    /// A string literal with its escapes resolved.
    Str(String),
    /// One of `( ) { } [ ] < > , : = ^ - @`.
    Punct(char),
    /// The `x` between dimensions of a shape.
    Cross,
    Eof,
}

impl Tok {
    /// How a message names the token: "`foo`", "end of input".
    pub(super) fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Value(s) => format!("`%{s}`"),
            Tok::Int(s) | Tok::Float(s) => format!("`{s}`"),
            Tok::Str(s) => format!("string {s:?}"),
            Tok::Punct(c) => format!("`{c}`"),
            Tok::Cross => "`x`".into(),
            Tok::Eof => "end of input".into(),
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Token {
    pub tok: Tok,
    /// 1-based position of the token's first character (columns count chars).
    pub line: u32,
    pub col: u32,
    /// No other token precedes it on its line.
    pub starts_line: bool,
}

/// Splits `src` into tokens, ending with one [`Tok::Eof`].
pub(super) fn tokenize(src: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer {
        chars: src.chars().collect(),
        pos: 0,
        line: 1,
        col: 1,
        starts_line: true,
        in_shape: false,
        toks: Vec::new(),
    };
    lexer.run()?;
    Ok(lexer.toks)
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    col: u32,
    starts_line: bool,
    /// Inside the dimensions of `tile<...>` or `buf<...>`.
    in_shape: bool,
    toks: Vec<Token>,
}

const PUNCTUATION: &str = "(){}[]<>,:=^-@";

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.col = 1;
            self.starts_line = true;
        } else {
            self.col = self.col.saturating_add(1);
        }
        Some(c)
    }

    fn error(&self, line: u32, col: u32, message: impl Into<String>) -> ParseError {
        ParseError {
            line,
            col,
            message: message.into(),
        }
    }

    fn run(&mut self) -> Result<(), ParseError> {
        loop {
            self.skip_trivia();
            let (line, col) = (self.line, self.col);
            let Some(c) = self.peek() else {
                self.push(Tok::Eof, line, col);
                return Ok(());
            };
            let tok = if self.in_shape && c.is_ascii_digit() {
                self.digits()
            } else if self.in_shape && c == 'x' && matches!(self.last(), Some(Tok::Int(_))) {
                self.bump();
                Tok::Cross
            } else {
                self.in_shape = false;
                self.token(c, line, col)?
            };
            self.in_shape = match (&tok, self.last()) {
                (Tok::Punct('<'), Some(Tok::Ident(word))) => word == "tile" || word == "buf",
                (Tok::Int(_) | Tok::Cross, _) => self.in_shape,
                _ => false,
            };
            self.push(tok, line, col);
        }
    }

    fn last(&self) -> Option<&Tok> {
        self.toks.last().map(|t| &t.tok)
    }

    fn push(&mut self, tok: Tok, line: u32, col: u32) {
        self.toks.push(Token {
            tok,
            line,
            col,
            starts_line: self.starts_line,
        });
        self.starts_line = false;
    }

    fn skip_trivia(&mut self) {
        while let Some(c) = self.peek() {
            if c == ';' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else if c.is_whitespace() {
                self.bump();
            } else {
                break;
            }
        }
    }

    fn token(&mut self, c: char, line: u32, col: u32) -> Result<Tok, ParseError> {
        if c.is_ascii_alphabetic() || c == '_' {
            return Ok(Tok::Ident(self.word()));
        }
        if c.is_ascii_digit() {
            return self.number(line, col);
        }
        if c == '"' {
            return self.string(line, col);
        }
        if c == '%' {
            self.bump();
            let name = self.word();
            if name.is_empty() {
                return Err(self.error(line, col, "expected a value name after `%`"));
            }
            return Ok(Tok::Value(name));
        }
        if PUNCTUATION.contains(c) {
            self.bump();
            return Ok(Tok::Punct(c));
        }
        Err(self.error(line, col, format!("unexpected character {c:?}")))
    }

    /// `[A-Za-z0-9_]*` from the current position.
    fn word(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            s.push(c);
            self.bump();
        }
        s
    }

    fn digits(&mut self) -> Tok {
        let mut s = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            s.push(c);
            self.bump();
        }
        Tok::Int(s)
    }

    /// `digits [. digits] [(e|E) [+|-] digits]`; a fraction or exponent makes
    /// it a float.
    fn number(&mut self, line: u32, col: u32) -> Result<Tok, ParseError> {
        let Tok::Int(mut text) = self.digits() else {
            unreachable!("digits() yields Tok::Int")
        };
        let mut is_float = false;
        if self.peek() == Some('.') {
            text.push('.');
            self.bump();
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Err(self.error(line, col, format!("expected digits after `{text}`")));
            }
            let Tok::Int(frac) = self.digits() else {
                unreachable!("digits() yields Tok::Int")
            };
            text += &frac;
            is_float = true;
        }
        let exponent_follows = match (self.peek(), self.peek_at(1), self.peek_at(2)) {
            (Some('e' | 'E'), Some(d), _) if d.is_ascii_digit() => true,
            (Some('e' | 'E'), Some('+' | '-'), Some(d)) => d.is_ascii_digit(),
            _ => false,
        };
        if exponent_follows {
            text.extend(self.bump());
            if self.peek().is_some_and(|c| c == '+' || c == '-') {
                text.extend(self.bump());
            }
            let Tok::Int(exp) = self.digits() else {
                unreachable!("digits() yields Tok::Int")
            };
            text += &exp;
            is_float = true;
        }
        Ok(if is_float {
            Tok::Float(text)
        } else {
            Tok::Int(text)
        })
    }

    /// A string literal with Rust's escapes, as the printer writes them with
    /// `{:?}`: `\" \\ \n \r \t \0 \'` and `\u{...}`.
    fn string(&mut self, line: u32, col: u32) -> Result<Tok, ParseError> {
        self.bump();
        let mut s = String::new();
        loop {
            let (esc_line, esc_col) = (self.line, self.col);
            match self.bump() {
                None | Some('\n') => {
                    return Err(self.error(line, col, "unterminated string literal"));
                }
                Some('"') => return Ok(Tok::Str(s)),
                Some('\\') => s.push(self.escape(esc_line, esc_col)?),
                Some(c) => s.push(c),
            }
        }
    }

    fn escape(&mut self, line: u32, col: u32) -> Result<char, ParseError> {
        let c = match self.bump() {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('\'') => '\'',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('0') => '\0',
            Some('u') => return self.unicode_escape(line, col),
            _ => return Err(self.error(line, col, "unknown escape in string literal")),
        };
        Ok(c)
    }

    fn unicode_escape(&mut self, line: u32, col: u32) -> Result<char, ParseError> {
        let bad = |lexer: &Lexer| lexer.error(line, col, "bad `\\u{...}` escape in string literal");
        if self.bump() != Some('{') {
            return Err(bad(self));
        }
        let mut hex = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_hexdigit) {
            hex.push(c);
            self.bump();
        }
        if self.bump() != Some('}') || hex.is_empty() || hex.len() > 6 {
            return Err(bad(self));
        }
        u32::from_str_radix(&hex, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| bad(self))
    }
}
