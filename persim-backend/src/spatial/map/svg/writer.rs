//! A minimal SVG writer: elements with escaped attributes and text.
//!
//! Hand-written rather than a dependency: the pictures use a dozen element
//! kinds, and [`check_svg`](super::check_svg) verifies what this produces.

use std::fmt::Write as _;

/// An SVG document under construction.
pub struct Svg {
    out: String,
    open: Vec<&'static str>,
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            c => s.push(c),
        }
    }
    s
}

/// Formats a coordinate with at most two decimals (smaller files, stable text).
pub fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

impl Svg {
    /// Starts a document of `width` x `height` pixels with a white background.
    pub fn new(width: f64, height: f64) -> Svg {
        let mut out = String::new();
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif">"#,
            w = num(width),
            h = num(height)
        );
        let mut svg = Svg {
            out,
            open: vec!["svg"],
        };
        svg.leaf(
            "rect",
            &[
                ("width", num(width)),
                ("height", num(height)),
                ("fill", "white".into()),
            ],
        );
        svg
    }

    fn attrs(&mut self, attrs: &[(&str, String)]) {
        for (k, v) in attrs {
            let _ = write!(self.out, r#" {k}="{}""#, escape(v));
        }
    }

    /// An element without content.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, String)]) {
        let _ = write!(self.out, "{}<{name}", self.indent());
        self.attrs(attrs);
        self.out.push_str("/>\n");
    }

    /// An element holding only text.
    pub fn text_elem(&mut self, name: &str, attrs: &[(&str, String)], text: &str) {
        let _ = write!(self.out, "{}<{name}", self.indent());
        self.attrs(attrs);
        let _ = writeln!(self.out, ">{}</{name}>", escape(text));
    }

    /// `<text>` at (x, y).
    pub fn text(&mut self, x: f64, y: f64, size: f64, extra: &[(&str, String)], text: &str) {
        let mut attrs = vec![("x", num(x)), ("y", num(y)), ("font-size", num(size))];
        attrs.extend(extra.iter().cloned());
        self.text_elem("text", &attrs, text);
    }

    /// Opens an element that will hold others; close it with [`Svg::close`].
    pub fn open(&mut self, name: &'static str, attrs: &[(&str, String)]) {
        let _ = write!(self.out, "{}<{name}", self.indent());
        self.attrs(attrs);
        self.out.push_str(">\n");
        self.open.push(name);
    }

    pub fn close(&mut self) {
        if self.open.len() > 1 {
            let name = self.open.pop().expect("checked");
            let _ = writeln!(self.out, "{}</{name}>", self.indent());
        }
    }

    fn indent(&self) -> String {
        "  ".repeat(self.open.len())
    }

    /// Closes every open element and returns the document.
    pub fn finish(mut self) -> String {
        while self.open.len() > 1 {
            self.close();
        }
        self.out.push_str("</svg>\n");
        self.out
    }
}
