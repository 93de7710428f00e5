//! Case folding of the tool segment, exactly as the reference's Python 3.11
//! `str.casefold` does it.
//!
//! Full Unicode case folding (CaseFolding.txt statuses C and F: `ß` → `ss`, final sigma
//! → `σ`, `İ` → `i̇`, no Turkish `T` mappings, no normalization) comes from the
//! `caseless` crate. caseless 0.2.2 ships Unicode 16.0 data while CPython 3.11 uses
//! Unicode 14.0, and folding is only ever extended between versions: the complete
//! difference, computed over every code point by `grammar/check_casefold.py`, is 27
//! characters that were unassigned in 14.0 and that Python therefore leaves unchanged.
//! [`UNFOLDED_IN_PYTHON_3_11`] pins them; any other version skew would show up in that
//! script. Rust's `to_lowercase` is not a substitute: it maps `ß` to itself and `Σ` to a
//! context-dependent sigma.

use std::borrow::Cow;

use caseless::Caseless;

use super::class::ranges_contain;

/// Code points that caseless (Unicode 16.0) folds and CPython 3.11 (Unicode 14.0) does
/// not, because they were assigned after 14.0. Sorted, inclusive ranges.
const UNFOLDED_IN_PYTHON_3_11: &[(char, char)] = &[
    ('\u{1C89}', '\u{1C89}'),   // CYRILLIC CAPITAL LETTER TJE (16.0)
    ('\u{A7CB}', '\u{A7CC}'),   // LATIN CAPITAL LETTER RAMS HORN, S WITH DIAGONAL STROKE (16.0)
    ('\u{A7DA}', '\u{A7DA}'),   // LATIN CAPITAL LETTER LAMBDA (16.0)
    ('\u{A7DC}', '\u{A7DC}'),   // LATIN CAPITAL LETTER LAMBDA WITH STROKE (16.0)
    ('\u{10D50}', '\u{10D65}'), // GARAY CAPITAL LETTERS (16.0)
];

/// Python 3.11 `s.casefold()`. Borrows when folding changes nothing (the common case
/// for tool names, which are mostly lowercase ASCII already).
pub fn casefold(s: &str) -> Cow<'_, str> {
    if s.chars().all(folds_to_itself) {
        return Cow::Borrowed(s);
    }
    let mut folded = String::with_capacity(s.len() + 4);
    push_casefolded(s, &mut folded);
    Cow::Owned(folded)
}

/// Appends `s.casefold()` to `out`. ASCII text (nearly every tool name) is copied once
/// and lowered in place rather than character by character.
fn push_casefolded(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        if let Some(copied) = out.get_mut(start..) {
            copied.make_ascii_lowercase();
        }
        return;
    }
    for c in s.chars() {
        push_folded(c, out);
    }
}

/// Folds the tool segment of `s`: the text before its first `:` (all of `s` if it has
/// none). The rest, the method, stays case-sensitive. Applies to subjects and, before
/// parsing, to pattern text alike.
pub fn fold_tool_segment(s: &str) -> Cow<'_, str> {
    let (tool, method) = s.split_at(s.find(':').unwrap_or(s.len()));
    if tool.chars().all(folds_to_itself) {
        return Cow::Borrowed(s);
    }
    // Sized for the method too, which is appended unchanged.
    let mut folded = String::with_capacity(s.len() + 4);
    push_casefolded(tool, &mut folded);
    folded.push_str(method);
    Cow::Owned(folded)
}

/// Calls `emit` with each character of `c.casefold()`: the streaming form, for
/// evaluators that fold a subject while reading it instead of building a string.
pub fn for_each_folded_char(c: char, mut emit: impl FnMut(char)) {
    if c.is_ascii() {
        emit(c.to_ascii_lowercase());
    } else if ranges_contain(UNFOLDED_IN_PYTHON_3_11, c) {
        emit(c);
    } else {
        std::iter::once(c).default_case_fold().for_each(emit);
    }
}

fn folds_to_itself(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_uppercase();
    }
    let mut folded = std::iter::once(c).default_case_fold();
    ranges_contain(UNFOLDED_IN_PYTHON_3_11, c)
        || (folded.next() == Some(c) && folded.next().is_none())
}

fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if ranges_contain(UNFOLDED_IN_PYTHON_3_11, c) {
        out.push(c);
    } else {
        out.extend(std::iter::once(c).default_case_fold());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_folding_matches_python() {
        // Expected values are Python 3.11 `str.casefold()`.
        let cases = [
            ("GitHub", "github"),
            ("straße", "strasse"),
            ("STRAẞE", "strasse"),
            ("ſ", "s"),
            ("\u{212A}", "k"),
            ("ς", "σ"),
            ("ΣΑΣ", "σασ"),
            ("İ", "i\u{307}"),
            ("ı", "ı"),
            ("ﬁ", "fi"),
            ("ǅ", "ǆ"),
            ("Ꭰ", "Ꭰ"),
            ("ꭰ", "Ꭰ"),
            ("Ა", "ა"),
            ("𐐀", "𐐨"),
            ("ﬓ", "մն"),
            ("µ", "μ"),
            ("Å", "å"),
            ("É", "é"),
            ("E\u{301}", "e\u{301}"),
            ("Ａ", "ａ"),
        ];
        for (input, expected) in cases {
            assert_eq!(casefold(input), expected, "{input:?}");
        }
    }

    #[test]
    fn post_unicode_14_letters_are_left_alone() {
        for &(lo, hi) in UNFOLDED_IN_PYTHON_3_11 {
            for c in lo..=hi {
                assert_eq!(
                    casefold(&c.to_string()),
                    c.to_string(),
                    "U+{:04X}",
                    u32::from(c)
                );
            }
        }
        // Their Unicode 14.0 neighbours still fold.
        assert_eq!(casefold("\u{A7C9}"), "\u{A7CA}");
        assert_eq!(casefold("\u{10C80}"), "\u{10CC0}");
    }

    #[test]
    fn only_the_tool_segment_folds() {
        assert_eq!(fold_tool_segment("Bash:LS"), "bash:LS");
        assert_eq!(fold_tool_segment("STRASSE"), "strasse");
        assert_eq!(fold_tool_segment("A:B:C"), "a:B:C");
        assert_eq!(fold_tool_segment(":X"), ":X");
        assert_eq!(fold_tool_segment(""), "");
        assert_eq!(fold_tool_segment("[A-Z]:*"), "[a-z]:*");
        assert!(matches!(fold_tool_segment("bash:LS"), Cow::Borrowed(_)));
    }
}
