//! Robustness: truncated and mutated IR text never makes the parser (or the
//! verifier and printer on what parses) panic, and whatever parses still
//! round-trips.

mod text_samples;

use persim_lang::ir::*;

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn sample_texts() -> Vec<String> {
    text_samples::all_samples()
        .iter()
        .map(print_function)
        .collect()
}

/// Whatever parses must print, re-parse to an equal function, print the
/// same again, and go through the verifier without panicking.
fn check_parsed(text: &str) {
    let Ok(f) = parse_function(text) else { return };
    let printed = print_function(&f);
    let again = parse_function(&printed)
        .unwrap_or_else(|e| panic!("printed text does not parse: {e}\n{printed}\nfrom:\n{text}"));
    if let Err(diff) = structurally_equal(&again, &f) {
        panic!("{diff}\n{printed}");
    }
    assert_eq!(print_function(&again), printed);
    let _ = verify(&f);
    let _ = verify_lowered(&f, 4);
}

#[test]
fn every_truncation_is_an_error() {
    for text in sample_texts() {
        let complete = text.trim_end();
        for (cut, _) in text.char_indices() {
            let prefix = &text[..cut];
            match parse_function(prefix) {
                Ok(_) => assert_eq!(prefix.trim_end(), complete, "a strict prefix parsed"),
                Err(e) => assert!(e.line >= 1 && e.col >= 1, "{e}"),
            }
        }
    }
}

/// Characters that matter to the grammar, plus some that do not belong.
const ALPHABET: &[char] = &[
    '%', '@', '^', '{', '}', '(', ')', '[', ']', '<', '>', ',', ':', '=', '-', '"', ';', '\\',
    '\n', ' ', 'x', '0', '9', '.', 'e', '#', 'é',
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = chars.clone();
    let at = rng.below(chars.len());
    match rng.below(6) {
        0 => {
            out.remove(at);
        }
        1 => out.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
        2 => out[at] = ALPHABET[rng.below(ALPHABET.len())],
        3 => {
            // Copy a random span elsewhere (duplicates names, ops, braces).
            let len = rng.below(40);
            let from = rng.below(chars.len());
            let span: Vec<char> = chars[from..(from + len).min(chars.len())].to_vec();
            out.splice(at..at, span);
        }
        4 => {
            // Swap two lines.
            let mut lines: Vec<&str> = text.lines().collect();
            let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(i, j);
            return lines.join("\n");
        }
        _ => {
            // Replace a digit run by another number (sizes, indices, values).
            let numbers = [
                "0",
                "1",
                "4294967295",
                "4294967296",
                "99999999999999999999",
                "3",
            ];
            let end = (at..chars.len())
                .find(|&i| !chars[i].is_ascii_digit())
                .unwrap_or(chars.len());
            let n = numbers[rng.below(numbers.len())];
            out.splice(at..end, n.chars());
        }
    }
    out.into_iter().collect()
}

#[test]
fn mutations_never_panic_and_what_parses_round_trips() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut parsed = 0;
    for text in sample_texts() {
        let mut current = text.clone();
        for round in 0..1500 {
            // Mostly single mutations of the original; sometimes stack them.
            if round % 4 != 0 {
                current = text.clone();
            }
            current = mutate(&mut rng, &current);
            if parse_function(&current).is_ok() {
                parsed += 1;
            }
            check_parsed(&current);
        }
    }
    // Some mutations (a changed constant, swapped independent ops) stay
    // valid; if none did, the round-trip half of this test checked nothing.
    assert!(parsed > 50, "only {parsed} mutants parsed");
}

#[test]
fn random_garbage_is_an_error() {
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    for _ in 0..2000 {
        let len = rng.below(60);
        let text: String = (0..len)
            .map(|_| ALPHABET[rng.below(ALPHABET.len())])
            .collect();
        let with_header = format!("kernel @k() {{\n{text}");
        assert!(parse_function(&text).is_err());
        check_parsed(&with_header);
        let _ = parse_module(&text);
    }
}
