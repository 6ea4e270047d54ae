//! The original `(line, column)` of every token of a kernel, recorded so
//! that launch-time diagnostics and IR locations point into the user's file.
//!
//! The walk order must be the one `persim_lang::front::srcmap::token_starts`
//! uses on the re-parsed text: depth first, a delimited group contributing
//! its open delimiter, contents, close delimiter; an invisible group only its
//! contents (it prints without delimiters).

use proc_macro::{Delimiter, Span, TokenStream, TokenTree};

/// `(line, column)` of each token, both 1-based.
pub fn record(tokens: TokenStream) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    walk(tokens, &mut out);
    out
}

fn walk(tokens: TokenStream, out: &mut Vec<(u32, u32)>) {
    for tt in tokens {
        match tt {
            TokenTree::Group(g) if g.delimiter() == Delimiter::None => walk(g.stream(), out),
            TokenTree::Group(g) => {
                out.push(position(g.span_open()));
                walk(g.stream(), out);
                out.push(position(g.span_close()));
            }
            other => out.push(position(other.span())),
        }
    }
}

/// `Span::line` and `Span::column` (stable since Rust 1.88) are both
/// 1-based, which is what `KernelSource::locs` stores.
pub fn position(span: Span) -> (u32, u32) {
    let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (narrow(span.line()), narrow(span.column()))
}
