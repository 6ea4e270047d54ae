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

/// Edit distance over chars where swapping two adjacent chars costs one
/// edit (optimal string alignment): `laod` is one edit from `load`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(edit_distance("arange", "arnage"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        let names = ["load", "store", "arange"];
        assert_eq!(
            did_you_mean("laod", names.into_iter()).as_deref(),
            Some("; did you mean `load`?")
        );
        assert_eq!(did_you_mean("frobnicate", names.into_iter()), None);
    }
}
