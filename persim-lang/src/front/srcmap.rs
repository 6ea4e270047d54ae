//! Mapping spans to positions in the user's file.
//!
//! Inside the macro, spans are the compiler's and diagnostics go straight to
//! `compile_error!`. At launch the kernel is re-parsed from
//! [`KernelSource::text`](super::KernelSource::text), so spans point into that
//! text; the macro recorded the original `(line, col)` of every token
//! ([`KernelSource::locs`](super::KernelSource::locs)), in the order
//! [`token_starts`] walks a token stream. Re-tokenizing the text yields the
//! same tokens in the same order, so the n-th token start in the text maps to
//! the n-th recorded position.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

/// Where diagnostics and op locations point.
pub struct SourceMap<'a> {
    /// The file name recorded in the IR and in `file:line:col` locations.
    pub file: &'a str,
    locate: &'a dyn Fn(Span) -> Option<(u32, u32)>,
}

impl<'a> SourceMap<'a> {
    /// `locate` gives a span's 1-based `(line, column)` in `file`.
    pub fn new(file: &'a str, locate: &'a dyn Fn(Span) -> Option<(u32, u32)>) -> SourceMap<'a> {
        SourceMap { file, locate }
    }

    pub fn position(&self, span: Span) -> Option<(u32, u32)> {
        (self.locate)(span)
    }

    /// `file:line:col`, or `None` if the span cannot be placed.
    pub fn describe(&self, span: Span) -> Option<String> {
        let (line, col) = self.position(span)?;
        Some(format!("{}:{line}:{col}", self.file))
    }
}

/// The spans of a token stream's tokens in the order the macro records their
/// locations: depth first; a delimited group gives its open delimiter, its
/// contents, then its close delimiter; an invisible (`None`-delimited) group
/// gives only its contents, since it prints as its contents alone.
pub fn token_starts(tokens: TokenStream, out: &mut Vec<Span>) {
    for tt in tokens {
        match tt {
            TokenTree::Group(g) if g.delimiter() == Delimiter::None => {
                token_starts(g.stream(), out)
            }
            TokenTree::Group(g) => {
                out.push(g.span_open());
                token_starts(g.stream(), out);
                out.push(g.span_close());
            }
            other => out.push(other.span()),
        }
    }
}

/// Positions of a re-parsed kernel's tokens in the original file.
#[derive(Debug, Default)]
pub struct TokenPositions {
    /// `(line, column)` of a token's start in the re-parsed text (as
    /// proc-macro2 reports it) → its 1-based `(line, col)` in the file; sorted.
    table: Vec<((usize, usize), (u32, u32))>,
}

impl TokenPositions {
    /// Pair the tokens of `tokens` (parsed from the recorded text, outside
    /// any proc macro so that spans carry positions) with `locs`.
    pub fn new(tokens: &TokenStream, locs: &[(u32, u32)]) -> TokenPositions {
        let mut spans = Vec::new();
        token_starts(tokens.clone(), &mut spans);
        let mut table: Vec<_> = spans
            .iter()
            .zip(locs)
            .map(|(span, &loc)| {
                let start = span.start();
                ((start.line, start.column), loc)
            })
            .collect();
        // Tokens that share a start (the pieces of a desugared doc comment)
        // keep the first position.
        table.sort_by_key(|&(start, _)| start);
        table.dedup_by_key(|&mut (start, _)| start);
        TokenPositions { table }
    }

    /// The file position of the token a span starts at; for a span starting
    /// between tokens, the position of the token before it.
    pub fn locate(&self, span: Span) -> Option<(u32, u32)> {
        let start = span.start();
        let key = (start.line, start.column);
        let at = self.table.partition_point(|&(s, _)| s <= key);
        at.checked_sub(1).map(|i| self.table[i].1)
    }
}
