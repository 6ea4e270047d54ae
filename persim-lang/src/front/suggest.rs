//! "Did you mean" suggestions for misspelled names.

/// ` (did you mean `x`?)` for the closest candidate within a small edit
/// distance, if there is one.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let limit = name.len().div_ceil(3).clamp(1, 3);
    candidates
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c.len()))
        .map(|(_, c)| format!("; did you mean `{c}`?"))
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(edit_distance("arange", "arnage"), 2);
        let names = ["load", "store", "arange"];
        assert_eq!(did_you_mean("laod", names.into_iter()).as_deref(), Some("; did you mean `load`?"));
        assert_eq!(did_you_mean("frobnicate", names.into_iter()), None);
    }
}
