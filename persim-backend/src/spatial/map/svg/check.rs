//! A tiny well-formedness checker for the SVG this module writes: tags
//! balanced and properly nested, attributes quoted, no raw `<` or stray `&`
//! in text, one `svg` root. Not a general XML parser (no DTDs, CDATA or
//! processing instructions besides an XML declaration).

use std::collections::BTreeMap;

/// What a well-formed document contains.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SvgSummary {
    /// Elements per name.
    pub elements: BTreeMap<String, usize>,
    /// Text content of every element, unescaped, in document order.
    pub texts: Vec<String>,
}

impl SvgSummary {
    pub fn count(&self, name: &str) -> usize {
        self.elements.get(name).copied().unwrap_or(0)
    }

    /// Whether some text content contains `needle`.
    pub fn has_text(&self, needle: &str) -> bool {
        self.texts.iter().any(|t| t.contains(needle))
    }
}

/// Checks `doc`; the error names the byte offset of the problem.
pub fn check_svg(doc: &str) -> Result<SvgSummary, String> {
    let b = doc.as_bytes();
    let mut i = 0;
    let mut stack: Vec<String> = Vec::new();
    let mut summary = SvgSummary::default();
    let mut roots = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    while i < b.len() {
        if b[i] != b'<' {
            let end = doc[i..].find('<').map_or(b.len(), |k| i + k);
            let text = &doc[i..end];
            if !text.trim().is_empty() {
                if stack.is_empty() {
                    return Err(format!("at {i}: text outside the root element"));
                }
                summary.texts.push(unescape(text, i)?);
            }
            i = end;
            continue;
        }
        if doc[i..].starts_with("<!--") {
            let end = doc[i..]
                .find("-->")
                .ok_or(format!("at {i}: unterminated comment"))?;
            i += end + 3;
            continue;
        }
        if doc[i..].starts_with("<?xml") {
            let end = doc[i..]
                .find("?>")
                .ok_or(format!("at {i}: unterminated declaration"))?;
            i += end + 2;
            continue;
        }
        let closing = b.get(i + 1) == Some(&b'/');
        let mut j = i + 1 + usize::from(closing);
        let start = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b"-_:.".contains(&b[j])) {
            j += 1;
        }
        let name = &doc[start..j];
        if name.is_empty() {
            return Err(format!("at {i}: `<` does not start a tag"));
        }
        if closing {
            skip_ws(&mut j);
            if b.get(j) != Some(&b'>') {
                return Err(format!("at {i}: bad closing tag </{name}"));
            }
            match stack.pop() {
                Some(open) if open == name => {}
                Some(open) => {
                    return Err(format!("at {i}: </{name}> closes <{open}>"));
                }
                None => return Err(format!("at {i}: </{name}> closes nothing")),
            }
            i = j + 1;
            continue;
        }
        if stack.is_empty() {
            roots += 1;
            if name != "svg" {
                return Err(format!("at {i}: the root element is <{name}>, not <svg>"));
            }
        }
        // Attributes.
        let mut seen: Vec<&str> = Vec::new();
        loop {
            let before = j;
            skip_ws(&mut j);
            match b.get(j) {
                Some(b'>') => {
                    j += 1;
                    stack.push(name.to_string());
                    break;
                }
                Some(b'/') if b.get(j + 1) == Some(&b'>') => {
                    j += 2;
                    break;
                }
                Some(_) if j == before => {
                    return Err(format!(
                        "at {j}: expected whitespace before an attribute in <{name}>"
                    ));
                }
                Some(_) => {
                    let a = j;
                    while j < b.len() && (b[j].is_ascii_alphanumeric() || b"-_:.".contains(&b[j])) {
                        j += 1;
                    }
                    let attr = &doc[a..j];
                    if attr.is_empty() || b.get(j) != Some(&b'=') || b.get(j + 1) != Some(&b'"') {
                        return Err(format!("at {a}: expected name=\"value\" in <{name}>"));
                    }
                    if seen.contains(&attr) {
                        return Err(format!("at {a}: attribute {attr} repeated in <{name}>"));
                    }
                    seen.push(attr);
                    let v = j + 2;
                    let end = doc[v..]
                        .find('"')
                        .map(|k| v + k)
                        .ok_or(format!("at {v}: unterminated attribute value"))?;
                    if doc[v..end].contains('<') {
                        return Err(format!("at {v}: `<` in an attribute value"));
                    }
                    unescape(&doc[v..end], v)?;
                    j = end + 1;
                }
                None => return Err(format!("at {i}: unterminated tag <{name}")),
            }
        }
        *summary.elements.entry(name.to_string()).or_insert(0) += 1;
        i = j;
    }
    if let Some(open) = stack.last() {
        return Err(format!("<{open}> is never closed"));
    }
    if roots != 1 {
        return Err("the document must have exactly one <svg> root".into());
    }
    Ok(summary)
}

fn unescape(text: &str, at: usize) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        let tail = &rest[k..];
        let end = tail
            .find(';')
            .ok_or(format!("at {}: `&` without `;`", at + k))?;
        let entity = &tail[1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or(format!("at {}: bad character reference &{e};", at + k))?,
            e if e.starts_with('#') => e[1..]
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .ok_or(format!("at {}: bad character reference &{e};", at + k))?,
            e => return Err(format!("at {}: unknown entity &{e};", at + k)),
        };
        out.push(c);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
